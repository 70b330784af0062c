/**
 * `npm run conformance -- DIR [--json]`: every file under DIR (recursively) through the
 * app's import, exactly as the io worker runs it (`ioApi.importFile`, its answer passed
 * through the structured clone a worker's message goes through), and each accepted layer
 * through every export format in the registry and back. Prints a table — file,
 * accepted/refused, message, features, CRS, first coordinate, round trips — or, with
 * `--json`, an array of `ConformanceRow`s.
 *
 *   npm run conformance -- ../shared/corpus
 *   npm run -s conformance -- ../shared/corpus --json > out.json   (-s: no npm banner in the JSON)
 *
 * For data nobody on the project wrote (public test suites, files from GDAL): what is
 * refused that a GIS reads, what is damaged without a word, which message is a raw
 * JavaScript error rather than ours. `main` does the work and is what the test runs.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { FeatureCollection, Geometry, Position } from 'geojson';
import { LoadError } from '../src/data/errors.ts';
import { englishMessage } from '../src/data/messages.ts';
import { EXPORT_FORMATS } from '../src/data/export/formats.ts';
import { importFile } from '../src/data/import/import-file.ts';
import { IMPORT_FORMATS } from '../src/data/import/formats.ts';
import { ioApi } from '../src/data/io-api.ts';
import { unpackFeatureCollection } from '../src/geo/packed-features.ts';

/** One export format's round trip of an accepted layer. */
export interface RoundTrip {
  format: string;
  /** The CRS written: the layer's own when the format can hold it, else EPSG:4326, else the format's first. */
  crs: string;
  /** Written, read back: the same count, the same positions (to 1e-6°), the first feature's properties the same. */
  ok: boolean;
  /** What differed or failed; '' when ok. "written; no importer" for formats the app cannot read. */
  note: string;
}

export interface ConformanceRow {
  /** Path relative to the folder given. */
  file: string;
  accepted: boolean;
  /** Features imported (0 when refused). */
  features: number;
  /** Features or records left out (counted in the import's summary). */
  skipped: number;
  /** EPSG code the import decided, or null when refused. */
  crs: string | null;
  /** The error when refused; the import's problems (summary first) when accepted, '' when none. */
  message: string;
  /** Name of the error when refused (LoadError, FormatError, CrsError, or a raw JavaScript one). */
  error: string | null;
  /** The refusal's message code (what the UI says in its language); null for a raw error. */
  code: string | null;
  /** First position of the first feature, WGS84 [lon, lat]. */
  first: [number, number] | null;
  /** The first feature's properties as read. */
  props: Record<string, unknown> | null;
  roundTrips: RoundTrip[];
}

/** Every file under `dir`, sorted, skipping dot files. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
}

function firstPosition(g: Geometry | null): Position | null {
  if (!g) return null;
  if (g.type === 'GeometryCollection') {
    for (const x of g.geometries) {
      const p = firstPosition(x);
      if (p) return p;
    }
    return null;
  }
  let c: unknown = g.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) && typeof c[0] === 'number' ? (c as Position) : null;
}

const round = (n: number): number => Math.round(n * 1e7) / 1e7;

function firstOf(fc: FeatureCollection): [number, number] | null {
  for (const f of fc.features) {
    const p = firstPosition(f.geometry);
    if (p) return [round(p[0]!), round(p[1]!)];
  }
  return null;
}

/** Each feature's first position, sorted: files may come back in another order (an indexed FlatGeobuf is Hilbert-sorted). */
function firstPositions(fc: FeatureCollection): [number, number][] {
  return fc.features
    .map((f) => firstPosition(f.geometry))
    .filter((p): p is Position => p !== null)
    .map((p): [number, number] => [p[0]!, p[1]!])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Largest distance (in degrees, per axis) from a position of `a` to the nearest of `b`. */
function farthest(a: [number, number][], b: [number, number][]): number {
  let worst = 0;
  for (const p of a) {
    let best = Infinity;
    for (const q of b) {
      const d = Math.max(Math.abs(p[0] - q[0]), Math.abs(p[1] - q[1]));
      if (d < best) best = d;
      if (best === 0) break;
    }
    worst = Math.max(worst, best);
  }
  return worst;
}

/** 1e-7° is about 1 cm: what GeoJSON export's rounding and reprojection there and back may move a position. */
const TOLERANCE = 2e-7;

/** A value as text, the same for a value and its copy: JSON for objects. */
const shown = (v: unknown): string => (v === null || v === undefined ? '' : JSON.stringify(v));

/** Properties of `a` that `b` lacks or holds differently (as text), named. */
function propertyChanges(a: Record<string, unknown> | null, b: Record<string, unknown> | null): string[] {
  if (!a) return [];
  return Object.entries(a).flatMap(([k, v]) => {
    const w = b?.[k];
    if (b && !(k in b)) return [`${k} lost`];
    if (shown(v) !== shown(w)) return [`${k} ${JSON.stringify(v)} → ${JSON.stringify(w)}`];
    if (v !== null && w !== null && typeof v !== typeof w) return [`${k} ${typeof v} → ${typeof w}`];
    return [];
  });
}

/** Writes `fc` in each export format the registry lists and imports it back. */
async function roundTrips(fc: FeatureCollection, crs: string, name: string): Promise<RoundTrip[]> {
  const out: RoundTrip[] = [];
  const before = firstPositions(fc);
  const first = firstPositions({ type: 'FeatureCollection', features: fc.features.slice(0, 1) })[0];
  for (const format of EXPORT_FORMATS) {
    // The layer's own CRS where the format can hold it, else WGS 84, else the format's first (DXF is in metres).
    const writeCrs = format.crsAllowed.includes(crs) ? crs : format.crsAllowed.includes('EPSG:4326') ? 'EPSG:4326' : format.crsAllowed[0]!;
    const trip: RoundTrip = { format: format.id, crs: writeCrs, ok: false, note: '' };
    out.push(trip);
    let bytes: Uint8Array;
    try {
      bytes = await format.write(fc, { crs: writeCrs, layerName: 'layer', title: name });
    } catch (err) {
      trip.note = `write failed: ${err instanceof Error ? err.message : String(err)}`;
      continue;
    }
    const back = `${name}.${format.extension}`;
    // By extension only: an .xlsx is a zip too, and must not be taken for a zipped shapefile.
    const reader = IMPORT_FORMATS.find((f) => f.extensions.includes(`.${format.extension}`));
    if (!reader) {
      trip.ok = true;
      trip.note = 'written; no importer';
      continue;
    }
    try {
      const r = await importFile(bytes, back, writeCrs === 'EPSG:4326' ? {} : { crs: writeCrs });
      const again = firstPositions(r.data);
      const same = first && r.data.features.find((f) => {
        const p = firstPosition(f.geometry);
        return p && Math.abs(p[0]! - first[0]) <= TOLERANCE && Math.abs(p[1]! - first[1]) <= TOLERANCE;
      });
      const changes = propertyChanges(fc.features[0]?.properties ?? null, same ? same.properties : null);
      const moved = Math.max(farthest(before, again), farthest(again, before));
      if (r.data.features.length !== fc.features.length) trip.note = `${r.data.features.length} of ${fc.features.length} features came back`;
      else if (moved > TOLERANCE) trip.note = `positions moved up to ${moved.toExponential(1)}°`;
      else if (changes.length) trip.note = `properties changed: ${changes.slice(0, 4).join(', ')}`;
      else trip.ok = true;
    } catch (err) {
      trip.note = `read back failed: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return out;
}

/** Imports one file as the io worker does; never throws. */
export async function checkFile(bytes: Uint8Array, file: string, options: { roundTrip?: boolean } = {}): Promise<ConformanceRow> {
  const name = basename(file);
  const row: ConformanceRow = { file, accepted: false, features: 0, skipped: 0, crs: null, message: '', error: null, code: null, first: null, props: null, roundTrips: [] };
  try {
    // A worker's answer crosses to the page by structured clone; what cannot cross fails here as it would there.
    const outcome = structuredClone(await ioApi.importFile(bytes, name, {}));
    const fc = unpackFeatureCollection(outcome.packed);
    row.accepted = true;
    row.features = fc.features.length;
    row.skipped = outcome.skipped;
    row.crs = outcome.crs.code;
    row.message = outcome.problems.map(englishMessage).join('; ');
    row.first = firstOf(fc);
    row.props = fc.features[0]?.properties ?? null;
    if (options.roundTrip !== false) row.roundTrips = await roundTrips(fc, outcome.crs.code, name.replace(/\.[^.]*$/, ''));
  } catch (err) {
    row.error = err instanceof LoadError ? err.name : `raw ${err instanceof Error ? err.name : typeof err}`;
    row.code = err instanceof LoadError ? err.detail.code : null;
    row.message = err instanceof Error ? err.message : String(err);
  }
  return row;
}

export async function conformance(dir: string, options: { roundTrip?: boolean } = {}): Promise<ConformanceRow[]> {
  const rows: ConformanceRow[] = [];
  for (const path of filesUnder(dir)) {
    rows.push(await checkFile(new Uint8Array(readFileSync(path)), relative(dir, path), options));
  }
  return rows;
}

const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function table(rows: readonly ConformanceRow[]): string {
  const lines = rows.map((r) => {
    const trips = r.roundTrips.map((t) => `${t.format}${t.ok ? '✓' : '✗'}`).join(' ');
    const tripNotes = r.roundTrips.filter((t) => !t.ok).map((t) => `${t.format}: ${t.note}`).join('; ');
    return [
      r.file,
      r.accepted ? 'accepted' : 'refused',
      String(r.features),
      r.crs ?? '',
      r.first ? `${r.first[0].toFixed(5)}, ${r.first[1].toFixed(5)}` : '',
      trips,
      cut([r.error && !r.error.endsWith('Error') ? r.error : '', r.message, tripNotes].filter(Boolean).join(' | '), 160),
    ];
  });
  const head = ['file', 'result', 'features', 'crs', 'first lon, lat', 'round trips', 'message'];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (i < 6 ? l[i]!.length : 0))));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i < 6 ? c.padEnd(widths[i]!) : c)).join('  ');
  const accepted = rows.filter((r) => r.accepted).length;
  const raw = rows.filter((r) => r.error?.startsWith('raw')).length;
  const uncoded = rows.filter((r) => r.code === 'plain').length;
  const unnamed = rows.filter((r) => !r.accepted && !r.message.includes(r.file.split('/').pop()!)).length;
  const trips = rows.flatMap((r) => r.roundTrips);
  return [
    fmt(head),
    ...lines.map(fmt),
    '',
    `${rows.length} files: ${accepted} accepted, ${rows.length - accepted} refused (${raw} with a raw JavaScript error, ` +
      `${uncoded} with a message in English only, ${unnamed} not naming the file); ` +
      `round trips ${trips.filter((t) => t.ok).length} of ${trips.length} exact`,
    '',
  ].join('\n');
}

export async function main(argv: readonly string[], write: (s: string) => void = (s) => void process.stdout.write(s)): Promise<ConformanceRow[]> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { json: { type: 'boolean', default: false }, 'no-round-trip': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help || positionals.length !== 1) {
    write('Usage: npm run conformance -- DIR [--json] [--no-round-trip]\n');
    if (!values.help) throw new Error('give one folder to run');
    return [];
  }
  const rows = await conformance(positionals[0]!, { roundTrip: !values['no-round-trip'] });
  write(values.json ? `${JSON.stringify(rows, null, 1)}\n` : table(rows));
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
