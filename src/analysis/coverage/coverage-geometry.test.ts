import { area as turfArea } from '@turf/area';
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { geodesicArea } from '../geodesic.ts';
import { coveredGeometry } from './coverage-geometry.ts';
import { serviceCoverage } from './coverage.ts';
import { parkRadiusFn } from './park-radius.ts';
import { coverageFixtures } from './test/fixtures.ts';
import { deepFreeze, readLayer } from './test/support.ts';

const fc = <G extends Feature['geometry']>(features: Feature<G>[]): FeatureCollection<G> => ({ type: 'FeatureCollection', features });

describe('coveredGeometry', () => {
  let communities: FeatureCollection;
  let ebike: FeatureCollection;
  let parks: FeatureCollection;
  let berths: FeatureCollection;
  beforeAll(async () => {
    communities = deepFreeze(await readLayer('communities'));
    ebike = deepFreeze(await readLayer('ebike-stations'));
    parks = deepFreeze(await readLayer('parks'));
    berths = deepFreeze(await readLayer('parking-berths'));
  });

  it('draws the covered land, its area close to serviceCoverage (48-gon circles)', () => {
    // Berth lines and park outlines are where a naive clip fails (shared vertices).
    for (const [services, radius] of [[ebike, 300], [parks, parkRadiusFn()], [berths, 300]] as const) {
      const drawn = coveredGeometry(communities, services, { radius });
      const exact = serviceCoverage(communities, services, { radius });
      const area = drawn.features.reduce((s, f) => s + geodesicArea(f.geometry), 0);
      // An inscribed 48-gon has 0.29% less area than its circle; only edges near circles lose it.
      expect(area / exact.total.covered).toBeGreaterThan(0.997);
      expect(area / exact.total.covered).toBeLessThanOrEqual(1.000001);
      // Every partly or fully covered target has a feature, with its id and district.
      const covered = exact.perTarget.filter((t) => t.covered > 1e-3).map((t) => t.id);
      expect(drawn.features.map((f) => f.properties?.id as unknown)).toEqual(covered);
      const districts = new Map(communities.features.map((f) => [f.properties?.id, f.properties?.district]));
      for (const f of drawn.features) expect(f.properties?.district).toBe(districts.get(f.properties?.id));
    }
  });

  it('returns fully covered targets whole and skips uncovered ones', () => {
    const [fixture] = coverageFixtures().filter((f) => f.name === 'outside-zones');
    const target = fixture!.targets.features[0] as Feature<Polygon>;
    const station: Feature<Point> = { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [122.2, 30] } };
    // The 200 m target with a corner on the station: 5 km covers it all, 1 m almost nothing, far away none.
    const whole = coveredGeometry(fc([target]), fc([station]), { radius: 5000 });
    expect(whole.features).toHaveLength(1);
    expect(whole.features[0]!.geometry).toEqual(target.geometry);
    expect(whole.features[0]!.geometry).not.toBe(target.geometry);
    const far: Feature<Point> = { ...station, geometry: { type: 'Point', coordinates: [122.5, 30.3] } };
    expect(coveredGeometry(fc([target]), fc([far]), { radius: 300 }).features).toHaveLength(0);
    expect(coveredGeometry(fc([target]), fc([]), { radius: 300 }).features).toHaveLength(0);
  });

  it('clips around holes and keeps each part of a multipolygon target', () => {
    for (const name of ['hole', 'multipolygon-zones', 'line-service', 'polygon-service']) {
      const [fixture] = coverageFixtures().filter((f) => f.name === name);
      const radius = fixture!.options.radius;
      const drawn = coveredGeometry(fixture!.targets, fixture!.services, { radius, steps: 256 });
      const exact = serviceCoverage(fixture!.targets, fixture!.services, { radius });
      const area = drawn.features.reduce((s, f) => s + geodesicArea(f.geometry), 0);
      expect(Math.abs(area / exact.total.covered - 1), name).toBeLessThan(2e-4);
      for (const f of drawn.features) expect(turfArea(f)).toBeGreaterThan(0);
    }
  });

  it('checks its arguments', () => {
    expect(() => coveredGeometry(fc([]), fc([]), {} as never)).toThrow(/^radius is required$/);
    expect(() => coveredGeometry(fc([]), fc([]), { radius: 1, steps: 2 })).toThrow(/steps must be a whole number/);
    expect(() => coveredGeometry({} as FeatureCollection, fc([]), { radius: 1 })).toThrow(/targets must be a FeatureCollection of polygons/);
  });
});
