import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection } from 'geojson';
import loadHighs from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFgb } from '../../data/fgb/read-fgb.ts';
import { deepFreeze, readLayer } from '../coverage/test/support.ts';
import { readScenario } from '../planning/check-scenario.ts';
import type { Scenario } from '../planning/types.ts';
import { AnalysisApi, DEFAULT_COVERAGE_SETTINGS, type AnalysisRoles } from './analysis-api.ts';
import { BASEMAP_LAND, BASEMAP_ROADS } from './basemap-keys.ts';

const ROLES: AnalysisRoles = {
  residential: 'communities',
  zones: 'grid-cells',
  districtField: 'district',
  services: { parks: ['parks'], ebike: ['ebike-stations'], parking: ['parking-berths', 'car-parks'] },
};

async function readBasemap(name: string): Promise<FeatureCollection> {
  const features: Feature[] = [];
  for await (const f of readFgb(new Uint8Array(readFileSync(join(import.meta.dirname, '../../../data/basemap', `${name}.fgb`))), { sourceName: name })) features.push(f);
  return { type: 'FeatureCollection', features };
}

let api: AnalysisApi;
let stations: FeatureCollection;
let plots: FeatureCollection;
beforeAll(async () => {
  api = new AnalysisApi({ loadSolver: () => loadHighs() });
  const names = ['communities', 'grid-cells', 'parks', 'ebike-stations', 'idle-plots'];
  const layers = await Promise.all(names.map((n) => readLayer(n).then(deepFreeze)));
  api.setLayers(Object.fromEntries(names.map((n, i) => [n, layers[i]!])));
  api.setLayers({ [BASEMAP_ROADS]: deepFreeze(await readBasemap('roads')), [BASEMAP_LAND]: deepFreeze(await readBasemap('land')) });
  stations = layers[3]!;
  plots = layers[4]!;
});

const scenario = (patch: Partial<Scenario>): Scenario => ({ id: 's-1', name: 'A', kind: 'ebike', added: [], closed: [], created: '2026-11-30T00:00:00Z', updated: '2026-11-30T00:00:00Z', ...patch });

describe('AnalysisApi planning', () => {
  it('scenario: today is the coverage run; closing every station loses it all, and the figures are the engine’s', () => {
    const settings = { ...DEFAULT_COVERAGE_SETTINGS, kind: 'ebike' as const };
    const today = api.coverage(settings, ROLES);
    const closed = stations.features.map((f) => ({ layerId: 'ebike-stations', featureId: String(f.properties?.id) }));
    const r = api.scenario(scenario({ closed }), settings, ROLES);
    expect(r.before.total.share).toBeCloseTo(today.result.total.share, 12);
    expect(r.after.total.covered).toBe(0);
    expect(r.zones.length).toBeGreaterThan(0);
    expect(r.noLongerCovered.length).toBeGreaterThan(0);
  });

  it('suggest: 5 stations along the roads raise the city figure; the exact step grades them', async () => {
    const settings = { ...DEFAULT_COVERAGE_SETTINGS, kind: 'ebike' as const };
    const { response, exact } = api.suggest({ kind: 'ebike', goal: { sites: 5 }, candidates: { from: 'roads', spacing: 200, offset: 8 }, minDistance: 100, onLand: true }, null, settings, ROLES);
    expect(response.sites.features).toHaveLength(5);
    expect(response.after.total.share).toBeGreaterThan(response.before.total.share);
    const figure = await api.exact(exact);
    expect(['optimal', 'limit', 'lp']).toContain(figure.exact.status);
    expect(figure.gap).not.toBeNull();
    expect(figure.gap!).toBeGreaterThanOrEqual(0);
  });

  it('suggest: idle plots as pocket parks name the plot they came from', () => {
    const settings = { ...DEFAULT_COVERAGE_SETTINGS, kind: 'parks' as const };
    const { response } = api.suggest({ kind: 'parks', goal: { sites: 3 }, candidates: { from: 'layer', layerId: 'idle-plots' }, minDistance: 0, onLand: false }, null, settings, ROLES);
    expect(response.sites.features.length).toBeGreaterThan(0);
    const ids = new Set(plots.features.map((f) => String(f.properties?.id)));
    for (const f of response.sites.features) expect(ids.has(String(f.properties?.from_id))).toBe(true);
  });
});

describe('readScenario', () => {
  it('keeps a good record and only its own members', () => {
    const raw = { ...scenario({ added: [{ id: 'p1', name: '', origin: 'placed', geometry: { type: 'Point', coordinates: [122.2, 30] } }] }), extra: 1 };
    const r = readScenario(raw);
    expect('value' in r && r.value).toEqual(scenario({ added: [{ id: 'p1', name: '', origin: 'placed', geometry: { type: 'Point', coordinates: [122.2, 30] } }] }));
  });

  it('refuses a damaged record with the reason', () => {
    expect(readScenario({ id: 's-1', name: 'A', kind: 'trams', added: [], closed: [] })).toEqual({ reason: 'the scenario is for an unknown service', id: 's-1' });
    expect(readScenario({ id: 'S 1' })).toMatchObject({ id: null });
    const bad = readScenario(scenario({ added: [{ id: 'p1', name: '', origin: 'placed', geometry: { type: 'Point', coordinates: [Number.NaN, 0] } as never }] }));
    expect('reason' in bad).toBe(true);
  });
});
