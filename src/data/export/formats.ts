/**
 * The export formats, one file each, listed here; each writer is loaded on first use so the
 * app bundle does not carry FlatGeobuf or CSV code until someone exports.
 */
import type { FeatureCollection } from 'geojson';
import { exportCrsList } from './export-crs.ts';

export type ExportFormatId = 'geojson' | 'csv' | 'fgb';

interface ExportOptions {
  /** Export CRS code from `exportCrsList`. */
  crs: string;
  /** Layer name, for formats that store one. */
  layerName?: string;
  /** Dataset title, for formats that store one. */
  title?: string;
}

export interface ExportFormat {
  readonly id: ExportFormatId;
  readonly label: { readonly zh: string; readonly en: string };
  /** File extension without the dot. */
  readonly extension: string;
  readonly mime: string;
  /** Export CRS codes this format may be written in. */
  readonly crsAllowed: readonly string[];
  /** Bytes of `fc` (WGS84 lon/lat) in `opts.crs`. */
  write(fc: FeatureCollection, opts: ExportOptions): Uint8Array | Promise<Uint8Array>;
}

const ALL_CRS = exportCrsList.map((c) => c.code);

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  {
    id: 'geojson',
    label: { zh: 'GeoJSON', en: 'GeoJSON' },
    extension: 'geojson',
    mime: 'application/geo+json',
    crsAllowed: ['EPSG:4326'],
    write: async (fc, opts) => (await import('./export-geojson.ts')).exportGeojson(fc, { crs: opts.crs }),
  },
  {
    id: 'csv',
    label: { zh: 'CSV 表格（Excel）', en: 'CSV (Excel)' },
    extension: 'csv',
    mime: 'text/csv;charset=utf-8',
    crsAllowed: ALL_CRS,
    write: async (fc, opts) => (await import('./export-csv.ts')).exportCsv(fc, { crs: opts.crs }),
  },
  {
    id: 'fgb',
    label: { zh: 'FlatGeobuf', en: 'FlatGeobuf' },
    extension: 'fgb',
    mime: 'application/flatgeobuf',
    crsAllowed: ALL_CRS,
    write: async (fc, opts) =>
      (await import('./export-fgb.ts')).exportFgb(fc, {
        crs: opts.crs,
        ...(opts.layerName !== undefined ? { layerName: opts.layerName } : {}),
        ...(opts.title !== undefined ? { title: opts.title } : {}),
      }),
  },
];

export function findExportFormat(id: string): ExportFormat | undefined {
  return EXPORT_FORMATS.find((f) => f.id === id.trim().toLowerCase());
}

/**
 * A file name like `idle-plots_2024-06-30_EPSG-4550.fgb`: only ASCII letters, digits, `.`,
 * `_` and `-`, so it survives every file system and download header. A Date gives its local
 * calendar day.
 */
export function exportFileName(layerId: string, date: Date | string, crs: string, ext: string): string {
  const day = typeof date === 'string' ? date : localDay(date);
  const safe = (s: string): string =>
    s
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9.-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '');
  const parts = [safe(layerId) || 'layer', safe(day), safe(crs)].filter((p) => p !== '');
  const extension = safe(ext.replace(/^\./, '')) || 'dat';
  return `${parts.join('_')}.${extension}`;
}

function localDay(d: Date): string {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new Error('date must be a valid Date');
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
