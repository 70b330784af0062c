/**
 * The analysis tab: service-radius coverage with its settings and results against the
 * standards' targets, the planner tools (study area, grid cell, district, measuring) and
 * a buffer query around the selected feature. It renders state and emits events only;
 * the numbers come from the analysis worker through the store.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { cssProps } from './css-props.ts';
import { COVERAGE_KIND_CHOICES, type CoverageKind, type CoverageSettings } from '../app/registry.ts';
import type { Job, Lang, Measurement, Tool } from '../app/store.ts';
import type { CoverageResponse, StudyAreaResponse, WithinResponse } from '../app/analysis-types.ts';
import { COVERAGE_CLASSES, COVERED_COLOR, NO_RESIDENTIAL_COLOR } from '../app/style-classes.ts';
import { emit } from './events.ts';
import { formatArea, formatLength, formatNumber, formatPercent, t, type MessageKey } from './i18n.ts';
import { controlStyles } from './shared-styles.ts';
import type { Choice } from './choice.ts';

const KIND_KEYS: Record<CoverageKind, MessageKey> = { parks: 'cov.parks', ebike: 'cov.ebike', parking: 'cov.parking' };
const IDLE: Job<never> = { status: 'idle', response: null, error: null };

@customElement('zs-analysis-panel')
export class AnalysisPanel extends LitElement {
  @property() locale: Lang = 'zh';
  /** The districts coverage is reported by, and a study area can be made of. */
  @property({ attribute: false }) districts: readonly Choice[] = [];
  /** Every layer, by id and name: the buffer's choice and the study area's table. */
  @property({ attribute: false }) layers: readonly Choice[] = [];
  @property({ attribute: false }) settings: CoverageSettings | null = null;
  @property({ attribute: false }) coverage: Job<CoverageResponse> = IDLE;
  @property({ type: Boolean }) showCoverage = true;
  @property() tool: Tool = 'none';
  /** The study area's label, or null when there is none ('' for a drawn one). */
  @property({ attribute: false }) studyLabel: string | null = null;
  @property({ attribute: false }) study: Job<StudyAreaResponse> = IDLE;
  @property({ attribute: false }) measurement: Measurement | null = null;
  @property({ type: Number }) bufferRadius = 500;
  @property() bufferLayer = '';
  @property({ attribute: false }) within: Job<WithinResponse> = IDLE;
  /** The name of the feature whose popup is open (the buffer's centre), or null. */
  @property({ attribute: false }) selectionName: string | null = null;

  static override styles = [controlStyles, css`
    :host { display: block; font-size: 0.85rem; }
    h2 { font-size: 0.95rem; margin: 0.9rem 0 0.4rem; }
    h3 { font-size: 0.8rem; color: var(--zs-muted); margin: 0.7rem 0 0.3rem; font-weight: 600; }
    fieldset { border: 0; margin: 0; padding: 0; }
    legend { padding: 0; font-weight: 600; margin-bottom: 0.2rem; }
    label { display: flex; align-items: center; gap: 0.4rem; padding: 0.12rem 0; }
    input[type=number] { width: 6rem; }
    .rule { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem; margin: 0.15rem 0; }
    .big { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; margin: 0.2rem 0 0; }
    .bars { display: grid; grid-template-columns: auto 1fr auto; gap: 0.25rem 0.5rem; align-items: center; }
    .track { position: relative; height: 10px; background: var(--zs-line); border-radius: 3px; }
    .fill { position: absolute; inset: 0 auto 0 0; background: #21918c; border-radius: 3px; }
    .target { position: absolute; top: -3px; bottom: -3px; width: 0; border-left: 2px dashed var(--zs-text); }
    .target.t80 { left: 80%; }
    .target.t90 { left: 90%; border-left-style: dotted; }
    .num { font-variant-numeric: tabular-nums; text-align: right; }
    .legend { display: flex; flex-wrap: wrap; gap: 0.2rem 0.7rem; margin-top: 0.3rem; font-size: 0.75rem; }
    .sw { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; vertical-align: -0.1rem; margin-right: 0.25rem; }
    .tools { display: flex; flex-wrap: wrap; gap: 0.35rem; }
    table { border-collapse: collapse; width: 100%; margin-top: 0.3rem; }
    th, td { text-align: left; padding: 0.15rem 0.3rem 0.15rem 0; border-bottom: 1px solid var(--zs-line); font-variant-numeric: tabular-nums; }
    td.n, th.n { text-align: right; }
    .hint { background: var(--zs-demo-bg); border: 1px solid var(--zs-demo-line); padding: 0.3rem 0.5rem; border-radius: 4px; margin: 0.4rem 0 0; }
  `];

  #num(e: Event): number {
    return Number((e.target as HTMLInputElement).value);
  }

  #coverage(set: CoverageSettings) {
    const lang = this.locale;
    const job = this.coverage;
    const r = job.response && job.response.settings.kind === set.kind ? job.response.result : null;
    const cells = r ? Object.values(r.byZone).filter((z) => z.area > 0) : [];
    const below = cells.filter((z) => z.share < 0.8).length;
    return html`<h2>${t(lang, 'cov.heading')}</h2>
      <fieldset>
        <legend>${t(lang, 'cov.kind')}</legend>
        ${COVERAGE_KIND_CHOICES.map((k) => html`<label><input type="radio" name="kind" value=${k} .checked=${set.kind === k}
          @change=${() => emit(this, 'zs-coverage-settings', { kind: k })} />${t(lang, KIND_KEYS[k])}</label>`)}
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
        ${job.status === 'running' ? html`<p class="muted" id="coverage-running">${t(lang, 'cov.running')} ${this.#cancel('coverage')}</p>` : nothing}
        ${job.status === 'cancelled' ? html`<p class="muted" role="status" id="coverage-cancelled">${t(lang, 'cov.cancelled')}</p>` : nothing}
        ${job.status === 'error' ? html`<p class="error" role="alert">${t(lang, 'cov.error', { message: job.error ?? '' })}</p>` : nothing}
        ${r ? html`
          <h3>${t(lang, 'cov.city')}</h3>
          <p class="big" id="city-share" data-share=${r.total.share}>${formatPercent(lang, r.total.share)}</p>
          <p class="muted">${t(lang, 'cov.area', { area: formatArea(lang, r.total.area), covered: formatArea(lang, r.total.covered) })}</p>
          <h3>${t(lang, 'cov.byDistrict')}</h3>
          <div class="bars">${this.districts.map((d) => {
            const g = r.byGroup[d.value];
            if (!g) return nothing;
            return html`<span>${d.label}</span>
              <span class="track" role="img" aria-label=${`${d.label} ${formatPercent(lang, g.share)}`}>
                <span class="fill" style=${cssProps({ width: `${Math.min(100, g.share * 100)}%` })}></span>
                <span class="target t80"></span><span class="target t90"></span>
              </span>
              <span class="num" data-district=${d.value}>${formatPercent(lang, g.share)}</span>`;
          })}</div>
          <div class="legend"><span>┆ ${t(lang, 'cov.target80')}</span><span>⋮ ${t(lang, 'cov.target90')}</span></div>
          <h3>${t(lang, 'cov.grid')}</h3>
          <p class="muted">${t(lang, 'cov.gridSummary', { below, cells: cells.length })}</p>
          <label><input type="checkbox" .checked=${this.showCoverage} @change=${(e: Event) => emit(this, 'zs-show-coverage', { show: (e.target as HTMLInputElement).checked })} />${t(lang, 'cov.showOnMap')}</label>
          <div class="legend">
            <span><span class="sw" style=${cssProps({ background: COVERED_COLOR })}></span>${t(lang, 'cov.legend.covered')}</span>
            ${COVERAGE_CLASSES.map((c) => html`<span><span class="sw" style=${cssProps({ background: c.color })}></span>${c.label}</span>`)}
            <span><span class="sw" style=${cssProps({ background: NO_RESIDENTIAL_COLOR })}></span>${t(lang, 'cov.legend.noResidential')}</span>
          </div>
          ${job.response ? html`<p class="muted">${t(lang, 'cov.time', { ms: formatNumber(lang, job.response.ms, 0) })}</p>` : nothing}` : nothing}
      </div>`;
  }

  /** Stops a long computation: the worker is replaced, so this stops every one running. */
  #cancel(what: 'coverage' | 'study') {
    return html`<button type="button" class="cancel" data-cancel=${what} @click=${() => emit(this, 'zs-analysis-cancel', null)}>${t(this.locale, 'analysis.cancel')}</button>`;
  }

  #toolButton(tool: Tool, key: MessageKey) {
    const on = this.tool === tool;
    return html`<button type="button" aria-pressed=${on ? 'true' : 'false'} data-tool=${tool}
      @click=${() => emit(this, 'zs-tool', { tool: on ? 'none' : tool })}>${t(this.locale, key)}</button>`;
  }

  #tools() {
    const lang = this.locale;
    const tool = this.tool;
    const hint = tool === 'draw-area' || tool === 'measure-area' ? 'tools.hintDraw' : tool === 'measure-line' ? 'tools.hintLine' : tool === 'pick-cell' ? 'tools.hintPick' : null;
    const m = this.measurement;
    return html`<h2>${t(lang, 'tools.heading')}</h2>
      <div class="tools">
        ${this.#toolButton('draw-area', 'tools.drawArea')}
        ${this.#toolButton('pick-cell', 'tools.pickCell')}
        ${this.#toolButton('measure-line', 'tools.measureLine')}
        ${this.#toolButton('measure-area', 'tools.measureArea')}
      </div>
      <label>${t(lang, 'tools.district')}
        <select @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          if (v) emit(this, 'zs-study-district', { district: v });
        }}>
          <option value="">${t(lang, 'tools.districtAll')}</option>
          ${this.districts.map((d) => html`<option value=${d.value}>${d.label}</option>`)}
        </select>
      </label>
      ${hint ? html`<p class="hint" role="status">${t(lang, hint)}</p>` : nothing}
      ${m ? html`<p role="status" id="measurement">${t(lang, 'tools.measureResult', { value: m.kind === 'line' ? formatLength(lang, m.value) : formatArea(lang, m.value) })}</p>` : nothing}
      ${this.#study()}`;
  }

  #study() {
    const lang = this.locale;
    const label = this.studyLabel;
    if (label === null) return nothing;
    const job = this.study;
    const resp = job.response;
    const cov = resp?.coverage;
    return html`<section id="study" aria-live="polite">
      <h3>${t(lang, 'study.heading', { label: label || t(lang, 'study.drawn') })}</h3>
      <button type="button" @click=${() => emit(this, 'zs-study-clear', null)}>${t(lang, 'tools.clear')}</button>
      ${job.status === 'running' ? html`<p class="muted" id="study-running">${t(lang, 'study.running')} ${this.#cancel('study')}</p>` : nothing}
      ${job.status === 'cancelled' ? html`<p class="muted" role="status" id="study-cancelled">${t(lang, 'study.cancelled')}</p>` : nothing}
      ${job.status === 'error' ? html`<p class="error" role="alert">${t(lang, 'study.error', { message: job.error ?? '' })}</p>` : nothing}
      ${resp ? html`<table>
          <thead><tr><th>${t(lang, 'study.layer')}</th><th class="n">${t(lang, 'study.count')}</th><th class="n">${t(lang, 'study.area')}</th><th class="n">${t(lang, 'study.length')}</th></tr></thead>
          <tbody>${resp.layers.map((l) => html`<tr data-layer=${l.layerId}>
            <td>${this.layers.find((e) => e.value === l.layerId)?.label ?? l.layerId}</td>
            <td class="n" data-count=${l.count}>${formatNumber(lang, l.count)}</td>
            <td class="n">${l.area_m2 > 0 ? formatArea(lang, l.area_m2) : ''}</td>
            <td class="n">${l.length_m > 0 ? formatLength(lang, l.length_m) : ''}</td></tr>`)}</tbody>
        </table>
        ${cov ? html`<h3>${t(lang, 'study.coverage')}</h3>
          <table><tbody>${COVERAGE_KIND_CHOICES.map((k) => html`<tr><td>${t(lang, KIND_KEYS[k])}</td><td class="n" data-coverage=${k}>${formatPercent(lang, cov[k].share)}</td></tr>`)}</tbody></table>` : nothing}` : nothing}
    </section>`;
  }

  #buffer() {
    const lang = this.locale;
    const job = this.within;
    const resp = job.response;
    return html`<h2>${t(lang, 'buffer.heading')}</h2>
      <label>${t(lang, 'buffer.radius')} <input type="number" id="buffer-radius" min="0" step="50" .value=${String(this.bufferRadius)}
        @change=${(e: Event) => emit(this, 'zs-buffer-settings', { radius: this.#num(e) })} /></label>
      <label>${t(lang, 'buffer.layer')} <select @change=${(e: Event) => emit(this, 'zs-buffer-settings', { layer: (e.target as HTMLSelectElement).value })}>
        ${this.layers.map((l) => html`<option value=${l.value} ?selected=${l.value === this.bufferLayer}>${l.label}</option>`)}
      </select></label>
      ${this.selectionName !== null
        ? html`<button type="button" id="buffer-run" @click=${() => emit(this, 'zs-buffer-run', null)}>${t(lang, 'buffer.run', { name: this.selectionName })}</button>`
        : html`<p class="muted">${t(lang, 'buffer.hint')}</p>`}
      ${job.status === 'running' ? html`<p class="muted" role="status">${t(lang, 'buffer.running')}</p>` : nothing}
      ${job.status === 'cancelled' ? html`<p class="muted" role="status">${t(lang, 'buffer.cancelled')}</p>` : nothing}
      ${job.status === 'error' ? html`<p class="error" role="alert">${t(lang, 'buffer.error', { message: job.error ?? '' })}</p>` : nothing}
      ${resp ? html`<p role="status" id="buffer-result">${t(lang, 'buffer.result', { count: resp.hits.length, radius: resp.radius })}</p>
        <table><tbody>${resp.hits.slice(0, 200).map((h) => html`<tr><td>${h.name || h.id}</td><td class="n">${formatLength(lang, h.distance_m)}</td></tr>`)}</tbody></table>` : nothing}`;
  }

  override render() {
    const set = this.settings;
    if (!set) return nothing;
    return html`${this.#coverage(set)}${this.#tools()}${this.#buffer()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-analysis-panel': AnalysisPanel;
  }
}
