/**
 * Features with all their coordinates in one Float64Array, for crossing into a worker or
 * into IndexedDB. Both copy what they are given with the structured clone algorithm, which
 * for a polygon of a million vertices means a million small arrays, about 2 s of a
 * blocked main thread in Chromium; one typed array is a memory copy. Packing and
 * unpacking are single linear passes.
 *
 * Packing is exact: a geometry is packed only when every position has the same number of
 * values (2 or 3), all numbers, and it has no members besides `type` and `coordinates`;
 * anything else (GeometryCollections, a `bbox`, mixed dimensions) travels as it is.
 */
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';

type Simple = Exclude<Geometry, { type: 'GeometryCollection' }>;
type SimpleType = Simple['type'];

/** A geometry whose positions sit in the shared `coords` array. */
interface PackedGeometry {
  type: SimpleType;
  /** Numbers per position: 2 or 3. */
  dim: 2 | 3;
  /** Index in `coords` of the first number. */
  start: number;
  /**
   * Positions per part: a count for Point, MultiPoint and LineString; a count per line or
   * ring for MultiLineString and Polygon; a count per ring per polygon for MultiPolygon.
   */
  counts: number | number[] | number[][];
}

interface PackedFeature {
  /** The feature without its geometry (properties and any other members, by reference). */
  feature: Omit<Feature, 'geometry'>;
  geometry: PackedGeometry | Geometry | null;
}

export interface PackedFeatureCollection {
  type: 'PackedFeatureCollection';
  /** Members of the collection other than `features` (a `bbox`, say). */
  collection: Omit<FeatureCollection, 'features' | 'type'>;
  features: PackedFeature[];
  coords: Float64Array;
}

const SIMPLE: ReadonlySet<string> = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);
/** How deep the position arrays nest under `coordinates`, per type. */
const DEPTH: Record<SimpleType, 0 | 1 | 2 | 3> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

/** The dimension shared by every position, or 0 when the geometry cannot be packed. */
function packableDim(g: Geometry): 0 | 2 | 3 {
  if (!g || typeof g !== 'object' || !SIMPLE.has(g.type) || Object.keys(g).length !== 2 || !('coordinates' in g)) return 0;
  let dim = 0;
  const ok = (p: unknown): boolean => {
    if (!Array.isArray(p)) return false;
    if (dim === 0) dim = p.length;
    return p.length === dim && typeof p[0] === 'number' && typeof p[1] === 'number' && (dim === 2 || (dim === 3 && typeof p[2] === 'number'));
  };
  const walk = (c: unknown, depth: number): boolean => {
    if (depth === 0) return ok(c);
    if (!Array.isArray(c)) return false;
    for (let i = 0; i < c.length; i++) if (!walk(c[i], depth - 1)) return false;
    return true;
  };
  if (!walk(g.coordinates, DEPTH[g.type])) return 0;
  return dim === 2 || dim === 3 ? dim : 0;
}

function countOf(g: Simple): number {
  switch (g.type) {
    case 'Point':
      return 1;
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates.length;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.reduce((s, r) => s + r.length, 0);
    case 'MultiPolygon':
      return g.coordinates.reduce((s, p) => s + p.reduce((t, r) => t + r.length, 0), 0);
  }
}

export function packFeatureCollection(fc: FeatureCollection): PackedFeatureCollection {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error('packFeatureCollection needs a GeoJSON FeatureCollection');
  const dims = fc.features.map((f) => (f.geometry ? packableDim(f.geometry) : 0));
  let total = 0;
  fc.features.forEach((f, i) => {
    if (dims[i]) total += countOf(f.geometry as Simple) * dims[i];
  });
  const coords = new Float64Array(total);
  let at = 0;
  // Indexed, not for…of: this runs a million times for a large polygon.
  const put = (p: Position): void => {
    coords[at++] = p[0]!;
    coords[at++] = p[1]!;
    if (p.length === 3) coords[at++] = p[2]!;
  };
  const features = fc.features.map((f, i): PackedFeature => {
    const { geometry, ...feature } = f;
    const dim = dims[i]!;
    if (!dim) return { feature, geometry: geometry ?? null };
    const g = geometry as Simple;
    const start = at;
    let counts: PackedGeometry['counts'];
    switch (g.type) {
      case 'Point':
        put(g.coordinates);
        counts = 1;
        break;
      case 'MultiPoint':
      case 'LineString':
        g.coordinates.forEach(put);
        counts = g.coordinates.length;
        break;
      case 'MultiLineString':
      case 'Polygon':
        counts = g.coordinates.map((r) => (r.forEach(put), r.length));
        break;
      case 'MultiPolygon':
        counts = g.coordinates.map((p) => p.map((r) => (r.forEach(put), r.length)));
        break;
    }
    return { feature, geometry: { type: g.type, dim, start, counts } };
  });
  const { type: _type, features: _features, ...collection } = fc;
  return { type: 'PackedFeatureCollection', collection, features, coords };
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** Rebuilds one geometry; throws when the description does not fit `coords`. */
function unpackGeometry(g: PackedGeometry, coords: Float64Array): Geometry {
  const { dim } = g;
  if (dim !== 2 && dim !== 3) throw new Error('a packed geometry has a bad dimension');
  if (!isCount(g.start)) throw new Error('a packed geometry has a bad start');
  let at = g.start;
  const run = (n: unknown): Position[] => {
    if (!isCount(n) || at + n * dim > coords.length) throw new Error('a packed geometry runs past its coordinates');
    const out = new Array<Position>(n);
    for (let i = 0; i < n; i++, at += dim) out[i] = dim === 2 ? [coords[at]!, coords[at + 1]!] : [coords[at]!, coords[at + 1]!, coords[at + 2]!];
    return out;
  };
  const list = <T>(c: unknown, f: (x: unknown) => T): T[] => {
    if (!Array.isArray(c)) throw new Error('a packed geometry has bad part counts');
    return c.map(f);
  };
  switch (g.type) {
    case 'Point': {
      if (g.counts !== 1) throw new Error('a packed point has bad counts');
      return { type: 'Point', coordinates: run(1)[0]! };
    }
    case 'MultiPoint':
    case 'LineString':
      return { type: g.type, coordinates: run(g.counts) };
    case 'MultiLineString':
    case 'Polygon':
      return { type: g.type, coordinates: list(g.counts, run) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: list(g.counts, (p) => list(p, run)) };
    default:
      throw new Error(`a packed geometry has an unknown type ${String((g as { type: unknown }).type)}`);
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The FeatureCollection back, with fresh coordinate arrays. Checks the shape as it goes,
 * since what comes out of storage may be damaged: throws a plain Error on anything that
 * does not fit.
 */
export function unpackFeatureCollection(p: unknown): FeatureCollection {
  if (!isObject(p) || p.type !== 'PackedFeatureCollection' || !(p.coords instanceof Float64Array) || !Array.isArray(p.features)) {
    throw new Error('not a packed feature collection');
  }
  const coords = p.coords;
  const features = p.features.map((x): Feature => {
    if (!isObject(x) || !isObject(x.feature) || x.feature.type !== 'Feature') throw new Error('a packed feature is damaged');
    const g = x.geometry;
    let geometry: Geometry | null;
    if (isObject(g) && 'counts' in g) geometry = unpackGeometry(g as unknown as PackedGeometry, coords);
    else if (g === null || isObject(g)) geometry = g as Geometry | null;
    else throw new Error('a packed feature has a damaged geometry');
    return { ...(x.feature as Omit<Feature, 'geometry'>), geometry } as Feature;
  });
  return { ...(isObject(p.collection) ? p.collection : {}), type: 'FeatureCollection', features };
}

/** Numbers of positions in a geometry, without building anything. */
export function positionCount(g: Geometry | null | undefined): number {
  if (!g) return 0;
  if (g.type === 'GeometryCollection') return g.geometries.reduce((s, x) => s + positionCount(x), 0);
  return SIMPLE.has(g.type) ? countOf(g) : 0;
}
