/**
 * Saves the analysis and planning panels' tables for a spreadsheet: the grid cells below the
 * coverage target, the features a buffer query found, a scenario's grid cells before and
 * after. The rows are the ones the panel lists, in its order. They are small (at most a few
 * thousand rows), so they are written here rather than in an io worker. CSV is UTF-8 with a
 * byte-order mark (Excel then reads Chinese correctly), CRLF and RFC 4180 quoting, by the
 * exporter's own cell writer; XLSX is one sheet with numbers as numbers, by the XLSX
 * exporter. Either writer loads on first use. The result, a file name or what went wrong, is the store's
 * `tableExport`, which the panel shows.
 */
import type { Selectors } from '../selectors.ts';
import { valueText } from '../../geo/value-text.ts';
import type { Lang, Store, TableExport } from '../store.ts';

export interface TableExportDeps {
  selectors: Pick<Selectors, 'belowTarget'>;
  download(blob: Blob, fileName: string): void;
  now?: () => Date;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Rounded for a spreadsheet: areas to 0.1 m², distances to 0.1 m, shares as a percentage to 0.01. */
const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** A table's file: CSV, or a sheet for Excel and WPS. */
export type TableFormat = 'csv' | 'xlsx';

export class TableExportController {
  readonly #store: Store;
  readonly #deps: TableExportDeps;

  constructor(store: Store, deps: TableExportDeps) {
    this.#store = store;
    this.#deps = deps;
  }

  dispose(): void {}

  /** The local calendar day, as every export names its file (in Zhoushan the UTC day starts at 08:00). */
  #day(): string {
    const d = this.#deps.now?.() ?? new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }

  /**
   * The cells below target: id, name, district, residential m², covered m², share (%).
   * `columns` are the six headings in the UI's language.
   */
  exportCells(columns: readonly string[]): Promise<void> {
    const s = this.#store.state;
    const rows = this.#deps.selectors.belowTarget(s).map((c) => [c.id, c.name, c.districtLabel, round(c.area, 1), round(c.covered, 1), round(c.share * 100, 2)]);
    const file = `grid-below-${Math.round(s.belowTarget.target * 100)}pct-${s.coverageSettings.kind}-${this.#day()}.csv`;
    return this.#write('cells', file, columns, rows);
  }

  /**
   * The active scenario's grid cells before and after: id, name, district, residential m²,
   * today (%), scenario (%), change (points). `columns` are the seven headings in the UI's
   * language; `lang` picks the cell names; `title` names the sheet of an XLSX.
   */
  exportGains(columns: readonly string[], lang: Lang = 'zh', format: TableFormat = 'csv', title = 'grid'): Promise<void> {
    const s = this.#store.state;
    const r = s.planning.coverage.response;
    const zones = s.catalogue?.analysis?.zones;
    const field = s.catalogue?.analysis?.districtField ?? 'district';
    const entry = s.catalogue?.layers.find((l) => l.id === zones);
    const districtLabels = new Map((entry?.fields.find((f) => f.name === field)?.values ?? []).map((v) => [String(v.value), v.label[lang]]));
    const props = new Map((zones ? s.data[zones]?.features ?? [] : []).map((f) => [String(f.properties?.id), f.properties ?? {}]));
    const rows = (r && r.scenarioId === s.scenarioId ? r.zones : []).filter((z) => z.area > 0).map((z) => {
      const p: Record<string, unknown> = props.get(z.id) ?? {};
      const name: unknown = (lang === 'en' ? p.name_en : undefined) ?? p.name ?? z.id;
      const district = valueText(p[field]);
      return [z.id, typeof name === 'string' ? name : z.id, districtLabels.get(district) ?? district, round(z.area, 1), round(z.before * 100, 2), round(z.after * 100, 2), round((z.after - z.before) * 100, 2)];
    });
    const file = `grid-before-after-${r?.kind ?? 'scenario'}-${this.#day()}.${format}`;
    return format === 'xlsx' ? this.#write('gains', file, columns, rows, title) : this.#write('gains', file, columns, rows);
  }

  /** The buffer query's hits: layer, id, name (in `lang`), distance (m). `columns` are the four headings in the UI's language. */
  exportBufferHits(columns: readonly string[], layerName: string, lang: Lang = 'zh'): Promise<void> {
    const r = this.#store.state.within.response;
    const rows = (r?.hits ?? []).map((h) => [layerName, h.id, (lang === 'en' ? h.nameEn : undefined) ?? h.name, round(h.distance_m, 1)]);
    const file = `buffer-${r?.layerId ?? 'hits'}-${r?.radius ?? 0}m-${this.#day()}.csv`;
    return this.#write('buffer', file, columns, rows);
  }

  /** Writes a CSV, or with a sheet title an XLSX. */
  async #write(table: TableExport['table'], file: string, columns: readonly string[], rows: readonly unknown[][], sheet?: string): Promise<void> {
    const job = { table, file, rows: rows.length, error: null };
    this.#store.setTableExport({ ...job, status: 'running' });
    try {
      if (sheet === undefined) {
        const { cell } = await import('../../data/export/export-csv.ts');
        const text = '\uFEFF' + [columns, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
        this.#deps.download(new Blob([text], { type: 'text/csv;charset=utf-8' }), file);
      } else {
        const { exportTableXlsx } = await import('../../data/export/export-xlsx.ts');
        const bytes = await exportTableXlsx(sheet, columns, rows);
        this.#deps.download(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), file);
      }
      this.#store.setTableExport({ ...job, status: 'done' });
    } catch (err) {
      this.#store.setTableExport({ ...job, status: 'error', error: message(err) });
    }
  }
}
