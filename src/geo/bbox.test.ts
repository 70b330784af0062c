import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { bboxesMeet, featuresBbox, geometryBbox } from './bbox.ts';

const pt = (x: number, y: number): Feature => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [x, y] } });

describe('bounding boxes', () => {
  it('of a polygon, a collection and nothing', () => {
    expect(geometryBbox({ type: 'Polygon', coordinates: [[[1, 2], [3, 2], [3, 5], [1, 2]]] })).toEqual([1, 2, 3, 5]);
    expect(geometryBbox({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [0, 0] }, { type: 'LineString', coordinates: [[2, -1], [4, 1]] }] })).toEqual([0, -1, 4, 1]);
    expect(geometryBbox({ type: 'LineString', coordinates: [[Number.NaN, 1]] })).toBeNull();
    expect(geometryBbox(null)).toBeNull();
  });

  it('of several features, skipping those without coordinates', () => {
    expect(featuresBbox([pt(1, 1), { type: 'Feature', properties: {}, geometry: null as never }, pt(-2, 4)])).toEqual([-2, 1, 1, 4]);
    expect(featuresBbox([])).toBeNull();
  });

  it('meeting, edges included', () => {
    expect(bboxesMeet([0, 0, 1, 1], [1, 1, 2, 2])).toBe(true);
    expect(bboxesMeet([0, 0, 1, 1], [1.1, 0, 2, 1])).toBe(false);
  });
});
