/**
 * `style=${cssProps({ background: c.color, '--c': c.color })}`: Lit's styleMap, but safe
 * under a Content-Security-Policy without 'unsafe-inline' styles (deploy/nginx.conf).
 * styleMap writes its first value as a style attribute string, which such a policy
 * refuses; this directive only ever sets properties through CSSOM (element.style), which
 * CSP does not restrict. Names with a dash (custom properties, kebab-case) go through
 * setProperty, others are camelCase properties of element.style; null or undefined removes.
 */
import { noChange, type AttributePart } from 'lit';
import { Directive, PartType, directive, type PartInfo } from 'lit/directive.js';

export type CssProps = Readonly<Record<string, string | number | null | undefined>>;

class CssPropsDirective extends Directive {
  /** The names this directive set last time, so a name dropped from the object is removed. */
  #set = new Set<string>();

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ATTRIBUTE || info.name !== 'style' || (info.strings?.length ?? 0) > 2) {
      throw new Error('cssProps must be the whole value of a style attribute: style=${cssProps({...})}');
    }
  }

  render(_props: CssProps): typeof noChange {
    return noChange;
  }

  override update(part: AttributePart, [props]: [CssProps]): typeof noChange {
    const style = (part.element).style;
    for (const name of this.#set) {
      if (props[name] !== null && props[name] !== undefined) continue;
      if (name.includes('-')) style.removeProperty(name);
      else (style as unknown as Record<string, string>)[name] = '';
      this.#set.delete(name);
    }
    for (const [name, value] of Object.entries(props)) {
      if (value === null || value === undefined) continue;
      if (name.includes('-')) style.setProperty(name, String(value));
      else (style as unknown as Record<string, string>)[name] = String(value);
      this.#set.add(name);
    }
    return noChange;
  }
}

export const cssProps = directive(CssPropsDirective);
