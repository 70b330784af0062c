import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { readLayerRecord } from './layer-store.ts';
import { packFeatureCollection } from '../geo/packed-features.ts';

const data: FeatureCollection = {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { id: 's1', name: '测点' }, geometry: { type: 'Point', coordinates: [122.2, 29.99] } }],
};
const meta = { id: 'user-survey', fileName: 'survey.geojson', crs: 'EPSG:4326', savedAt: '2024-06-01T00:00:00.000Z' };

describe('readLayerRecord', () => {
  it('reads a version 2 record (packed) and a version 1 record (plain GeoJSON) alike', () => {
    expect(readLayerRecord(structuredClone({ ...meta, packed: packFeatureCollection(data) }))).toEqual({ ...meta, data });
    expect(readLayerRecord(structuredClone({ ...meta, data }))).toEqual({ ...meta, data });
  });

  it.each<[string, unknown, RegExp]>([
    ['no record', undefined, /no valid id/],
    ['a bad id', { ...meta, id: '../x', data }, /no valid id/],
    ['no file name', { ...meta, fileName: '', data }, /no file name/],
    ['no data', { ...meta }, /no feature collection/],
    ['damaged packing', { ...meta, packed: { ...packFeatureCollection(data), coords: new Float64Array(1) } }, /runs past/],
    ['a coordinate out of range', { ...meta, data: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [423109, 3319006] } }] } }, /outside longitude\/latitude/],
    ['something that is not a feature', { ...meta, data: { type: 'FeatureCollection', features: [7] } }, /not a GeoJSON Feature/],
  ])('says why it cannot use %s', (_, raw, why) => {
    const r = readLayerRecord(raw);
    expect('reason' in r && r.reason).toMatch(why);
  });
});
