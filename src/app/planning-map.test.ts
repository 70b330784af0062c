import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { Scenario, ScenarioResponse } from '../analysis/planning/types.ts';
import { parseCatalogue } from '../data/catalogue.ts';
import { createPlanningMap } from './planning-map.ts';
import { Store } from './store.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../data/catalogue.json'), 'utf8')));
const square = (id: string, x: number): Feature => ({ type: 'Feature', properties: { id }, geometry: { type: 'Polygon', coordinates: [[[x, 30], [x + 0.01, 30], [x + 0.01, 30.01], [x, 30]]] } });
const scenario = (id: string, x: number): Scenario => ({
  id, name: id, kind: 'ebike', closed: [], created: '2024-01-01T00:00:00Z', updated: '2024-01-01T00:00:00Z',
  added: [{ id: `${id}-1`, origin: 'placed', name: '', geometry: { type: 'Point', coordinates: [x, 30] } }],
});
const summary = { total: { area: 1, covered: 0, share: 0 }, byGroup: {}, byZone: {} };
/** An answer in which cell `cell` gains `gain`. */
const answer = (id: string, cell: string, gain: number): ScenarioResponse => ({
  scenarioId: id, updated: '', kind: 'ebike', before: summary, after: summary, crossed: { up80: [], up90: [], down80: [], down90: [] },
  newlyCovered: [], noLongerCovered: [], radii: {}, reach: { type: 'FeatureCollection', features: [] }, ms: 1,
  zones: [{ id: 'G1', area: 10, before: 0.2, after: cell === 'G1' ? 0.2 + gain : 0.2 }, { id: 'G2', area: 10, before: 0.5, after: cell === 'G2' ? 0.5 + gain : 0.5 }],
});

function setUp(): Store {
  const store = new Store();
  store.setCatalogue(catalogue);
  store.layerLoaded('grid-cells', { type: 'FeatureCollection', features: [square('G1', 122.1), square('G2', 122.2)] });
  store.setScenarios([scenario('a', 122.1), scenario('b', 122.2)]);
  store.setScenarioId('a');
  store.setTab('planning');
  store.setPlanning({ coverage: { status: 'done', error: null, response: answer('a', 'G1', 0.3) } });
  return store;
}

const gains = (fc: { features: Feature[] }): Record<string, unknown> => Object.fromEntries(fc.features.map((f) => [String(f.properties?.id), f.properties?.gain as unknown]));

describe('what the map draws of planning', () => {
  it('the active scenario: its sites and its gain per cell', () => {
    const planning = createPlanningMap();
    const d = planning(setUp().state);
    expect(d.show).toBe(true);
    expect(d.sites.features.map((f) => String(f.properties?.id))).toEqual(['a-1']);
    expect(gains(d.gain).G1).toBeCloseTo(0.3);
    expect(gains(d.gain).G2).toBe(0);
  });

  it('comparing on the map, each map its own side: today nothing, a scenario its sites and gain, whatever is active', () => {
    const store = setUp();
    store.setPlanning({
      compare: { status: 'done', error: null, response: { left: { id: null, summary, response: answer('today', '', 0) }, right: { id: 'b', summary, response: answer('b', 'G2', 0.4) } } },
      swipe: { side: 'after', ours: 'left' },
    });
    const left = createPlanningMap()(store.state);
    expect(left.sites.features).toEqual([]);
    expect(left.showGain).toBe(false);
    const right = createPlanningMap()({ ...store.state, planning: { ...store.state.planning, swipe: { side: 'after', ours: 'right' } } });
    expect(right.sites.features.map((f) => String(f.properties?.id))).toEqual(['b-1']);
    expect(right.showGain).toBe(true);
    expect(gains(right.gain).G2).toBeCloseTo(0.4);
    expect(gains(right.gain).G1).toBe(0);
    // Scenario against scenario: the left is the other one.
    store.setPlanning({ compare: { status: 'done', error: null, response: { left: { id: 'a', summary, response: answer('a', 'G1', 0.3) }, right: { id: 'b', summary, response: answer('b', 'G2', 0.4) } } } });
    expect(createPlanningMap()(store.state).sites.features.map((f) => String(f.properties?.id))).toEqual(['a-1']);
    // While the comparison runs again, nothing of either is drawn rather than a stale side.
    store.setPlanning({ compare: { status: 'running', error: null, response: null } });
    expect(createPlanningMap()(store.state).sites.features).toEqual([]);
  });

  it('a suggestion belongs to the scenario being edited, not to a side of a comparison', () => {
    const store = setUp();
    const sites = { type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, properties: { id: 'S1' }, geometry: { type: 'Point' as const, coordinates: [122.3, 30] } }] };
    store.setPlanning({ suggestion: { status: 'done', error: null, what: 'a', response: { sites } as never } });
    const planning = createPlanningMap();
    expect(planning(store.state).suggested.features).toHaveLength(1);
    store.setPlanning({
      compare: { status: 'done', error: null, response: { left: { id: 'a', summary, response: answer('a', 'G1', 0.3) }, right: { id: 'b', summary, response: answer('b', 'G2', 0.4) } } },
      swipe: { side: 'after', ours: 'left' },
    });
    expect(planning(store.state).suggested.features).toEqual([]);
  });
});
