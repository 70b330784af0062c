/**
 * Planar area and length in a CGCS2000 Gauss–Krüger projection: the figures Chinese land
 * records (不动产登记, 土地调查) and CAD drawings carry, as opposed to the ellipsoidal
 * figures of `geodesic.ts`. Gauss–Krüger is conformal with scale factor 1 on the central
 * meridian growing as 1 + x²/(2R²) away from it, so at Zhoushan (0.8°–0.9° west of 123° E,
 * 77–87 km) a planar area reads about k² − 1 ≈ 1.5–1.9e-4 larger than the ellipsoidal one
 * and a planar length about 0.7–0.9e-4 longer.
 *
 * Coordinates come in as longitude/latitude on CGCS2000 (EPSG:4490; WGS84 is within cm)
 * and are projected vertex by vertex, as GIS software does when it reports "shape area" of
 * a layer in a projected CRS.
 */
import type { Geometry, Position } from 'geojson';
import { findCrs } from '../crs/definitions.ts';
import { projector } from '../crs/project.ts';
import type { Projector } from '../crs/project.ts';

/** Zhoushan's own zone: CGCS2000 3° Gauss–Krüger, central meridian 123° E. */
export const DEFAULT_PLANAR_CRS = 'EPSG:4550';

function projectedProjector(crs: string): Projector {
  const def = findCrs(crs);
  if (!def) throw new Error(`unknown coordinate system ${crs}`);
  if (def.kind !== 'projected') throw new Error(`${crs} is not a projected coordinate system`);
  return projector('EPSG:4490', def.code);
}

/**
 * Signed shoelace area of a projected ring (counter-clockwise positive). Coordinates are
 * taken relative to the first vertex: northings are ~3.3e6 m, and products of raw
 * coordinates would lose centimetres² to rounding on large rings.
 */
function shoelace(ring: readonly Position[]): number {
  const n = ring.length;
  if (n < 3) return 0;
  const x0 = ring[0]![0]!;
  const y0 = ring[0]![1]!;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = ring[i]!;
    const q = ring[(i + 1) % n]!;
    s += (p[0]! - x0) * (q[1]! - y0) - (q[0]! - x0) * (p[1]! - y0);
  }
  return s / 2;
}

function polygonArea(rings: readonly (readonly Position[])[], project: Projector): number {
  // Holes subtract whatever their winding, as in geodesicArea.
  return rings.reduce((a, r, i) => {
    const ra = Math.abs(shoelace(r.map(project)));
    return i === 0 ? a + ra : a - ra;
  }, 0);
}

function pathLength(path: readonly Position[], project: Projector): number {
  const xy = path.map(project);
  let s = 0;
  for (let i = 1; i < xy.length; i++) s += Math.hypot(xy[i]![0]! - xy[i - 1]![0]!, xy[i]![1]! - xy[i - 1]![1]!);
  return s;
}

/**
 * Planar (shoelace) area in m² of a (multi)polygon in lon/lat, measured in the projected
 * CRS `crs` (default EPSG:4550). 0 for null and for non-areal geometry.
 */
export function planarArea(geometry: Geometry | null, crs: string = DEFAULT_PLANAR_CRS): number {
  const project = projectedProjector(crs);
  const measure = (g: Geometry | null): number => {
    if (!g) return 0;
    switch (g.type) {
      case 'Polygon':
        return polygonArea(g.coordinates, project);
      case 'MultiPolygon':
        return g.coordinates.reduce((s, p) => s + polygonArea(p, project), 0);
      case 'GeometryCollection':
        return g.geometries.reduce((s, m) => s + measure(m), 0);
      default:
        return 0;
    }
  };
  return measure(geometry);
}

/**
 * Planar length in m of a (multi)line string in lon/lat, measured in the projected CRS
 * `crs` (default EPSG:4550). 0 for null and for non-linear geometry.
 */
export function planarLength(geometry: Geometry | null, crs: string = DEFAULT_PLANAR_CRS): number {
  const project = projectedProjector(crs);
  const measure = (g: Geometry | null): number => {
    if (!g) return 0;
    switch (g.type) {
      case 'LineString':
        return pathLength(g.coordinates, project);
      case 'MultiLineString':
        return g.coordinates.reduce((s, l) => s + pathLength(l, project), 0);
      case 'GeometryCollection':
        return g.geometries.reduce((s, m) => s + measure(m), 0);
      default:
        return 0;
    }
  };
  return measure(geometry);
}
