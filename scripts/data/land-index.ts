/** Fast "is this on land?" over the clipped coastline, with a bbox pre-filter per polygon. */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { FeatureCollection, Polygon, Position } from 'geojson';

export interface LandIndex {
  isOnLand(p: Position): boolean;
  /** The land polygon containing p, if any. */
  polygonAt(p: Position): Polygon | undefined;
}

export function createLandIndex(land: FeatureCollection<Polygon>): LandIndex {
  const items = land.features.map((f) => {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const [x, y] of f.geometry.coordinates[0]!) {
      minX = Math.min(minX, x!); maxX = Math.max(maxX, x!);
      minY = Math.min(minY, y!); maxY = Math.max(maxY, y!);
    }
    return { geometry: f.geometry, minX, minY, maxX, maxY };
  });
  const polygonAt = (p: Position): Polygon | undefined => {
    const [x, y] = p as [number, number];
    for (const it of items) {
      if (x < it.minX || x > it.maxX || y < it.minY || y > it.maxY) continue;
      if (booleanPointInPolygon(p, it.geometry)) return it.geometry;
    }
    return undefined;
  };
  return { polygonAt, isOnLand: (p) => polygonAt(p) !== undefined };
}
