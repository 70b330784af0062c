import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { measureFeature } from '../../analysis/measure.ts';
import { deepFreeze } from './test-support.ts';
import { addMeasures } from './with-measures.ts';

// A 200 m × 150 m plot at Xincheng (REFERENCE.md: geodesic 29,984.8 m²) and a line.
const dLon = 200 / (111412.8 * Math.cos((29.988 * Math.PI) / 180));
const dLat = 150 / 110852.4;
const input = deepFreeze({
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { id: 'A', area_m2: 'stale' },
      geometry: { type: 'Polygon', coordinates: [[[122.203, 29.988], [122.203 + dLon, 29.988], [122.203 + dLon, 29.988 + dLat], [122.203, 29.988 + dLat], [122.203, 29.988]]] },
    },
    { type: 'Feature', properties: { id: 'L' }, geometry: { type: 'LineString', coordinates: [[122.2, 29.98], [122.25, 30.0]] } },
    { type: 'Feature', properties: null, geometry: { type: 'Point', coordinates: [122.2, 29.98] } },
  ],
}) as unknown as FeatureCollection;

describe('addMeasures', () => {
  it('adds rounded area, Gauss–Krüger area and length where they apply, without changing the input', () => {
    const out = addMeasures(input);
    const [a, l, p] = out.features.map((f) => f.properties!);
    const m = measureFeature(input.features[0]!);
    expect(a!.area_m2).toBe(Math.round(m.area_m2! * 100) / 100);
    expect(a!.area_m2).toBeGreaterThan(29900);
    expect(a!.area_m2).toBeLessThan(30100);
    expect(a!.area_gk_m2).toBeCloseTo(m.area_gk_m2!, 2);
    expect(a).not.toHaveProperty('length_m');
    expect(l!.length_m).toBe(Math.round(measureFeature(input.features[1]!).length_m! * 100) / 100);
    expect(l).not.toHaveProperty('area_m2');
    expect(p).toEqual({});
    expect(input.features[0]!.properties!.area_m2).toBe('stale');
  });

  it('refuses what is not a FeatureCollection', () => {
    expect(() => addMeasures({} as FeatureCollection)).toThrow(/FeatureCollection/);
  });
});
