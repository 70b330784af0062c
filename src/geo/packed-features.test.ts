import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { packFeatureCollection, positionCount, unpackFeatureCollection } from './packed-features.ts';

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object') {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

const FC: FeatureCollection = deepFreeze({
  type: 'FeatureCollection',
  bbox: [122, 29.9, 122.4, 30.1],
  features: [
    { type: 'Feature', id: 7, properties: { id: 'a', name: '甲' }, geometry: { type: 'Point', coordinates: [122.2, 29.99] } },
    { type: 'Feature', properties: { id: 'b' }, geometry: { type: 'LineString', coordinates: [[122.2, 29.99, 3], [122.21, 29.995, 4.5]] } },
    { type: 'Feature', properties: null, geometry: { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 0]], [[1, 1], [2, 1], [1, 2], [1, 1]]] } },
    { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] } },
    { type: 'Feature', properties: {}, geometry: { type: 'MultiLineString', coordinates: [[[1, 1], [2, 2]], [[3, 3], [4, 4], [5, 5]]] } },
    { type: 'Feature', properties: {}, geometry: { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] } },
    // Travel as they are: a collection, mixed dimensions, a bbox member, no geometry.
    { type: 'Feature', properties: {}, geometry: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 1] }] } },
    { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[1, 1], [2, 2, 9]] } },
    { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1, 1], bbox: [1, 1, 1, 1] } },
    { type: 'Feature', properties: { x: 1 }, geometry: null as never },
  ],
});

describe('packed features', () => {
  it('round-trip exactly, without touching the input', () => {
    const packed = packFeatureCollection(FC);
    expect(packed.coords).toBeInstanceOf(Float64Array);
    // 1 + 2 + 8 + 8 + 5 + 2 positions; the 3D line has 3 numbers a position.
    expect(packed.coords.length).toBe(2 * (1 + 8 + 8 + 5 + 2) + 3 * 2);
    expect(unpackFeatureCollection(packed)).toEqual(FC);
  });

  it('survive a structured clone, as IndexedDB and postMessage make', () => {
    const packed = structuredClone(packFeatureCollection(FC));
    expect(unpackFeatureCollection(packed)).toEqual(FC);
  });

  it('count positions', () => {
    expect(FC.features.map((f) => positionCount(f.geometry))).toEqual([1, 2, 8, 8, 5, 2, 1, 2, 1, 0]);
  });

  it.each<[string, (p: Record<string, unknown>) => unknown]>([
    ['not an object', () => 'x'],
    ['a wrong type', (p) => ({ ...p, type: 'FeatureCollection' })],
    ['coordinates that are not a Float64Array', (p) => ({ ...p, coords: [1, 2] })],
    ['too few coordinates', (p) => ({ ...p, coords: (p.coords as Float64Array).slice(0, 5) })],
    ['a damaged feature', (p) => ({ ...p, features: [{ feature: null, geometry: null }] })],
    ['a negative count', (p) => ({ ...p, features: [{ feature: { type: 'Feature', properties: {} }, geometry: { type: 'LineString', dim: 2, start: 0, counts: -1 } }] })],
    ['a bad dimension', (p) => ({ ...p, features: [{ feature: { type: 'Feature', properties: {} }, geometry: { type: 'Point', dim: 7, start: 0, counts: 1 } }] })],
    ['an unknown type', (p) => ({ ...p, features: [{ feature: { type: 'Feature', properties: {} }, geometry: { type: 'Circle', dim: 2, start: 0, counts: 1 } }] })],
  ])('refuse a damaged record: %s', (_, damage) => {
    const packed = packFeatureCollection(FC) as unknown as Record<string, unknown>;
    expect(() => unpackFeatureCollection(damage(packed))).toThrow();
  });
});
