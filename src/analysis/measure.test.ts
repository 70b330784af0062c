import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { geodesicArea, geodesicLength } from './geodesic.ts';
import { measureFeature, NO_VALUE, representativePoint, summarize } from './measure.ts';
import type { SummarizeOptions } from './measure.ts';
import { planarArea } from './planar-area.ts';
import { deepFreeze, expectFixture, fixtures, round } from './test/fixtures.ts';

describe('summarize fixtures', () => {
  for (const { name, geojson } of fixtures('summarize-')) {
    it(name, () => {
      const zones = geojson.features.filter((f) => f.properties?.role === 'zone') as Feature<Polygon | MultiPolygon>[];
      const features = geojson.features.filter((f) => f.properties?.role !== 'zone');
      const fc: FeatureCollection = { type: 'FeatureCollection', features };
      const options: SummarizeOptions = { ...(geojson.properties as SummarizeOptions), ...(zones.length ? { zones } : {}) };
      const summary = summarize(fc, options);
      const perFeature = Object.fromEntries(
        features.map((f) => [String(f.properties?.id), { ...round(measureFeature(f)), point: round(representativePoint(f.geometry), 7) }]),
      );
      expectFixture(name, { options: geojson.properties, features: perFeature, summary: round(summary) });

      // Whatever the fixture, every feature counts once overall, once by group, once by zone.
      const sum = (ts: { count: number }[]): number => ts.reduce((s, t) => s + t.count, 0);
      expect(summary.total.count).toBe(features.length);
      if (options.groupBy) expect(sum(Object.values(summary.byGroup))).toBe(features.length);
      expect(sum(Object.values(summary.byZone)) + summary.outsideZones.count).toBe(features.length);
    });
  }
});

const sq = (lon: number, lat: number, d: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});
const feat = (geometry: Feature['geometry'], properties: Record<string, unknown> = {}): Feature => deepFreeze({ type: 'Feature', properties, geometry });

describe('measureFeature', () => {
  it('gives area for polygons, length for lines, nothing for points and null geometry', () => {
    const p = sq(122.2, 30, 0.002);
    expect(measureFeature(feat(p))).toEqual({ area_m2: geodesicArea(p), length_m: null, area_gk_m2: planarArea(p) });
    const l = { type: 'LineString' as const, coordinates: [[122.2, 30], [122.21, 30.01]] };
    expect(measureFeature(feat(l))).toEqual({ area_m2: null, length_m: geodesicLength(l), area_gk_m2: null });
    expect(measureFeature(feat({ type: 'Point', coordinates: [122.2, 30] }))).toEqual({ area_m2: null, length_m: null, area_gk_m2: null });
    // GeoJSON allows a null geometry; @types/geojson does not say so.
    expect(measureFeature(feat(null as unknown as Feature['geometry']))).toEqual({ area_m2: null, length_m: null, area_gk_m2: null });
  });

  it('rejects what is not a feature', () => {
    expect(() => measureFeature({ type: 'Point', coordinates: [0, 0] } as unknown as Feature)).toThrow('measureFeature needs a GeoJSON Feature');
  });
});

describe('summarize', () => {
  const zone = (id: unknown, g: Polygon = sq(122.2, 30, 0.01)): Feature<Polygon> => deepFreeze({ type: 'Feature', properties: { id }, geometry: g });
  const fc = deepFreeze<FeatureCollection>({ type: 'FeatureCollection', features: [feat({ type: 'Point', coordinates: [122.205, 30.005] })] });

  it('lists every zone even when empty, and keys a missing group value as NO_VALUE', () => {
    const s = summarize(fc, { zones: [zone('a'), zone('b', sq(123, 30, 0.01))], groupBy: 'status' });
    expect(s.byZone).toEqual({ a: { count: 1, area_m2: 0, area_gk_m2: 0, length_m: 0 }, b: { count: 0, area_m2: 0, area_gk_m2: 0, length_m: 0 } });
    expect(Object.keys(s.byGroup)).toEqual([NO_VALUE]);
  });

  it('checks its arguments', () => {
    expect(() => summarize({ type: 'Feature' } as unknown as FeatureCollection)).toThrow('summarize needs a GeoJSON FeatureCollection');
    expect(() => summarize(fc, { zones: [zone(undefined)] })).toThrow('zone 1 has no "id" property');
    expect(() => summarize(fc, { zones: [zone('a'), zone('a')] })).toThrow('zone id "a" appears twice');
    expect(() => summarize(fc, { zones: [feat({ type: 'Point', coordinates: [0, 0] }) as unknown as Feature<Polygon>] })).toThrow('zone 1 is not a Polygon or MultiPolygon feature');
    expect(() => summarize(fc, { groupBy: '' })).toThrow('groupBy must be a property name');
  });
});
