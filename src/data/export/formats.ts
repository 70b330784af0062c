/**
 * The export formats, one file each, listed here; each writer is loaded on first use so the
 * app bundle does not carry FlatGeobuf, SQLite, Excel or CAD code until someone exports.
 */
import type { FeatureCollection } from 'geojson';
import type { DataMessage } from '../messages.ts';
import { exportCrsList } from './export-crs.ts';
import type { ExportLang, ExportLayerInfo } from './export-schema.ts';

export type ExportFormatId = 'geojson' | 'csv' | 'fgb' | 'gpkg' | 'shp' | 'dxf' | 'xlsx';

/** Attribute text encodings a format may be written in. */
export type TextEncodingId = 'utf-8' | 'gbk';

export interface ExportOptions {
  /** Export CRS code from `exportCrsList`. */
  crs: string;
  /** Layer name (ASCII, the layer id), for formats that store one and for file names inside a zip. */
  layerName?: string;
  /** Dataset title, for formats that store one. */
  title?: string;
  /** The catalogue's entry: column types, titles, value labels, stages. */
  layer?: ExportLayerInfo;
  /** Language of titles and labels. Default zh. */
  lang?: ExportLang;
  /** Attribute encoding, for formats with `encodings`. Default the first of them. */
  encoding?: TextEncodingId;
  /** Told what the file could not hold as it was (text the encoding lacks), so nothing is lost silently. */
  onNote?: (note: DataMessage) => void;
}

/** One file of a multi-file format (a Shapefile's .shp, .shx, .dbf, …). */
export interface ExportPart {
  name: string;
  bytes: Uint8Array;
}

export interface ExportFormat {
  readonly id: ExportFormatId;
  readonly label: { readonly zh: string; readonly en: string };
  /** File extension without the dot. */
  readonly extension: string;
  readonly mime: string;
  /** Export CRS codes this format may be written in. */
  readonly crsAllowed: readonly string[];
  /** Attribute encodings offered (the first is the default); absent: UTF-8 only. */
  readonly encodings?: readonly TextEncodingId[];
  /** Bytes of `fc` (WGS84 lon/lat) in `opts.crs`. */
  write(fc: FeatureCollection, opts: ExportOptions): Uint8Array | Promise<Uint8Array>;
  /**
   * For a format made of several files: those files, which `write` zips. A zip of several
   * layers holds them directly instead of zips inside a zip.
   */
  parts?(fc: FeatureCollection, opts: ExportOptions): Promise<ExportPart[]>;
}

const ALL_CRS = exportCrsList.map((c) => c.code);
/** Systems with an EPSG code: GIS formats declare their CRS, and GCJ-02 has none to declare. */
const EPSG_CRS = exportCrsList.filter((c) => c.epsg !== null).map((c) => c.code);
/** CAD works in metres: the Gauss–Krüger zones only. */
const PROJECTED_CRS = exportCrsList.filter((c) => c.kind === 'projected').map((c) => c.code);

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
    write: async (fc, opts) =>
      (await import('./export-csv.ts')).exportCsv(fc, { crs: opts.crs, ...(opts.layer ? { layer: opts.layer } : {}), ...(opts.lang ? { lang: opts.lang } : {}) }),
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
        ...(opts.layer ? { layer: opts.layer } : {}),
        ...(opts.lang ? { lang: opts.lang } : {}),
        ...(opts.onNote ? { onNote: opts.onNote } : {}),
      }),
  },
  {
    id: 'gpkg',
    label: { zh: 'GeoPackage（QGIS）', en: 'GeoPackage (QGIS)' },
    extension: 'gpkg',
    mime: 'application/geopackage+sqlite3',
    crsAllowed: EPSG_CRS,
    write: async (fc, opts) => (await import('./export-gpkg.ts')).exportGpkg(fc, opts),
  },
  {
    id: 'shp',
    label: { zh: 'Shapefile（zip）', en: 'Shapefile (zip)' },
    extension: 'zip',
    mime: 'application/zip',
    crsAllowed: EPSG_CRS,
    encodings: ['gbk', 'utf-8'],
    write: async (fc, opts) => (await import('./export-shp.ts')).exportShpZip(fc, opts),
    parts: async (fc, opts) => (await import('./export-shp.ts')).exportShp(fc, opts),
  },
  {
    id: 'dxf',
    label: { zh: 'DXF（CAD）', en: 'DXF (CAD)' },
    extension: 'dxf',
    mime: 'image/vnd.dxf',
    crsAllowed: PROJECTED_CRS,
    write: async (fc, opts) => (await import('./export-dxf.ts')).exportDxf(fc, opts),
  },
  {
    id: 'xlsx',
    label: { zh: 'Excel 表格（xlsx）', en: 'Excel (xlsx)' },
    extension: 'xlsx',
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    crsAllowed: ALL_CRS,
    write: async (fc, opts) => (await import('./export-xlsx.ts')).exportXlsx(fc, opts),
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
