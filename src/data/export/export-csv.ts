/**
 * CSV export for spreadsheets: UTF-8 with a byte-order mark so Excel reads Chinese correctly,
 * CRLF line ends and RFC 4180 quoting. One row per feature, every property a column (union of
 * all features' keys, in order of first appearance); geometry as `x`/`y` columns when every
 * geometry is a point, else as a `wkt` column. Coordinates are in the chosen CRS: 3 decimals
 * (mm) when projected, 8 (≈ 1 mm) when geographic. Null and missing values are empty cells.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import { findExportCrs, toExportCrs } from './crs-transform.ts';
import { toWkt } from './wkt.ts';

export interface CsvExportOptions {
  /** Export CRS code (see `exportCrsList`). Default EPSG:4326. */
  crs?: string;
}

const BOM = '\uFEFF';
const EOL = '\r\n';

/** `fc` (WGS84 lon/lat) as CSV bytes in `options.crs`; `fc` is not changed. */
export function exportCsv(fc: FeatureCollection, options: CsvExportOptions = {}): Uint8Array {
  return new TextEncoder().encode(csvText(fc, options));
}

/** The CSV as a string, BOM included. */
export function csvText(fc: FeatureCollection, options: CsvExportOptions = {}): string {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error('features must be a GeoJSON FeatureCollection');
  }
  const code = options.crs ?? 'EPSG:4326';
  const crs = findExportCrs(code);
  if (!crs) throw new Error(`cannot export to coordinate system ${code}`);
  const digits = crs.kind === 'projected' ? 3 : 8;
  const num = (v: number): string => formatNumber(v, digits);
  const data = toExportCrs(fc, crs.code);

  const names: string[] = [];
  const seen = new Set<string>();
  for (const f of data.features) {
    for (const k of Object.keys(f.properties ?? {})) {
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
    }
  }
  const pointsOnly = data.features.every((f) => !f.geometry || f.geometry.type === 'Point');
  const geomCols = (pointsOnly ? ['x', 'y'] : ['wkt']).map((c) => unique(c, seen));

  const rows = [[...names, ...geomCols].map(cell).join(',')];
  for (const f of data.features) {
    const props = f.properties ?? {};
    const cells = names.map((k) => cell(props[k]));
    cells.push(...geometryCells(f.geometry, pointsOnly, num).map(cell));
    rows.push(cells.join(','));
  }
  return BOM + rows.join(EOL) + EOL;
}

function geometryCells(g: Geometry | null, pointsOnly: boolean, num: (v: number) => string): (string | null)[] {
  if (pointsOnly) {
    if (!g || g.type !== 'Point' || g.coordinates.length < 2) return [null, null];
    return [num(g.coordinates[0]!), num(g.coordinates[1]!)];
  }
  return [g ? toWkt(g, num) : null];
}

/** A geometry column name that no property uses. */
function unique(name: string, taken: ReadonlySet<string>): string {
  let n = name;
  while (taken.has(n)) n = `_${n}`;
  return n;
}

/** Fixed decimals without trailing zeros (and never "-0"). */
export function formatNumber(v: number, digits: number): string {
  const s = v.toFixed(digits);
  const t = s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  return t === '-0' ? '0' : t;
}

/**
 * One RFC 4180 cell. A text value starting with `=`, `+`, `-`, `@`, tab or CR is prefixed
 * with `'` so that Excel and LibreOffice show it instead of evaluating it as a formula (CSV
 * formula injection, OWASP); numbers are written as numbers and are not guarded.
 */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'string') s = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') s = String(value);
  else s = JSON.stringify(value);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}
