/**
 * <zs-month-changes>: the public view's "what changed this month": for the month of the day
 * the map shows, up to that day, each kind of work with how many places reached each stage
 * (finished, in progress, newly painted), in the legend's colours. Loaded with the first
 * public view of a catalogue that has a timeline.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { monthEnd, type Catalogue } from '../app/registry.ts';
import type { MonthChanges } from '../app/month-changes.ts';
import type { Lang } from '../app/store.ts';
import { styleClasses } from '../app/style-classes.ts';
import { cssProps } from './css-props.ts';
import { formatDate, formatMonth, formatNumber, t } from './i18n.ts';

@customElement('zs-month-changes')
export class MonthChangesView extends LitElement {
  @property({ attribute: false }) catalogue: Catalogue | null = null;
  @property({ attribute: false }) changes: MonthChanges | null = null;
  @property() locale: Lang = 'zh';

  static override styles = css`
    :host { display: block; margin: 0.7rem 0 0.2rem; padding: 0.5rem 0.65rem; border-radius: 6px; border: 1px solid var(--zs-line); }
    h2 { margin: 0 0 0.3rem; font-size: 0.95rem; }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.3rem; font-size: 0.85rem; }
    li { display: flex; flex-wrap: wrap; gap: 0.1rem 0.7rem; }
    .layer { font-weight: 600; }
    p { margin: 0; font-size: 0.82rem; color: var(--zs-muted); }
    .sw { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; vertical-align: -0.1rem; margin-right: 0.3rem; }
    .sw.dash { background: transparent !important; border: 2px dashed var(--c); box-sizing: border-box; }
    strong { font-variant-numeric: tabular-nums; }
  `;

  override render() {
    const c = this.changes;
    const cat = this.catalogue;
    if (!c || !cat) return nothing;
    const lang = this.locale;
    return html`<section data-month=${c.to.slice(0, 7)} aria-labelledby="changed-heading">
      <h2 id="changed-heading">${c.to === monthEnd(c.to)
        ? t(lang, 'public.changed', { month: formatMonth(lang, c.to) })
        : t(lang, 'public.changedTo', { month: formatMonth(lang, c.to), date: formatDate(lang, c.to) })}</h2>
      ${c.layers.length === 0 ? html`<p>${t(lang, 'public.changedNone')}</p>` : html`<ul>${c.layers.map((l) => {
        const entry = cat.layers.find((e) => e.id === l.layerId);
        if (!entry) return nothing;
        const classes = styleClasses(entry, cat.stages);
        return html`<li data-layer=${l.layerId}><span class="layer">${entry.name[lang]}</span>${l.counts.map(([value, n]) => {
          const k = classes.find((x) => x.value === value) ?? classes[0]!;
          return html`<span data-value=${value}><span class="sw ${k.dash ? 'dash' : ''}" style=${cssProps({ background: k.color, '--c': k.color })}></span>${k.label[lang]}
            <strong>+${formatNumber(lang, n)}</strong></span>`;
        })}</li>`;
      })}</ul>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-month-changes': MonthChangesView;
  }
}
