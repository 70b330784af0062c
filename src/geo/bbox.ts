/**
 * Bounding boxes of GeoJSON geometries, [west, south, east, north] in longitude/latitude:
 * what lies in a printed map's extent, the box the map fits to show a district or the filtered features.
 */
import type { Feature, Geometry, Position } from 'geojson';

export type Bbox = [number, number, number, number];

/** The box around every finite position of `geometry`; null for none (empty, or no geometry). */
export function geometryBbox(geometry: Geometry | null | undefined): Bbox | null {
  if (!geometry) return null;
  const b: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (p: Position): void => {
    const [x, y] = p;
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) return;
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  };
  const walk = (g: Geometry): void => {
    switch (g.type) {
      case 'Point': visit(g.coordinates); break;
      case 'MultiPoint': case 'LineString': g.coordinates.forEach(visit); break;
      case 'MultiLineString': case 'Polygon': g.coordinates.forEach((r) => r.forEach(visit)); break;
      case 'MultiPolygon': g.coordinates.forEach((p) => p.forEach((r) => r.forEach(visit))); break;
      case 'GeometryCollection': g.geometries.forEach(walk); break;
    }
  };
  walk(geometry);
  return b[0] <= b[2] ? b : null;
}

/** The box around several features (null when none has coordinates). */
export function featuresBbox(features: readonly Feature[]): Bbox | null {
  let out: Bbox | null = null;
  for (const f of features) {
    const b = geometryBbox(f.geometry);
    if (!b) continue;
    out = out ? [Math.min(out[0], b[0]), Math.min(out[1], b[1]), Math.max(out[2], b[2]), Math.max(out[3], b[3])] : b;
  }
  return out;
}

/** Whether two boxes share any point (touching counts). */
export function bboxesMeet(a: Bbox, b: Bbox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}
