/**
 * XLSX export for Excel and WPS, written with write-excel-file:
 * - a header row with the catalogue's column titles in the UI language (units in brackets);
 * - coded values twice: the label ("提升中") in the titled column and the code
 *   ("upgrading") in a column of its own beside it, so a sheet reads well and still sorts
 *   and joins on the codes;
 * - numbers as numbers, dates as dates (YYYY-MM-DD), flags as TRUE/FALSE;
 * - x/y columns when every feature is a point, else the geometry as WKT, in the chosen CRS
 *   (3 decimals in metres, 8 in degrees, as the CSV);
 * - a second sheet listing each column's field name, title, type and unit.
 */
import writeXlsxFile from 'write-excel-file/universal';
import type { Cell, Feature, Row } from 'write-excel-file/universal';
import type { FeatureCollection, Geometry } from 'geojson';
import { findExportCrs, toExportCrs } from './crs-transform.ts';
import { formatNumber } from './export-csv.ts';
import { asText, exportColumns, toDate, type ColumnKind, type ExportColumn, type ExportLang, type ExportLayerInfo } from './export-schema.ts';
import { toWkt } from './wkt.ts';
import { ownValue } from '../../geo/own-value.ts';

export interface XlsxExportOptions {
  /** Export CRS code (see `exportCrsList`). Default EPSG:4326. */
  crs?: string;
  /** Sheet name (the layer's title). Default "layer". */
  title?: string;
  /** The catalogue's entry: titles, types and value labels. */
  layer?: ExportLayerInfo;
  /** Language of titles and labels. Default zh. */
  lang?: ExportLang;
}

/**
 * write-excel-file numbers its own number formats from 100, but ECMA-376 keeps ids below 164
 * for built-in formats: Excel copes, stricter readers (GDAL) then do not see a date format
 * and read dates as numbers. Moving them to 164 on is what the standard asks. Format codes
 * are upper case for the same readers ("YYYY-MM-DD"; Excel does not mind the case).
 */
const CUSTOM_FORMAT_IDS: Feature<Blob> = {
  files: {
    transform: {
      'xl/styles.xml': {
        transform: (xml: string) => xml.replace(/numFmtId="(\d+)"/g, (m: string, id: string) => (Number(id) >= 100 && Number(id) < 164 ? `numFmtId="${Number(id) + 64}"` : m)),
      },
    },
  },
};

/** Excel's limit for one cell's text. */
const MAX_CELL_TEXT = 32767;

const WORDS = {
  zh: { code: '代码', lon: '经度', lat: '纬度', x: 'X（东）', y: 'Y（北）', wkt: '几何（WKT）', fields: '字段说明', field: '字段名', title: '标题', type: '类型', unit: '单位', values: '取值' },
  en: { code: 'code', lon: 'Longitude', lat: 'Latitude', x: 'X (east)', y: 'Y (north)', wkt: 'Geometry (WKT)', fields: 'Fields', field: 'Field', title: 'Title', type: 'Type', unit: 'Unit', values: 'Values' },
} as const;

const KIND_WORD: Record<ExportLang, Record<ColumnKind, string>> = {
  zh: { string: '文本', integer: '整数', number: '数值', boolean: '是/否', date: '日期', datetime: '日期时间', json: 'JSON' },
  en: { string: 'text', integer: 'integer', number: 'number', boolean: 'yes/no', date: 'date', datetime: 'date and time', json: 'JSON' },
};

/** `fc` (WGS84 lon/lat) as XLSX bytes in `options.crs`; `fc` is not changed. */
export async function exportXlsx(fc: FeatureCollection, options: XlsxExportOptions = {}): Promise<Uint8Array> {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error('features must be a GeoJSON FeatureCollection');
  }
  const code = options.crs ?? 'EPSG:4326';
  const crs = findExportCrs(code);
  if (!crs) throw new Error(`cannot export to coordinate system ${code}`);
  const lang = options.lang ?? 'zh';
  const w = WORDS[lang];
  const data = toExportCrs(fc, crs.code);
  const columns = exportColumns(fc, options.layer, lang);
  const projected = crs.kind === 'projected';
  const num = (v: number): number => Number(formatNumber(v, projected ? 3 : 8));
  const pointsOnly = data.features.length > 0 && data.features.every((f) => !f.geometry || f.geometry.type === 'Point');

  const bold = (value: string): Cell => ({ value, fontWeight: 'bold' });
  const headed = (c: ExportColumn): string => (c.unit ? `${c.title} (${c.unit})` : c.title);
  const header: Row = columns.flatMap((c) => (c.labels ? [bold(headed(c)), bold(`${c.title} (${w.code})`)] : [bold(headed(c))]));
  header.push(...(pointsOnly ? [bold(projected ? w.x : w.lon), bold(projected ? w.y : w.lat)] : [bold(w.wkt)]));

  const rows: Row[] = [header];
  for (const f of data.features) {
    const row: Row = [];
    for (const c of columns) {
      const v = ownValue(f.properties, c.name);
      if (c.labels) {
        const codeText = asText(v);
        row.push(v === null || v === undefined ? null : text(c.labels.get(codeText) ?? codeText), v === null || v === undefined ? null : text(codeText));
      } else {
        row.push(cell(c.kind, v));
      }
    }
    row.push(...geometryCells(f.geometry, pointsOnly, num));
    rows.push(row);
  }

  const widths = header.map((h, i) => {
    const longest = rows.slice(0, 200).reduce((m, r) => Math.max(m, displayWidth(r[i])), displayWidth(h));
    return { width: Math.min(60, Math.max(8, longest + 2)) };
  });

  const fieldRows: Row[] = [
    [bold(w.field), bold(w.title), bold(w.type), bold(w.unit), bold(w.values)],
    ...columns.map((c): Row => [
      c.name,
      c.title,
      KIND_WORD[lang][c.kind],
      c.unit ?? null,
      c.labels ? [...c.labels].map(([k, label]) => `${k} = ${label}`).join('; ') : null,
    ]),
  ];

  const blob = await writeXlsxFile([
    { data: rows, sheet: sheetName(options.title ?? options.layer?.name[lang] ?? 'layer'), columns: widths, stickyRowsCount: 1 },
    { data: fieldRows, sheet: w.fields, columns: [{ width: 20 }, { width: 30 }, { width: 12 }, { width: 10 }, { width: 60 }] },
  ], { features: [CUSTOM_FORMAT_IDS] }).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * A plain table (an analysis table: headings, then rows of text and numbers) as one sheet,
 * the headings bold and kept in view, numbers as numbers so the sheet sums and sorts them.
 */
export async function exportTableXlsx(title: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<Uint8Array<ArrayBuffer>> {
  const header: Row = columns.map((c): Cell => ({ value: c, fontWeight: 'bold' }));
  const data: Row[] = [header, ...rows.map((r): Row => r.map((v): Cell => {
    if (v === null || v === undefined) return null;
    return typeof v === 'number' && Number.isFinite(v) ? { value: v, type: Number } : text(asText(v));
  }))];
  const widths = header.map((h, i) => ({ width: Math.min(40, Math.max(8, data.slice(0, 200).reduce((m, r) => Math.max(m, displayWidth(r[i])), displayWidth(h)) + 2)) }));
  const blob = await writeXlsxFile([{ data, sheet: sheetName(title), columns: widths, stickyRowsCount: 1 }], { features: [CUSTOM_FORMAT_IDS] }).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}

function text(s: string): Cell {
  return { value: s.length > MAX_CELL_TEXT ? s.slice(0, MAX_CELL_TEXT) : s, type: String };
}

function cell(kind: ColumnKind, v: unknown): Cell {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'integer':
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? { value: v, type: Number } : text(asText(v));
    case 'boolean':
      return { value: Boolean(v), type: Boolean };
    case 'date':
      return { value: toDate(asText(v)), type: Date, format: 'YYYY-MM-DD' };
    case 'datetime':
      return { value: toDate(asText(v)), type: Date, format: 'YYYY-MM-DD HH:MM:SS' };
    default:
      return text(asText(v));
  }
}

function geometryCells(g: Geometry | null, pointsOnly: boolean, num: (v: number) => number): Cell[] {
  if (pointsOnly) {
    if (!g || g.type !== 'Point' || g.coordinates.length < 2) return [null, null];
    return [{ value: num(g.coordinates[0]!), type: Number }, { value: num(g.coordinates[1]!), type: Number }];
  }
  return [g ? text(toWkt(g, (v) => String(num(v)))) : null];
}

/** Characters a sheet name may not hold, and Excel's 31-character limit. */
function sheetName(s: string): string {
  const clean = s.replace(/[[\]:*?/\\]/g, ' ').replace(/^'+|'+$/g, '').trim().slice(0, 31);
  return clean || 'layer';
}

/** Roughly how many character widths a cell takes: CJK characters count double. */
function displayWidth(c: Cell | undefined): number {
  if (c === null || c === undefined) return 0;
  const v = typeof c === 'object' && !(c instanceof Date) && 'value' in c ? c.value : c;
  if (v instanceof Date) return 10;
  const s = asText(v);
  let n = 0;
  for (const ch of s.slice(0, 80)) n += ch.codePointAt(0)! > 0x2e80 ? 2 : 1;
  return n;
}
