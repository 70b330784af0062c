import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../data/export/test-support.ts';
import { UNTRANSFERABLE_KEYS, mapData, mapFeature } from './map-properties.ts';

const point = (properties: Record<string, unknown> | null): Feature => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [122.2, 30] } });

describe('mapFeature', () => {
  it('hands over a feature with plain keys and values as it is', () => {
    const f = deepFreeze(point({ id: 'P1', name: '<img src=x onerror=alert(1)>', n: 3, ok: true, none: null }));
    expect(mapFeature(f)).toBe(f);
    const bare = deepFreeze(point(null));
    expect(mapFeature(bare)).toBe(bare);
  });

  it('leaves out keys named like Object.prototype members and $name, keeping the rest', () => {
    // Built with CreateDataProperty, as JSON.parse does, so `__proto__` is an own key.
    const props = Object.fromEntries<unknown>([
      ['id', 'h1'],
      ['constructor', 'x'],
      ['toString', 'javascript:alert(1)'],
      ['valueOf', 1],
      ['hasOwnProperty', 'y'],
      ['__proto__', 'z'],
      ['$name', 'Color'],
      ['status', 'done'],
    ]);
    const f = deepFreeze(point(props));
    const m = mapFeature(f);
    expect(m).not.toBe(f);
    expect(Object.keys(m.properties!)).toEqual(['id', 'status']);
    expect(Object.getPrototypeOf(m.properties)).toBe(Object.prototype);
    expect(m.geometry).toBe(f.geometry);
    // The store's feature keeps every key.
    expect(Object.keys(f.properties!)).toHaveLength(8);
    for (const k of ['toString', 'valueOf', 'isPrototypeOf', 'toLocaleString', '__defineGetter__']) expect(UNTRANSFERABLE_KEYS.has(k)).toBe(true);
  });

  it('sends nested objects and arrays as JSON text, as the tiles would hold them', () => {
    const f = deepFreeze(point({ id: 1, o: Object.fromEntries([['constructor', { a: 1 }]]), a: [1, 'b'] }));
    expect(mapFeature(f).properties).toEqual({ id: 1, o: '{"constructor":{"a":1}}', a: '[1,"b"]' });
  });

  it('gives the same copy for the same feature', () => {
    const f = deepFreeze(point({ id: 1, toString: 'x' }));
    expect(mapFeature(f)).toBe(mapFeature(f));
  });
});

describe('mapData', () => {
  it('returns the collection itself when no feature needs a copy, and remembers either answer', () => {
    const clean: FeatureCollection = deepFreeze({ type: 'FeatureCollection', features: [point({ id: 1 }), point({ id: 2 })] });
    expect(mapData(clean)).toBe(clean);
    const mixed: FeatureCollection = deepFreeze({ type: 'FeatureCollection', features: [point({ id: 1 }), point(Object.fromEntries<unknown>([['__proto__', 'x'], ['id', 2]]))] });
    const out = mapData(mixed);
    expect(out).not.toBe(mixed);
    expect(out.features[0]).toBe(mixed.features[0]);
    expect(out.features[1]!.properties).toEqual({ id: 2 });
    expect(mapData(mixed)).toBe(out);
  });
});
