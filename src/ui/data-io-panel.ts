/**
 * Data in and out, for staff: import files (drop them on the map or pick them here) with the
 * detected coordinate system shown and changeable, and export layers, the filtered or
 * picked features, what is in view or in the study area, in GeoJSON, CSV or FlatGeobuf and
 * in the coordinate system their GIS, CAD or Amap-based tools expect.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AppState } from '../app/store.ts';
import { emit } from './events.ts';
import { t, type MessageKey } from './i18n.ts';

export type ExportScope = 'layer' | 'visible' | 'filtered' | 'picked' | 'view' | 'study';
export interface ExportRequest {
  scope: ExportScope;
  layerId: string;
  format: 'geojson' | 'csv' | 'fgb';
  crs: string;
  measures: boolean;
}

const CRS_OPTIONS: { code: string; key: MessageKey }[] = [
  { code: 'EPSG:4326', key: 'io.crs.4326' },
  { code: 'EPSG:4490', key: 'io.crs.4490' },
  { code: 'EPSG:4550', key: 'io.crs.4550' },
  { code: 'EPSG:4529', key: 'io.crs.4529' },
  { code: 'EPSG:4549', key: 'io.crs.4549' },
  { code: 'EPSG:4528', key: 'io.crs.4528' },
  { code: 'GCJ02', key: 'io.crs.gcj02' },
];

/**
 * A file name set off from the sentence around it (FSI … PDI), so right-to-left or override
 * characters in the name (`\u202e`, used to disguise extensions) cannot reorder the words
 * after it.
 */
const isolate = (s: string): string => `\u2068${s}\u2069`;

@customElement('zs-data-io-panel')
export class DataIoPanel extends LitElement {
  @property({ attribute: false }) state: AppState | null = null;
  @state() private scope: ExportScope = 'layer';
  @state() private layerId = 'idle-plots';
  @state() private format: ExportRequest['format'] = 'geojson';
  @state() private crs = 'EPSG:4326';
  @state() private measures = true;
  @state() private importCrs = '';
  @state() private offset = '';

  static override styles = css`
    :host { display: block; font-size: 0.82rem; }
    h3 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--zs-muted); margin: 0.9rem 0 0.3rem; }
    label { display: flex; align-items: center; gap: 0.4rem; margin: 0.2rem 0; flex-wrap: wrap; }
    select, input[type=file] { font: inherit; max-width: 100%; }
    select { padding: 0.15rem 0.3rem; border: 1px solid var(--zs-line); border-radius: 4px; background: var(--zs-bg); color: var(--zs-text); }
    button { font: inherit; border: 1px solid var(--zs-accent); background: var(--zs-accent); color: #fff; border-radius: 4px; padding: 0.3rem 0.7rem; cursor: pointer; margin-top: 0.3rem; }
    button.plain { background: var(--zs-bg); color: var(--zs-text); border-color: var(--zs-line); }
    .note { color: var(--zs-muted); font-size: 0.75rem; margin: 0.2rem 0; }
    .error { color: var(--zs-error); overflow-wrap: anywhere; }
    .ok { overflow-wrap: anywhere; }
    :focus-visible { outline: 2px solid var(--zs-accent); outline-offset: 2px; }
  `;

  #import(s: AppState) {
    const lang = s.lang;
    const job = s.importJob;
    const r = job.response;
    return html`<h3>${t(lang, 'io.importHeading')}</h3>
      <label>${t(lang, 'io.pick')}<input type="file" id="import-file" multiple accept=".geojson,.json,.fgb,.csv,.kml,.zip"
        @change=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          const files = [...(input.files ?? [])];
          input.value = '';
          if (files.length) emit(this, 'zs-import-files', { files, crs: this.importCrs || null, offset: this.offset || null });
        }} /></label>
      <p class="note">${t(lang, 'io.dropHint')}</p>
      <label>${t(lang, 'io.importCrs')}<select id="import-crs" @change=${(e: Event) => (this.importCrs = (e.target as HTMLSelectElement).value)}>
        <option value="">${t(lang, 'io.auto')}</option>
        ${CRS_OPTIONS.filter((o) => o.code !== 'GCJ02').map((o) => html`<option value=${o.code}>${t(lang, o.key)}</option>`)}
      </select></label>
      <label>${t(lang, 'io.offset')}<select id="import-offset" @change=${(e: Event) => (this.offset = (e.target as HTMLSelectElement).value)}>
        <option value="">${t(lang, 'io.offset.none')}</option>
        <option value="gcj02">${t(lang, 'io.offset.gcj02')}</option>
        <option value="bd09">${t(lang, 'io.offset.bd09')}</option>
      </select></label>
      <div aria-live="polite" id="import-status">
        ${job.status === 'running' ? html`<p class="note">${t(lang, 'io.importing')}</p>` : nothing}
        ${job.status === 'error' ? html`<p class="error" role="alert">${job.error}</p>` : nothing}
        ${job.status === 'done' && r ? html`<p class="ok" role="status">${t(lang, 'io.imported', { file: isolate(r.fileName), count: r.count, crs: r.crs, source: r.crsSource })}</p>
          ${r.skipped ? html`<p class="error">${t(lang, 'io.skipped', { count: r.skipped })} ${r.problems.slice(0, 3).join('; ')}</p>` : nothing}
          <label>${t(lang, 'io.changeCrs')}<select id="recrs" @change=${(e: Event) => emit(this, 'zs-import-recrs', { crs: (e.target as HTMLSelectElement).value })}>
            ${CRS_OPTIONS.filter((o) => o.code !== 'GCJ02').map((o) => html`<option value=${o.code} ?selected=${o.code === r.crs}>${t(lang, o.key)}</option>`)}
          </select></label>` : nothing}
      </div>`;
  }

  #export(s: AppState) {
    const lang = s.lang;
    const layers = s.catalogue?.layers ?? [];
    const geojson = this.format === 'geojson';
    const scopes: { id: ExportScope; key: MessageKey; enabled: boolean }[] = [
      { id: 'layer', key: 'io.scope.layer', enabled: true },
      { id: 'visible', key: 'io.scope.visible', enabled: true },
      { id: 'filtered', key: 'io.scope.filtered', enabled: true },
      { id: 'picked', key: 'io.scope.picked', enabled: s.picked !== null },
      { id: 'view', key: 'io.scope.view', enabled: true },
      { id: 'study', key: 'io.scope.study', enabled: s.studyArea !== null },
    ];
    const layerId = this.scope === 'picked' && s.picked ? s.picked.layerId : this.layerId;
    return html`<h3>${t(lang, 'io.exportHeading')}</h3>
      <label>${t(lang, 'io.scope')}<select id="export-scope" @change=${(e: Event) => (this.scope = (e.target as HTMLSelectElement).value as ExportScope)}>
        ${scopes.map((o) => html`<option value=${o.id} ?disabled=${!o.enabled} ?selected=${o.id === this.scope}>${t(lang, o.key)}</option>`)}
      </select></label>
      <label>${t(lang, 'io.layer')}<select id="export-layer" ?disabled=${this.scope === 'picked' || this.scope === 'visible'} @change=${(e: Event) => (this.layerId = (e.target as HTMLSelectElement).value)}>
        ${layers.map((l) => html`<option value=${l.id} ?selected=${l.id === layerId}>${l.name[lang]}</option>`)}
      </select></label>
      <label>${t(lang, 'io.format')}<select id="export-format" @change=${(e: Event) => (this.format = (e.target as HTMLSelectElement).value as ExportRequest['format'])}>
        <option value="geojson">GeoJSON</option><option value="csv">CSV</option><option value="fgb">FlatGeobuf</option>
      </select></label>
      <label>${t(lang, 'io.crs')}<select id="export-crs" ?disabled=${geojson} @change=${(e: Event) => (this.crs = (e.target as HTMLSelectElement).value)}>
        ${CRS_OPTIONS.map((o) => html`<option value=${o.code} ?selected=${(geojson ? 'EPSG:4326' : this.crs) === o.code}>${t(lang, o.key)}</option>`)}
      </select></label>
      ${geojson ? html`<p class="note">${t(lang, 'io.geojsonWgs84')}</p>` : nothing}
      ${!geojson && this.crs === 'GCJ02' ? html`<p class="note" role="note">${t(lang, 'io.gcjWarning')}</p>` : nothing}
      <label><input type="checkbox" .checked=${this.measures} @change=${(e: Event) => (this.measures = (e.target as HTMLInputElement).checked)} />${t(lang, 'io.measures')}</label>
      <button type="button" id="export-run" @click=${() => emit(this, 'zs-export', { scope: this.scope, layerId, format: this.format, crs: geojson ? 'EPSG:4326' : this.crs, measures: this.measures })}>${t(lang, 'io.export')}</button>`;
  }

  override render() {
    const s = this.state;
    if (!s) return nothing;
    return html`${this.#import(s)}${this.#export(s)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-data-io-panel': DataIoPanel;
  }
}
