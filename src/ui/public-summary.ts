/**
 * The public view's account of the programme: for each kind of work, what it was like
 * before, what was done, the programme's own figures (the ones the staff dashboard and the
 * report give, each with its unit), and the map's key in the legend's colours, with how
 * many places are finished or in progress where that says something the figures do not.
 * Plain words, no staff tools.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { cssProps } from './css-props.ts';
import type { FeatureCollection } from 'geojson';
import type { Lang } from '../app/store.ts';
import { styleClasses } from '../app/style-classes.ts';
import type { Catalogue, LayerEntry, MetricValue, ProgrammeMetric } from '../app/registry.ts';
import { formatNumber, t } from './i18n.ts';
import { countNoun, formatFigure } from './metric-format.ts';

/**
 * Counting a layer's features by class helps where the classes are the stages of a piece
 * of work the programme reports as progress (52 of 58 plots finished: 52 finished, 6 in
 * progress). Elsewhere a count by class would compete with the programme's figures: curb
 * segments of berths that the programme counts in berths, or points "inspected" (279) that
 * are only those of the 403 inspected with nothing found.
 */
function countsHelp(entry: LayerEntry, metrics: readonly ProgrammeMetric[], classes: number): boolean {
  if (classes < 2 || !entry.styleField) return false;
  return metrics.some((m) => m.layer === entry.id && m.kind === 'progress' && m.done?.field === entry.styleField);
}

@customElement('zs-public-summary')
export class PublicSummary extends LitElement {
  @property({ attribute: false }) catalogue: Catalogue | null = null;
  @property({ attribute: false }) data: Readonly<Record<string, FeatureCollection>> = {};
  /** The programme's figures (`selectors.programme`); null while the code that computes them loads. */
  @property({ attribute: false }) values: readonly MetricValue[] | null = null;
  @property() locale: Lang = 'zh';

  static override styles = css`
    :host { display: block; }
    h2 { font-size: 1rem; margin: 0.8rem 0 0.3rem; }
    article { border-bottom: 1px solid var(--zs-line); padding: 0.55rem 0; }
    h3 { font-size: 0.95rem; margin: 0 0 0.25rem; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 0.1rem 0.5rem; margin: 0.2rem 0; font-size: 0.82rem; }
    dt { color: var(--zs-muted); }
    dd { margin: 0; }
    ul { list-style: none; margin: 0.3rem 0; padding: 0; display: grid; gap: 0.15rem; font-size: 0.85rem; }
    li { display: flex; justify-content: space-between; align-items: baseline; gap: 0.6rem; }
    li .value { font-weight: 700; white-space: nowrap; }
    .counts { display: flex; flex-wrap: wrap; gap: 0.2rem 0.8rem; font-size: 0.8rem; color: var(--zs-muted); }
    .counts > span { color: var(--zs-text); }
    .sw { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; vertical-align: -0.1rem; margin-right: 0.3rem; }
    .sw.dash { background: transparent !important; border: 2px dashed var(--c); box-sizing: border-box; }
    strong, .value { font-variant-numeric: tabular-nums; }
  `;

  override render() {
    const cat = this.catalogue;
    if (!cat) return nothing;
    const lang = this.locale;
    const metrics = cat.programme ?? [];
    const byId = new Map((this.values ?? []).map((v) => [v.id, v]));
    return html`<h2>${t(lang, 'public.heading')}</h2>
      ${cat.layers.filter((l) => l.group === 'programme').map((entry) => {
        const fc = this.data[entry.id];
        const classes = styleClasses(entry, cat.stages);
        const figures = metrics.filter((m) => m.layer === entry.id);
        const noun = countNoun(metrics, entry.id, lang);
        const counted = noun !== null && countsHelp(entry, metrics, classes.length);
        const count = (value: string | null): number =>
          fc ? fc.features.filter((f) => value === null || String(f.properties?.[entry.styleField ?? '']) === value).length : 0;
        return html`<article data-layer=${entry.id}>
          <h3>${entry.name[lang]}</h3>
          ${entry.public ? html`<dl>
            <dt>${t(lang, 'public.before')}</dt><dd>${entry.public.before[lang]}</dd>
            <dt>${t(lang, 'public.after')}</dt><dd>${entry.public.after[lang]}</dd>
          </dl>` : nothing}
          ${this.values && figures.length ? html`<ul>${figures.map((m) => html`<li data-metric=${m.id}>
            <span>${m.label[lang]}</span><span class="value">${formatFigure(m, byId.get(m.id), lang)}</span></li>`)}</ul>` : nothing}
          <div class="counts">${classes.map((c) => html`<span>
            <span class="sw ${c.dash ? 'dash' : ''}" style=${cssProps({ background: c.color, '--c': c.color })}></span>${c.label[lang]}${counted
              ? html` <strong>${t(lang, 'public.count', { count: formatNumber(lang, count(c.value)), unit: noun })}</strong>` : nothing}</span>`)}</div>
        </article>`;
      })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-public-summary': PublicSummary;
  }
}
