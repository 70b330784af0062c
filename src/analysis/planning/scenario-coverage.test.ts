import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { serviceCoverage } from '../coverage/coverage.ts';
import { parkRadiusFn } from '../coverage/park-radius.ts';
import { deepFreeze, readLayer } from '../coverage/test/support.ts';
import { geodesicArea } from '../geodesic.ts';
import { scenarioCoverage, scenarioServices } from './scenario-coverage.ts';
import { summarizeCoverage } from './summary.ts';
import { CELL_TARGETS, NEWLY_COVERED_SHARE, type Scenario } from './types.ts';

let communities: FeatureCollection;
let grid: Feature<Polygon | MultiPolygon>[];
let stations: FeatureCollection;
let parks: FeatureCollection;
let plots: FeatureCollection;

beforeAll(async () => {
  [communities, stations, parks, plots] = (await Promise.all(['communities', 'ebike-stations', 'parks', 'idle-plots'].map((n) => readLayer(n).then(deepFreeze)))) as [FeatureCollection, FeatureCollection, FeatureCollection, FeatureCollection];
  grid = deepFreeze((await readLayer('grid-cells')).features as Feature<Polygon | MultiPolygon>[]);
});

const at = (lon: number, lat: number): Scenario['added'][number]['geometry'] => ({ type: 'Point', coordinates: [lon, lat] });

function scenario(patch: Partial<Scenario>): Scenario {
  return deepFreeze({ id: 's1', name: 'A', kind: 'ebike', added: [], closed: [], created: '2024-07-01T00:00:00Z', updated: '2024-07-01T00:00:00Z', ...patch });
}

describe('scenarioCoverage', () => {
  it('equals the coverage engine run on the merged layers: today less the closed sites plus the proposed ones', () => {
    const closed = stations.features.slice(0, 40).map((f) => ({ layerId: 'ebike-stations', featureId: String(f.properties?.id) }));
    const s = scenario({
      added: [
        { id: 'p1', name: '', origin: 'placed', geometry: at(122.203, 29.988) },
        { id: 'p2', name: '', origin: 'placed', geometry: at(122.29, 29.95) },
        { id: 'p3', name: '', origin: 'placed', geometry: at(122.1, 30.02) },
      ],
      closed,
    });
    const services = [{ layerId: 'ebike-stations', data: stations }];
    const r = scenarioCoverage({ targets: communities, zones: grid, groupField: 'district', services, scenario: s, radius: 300 });
    const merged = scenarioServices(services, s);
    expect(merged.features).toHaveLength(stations.features.length - 40 + 3);
    const direct = serviceCoverage(communities, merged, { radius: 300, zones: grid, groupField: 'district' });
    expect(r.after).toEqual(summarizeCoverage(direct));
    expect(r.before).toEqual(summarizeCoverage(serviceCoverage(communities, stations, { radius: 300, zones: grid, groupField: 'district' })));
    // The changes are read off the two results.
    for (const z of r.zones) {
      expect(z.before).toBe(r.before.byZone[z.id]!.share);
      expect(z.after).toBe(r.after.byZone[z.id]!.share);
    }
    const [t80, t90] = CELL_TARGETS;
    expect(r.crossed.up80).toEqual(r.zones.filter((z) => z.area > 0 && z.before < t80 && z.after >= t80).map((z) => z.id));
    expect(r.crossed.down90).toEqual(r.zones.filter((z) => z.area > 0 && z.before >= t90 && z.after < t90).map((z) => z.id));
    for (const c of r.newlyCovered) {
      expect(c.before).toBeLessThan(NEWLY_COVERED_SHARE);
      expect(c.after).toBeGreaterThanOrEqual(NEWLY_COVERED_SHARE);
    }
    // Closing 40 stations loses some communities; three new ones bring some in.
    expect(r.noLongerCovered.length).toBeGreaterThan(0);
    expect(r.radii).toEqual({ p1: 300, p2: 300, p3: 300 });
    expect(r.reach.features.length).toBeGreaterThan(0);
  });

  it('gives a converted idle plot the park radius its area earns', () => {
    const byArea = plots.features.map((f) => ({ f, a: geodesicArea(f.geometry) }));
    const big = byArea.find((x) => x.a >= 5000)!.f;
    const mid = byArea.find((x) => x.a >= 2000 && x.a < 5000)!.f;
    const small = byArea.find((x) => x.a < 2000)!.f;
    const site = (f: Feature, id: string): Scenario['added'][number] => ({ id, name: '', origin: 'converted', geometry: f.geometry as Polygon, from: { layerId: 'idle-plots', featureId: String(f.properties?.id) } });
    const s = scenario({ kind: 'parks', added: [site(big, 'a'), site(mid, 'b'), site(small, 'c')] });
    const r = scenarioCoverage({ targets: communities, zones: grid, groupField: 'district', services: [{ layerId: 'parks', data: parks }], scenario: s, radius: parkRadiusFn() });
    expect(r.radii).toEqual({ a: 500, b: 300, c: null });
    expect(r.after.total.covered).toBeGreaterThanOrEqual(r.before.total.covered);
  });

  it('with nothing changed, after is before', () => {
    const r = scenarioCoverage({ targets: communities, zones: grid, groupField: 'district', services: [{ layerId: 'ebike-stations', data: stations }], scenario: scenario({}), radius: 300 });
    expect(r.after).toEqual(r.before);
    expect(r.newlyCovered).toEqual([]);
    expect(r.crossed).toEqual({ up80: [], up90: [], down80: [], down90: [] });
  });
});
