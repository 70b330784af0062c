import { describe, expect, it } from 'vitest';
import type { Geometry } from 'geojson';
import { geometryProblem } from './check-geometry.ts';

describe('geometryProblem', () => {
  it.each<[string, Geometry]>([
    ['point', { type: 'Point', coordinates: [122.2, 30] }],
    ['line', { type: 'LineString', coordinates: [[122.2, 30], [122.3, 30]] }],
    ['polygon with hole', { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [1, 2], [2, 2], [1, 1]]] }],
    ['multipolygon', { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] }],
  ])('accepts a valid %s', (_, g) => {
    expect(geometryProblem(g)).toBeNull();
  });

  it.each<[string, unknown, RegExp]>([
    ['null', null, /no geometry/],
    ['NaN', { type: 'Point', coordinates: [NaN, 1] }, /not a number/],
    ['projected metres', { type: 'Point', coordinates: [423109, 3319006] }, /outside longitude\/latitude range/],
    ['one-point line', { type: 'LineString', coordinates: [[1, 1]] }, /fewer than 2/],
    ['open ring', { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }, /not closed/],
    ['short ring', { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] }, /fewer than 4/],
    ['empty multipolygon', { type: 'MultiPolygon', coordinates: [] }, /empty/],
    ['unknown type', { type: 'Circle', coordinates: [0, 0] }, /unknown geometry type/],
    ['string coordinates', { type: 'Point', coordinates: 'x' }, /not \[x, y\]/],
  ])('rejects %s', (_, g, msg) => {
    expect(geometryProblem(g as Geometry)).toMatch(msg);
  });
});
