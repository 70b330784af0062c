import turfBuffer from '@turf/buffer';
import type { Feature, FeatureCollection, Geometry, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { projector } from '../crs/project.ts';
import { geodesicArea, geodesicLength } from './geodesic.ts';
import { deepFreeze, expectFixture, fixtures, round } from './test/fixtures.ts';
import { bufferGeometry, featuresWithinDistance } from './within-distance.ts';

describe('featuresWithinDistance fixtures', () => {
  for (const { name, geojson } of fixtures('within-distance-')) {
    it(name, () => {
      const source = geojson.features.find((f) => f.properties?.role === 'source')!;
      const candidates: FeatureCollection = { type: 'FeatureCollection', features: geojson.features.filter((f) => f !== source) };
      const radius = geojson.properties?.radius as number;
      const hits = featuresWithinDistance(source, radius, candidates);
      expectFixture(
        name,
        hits.map((h) => ({ id: h.feature.properties?.id as unknown, note: h.feature.properties?.note as unknown, distance_m: round(h.distance_m), nearest: round(h.nearest, 7) })),
      );
      expect(hits.every((h) => candidates.features.includes(h.feature) && h.distance_m <= radius)).toBe(true);
    });
  }
});

// ---------- accuracy ----------

const toLonLat = projector('EPSG:4550', 'EPSG:4490');
const E = 423_000; // Xincheng, EPSG:4550
const N = 3_319_000;
const gk = (x: number, y: number): Position => toLonLat([E + x, N + y]);
const feat = (geometry: Geometry, properties: Record<string, unknown> = {}): Feature => deepFreeze({ type: 'Feature', properties, geometry });
const gkRect = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[gk(x0, y0), gk(x1, y0), gk(x1, y1), gk(x0, y1), gk(x0, y0)]],
});
const fc = (...features: Feature[]): FeatureCollection => deepFreeze({ type: 'FeatureCollection', features });
const seg = (a: Position, b: Position): number => geodesicLength({ type: 'LineString', coordinates: [a, b] });

/** The least geodesic distance from p to points sampled every ~2 cm along a–b: a brute-force reference with no plane in it. */
function bruteForce(p: Position, a: Position, b: Position): number {
  const n = Math.ceil(seg(a, b) / 0.02);
  let best = Infinity;
  for (let i = 0; i <= n; i++) best = Math.min(best, seg(p, [a[0]! + ((b[0]! - a[0]!) * i) / n, a[1]! + ((b[1]! - a[1]!) * i) / n]));
  return best;
}

describe('featuresWithinDistance accuracy', () => {
  const source = feat({ type: 'Point', coordinates: gk(0, 0) });

  it('to the edge of a polygon: the geodesic of the perpendicular, to 1 mm', () => {
    const square = feat(gkRect(300, -100, 400, 100));
    const [hit] = featuresWithinDistance(source, 500, fc(square));
    const reference = seg(gk(0, 0), gk(300, 0));
    expect(Math.abs(hit!.distance_m - reference)).toBeLessThan(1e-3);
    expect(Math.abs(hit!.distance_m - bruteForce(gk(0, 0), gk(300, -100), gk(300, 100)))).toBeLessThan(1e-3);
    // The plane alone would say 300 m: k ≈ 1.000073 here, 2.2 cm long.
    expect(300 - hit!.distance_m).toBeGreaterThan(0.015);
    expect(300 - hit!.distance_m).toBeLessThan(0.03);
  });

  it('to the corner of a polygon and from a line, to 1 mm', () => {
    const [corner] = featuresWithinDistance(source, 500, fc(feat(gkRect(300, 300, 400, 400))));
    expect(Math.abs(corner!.distance_m - seg(gk(0, 0), gk(300, 300)))).toBeLessThan(1e-3);

    // 200 m: over a 2 km east–west edge the brute force's straight lon/lat line would
    // itself part from the plane's straight line (and from the geodesic) by 4.5 cm.
    const road = feat({ type: 'LineString', coordinates: [gk(-100, 0), gk(100, 0)] });
    const point = feat({ type: 'Point', coordinates: gk(23, 456) });
    const [hit] = featuresWithinDistance(road, 500, fc(point));
    expect(Math.abs(hit!.distance_m - bruteForce(gk(23, 456), gk(-100, 0), gk(100, 0)))).toBeLessThan(1e-3);
    expect(hit!.nearest![1]).toEqual(gk(23, 456));
  });

  it('includes a candidate exactly at the radius and sorts by distance', () => {
    const a = feat(gkRect(300, -10, 310, 10), { id: 'a' });
    const b = feat(gkRect(100, -10, 110, 10), { id: 'b' });
    const r = seg(gk(0, 0), gk(300, 0));
    expect(featuresWithinDistance(source, r, fc(a, b)).map((h) => h.feature.properties?.id as unknown)).toEqual(['b', 'a']);
    expect(featuresWithinDistance(source, r - 0.002, fc(a, b)).map((h) => h.feature.properties?.id as unknown)).toEqual(['b']);
  });

  it('checks its arguments', () => {
    expect(() => featuresWithinDistance(source, -1, fc())).toThrow('radius must be a finite number of metres, 0 or more');
    expect(() => featuresWithinDistance(source, Number.NaN, fc())).toThrow('radius must be a finite number of metres, 0 or more');
    expect(() => featuresWithinDistance({ type: 'Point' } as unknown as Feature, 1, fc())).toThrow('source must be a GeoJSON Feature');
    expect(() => featuresWithinDistance(feat(null as unknown as Geometry), 1, fc())).toThrow('source has no geometry');
    expect(() => featuresWithinDistance(source, 1, [] as unknown as FeatureCollection)).toThrow('candidates must be a GeoJSON FeatureCollection');
  });
});

describe('bufferGeometry', () => {
  const centre = gk(0, 0);
  const source = feat({ type: 'Point', coordinates: centre }, { id: 'r1' });
  const ring = (f: Feature): Position[] => (f.geometry as Polygon).coordinates[0]!;

  it('draws a circle whose vertices are the radius away on the ellipsoid, to a few cm', () => {
    const b = bufferGeometry(source, 500)!;
    const d = ring(b).map((p) => seg(centre, p));
    expect(Math.min(...d)).toBeGreaterThan(499.95);
    expect(Math.max(...d)).toBeLessThan(500.05);
    expect(b.properties).toEqual({ id: 'r1', buffer_m: 500 });
    // Plain @turf/buffer on its sphere is 1–2 m off north–south and east–west.
    const t = ring(turfBuffer(source, 500, { units: 'meters', steps: 64 })!).map((p) => seg(centre, p));
    expect(Math.max(...t) - Math.min(...t)).toBeGreaterThan(2);
  });

  it('agrees with featuresWithinDistance: what it finds lies within the drawn buffer', () => {
    const plot = feat(gkRect(0, 0, 100, 60));
    const b = bufferGeometry(plot, 50)!;
    // Area of a buffered rectangle: the rectangle, four 50 m bands and a 50 m circle
    // (64 steps a quadrant inscribe it to 0.01% less).
    const expected = 100 * 60 + 2 * 50 * (100 + 60) + Math.PI * 50 * 50;
    expect(geodesicArea(b.geometry) / expected).toBeGreaterThan(0.999);
    expect(geodesicArea(b.geometry) / expected).toBeLessThan(1.0001);
  });

  it('gives the polygon itself for radius 0, nothing for a point, and checks its arguments', () => {
    const plot = feat(gkRect(0, 0, 100, 60));
    expect(geodesicArea(bufferGeometry(plot, 0)!.geometry) / geodesicArea(plot.geometry)).toBeCloseTo(1, 6);
    expect(bufferGeometry(source, 0)).toBeNull();
    expect(bufferGeometry(feat(null as unknown as Geometry), 10)).toBeNull();
    expect(() => bufferGeometry(source, -5)).toThrow('radius must be a finite number of metres, 0 or more');
    expect(() => bufferGeometry(source, 5, { steps: 0 })).toThrow('steps must be a whole number, 1 or more');
  });
});
