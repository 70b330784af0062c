import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { createFilteredData } from './selectors.ts';
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
