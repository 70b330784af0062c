/**
 * Measures of features and their totals: overall, per value of a field (status, district)
 * and per zone (the management grid cells). Areas and lengths are ellipsoidal (GRS80,
 * `geodesic.ts`); `area_gk_m2` is the planar Gauss–Krüger area that land records carry
 * (`planar-area.ts`), reported beside it because the two differ by ≈ 0.015% here and
 * people compare the map with both.
 *
 * Which zone a feature belongs to: the zone containing its representative point, so each
 * feature counts in exactly one zone and totals over zones add up to the overall total
 * (a feature straddling two cells is not split; splitting would need a clip per feature
 * per cell and gives fractional counts). The representative point is:
 * - a point: itself; a multipoint: the member nearest the members' mean;
 * - a line: the point halfway along its length (over all parts of a multiline);
 * - a polygon: its area centroid when the polygon contains it, otherwise a point on its
 *   surface (the middle of the widest inside stretch of a horizontal line through it,
 *   as GEOS's InteriorPoint does); for a multipolygon, the centroid of all its parts if
 *   one contains it, else a point on the surface of its largest part.
 * The boundary of a zone belongs to it; where zones overlap, or a point lies on an edge
 * they share, the first zone in the list wins. Features whose point lies in no zone, or
 * that have no geometry, are totalled under `outsideZones`.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { valueText } from '../geo/value-text.ts';
import { geodesicArea, geodesicLength } from './geodesic.ts';
import { DEFAULT_PLANAR_CRS, planarArea } from './planar-area.ts';

export interface FeatureMeasures {
  /** Ellipsoidal area in m² for (multi)polygons, else null. */
  area_m2: number | null;
  /** Ellipsoidal length in m for (multi)lines, else null. */
  length_m: number | null;
  /** Planar area in m² in CGCS2000 Gauss–Krüger (EPSG:4550 by default) for (multi)polygons, else null. */
  area_gk_m2: number | null;
}

export interface Totals {
  count: number;
  area_m2: number;
  area_gk_m2: number;
  length_m: number;
}

export interface Summary {
  total: Totals;
  /** Per value of `groupBy` (empty without it); a missing value is keyed `NO_VALUE`. */
  byGroup: Record<string, Totals>;
  /** Per zone id, every zone listed even when empty (empty without `zones`). */
  byZone: Record<string, Totals>;
  /** Features in no zone (all of them without `zones`). */
  outsideZones: Totals;
}

export interface SummarizeOptions {
  /** A property to total by, e.g. `status` or `district`. */
  groupBy?: string;
  /** Polygons to total by, e.g. the grid cells; see the module comment for the rule. */
  zones?: readonly Feature<Polygon | MultiPolygon>[];
  /** The zone property naming each zone. Default `id`. */
  zoneIdField?: string;
  /** Projected CRS for `area_gk_m2`. Default EPSG:4550. */
  crs?: string;
}

/** The group key of features without a value in the `groupBy` field. */
export const NO_VALUE = '(none)';

const DEFAULTS = { zoneIdField: 'id', crs: DEFAULT_PLANAR_CRS } as const;

type Dim = 0 | 1 | 2;

/** The highest dimension present: 2 for polygons, 1 for lines, 0 for points, -1 for none. */
function dimension(g: Geometry | null): Dim | -1 {
  if (!g) return -1;
  switch (g.type) {
    case 'Point':
    case 'MultiPoint':
      return 0;
    case 'LineString':
    case 'MultiLineString':
      return 1;
    case 'Polygon':
    case 'MultiPolygon':
      return 2;
    case 'GeometryCollection':
      return g.geometries.reduce<Dim | -1>((d, m) => Math.max(d, dimension(m)) as Dim | -1, -1);
  }
}

/** Area for anything with polygons in it, length for anything with lines in it. */
export function measureFeature(f: Feature, crs: string = DEFAULTS.crs): FeatureMeasures {
  if (!f || f.type !== 'Feature') throw new Error('measureFeature needs a GeoJSON Feature');
  const g = f.geometry;
  const has = (d: Dim): boolean => !!g && (g.type === 'GeometryCollection' ? g.geometries.some((m) => dimension(m) === d) : dimension(g) === d);
  const areal = has(2);
  return {
    area_m2: areal ? geodesicArea(g) : null,
    length_m: has(1) ? geodesicLength(g) : null,
    area_gk_m2: areal ? planarArea(g, crs) : null,
  };
}

// ---------- representative point ----------

/** Points, paths and polygons of the highest dimension in a geometry. */
function parts(g: Geometry): { points: Position[]; paths: Position[][]; polygons: Position[][][] } {
  const out = { points: [] as Position[], paths: [] as Position[][], polygons: [] as Position[][][] };
  const walk = (x: Geometry): void => {
    switch (x.type) {
      case 'Point':
        out.points.push(x.coordinates);
        break;
      case 'MultiPoint':
        out.points.push(...x.coordinates);
        break;
      case 'LineString':
        out.paths.push(x.coordinates);
        break;
      case 'MultiLineString':
        out.paths.push(...x.coordinates);
        break;
      case 'Polygon':
        out.polygons.push(x.coordinates);
        break;
      case 'MultiPolygon':
        out.polygons.push(...x.coordinates);
        break;
      case 'GeometryCollection':
        x.geometries.forEach(walk);
    }
  };
  walk(g);
  return out;
}

function midpointByLength(paths: readonly Position[][]): Position | null {
  const segs: { a: Position; b: Position; s: number }[] = [];
  for (const p of paths)
    for (let i = 1; i < p.length; i++) {
      const a = p[i - 1]!;
      const b = p[i]!;
      segs.push({ a, b, s: geodesicLength({ type: 'LineString', coordinates: [a, b] }) });
    }
  const first = paths.find((p) => p.length > 0)?.[0];
  const total = segs.reduce((t, x) => t + x.s, 0);
  if (total === 0) return first ? first.slice(0, 2) : null;
  let left = total / 2;
  for (const { a, b, s } of segs) {
    if (left <= s && s > 0) {
      // Linear in lon/lat: within a segment of a few hundred metres this is millimetres
      // from the geodesic's own midpoint, which is all a zone assignment needs.
      const t = left / s;
      return [a[0]! + t * (b[0]! - a[0]!), a[1]! + t * (b[1]! - a[1]!)];
    }
    left -= s;
  }
  const last = segs[segs.length - 1]!.b;
  return last.slice(0, 2);
}

/**
 * Area-weighted centroid of polygons in lon/lat (holes subtract). A centroid is preserved
 * by affine maps and lon/lat is affine to metres to within 1e-4 over a few km, so working
 * in degrees is exact enough; coordinates are taken relative to a local origin so the
 * cross products keep their precision. Null when the total area is 0.
 */
function centroid(polygons: readonly Position[][][]): Position | null {
  const o = polygons[0]?.[0]?.[0];
  if (!o) return null;
  let A = 0;
  let cx = 0;
  let cy = 0;
  for (const rings of polygons)
    rings.forEach((ring, ri) => {
      let a = 0;
      let x = 0;
      let y = 0;
      for (let i = 0; i < ring.length; i++) {
        const p = ring[i]!;
        const q = ring[(i + 1) % ring.length]!;
        const [px, py, qx, qy] = [p[0]! - o[0]!, p[1]! - o[1]!, q[0]! - o[0]!, q[1]! - o[1]!];
        const c = px * qy - qx * py;
        a += c;
        x += (px + qx) * c;
        y += (py + qy) * c;
      }
      // Shell positive, holes negative, whatever the winding they were given in.
      const sign = (ri === 0 ? 1 : -1) * Math.sign(a);
      A += (sign * a) / 2;
      cx += (sign * x) / 6;
      cy += (sign * y) / 6;
    });
  if (A === 0) return null;
  return [o[0]! + cx / A, o[1]! + cy / A];
}

/**
 * A point inside a polygon: the middle of the widest inside stretch of a horizontal line
 * through the middle of its extent. The line is put halfway between two vertex latitudes
 * so it passes through no vertex, which keeps the crossing count even.
 */
function pointOnSurface(rings: readonly Position[][]): Position | null {
  const ys = [...new Set(rings.flatMap((r) => r.map((p) => p[1]!)))].sort((a, b) => a - b);
  if (ys.length < 2) return null;
  const mid = (ys[0]! + ys[ys.length - 1]!) / 2;
  // The gap between consecutive vertex latitudes nearest the middle.
  let y = Number.NaN;
  let best = Infinity;
  for (let i = 1; i < ys.length; i++) {
    const c = (ys[i - 1]! + ys[i]!) / 2;
    if (Math.abs(c - mid) < best) {
      best = Math.abs(c - mid);
      y = c;
    }
  }
  const xs: number[] = [];
  for (const ring of rings)
    for (let i = 1; i < ring.length; i++) {
      const [ax, ay] = ring[i - 1]! as [number, number];
      const [bx, by] = ring[i]! as [number, number];
      if ((ay < y) !== (by < y)) xs.push(ax + ((y - ay) / (by - ay)) * (bx - ax));
    }
  xs.sort((a, b) => a - b);
  let px = Number.NaN;
  let width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1]! - xs[i]! > width) {
      width = xs[i + 1]! - xs[i]!;
      px = (xs[i]! + xs[i + 1]!) / 2;
    }
  }
  return Number.isNaN(px) ? null : [px, y];
}

/**
 * The point a feature is placed at when totalling by zone (see the module comment).
 * Null for null or empty geometry.
 */
export function representativePoint(geometry: Geometry | null): Position | null {
  if (!geometry) return null;
  const { points, paths, polygons } = parts(geometry);
  const polys = polygons.filter((p) => (p[0]?.length ?? 0) >= 4);
  if (polys.length > 0) {
    const c = centroid(polys);
    const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: polys };
    if (c && booleanPointInPolygon(c, multi)) return c;
    let largest = polys[0]!;
    let a = -1;
    for (const p of polys) {
      const pa = geodesicArea({ type: 'Polygon', coordinates: p });
      if (pa > a) [largest, a] = [p, pa];
    }
    return pointOnSurface(largest) ?? largest[0]![0]!.slice(0, 2);
  }
  if (paths.some((p) => p.length > 0)) return midpointByLength(paths);
  if (points.length === 0) return null;
  const mx = points.reduce((s, p) => s + p[0]!, 0) / points.length;
  const my = points.reduce((s, p) => s + p[1]!, 0) / points.length;
  let best = points[0]!;
  let d = Infinity;
  for (const p of points) {
    const pd = (p[0]! - mx) ** 2 + (p[1]! - my) ** 2;
    if (pd < d) [best, d] = [p, pd];
  }
  return best.slice(0, 2);
}

// ---------- summarize ----------

const zero = (): Totals => ({ count: 0, area_m2: 0, area_gk_m2: 0, length_m: 0 });

function add(t: Totals, m: FeatureMeasures): void {
  t.count += 1;
  t.area_m2 += m.area_m2 ?? 0;
  t.area_gk_m2 += m.area_gk_m2 ?? 0;
  t.length_m += m.length_m ?? 0;
}

type BBox = [number, number, number, number];

function bboxOf(g: Polygon | MultiPolygon): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  for (const r of rings)
    for (const p of r) {
      b[0] = Math.min(b[0], p[0]!);
      b[1] = Math.min(b[1], p[1]!);
      b[2] = Math.max(b[2], p[0]!);
      b[3] = Math.max(b[3], p[1]!);
    }
  return b;
}

/** Counts, areas and lengths of a collection's features, overall, by a field and by zone. */
export function summarize(fc: FeatureCollection, options: SummarizeOptions = {}): Summary {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error('summarize needs a GeoJSON FeatureCollection');
  const opts = { ...DEFAULTS, ...options };
  if (opts.groupBy !== undefined && (typeof opts.groupBy !== 'string' || opts.groupBy === '')) throw new Error('groupBy must be a property name');
  const zones = (opts.zones ?? []).map((z, i) => {
    if (!z || z.type !== 'Feature' || !z.geometry || (z.geometry.type !== 'Polygon' && z.geometry.type !== 'MultiPolygon'))
      throw new Error(`zone ${i + 1} is not a Polygon or MultiPolygon feature`);
    const id: unknown = z.properties?.[opts.zoneIdField];
    if (typeof id !== 'string' && typeof id !== 'number') throw new Error(`zone ${i + 1} has no "${opts.zoneIdField}" property`);
    return { id: String(id), geometry: z.geometry, bbox: bboxOf(z.geometry) };
  });

  const summary: Summary = { total: zero(), byGroup: {}, byZone: {}, outsideZones: zero() };
  for (const z of zones) {
    if (z.id in summary.byZone) throw new Error(`zone id "${z.id}" appears twice`);
    summary.byZone[z.id] = zero();
  }

  for (const f of fc.features) {
    const m = measureFeature(f, opts.crs);
    add(summary.total, m);
    if (opts.groupBy !== undefined) {
      const v: unknown = f.properties?.[opts.groupBy];
      const key = v === null || v === undefined || v === '' ? NO_VALUE : valueText(v);
      add((summary.byGroup[key] ??= zero()), m);
    }
    const p = zones.length > 0 ? representativePoint(f.geometry) : null;
    const zone = p
      ? zones.find((z) => p[0]! >= z.bbox[0] && p[0]! <= z.bbox[2] && p[1]! >= z.bbox[1] && p[1]! <= z.bbox[3] && booleanPointInPolygon(p, z.geometry))
      : undefined;
    add(zone ? summary.byZone[zone.id]! : summary.outsideZones, m);
  }
  return summary;
}
