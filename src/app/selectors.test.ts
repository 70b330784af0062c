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
