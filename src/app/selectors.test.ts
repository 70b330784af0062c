import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import type { Catalogue, LayerEntry } from '../data/catalogue.ts';
import { syllables } from './pinyin.ts';
import { createAsOfData } from './as-of-data.ts';
import { createFilteredData, createSelectors } from './selectors.ts';
import { initialState } from './store.ts';

const fc = (n: number): FeatureCollection => ({
  type: 'FeatureCollection',
  features: Array.from({ length: n }, (_, i) => ({ type: 'Feature', properties: { id: `f${i}`, even: i % 2 === 0 }, geometry: { type: 'Point', coordinates: [0, 0] } })),
});

describe('filtered data', () => {
  it('applies filters per layer and keeps unchanged layers identical', () => {
    const select = createFilteredData();
    const a = fc(4);
    const b = fc(3);
    const s1 = initialState({ data: { a, b } });
    const r1 = select(s1);
    expect(r1.a).toBe(a);
    const s2 = { ...s1, filters: { a: [{ field: 'even', kind: 'values' as const, values: [true] }] } };
    const r2 = select(s2);
    expect(r2.a!.features.map((f) => f.properties!.id as unknown)).toEqual(['f0', 'f2']);
    expect(r2.b).toBe(b);
    expect(select(s2)).toBe(r2);
  });
});

describe('as of a day', () => {
  const plot = (id: string, started: string, completed: string | null): Feature => ({
    type: 'Feature',
    properties: { id, status: completed ? 'finished' : 'in_progress', started_on: started, completed_on: completed },
    geometry: { type: 'Point', coordinates: [122.2, 30] },
  });
  const plots: FeatureCollection = { type: 'FeatureCollection', features: [plot('a', '2024-01-10', '2024-02-20'), plot('b', '2024-02-05', null), plot('c', '2024-04-01', '2024-05-01')] };
  const other = fc(2);
  const catalogue = {
    layers: [],
    programme: [{ id: 'done', label: { zh: '完成', en: 'Done' }, layer: 'plots', kind: 'progress', done: { field: 'status', in: ['finished'] } }],
    timeline: {
      start: '2024-01-01', end: '2024-12-31', dataDate: '2024-06-21',
      layers: [{ layer: 'plots', field: 'status', steps: [{ on: 'started_on', value: 'in_progress' }, { on: 'completed_on', value: 'finished' }] }],
    },
  } as unknown as Catalogue;
  const base = initialState({ catalogue, data: { plots, other } });
  const ids = (c: FeatureCollection | undefined) => c?.features.map((f) => `${String(f.properties?.id)}:${String(f.properties?.status)}`);

  it('leaves out what had not started and gives each status as it was; the data itself for the latest', () => {
    const select = createAsOfData();
    expect(select(base)).toBe(base.data);
    const march = select({ ...base, asOf: '2024-03-31' });
    expect(ids(march.plots)).toEqual(['a:finished', 'b:in_progress']);
    expect(ids(select({ ...base, asOf: '2024-02-10' }).plots)).toEqual(['a:in_progress', 'b:in_progress']);
    // A layer the timeline does not name is the same collection whatever the day.
    expect(march.other).toBe(other);
  });

  it('keeps a layer’s collection when another day changes nothing in it', () => {
    const select = createAsOfData();
    const march = select({ ...base, asOf: '2024-03-01' }).plots;
    expect(select({ ...base, asOf: '2024-03-31' }).plots).toBe(march);
    expect(select({ ...base, asOf: '2024-04-01' }).plots).not.toBe(march);
  });

  it('filters, counts and the programme figures follow the day, once the timeline’s code is here', async () => {
    const sel = createSelectors();
    expect(sel.asOf({ ...base, asOf: '2024-03-31' })).toBe(base.data);
    await sel.asOfLoaded();
    const s = { ...base, asOf: '2024-03-31', filters: { plots: [{ field: 'status', kind: 'values' as const, values: ['finished'] }] } };
    expect(ids(sel.filtered(s).plots)).toEqual(['a:finished']);
    expect(sel.shownCounts({ ...base, asOf: '2024-02-10' }).plots).toBe(2);
    await sel.programmeLoaded();
    expect(sel.programme({ ...base, asOf: '2024-03-31' })).toMatchObject([{ id: 'done', value: 1, total: 2 }]);
    expect(sel.programme(base)).toMatchObject([{ id: 'done', value: 2, total: 3 }]);
  });

  it('draws a figure month by month once its code has loaded, and keeps it while nothing it reads changes', async () => {
    const sel = createSelectors();
    expect(sel.progress(base, 'done')).toBeNull();
    await sel.progressLoaded();
    const p = sel.progress(base, 'done')!;
    expect(p.all.actual.slice(0, 6)).toEqual([0, 0, 1, 1, 1, 2]);
    expect(p.now.all).toBe(2);
    expect(sel.progress(base, 'done')).toBe(p);
    // Another day: the same series, its figure on that day.
    const march = sel.progress({ ...base, asOf: '2024-03-31' }, 'done')!;
    expect(march.all).toBe(p.all);
    expect(march.now.all).toBe(1);
    expect(sel.progress(base, 'nope')).toBeNull();
  });
});

describe('search', () => {
  const layer = (id: string, group: LayerEntry['group']): LayerEntry => ({
    id, group, name: { zh: id, en: id }, file: `layers/${id}.fgb`, geometry: 'Point', visible: true, style: { color: '#000' }, fields: [],
  });
  const point = (id: string, name: string): Feature => ({ type: 'Feature', properties: { id, name }, geometry: { type: 'Point', coordinates: [122.3, 29.95] } });
  const catalogue = { layers: [layer('parks', 'programme'), layer('cells', 'reference')] } as unknown as Catalogue;
  const data = {
    parks: { type: 'FeatureCollection', features: [point('p1', '沈家门公园')] } as FeatureCollection,
    cells: { type: 'FeatureCollection', features: [point('g1', '沈家门网格')] } as FeatureCollection,
  };

  it('prepares the index on the first query, then answers at once; the public view leaves out reference layers', async () => {
    const sel = createSelectors({ search: { syllables: async (runs) => syllables(runs) } });
    const s = initialState({ catalogue, data });
    const first = sel.search(s, 'sjm');
    expect(first.ready).toBe(false);
    await first.settled;
    const next = sel.search(s, 'sjm');
    expect(next).toMatchObject({ ready: true, settled: null });
    expect(next.ready && next.results.map((e) => e.id)).toEqual(['p1', 'g1']);
    const pub = sel.search({ ...s, mode: 'public' }, 'sjm');
    expect(pub.ready && pub.results.map((e) => e.id)).toEqual(['p1']);
  });

  it('answers from the index it has while it catches up with changed data, and says when it has', async () => {
    const sel = createSelectors({ search: { syllables: async (runs) => syllables(runs) } });
    const s = initialState({ catalogue, data });
    await sel.search(s, '公园').settled;
    const s2 = { ...s, data: { ...data, parks: { type: 'FeatureCollection', features: [point('p2', '定海公园')] } as FeatureCollection } };
    const during = sel.search(s2, '公园');
    expect(during.ready && during.results.map((e) => e.id)).toEqual(['p1']);
    await during.settled;
    const after = sel.search(s2, '公园');
    expect(after.ready && after.results.map((e) => e.id)).toEqual(['p2']);
  });
});

describe('classes in view', () => {
  const entry = (id: string, styleField?: string) => ({
    id, group: 'programme' as const, name: { zh: id, en: id }, file: `${id}.fgb`, geometry: 'Point' as const, visible: true,
    style: { color: '#000' }, fields: styleField ? [{ name: styleField, label: { zh: 's', en: 's' }, type: 'string' as const, values: [{ value: 'done', label: { zh: 'd', en: 'd' } }, { value: 'todo', label: { zh: 't', en: 't' } }] }] : [],
    ...(styleField ? { styleField } : {}),
  });
  const pts = (list: [number, number, string][]): FeatureCollection => ({
    type: 'FeatureCollection',
    features: list.map(([x, y, status], i) => ({ type: 'Feature', properties: { id: `p${i}`, status }, geometry: { type: 'Point', coordinates: [x, y] } })),
  });
  const state = () => {
    const catalogue = { layers: [entry('a', 'status'), entry('b')] } as unknown as NonNullable<ReturnType<typeof initialState>['catalogue']>;
    const layer = { status: 'ready' as const, progress: 1, count: 3, visible: true, error: null, skipped: 0 };
    return initialState({
      catalogue,
      layers: { a: layer, b: layer },
      data: { a: pts([[0, 0, 'done'], [1, 1, 'todo'], [5, 5, 'todo']]), b: pts([[5, 5, 'x']]) },
    });
  };

  it('counts the features of each visible layer in the extent by class, after filtering', () => {
    const sel = createSelectors();
    const s = state();
    expect(sel.classesInView(s, null)).toEqual({ a: new Map([['done', 1], ['todo', 2]]), b: new Map([[null, 1]]) });
    const near: [number, number, number, number] = [-1, -1, 2, 2];
    expect(sel.classesInView(s, near)).toEqual({ a: new Map([['done', 1], ['todo', 1]]), b: new Map() });
    const filtered = { ...s, filters: { a: [{ field: 'status', kind: 'values' as const, values: ['done'] }] } };
    expect(sel.classesInView(filtered, near)).toEqual({ a: new Map([['done', 1]]), b: new Map() });
    const hidden = { ...s, layers: { ...s.layers, b: { ...s.layers.b!, visible: false } } };
    expect(Object.keys(sel.classesInView(hidden, null))).toEqual(['a']);
  });

  it('answers the same object while nothing it reads has changed', () => {
    const sel = createSelectors();
    const s = state();
    const bounds: [number, number, number, number] = [0, 0, 1, 1];
    expect(sel.classesInView(s, bounds)).toBe(sel.classesInView(s, bounds));
  });
});
