/**
 * Service features turned into the two shapes whose union is "within the radius":
 *
 * - capsules: all points within r of a segment (a point is a zero-length segment). A line
 *   buffered by r is the union of its segments' capsules; a polygon buffered by r is its own
 *   interior plus the capsules of all its edges (holes included), exactly.
 * - polygon interiors, read by the even–odd rule.
 *
 * Both are convex or polygonal, so each cuts a horizontal line in intervals that can be
 * computed exactly (scanline.ts). Capsules live in flat typed arrays because the scanline reads
 * them hundreds of thousands of times; a Flatbush index over their bounding boxes (already
 * grown by their radius) finds the ones near a target.
 */
import Flatbush from 'flatbush';
import type { Feature, Geometry, Position } from 'geojson';
import type { LocalFrame } from './local-frame.ts';
import { projectPosition, projectRing, regionOf } from './planar-region.ts';
import type { PlanarRegion } from './planar-region.ts';

/** Service radius in ground metres: one for all, or per feature (null/≤0: the feature does not serve). */
export type RadiusOption = number | ((feature: Feature) => number | null);

export interface ServiceShapes {
  /** Number of capsules; index items 0…capsules−1 are capsules, the rest polygon interiors. */
  readonly capsules: number;
  /** Capsule segment ends and planar radius, with the capsule's y-extent for a quick reject. */
  readonly ax: Float64Array;
  readonly ay: Float64Array;
  readonly bx: Float64Array;
  readonly by: Float64Array;
  readonly r: Float64Array;
  /** Unit direction and length of each capsule's segment (0, 0, 0 for a disc). */
  readonly ux: Float64Array;
  readonly uy: Float64Array;
  readonly len: Float64Array;
  readonly minY: Float64Array;
  readonly maxY: Float64Array;
  readonly polygons: readonly PlanarRegion[];
  /** Planar radius of each polygon's edge capsules (0 when it serves its interior only). */
  readonly polygonRadius: Float64Array;
  /** Polygon whose edge a capsule is, −1 for capsules of points and lines. */
  readonly owner: Int32Array;
  /** Line (each LineString, each part of a MultiLineString) a capsule belongs to, −1 for others. */
  readonly path: Int32Array;
  /** null when there is nothing to index (Flatbush needs at least one item). */
  readonly index: Flatbush | null;
  /** Service features that contributed a shape. */
  readonly features: number;
}

/** The shapes near a bounding box. */
export interface Candidates {
  readonly capsules: number[];
  readonly polygons: number[];
}

/** Throws unless `radius` is a usable option; shared by every entry point that takes one. */
export function checkRadius(radius: unknown): asserts radius is RadiusOption {
  if (radius === undefined || radius === null) throw new Error('radius is required');
  if (typeof radius === 'function') return;
  if (typeof radius !== 'number') {
    throw new Error('radius must be a number of metres or a function of the service feature');
  }
  if (!Number.isFinite(radius)) throw new Error(`radius must be a finite number of metres, got ${radius}`);
  if (radius < 0) throw new Error(`radius must not be negative, got ${radius}`);
}

/**
 * Ground radius of one service feature in metres, or null when it does not serve. A global
 * radius of 0 still lets polygons serve their own interior; a per-feature null/≤0 means the
 * feature does not serve at all (a park below the size threshold).
 */
export function resolveRadius(radius: RadiusOption, feature: Feature, index: number): number | null {
  if (typeof radius === 'number') return radius;
  const r = radius(feature);
  if (r === null || r === undefined) return null;
  if (typeof r !== 'number' || Number.isNaN(r) || r === Infinity) {
    throw new Error(`radius of service feature ${index} must be a finite number of metres or null, got ${String(r)}`);
  }
  return r > 0 ? r : null;
}

/**
 * The capsules and polygon interiors of every serving feature, in the planar frame. Radii are
 * scaled by the frame's point scale factor at each feature, so they are ground metres.
 */
export function buildServiceShapes(features: readonly Feature[], radius: RadiusOption, frame: LocalFrame): ServiceShapes {
  const caps: number[] = []; // ax, ay, bx, by, r per capsule
  const polygons: PlanarRegion[] = [];
  const polygonRadius: number[] = [];
  const owners: number[] = [];
  const paths: number[] = [];
  // k changes by ~2e-9 per metre of easting here, so one value per ~1 km cell is exact to
  // well under a millimetre on a 500 m radius and spares most projections.
  const scales = new Map<string, number>();
  const scaleNear = (lon: number, lat: number): number => {
    const key = `${Math.round(lon * 100)},${Math.round(lat * 100)}`;
    let k = scales.get(key);
    if (k === undefined) {
      k = frame.scaleAt(Math.round(lon * 100) / 100, Math.round(lat * 100) / 100);
      scales.set(key, k);
    }
    return k;
  };

  let counted = 0;
  features.forEach((feature, i) => {
    const geometry = feature?.geometry;
    if (!geometry) return;
    const ground = resolveRadius(radius, feature, i);
    if (ground === null) return;
    const what = `service feature ${i}`;
    const first = firstPosition(geometry);
    if (!first) return;
    const r = ground * scaleNear(first[0]!, first[1]!);
    const before = caps.length + polygons.length;
    addGeometry(geometry, r, frame, what, { caps, polygons, polygonRadius, owners, paths });
    if (caps.length + polygons.length > before) counted++;
  });

  const n = caps.length / 5;
  const ax = new Float64Array(n);
  const ay = new Float64Array(n);
  const bx = new Float64Array(n);
  const by = new Float64Array(n);
  const r = new Float64Array(n);
  const ux = new Float64Array(n);
  const uy = new Float64Array(n);
  const len = new Float64Array(n);
  const minY = new Float64Array(n);
  const maxY = new Float64Array(n);
  const total = n + polygons.length;
  const index = total > 0 ? new Flatbush(total) : null;
  for (let i = 0; i < n; i++) {
    ax[i] = caps[5 * i]!;
    ay[i] = caps[5 * i + 1]!;
    bx[i] = caps[5 * i + 2]!;
    by[i] = caps[5 * i + 3]!;
    r[i] = caps[5 * i + 4]!;
    const l = Math.hypot(bx[i]! - ax[i]!, by[i]! - ay[i]!);
    len[i] = l;
    if (l > 0) {
      ux[i] = (bx[i]! - ax[i]!) / l;
      uy[i] = (by[i]! - ay[i]!) / l;
    }
    minY[i] = Math.min(ay[i]!, by[i]!) - r[i]!;
    maxY[i] = Math.max(ay[i]!, by[i]!) + r[i]!;
    index!.add(Math.min(ax[i]!, bx[i]!) - r[i]!, minY[i]!, Math.max(ax[i]!, bx[i]!) + r[i]!, maxY[i]);
  }
  for (const p of polygons) index!.add(p.minX, p.minY, p.maxX, p.maxY);
  index?.finish();
  return {
    capsules: n,
    ax,
    ay,
    bx,
    by,
    r,
    ux,
    uy,
    len,
    minY,
    maxY,
    polygons,
    polygonRadius: Float64Array.from(polygonRadius),
    owner: Int32Array.from(owners),
    path: Int32Array.from(paths),
    index,
    features: counted,
  };
}

/** Capsules and polygons whose bounds touch the box. */
export function findCandidates(shapes: ServiceShapes, minX: number, minY: number, maxX: number, maxY: number): Candidates {
  const capsules: number[] = [];
  const polygons: number[] = [];
  if (!shapes.index) return { capsules, polygons };
  for (const id of shapes.index.search(minX, minY, maxX, maxY)) {
    if (id < shapes.capsules) capsules.push(id);
    else polygons.push(id - shapes.capsules);
  }
  // Search order is tree order; index order keeps results independent of the tree's layout.
  capsules.sort((a, b) => a - b);
  polygons.sort((a, b) => a - b);
  return { capsules, polygons };
}

/** Where addGeometry collects shapes. */
interface Sink {
  caps: number[];
  polygons: PlanarRegion[];
  polygonRadius: number[];
  owners: number[];
  paths: number[];
}

function addGeometry(geometry: Geometry, r: number, frame: LocalFrame, what: string, sink: Sink): void {
  const { caps, owners, paths } = sink;
  const own = (owner: number, path = -1): void => {
    while (owners.length < caps.length / 5) {
      owners.push(owner);
      paths.push(path);
    }
  };
  // Lines are numbered by the capsule that starts them: unique, and no counter to carry.
  const line = (coords: readonly Position[]): void => {
    const id = caps.length / 5;
    addPath(coords, r, frame, what, caps);
    own(-1, id);
  };
  switch (geometry.type) {
    case 'Point':
      addPath([geometry.coordinates], r, frame, what, caps);
      return own(-1);
    case 'MultiPoint':
      for (const p of geometry.coordinates) addPath([p], r, frame, what, caps);
      return own(-1);
    case 'LineString':
      return line(geometry.coordinates);
    case 'MultiLineString':
      for (const l of geometry.coordinates) line(l);
      return;
    case 'Polygon':
    case 'MultiPolygon': {
      const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      for (const part of parts) {
        const rings: Float64Array[] = [];
        for (const ring of part) {
          const flat = projectRing(ring, frame, what);
          if (!flat) continue;
          rings.push(flat);
          if (r > 0) addFlatRing(flat, r, caps);
        }
        if (rings.length === 0) continue;
        own(sink.polygons.length);
        sink.polygons.push(regionOf(rings));
        sink.polygonRadius.push(r);
      }
      return;
    }
    case 'GeometryCollection':
      for (const g of geometry.geometries) addGeometry(g, r, frame, what, sink);
      return;
  }
}

/** Capsules of a point or an open path (a zero-length capsule is a disc). */
function addPath(path: readonly Position[], r: number, frame: LocalFrame, what: string, caps: number[]): void {
  if (!(r > 0) || path.length === 0) return;
  let prev: [number, number] | null = null;
  for (const p of path) {
    const q = projectPosition(p, frame, what);
    if (prev === null) {
      if (path.length === 1) caps.push(q[0], q[1], q[0], q[1], r);
    } else if (prev[0] !== q[0] || prev[1] !== q[1]) {
      caps.push(prev[0], prev[1], q[0], q[1], r);
    } else if (path.length === 2) {
      // A line whose two positions coincide still serves around that point.
      caps.push(q[0], q[1], q[0], q[1], r);
    }
    prev = q;
  }
}

/** Capsules of every edge of a closed flat ring (a polygon's boundary). */
function addFlatRing(ring: Float64Array, r: number, caps: number[]): void {
  const n = ring.length / 2;
  for (let i = 0; i < n; i++) {
    const j = i + 1 === n ? 0 : i + 1;
    const x0 = ring[2 * i]!;
    const y0 = ring[2 * i + 1]!;
    const x1 = ring[2 * j]!;
    const y1 = ring[2 * j + 1]!;
    if (x0 !== x1 || y0 !== y1) caps.push(x0, y0, x1, y1, r);
  }
}

function firstPosition(geometry: Geometry): Position | null {
  switch (geometry.type) {
    case 'Point':
      return geometry.coordinates.length >= 2 ? geometry.coordinates : null;
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates[0] ?? null;
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates[0]?.[0] ?? null;
    case 'MultiPolygon':
      return geometry.coordinates[0]?.[0]?.[0] ?? null;
    case 'GeometryCollection':
      for (const g of geometry.geometries) {
        const p = firstPosition(g);
        if (p) return p;
      }
      return null;
  }
}
