/**
 * CSV with point coordinates in two columns found by name (x/y, lon/lat, 经度/纬度, E/N …)
 * or geometry in a WKT column. Parsed with npm `papaparse`, loaded lazily. GBK files are
 * recognised because they are not valid UTF-8.
 *
 * Chinese surveying names the northing X and the easting Y; when an x/y pair holds numbers
 * shaped that way (x ~ 3,300,000, y ~ 400,000) the columns are swapped, with a problem noted.
 */
import type { Feature } from 'geojson';
import { FormatError } from '../errors.ts';
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

function toNumber(v: unknown): number {
  if (typeof v !== 'string') return NaN;
  const s = v.trim().replace(/,/g, '');
  return s === '' ? NaN : Number(s);
}

const looksNorthing = (v: number): boolean => v >= 2_000_000 && v <= 6_000_000;
const looksEasting = (v: number): boolean => (v >= 100_000 && v <= 900_000) || (v >= 40_000_000 && v < 42_000_000);

async function parseCsv(bytes: Uint8Array, fileName: string): Promise<ParsedFile> {
  const { text, encoding } = decodeText(bytes);
  const { default: Papa } = await import('papaparse');
  const result = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy' });
  const fields = (result.meta.fields ?? []).filter((f) => f !== '');
  const cols = findColumns(fields);
  if (!cols) {
    throw new FormatError(
      `${fileName}: no coordinate columns found; name them x/y, lon/lat, 经度/纬度, easting/northing, or give geometry as WKT in a "wkt" column (columns seen: ${fields.slice(0, 8).join(', ') || 'none'})`,
      fileName,
    );
  }
  const problems: string[] = [];
  if (encoding === 'gbk') problems.push(`${fileName} is not UTF-8; read it as GBK (Chinese Windows) text`);
  let skipped = 0;
  const features: Feature[] = [];
  let crs: CrsHint | null = null;
  const note = (p: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };

  if ('x' in cols) {
    const rows = result.data.map((r) => [toNumber(r[cols.x]), toNumber(r[cols.y])] as const);
    const ok = rows.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    const swap =
      norm(cols.x) === 'x' &&
      ok.length > 0 &&
      ok.every(([x, y]) => looksNorthing(x) && looksEasting(y));
    if (swap) note(`columns ${cols.x}/${cols.y} hold northing/easting (the surveying convention); swapped them`);
    result.data.forEach((row, i) => {
      const [a, b] = rows[i]!;
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        skipped++;
        note(`row ${i + 2}: ${cols.x}/${cols.y} is not a pair of numbers`);
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
        note(`row ${i + 2}: the ${cols.wkt} column is not readable WKT`);
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
    note(`row ${(e.row ?? 0) + 2}: ${e.message}`);
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
