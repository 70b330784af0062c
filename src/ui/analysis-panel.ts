/**
 * The analysis tab: service-radius coverage with its settings and results against the
 * standards' targets, the planner tools (study area, grid cell, district, measuring) and
 * a buffer query around the selected feature. It renders state and emits events only;
 * the numbers come from the analysis worker through the store.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { cssProps } from './css-props.ts';
import type { CoverageKind } from '../analysis/worker/analysis-api.ts';
import type { AppState, Tool } from '../app/store.ts';
import { emit } from './events.ts';
import { formatArea, formatLength, formatNumber, formatPercent, t, type MessageKey } from './i18n.ts';

const KINDS: { id: CoverageKind; key: MessageKey }[] = [
  { id: 'parks', key: 'cov.parks' },
  { id: 'ebike', key: 'cov.ebike' },
  { id: 'parking', key: 'cov.parking' },
];
const GRID_CLASSES = [
  { color: '#440154', label: '< 50%' },
  { color: '#3b528b', label: '50–80%' },
  { color: '#21918c', label: '80–90%' },
  { color: '#5ec962', label: '≥ 90%' },
];

@customElement('zs-analysis-panel')
export class AnalysisPanel extends LitElement {
  @property({ attribute: false }) state: AppState | null = null;

  static override styles = css`
    :host { display: block; font-size: 0.85rem; }
    h2 { font-size: 0.95rem; margin: 0.9rem 0 0.4rem; }
    h3 { font-size: 0.8rem; color: var(--zs-muted); margin: 0.7rem 0 0.3rem; font-weight: 600; }
    fieldset { border: 0; margin: 0; padding: 0; }
    legend { padding: 0; font-weight: 600; margin-bottom: 0.2rem; }
    label { display: flex; align-items: center; gap: 0.4rem; padding: 0.12rem 0; }
    input[type=number], select { font: inherit; width: 6rem; padding: 0.15rem 0.3rem; border: 1px solid var(--zs-line); border-radius: 4px; background: var(--zs-bg); color: var(--zs-text); }
    select { width: auto; }
    .rule { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem; margin: 0.15rem 0; }
    .big { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; margin: 0.2rem 0 0; }
    .muted { color: var(--zs-muted); font-size: 0.75rem; }
    .error { color: var(--zs-error); }
    .bars { display: grid; grid-template-columns: auto 1fr auto; gap: 0.25rem 0.5rem; align-items: center; }
    .track { position: relative; height: 10px; background: var(--zs-line); border-radius: 3px; }
    .fill { position: absolute; inset: 0 auto 0 0; background: #21918c; border-radius: 3px; }
    .target { position: absolute; top: -3px; bottom: -3px; width: 0; border-left: 2px dashed var(--zs-text); }
    .target.t80 { left: 80%; }
    .target.t90 { left: 90%; border-left-style: dotted; }
    .num { font-variant-numeric: tabular-nums; text-align: right; }
    .legend { display: flex; flex-wrap: wrap; gap: 0.2rem 0.7rem; margin-top: 0.3rem; font-size: 0.75rem; }
    .sw { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; vertical-align: -0.1rem; margin-right: 0.25rem; }
    .sw.covered { background: #fde725; }
    .sw.no-residential { background: #ddd; }
    .tools { display: flex; flex-wrap: wrap; gap: 0.35rem; }
    button { font: inherit; font-size: 0.8rem; border: 1px solid var(--zs-line); background: var(--zs-bg); color: var(--zs-text); border-radius: 4px; padding: 0.25rem 0.55rem; cursor: pointer; }
    button[aria-pressed=true] { background: var(--zs-accent); color: #fff; border-color: var(--zs-accent); }
    button:focus-visible, input:focus-visible, select:focus-visible { outline: 2px solid var(--zs-accent); outline-offset: 2px; }
    table { border-collapse: collapse; width: 100%; margin-top: 0.3rem; }
    th, td { text-align: left; padding: 0.15rem 0.3rem 0.15rem 0; border-bottom: 1px solid var(--zs-line); font-variant-numeric: tabular-nums; }
    td.n, th.n { text-align: right; }
    .hint { background: var(--zs-demo-bg); border: 1px solid var(--zs-demo-line); padding: 0.3rem 0.5rem; border-radius: 4px; margin: 0.4rem 0 0; }
  `;

  #num(e: Event): number {
    return Number((e.target as HTMLInputElement).value);
  }

  #coverage(s: AppState) {
    const lang = s.lang;
    const set = s.coverageSettings;
    const job = s.coverage;
    const r = job.response && job.response.settings.kind === set.kind ? job.response.result : null;
    const districts = s.catalogue?.layers.find((l) => l.id === 'communities')?.fields.find((f) => f.name === 'district')?.values ?? [];
    const cells = r ? Object.values(r.byZone).filter((z) => z.area > 0) : [];
    const below = cells.filter((z) => z.share < 0.8).length;
    return html`<h2>${t(lang, 'cov.heading')}</h2>
      <fieldset>
        <legend>${t(lang, 'cov.kind')}</legend>
        ${KINDS.map((k) => html`<label><input type="radio" name="kind" value=${k.id} .checked=${set.kind === k.id}
          @change=${() => emit(this, 'zs-coverage-settings', { kind: k.id })} />${t(lang, k.key)}</label>`)}
      </fieldset>
      ${set.kind === 'parks'
        ? set.parkRules.map((rule, i) => html`<div class="rule">
            <label>${t(lang, 'cov.minArea')} <input type="number" min="0" step="100" .value=${String(rule.minArea)} data-rule=${i} data-key="minArea"
              @change=${(e: Event) => emit(this, 'zs-coverage-settings', { parkRules: set.parkRules.map((x, j) => (j === i ? { ...x, minArea: this.#num(e) } : x)) })} /></label>
            <label>${t(lang, 'cov.radius')} <input type="number" min="0" step="50" .value=${String(rule.radius)} data-rule=${i} data-key="radius"
              @change=${(e: Event) => emit(this, 'zs-coverage-settings', { parkRules: set.parkRules.map((x, j) => (j === i ? { ...x, radius: this.#num(e) } : x)) })} /></label>
          </div>`)
        : html`<label>${t(lang, 'cov.radius')} <input type="number" min="0" step="50" id="radius"
            .value=${String(set.kind === 'ebike' ? set.ebikeRadius : set.parkingRadius)}
            @change=${(e: Event) => emit(this, 'zs-coverage-settings', set.kind === 'ebike' ? { ebikeRadius: this.#num(e) } : { parkingRadius: this.#num(e) })} /></label>`}
      <div aria-live="polite">
        ${job.status === 'running' ? html`<p class="muted">${t(lang, 'cov.running')} ${this.#cancel(lang, 'coverage')}</p>` : nothing}
        ${job.status === 'cancelled' ? html`<p class="muted" role="status" id="coverage-cancelled">${t(lang, 'cov.cancelled')}</p>` : nothing}
        ${job.status === 'error' ? html`<p class="error" role="alert">${t(lang, 'cov.error', { message: job.error ?? '' })}</p>` : nothing}
        ${r ? html`
          <h3>${t(lang, 'cov.city')}</h3>
          <p class="big" id="city-share" data-share=${r.total.share}>${formatPercent(lang, r.total.share)}</p>
          <p class="muted">${t(lang, 'cov.area', { area: formatArea(lang, r.total.area), covered: formatArea(lang, r.total.covered) })}</p>
          <h3>${t(lang, 'cov.byDistrict')}</h3>
          <div class="bars">${districts.map((d) => {
            const g = r.byGroup[d.value];
            if (!g) return nothing;
            return html`<span>${d.label[lang]}</span>
              <span class="track" role="img" aria-label=${`${d.label[lang]} ${formatPercent(lang, g.share)}`}>
                <span class="fill" style=${cssProps({ width: `${Math.min(100, g.share * 100)}%` })}></span>
                <span class="target t80"></span><span class="target t90"></span>
              </span>
              <span class="num" data-district=${d.value}>${formatPercent(lang, g.share)}</span>`;
          })}</div>
          <div class="legend"><span>┆ ${t(lang, 'cov.target80')}</span><span>⋮ ${t(lang, 'cov.target90')}</span></div>
          <h3>${t(lang, 'cov.grid')}</h3>
          <p class="muted">${t(lang, 'cov.gridSummary', { below, cells: cells.length })}</p>
          <label><input type="checkbox" .checked=${s.showCoverage} @change=${(e: Event) => emit(this, 'zs-show-coverage', { show: (e.target as HTMLInputElement).checked })} />${t(lang, 'cov.showOnMap')}</label>
          <div class="legend">
            <span><span class="sw covered"></span>${t(lang, 'cov.legend.covered')}</span>
            ${GRID_CLASSES.map((c) => html`<span><span class="sw" style=${cssProps({ background: c.color })}></span>${c.label}</span>`)}
            <span><span class="sw no-residential"></span>${t(lang, 'cov.legend.noResidential')}</span>
          </div>
          <p class="muted">${t(lang, 'cov.time', { ms: formatNumber(lang, job.response!.ms, 0) })}</p>` : nothing}
      </div>`;
  }

  /** Stops a long computation: the worker is replaced, so this stops every one running. */
  #cancel(lang: AppState['lang'], what: 'coverage' | 'study') {
    return html`<button type="button" class="cancel" data-cancel=${what} @click=${() => emit(this, 'zs-analysis-cancel', null)}>${t(lang, 'analysis.cancel')}</button>`;
  }

  #toolButton(s: AppState, tool: Tool, key: MessageKey) {
    const on = s.tool === tool;
    return html`<button type="button" aria-pressed=${on ? 'true' : 'false'} data-tool=${tool}
      @click=${() => emit(this, 'zs-tool', { tool: on ? 'none' : tool })}>${t(s.lang, key)}</button>`;
  }

  #tools(s: AppState) {
    const lang = s.lang;
    const districts = s.catalogue?.layers.find((l) => l.id === 'grid-cells')?.fields.find((f) => f.name === 'district')?.values ?? [];
    const hint = s.tool === 'draw-area' || s.tool === 'measure-area' ? 'tools.hintDraw' : s.tool === 'measure-line' ? 'tools.hintLine' : s.tool === 'pick-cell' ? 'tools.hintPick' : null;
    return html`<h2>${t(lang, 'tools.heading')}</h2>
      <div class="tools">
        ${this.#toolButton(s, 'draw-area', 'tools.drawArea')}
        ${this.#toolButton(s, 'pick-cell', 'tools.pickCell')}
        ${this.#toolButton(s, 'measure-line', 'tools.measureLine')}
        ${this.#toolButton(s, 'measure-area', 'tools.measureArea')}
      </div>
      <label>${t(lang, 'tools.district')}
        <select @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          if (v) emit(this, 'zs-study-district', { district: v });
        }}>
          <option value="">${t(lang, 'tools.districtAll')}</option>
          ${districts.map((d) => html`<option value=${d.value}>${d.label[lang]}</option>`)}
        </select>
      </label>
      ${hint ? html`<p class="hint" role="status">${t(lang, hint)}</p>` : nothing}
      ${s.measurement ? html`<p role="status" id="measurement">${t(lang, 'tools.measureResult', { value: s.measurement.kind === 'line' ? formatLength(lang, s.measurement.value) : formatArea(lang, s.measurement.value) })}</p>` : nothing}
      ${this.#study(s)}`;
  }

  #study(s: AppState) {
    const lang = s.lang;
    if (!s.studyArea) return nothing;
    const resp = s.study.response;
    const cat = s.catalogue;
    return html`<section id="study" aria-live="polite">
      <h3>${t(lang, 'study.heading', { label: s.studyArea.label || t(lang, 'study.drawn') })}</h3>
      <button type="button" @click=${() => emit(this, 'zs-study-clear', null)}>${t(lang, 'tools.clear')}</button>
      ${s.study.status === 'running' ? html`<p class="muted" id="study-running">${t(lang, 'study.running')} ${this.#cancel(lang, 'study')}</p>` : nothing}
      ${s.study.status === 'cancelled' ? html`<p class="muted" role="status" id="study-cancelled">${t(lang, 'study.cancelled')}</p>` : nothing}
      ${s.study.status === 'error' ? html`<p class="error" role="alert">${s.study.error}</p>` : nothing}
      ${resp ? html`<table>
          <thead><tr><th>${t(lang, 'study.layer')}</th><th class="n">${t(lang, 'study.count')}</th><th class="n">${t(lang, 'study.area')}</th><th class="n">${t(lang, 'study.length')}</th></tr></thead>
          <tbody>${resp.layers.map((l) => html`<tr data-layer=${l.layerId}>
            <td>${cat?.layers.find((e) => e.id === l.layerId)?.name[lang] ?? l.layerId}</td>
            <td class="n" data-count=${l.count}>${formatNumber(lang, l.count)}</td>
            <td class="n">${l.area_m2 > 0 ? formatArea(lang, l.area_m2) : ''}</td>
            <td class="n">${l.length_m > 0 ? formatLength(lang, l.length_m) : ''}</td></tr>`)}</tbody>
        </table>
        <h3>${t(lang, 'study.coverage')}</h3>
        <table><tbody>${KINDS.map((k) => html`<tr><td>${t(lang, k.key)}</td><td class="n" data-coverage=${k.id}>${formatPercent(lang, resp.coverage[k.id].share)}</td></tr>`)}</tbody></table>` : nothing}
    </section>`;
  }

  #buffer(s: AppState) {
    const lang = s.lang;
    const layers = s.catalogue?.layers ?? [];
    const sel = s.selection;
    const resp = s.within.response;
    return html`<h2>${t(lang, 'buffer.heading')}</h2>
      <label>${t(lang, 'buffer.radius')} <input type="number" id="buffer-radius" min="0" step="50" .value=${String(s.bufferRadius)}
        @change=${(e: Event) => emit(this, 'zs-buffer-settings', { radius: this.#num(e) })} /></label>
      <label>${t(lang, 'buffer.layer')} <select @change=${(e: Event) => emit(this, 'zs-buffer-settings', { layer: (e.target as HTMLSelectElement).value })}>
        ${layers.map((l) => html`<option value=${l.id} ?selected=${l.id === s.bufferLayer}>${l.name[lang]}</option>`)}
      </select></label>
      ${sel
        ? html`<button type="button" id="buffer-run" @click=${() => emit(this, 'zs-buffer-run', null)}>${t(lang, 'buffer.run', { name: String(sel.properties.name ?? sel.featureId) })}</button>`
        : html`<p class="muted">${t(lang, 'buffer.hint')}</p>`}
      ${s.within.status === 'error' ? html`<p class="error" role="alert">${s.within.error}</p>` : nothing}
      ${resp ? html`<p role="status" id="buffer-result">${t(lang, 'buffer.result', { count: resp.hits.length, radius: resp.radius })}</p>
        <table><tbody>${resp.hits.slice(0, 200).map((h) => html`<tr><td>${h.name || h.id}</td><td class="n">${formatLength(lang, h.distance_m)}</td></tr>`)}</tbody></table>` : nothing}`;
  }

  override render() {
    const s = this.state;
    if (!s) return nothing;
    return html`${this.#coverage(s)}${this.#tools(s)}${this.#buffer(s)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-analysis-panel': AnalysisPanel;
  }
}
