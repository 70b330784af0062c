/**
 * The programme dashboard: each figure of the report, computed from the data, as a small
 * bar against the report's number (or progress out of the total), grouped by layer. With a
 * timeline, the figures are as of the day the map shows, and a chart draws the chosen figure
 * month by month against its target, with a small one per district.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Catalogue, MetricValue, ProgrammeMetric, ProgressSeries, ProgressView } from '../app/registry.ts';
import type { Lang } from '../app/store.ts';
import { formatDate, formatNumber, t } from './i18n.ts';
import { axisUnit, formatMetric } from './metric-format.ts';

function bar(fraction: number, label: string) {
  const w = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0)) * 100;
  return html`<svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label=${label}>
    ${svg`<rect x="0" y="0" width="100" height="6" rx="3" class="track"></rect>
    <rect x="0" y="0" width=${w} height="6" rx="3" class="fill"></rect>`}
  </svg>`;
}

@customElement('zs-dashboard-panel')
export class DashboardPanel extends LitElement {
  @property({ attribute: false }) catalogue: Catalogue | null = null;
  @property({ attribute: false }) values: readonly MetricValue[] = [];
  @property() locale: Lang = 'zh';
  /** Layers whose filters are on: their figures count only what the filters let through. */
  @property({ attribute: false }) filteredLayers: readonly string[] = [];
  /** The day the figures are as of; null: the latest data. */
  @property({ attribute: false }) asOf: string | null = null;
  /** A figure month by month (null while its code loads); null without a timeline: no charts. */
  @property({ attribute: false }) progress: ((metricId: string) => ProgressView | null) | null = null;
  @property() theme: 'light' | 'dark' = 'light';
  /** The figure the chart draws; by default the first with a report figure. */
  @state() private chartMetric: string | null = null;

  static override styles = css`
    .filtered { display: inline-block; margin-left: 0.4rem; padding: 0 0.35rem; border-radius: 3px; font-size: 0.7rem; letter-spacing: 0; text-transform: none;
      background: var(--zs-demo-bg); border: 1px solid var(--zs-demo-line); color: var(--zs-demo-text); }
    :host { display: block; }
    h2 { font-size: 0.95rem; margin: 0.8rem 0 0.2rem; }
    .note { font-size: 0.75rem; color: var(--zs-muted); margin: 0 0 0.6rem; }
    h3 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--zs-muted); margin: 0.9rem 0 0.3rem; }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.45rem; }
    li { display: grid; grid-template-columns: 1fr auto; gap: 0.1rem 0.6rem; align-items: baseline; }
    .label { font-size: 0.85rem; }
    .value { font-weight: 700; font-variant-numeric: tabular-nums; font-size: 0.95rem; text-align: right; }
    .bar { grid-column: 1 / -1; width: 100%; height: 6px; display: block; }
    .track { fill: var(--zs-line); }
    .fill { fill: #009e73; }
    .sub { grid-column: 1 / -1; font-size: 0.72rem; color: var(--zs-muted); }
    .asof { margin: 0 0 0.4rem; font-weight: 600; font-size: 0.85rem; }
    .chart { margin: 0.4rem 0 0.8rem; padding: 0.5rem 0 0.6rem; border-bottom: 1px solid var(--zs-line); }
    .chart label { display: flex; align-items: center; gap: 0.4rem; font-size: 0.8rem; margin-bottom: 0.3rem; }
    .chart select { flex: 1; min-width: 0; font: inherit; padding: 0.15rem 0.3rem; border: 1px solid var(--zs-line); border-radius: 4px; background: var(--zs-bg); color: var(--zs-text); }
    .chart .note { margin: 0.3rem 0 0; font-size: 0.7rem; }
    .chart .now { margin: 0.2rem 0 0.1rem; font-size: 0.8rem; display: flex; justify-content: space-between; gap: 0.5rem; }
    .chart .now strong { font-variant-numeric: tabular-nums; }
    h4 { font-size: 0.75rem; color: var(--zs-muted); margin: 0.5rem 0 0.2rem; font-weight: 600; }
    .districts { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 0.4rem; }
    figure { margin: 0; min-width: 0; }
    figcaption { font-size: 0.72rem; display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 0.3rem; white-space: nowrap; }
    figcaption span { overflow: hidden; text-overflow: ellipsis; }
    figcaption strong { font-variant-numeric: tabular-nums; }
    .loading { font-size: 0.75rem; color: var(--zs-muted); }
  `;

  override render() {
    const cat = this.catalogue;
    const defs = cat?.programme ?? [];
    if (!cat || defs.length === 0) return nothing;
    const lang = this.locale;
    const byId = new Map(this.values.map((v) => [v.id, v]));
    const layers = [...new Set(defs.map((d) => d.layer))];
    const timeline = cat.timeline;
    return html`<h2>${t(lang, 'dash.heading')}</h2>
      <p class="note">${t(lang, 'dash.note')}</p>
      ${timeline ? html`<p class="asof" data-as-of=${this.asOf ?? ''}>${this.asOf
        ? t(lang, 'time.asOf', { date: formatDate(lang, this.asOf) })
        : t(lang, 'time.latest', { date: formatDate(lang, timeline.dataDate) })}</p>` : nothing}
      ${timeline && this.progress ? this.#chart(defs, timeline.start, this.asOf ?? timeline.dataDate) : nothing}
      ${layers.map((layerId) => {
        const entry = cat.layers.find((l) => l.id === layerId);
        return html`<h3>${entry?.name[lang] ?? layerId}${this.filteredLayers.includes(layerId) ? html`<span class="filtered" data-filtered=${layerId}>${t(lang, 'filter.badge')}</span>` : nothing}</h3>
          <ul>${defs.filter((d) => d.layer === layerId).map((d) => this.#metric(d, byId.get(d.id)))}</ul>`;
      })}`;
  }

  /** The chosen figure month by month, and per district. */
  #chart(defs: readonly ProgrammeMetric[], start: string, day: string) {
    const lang = this.locale;
    const id = this.chartMetric ?? defs.find((d) => d.target !== undefined)?.id ?? defs[0]!.id;
    const def = defs.find((d) => d.id === id) ?? defs[0]!;
    const view = this.progress?.(def.id) ?? null;
    const format = (v: number): string => (def.kind === 'progress' ? formatNumber(lang, v) : formatMetric(def, v, lang));
    const labels = { actual: t(lang, 'chart.actual'), plan: t(lang, 'chart.plan'), target: t(lang, 'chart.target') };
    const axis = axisUnit(def, lang);
    const chart = (series: ProgressSeries, label: string, small: boolean) => html`<zs-progress-chart ?small=${small} .series=${series} start=${start} day=${day}
      locale=${lang} theme=${this.theme} label=${label} .labels=${labels} .format=${format} unit=${axis.unit} factor=${axis.factor} data-metric=${def.id}></zs-progress-chart>`;
    return html`<section class="chart" aria-labelledby="chart-heading">
      <h3 id="chart-heading">${t(lang, 'chart.heading')}</h3>
      <label>${t(lang, 'chart.metric')}
        <select id="chart-metric" @change=${(e: Event) => (this.chartMetric = (e.target as HTMLSelectElement).value)}>
          ${defs.map((d) => html`<option value=${d.id} ?selected=${d.id === def.id}>${d.label[lang]}</option>`)}
        </select>
      </label>
      ${view ? html`<p class="now" data-now=${def.id}>${def.label[lang]} <strong>${format(view.now.all)}</strong></p>
        ${chart(view.all, `${def.label[lang]}: ${format(view.now.all)}`, false)}
        <p class="note sub">${t(lang, 'chart.note')}</p>
        ${view.districts.length ? html`<h4>${t(lang, 'chart.byDistrict')}</h4>
          <div class="districts">${view.districts.map((d) => html`<figure data-district=${d.value}>
            <figcaption><span title=${d.label[lang]}>${d.label[lang]}</span><strong>${format(view.now.districts[d.value] ?? Number.NaN)}</strong></figcaption>
            ${chart(d.series, `${d.label[lang]}: ${format(view.now.districts[d.value] ?? Number.NaN)}`, true)}
          </figure>`)}</div>` : nothing}`
        : html`<p class="loading" role="status">${t(lang, 'cov.running')}</p>`}
    </section>`;
  }

  #metric(def: ProgrammeMetric, v: MetricValue | undefined) {
    const lang = this.locale;
    const value = v?.value ?? Number.NaN;
    let shown: string;
    let fraction: number | null = null;
    if (def.kind === 'progress') {
      shown = Number.isFinite(value) ? t(lang, 'dash.of', { value: formatNumber(lang, value), total: formatNumber(lang, v?.total ?? 0) }) : t(lang, 'dash.noData');
      fraction = v?.total ? value / v.total : 0;
    } else {
      shown = formatMetric(def, value, lang);
      if (def.unit === '%') fraction = value / 100;
      else if (def.target) fraction = value / def.target;
    }
    const target = def.target !== undefined && def.kind !== 'progress'
      ? t(lang, 'dash.report', { value: formatMetric(def, def.target, lang) })
      : def.target !== undefined ? t(lang, 'dash.report', { value: formatNumber(lang, def.target) }) : null;
    return html`<li data-metric=${def.id}>
      <span class="label">${def.label[lang]}</span><span class="value">${shown}</span>
      ${fraction !== null ? bar(fraction, `${def.label[lang]}: ${shown}`) : nothing}
      ${target ? html`<span class="sub">${target}</span>` : nothing}
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-dashboard-panel': DashboardPanel;
  }
}
