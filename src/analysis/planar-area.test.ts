import type { LineString, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { projector } from '../crs/project.ts';
import { geodesicArea, geodesicLength } from './geodesic.ts';
import { planarArea, planarLength } from './planar-area.ts';
import { deepFreeze } from './test/fixtures.ts';


const toLonLat = projector('EPSG:4550', 'EPSG:4490');
/** A ring given in EPSG:4550 metres, as lon/lat. */
const gkRing = (xy: readonly [number, number][]): Position[] => xy.map((p) => toLonLat([p[0], p[1]]));

/** Xincheng is at about E 423,109 N 3,319,006 in EPSG:4550. */
const E = 423_000;
const N = 3_319_000;

describe('planarArea', () => {
  const square = deepFreeze<Polygon>({
    type: 'Polygon',
    coordinates: [gkRing([[E, N], [E + 200, N], [E + 200, N + 200], [E, N + 200], [E, N]])],
  });

  it('gives back the exact area of a square laid out in Gauss–Krüger metres', () => {
    expect(Math.abs(planarArea(square) / 40_000 - 1)).toBeLessThan(1e-6);
    const rect = deepFreeze<Polygon>({ type: 'Polygon', coordinates: [gkRing([[E, N], [E + 200, N], [E + 200, N + 150], [E, N + 150], [E, N]])] });
    expect(Math.abs(planarArea(rect) / 30_000 - 1)).toBeLessThan(1e-6);
  });

  it('reads k² ≈ 1.00015 larger than the ellipsoidal area at 122.2° E', () => {
    // Gauss–Krüger's point scale factor is k ≈ 1 + x²/(2R²) at a distance x from the
    // central meridian (123° E); Xincheng is x ≈ 77 km west of it, so k ≈ 1.000073 and
    // areas, which scale with k², read ≈ 1.000146 times the ellipsoidal figure. This is
    // the difference between a land-record area and the "true" area on the ground.
    const x = E + 100 - 500_000;
    const R2 = 6_351_379 * 6_383_481; // M·N at 30° N
    const k = 1 + (x * x) / (2 * R2);
    const ratio = planarArea(square) / geodesicArea(square);
    expect(ratio).toBeGreaterThan(1.00014);
    expect(ratio).toBeLessThan(1.00016);
    expect(Math.abs(ratio / (k * k) - 1)).toBeLessThan(2e-7);
  });

  it('subtracts holes whatever their winding, sums multipolygons, ignores orientation', () => {
    const outer = [[E, N], [E + 200, N], [E + 200, N + 200], [E, N + 200], [E, N]] as [number, number][];
    const hole = [[E + 50, N + 50], [E + 150, N + 50], [E + 150, N + 150], [E + 50, N + 150], [E + 50, N + 50]] as [number, number][];
    const holed = deepFreeze<Polygon>({ type: 'Polygon', coordinates: [gkRing(outer), gkRing(hole)] });
    expect(planarArea(holed)).toBeCloseTo(30_000, 3);
    const holedReversed = deepFreeze<Polygon>({ type: 'Polygon', coordinates: [gkRing(outer).reverse(), gkRing(hole).reverse()] });
    expect(planarArea(holedReversed)).toBeCloseTo(30_000, 3);
    expect(planarArea({ type: 'MultiPolygon', coordinates: [holed.coordinates, square.coordinates] })).toBeCloseTo(70_000, 3);
  });

  it('measures in another Gauss–Krüger zone when asked, and refuses geographic or unknown CRSs', () => {
    // In the 120° E zone Xincheng is 212 km off the meridian: k² − 1 ≈ 1.1e-3.
    const r = planarArea(square, 'EPSG:4549') / geodesicArea(square);
    expect(r).toBeGreaterThan(1.001);
    expect(r).toBeLessThan(1.0013);
    expect(() => planarArea(square, 'EPSG:4326')).toThrow('EPSG:4326 is not a projected coordinate system');
    expect(() => planarArea(square, 'EPSG:3857')).toThrow('unknown coordinate system EPSG:3857');
  });

  it('gives 0 for null and non-areal geometry', () => {
    expect(planarArea(null)).toBe(0);
    expect(planarArea({ type: 'Point', coordinates: [122.2, 30] })).toBe(0);
    expect(planarArea({ type: 'Polygon', coordinates: [] })).toBe(0);
  });
});

describe('planarLength', () => {
  it('gives back the length of a line laid out in Gauss–Krüger metres, ≈ k longer than the geodesic', () => {
    const line = deepFreeze<LineString>({ type: 'LineString', coordinates: gkRing([[E, N], [E + 300, N + 400], [E + 300, N + 1400]]) });
    expect(Math.abs(planarLength(line) / 1500 - 1)).toBeLessThan(1e-6);
    const ratio = planarLength(line) / geodesicLength(line);
    expect(ratio).toBeGreaterThan(1.00006);
    expect(ratio).toBeLessThan(1.00008);
  });

  it('sums multilines and gives 0 for other geometry', () => {
    const a = gkRing([[E, N], [E + 100, N]]);
    const b = gkRing([[E, N + 50], [E, N + 80]]);
    expect(planarLength({ type: 'MultiLineString', coordinates: [a, b] })).toBeCloseTo(130, 5);
    expect(planarLength(null)).toBe(0);
    expect(planarLength({ type: 'Polygon', coordinates: [a] })).toBe(0);
  });
});
