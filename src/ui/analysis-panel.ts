/**
 * The analysis tab: service-radius coverage with its settings and results against the
 * standards' targets, the planner tools (study area, grid cell, district, measuring) and
 * a buffer query around the selected feature. It renders state and emits events only;
 * the numbers come from the analysis worker through the store.
 */
import { LitElement, css, html, nothing, unsafeCSS } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { cssProps } from './css-props.ts';
import { COVERAGE_KIND_CHOICES, type CoverageKind, type CoverageSettings } from '../app/registry.ts';
import type { BelowTargetView, Job, Lang, Measurement, TableExport, Tool } from '../app/store.ts';
import type { CellRow } from '../app/coverage-cells.ts';
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
  /** The grid cells below the target, sorted as `belowTarget` says. */
  @property({ attribute: false }) cells: readonly CellRow[] = [];
  @property({ attribute: false }) belowTarget: BelowTargetView = { target: 0.8, sort: 'share', dir: 'asc' };
  /** The cell picked from the list (outlined on the map). */
  @property({ attribute: false }) coverageCell: string | null = null;
  /** The last CSV saved of the cells or the buffer's hits. */
  @property({ attribute: false }) tableExport: TableExport | null = null;
  /** The stages programme work is in (finished, in progress…), by key, for the study area's split. */
  @property({ attribute: false }) stages: readonly Choice[] = [];

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
    /* The covered land is hatched on the map (layers/analysis.ts): the same lines here. */
    .sw.hatch { background: repeating-linear-gradient(135deg, ${unsafeCSS(COVERED_COLOR)} 0 1.5px, transparent 1.5px 5.6px); box-shadow: inset 0 0 0 1px ${unsafeCSS(COVERED_COLOR)}; }
    .scroll { max-height: 15rem; overflow-y: auto; border: 1px solid var(--zs-line); border-radius: 4px; margin-top: 0.3rem; }
    .scroll table { margin-top: 0; }
    .scroll thead th { position: sticky; top: 0; background: var(--zs-bg); z-index: 1; }
    th button.sort { border: 0; background: none; padding: 0.1rem 0; font-weight: 600; color: inherit; white-space: nowrap; }
    td button.link { border: 0; background: none; padding: 0.1rem 0; color: var(--zs-accent); text-align: left; text-decoration: underline; text-underline-offset: 2px; }
    tr[aria-current=true] td { background: color-mix(in srgb, var(--zs-accent) 14%, transparent); }
    tr.stage td:first-child { padding-left: 1rem; color: var(--zs-muted); }
    /* A figure and its unit stay on one line; the names wrap instead. */
    td.n { white-space: nowrap; }
    .row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.35rem 0.6rem; margin: 0.35rem 0 0; }
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
            <span><span class="sw hatch" data-legend="covered"></span>${t(lang, 'cov.legend.covered')}</span>
            ${COVERAGE_CLASSES.map((c) => html`<span><span class="sw" data-legend="class" data-min=${c.min} style=${cssProps({ background: c.color })}></span>${c.label}</span>`)}
            <span><span class="sw" data-legend="none" style=${cssProps({ background: NO_RESIDENTIAL_COLOR })}></span>${t(lang, 'cov.legend.noResidential')}</span>
          </div>
          ${this.#belowTarget()}
          ${job.response ? html`<p class="muted">${t(lang, 'cov.time', { ms: formatNumber(lang, job.response.ms, 0) })}</p>` : nothing}` : nothing}
      </div>`;
  }

  /** The status of the last CSV of `table`: running, saved (with its file name) or failed. */
  #exportStatus(table: TableExport['table']) {
    const x = this.tableExport;
    if (!x || x.table !== table) return nothing;
    const lang = this.locale;
    if (x.status === 'error') return html`<p class="error" role="alert" data-export=${table}>${t(lang, 'table.exportFailed', { file: x.file, message: x.error ?? '' })}</p>`;
    return html`<p class="muted" role="status" data-export=${table} data-status=${x.status}>${t(lang, x.status === 'running' ? 'table.exporting' : 'table.exportDone', { file: x.file, rows: x.rows })}</p>`;
  }

  /** The cells below the target (80 % or 90 %): sortable, each zooming the map to it, exportable. */
  #belowTarget() {
    const lang = this.locale;
    const view = this.belowTarget;
    const target = formatPercent(lang, view.target, 0);
    const sortHead = (key: BelowTargetView['sort'], label: MessageKey, cls = '') => html`<th class=${cls} scope="col"
      aria-sort=${view.sort === key ? (view.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" class="sort" data-sort=${key} @click=${() => emit(this, 'zs-below-target', { sort: key })}>${t(lang, label)}${view.sort === key ? (view.dir === 'asc' ? ' ▲' : ' ▼') : ''}</button></th>`;
    const columns = (['csv.cellId', 'csv.name', 'csv.district', 'csv.residential', 'csv.covered', 'csv.share'] as const).map((k) => t(lang, k));
    return html`<h3>${t(lang, 'cov.belowHeading')}</h3>
      <div class="row" role="radiogroup" aria-label=${t(lang, 'cov.belowTarget')}>
        <span>${t(lang, 'cov.belowTarget')}</span>
        ${[0.8, 0.9].map((v) => html`<label><input type="radio" name="below-target" value=${v} .checked=${view.target === v}
          @change=${() => emit(this, 'zs-below-target', { target: v })} />${formatPercent(lang, v, 0)}</label>`)}
      </div>
      ${this.cells.length === 0
        ? html`<p class="muted" id="below-none">${t(lang, 'cov.belowNone', { target })}</p>`
        : html`<p class="muted" id="below-count" data-count=${this.cells.length}>${t(lang, 'cov.belowCount', { count: this.cells.length, target })} · ${t(lang, 'cov.belowHint')}</p>
          <div class="scroll"><table id="below-target">
            <thead><tr>${sortHead('name', 'cov.col.name')}${sortHead('district', 'cov.col.district')}${sortHead('share', 'cov.col.share', 'n')}</tr></thead>
            <tbody>${this.cells.map((c) => html`<tr data-cell=${c.id} data-share=${c.share} aria-current=${c.id === this.coverageCell ? 'true' : 'false'}>
              <td><button type="button" class="link" @click=${() => emit(this, 'zs-cell-focus', { id: c.id })}>${c.name}</button></td>
              <td>${c.districtLabel}</td>
              <td class="n">${formatPercent(lang, c.share)}</td></tr>`)}</tbody>
          </table></div>
          <div class="row"><button type="button" id="cells-export" @click=${() => emit(this, 'zs-cells-export', { columns })}>${t(lang, 'table.exportCsv')}</button></div>`}
      ${this.#exportStatus('cells')}`;
  }

  /** Stops a long computation: the worker is replaced, so this stops every one running. */
  #cancel(what: 'coverage' | 'study') {
    return html`<button type="button" class="cancel" data-cancel=${what} @click=${() => emit(this, 'zs-analysis-cancel', null)}>${t(this.locale, 'analysis.cancel')}</button>`;
  }

  #toolButton(tool: Tool, key: MessageKey) {
    const on = this.tool === tool;
    return html`<button type="button" aria-pressed=${on ? 'true' : 'false'} data-tool=${tool}
      @click=${() => {
        emit(this, 'zs-tool', { tool: on ? 'none' : tool });
        // On a phone the panel is a sheet over most of the map: fold it to draw (the figures are on the map too).
        if (!on && matchMedia('(max-width: 699px)').matches) emit(this, 'zs-panel-toggle', { open: false });
      }}>${t(this.locale, key)}</button>`;
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
      ${hint ? html`<p class="hint" role="status">${t(lang, hint)}${tool === 'pick-cell' ? nothing : html` ${t(lang, 'tools.hintEsc')}`}</p>` : nothing}
      ${m ? html`<div class="row"><p role="status" id="measurement" data-value=${m.value} data-drawing=${m.drawing ? 'true' : 'false'}>${t(lang, m.drawing ? 'tools.measuring' : 'tools.measureResult', { value: m.kind === 'line' ? formatLength(lang, m.value) : formatArea(lang, m.value) })}</p>
        ${m.drawing ? nothing : html`<button type="button" id="measure-clear" @click=${() => emit(this, 'zs-measure-clear', null)}>${t(lang, 'tools.clearMeasure')}</button>`}</div>` : nothing}
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
      ${resp ? html`<p class="muted" id="study-area" data-area=${resp.area_m2}>${t(lang, 'study.areaOf', { area: formatArea(lang, resp.area_m2) })}</p>
        <table>
          <thead><tr><th>${t(lang, 'study.layer')}</th><th class="n">${t(lang, 'study.count')}</th><th class="n">${t(lang, 'study.area')}</th><th class="n">${t(lang, 'study.length')}</th></tr></thead>
          <tbody>${resp.layers.map((l) => html`<tr data-layer=${l.layerId}>
            <td>${this.layers.find((e) => e.value === l.layerId)?.label ?? l.layerId}</td>
            <td class="n" data-count=${l.count}>${formatNumber(lang, l.count)}</td>
            <td class="n">${l.area_m2 > 0 ? formatArea(lang, l.area_m2) : ''}</td>
            <td class="n">${l.length_m > 0 ? formatLength(lang, l.length_m) : ''}</td></tr>
            ${l.byStage && l.count > 0 ? this.stages.filter((st) => l.byStage![st.value]).map((st) => {
              const x = l.byStage![st.value]!;
              return html`<tr class="stage" data-stage-of=${l.layerId} data-stage=${st.value}>
                <td>${st.label}</td>
                <td class="n" data-count=${x.count}>${formatNumber(lang, x.count)}</td>
                <td class="n">${x.area_m2 > 0 ? formatArea(lang, x.area_m2) : ''}</td>
                <td class="n">${x.length_m > 0 ? formatLength(lang, x.length_m) : ''}</td></tr>`;
            }) : nothing}`)}</tbody>
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
        ${resp.hits.length ? html`<p class="muted">${t(lang, 'buffer.hitsHint')}</p>
          <div class="scroll"><table id="buffer-hits"><tbody>${resp.hits.slice(0, 200).map((h) => html`<tr data-id=${h.id}>
            <td><button type="button" class="link" @click=${() => emit(this, 'zs-buffer-hit', { layerId: resp.layerId, id: h.id })}>${(lang === 'en' ? h.nameEn : undefined) ?? (h.name || h.id)}</button></td>
            <td class="n">${formatLength(lang, h.distance_m)}</td></tr>`)}</tbody></table></div>
          <div class="row"><button type="button" id="buffer-export" @click=${() => emit(this, 'zs-buffer-export', {
            columns: (['csv.layer', 'csv.id', 'csv.name', 'csv.distance'] as const).map((k) => t(lang, k)),
            layerName: this.layers.find((l) => l.value === resp.layerId)?.label ?? resp.layerId,
            lang,
          })}>${t(lang, 'table.exportCsv')}</button></div>` : nothing}
        ${this.#exportStatus('buffer')}` : nothing}`;
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
