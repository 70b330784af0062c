/**
 * Every format × every CRS it allows: export, read back with an independent reader
 * (JSON.parse; papaparse + a WKT reader; readFgb), reproject to WGS84 and compare with the
 * input: positions within 1 cm, every property equal (Chinese, quotes, newlines, nulls).
 * Property-based over generated Zhoushan features, plus fixed cases.
 */
import fc from 'fast-check';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { valueText } from '../../geo/value-text.ts';
import { readFgb } from '../fgb/read-fgb.ts';
import { exportCrsList, fromExportCrs } from './crs-transform.ts';
import { EXPORT_FORMATS } from './formats.ts';
import type { ExportFormat } from './formats.ts';
import { deepFreeze, featureCollectionArb, maxGap, parseWkt } from './test-support.ts';

const CM = 0.01;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Read an exported file back into WGS84 features (in file order). */
async function readBack(format: ExportFormat['id'], bytes: Uint8Array, crs: string): Promise<Feature[]> {
  let features: Feature[];
  if (format === 'geojson') {
    features = (JSON.parse(decoder.decode(bytes)) as FeatureCollection).features;
  } else if (format === 'fgb') {
    features = [];
    for await (const f of readFgb(bytes)) features.push(f);
  } else {
    // papaparse strips the BOM; every value comes back as text.
    // The file ends with a line end (RFC 4180 allows it); papaparse would read one more, empty row.
    const text = decoder.decode(bytes);
    expect(text.endsWith('\r\n')).toBe(true);
    const parsed = Papa.parse<Record<string, string>>(text.slice(0, -2), { header: true, delimiter: ',', newline: '\r\n' });
    expect(parsed.errors).toEqual([]);
    const rows = parsed.data;
    features = rows.map((row) => {
      const { x, y, wkt, ...properties } = row;
      let geometry: Geometry | null = null;
      if (wkt !== undefined) geometry = wkt === '' ? null : parseWkt(wkt);
      else if (x !== '' && x !== undefined) geometry = { type: 'Point', coordinates: [Number(x), Number(y)] };
      return { type: 'Feature', properties, geometry } as Feature;
    });
  }
  return fromExportCrs({ type: 'FeatureCollection', features }, crs).features;
}

/** What a property looks like after a round trip through `format`. */
function expectedValue(format: ExportFormat['id'], v: unknown): unknown {
  if (format !== 'csv') return v ?? null;
  if (v === null || v === undefined) return '';
  // Formula guard (export-csv.ts): text that is just a number stays as it is.
  if (typeof v === 'string') return /^[=+\-@\t\r]/.test(v) && !/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(v) ? `'${v}` : v;
  return valueText(v);
}

async function checkRoundTrip(format: ExportFormat, crs: string, input: FeatureCollection): Promise<void> {
  deepFreeze(input);
  const bytes = await format.write(input, { crs });
  const back = await readBack(format.id, bytes, crs);
  expect(back).toHaveLength(input.features.length);
  const byIndex = new Map(back.map((f) => [Number(f.properties?._i), f]));
  const keys = [...new Set(input.features.flatMap((f) => Object.keys(f.properties ?? {})))];
  input.features.forEach((f, i) => {
    const got = byIndex.get(i);
    expect(got, `feature ${i}`).toBeDefined();
    const gap = maxGap(f.geometry, got!.geometry);
    expect(gap, `feature ${i} ${f.geometry.type}`).toBeLessThan(CM);
    for (const k of keys) {
      const want = expectedValue(format.id, f.properties?.[k]);
      // FlatGeobuf stores a null as an absent value; read absent as null.
      const have: unknown = got!.properties?.[k] ?? (format.id === 'csv' ? undefined : null);
      expect(have, `feature ${i} property ${k}`).toEqual(want);
    }
  });
}

// The formats read back here in JavaScript; GeoPackage, Shapefile, DXF and XLSX are read
// back by GDAL in gdal-read-back.test.ts.
const combos = EXPORT_FORMATS.filter((f) => ['geojson', 'csv', 'fgb'].includes(f.id)).flatMap((f) => f.crsAllowed.map((crs) => [f, crs] as const));

describe('export round trip', () => {
  it('covers every format × allowed CRS', () => {
    expect(combos.map(([f, c]) => `${f.id}/${c}`)).toEqual([
      'geojson/EPSG:4326',
      ...['csv', 'fgb'].flatMap((f) => exportCrsList.map((c) => `${f}/${c.code}`)),
    ]);
  });

  for (const [format, crs] of combos) {
    it(`${format.id} in ${crs}: generated features come back within 1 cm with equal properties`, async () => {
      await fc.assert(
        fc.asyncProperty(featureCollectionArb, (input) => checkRoundTrip(format, crs, input)),
        { numRuns: 40 },
      );
    });

    it(`${format.id} in ${crs}: fixed case with a hole, a multipolygon, Chinese and nulls`, async () => {
      const input: FeatureCollection = {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { _i: 0, name: '新城 "闲置" 地块, 一号\n第二行', 名称: null, count: 3, ratio: 0.125, ok: true },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [[122.2, 29.98], [122.21, 29.98], [122.21, 29.99], [122.2, 29.99], [122.2, 29.98]],
                [[122.203, 29.983], [122.203, 29.987], [122.207, 29.987], [122.207, 29.983], [122.203, 29.983]],
              ],
            },
          },
          {
            type: 'Feature',
            properties: { _i: 1, name: '=HYPERLINK("x")', 名称: '定海', count: null, ratio: -7.5, ok: false },
            geometry: {
              type: 'MultiPolygon',
              coordinates: [
                [[[122.1, 30.0], [122.1, 30.01], [122.11, 30.01], [122.1, 30.0]]],
                [[[122.3, 30.0], [122.31, 30.0], [122.31, 30.01], [122.3, 30.0]]],
              ],
            },
          },
          {
            type: 'Feature',
            properties: { _i: 2, name: null, 名称: '', count: -1, ratio: null, ok: null },
            geometry: { type: 'LineString', coordinates: [[122.0, 29.9], [122.4, 30.1], [122.5, 30.2]] },
          },
          {
            type: 'Feature',
            properties: { _i: 3, name: '@点', 名称: '沈家门', count: 0, ratio: 1e-9, ok: true },
            geometry: { type: 'Point', coordinates: [122.203, 29.988] },
          },
        ],
      };
      await checkRoundTrip(format, crs, input);
    });
  }
});
