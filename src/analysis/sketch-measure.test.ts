import { describe, expect, it } from 'vitest';
import type { LineString, Polygon } from 'geojson';
import { geodesicArea, geodesicLength } from './geodesic.ts';
import { measureSketch } from './sketch-measure.ts';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

// Around Xincheng (REFERENCE.md).
const A = [122.2, 29.99];
const B = [122.21, 29.99];
const C = [122.21, 30.0];

describe('measureSketch', () => {
  it('measures a line with each segment at its middle and the total at its end', () => {
    const line: LineString = deepFreeze({ type: 'LineString', coordinates: [A, B, C] });
    const m = measureSketch(line);
    expect(m.kind).toBe('line');
    expect(m.value).toBeCloseTo(geodesicLength(line), 6);
    expect(m.segments).toHaveLength(2);
    expect(m.segments[0]!.length).toBeCloseTo(geodesicLength({ type: 'LineString', coordinates: [A, B] }), 6);
    expect(m.segments[0]!.at).toEqual([122.205, 29.99]);
    expect(m.segments[0]!.length + m.segments[1]!.length).toBeCloseTo(m.value, 6);
    expect(m.labelAt).toEqual(C);
  });

  it('makes no segment of a vertex repeated under the pointer', () => {
    const m = measureSketch({ type: 'LineString', coordinates: [A, B, B] });
    expect(m.segments).toHaveLength(1);
    expect(m.value).toBeCloseTo(geodesicLength({ type: 'LineString', coordinates: [A, B] }), 6);
  });

  it('measures a polygon: its ellipsoidal area, every side including the closing one, the total inside', () => {
    const poly: Polygon = deepFreeze({ type: 'Polygon', coordinates: [[A, B, C, A]] });
    const m = measureSketch(poly);
    expect(m.kind).toBe('area');
    expect(m.value).toBeCloseTo(geodesicArea(poly), 3);
    expect(m.segments).toHaveLength(3);
    // The centroid of the triangle.
    expect(m.labelAt[0]).toBeCloseTo((A[0]! + B[0]! + C[0]!) / 3, 9);
    expect(m.labelAt[1]).toBeCloseTo((A[1]! + B[1]! + C[1]!) / 3, 9);
  });

  it('closes an open ring, and has no area until there are three corners', () => {
    expect(measureSketch({ type: 'Polygon', coordinates: [[A, B, C]] }).segments).toHaveLength(3);
    const two = measureSketch({ type: 'Polygon', coordinates: [[A, B, A]] });
    expect(two.value).toBe(0);
  });

  it('labels a U-shaped area inside it, not in its gap', () => {
    const u: Polygon = {
      type: 'Polygon',
      coordinates: [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]].map((r) => r.map(([x, y]) => [122 + x! / 1000, 30 + y! / 1000])),
    };
    const [x, y] = measureSketch(u).labelAt;
    // The centroid falls in the gap (x between 1 and 2, y above 1); the label goes in a leg.
    const inGap = x > 122.001 && x < 122.002 && y > 30.001;
    expect(inGap).toBe(false);
    expect(x).toBeGreaterThan(122);
    expect(x).toBeLessThan(122.003);
  });

  it('fails plainly on anything else', () => {
    expect(() => measureSketch({ type: 'Point', coordinates: A } as never)).toThrow(/line or a polygon/);
    expect(() => measureSketch({ type: 'LineString', coordinates: [] })).toThrow(/no points/);
  });
});
