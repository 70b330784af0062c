/**
 * Imports a user's file: bytes and a file name in, WGS84 longitude/latitude features and a
 * report out. Pure apart from lazily loaded parsers; no DOM needed (KML falls back to xmldom).
 *
 * The format is chosen by its first bytes, then by extension; the CRS by the user, the file,
 * or the coordinates (`detect-crs.ts`). Features that cannot be drawn are skipped and counted
 * rather than failing the whole file; a file with nothing drawable fails with a message.
 *
 * Every message is a code with parameters (`../messages.ts`): the UI says it in its language.
 * A file read only in part (a shapefile cut short, features skipped) is still imported, with
 * `incomplete` set and the problems listed: the user sees what was read and may remove it.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { findCrs } from '../../crs/definitions.ts';
import { mapCoordinates } from '../../crs/map-coordinates.ts';
import { projector } from '../../crs/project.ts';
import { MAX_COLLECTION_DEPTH, geometryIssue } from '../../geo/check-geometry.ts';
import { CrsError, FormatError, LoadError } from '../errors.ts';
import { msg, type DataMessage, type DataMessageCode } from '../messages.ts';
import { MAX_VALUE_DEPTH, deeperThan, valueAsText } from './deep-values.ts';
import { detectCrs, type Bbox } from './detect-crs.ts';
import { IMPORT_FORMATS } from './formats.ts';
import { formatBytes } from './format-bytes.ts';
import { removeOffsetFn, type MapOffset } from './remove-offset.ts';
import type { DetectedCrs, FormatId, ImportFormat } from './types.ts';
import { MAX_PROBLEMS } from './types.ts';

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
  /** "file: 3 of 120 features skipped" when any were, else null. */
  summary: DataMessage | null;
  /** The summary, what is missing from the file, and the first few skipped features' reasons. */
  problems: DataMessage[];
  /**
   * Part of the file could not be read (features skipped, a part cut short or missing):
   * the UI says so and offers to remove the layer again.
   */
  incomplete: boolean;
  format: FormatId;
}

/** Problems that mean data the file should hold is not in the layer. */
const MISSING: ReadonlySet<DataMessageCode> = new Set<DataMessageCode>([
  'shpCut', 'shpCutBytes', 'shxCut', 'shpTrailing', 'dbfCut', 'dbfCount', 'noDbf', 'textUndecodable', 'severalShp', 'gpkgSeveralTables',
]);

function extension(name: string): string {
  const m = /\.[^./\\]+$/.exec(name);
  return m ? m[0].toLowerCase() : '';
}

function pickFormat(bytes: Uint8Array, fileName: string): ImportFormat {
  const sniffed = IMPORT_FORMATS.find((f) => f.sniff(bytes));
  if (sniffed) return sniffed;
  const ext = extension(fileName);
  if (ext === '.shp') throw new FormatError(msg('bareShp', { file: fileName }), fileName);
  const byExt = IMPORT_FORMATS.find((f) => f.extensions.includes(ext));
  if (byExt) return byExt;
  throw new FormatError(msg('unknownType', { file: fileName }), fileName);
}

/** How deep position arrays nest under `coordinates`, per type: only so deep is walked. */
const DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

/** Visits the positions a geometry of its type can hold, for the CRS guess; never deeper. */
function geometryPositions(g: Geometry | null, f: (x: number, y: number) => void, level = 0): void {
  if (!g || typeof g !== 'object') return;
  if (g.type === 'GeometryCollection') {
    if (level < MAX_COLLECTION_DEPTH && Array.isArray(g.geometries)) for (const x of g.geometries) geometryPositions(x, f, level + 1);
    return;
  }
  const depth = DEPTH[g.type];
  if (depth === undefined) return;
  const walk = (c: unknown, d: number): void => {
    if (!Array.isArray(c)) return;
    if (d === 0) {
      if (typeof c[0] === 'number' && typeof c[1] === 'number' && Number.isFinite(c[0]) && Number.isFinite(c[1])) f(c[0], c[1]);
      return;
    }
    for (const x of c) walk(x, d - 1);
  };
  walk((g as { coordinates?: unknown }).coordinates, depth);
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

/** Collections nested deeper than anyone draws, found without recursion (they are skipped). */
function collectionTooDeep(g: Geometry | null): boolean {
  let level = 0;
  let current: Geometry[] = g && g.type === 'GeometryCollection' ? [g] : [];
  while (current.length) {
    if (++level > MAX_COLLECTION_DEPTH) return true;
    current = current.flatMap((c) => {
      const inner = (c as { geometries?: unknown }).geometries;
      return Array.isArray(inner) ? (inner as (Geometry | null)[]).filter((x): x is Geometry => !!x && x.type === 'GeometryCollection') : [];
    });
  }
  return false;
}

/** Properties with values too deep to copy or show, kept as text; the first such is reported. */
function shallowProperties(props: Record<string, unknown>, n: number, fileName: string, report: (m: DataMessage) => void): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(props)) {
    if (typeof v === 'object' && v !== null && deeperThan(v, MAX_VALUE_DEPTH)) {
      out ??= { ...props };
      out[k] = valueAsText(v);
      report(msg('propertyTooDeep', { file: fileName, n, name: k, limit: MAX_VALUE_DEPTH }));
    }
  }
  return out ?? { ...props };
}

export async function importFile(bytes: Uint8Array, fileName: string, options: ImportOptions = {}): Promise<ImportResult> {
  if (!(bytes instanceof Uint8Array)) throw new Error('bytes must be a Uint8Array');
  if (typeof fileName !== 'string' || fileName === '') throw new Error('fileName is required');
  const opts = { ...DEFAULTS, ...options };
  const { signal } = opts;
  signal?.throwIfAborted();
  if (bytes.length > opts.maxBytes) {
    throw new LoadError(msg('fileTooLarge', { file: fileName, size: formatBytes(bytes.length), limit: formatBytes(opts.maxBytes) }), fileName);
  }
  if (bytes.length === 0) throw new FormatError(msg('fileEmpty', { file: fileName }), fileName);

  const format = pickFormat(bytes, fileName);
  const parsed = await format.parse(bytes, fileName, signal);
  signal?.throwIfAborted();

  const total = parsed.features.length + parsed.skipped;
  const bbox = robustBbox(parsed.features);
  if (!bbox) {
    throw new FormatError(total === 0 ? msg('noFeatures', { file: fileName }) : msg('noCoordinates', { file: fileName, count: total }), fileName);
  }
  const crs = detectCrs({ ...(opts.crs ? { userCrs: opts.crs } : {}), hint: parsed.crs, bbox, fileName });
  // The file's own word that its lon/lat carry the GCJ-02 offset counts only while its CRS is used.
  const offset = opts.offset ?? (crs.source === 'header' ? crs.offset ?? null : null);
  const def = findCrs(crs.code)!;
  if (offset && def.kind !== 'geographic') {
    throw new CrsError(msg('offsetNeedsLonLat', { file: fileName, offset: offset === 'gcj02' ? 'GCJ-02' : 'BD-09', crs: crs.code }), fileName);
  }
  const toLonLat = def.kind === 'projected' ? projector(crs.code, 'EPSG:4326') : null;
  const unshift = offset ? await removeOffsetFn(offset) : null;

  const fileProblems: DataMessage[] = [...parsed.problems];
  const reasons: DataMessage[] = [];
  const features: Feature[] = [];
  let skipped = parsed.skipped;
  let deepReported = false;
  parsed.features.forEach((ft, i) => {
    let g: Geometry | null = ft.geometry;
    let problem: DataMessage | null;
    if (collectionTooDeep(g)) problem = msg('collectionTooDeep', { limit: MAX_COLLECTION_DEPTH });
    else {
      try {
        if (g && toLonLat) g = mapCoordinates(g, toLonLat);
        if (g && unshift) g = unshift(g);
        const issue = geometryIssue(g);
        problem = issue ? msg(issue.code, issue.params) : null;
      } catch {
        problem = msg('malformed');
      }
    }
    if (problem) {
      skipped++;
      if (reasons.length < MAX_PROBLEMS) reasons.push(msg('featureProblem', { n: i + 1, problem }));
      return;
    }
    const properties = shallowProperties(ft.properties ?? {}, i + 1, fileName, (m) => {
      if (!deepReported) fileProblems.push(m);
      deepReported = true;
    });
    features.push({ ...ft, properties, geometry: g });
  });
  if (features.length === 0) {
    throw new FormatError(
      msg('nothingDrawable', { file: fileName, count: total, reason: reasons[0] ?? fileProblems[0] ?? msg('noGeometry') }),
      fileName,
    );
  }
  const summary = skipped > 0 ? msg('skippedSummary', { file: fileName, skipped, total }) : null;
  return {
    data: { type: 'FeatureCollection', features },
    crs: { ...crs, ...(offset === 'gcj02' ? { offset } : {}) },
    skipped,
    summary,
    problems: [...(summary ? [summary] : []), ...fileProblems, ...reasons],
    incomplete: skipped > 0 || fileProblems.some((p) => MISSING.has(p.code)),
    format: format.id,
  };
}
