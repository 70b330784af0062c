/**
 * CSV export for spreadsheets: UTF-8 with a byte-order mark so Excel reads Chinese correctly,
 * CRLF line ends and RFC 4180 quoting. One row per feature, every property a column (union of
 * all features' keys, in order of first appearance); geometry as `x`/`y` columns when every
 * geometry is a point, else as a `wkt` column. Coordinates are in the chosen CRS: 3 decimals
 * (mm) when projected, 8 (≈ 1 mm) when geographic. Null and missing values are empty cells.
 * A field whose values the catalogue labels ("upgrading" → "提升中") keeps its codes and gets
 * a `<field>_label` column beside it with the labels in the export's language.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import { findExportCrs, toExportCrs } from './crs-transform.ts';
import { toWkt } from './wkt.ts';
import { ownValue } from '../../geo/own-value.ts';
import { asText, exportColumns, type ExportLang, type ExportLayerInfo } from './export-schema.ts';

export interface CsvExportOptions {
  /** Export CRS code (see `exportCrsList`). Default EPSG:4326. */
  crs?: string;
  /** The catalogue's entry: the value labels. */
  layer?: ExportLayerInfo;
  /** Language of the labels. Default zh. */
  lang?: ExportLang;
}

type Props = Readonly<Record<string, unknown>>;

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
  const labelled = new Map(exportColumns(fc, options.layer, options.lang).flatMap((c) => (c.labels ? [[c.name, c.labels] as const] : [])));
  // Each labelled field is followed by its labels' column.
  const columns = names.flatMap((k) => {
    const labels = labelled.get(k);
    if (!labels) return [{ header: k, value: (p: Props) => ownValue(p, k) }];
    const header = unique(`${k}_label`, seen);
    seen.add(header);
    return [
      { header: k, value: (p: Props) => ownValue(p, k) },
      {
        header,
        value: (p: Props) => {
          const v = ownValue(p, k);
          return v === null || v === undefined ? v : (labels.get(asText(v)) ?? v);
        },
      },
    ];
  });
  const pointsOnly = data.features.every((f) => !f.geometry || f.geometry.type === 'Point');
  const geomCols = (pointsOnly ? ['x', 'y'] : ['wkt']).map((c) => unique(c, seen));

  const rows = [[...columns.map((c) => c.header), ...geomCols].map(cell).join(',')];
  for (const f of data.features) {
    const props = f.properties ?? {};
    const cells = columns.map((c) => cell(c.value(props)));
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

/** Text a spreadsheet would start evaluating as a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number, which a spreadsheet reads as that number and nothing else. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** C0 controls and DEL: legal inside a quoted cell, but a bare one confuses readers. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point: cells holding them get quoted
const CONTROL = /[\u0000-\u001f\u007f]/;

const guard = (s: string): string => (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s);

/**
 * One RFC 4180 cell.
 *
 * Staff open exports in Excel and WPS, and the text comes from imported files, so a cell
 * starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`, as OWASP advises: the
 * spreadsheet then shows the text instead of running it (`=HYPERLINK(…)` leaking data,
 * `=cmd|…` DDE). The prefix changes the text, which is why it is applied only where it is
 * needed: numbers, and text that is just a number such as "-12.5", cannot be formulas and
 * are written unchanged, so they stay numbers in the sheet. Keys go through here too.
 *
 * Cells with quotes, commas, line breaks, other control characters or outer spaces are
 * quoted. Nothing else is changed or dropped; a lone surrogate becomes U+FFFD only when the
 * text is encoded as UTF-8, which cannot hold it.
 */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'string') s = guard(value);
  // -Infinity would reach the sheet as a formula; it is text here.
  else if (typeof value === 'number') s = Number.isFinite(value) ? String(value) : guard(String(value));
  else if (typeof value === 'boolean' || typeof value === 'bigint') s = String(value);
  else s = JSON.stringify(value);
  return /[",]/.test(s) || CONTROL.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}
