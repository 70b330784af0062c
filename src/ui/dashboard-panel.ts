/**
 * The programme dashboard: each figure of the report, computed from the data, as a small
 * bar against the report's number (or progress out of the total), grouped by layer.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Catalogue, MetricValue, ProgrammeMetric } from '../app/registry.ts';
import type { Lang } from '../app/store.ts';
import { formatNumber, t } from './i18n.ts';
import { formatMetric } from './metric-format.ts';

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
  `;

  override render() {
    const cat = this.catalogue;
    const defs = cat?.programme ?? [];
    if (!cat || defs.length === 0) return nothing;
    const lang = this.locale;
    const byId = new Map(this.values.map((v) => [v.id, v]));
    const layers = [...new Set(defs.map((d) => d.layer))];
    return html`<h2>${t(lang, 'dash.heading')}</h2>
      <p class="note">${t(lang, 'dash.note')}</p>
      ${layers.map((layerId) => {
        const entry = cat.layers.find((l) => l.id === layerId);
        return html`<h3>${entry?.name[lang] ?? layerId}${this.filteredLayers.includes(layerId) ? html`<span class="filtered" data-filtered=${layerId}>${t(lang, 'filter.badge')}</span>` : nothing}</h3>
          <ul>${defs.filter((d) => d.layer === layerId).map((d) => this.#metric(d, byId.get(d.id)))}</ul>`;
      })}`;
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
