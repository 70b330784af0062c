/**
 * What the map is handed to draw a geometry with hundreds of thousands of vertices.
 * MapLibre copies a GeoJSON source's data to its worker with the structured clone
 * algorithm on the main thread (about 2 s for a polygon of a million vertices), and its
 * worker then simplifies every tile anyway: at the sources' maximum zoom (18) it drops
 * detail below 0.375 of a 4096th of a tile, 1.26e-7° of longitude. Simplifying first to
 * a tenth of a millimetre under half that, in both longitude and latitude, leaves nothing
 * on screen changed at any zoom and turns a finely sampled 2 km circle into a few
 * thousand vertices. Smaller geometries pass through untouched.
 *
 * The simplification is the sleeve-fitting method of Zhao & Saalfeld (1997): one pass,
 * linear in the vertices whatever their shape (Douglas–Peucker is quadratic at worst),
 * and every vertex dropped lies within the tolerance of the segment that replaced it.
 */
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { positionCount } from '../geo/packed-features.ts';

export interface DisplayOptions {
  /** Largest distance, in degrees, of a dropped vertex from what replaces it. */
  tolerance?: number;
  /** Geometries with at most this many positions are drawn as they are. */
  minPositions?: number;
}

const DEFAULTS: Required<DisplayOptions> = { tolerance: 5e-8, minPositions: 50_000 };

/**
 * The path with vertices dropped where the segment between the kept ones passes within
 * `tolerance` of them; the first and last positions are always kept. The positions kept
 * are the input's own objects.
 */
export function simplifyPath(path: readonly Position[], tolerance: number): Position[] {
  if (!(tolerance >= 0)) throw new Error('tolerance must be a number ≥ 0');
  const n = path.length;
  if (n <= 2) return path.slice();
  const out: Position[] = [path[0]!];
  let anchor = 0;
  while (anchor < n - 1) {
    const [ax, ay] = path[anchor]! as [number, number];
    // The directions (angles relative to `ref`) a segment from the anchor may take and
    // still pass within the tolerance of every vertex since the anchor.
    let ref = NaN;
    let lo = -Infinity;
    let hi = Infinity;
    let reach = 0;
    let last = -1;
    let i = anchor + 1;
    for (; i < n; i++) {
      const dx = path[i]![0]! - ax;
      const dy = path[i]![1]! - ay;
      const d = Math.hypot(dx, dy);
      // Within the tolerance of the anchor itself: any segment from it will do.
      if (d <= tolerance) continue;
      const theta = Math.atan2(dy, dx);
      if (Number.isNaN(ref)) ref = theta;
      let rel = theta - ref;
      if (rel > Math.PI) rel -= 2 * Math.PI;
      else if (rel <= -Math.PI) rel += 2 * Math.PI;
      // The vertex can end the segment only if it lies in every earlier vertex's sector and
      // no earlier vertex lies beyond it (so they project inside the segment, not past it).
      if (rel < lo || rel > hi || d < reach) break;
      const half = Math.asin(tolerance / d);
      lo = Math.max(lo, rel - half);
      hi = Math.min(hi, rel + half);
      reach = d;
      last = i;
    }
    // Everything left lies within the tolerance of the anchor: straight to the end.
    if (last < 0) last = n - 1;
    out.push(path[last]!);
    anchor = last;
  }
  return out;
}

function ring(r: Position[], tolerance: number): Position[] {
  const s = simplifyPath(r, tolerance);
  return s.length >= 4 ? s : r;
}

/** The geometry with every line and ring simplified; points as they are. */
function simplifyGeometry(g: Geometry, tolerance: number): Geometry {
  switch (g.type) {
    case 'LineString':
      return { ...g, coordinates: simplifyPath(g.coordinates, tolerance) };
    case 'MultiLineString':
      return { ...g, coordinates: g.coordinates.map((l) => simplifyPath(l, tolerance)) };
    case 'Polygon':
      return { ...g, coordinates: g.coordinates.map((r) => ring(r, tolerance)) };
    case 'MultiPolygon':
      return { ...g, coordinates: g.coordinates.map((p) => p.map((r) => ring(r, tolerance))) };
    case 'GeometryCollection':
      return { ...g, geometries: g.geometries.map((x) => simplifyGeometry(x, tolerance)) };
    default:
      return g;
  }
}

/**
 * A function giving the collection to draw for a collection, remembered per feature so
 * a filter change or a second source showing the same feature (a study area made from an
 * imported polygon) does not simplify it again. Collections without a large geometry come
 * back as they are.
 */
export function createDisplayData(options: DisplayOptions = {}): (fc: FeatureCollection) => FeatureCollection {
  const { tolerance, minPositions } = { ...DEFAULTS, ...options };
  const features = new WeakMap<Feature, Feature>();
  const collections = new WeakMap<FeatureCollection, FeatureCollection>();
  const display = (f: Feature): Feature => {
    let d = features.get(f);
    if (!d) {
      d = f.geometry && positionCount(f.geometry) > minPositions ? { ...f, geometry: simplifyGeometry(f.geometry, tolerance) } : f;
      features.set(f, d);
    }
    return d;
  };
  return (fc) => {
    let d = collections.get(fc);
    if (!d) {
      const shown = fc.features.map(display);
      d = shown.every((f, i) => f === fc.features[i]) ? fc : { ...fc, features: shown };
      collections.set(fc, d);
    }
    return d;
  };
}
