/**
 * Imports a user's file: bytes and a file name in, WGS84 longitude/latitude features and a
 * report out. Pure apart from lazily loaded parsers; no DOM needed (KML falls back to xmldom).
 *
 * The format is chosen by its first bytes, then by extension; the CRS by the user, the file,
 * or the coordinates (`detect-crs.ts`). Features that cannot be drawn are skipped and counted
 * rather than failing the whole file; a file with nothing drawable fails with a message.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { findCrs } from '../../crs/definitions.ts';
import { mapCoordinates } from '../../crs/map-coordinates.ts';
import { projector } from '../../crs/project.ts';
import { geometryProblem } from '../../geo/check-geometry.ts';
import { CrsError, FormatError, LoadError } from '../errors.ts';
import { detectCrs, type Bbox } from './detect-crs.ts';
import { IMPORT_FORMATS } from './formats.ts';
import { formatBytes } from './format-bytes.ts';
import { removeOffsetFn, type MapOffset } from './remove-offset.ts';
import type { DetectedCrs, FormatId, ImportFormat } from './types.ts';
import { MAX_PROBLEMS } from './types.ts';

;

export interface ImportOptions {
  /** A CRS chosen by the user (`EPSG:nnnn`), overriding what the file says. */
  crs?: string;
  /** Coordinates are lon/lat shifted for Amap/Tencent (`gcj02`) or Baidu (`bd09`) maps. */
  offset?: MapOffset | null;
  /** Files larger than this are refused before parsing. */
  maxBytes?: number;
  signal?: AbortSignal;
}

const DEFAULTS = { maxBytes: 200 * 1024 * 1024, offset: null } as const;

export interface ImportResult {
  data: FeatureCollection;
  crs: DetectedCrs;
  /** Features and records dropped because they could not be drawn. */
  skipped: number;
  /** "3 of 120 features skipped: …" when any were, else null. */
  summary: string | null;
  /** The first few problems, each naming the feature or row. */
  problems: string[];
  format: FormatId;
}


function extension(name: string): string {
  const m = /\.[^./\\]+$/.exec(name);
  return m ? m[0].toLowerCase() : '';
}

function pickFormat(bytes: Uint8Array, fileName: string): ImportFormat {
  const sniffed = IMPORT_FORMATS.find((f) => f.sniff(bytes));
  if (sniffed) return sniffed;
  const ext = extension(fileName);
  if (ext === '.shp') {
    throw new FormatError(
      `${fileName} is a bare .shp file; zip it together with its .shx, .dbf, .prj and .cpg files and import the zip`,
      fileName,
    );
  }
  const byExt = IMPORT_FORMATS.find((f) => f.extensions.includes(ext));
  if (byExt) return byExt;
  throw new FormatError(
    `${fileName}: the file type is not recognised; import GeoJSON, FlatGeobuf, CSV, KML or a zipped shapefile`,
    fileName,
  );
}

/** Visits every position whatever the shape of the arrays, for the CRS guess. */
function eachPosition(c: unknown, f: (x: number, y: number) => void): void {
  if (!Array.isArray(c)) return;
  if (typeof c[0] === 'number') {
    if (Number.isFinite(c[0]) && Number.isFinite(c[1])) f(c[0], c[1] as number);
    return;
  }
  for (const x of c) eachPosition(x, f);
}

function geometryPositions(g: Geometry | null, f: (x: number, y: number) => void): void {
  if (!g || typeof g !== 'object') return;
  if (g.type === 'GeometryCollection') for (const x of g.geometries ?? []) geometryPositions(x, f);
  else eachPosition((g as { coordinates?: unknown }).coordinates, f);
}

/**
 * The coordinate range, trimming the outer 5% of positions when there are enough, so a few
 * stray points (a typo, a 0,0) do not spoil the guess; those are skipped later.
 */
function robustBbox(features: readonly Feature[]): Bbox | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const ft of features) {
    geometryPositions(ft.geometry, (x, y) => {
      xs.push(x);
      ys.push(y);
    });
  }
  const n = xs.length;
  if (n === 0) return null;
  xs.sort((a, b) => a - b);
  ys.sort((a, b) => a - b);
  const trim = n >= 10 ? Math.max(1, Math.floor(n * 0.05)) : 0;
  return [xs[trim]!, ys[trim]!, xs[n - 1 - trim]!, ys[n - 1 - trim]!];
}

export async function importFile(bytes: Uint8Array, fileName: string, options: ImportOptions = {}): Promise<ImportResult> {
  if (!(bytes instanceof Uint8Array)) throw new Error('bytes must be a Uint8Array');
  if (typeof fileName !== 'string' || fileName === '') throw new Error('fileName is required');
  const opts = { ...DEFAULTS, ...options };
  const { signal } = opts;
  signal?.throwIfAborted();
  if (bytes.length > opts.maxBytes) {
    throw new LoadError(`${fileName} is ${formatBytes(bytes.length)}, over the ${formatBytes(opts.maxBytes)} limit for imported files`, fileName);
  }
  if (bytes.length === 0) throw new FormatError(`${fileName} is empty (0 bytes)`, fileName);

  const format = pickFormat(bytes, fileName);
  const parsed = await format.parse(bytes, fileName, signal);
  signal?.throwIfAborted();

  const total = parsed.features.length + parsed.skipped;
  const bbox = robustBbox(parsed.features);
  if (!bbox) {
    throw new FormatError(
      total === 0 ? `${fileName} contains no features` : `${fileName} contains ${total} features but none has coordinates`,
      fileName,
    );
  }
  const crs = detectCrs({ ...(opts.crs ? { userCrs: opts.crs } : {}), hint: parsed.crs, bbox, fileName });
  const def = findCrs(crs.code)!;
  if (opts.offset && def.kind !== 'geographic') {
    throw new CrsError(
      `${fileName}: the ${opts.offset === 'gcj02' ? 'GCJ-02' : 'BD-09'} offset applies to longitude/latitude, but the coordinates are in ${crs.code}`,
      fileName,
    );
  }
  const toLonLat = def.kind === 'projected' ? projector(crs.code, 'EPSG:4326') : null;
  const unshift = opts.offset ? await removeOffsetFn(opts.offset) : null;

  const problems: string[] = [...parsed.problems];
  const reasons: string[] = [];
  const features: Feature[] = [];
  let skipped = parsed.skipped;
  parsed.features.forEach((ft, i) => {
    let g: Geometry | null = ft.geometry;
    let problem: string | null;
    if (!g) problem = 'no geometry';
    else {
      try {
        if (toLonLat) g = mapCoordinates(g, toLonLat);
        if (unshift) g = unshift(g);
        problem = geometryProblem(g);
      } catch {
        problem = 'the geometry is malformed';
      }
    }
    if (problem) {
      skipped++;
      if (reasons.length < MAX_PROBLEMS) reasons.push(`feature ${i + 1}: ${problem}`);
      return;
    }
    features.push({ ...ft, properties: { ...(ft.properties ?? {}) }, geometry: g });
  });
  if (features.length === 0) {
    throw new FormatError(
      `${fileName} has no features that can be drawn: all ${total} were skipped (${reasons[0] ?? problems[0] ?? 'no geometry'})`,
      fileName,
    );
  }
  const summary = skipped > 0 ? `${skipped} of ${total} features skipped: ${[...reasons, ...problems].slice(0, 3).join('; ')}` : null;
  return {
    data: { type: 'FeatureCollection', features },
    crs,
    skipped,
    summary,
    problems: [...(summary ? [summary] : []), ...reasons, ...problems].slice(0, MAX_PROBLEMS),
    format: format.id,
  };
}
