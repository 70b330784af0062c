/**
 * "What lies within r metres of this?": the planner's proximity query (residential
 * communities within 500 m of a waterlogging risk point, berths within 300 m of a car
 * park), and the buffer drawn on the map to show it.
 *
 * Distances are found in the CGCS2000 Gauss–Krüger plane (EPSG:4550, the zone Zhoushan is
 * in): exact point–segment distances, segment crossings and point-in-polygon tests, so
 * touching or overlapping geometries are at distance 0 and a geometry inside another's
 * hole is not. The closest pair of points found there is then measured on the ellipsoid
 * (geodesic between the two, back in lon/lat). Why both: the plane gives exact and cheap
 * geometry, but its lengths read k ≈ 1.00007–1.00009 too long here (3.5–4.5 cm at 500 m);
 * the closest pair moves by less than a millimetre between plane and ellipsoid, and the
 * distance, being a minimum, changes by far less than that. So `distance_m` is the
 * ellipsoidal distance to within a millimetre at these scales; the tests check it against
 * geodesicLength of shortest segments constructed by hand. (Edges are taken as straight in
 * the plane: over a 2 km east–west edge that is 4.5 cm from the straight lon/lat line, over
 * the 10–200 m edges of this data well under a millimetre.)
 */
import bufferOp from '@turf/buffer';
import { earthRadius } from '@turf/helpers';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { projector } from '../crs/project.ts';
import { geodesicLength } from './geodesic.ts';

export interface WithinDistanceHit {
  /** The candidate feature itself (not a copy). */
  feature: Feature;
  /** Ellipsoidal distance between the two geometries, m; 0 when they touch or overlap. */
  distance_m: number;
  /**
   * The closest points, [on the source, on the candidate], lon/lat: for drawing a leader
   * line. Null when the distance is 0.
   */
  nearest: [Position, Position] | null;
}

const PLANE = 'EPSG:4550';
/**
 * Closer than this (m) counts as touching. An edge is straight in the plane here but
 * straight in lon/lat in GeoJSON; the two part by up to L²·tanφ/(8N) over an edge of
 * length L (0.5 mm for 200 m), so a point on a lon/lat edge can sit micrometres off the
 * plane's. Below a millimetre nothing in this data is real.
 */
const TOUCH = 1e-3;
const GEOGRAPHIC = 'EPSG:4490';

type XY = [number, number];
/** A geometry broken into what distance needs, in plane coordinates relative to an origin. */
interface Shape {
  /** Every vertex (and every point), for containment tests and as degenerate segments. */
  vertices: XY[];
  /** Segments of lines and of polygon rings. */
  segments: [XY, XY][];
  /** Polygons as rings, for containment. */
  polygons: XY[][][];
  /** Points that are not vertices of a segment (Point/MultiPoint members). */
  points: XY[];
  bbox: [number, number, number, number];
}

function toShape(g: Geometry, project: (p: Position) => XY): Shape {
  const s: Shape = { vertices: [], segments: [], polygons: [], points: [], bbox: [Infinity, Infinity, -Infinity, -Infinity] };
  const vertex = (p: Position): XY => {
    const xy = project(p);
    s.vertices.push(xy);
    s.bbox = [Math.min(s.bbox[0], xy[0]), Math.min(s.bbox[1], xy[1]), Math.max(s.bbox[2], xy[0]), Math.max(s.bbox[3], xy[1])];
    return xy;
  };
  const path = (ps: readonly Position[]): XY[] => {
    const xy = ps.map(vertex);
    for (let i = 1; i < xy.length; i++) s.segments.push([xy[i - 1]!, xy[i]!]);
    if (xy.length === 1) s.points.push(xy[0]!);
    return xy;
  };
  const walk = (x: Geometry): void => {
    switch (x.type) {
      case 'Point':
        s.points.push(vertex(x.coordinates));
        break;
      case 'MultiPoint':
        for (const p of x.coordinates) s.points.push(vertex(p));
        break;
      case 'LineString':
        path(x.coordinates);
        break;
      case 'MultiLineString':
        x.coordinates.forEach(path);
        break;
      case 'Polygon':
        s.polygons.push(x.coordinates.map(path));
        break;
      case 'MultiPolygon':
        for (const p of x.coordinates) s.polygons.push(p.map(path));
        break;
      case 'GeometryCollection':
        x.geometries.forEach(walk);
    }
  };
  walk(g);
  return s;
}

const cross = (o: XY, a: XY, b: XY): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Whether closed segments ab and cd share a point (collinear overlaps included). */
function segmentsMeet(a: XY, b: XY, c: XY, d: XY): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  const on = (p: XY, q: XY, r: XY): boolean => Math.min(p[0], q[0]) <= r[0] && r[0] <= Math.max(p[0], q[0]) && Math.min(p[1], q[1]) <= r[1] && r[1] <= Math.max(p[1], q[1]);
  return (d1 === 0 && on(c, d, a)) || (d2 === 0 && on(c, d, b)) || (d3 === 0 && on(a, b, c)) || (d4 === 0 && on(a, b, d));
}

/** The point of segment ab closest to p. */
function closestOnSegment(p: XY, a: XY, b: XY): XY {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const dd = dx * dx + dy * dy;
  const t = dd === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / dd));
  return [a[0] + t * dx, a[1] + t * dy];
}

/** Even–odd point in polygon over all rings (a point in a hole is outside); boundary may go either way, crossings catch it. */
function inPolygon(p: XY, rings: readonly XY[][]): boolean {
  let inside = false;
  for (const r of rings)
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const a = r[i]!;
      const b = r[j]!;
      if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
    }
  return inside;
}

/** Planar distance between two shapes and the closest pair, or 0 and null when they meet. */
function planarNearest(a: Shape, b: Shape): { d: number; pair: [XY, XY] | null } {
  for (const [x, y] of [[a, b], [b, a]] as const) for (const poly of x.polygons) for (const v of y.vertices) if (inPolygon(v, poly)) return { d: 0, pair: null };
  for (const [p, q] of a.segments) for (const [r, s] of b.segments) if (segmentsMeet(p, q, r, s)) return { d: 0, pair: null };
  let best = Infinity;
  let pair: [XY, XY] | null = null;
  const consider = (from: XY, to: XY): void => {
    const d = Math.hypot(to[0] - from[0], to[1] - from[1]);
    if (d < best) [best, pair] = [d, [from, to]];
  };
  // Disjoint segments are closest at an end of one of them; points are degenerate segments.
  for (const v of a.vertices) {
    for (const [r, s] of b.segments) consider(v, closestOnSegment(v, r, s));
    for (const q of b.points) consider(v, q);
  }
  for (const v of b.vertices) for (const [p, q] of a.segments) consider(closestOnSegment(v, p, q), v);
  if (best === 0) return { d: 0, pair: null };
  return { d: best, pair };
}

const bboxGap = (a: Shape['bbox'], b: Shape['bbox']): number =>
  Math.hypot(Math.max(0, a[0] - b[2], b[0] - a[2]), Math.max(0, a[1] - b[3], b[1] - a[3]));

/**
 * The candidates whose geometry comes within `radius` metres of the source's, nearest
 * first (ties in input order). Candidates without geometry are skipped.
 */
export function featuresWithinDistance(source: Feature, radius: number, candidates: FeatureCollection): WithinDistanceHit[] {
  if (!source || source.type !== 'Feature') throw new Error('source must be a GeoJSON Feature');
  if (!source.geometry) throw new Error('source has no geometry');
  if (typeof radius !== 'number' || !Number.isFinite(radius) || radius < 0) throw new Error('radius must be a finite number of metres, 0 or more');
  if (!candidates || candidates.type !== 'FeatureCollection' || !Array.isArray(candidates.features)) throw new Error('candidates must be a GeoJSON FeatureCollection');

  const forward = projector(GEOGRAPHIC, PLANE);
  const inverse = projector(PLANE, GEOGRAPHIC);
  // Plane coordinates relative to the source's first vertex: eastings and northings in the
  // millions would cost the cross products their last bits.
  const first = firstPosition(source.geometry);
  if (!first) throw new Error('source has no coordinates');
  const [ox, oy] = forward(first) as XY;
  const project = (p: Position): XY => {
    const [x, y] = forward(p);
    return [x! - ox, y! - oy];
  };
  const unproject = (p: XY): Position => inverse([p[0] + ox, p[1] + oy]);
  const src = toShape(source.geometry, project);
  // Plane lengths read at most ~1.0001 times the ellipsoid's in this zone near Zhoushan,
  // and the bbox test must never drop a candidate that is in range.
  const slack = radius * 1.001 + 0.01;

  const hits: WithinDistanceHit[] = [];
  for (const feature of candidates.features) {
    if (!feature?.geometry) continue;
    const shape = toShape(feature.geometry, project);
    if (shape.vertices.length === 0 || bboxGap(src.bbox, shape.bbox) > slack) continue;
    const { pair } = planarNearest(src, shape);
    if (!pair) {
      hits.push({ feature, distance_m: 0, nearest: null });
      continue;
    }
    const nearest: [Position, Position] = [unproject(pair[0]), unproject(pair[1])];
    const distance_m = geodesicLength({ type: 'LineString', coordinates: nearest });
    if (distance_m < TOUCH) hits.push({ feature, distance_m: 0, nearest: null });
    else if (distance_m <= radius) hits.push({ feature, distance_m, nearest });
  }
  // Array.prototype.sort is stable, so equal distances keep the input order.
  return hits.sort((a, b) => a.distance_m - b.distance_m);
}

function firstPosition(g: Geometry): Position | undefined {
  switch (g.type) {
    case 'Point':
      return g.coordinates;
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates[0];
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.find((x) => x.length > 0)?.[0];
    case 'MultiPolygon':
      return g.coordinates.flat().find((x) => x.length > 0)?.[0];
    case 'GeometryCollection':
      return g.geometries.map(firstPosition).find((p) => p !== undefined);
  }
}

export interface BufferOptions {
  /** Segments per quarter circle. 64 keeps chords within 0.015% of the radius (8 cm at 500 m). */
  steps?: number;
}

const BUFFER_DEFAULTS: Required<BufferOptions> = { steps: 64 };

/**
 * The area within `radius` metres of a feature, to draw on the map: a polygon agreeing with
 * `featuresWithinDistance` to a few centimetres. Null when there is nothing to draw (a point
 * or line with radius 0).
 *
 * @turf/buffer alone buffers on a sphere of radius 6,371 km, which here puts the edge
 * 0.3% (1.6 m at 500 m) too near north–south and 0.2% too far east–west. So the geometry
 * is buffered in Gauss–Krüger metres instead, handed to @turf/buffer as pseudo-degrees
 * around 0° N 0° E where its sphere is flat to 1e-7 over a few km, with the radius scaled
 * by the zone's scale factor k at the feature, and brought back to lon/lat.
 */
export function bufferGeometry(f: Feature, radius: number, options: BufferOptions = {}): Feature<Polygon | MultiPolygon> | null {
  if (!f || f.type !== 'Feature') throw new Error('bufferGeometry needs a GeoJSON Feature');
  if (typeof radius !== 'number' || !Number.isFinite(radius) || radius < 0) throw new Error('radius must be a finite number of metres, 0 or more');
  const { steps } = { ...BUFFER_DEFAULTS, ...options };
  if (!Number.isInteger(steps) || steps < 1) throw new Error('steps must be a whole number, 1 or more');
  if (!f.geometry) return null;
  const first = firstPosition(f.geometry);
  if (!first) return null;

  const forward = projector(GEOGRAPHIC, PLANE);
  const inverse = projector(PLANE, GEOGRAPHIC);
  const [ox, oy] = forward(first) as XY;
  const metresPerDegree = (earthRadius * Math.PI) / 180;
  const toPseudo = (p: Position): Position => {
    const [x, y] = forward(p);
    return [(x! - ox) / metresPerDegree, (y! - oy) / metresPerDegree];
  };
  const fromPseudo = (p: Position): Position => inverse([p[0]! * metresPerDegree + ox, p[1]! * metresPerDegree + oy]);
  // Gauss–Krüger point scale factor k ≈ 1 + x²/(2R²) + x⁴/(24R⁴), x the distance from the
  // central meridian (false easting 500 km): a ground radius r is r·k plane metres.
  const x = ox - 500_000;
  const R2 = 6_371_000 ** 2;
  const k = 1 + (x * x) / (2 * R2) + x ** 4 / (24 * R2 * R2);

  const pseudo = mapGeometry(f.geometry, toPseudo);
  // @turf/buffer answers a GeometryCollection with a FeatureCollection, one buffer a member.
  const out = pseudo.type === 'GeometryCollection' ? bufferOp(pseudo, radius * k, { units: 'meters', steps }) : undefined;
  const one = pseudo.type === 'GeometryCollection' ? undefined : bufferOp(pseudo, radius * k, { units: 'meters', steps });
  const polygons: Position[][][] = [];
  for (const b of out ? out.features : one ? [one] : []) {
    const g = b.geometry;
    if (g.type === 'Polygon') polygons.push(g.coordinates);
    else polygons.push(...g.coordinates);
  }
  const nonEmpty = polygons.filter((p) => (p[0]?.length ?? 0) >= 4).map((p) => p.map((r) => r.map(fromPseudo)));
  if (nonEmpty.length === 0) return null;
  // Members of a collection are buffered one by one: their buffers may overlap.
  const geometry: Polygon | MultiPolygon = nonEmpty.length === 1 ? { type: 'Polygon', coordinates: nonEmpty[0]! } : { type: 'MultiPolygon', coordinates: nonEmpty };
  return { type: 'Feature', properties: { ...f.properties, buffer_m: radius }, geometry };
}

/** A copy of a geometry with every position mapped. */
function mapGeometry(g: Geometry, fn: (p: Position) => Position): Geometry {
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: fn(g.coordinates) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: g.coordinates.map(fn) };
    case 'LineString':
      return { type: 'LineString', coordinates: g.coordinates.map(fn) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: g.coordinates.map((l) => l.map(fn)) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(fn)) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((r) => r.map(fn))) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: g.geometries.map((m) => mapGeometry(m, fn)) };
  }
}
