import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import type { Catalogue, LayerEntry } from '../data/catalogue.ts';
import { syllables } from './pinyin.ts';
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
