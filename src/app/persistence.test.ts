import { describe, expect, it } from 'vitest';
import { urlStateOf } from './controllers/url-hash.ts';
import { PERSISTENCE } from './persistence.ts';
import { pickSettings } from './session.ts';
import { initialState } from './store.ts';

const SCENARIO = { id: 's-1', name: '', kind: 'ebike' as const, added: [], closed: [], created: '2026-11-30T00:00:00Z', updated: '2026-11-30T00:00:00Z' };
const where = (kinds: string[]): string[] => Object.entries(PERSISTENCE).filter(([, p]) => kinds.includes(p)).map(([k]) => k).sort();

describe('the persistence table', () => {
  it('lists every part of the state', () => {
    expect(Object.keys(PERSISTENCE).sort()).toEqual(Object.keys(initialState()).sort());
  });

  it('names exactly what the session controller keeps in IndexedDB (the study area and the scenarios have records of their own)', () => {
    expect([...Object.keys(pickSettings(initialState())), 'studyArea', 'scenarios'].sort()).toEqual(where(['indexeddb', 'url+indexeddb']));
  });

  it('names exactly what the link carries (the visible layers as `layers`, the pick as `selection`, the open popup as `popup`, the analysis as `coverage` and `study`, the active scenario as `plan`, two days compared as `vs`, the mode in the query)', () => {
    const studyArea = { feature: { type: 'Feature' as const, properties: {}, geometry: { type: 'Polygon' as const, coordinates: [[[122, 30], [122.1, 30], [122.1, 30.1], [122, 30]]] } }, label: '' };
    const selection = { layerId: 'a', featureId: '1', properties: {}, lngLat: [122, 30] as [number, number] };
    const names: Record<string, string> = { plan: 'scenarioId', selection: 'picked', popup: 'selection', coverage: 'coverageSettings', study: 'studyArea', compareWith: 'compare' };
    const carried = Object.keys(urlStateOf(initialState({ picked: { layerId: 'a', ids: ['1'] }, table: 'a', studyArea, selection, asOf: '2024-03-31', compare: { asOf: null, side: 'after' }, scenarios: [SCENARIO], scenarioId: SCENARIO.id })))
      .map((k) => names[k] ?? k)
      .concat('mode')
      .sort();
    expect(carried).toEqual(where(['url', 'url+indexeddb']));
  });
});
