import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { geodesicArea, geodesicLength } from './geodesic.ts';
import { featuresInArea } from './in-area.ts';
import { deepFreeze, expectFixture, fixtures, round } from './test/fixtures.ts';

function split(geojson: FeatureCollection): { area: Feature<Polygon | MultiPolygon>; fc: FeatureCollection } {
  const area = geojson.features.find((f) => f.properties?.role === 'area') as Feature<Polygon | MultiPolygon>;
  return { area, fc: { type: 'FeatureCollection', features: geojson.features.filter((f) => f !== area) } };
}

const all = Object.fromEntries(fixtures('in-area-').map((x) => [x.name, x.geojson]));
const byId = (fc: FeatureCollection, id: string): Feature => fc.features.find((f) => f.properties?.id === id)!;
const one = (fc: FeatureCollection, id: string): FeatureCollection => ({ type: 'FeatureCollection', features: [byId(fc, id)] });

describe('featuresInArea fixtures', () => {
  for (const [name, geojson] of Object.entries(all)) {
    it(name, () => {
      const { area, fc } = split(geojson);
      const r = featuresInArea(fc, area);
      // Each feature alone, so the output shows what every one contributes.
      const each = Object.fromEntries(
        fc.features.map((f) => {
          const x = featuresInArea({ type: 'FeatureCollection', features: [f] }, area);
          return [String(f.properties?.id), round({ counts: x.count === 1, area_m2: x.area_m2, length_m: x.length_m })];
        }),
      );
      expectFixture(name, { count: r.count, area_m2: round(r.area_m2), length_m: round(r.length_m), ids: r.features.map((f) => f.properties?.id as unknown), each });
      // The features returned are the input objects themselves, in input order.
      expect(r.features.every((f) => fc.features.includes(f))).toBe(true);
    });
  }
});

describe('featuresInArea', () => {
  const { area, fc } = split(all['in-area-holed']!);
  const ring = area.geometry.coordinates as Position[][];
  const lonAt = (x: number): number => ring[0]![x === 0 ? 0 : 1]![0]!;

  it('clips a line exactly at the shell and the hole', () => {
    // The line runs along one latitude: its inside pieces are shell-west→hole-west and
    // hole-east→shell-east, measured here directly.
    const line = byId(fc, 'line-across-hole').geometry as { coordinates: Position[] };
    const lat = line.coordinates[0]![1]!;
    const [hw, he] = [ring[1]![0]![0]!, ring[1]![2]![0]!].sort((a, b) => a - b) as [number, number];
    const expected =
      geodesicLength({ type: 'LineString', coordinates: [[lonAt(0), lat], [hw, lat]] }) +
      geodesicLength({ type: 'LineString', coordinates: [[he, lat], [lonAt(1), lat]] });
    const r = featuresInArea(one(fc, 'line-across-hole'), area);
    expect(r.count).toBe(1);
    expect(Math.abs(r.length_m / expected - 1)).toBeLessThan(1e-9);
    expect(r.length_m).toBeCloseTo(600, -1);
  });

  it('counts a line running in and out several times once, with the sum of its inside pieces', () => {
    const r = featuresInArea(one(fc, 'line-zigzag'), area);
    expect(r.count).toBe(1);
    // Over the west edge and back three times: 100 + 50 + 100, then 100 + 50 + 100 m inside.
    expect(r.length_m).toBeGreaterThan(499.9);
    expect(r.length_m).toBeLessThan(500.1);
  });

  it('gives a polygon covering the area the area of the area, and half for one straddling its edge', () => {
    expect(featuresInArea(one(fc, 'poly-covers'), area).area_m2 / geodesicArea(area.geometry)).toBeCloseTo(1, 9);
    const straddles = featuresInArea(one(fc, 'poly-straddles'), area).area_m2;
    expect(straddles / (geodesicArea(byId(fc, 'poly-straddles').geometry) / 2)).toBeCloseTo(1, 3);
  });

  it('leaves out what lies in the hole, and polygons that only touch', () => {
    const r = featuresInArea(fc, area);
    for (const id of ['pt-in-hole', 'pt-outside', 'line-in-hole', 'line-outside', 'poly-in-hole', 'poly-touches', 'no-geometry'])
      expect(r.features.map((f) => f.properties?.id as unknown)).not.toContain(id);
    expect(r.features.map((f) => f.properties?.id as unknown)).toContain('pt-on-edge');
  });

  it('finds nothing when everything is outside', () => {
    const { area: a, fc: far } = split(all['in-area-nothing']!);
    expect(featuresInArea(far, a)).toEqual({ features: [], count: 0, area_m2: 0, length_m: 0 });
  });

  it('takes a bare geometry as the area as well as a feature', () => {
    expect(featuresInArea(fc, area.geometry)).toEqual(featuresInArea(fc, area));
  });

  it('checks its arguments', () => {
    const frozen = deepFreeze(fc);
    expect(() => featuresInArea({} as FeatureCollection, area)).toThrow('featuresInArea needs a GeoJSON FeatureCollection');
    expect(() => featuresInArea(frozen, { type: 'Point', coordinates: [0, 0] } as unknown as Polygon)).toThrow('area must be a Polygon or MultiPolygon');
    expect(() => featuresInArea(frozen, { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 0]]] })).toThrow('area needs at least one ring of three distinct points');
    expect(() => featuresInArea(frozen, null as unknown as Polygon)).toThrow('area must be a Polygon or MultiPolygon');
  });
});
