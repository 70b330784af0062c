/**
 * Argument checks shared by the coverage entry points, so they fail alike and early, with a
 * plain message naming the offending feature.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

function isFeatureCollection(x: unknown): x is FeatureCollection {
  return (
    typeof x === 'object' && x !== null && (x as FeatureCollection).type === 'FeatureCollection' && Array.isArray((x as FeatureCollection).features)
  );
}

/** Targets must be a FeatureCollection whose every feature is a Polygon or MultiPolygon. */
export function checkTargets(targets: unknown): asserts targets is FeatureCollection<Polygon | MultiPolygon> {
  if (!isFeatureCollection(targets)) throw new Error('targets must be a FeatureCollection of polygons');
  targets.features.forEach((f, i) => {
    if (!isPolygonal(f)) throw new Error(`targets must be a FeatureCollection of polygons (feature ${i} is ${describe(f)})`);
  });
}

export function checkServices(services: unknown): asserts services is FeatureCollection {
  if (!isFeatureCollection(services)) throw new Error('services must be a FeatureCollection');
}

/** Zones, when given, must be an array of Polygon or MultiPolygon features. */
export function checkZones(zones: unknown): asserts zones is readonly Feature<Polygon | MultiPolygon>[] | undefined {
  if (zones === undefined) return;
  if (!Array.isArray(zones)) throw new Error('zones must be an array of polygon features');
  zones.forEach((z: unknown, i) => {
    if (!isPolygonal(z)) throw new Error(`zones must be an array of polygon features (zone ${i} is ${describe(z)})`);
  });
}

function isPolygonal(f: unknown): boolean {
  const type = (f as Feature | null)?.geometry?.type;
  return type === 'Polygon' || type === 'MultiPolygon';
}

function describe(f: unknown): string {
  const g = (f as Feature | null)?.geometry;
  return g ? `a ${g.type}` : 'without geometry';
}
