import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection } from 'geojson';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExactInput } from '../../analysis/planning/suggest.ts';
import type { ExactFigure, Scenario, ScenarioResponse, SuggestRequest, SuggestResponse } from '../../analysis/planning/types.ts';
import type { SuggestAnswer } from '../../analysis/worker/analysis-api.ts';
import { parseCatalogue } from '../../data/catalogue.ts';
import { abortError } from '../../data/errors.ts';
import type { ScenarioStore } from '../../data/stored-layers.ts';
import { Store } from '../store.ts';
import { PlanningController, suggestRequest, type PlanningPort, type SolverPort } from './planning.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../../data/catalogue.json'), 'utf8')));
const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
const plot: Feature = { type: 'Feature', properties: { id: 'i1', name: '闲置地块一' }, geometry: { type: 'Polygon', coordinates: [[[122.2, 30], [122.201, 30], [122.201, 30.001], [122.2, 30]]] } };
const station: Feature = { type: 'Feature', properties: { id: 'e1' }, geometry: { type: 'Point', coordinates: [122.2, 30] } };

class FakeDb implements ScenarioStore {
  records = new Map<string, unknown>();
  async readScenarios(): Promise<unknown[]> {
    return [...this.records.values()];
  }
  async writeScenarios(put: readonly { id: string }[], remove: readonly string[] = []): Promise<void> {
    for (const r of put) this.records.set(r.id, structuredClone(r));
    for (const k of remove) this.records.delete(k);
  }
}

class FakeClient implements PlanningPort {
  scenarios: Scenario[] = [];
  suggests: SuggestRequest[] = [];
  held: Readonly<Record<string, FeatureCollection>> = {};
  cancelled = 0;
  fail: Error | null = null;
  sync(layers: Readonly<Record<string, FeatureCollection>>): void {
    this.held = layers;
  }
  /** The channel of each scenario request: the client supersedes within a channel only. */
  channels: (string | undefined)[] = [];
  async scenario(s: Scenario, _settings?: unknown, _roles?: unknown, channel?: string): Promise<ScenarioResponse> {
    this.scenarios.push(s);
    this.channels.push(channel);
    if (this.fail) throw this.fail;
    return { scenarioId: s.id, updated: s.updated, kind: s.kind, before: summary(0.5), after: summary(0.5 + 0.1 * s.added.length), zones: [], crossed: { up80: [], up90: [], down80: [], down90: [] }, newlyCovered: [], noLongerCovered: [], radii: {}, reach: fc([]) as ScenarioResponse['reach'], ms: 1 };
  }
  async suggest(request: SuggestRequest): Promise<SuggestAnswer> {
    this.suggests.push(request);
    if (this.fail) throw this.fail;
    const sites = fc([{ type: 'Feature', properties: { id: 'S1', rank: 1, gain_m2: 10 }, geometry: { type: 'Point', coordinates: [122.3, 30.1] } }]) as SuggestResponse['sites'];
    return { response: { sites, after: summary(0.7) } as SuggestResponse, exact: { chosen: [0], value: 10 } as ExactInput };
  }
  cancel(): void {
    this.cancelled++;
  }
}

class FakeSolver implements SolverPort {
  pending: ((f: ExactFigure) => void)[] = [];
  rejecters: ((e: Error) => void)[] = [];
  exact(): Promise<ExactFigure> {
    return new Promise((resolve, reject) => {
      this.pending.push(resolve);
      this.rejecters.push(reject);
    });
  }
  cancel(): void {
    for (const r of this.rejecters) r(abortError('cancelled'));
    this.rejecters = [];
  }
}

function summary(share: number): ScenarioResponse['before'] {
  return { total: { area: 100, covered: 100 * share, share }, byGroup: {}, byZone: {} };
}

let ids = 0;
function setUp(db: FakeDb | null = new FakeDb()) {
  const store = new Store();
  store.setCatalogue(catalogue);
  for (const l of catalogue.layers) store.layerLoaded(l.id, l.id === 'idle-plots' ? fc([plot]) : l.id === 'ebike-stations' ? fc([station]) : fc([]));
  const client = new FakeClient();
  const solver = new FakeSolver();
  let t = Date.UTC(2026, 10, 30);
  const controller = new PlanningController(store, { client, solver, storage: db, debounceMs: 10, now: () => new Date((t += 1000)), newId: () => `s-${++ids}` });
  return { store, client, solver, controller, db };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('PlanningController', () => {
  it('creates, renames, duplicates and deletes scenarios, every change written to the store of records', async () => {
    const { store, controller, db } = setUp();
    const a = await controller.create('ebike', '  East  ');
    expect(store.state.scenarioId).toBe(a.id);
    expect(a.name).toBe('East');
    controller.rename(a.id, 'East side');
    const copy = controller.duplicate(a.id)!;
    expect(store.state.scenarioId).toBe(copy.id);
    expect(copy.name).toBe('East side (2)');
    await controller.written;
    expect([...db!.records.keys()].sort()).toEqual([a.id, copy.id].sort());
    expect((db!.records.get(a.id) as Scenario).name).toBe('East side');
    controller.remove(copy.id);
    await controller.written;
    expect([...db!.records.keys()]).toEqual([a.id]);
    expect(store.state.scenarioId).toBeNull();
    controller.dispose();
  });

  it('reads kept scenarios back (a reload), leaving out and reporting a damaged record', async () => {
    const first = setUp();
    const a = await first.controller.create('ebike');
    first.controller.placeAt([122.25, 30.02]);
    await first.controller.written;
    first.controller.dispose();
    first.db!.records.set('bad', { id: 'bad', name: 3 });
    const second = setUp(first.db);
    await second.controller.load();
    expect(second.store.state.scenarios.map((s) => s.id)).toEqual([a.id]);
    expect(second.store.state.scenarios[0]!.added).toHaveLength(1);
    expect(second.store.state.storage).toEqual([{ key: 'scenarios', kind: 'damaged', detail: 'bad: the scenario has no valid name' }]);
    second.controller.dispose();
  });

  it('places, moves and removes stations; closes and reopens an existing one', async () => {
    const { store, controller } = setUp();
    await controller.create('ebike');
    store.setTool('place-site');
    controller.placeAt([122.25, 30.02]);
    controller.placeAt([122.26, 30.03]);
    let s = controller.active()!;
    expect(s.added.map((x) => [x.id, x.origin])).toEqual([['p1', 'placed'], ['p2', 'placed']]);
    controller.startMove('p1');
    expect(store.state.planning.moving).toBe('p1');
    controller.placeAt([122.3, 30.1]);
    s = controller.active()!;
    expect(s.added).toHaveLength(2);
    expect(s.added[0]!.geometry).toEqual({ type: 'Point', coordinates: [122.3, 30.1] });
    expect(store.state.tool).toBe('none');
    controller.removeSite('p2');
    expect(controller.active()!.added.map((x) => x.id)).toEqual(['p1']);
    controller.toggleClosed({ layerId: 'ebike-stations', featureId: 'e1' });
    expect(controller.active()!.closed).toEqual([{ layerId: 'ebike-stations', featureId: 'e1' }]);
    // Parks are not this scenario's service: nothing to close there.
    controller.toggleClosed({ layerId: 'parks', featureId: 'k1' });
    controller.toggleClosed({ layerId: 'ebike-stations', featureId: 'e1' });
    expect(controller.active()!.closed).toEqual([]);
    controller.dispose();
  });

  it('an idle plot made a pocket park goes into a parks scenario (a new one when the active one is not about parks), once', async () => {
    const { store, controller } = setUp();
    await controller.create('ebike');
    await controller.convert({ layerId: 'idle-plots', featureId: 'i1' });
    const a = controller.active()!;
    expect(a.kind).toBe('parks');
    expect(store.state.scenarios).toHaveLength(2);
    expect(a.added).toEqual([{ id: 'p1', origin: 'converted', name: '闲置地块一', from: { layerId: 'idle-plots', featureId: 'i1' }, geometry: plot.geometry }]);
    await controller.convert({ layerId: 'idle-plots', featureId: 'i1' });
    expect(controller.active()!.added).toHaveLength(1);
    expect(store.state.tab).toBe('planning');
    controller.dispose();
  });

  it('computes the active scenario’s coverage while the planning tab is open, again after each edit, and drops a stale answer', async () => {
    vi.useFakeTimers();
    const { store, client, controller } = setUp();
    await controller.create('ebike');
    await vi.runAllTimersAsync();
    expect(client.scenarios).toHaveLength(0);
    store.setTab('planning');
    expect(store.state.planning.coverage.status).toBe('running');
    await vi.runAllTimersAsync();
    expect(store.state.planning.coverage.status).toBe('done');
    expect(store.state.planning.coverage.response?.after.total.share).toBe(0.5);
    controller.placeAt([122.25, 30.02]);
    controller.placeAt([122.26, 30.02]);
    await vi.runAllTimersAsync();
    // The two quick edits were one run (debounced).
    expect(client.scenarios).toHaveLength(2);
    expect(store.state.planning.coverage.response?.after.total.share).toBeCloseTo(0.7);
    expect(Object.keys(client.held)).toContain('communities');
    controller.dispose();
  });

  it('a failed run says why', async () => {
    vi.useFakeTimers();
    const { store, client, controller } = setUp();
    client.fail = new Error('out of memory');
    await controller.create('ebike');
    store.setTab('planning');
    await vi.runAllTimersAsync();
    expect(store.state.planning.coverage).toMatchObject({ status: 'error', error: 'out of memory' });
    controller.dispose();
  });

  it('suggests sites, then grades them; accepting adds them to the scenario; Cancel stops the exact solve and says so', async () => {
    const { store, client, solver, controller } = setUp();
    await controller.create('ebike');
    controller.setSettings({ sites: 10, spacing: 40 });
    const run = controller.suggest();
    await vi.waitFor(() => expect(store.state.planning.exact.status).toBe('running'));
    expect(client.suggests[0]).toEqual({ kind: 'ebike', goal: { sites: 10 }, candidates: { from: 'roads', spacing: 40, offset: 8 }, minDistance: 100, onLand: true });
    expect(store.state.planning.suggestion.status).toBe('done');
    solver.pending[0]!({ exact: { status: 'optimal', value: 10, bound: 10, ms: 5 }, gap: 0 });
    await run;
    expect(store.state.planning.exact).toMatchObject({ status: 'done', response: { gap: 0 } });
    controller.acceptSuggestion();
    expect(controller.active()!.added.map((x) => x.origin)).toEqual(['suggested']);

    const again = controller.suggest();
    await vi.waitFor(() => expect(store.state.planning.exact.status).toBe('running'));
    controller.cancel();
    await again;
    expect(store.state.planning.exact.status).toBe('cancelled');
    controller.dispose();
  });

  it('the request: a target as a share, idle plots as candidates (no land test)', () => {
    expect(suggestRequest('parks', { goal: 'share', sites: 5, share: 0.9, source: { layerId: 'idle-plots' }, spacing: 50, minDistance: 0 })).toEqual({
      kind: 'parks', goal: { share: 0.9 }, candidates: { from: 'layer', layerId: 'idle-plots' }, minDistance: 0, onLand: false,
    });
  });

  it('a scenario opened from a link joins the kept ones and is written; a newer kept copy wins over an older link', async () => {
    const db = new FakeDb();
    const kept: Scenario = { id: 's-old', name: 'Kept', kind: 'parks', added: [], closed: [], created: '2026-01-01T00:00:00Z', updated: '2026-01-02T00:00:00Z' };
    const linked: Scenario = { id: 's-link', name: 'Linked', kind: 'ebike', added: [], closed: [], created: '2026-02-01T00:00:00Z', updated: '2026-02-01T00:00:00Z' };
    await db.writeScenarios([kept, { ...linked, name: 'Mine, newer', updated: '2026-03-01T00:00:00Z' }]);
    const store = new Store();
    store.setScenarios([linked, { ...kept, id: 's-new', name: 'From a link' }]);
    const controller = new PlanningController(store, { client: new FakeClient(), solver: new FakeSolver(), storage: db });
    await controller.load();
    await controller.written;
    expect(store.state.scenarios.map((x) => x.name)).toEqual(['Kept', 'From a link', 'Mine, newer']);
    expect((db.records.get('s-new') as Scenario).name).toBe('From a link');
    expect((db.records.get('s-link') as Scenario).name).toBe('Mine, newer');
    controller.dispose();
  });

  it('compares today and a scenario side by side (today is a scenario that changes nothing)', async () => {
    const { store, client, controller } = setUp();
    const a = await controller.create('ebike');
    controller.placeAt([122.25, 30.02]);
    await controller.compare(null, a.id);
    expect(store.state.planning.compare.status).toBe('done');
    expect(store.state.planning.compare.response?.left).toMatchObject({ id: null, summary: summary(0.5), response: { scenarioId: 'today' } });
    expect(store.state.planning.compare.response?.right.id).toBe(a.id);
    expect(store.state.planning.compare.response?.right.summary.total.share).toBeCloseTo(0.6);
    expect(client.scenarios.at(-2)).toMatchObject({ kind: 'ebike', added: [], closed: [] });
    // On a channel of its own, so the active scenario's figures, recomputed after an edit, do not supersede it.
    expect(client.channels.slice(-2)).toEqual(['compare', 'compare']);
    const b = await controller.create('parks');
    await controller.compare(a.id, b.id);
    expect(store.state.planning.compare).toMatchObject({ status: 'error', error: 'the two scenarios are about different services' });
    controller.dispose();
  });

  it('compares again when a compared scenario is edited, and ends the comparison (and its swipe) when one is deleted', async () => {
    const { store, client, controller } = setUp();
    const a = await controller.create('ebike');
    controller.placeAt([122.25, 30.02]);
    await controller.compare(null, a.id);
    store.setPlanning({ swipe: { side: 'after', ours: 'left' } });
    expect(store.state.planning.compare.response?.right.summary.total.share).toBeCloseTo(0.6);
    const asked = client.scenarios.length;
    // A second site: the comparison follows (0.5 + 0.1 a site, in the fake).
    controller.placeAt([122.26, 30.03]);
    await vi.waitFor(() => expect(store.state.planning.compare.response?.right.summary.total.share).toBeCloseTo(0.7));
    expect(client.scenarios.length).toBeGreaterThan(asked);
    expect(store.state.planning.swipe).toEqual({ side: 'after', ours: 'left' });
    controller.remove(a.id);
    expect(store.state.planning.compare.status).toBe('idle');
    expect(store.state.planning.swipe).toBeNull();
    controller.dispose();
  });

  it('a cancelled comparison takes the swipe with it', async () => {
    const { store, controller } = setUp();
    const a = await controller.create('ebike');
    await controller.compare(null, a.id);
    store.setPlanning({ swipe: { side: 'after', ours: 'left' } });
    const again = controller.compare(null, a.id);
    controller.cancel();
    await again;
    expect(store.state.planning.compare.status).toBe('cancelled');
    expect(store.state.planning.swipe).toBeNull();
    controller.dispose();
  });
});
