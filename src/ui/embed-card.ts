/**
 * <zs-embed-card>: what the embedded map (`?embed=1`, in another site's iframe) shows over
 * its corner: the title, a compact legend of the visible layers and their classes (it can
 * be folded away on a small frame), and a link that opens the full map, at the same view,
 * in a new tab.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { cssProps } from './css-props.ts';
import { t } from './i18n.ts';
import type { Lang } from '../app/store.ts';
import type { PrintLegendClass, PrintLegendGroup } from './print-page.ts';

@customElement('zs-embed-card')
export class EmbedCard extends LitElement {
  @property() locale: Lang = 'zh';
  @property() heading = '';
  /** The visible layers and their classes, as the printed legend lists them. */
  @property({ attribute: false }) legend: readonly PrintLegendGroup[] = [];
  /** The full map at the same view; '' while there is none. */
  @property() href = '';
  /** On a small frame the legend starts folded, leaving the map in view; the user may open it. */
  readonly #legendOpen = matchMedia('(min-width: 560px) and (min-height: 400px)').matches;

  static override styles = css`
    :host {
      /* Clear of the demo-data badge and the zoom buttons at the top right, and of the scale bar below. */
      display: block; box-sizing: border-box; max-width: min(17rem, calc(100vw - 11rem)); max-height: calc(100vh - 5.5rem); overflow: auto;
      background: rgb(255 255 255 / 0.94); color: #1f2328; border-radius: 6px; box-shadow: 0 1px 4px rgb(0 0 0 / 0.25);
      padding: 0.45rem 0.6rem; font: 0.75rem/1.35 var(--zs-font, system-ui, sans-serif);
    }
    h1 { font-size: 0.85rem; margin: 0 0 0.2rem; line-height: 1.25; }
    a { color: #0a58a8; font-weight: 600; text-decoration: none; display: inline-block; padding: 0.15rem 0; }
    a:hover, a:focus-visible { text-decoration: underline; }
    :focus-visible { outline: 2px solid #0a66c2; outline-offset: 2px; }
    details { margin-top: 0.25rem; }
    summary { cursor: pointer; color: #5b6470; }
    ul { list-style: none; margin: 0.2rem 0 0; padding: 0; }
    li.group { margin-top: 0.25rem; }
    .name { font-weight: 600; display: block; }
    .cls .name { display: inline; }
    .classes { display: flex; flex-wrap: wrap; gap: 0.05rem 0.5rem; }
    .cls { display: inline-flex; align-items: center; gap: 0.25rem; }
    .sw { width: 0.7rem; height: 0.7rem; border-radius: 2px; border: 2px solid var(--c); background: var(--c); box-sizing: border-box; flex: none; }
    .sw.dash { background: repeating-linear-gradient(45deg, var(--c) 0 2px, transparent 2px 4px); border-style: dashed; }
    .sw.pt { border-radius: 50%; }
    .sw.pt.dash { background: transparent; border-style: solid; }
    .sw.ln { height: 0.25rem; border-width: 0; }
    .sw.ln.dash { background: repeating-linear-gradient(90deg, var(--c) 0 4px, transparent 4px 6px); }
  `;

  override render() {
    const lang = this.locale;
    return html`<h1>${this.heading}</h1>
      ${this.href ? html`<a href=${this.href} target="_blank" rel="noopener noreferrer" id="open-full">${t(lang, 'embed.openFull')} ↗</a>` : ''}
      ${this.legend.length ? html`<details ?open=${this.#legendOpen}>
        <summary>${t(lang, 'print.legend')}</summary>
        <ul>${this.legend.map((g) => g.classes.length === 1 && g.classes[0]!.label === g.name
          // A layer drawn in one class: its swatch beside its name.
          ? html`<li class="group"><span class="cls">${this.#swatch(g, g.classes[0]!)}<span class="name">${g.name}</span></span></li>`
          : html`<li class="group"><span class="name">${g.name}</span>
              <span class="classes">${g.classes.map((c) => html`<span class="cls">${this.#swatch(g, c)}${c.label}</span>`)}</span></li>`)}</ul>
      </details>` : ''}`;
  }

  #swatch(g: PrintLegendGroup, c: PrintLegendClass) {
    return html`<span class="sw ${g.shape} ${c.dash ? 'dash' : ''}" style=${cssProps({ '--c': c.color })}></span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-embed-card': EmbedCard;
  }
}
