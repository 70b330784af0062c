/**
 * CSV with point coordinates in two columns found by name (x/y, lon/lat, 经度/纬度, E/N …)
 * or geometry in a WKT column. Parsed with npm `papaparse`, loaded lazily. GBK files are
 * recognised because they are not valid UTF-8.
 *
 * A comma in a coordinate is a thousands separator ("3,319,050.54") unless the column reads
 * as decimal commas ("122,1", as Excel in many European locales writes it): every comma
 * there has other than three digits after it, or is the only one.
 *
 * Chinese surveying names the northing X and the easting Y; when an x/y pair holds numbers
 * shaped that way (x ~ 3,300,000, y ~ 400,000) the columns are swapped, with a problem noted.
 */
import type { Feature } from 'geojson';
import { FormatError } from '../errors.ts';
import { msg, type DataMessage } from '../messages.ts';
import { crsFromMember } from './detect-crs.ts';
import { decodeText } from './decode-text.ts';
import { IMPORT_EXTENSIONS } from './extensions.ts';
import type { CrsHint, ImportFormat, ParsedFile } from './types.ts';
import { MAX_PROBLEMS } from './types.ts';

const XY_PAIRS: readonly (readonly [string, string])[] = [
  ['x', 'y'],
  ['lon', 'lat'],
  ['lng', 'lat'],
  ['long', 'lat'],
  ['longitude', 'latitude'],
  ['经度', '纬度'],
  ['e', 'n'],
  ['easting', 'northing'],
  ['东坐标', '北坐标'],
  ['x坐标', 'y坐标'],
];
const WKT_NAMES = ['wkt', 'geometry', 'geom', 'the_geom', 'shape'];

const norm = (s: string): string => s.trim().toLowerCase();

/** Column names of the coordinates, or null when the header has none. */
function findColumns(fields: readonly string[]): { x: string; y: string } | { wkt: string } | null {
  const byNorm = new Map(fields.map((f) => [norm(f), f]));
  for (const [a, b] of XY_PAIRS) {
    const x = byNorm.get(a);
    const y = byNorm.get(b);
    if (x !== undefined && y !== undefined) return { x, y };
  }
  for (const n of WKT_NAMES) {
    const w = byNorm.get(n);
    if (w !== undefined) return { wkt: w };
  }
  return null;
}

function toNumber(v: unknown, decimalComma = false): number {
  if (typeof v !== 'string') return NaN;
  const t = v.trim();
  const s = decimalComma ? t.replace(',', '.') : t.replace(/,/g, '');
  return s === '' ? NaN : Number(s);
}

const DECIMAL_COMMA = /^[-+]?\d+,\d+$/;
const THOUSANDS = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/**
 * The first value that can only be a decimal comma ("122,21"), "" when every comma value could
 * be either ("122,203"), or null when some comma is a thousands separator or there is none.
 */
function decimalCommaExample(values: readonly unknown[]): string | null {
  let example: string | null = null;
  let any = false;
  for (const v of values) {
    if (typeof v !== 'string' || !v.includes(',')) continue;
    const t = v.trim();
    if (!DECIMAL_COMMA.test(t)) return null;
    any = true;
    if (!THOUSANDS.test(t)) example ??= t;
  }
  return example ?? (any ? '' : null);
}

/** Whether the x/y columns use decimal commas; ambiguous values decide by where the first row would land. */
function usesDecimalComma(rows: readonly Record<string, string>[], x: string, y: string): string | null {
  const example = decimalCommaExample(rows.flatMap((r) => [r[x], r[y]]));
  if (example) return example;
  if (example === null) return null;
  // "122,203" and "29,988": as decimals a place in China; as thousands a northing of 29,988 m, which is nowhere near.
  const row = rows.find((r) => r[x]?.includes(',') && r[y]?.includes(','));
  if (!row) return null;
  const lon = toNumber(row[x], true);
  const lat = toNumber(row[y], true);
  return lon >= 73 && lon <= 136 && lat >= 3 && lat <= 54 ? row[x]!.trim() : null;
}

const looksNorthing = (v: number): boolean => v >= 2_000_000 && v <= 6_000_000;
const looksEasting = (v: number): boolean => (v >= 100_000 && v <= 900_000) || (v >= 40_000_000 && v < 42_000_000);

async function parseCsv(bytes: Uint8Array, fileName: string): Promise<ParsedFile> {
  const { text, problem: textProblem } = decodeText(bytes, fileName);
  const { default: Papa } = await import('papaparse');
  const result = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy' });
  const fields = (result.meta.fields ?? []).filter((f) => f !== '');
  const cols = findColumns(fields);
  if (!cols) {
    throw new FormatError(
      msg('noCoordinateColumns', {
        file: fileName,
        names: 'x/y, lon/lat, 经度/纬度, easting/northing',
        columns: fields.slice(0, 8).join(', ') || '—',
      }),
      fileName,
    );
  }
  const problems: DataMessage[] = textProblem ? [textProblem] : [];
  let skipped = 0;
  const features: Feature[] = [];
  let crs: CrsHint | null = null;
  const note = (p: DataMessage): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };

  if ('x' in cols) {
    const comma = usesDecimalComma(result.data, cols.x, cols.y);
    if (comma) note(msg('decimalComma', { file: fileName, example: comma }));
    const rows = result.data.map((r) => [toNumber(r[cols.x], comma !== null), toNumber(r[cols.y], comma !== null)] as const);
    const ok = rows.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    const swap =
      norm(cols.x) === 'x' &&
      ok.length > 0 &&
      ok.every(([x, y]) => looksNorthing(x) && looksEasting(y));
    if (swap) note(msg('swappedColumns', { file: fileName, x: cols.x, y: cols.y }));
    result.data.forEach((row, i) => {
      const [a, b] = rows[i]!;
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        skipped++;
        note(msg('rowNotNumbers', { row: i + 2, x: cols.x, y: cols.y }));
        return;
      }
      const properties: Record<string, unknown> = { ...row };
      delete properties[cols.x];
      delete properties[cols.y];
      features.push({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: swap ? [b, a] : [a, b] } });
    });
  } else {
    const wellknown = await import('wellknown');
    result.data.forEach((row, i) => {
      const raw = row[cols.wkt] ?? '';
      const g = raw.trim() === '' ? null : wellknown.parse(raw.trim());
      if (!g) {
        skipped++;
        note(msg('rowBadWkt', { row: i + 2, column: cols.wkt }));
        return;
      }
      const { crs: srid, ...geometry } = g as typeof g & { crs?: unknown };
      if (srid && !crs) crs = crsFromMember(srid, fileName);
      const properties: Record<string, unknown> = { ...row };
      delete properties[cols.wkt];
      features.push({ type: 'Feature', properties, geometry: geometry });
    });
  }
  for (const e of result.errors.slice(0, 2)) {
    const row = (e.row ?? 0) + 2;
    if (e.code === 'TooFewFields') note(msg('rowTooFewFields', { row }));
    else if (e.code === 'TooManyFields') note(msg('rowTooManyFields', { row }));
    else if (e.code === 'MissingQuotes' || e.code === 'InvalidQuotes') note(msg('rowBadQuotes', { row }));
  }
  return { features, crs, skipped, problems };
}

export const csvFormat: ImportFormat = {
  id: 'csv',
  extensions: IMPORT_EXTENSIONS.csv,
  // CSV has no signature; it is chosen by extension only.
  sniff: () => false,
  parse: (bytes, fileName) => parseCsv(bytes, fileName),
};
