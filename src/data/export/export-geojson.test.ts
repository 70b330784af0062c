import fc from 'fast-check';
import type { FeatureCollection, Geometry, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { exportGeojson, ringArea } from './export-geojson.ts';
import { deepFreeze, featureCollectionArb, positionsOf, ringsOf } from './test-support.ts';

const parse = (b: Uint8Array): FeatureCollection => JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b)) as FeatureCollection;

/** RFC 7946 rules this exporter promises, checked on parsed output. */
function checkRfc7946(out: FeatureCollection & { crs?: unknown }, text: string): void {
  expect(out.type).toBe('FeatureCollection');
  expect('crs' in out).toBe(false);
  expect(text).not.toMatch(/"crs"\s*:/);
  for (const f of out.features) {
    const g = f.geometry as Geometry | null;
    for (const p of positionsOf(g)) {
      expect(p[0]).toBeGreaterThanOrEqual(-180);
      expect(p[0]).toBeLessThanOrEqual(180);
      expect(p[1]).toBeGreaterThanOrEqual(-90);
      expect(p[1]).toBeLessThanOrEqual(90);
      for (const v of p) expect(String(v)).toMatch(/^-?\d+(\.\d{1,7})?$/);
    }
    for (const [, k, ring] of ringsOf(g)) {
      // Right-hand rule: exterior counter-clockwise (positive area), holes clockwise.
      if (k === 0) expect(ringArea(ring)).toBeGreaterThan(0);
      else expect(ringArea(ring)).toBeLessThan(0);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
    }
  }
}

describe('exportGeojson', () => {
  it('rewinds rings, rounds to 7 decimals, drops crs and bbox, keeps Chinese as UTF-8', () => {
    const cw: Polygon = {
      type: 'Polygon',
      coordinates: [
        [[122.2, 29.98], [122.2, 29.99], [122.21, 29.99], [122.21, 29.98], [122.2, 29.98]], // clockwise exterior
        [[122.203, 29.983], [122.207, 29.983], [122.207, 29.987], [122.203, 29.987], [122.203, 29.983]], // ccw hole
      ],
    };
    const input = deepFreeze({
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4326' } },
      bbox: [0, 0, 1, 1],
      features: [
        { type: 'Feature', properties: { 名称: '新城闲置地块', note: null }, geometry: cw },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [122.123456789, 29.987654321] } },
        { type: 'Feature', properties: null, geometry: null },
      ],
    }) as unknown as FeatureCollection;
    const bytes = exportGeojson(input);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('新城闲置地块');
    const out = parse(bytes);
    checkRfc7946(out, text);
    expect(out.bbox).toBeUndefined();
    expect(out.features[0]!.properties).toEqual({ 名称: '新城闲置地块', note: null });
    expect(out.features[1]!.geometry).toEqual({ type: 'Point', coordinates: [122.1234568, 29.9876543] });
    expect(out.features[2]!.geometry).toBeNull();
    // The input kept its winding.
    expect(ringArea(cw.coordinates[0]!)).toBeLessThan(0);
  });

  it('refuses any CRS but WGS84 with a plain error', () => {
    const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
    expect(() => exportGeojson(empty, { crs: 'EPSG:4550' })).toThrow(/RFC 7946.*EPSG:4326\), not EPSG:4550/);
    expect(() => exportGeojson(empty, { crs: 'GCJ02' })).toThrow(/not GCJ02/);
    expect(parse(exportGeojson(empty, { crs: 'epsg:4326' })).features).toEqual([]);
  });

  it('follows RFC 7946 for any generated collection', () => {
    fc.assert(
      fc.property(featureCollectionArb, (input) => {
        const bytes = exportGeojson(deepFreeze(input));
        checkRfc7946(parse(bytes), new TextDecoder().decode(bytes));
      }),
      { numRuns: 100 },
    );
  });
});
