/**
 * The public view's account of the programme: for each kind of work, what it was like
 * before, what was done, and how many places are finished or in progress, in the
 * legend's colours. Plain words, no staff tools.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { cssProps } from './css-props.ts';
import type { FeatureCollection } from 'geojson';
import type { Lang } from '../app/store.ts';
import { styleClasses } from '../app/style-classes.ts';
import type { Catalogue } from '../app/registry.ts';
import { formatNumber, t } from './i18n.ts';

@customElement('zs-public-summary')
export class PublicSummary extends LitElement {
  @property({ attribute: false }) catalogue: Catalogue | null = null;
  @property({ attribute: false }) data: Readonly<Record<string, FeatureCollection>> = {};
  @property() locale: Lang = 'zh';

  static override styles = css`
    :host { display: block; }
    h2 { font-size: 1rem; margin: 0.8rem 0 0.3rem; }
    article { border-bottom: 1px solid var(--zs-line); padding: 0.55rem 0; }
    h3 { font-size: 0.95rem; margin: 0 0 0.25rem; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 0.1rem 0.5rem; margin: 0.2rem 0; font-size: 0.82rem; }
    dt { color: var(--zs-muted); }
    dd { margin: 0; }
    .counts { display: flex; flex-wrap: wrap; gap: 0.2rem 0.8rem; font-size: 0.85rem; }
    .sw { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; vertical-align: -0.1rem; margin-right: 0.3rem; }
    .sw.dash { background: transparent !important; border: 2px dashed var(--c); box-sizing: border-box; }
    strong { font-variant-numeric: tabular-nums; }
  `;

  override render() {
    const cat = this.catalogue;
    if (!cat) return nothing;
    const lang = this.locale;
    return html`<h2>${t(lang, 'public.heading')}</h2>
      ${cat.layers.filter((l) => l.group === 'programme').map((entry) => {
        const fc = this.data[entry.id];
        const classes = styleClasses(entry, cat.stages);
        const count = (value: string | null): number =>
          fc ? (value === null ? fc.features.length : fc.features.filter((f) => String(f.properties?.[entry.styleField ?? '']) === value).length) : 0;
        return html`<article data-layer=${entry.id}>
          <h3>${entry.name[lang]}</h3>
          ${entry.public ? html`<dl>
            <dt>${t(lang, 'public.before')}</dt><dd>${entry.public.before[lang]}</dd>
            <dt>${t(lang, 'public.after')}</dt><dd>${entry.public.after[lang]}</dd>
          </dl>` : nothing}
          <div class="counts">${classes.map((c) => html`<span>
            <span class="sw ${c.dash ? 'dash' : ''}" style=${cssProps({ background: c.color, '--c': c.color })}></span>${c.label[lang]}
            <strong>${formatNumber(lang, count(c.value))}</strong></span>`)}</div>
        </article>`;
      })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-public-summary': PublicSummary;
  }
}
