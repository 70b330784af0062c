import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { bboxesMeet, featuresBbox, geometryBbox } from './bbox.ts';

const pt = (x: number, y: number): Feature => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [x, y] } });

describe('geometryBbox', () => {
  it('spans every position of every part', () => {
    expect(geometryBbox({ type: 'Point', coordinates: [122.2, 30] })).toEqual([122.2, 30, 122.2, 30]);
    expect(geometryBbox({ type: 'MultiPolygon', coordinates: [[[[1, 2], [3, 2], [3, 5], [1, 2]]], [[[-1, 0], [0, 0], [0, 1], [-1, 0]]]] })).toEqual([-1, 0, 3, 5]);
    expect(geometryBbox({ type: 'GeometryCollection', geometries: [{ type: 'LineString', coordinates: [[0, 0], [2, 1]] }, { type: 'Point', coordinates: [5, -1] }] })).toEqual([0, -1, 5, 1]);
  });

  it('is null for nothing, and skips positions that are not numbers', () => {
    expect(geometryBbox(null)).toBeNull();
    expect(geometryBbox({ type: 'MultiPoint', coordinates: [] })).toBeNull();
    expect(geometryBbox({ type: 'LineString', coordinates: [[Number.NaN, 1], [2, 3]] })).toEqual([2, 3, 2, 3]);
  });
});

describe('bboxesMeet', () => {
  it('is true for overlapping and touching boxes, false for apart ones', () => {
    expect(bboxesMeet([0, 0, 2, 2], [1, 1, 3, 3])).toBe(true);
    expect(bboxesMeet([0, 0, 1, 1], [1, 1, 2, 2])).toBe(true);
    expect(bboxesMeet([0, 0, 1, 1], [1.1, 0, 2, 1])).toBe(false);
    expect(bboxesMeet([0, 0, 1, 1], [0, 1.1, 1, 2])).toBe(false);
  });
});

describe('featuresBbox', () => {
  it('spans several features, skipping those without coordinates', () => {
    expect(featuresBbox([pt(1, 1), { type: 'Feature', properties: {}, geometry: null as never }, pt(-2, 4)])).toEqual([-2, 1, 1, 4]);
    expect(featuresBbox([])).toBeNull();
  });
});
