import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { FeatureCollection } from 'geojson';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { readFgbHeader } from '../fgb/read-fgb.ts';
import { exportCrsList, positionToExportCrs } from './crs-transform.ts';
import { EPSG_WKT } from './crs-wkt.ts';
import { GCJ02_DESCRIPTION, exportFgb } from './export-fgb.ts';
import { deepFreeze } from './test-support.ts';

const input: FeatureCollection = deepFreeze({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { 名称: '新城', n: 1 }, geometry: { type: 'Point', coordinates: [122.203, 29.988] } },
    { type: 'Feature', properties: { 名称: '定海', n: null }, geometry: { type: 'Point', coordinates: [122.1, 30.02] } },
  ],
});

async function readWithFlatgeobuf(bytes: Uint8Array): Promise<{ header: HeaderMeta; features: unknown[] }> {
  let header: HeaderMeta | undefined;
  const features: unknown[] = [];
  for await (const f of deserialize(bytes, { headerMetaFn: (h) => void (header = h) })) features.push(f);
  if (!header) throw new Error('no header');
  return { header, features };
}

describe('exportFgb', () => {
  for (const { code, epsg } of exportCrsList) {
    it(`declares ${code} in a header flatgeobuf's own reader understands, and is indexed`, async () => {
      const bytes = exportFgb(input, { crs: code, layerName: 'test', title: '测试' });
      const { header, features } = await readWithFlatgeobuf(bytes);
      expect(features).toHaveLength(2);
      expect(header.featuresCount).toBe(2);
      expect(header.indexNodeSize).toBe(16);
      expect(header.title).toBe('测试');
      expect(header.crs?.org).toBe('EPSG');
      if (epsg === null) {
        expect(header.crs?.code).toBe(0);
        expect(header.crs?.description).toBe(GCJ02_DESCRIPTION);
      } else {
        expect(header.crs?.code).toBe(epsg);
        expect(header.crs?.name).toBe(EPSG_WKT[epsg]![0]);
        expect(header.crs?.wkt).toBe(EPSG_WKT[epsg]![1]);
      }
      expect(readFgbHeader(bytes).crs?.code).toBe(epsg ?? 0);
    });
  }

  it('writes WKT that proj4 reads as the same system as its proj4 definition', () => {
    for (const { code, epsg } of exportCrsList) {
      if (epsg === null) continue;
      const viaWkt = proj4(EPSG_WKT[epsg]![1], 'EPSG:4326').inverse([122.203, 29.988]);
      const viaDef = positionToExportCrs(code)([122.203, 29.988]);
      const scale = code === 'EPSG:4326' || code === 'EPSG:4490' ? 1e5 : 1;
      expect(Math.abs(viaWkt[0]! - viaDef[0]!) * scale, code).toBeLessThan(0.01);
      expect(Math.abs(viaWkt[1]! - viaDef[1]!) * scale, code).toBeLessThan(0.01);
    }
  });

  it('writes a column of mixed types as text, as GeoPackage and Excel do, instead of refusing the file', async () => {
    const mixed: FeatureCollection = deepFreeze({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'A1' }, geometry: { type: 'Point', coordinates: [122.2, 30] } },
        { type: 'Feature', properties: { code: 7 }, geometry: { type: 'Point', coordinates: [122.21, 30] } },
        { type: 'Feature', properties: { code: { a: 1 } }, geometry: { type: 'Point', coordinates: [122.22, 30] } },
      ],
    });
    const { features } = await readWithFlatgeobuf(exportFgb(mixed));
    // The index orders features along a Hilbert curve: compare as a set.
    expect(features.map((f) => (f as { properties: { code: unknown } }).properties.code).sort()).toEqual(['7', 'A1', '{"a":1}']);
  });

  it('writes a layer that mixes 2D and 3D positions, or has measures, in two dimensions and says what it left out', async () => {
    const mixed: FeatureCollection = deepFreeze({
      type: 'FeatureCollection',
      features: [
        // A KML placemark with heights, beside one without; a position with a fourth value; one with a stray third.
        { type: 'Feature', properties: { n: 1 }, geometry: { type: 'LineString', coordinates: [[122.2, 30, 12], [122.21, 30.01, 15]] } },
        { type: 'Feature', properties: { n: 2 }, geometry: { type: 'Polygon', coordinates: [[[122, 30], [122.01, 30], [122.01, 30.01, 4.9], [122, 30]]] } },
        { type: 'Feature', properties: { n: 3 }, geometry: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [122.3, 30.1, 2, 7] }] } },
      ],
    });
    const notes: string[] = [];
    const { features } = await readWithFlatgeobuf(exportFgb(mixed, { layerName: 'kml', onNote: (n) => notes.push(`${n.code} ${JSON.stringify(n.params.file)}`) }));
    expect(notes).toEqual(['fgbHeightsDropped "kml"', 'fgbMeasuresDropped "kml"']);
    const byN = new Map((features as { properties: { n: number }; geometry: { coordinates?: unknown; geometries?: unknown } }[]).map((f) => [f.properties.n, f.geometry]));
    expect(byN.get(1)!.coordinates).toEqual([[122.2, 30], [122.21, 30.01]]);
    expect(byN.get(2)!.coordinates).toEqual([[[122, 30], [122.01, 30], [122.01, 30.01], [122, 30]]]);
    expect(byN.get(3)!.geometries).toEqual([{ type: 'Point', coordinates: [122.3, 30.1] }]);
  });

  it('keeps heights when every position has one, and says nothing', async () => {
    const z: FeatureCollection = deepFreeze({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[122.2, 30, 12], [122.21, 30.01, 15]] } }] });
    const notes: unknown[] = [];
    const { features } = await readWithFlatgeobuf(exportFgb(z, { onNote: (n) => notes.push(n) }));
    expect((features[0] as { geometry: { coordinates: unknown } }).geometry.coordinates).toEqual([[122.2, 30, 12], [122.21, 30.01, 15]]);
    expect(notes).toEqual([]);
  });

  it('refuses an unknown CRS', () => {
    expect(() => exportFgb(input, { crs: 'EPSG:3857' })).toThrow(/EPSG:3857/);
  });
});
