/**
 * What lies in a study area drawn on the map: which features, how many, and how much of
 * their area and length falls inside it (ellipsoidal m² and m, as everywhere in the app).
 *
 * - Points count when inside the area or on its edge.
 * - Lines count when some stretch of them lies inside (or along the edge); they contribute
 *   the geodesic length of those stretches only.
 * - Polygons count when they share some area with it; they contribute the area of the
 *   intersection. Polygons that only touch it contribute nothing and do not count.
 * A feature with several kinds of parts (a GeometryCollection) counts once if any part does.
 *
 * Lines are clipped in longitude/latitude, not in Gauss–Krüger: GeoJSON edges are straight
 * in lon/lat, which is how the area was drawn and stored and how @turf/intersect clips the
 * polygons, so lines and polygons are cut along the same edges and no projection (nor
 * zone) is involved. Each segment is cut where it crosses the area's edges (holes
 * included), and each piece is in or out as its midpoint is; a piece then measures as
 * the geodesic between its ends, which at these lengths is within micrometres of the
 * straight lon/lat line.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import intersect from '@turf/intersect';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { geodesicArea, geodesicLength } from './geodesic.ts';

export interface InAreaResult {
  /** The input features that count, in input order (the same objects, not copies). */
  features: Feature[];
  count: number;
  /** Ellipsoidal area of the polygons' intersection with the area, m². */
  area_m2: number;
  /** Ellipsoidal length of the lines inside the area, m. */
  length_m: number;
}

type Area = Polygon | MultiPolygon;
type BBox = [number, number, number, number];
type Seg = [number, number, number, number];

function bboxOf(positions: Iterable<Position>): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of positions) {
    b[0] = Math.min(b[0], p[0]!);
    b[1] = Math.min(b[1], p[1]!);
    b[2] = Math.max(b[2], p[0]!);
    b[3] = Math.max(b[3], p[1]!);
  }
  return b;
}
const overlaps = (a: BBox, b: BBox): boolean => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

function* positions(g: Geometry): Generator<Position> {
  switch (g.type) {
    case 'Point':
      yield g.coordinates;
      break;
    case 'MultiPoint':
    case 'LineString':
      yield* g.coordinates;
      break;
    case 'MultiLineString':
    case 'Polygon':
      for (const x of g.coordinates) yield* x;
      break;
    case 'MultiPolygon':
      for (const p of g.coordinates) for (const r of p) yield* r;
      break;
    case 'GeometryCollection':
      for (const m of g.geometries) yield* positions(m);
  }
}

function areaGeometry(area: Feature<Area> | Area): Area {
  const g = area && area.type === 'Feature' ? area.geometry : area;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) throw new Error('area must be a Polygon or MultiPolygon');
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (polys.length === 0 || polys.some((p) => (p[0]?.length ?? 0) < 4)) throw new Error('area needs at least one ring of three distinct points');
  return g;
}

/**
 * The parameters t in (0, 1) where segment p→q meets the area's edges: crossings, and the
 * ends of stretches where it runs along an edge.
 */
function cuts(p: Position, q: Position, edges: readonly Seg[]): number[] {
  const [px, py] = [p[0]!, p[1]!];
  const dx = q[0]! - px;
  const dy = q[1]! - py;
  const dd = dx * dx + dy * dy;
  const ts: number[] = [];
  const keep = (t: number): void => {
    if (t > 0 && t < 1) ts.push(t);
  };
  for (const [ax0, ay0, bx0, by0] of edges) {
    // Relative to p, so the products stay exact to the last few bits.
    const ax = ax0 - px;
    const ay = ay0 - py;
    const ex = bx0 - ax0;
    const ey = by0 - ay0;
    const denom = dx * ey - dy * ex;
    const ad = ax * dy - ay * dx;
    if (denom !== 0) {
      const t = (ax * ey - ay * ex) / denom;
      const u = ad / denom;
      if (u >= 0 && u <= 1) keep(t);
    } else if (ad === 0) {
      // Collinear: the edge's ends, where they fall on the segment, bound a shared stretch.
      keep((ax * dx + ay * dy) / dd);
      keep(((bx0 - px) * dx + (by0 - py) * dy) / dd);
    }
  }
  return ts;
}

/** Geodesic length of the pieces of a path inside the area. */
function lengthInside(path: readonly Position[], area: Area, edges: readonly Seg[]): number {
  let s = 0;
  for (let i = 1; i < path.length; i++) {
    const p = path[i - 1]!;
    const q = path[i]!;
    if (p[0] === q[0] && p[1] === q[1]) continue;
    const ts = [0, ...cuts(p, q, edges).sort((a, b) => a - b), 1];
    const at = (t: number): Position => [p[0]! + t * (q[0]! - p[0]!), p[1]! + t * (q[1]! - p[1]!)];
    for (let k = 1; k < ts.length; k++) {
      const t0 = ts[k - 1]!;
      const t1 = ts[k]!;
      if (t1 <= t0) continue;
      if (booleanPointInPolygon(at((t0 + t1) / 2), area)) s += geodesicLength({ type: 'LineString', coordinates: [at(t0), at(t1)] });
    }
  }
  return s;
}

/** Features of `fc` in the study `area`, with the area and length they have inside it. */
export function featuresInArea(fc: FeatureCollection, area: Feature<Area> | Area): InAreaResult {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error('featuresInArea needs a GeoJSON FeatureCollection');
  const g = areaGeometry(area);
  const areaFeature: Feature<Area> = { type: 'Feature', properties: {}, geometry: g };
  const abox = bboxOf(positions(g));
  const edges: Seg[] = [];
  for (const rings of g.type === 'Polygon' ? [g.coordinates] : g.coordinates)
    for (const r of rings) for (let i = 1; i < r.length; i++) edges.push([r[i - 1]![0]!, r[i - 1]![1]!, r[i]![0]!, r[i]![1]!]);

  const out: InAreaResult = { features: [], count: 0, area_m2: 0, length_m: 0 };
  for (const f of fc.features) {
    if (!f.geometry || !overlaps(bboxOf(positions(f.geometry)), abox)) continue;
    const points: Position[] = [];
    const paths: Position[][] = [];
    const polygons: Position[][][] = [];
    const walk = (x: Geometry): void => {
      if (x.type === 'Point') points.push(x.coordinates);
      else if (x.type === 'MultiPoint') points.push(...x.coordinates);
      else if (x.type === 'LineString') paths.push(x.coordinates);
      else if (x.type === 'MultiLineString') paths.push(...x.coordinates);
      else if (x.type === 'Polygon') polygons.push(x.coordinates);
      else if (x.type === 'MultiPolygon') polygons.push(...x.coordinates);
      else x.geometries.forEach(walk);
    };
    walk(f.geometry);

    let counts = points.some((p) => booleanPointInPolygon(p, g));
    const len = paths.reduce((s, p) => s + lengthInside(p, g, edges), 0);
    let a = 0;
    const rings = polygons.filter((p) => (p[0]?.length ?? 0) >= 4);
    if (rings.length > 0) {
      const shape: Feature<MultiPolygon> = { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: rings } };
      const common = intersect({ type: 'FeatureCollection', features: [shape, areaFeature] });
      a = common ? geodesicArea(common.geometry) : 0;
    }
    counts ||= len > 0 || a > 0;
    if (!counts) continue;
    out.features.push(f);
    out.count += 1;
    out.area_m2 += a;
    out.length_m += len;
  }
  return out;
}
