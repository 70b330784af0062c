/**
 * The naive Turf way to the same figure, kept as a baseline for the benchmark and the tests:
 * buffer every service (@turf/buffer), union the buffers (@turf/union), intersect the union
 * with the targets (@turf/intersect) and measure (@turf/area). The app must not import it:
 * it is slow (seconds for 1,000 stations), its circles are polygons (steps per quadrant) and
 * its areas spherical. Turf packages here are devDependencies.
 */
import { area as turfArea } from '@turf/area';
import { buffer } from '@turf/buffer';
import { intersect } from '@turf/intersect';
import { union } from '@turf/union';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { CoverageTally } from './coverage.ts';
import { checkRadius, resolveRadius } from './service-shapes.ts';
import type { RadiusOption } from './service-shapes.ts';

export interface NaiveCoverageOptions {
  /** As serviceCoverage's radius: ground metres, one for all or per feature. */
  radius: RadiusOption;
  /** @turf/buffer steps (segments per quarter circle); Turf's default is 8. */
  steps?: number;
}

export interface NaiveCoverageResult {
  /** Spherical m² (@turf/area); share is covered / area. */
  total: CoverageTally;
  /** Service features that were buffered. */
  services: number;
}

export function naiveCoverage(targets: FeatureCollection, services: FeatureCollection, options: NaiveCoverageOptions): NaiveCoverageResult {
  checkRadius(options?.radius);
  const steps = options.steps ?? 8;
  const buffers: Feature<Polygon | MultiPolygon>[] = [];
  let counted = 0;
  services.features.forEach((f, i) => {
    if (!f.geometry) return;
    const r = resolveRadius(options.radius, f, i);
    if (r === null) return;
    const type = f.geometry.type;
    const polygonal = type === 'Polygon' || type === 'MultiPolygon';
    // A zero buffer is empty for points and lines; a polygon still serves its interior.
    if (r === 0 && !polygonal) return;
    // @turf/buffer's types say Feature; a GeometryCollection comes back as a FeatureCollection.
    const b = (r === 0 ? f : buffer(f, r, { units: 'meters', steps })) as
      | Feature<Polygon | MultiPolygon>
      | FeatureCollection<Polygon | MultiPolygon>
      | undefined;
    if (!b) return;
    const parts = b.type === 'FeatureCollection' ? b.features : [b];
    for (const p of parts) buffers.push(p);
    counted++;
  });

  const polygons: Position[][][] = [];
  for (const t of targets.features) {
    const g = t.geometry as Polygon | MultiPolygon;
    if (g.type === 'Polygon') polygons.push(g.coordinates);
    else polygons.push(...g.coordinates);
  }
  const area = polygons.reduce((s, p) => s + turfArea({ type: 'Polygon', coordinates: p }), 0);

  let covered = 0;
  if (buffers.length > 0 && polygons.length > 0) {
    const merged = buffers.length === 1 ? buffers[0]! : union({ type: 'FeatureCollection', features: buffers });
    const land: Feature<MultiPolygon> = { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: polygons } };
    const cut = merged ? intersect({ type: 'FeatureCollection', features: [merged, land] }) : null;
    covered = cut ? turfArea(cut) : 0;
  }
  return { total: { area, covered, share: area > 0 ? covered / area : 0 }, services: counted };
}
