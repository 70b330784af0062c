import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { AnalysisApi, DEFAULT_COVERAGE_SETTINGS, type CoverageResponse, type CoverageSettings, type StudyAreaResponse } from '../../analysis/worker/analysis-api.ts';
import type { AnalysisRoles } from '../../analysis/roles.ts';
import { parseCatalogue, type Catalogue, type LayerEntry } from '../../data/catalogue.ts';
import { AnalysisClient, type AnalysisPort } from '../analysis-client.ts';
import { Store } from '../store.ts';
import { fakeWorkers } from '../test/fake-worker.ts';
import { AnalysisController } from './analysis.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../../data/catalogue.json'), 'utf8')));
const INPUTS = ['communities', 'grid-cells', 'parks', 'ebike-stations', 'parking-berths', 'car-parks'];

const square = (x: number, y: number, d = 0.002): Feature<Polygon> => ({
  type: 'Feature',
  properties: { id: `${x},${y}` },
  geometry: { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] },
});
const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });

/** Records what it is asked and answers at once, with the layers it held at the time. */
class FakePort implements AnalysisPort {
  held: Readonly<Record<string, FeatureCollection>> = {};
  coverageCalls: { settings: CoverageSettings; held: Readonly<Record<string, FeatureCollection>> }[] = [];
  studyCalls = 0;
  sync(layers: Readonly<Record<string, FeatureCollection>>): void {
    this.held = layers;
  }
  async coverage(settings: CoverageSettings): Promise<CoverageResponse> {
    this.coverageCalls.push({ settings, held: this.held });
    const area = Object.keys(this.held).length;
    return { settings, result: { area, covered: area, share: 1, byZone: {}, perTarget: [] } as unknown as CoverageResponse['result'], covered: fc([]) as CoverageResponse['covered'], ms: 1 };
  }
  async studyArea(): Promise<StudyAreaResponse> {
    this.studyCalls++;
    return { area_m2: 0, layers: [], coverage: null, ms: 1 };
  }
  async within(): Promise<never> {
    throw new Error('not used');
  }
  async measure(): Promise<never> {
    throw new Error('not used');
  }
  cancel(): void {}
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [xs.slice()];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

const settle = async (): Promise<void> => {
  await vi.runAllTimersAsync();
};

afterEach(() => {
  vi.useRealTimers();
});

describe('AnalysisController', () => {
  it('runs coverage once, after its last input arrives, whatever order the layers load in (720 orders)', async () => {
    vi.useFakeTimers();
    // Park coverage reads the residential land, the grid cells and the parks; the other
    // three layers arrive too, in every order among them, and must not matter.
    const needed = new Set(['communities', 'grid-cells', 'parks']);
    for (const order of permutations(INPUTS)) {
      // The link opened the analysis tab before anything was known: no layer has a state yet.
      const store = new Store();
      store.setTab('analysis');
      const port = new FakePort();
      const ctl = new AnalysisController(store, port, { debounceMs: 0 });
      await settle();
      expect(port.coverageCalls).toHaveLength(0);
      store.setCatalogue(catalogue);
      store.layerLoaded('idle-plots', fc([]));
      const loaded: Record<string, FeatureCollection> = {};
      for (const id of order) {
        await settle();
        const all = [...needed].every((n) => n in loaded);
        expect(port.coverageCalls, `after ${Object.keys(loaded).join(', ')}`).toHaveLength(all ? 1 : 0);
        expect(store.state.coverage.status).toBe(all ? 'done' : 'running');
        loaded[id] = fc([square(122.2, 30)]);
        store.layerLoaded(id, loaded[id]);
      }
      await settle();
      expect(port.coverageCalls).toHaveLength(1);
      // It ran on exactly the collections the store held when its last input arrived.
      for (const id of needed) expect(port.coverageCalls[0]!.held[id]).toBe(loaded[id]);
      expect(store.state.coverage.status).toBe('done');
      ctl.dispose();
    }
  });

  it('runs again when an input layer changes, and not for changes it does not read', async () => {
    vi.useFakeTimers();
    const store = new Store();
    store.setCatalogue(catalogue);
    for (const id of INPUTS) store.layerLoaded(id, fc([]));
    const port = new FakePort();
    const ctl = new AnalysisController(store, port, { debounceMs: 0 });
    store.setTab('analysis');
    await settle();
    expect(port.coverageCalls).toHaveLength(1);
    store.layerLoaded('idle-plots', fc([]));
    store.setLang('en');
    await settle();
    expect(port.coverageCalls).toHaveLength(1);
    const parks = fc([square(122.1, 30)]);
    store.layerLoaded('parks', parks);
    await settle();
    expect(port.coverageCalls).toHaveLength(2);
    expect(port.coverageCalls[1]!.held.parks).toBe(parks);
    // Switching tabs away and back keeps the figure: nothing changed.
    store.setTab('layers');
    store.setTab('analysis');
    await settle();
    expect(port.coverageCalls).toHaveLength(2);
    store.setCoverageSettings({ ebikeRadius: 200 });
    await settle();
    // The e-bike radius does not change park coverage's inputs, but the settings object is one.
    expect(port.coverageCalls).toHaveLength(3);
    ctl.dispose();
  });

  it('says which input failed instead of computing on nothing', async () => {
    vi.useFakeTimers();
    const store = new Store();
    store.setCatalogue(catalogue);
    store.setLang('en');
    store.setTab('analysis');
    const port = new FakePort();
    const ctl = new AnalysisController(store, port, { debounceMs: 0 });
    for (const id of INPUTS.slice(1)) store.layerLoaded(id, fc([]));
    store.layerFailed('communities', 'communities.fgb is truncated');
    await settle();
    expect(port.coverageCalls).toHaveLength(0);
    expect(store.state.coverage).toMatchObject({ status: 'error' });
    expect(store.state.coverage.error).toContain('Residential');
    ctl.dispose();
  });

  it('does not rerun after Cancel until something changes', async () => {
    vi.useFakeTimers();
    const store = new Store();
    store.setCatalogue(catalogue);
    for (const id of INPUTS) store.layerLoaded(id, fc([]));
    const port = new FakePort();
    let release!: () => void;
    port.coverage = (settings) => new Promise((resolve) => (release = () => resolve({ settings } as CoverageResponse)));
    const ctl = new AnalysisController(store, port, { debounceMs: 0 });
    store.setTab('analysis');
    await settle();
    expect(store.state.coverage.status).toBe('running');
    ctl.cancel();
    expect(store.state.coverage.status).toBe('cancelled');
    release();
    store.setLang('en');
    await settle();
    expect(store.state.coverage.status).toBe('cancelled');
    ctl.dispose();
  });

  it('reruns the study area figures when the area or a layer changes', async () => {
    vi.useFakeTimers();
    const store = new Store();
    store.setCatalogue(catalogue);
    const port = new FakePort();
    const ctl = new AnalysisController(store, port, { debounceMs: 0 });
    store.setStudyArea({ feature: square(122.2, 30, 0.01), label: '' });
    await settle();
    expect(store.state.study.status).toBe('running');
    expect(port.studyCalls).toBe(0);
    for (const l of catalogue.layers) store.layerLoaded(l.id, fc([]));
    await settle();
    expect(port.studyCalls).toBe(1);
    expect(store.state.study.status).toBe('done');
    store.layerLoaded('idle-plots', fc([square(122.2, 30)]));
    await settle();
    expect(port.studyCalls).toBe(2);
    ctl.dispose();
  });
});

describe('AnalysisClient with the real API behind a channel', () => {
  const userEntry = (id: string): LayerEntry => ({ id, group: 'user', name: { zh: id, en: id }, file: '', geometry: 'Polygon', visible: true, style: { color: '#000' }, fields: [] });

  it('starts no worker until an analysis is asked for', () => {
    const workers = fakeWorkers(() => new AnalysisApi());
    const client = new AnalysisClient(workers.factory);
    client.sync({ a: fc([square(122, 30)]) });
    expect(workers.started).toBe(0);
    expect(client.started).toBe(false);
    client.dispose();
  });

  it('keeps the worker’s copy of a layer read again under the same id, and forgets removed layers', async () => {
    const workers = fakeWorkers(() => new AnalysisApi());
    const client = new AnalysisClient(workers.factory);
    const store = new Store();
    store.setCatalogue(catalogue);
    const ctl = new AnalysisController(store, client);
    const five = fc([0, 1, 2, 3, 4].map((i) => square(122 + i * 0.01, 30)));
    store.addUserLayer(userEntry('user-plots'), five);
    expect(await client.held()).toMatchObject({ 'user-plots': 5 });
    // Read again in another CRS: same id, other features.
    store.addUserLayer(userEntry('user-plots'), fc(five.features.slice(0, 3)));
    expect(await client.held()).toMatchObject({ 'user-plots': 3 });
    store.removeUserLayer('user-plots');
    expect(Object.keys(await client.held())).not.toContain('user-plots');
    ctl.dispose();
    expect(workers.terminated).toBe(workers.started);
  });

  it('gives a restarted worker the layers again after Cancel', async () => {
    const workers = fakeWorkers(() => new AnalysisApi());
    const client = new AnalysisClient(workers.factory);
    client.sync({ a: fc([square(122, 30)]) });
    expect(await client.held()).toEqual({ a: 1 });
    client.cancel();
    expect(await client.held()).toEqual({ a: 1 });
    expect(workers.started).toBe(2);
    client.dispose();
  });
});

describe('AnalysisController and the timeline', () => {
  it('computes on the layers as of the chosen day, and runs again only when a day changes an input', async () => {
    vi.useFakeTimers();
    const store = new Store();
    store.setTab('analysis');
    store.setCoverageSettings({ kind: 'ebike' });
    const port = new FakePort();
    // Stands in for `selectors.asOf`: stations painted by the day are there, the rest are not.
    const painted = [square(122.2, 30), { ...square(122.3, 30), properties: { id: 'late', painted_on: '2024-05-01' } }];
    const byDay = new Map<string, Record<string, FeatureCollection>>();
    const data = (s: Store['state']): Record<string, FeatureCollection> => {
      const month = (s.asOf ?? 'latest').slice(0, 7);
      if (!byDay.has(month)) {
        const early = s.asOf !== null && s.asOf < '2024-05-01';
        byDay.set(month, { ...s.data, 'ebike-stations': fc(early ? painted.slice(0, 1) : painted) });
      }
      return byDay.get(month)!;
    };
    const ctl = new AnalysisController(store, port, { debounceMs: 0, data });
    store.setCatalogue(catalogue);
    for (const id of INPUTS) store.layerLoaded(id, fc([]));
    await settle();
    expect(port.coverageCalls).toHaveLength(1);
    expect(port.held['ebike-stations']!.features).toHaveLength(2);
    store.setAsOf('2024-03-31');
    await settle();
    expect(port.coverageCalls).toHaveLength(2);
    expect(port.coverageCalls[1]!.held['ebike-stations']!.features).toHaveLength(1);
    // Another day of the same month: the same collections, nothing to run again.
    store.setAsOf('2024-03-15');
    await settle();
    expect(port.coverageCalls).toHaveLength(2);
    ctl.dispose();
  });
});

describe('the analysis roles come from the catalogue', () => {
  it('gives the same coverage for a catalogue whose layers have other ids', async () => {
    const { readFgb } = await import('../../data/fgb/read-fgb.ts');
    const read = async (id: string): Promise<FeatureCollection> => {
      const entry = catalogue.layers.find((l) => l.id === id)!;
      const features: Feature[] = [];
      for await (const f of readFgb(new Uint8Array(readFileSync(join(import.meta.dirname, '../../../data', entry.file))))) features.push(f);
      return fc(features);
    };
    const roles = catalogue.analysis!;
    const renamed: AnalysisRoles = {
      residential: 'wohnen', zones: 'raster', districtField: 'district',
      services: { parks: ['gruen'], ebike: ['rad'], parking: ['strasse', 'garage'] },
    };
    const rename: Record<string, string> = { communities: 'wohnen', 'grid-cells': 'raster', parks: 'gruen', 'ebike-stations': 'rad', 'parking-berths': 'strasse', 'car-parks': 'garage' };
    const a = new AnalysisApi();
    const b = new AnalysisApi();
    for (const id of INPUTS) {
      const data = await read(id);
      a.setLayers({ [id]: data });
      b.setLayers({ [rename[id]!]: data });
    }
    // The renamed catalogue passes the parser too.
    const other: Catalogue = parseCatalogue({ ...catalogue, layers: catalogue.layers.map((l) => ({ ...l, id: rename[l.id] ?? l.id })), analysis: renamed, programme: [], timeline: undefined });
    expect(other.analysis).toEqual(renamed);
    for (const kind of ['parks', 'ebike', 'parking'] as const) {
      const settings = { ...DEFAULT_COVERAGE_SETTINGS, kind };
      const ra = a.coverage(settings, roles).result;
      const rb = b.coverage(settings, renamed).result;
      expect(rb.total).toEqual(ra.total);
      expect(rb.byZone).toEqual(ra.byZone);
      expect(rb.byGroup).toEqual(ra.byGroup);
      expect(ra.total.share).toBeGreaterThan(0);
    }
  });

  it('refuses a catalogue whose roles name a layer it does not have', () => {
    expect(() => parseCatalogue({ ...catalogue, analysis: { ...catalogue.analysis, residential: 'nowhere' } })).toThrow(/analysis.residential refers to unknown layer nowhere/);
  });
});
