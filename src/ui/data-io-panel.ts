/**
 * Data in and out, for staff: import files (drop them on the map or pick them here) with the
 * detected coordinate system shown and changeable, and export layers, the filtered or
 * picked features, what is in view or in the study area, in GeoJSON, CSV, FlatGeobuf,
 * GeoPackage, Shapefile (GBK or UTF-8), DXF or XLSX and in the coordinate system their GIS,
 * CAD or Amap-based tools expect (each format lists only the systems it can hold).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  EXPORT_CRS_CHOICES, EXPORT_FORMAT_CHOICES, IMPORT_ACCEPT, IMPORT_CRS_CHOICES,
  type ExportCrs, type ExportFormatId, type ExportScope, type ImportOffset, type TextEncodingId,
} from '../app/registry.ts';
import type { ExportCounts } from '../app/selectors.ts';
import type { ExportSummary, ImportSummary, Job, Lang } from '../app/store.ts';
import type { Choice } from './choice.ts';
import { describeMessage, isolate } from './data-message.ts';
import { emit } from './events.ts';
import { formatNumber, t, type MessageKey } from './i18n.ts';
import { controlStyles } from './shared-styles.ts';

const IDLE: Job<never> = { status: 'idle', response: null, error: null };
const crsLabel = (c: ExportCrs, lang: Lang): string => `${c.name[lang]} (${c.code === 'GCJ02' ? 'GCJ-02' : c.code})`;

@customElement('zs-data-io-panel')
export class DataIoPanel extends LitElement {
  @property() locale: Lang = 'zh';
  /** The layers that can be exported, by id and name. */
  @property({ attribute: false }) layers: readonly Choice[] = [];
  @property({ attribute: false }) importJob: Job<ImportSummary> = IDLE;
  @property({ attribute: false }) exportJob: Job<ExportSummary> = IDLE;
  /** The picked features' layer, or null when nothing is picked. */
  @property({ attribute: false }) pickedLayer: string | null = null;
  @property({ type: Boolean }) hasStudyArea = false;
  /** What each scope would take, to show beside it. */
  @property({ attribute: false }) counts: ExportCounts = { visible: 0, byLayer: {} };
  /** Layers whose filters are on. */
  @property({ attribute: false }) filteredLayers: readonly string[] = [];
  /** Null until the user chooses: then the picked features, else the filtered ones, else the layer. */
  @state() private scope: ExportScope | null = null;
  @state() private layerId = '';
  @state() private format: ExportFormatId = 'geojson';
  @state() private crs = 'EPSG:4326';
  @state() private measures = true;
  /** Null until chosen: then the format's first encoding. */
  @state() private encoding: TextEncodingId | null = null;
  @state() private importCrs = '';
  @state() private offset: ImportOffset | '' = '';

  static override styles = [controlStyles, css`
    :host { display: block; font-size: 0.82rem; }
    h3 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--zs-muted); margin: 0.9rem 0 0.3rem; }
    label { display: flex; align-items: center; gap: 0.4rem; margin: 0.2rem 0; flex-wrap: wrap; }
    select, input[type=file] { font: inherit; max-width: 100%; }
    button { margin-top: 0.3rem; }
    .note { color: var(--zs-muted); font-size: 0.75rem; margin: 0.2rem 0; }
    .ok { overflow-wrap: anywhere; }
    .problems { margin: 0.2rem 0; padding-left: 1.1rem; overflow-wrap: anywhere; }
    .problems li { margin: 0.15rem 0; }
    .warn { color: var(--zs-error); overflow-wrap: anywhere; }
  `];

  /** The result of a finished import: what was read, why that CRS, what is missing, and the way to take it back. */
  #imported(r: ImportSummary) {
    const lang = this.locale;
    if (r.removed) return html`<p class="note" role="status">${t(lang, 'io.removed', { file: isolate(r.fileName) })}</p>`;
    return html`<p class="ok" role="status">${t(lang, 'io.imported', { file: isolate(r.fileName), count: r.count, crs: r.crs, source: describeMessage(lang, r.crsSource) })}</p>
      ${r.crsConfidence === 'low' ? html`<p class="warn" role="alert" data-crs-overruled>${t(lang, 'io.crsOverruled')}</p>` : nothing}
      ${r.problems.length
        ? html`${r.incomplete ? html`<p class="warn" data-incomplete>${t(lang, 'io.incomplete')}</p>` : html`<p class="note">${t(lang, 'io.notes')}</p>`}
          <ul class="problems">${r.problems.map((p) => html`<li data-code=${p.code}>${describeMessage(lang, p)}</li>`)}</ul>`
        : nothing}
      ${r.incomplete
        ? html`<button type="button" id="import-remove" @click=${() => emit(this, 'zs-user-layer-remove', { layerId: r.layerId })}>${t(lang, 'io.removeImported')}</button>`
        : nothing}
      <label>${t(lang, 'io.changeCrs')}<select id="recrs" @change=${(e: Event) => emit(this, 'zs-import-recrs', { crs: (e.target as HTMLSelectElement).value })}>
        ${IMPORT_CRS_CHOICES.map((c) => html`<option value=${c.code} ?selected=${c.code === r.crs}>${crsLabel(c, lang)}</option>`)}
      </select></label>`;
  }

  #import() {
    const lang = this.locale;
    const job = this.importJob;
    const r = job.response;
    return html`<h3>${t(lang, 'io.importHeading')}</h3>
      <label>${t(lang, 'io.pick')}<input type="file" id="import-file" multiple accept=${IMPORT_ACCEPT}
        @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          const files = [...(input.files ?? [])];
          input.value = '';
          if (files.length) emit(this, 'zs-import-files', { files, crs: this.importCrs || null, offset: this.offset || null });
        }} /></label>
      <p class="note">${t(lang, 'io.dropHint')}</p>
      <label>${t(lang, 'io.importCrs')}<select id="import-crs" @change=${(e: Event) => (this.importCrs = (e.target as HTMLSelectElement).value)}>
        <option value="">${t(lang, 'io.auto')}</option>
        ${IMPORT_CRS_CHOICES.map((c) => html`<option value=${c.code}>${crsLabel(c, lang)}</option>`)}
      </select></label>
      <label>${t(lang, 'io.offset')}<select id="import-offset" @change=${(e: Event) => (this.offset = (e.target as HTMLSelectElement).value as ImportOffset | '')}>
        <option value="">${t(lang, 'io.offset.none')}</option>
        <option value="gcj02">${t(lang, 'io.offset.gcj02')}</option>
        <option value="bd09">${t(lang, 'io.offset.bd09')}</option>
      </select></label>
      <div aria-live="polite" id="import-status" data-status=${job.status}>
        ${job.status === 'running' ? html`<p class="note">${t(lang, 'io.importing')} <button type="button" id="import-cancel" @click=${() => emit(this, 'zs-import-cancel', null)}>${t(lang, 'io.importCancel')}</button></p>` : nothing}
        ${job.status === 'cancelled' ? html`<p class="note" role="status">${t(lang, 'io.importCancelled', { file: isolate(job.what ?? '') })}</p>` : nothing}
        ${job.status === 'error' ? html`<p class="error" role="alert">${t(lang, 'io.importFailed', { message: job.errorDetail ? describeMessage(lang, job.errorDetail) : job.error ?? '' })}</p>` : nothing}
        ${job.status === 'done' && r ? this.#imported(r) : nothing}
      </div>`;
  }

  #exportStatus() {
    const lang = this.locale;
    const job = this.exportJob;
    const r = job.response;
    let text: unknown = nothing;
    if (job.status === 'running') text = html`<p class="note">${t(lang, 'io.exporting', { what: job.what ?? '' })} <button type="button" id="export-cancel" @click=${() => emit(this, 'zs-export-cancel', null)}>${t(lang, 'io.exportCancel')}</button></p>`;
    else if (job.status === 'cancelled') text = html`<p class="note" role="status">${t(lang, 'io.exportCancelled')}</p>`;
    else if (job.status === 'error') text = html`<p class="error" role="alert">${t(lang, 'io.exportFailed', { message: job.errorDetail ? describeMessage(lang, job.errorDetail) : job.error ?? '' })}</p>`;
    else if (job.status === 'done' && r) {
      text = r.count === 0
        ? html`<p class="note" role="status">${t(lang, 'io.exportEmpty')}</p>`
        : r.layers && r.files.length === 1
          ? html`<p class="ok" role="status">${t(lang, 'io.exportDoneZip', { file: isolate(r.files[0]!), layers: r.layers, count: r.count })}</p>`
        : r.files.length === 1
          ? html`<p class="ok" role="status">${t(lang, 'io.exportDone', { file: isolate(r.files[0]!), count: r.count })}</p>`
          : html`<p class="ok" role="status">${t(lang, 'io.exportDoneMany', { count: r.count, files: r.files.length, names: r.files.map(isolate).join(', ') })}</p>`;
      if (r.notes?.length) text = html`${text}<ul class="problems" id="export-notes">${r.notes.map((n) => html`<li data-code=${n.code}>${describeMessage(lang, n)}</li>`)}</ul>`;
    }
    return html`<div aria-live="polite" id="export-status" data-status=${job.status}>${text}</div>`;
  }

  #export() {
    const lang = this.locale;
    const format = EXPORT_FORMAT_CHOICES.find((f) => f.id === this.format) ?? EXPORT_FORMAT_CHOICES[0]!;
    const single = format.crsAllowed.length === 1;
    const crs = format.crsAllowed.includes(this.crs) ? this.crs : format.crsAllowed[0]!;
    const encodings = format.encodings;
    const encoding = encodings ? (this.encoding && encodings.includes(this.encoding) ? this.encoding : encodings[0]!) : undefined;
    const chosenLayer = this.layerId || this.pickedLayer || this.filteredLayers[0] || this.layers[0]?.value || '';
    const scope: ExportScope = this.scope ?? (this.pickedLayer !== null ? 'picked' : this.filteredLayers.includes(chosenLayer) ? 'filtered' : 'layer');
    const layerId = scope === 'picked' && this.pickedLayer ? this.pickedLayer : chosenLayer;
    const c = this.counts.byLayer[layerId];
    const n = (x: number | null | undefined): string => (x === null || x === undefined ? '' : ` (${formatNumber(lang, x)})`);
    const scopes: { id: ExportScope; key: MessageKey; enabled: boolean; count: string }[] = [
      { id: 'layer', key: 'io.scope.layer', enabled: true, count: n(c?.layer) },
      { id: 'visible', key: 'io.scope.visible', enabled: true, count: n(this.counts.visible) },
      { id: 'filtered', key: 'io.scope.filtered', enabled: true, count: n(c?.filtered) },
      { id: 'picked', key: 'io.scope.picked', enabled: this.pickedLayer !== null, count: n(this.pickedLayer ? this.counts.byLayer[this.pickedLayer]?.picked : null) },
      { id: 'view', key: 'io.scope.view', enabled: true, count: c?.view === null || c?.view === undefined ? '' : ` (${t(lang, 'io.about', { count: formatNumber(lang, c.view) })})` },
      { id: 'study', key: 'io.scope.study', enabled: this.hasStudyArea, count: n(c?.study) },
    ];
    return html`<h3>${t(lang, 'io.exportHeading')}</h3>
      <label>${t(lang, 'io.scope')}<select id="export-scope" @change=${(e: Event) => (this.scope = (e.target as HTMLSelectElement).value as ExportScope)}>
        ${scopes.map((o) => html`<option value=${o.id} ?disabled=${!o.enabled} ?selected=${o.id === scope}>${t(lang, o.key)}${o.count}</option>`)}
      </select></label>
      <label>${t(lang, 'io.layer')}<select id="export-layer" ?disabled=${scope === 'picked' || scope === 'visible'} @change=${(e: Event) => (this.layerId = (e.target as HTMLSelectElement).value)}>
        ${this.layers.map((l) => html`<option value=${l.value} ?selected=${l.value === layerId}>${l.label}</option>`)}
      </select></label>
      <label>${t(lang, 'io.format')}<select id="export-format" @change=${(e: Event) => (this.format = (e.target as HTMLSelectElement).value as ExportFormatId)}>
        ${EXPORT_FORMAT_CHOICES.map((f) => html`<option value=${f.id} ?selected=${f.id === this.format}>${f.label[lang]}</option>`)}
      </select></label>
      <label>${t(lang, 'io.crs')}<select id="export-crs" ?disabled=${single} @change=${(e: Event) => (this.crs = (e.target as HTMLSelectElement).value)}>
        ${EXPORT_CRS_CHOICES.filter((c) => format.crsAllowed.includes(c.code)).map((c) => html`<option value=${c.code} ?selected=${crs === c.code}>${crsLabel(c, lang)}</option>`)}
      </select></label>
      ${encodings ? html`<label>${t(lang, 'io.encoding')}<select id="export-encoding" @change=${(e: Event) => (this.encoding = (e.target as HTMLSelectElement).value as TextEncodingId)}>
        ${encodings.map((x) => html`<option value=${x} ?selected=${x === encoding}>${t(lang, `io.encoding.${x}`)}</option>`)}
      </select></label>` : nothing}
      ${format.id === 'geojson' ? html`<p class="note">${t(lang, 'io.geojsonWgs84')}</p>` : nothing}
      ${format.id === 'shp' ? html`<p class="note">${t(lang, 'io.shpNote')}</p>` : nothing}
      ${format.id === 'dxf' ? html`<p class="note">${t(lang, 'io.dxfNote')}</p>` : nothing}
      ${crs === 'GCJ02' ? html`<p class="note" role="note">${t(lang, 'io.gcjWarning')}</p>` : nothing}
      ${format.id === 'dxf' ? nothing /* a drawing has no attribute table for them */ : html`<label><input type="checkbox" .checked=${this.measures} @change=${(e: Event) => (this.measures = (e.target as HTMLInputElement).checked)} />${t(lang, 'io.measures')}</label>`}
      <button type="button" class="primary" id="export-run" ?disabled=${this.exportJob.status === 'running'}
        @click=${() => emit(this, 'zs-export', { scope, layerId, format: format.id, crs, measures: this.measures && format.id !== 'dxf', ...(encoding ? { encoding } : {}) })}>${t(lang, 'io.export')}</button>
      ${this.#exportStatus()}`;
  }

  override render() {
    // Export first: staff come here to take data out more often than to bring it in.
    return html`${this.#export()}${this.#import()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-data-io-panel': DataIoPanel;
  }
}
