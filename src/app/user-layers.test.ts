import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { userLayerEntry, userLayerId } from './user-layers.ts';

describe('user layers', () => {
  it('derive an id from the file name, unique among those taken', () => {
    expect(userLayerId('测量成果 Survey 2024.geojson', new Set())).toBe('user-survey-2024');
    expect(userLayerId('<script>.fgb', new Set(['user-script']))).toBe('user-script-2');
    expect(userLayerId('点位.csv', new Set())).toBe('user-layer');
  });

  it('infer field types and the geometry kind', () => {
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { n: 1, x: 1.5, ok: true, d: '2024-05-01', s: '甲', empty: null }, geometry: { type: 'Point', coordinates: [122.2, 30] } },
        { type: 'Feature', properties: { n: 2, x: 2, ok: false, d: '2024-05-02', s: 3 }, geometry: { type: 'Point', coordinates: [122.3, 30] } },
      ],
    };
    const e = userLayerEntry('user-a', 'a.geojson', fc, 0);
    expect(e.geometry).toBe('Point');
    expect(Object.fromEntries(e.fields.map((f) => [f.name, f.type]))).toEqual({ n: 'integer', x: 'number', ok: 'boolean', d: 'date', s: 'string', empty: 'string' });
    expect(e.group).toBe('user');
    expect(e.featureCount).toBe(2);
  });
});
