/**
 * FlatGeobuf as others write it: the app's own GCJ-02 exports, GDAL's Json columns holding
 * text that is not JSON, features without geometry, surfaces. And a declared CRS the
 * coordinates cannot be in.
 */
import * as flatbuffers from 'flatbuffers';
import { zipSync } from 'fflate';
import { Feature as FgbFeature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import type { FeatureCollection, Point, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { exportFgb } from '../export/export-fgb.ts';
import { writeFgb } from '../fgb/write-fgb.ts';
import { englishMessage } from '../messages.ts';
import { importFile } from './import-file.ts';
import { writePointShapefile } from './test-shapefile.ts';

const XINCHENG: Position = [122.203, 29.988];
const point = (p: Position, properties: Record<string, unknown> = {}): FeatureCollection => ({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties, geometry: { type: 'Point', coordinates: p } }],
});
const first = (fc: FeatureCollection): Position => (fc.features[0]!.geometry as Point).coordinates;

describe('defect 4: the app reads the GCJ-02 FlatGeobuf it writes', () => {
  it('removes the offset the header names, to within 1e-9° of what was exported', async () => {
    const bytes = exportFgb(point(XINCHENG, { name: '新城' }), { crs: 'GCJ02' });
    const r = await importFile(bytes, 'amap.fgb');
    expect(r.crs).toMatchObject({ code: 'EPSG:4326', source: 'header', offset: 'gcj02' });
    expect(englishMessage(r.crs.note)).toBe('The FlatGeobuf header says the coordinates are GCJ-02 (Amap/Tencent); the offset was removed.');
    const [lon, lat] = first(r.data);
    expect(Math.abs(lon! - XINCHENG[0]!)).toBeLessThan(1e-9);
    expect(Math.abs(lat! - XINCHENG[1]!)).toBeLessThan(1e-9);
  });

  it('leaves other FlatGeobuf files where they are', async () => {
    const r = await importFile(exportFgb(point(XINCHENG), { crs: 'EPSG:4326' }), 'wgs.fgb');
    expect(r.crs.offset).toBeUndefined();
    expect(first(r.data)).toEqual(XINCHENG);
  });
});

describe('defect 8: a Json column holding text that is not JSON', () => {
  /** GDAL writes a JSON-subtype field's text as it is: a file with "X" in a Json column. */
  function jsonColumnWithText(): Uint8Array {
    const asString = writeFgb(point(XINCHENG, { j: 'X', n: 1 }), { indexNodeSize: 0, columns: [{ name: 'j', type: 'String' }, { name: 'n', type: 'Int' }] });
    const asJson = writeFgb(point(XINCHENG, { j: 'Y', n: 1 }), { indexNodeSize: 0, columns: [{ name: 'j', type: 'Json' }, { name: 'n', type: 'Int' }] });
    const headerEnd = (b: Uint8Array): number => 12 + new DataView(b.buffer, b.byteOffset).getUint32(8, true);
    expect(headerEnd(asJson)).toBe(headerEnd(asString));
    const out = asString.slice();
    out.set(asJson.subarray(0, headerEnd(asJson)));
    return out;
  }

  it('keeps the feature and the text, and says so', async () => {
    const r = await importFile(jsonColumnWithText(), 'alldatatypes.fgb');
    expect(r.data.features).toHaveLength(1);
    expect(r.data.features[0]!.properties).toEqual({ j: 'X', n: 1 });
    expect(r.problems.map(englishMessage)).toEqual(['alldatatypes.fgb: the j column holds text that is not JSON (feature 1); it was kept as text']);
  });
});

describe('defect 9: features without geometry', () => {
  /** A file of `n` features with an Int column and no geometry, as flatgeobuf's countries_nogeo.fgb. */
  function withoutGeometry(n: number): Uint8Array {
    const template = writeFgb({ type: 'FeatureCollection', features: Array.from({ length: n }, (_, i) => point(XINCHENG, { n: i }).features[0]!) }, { indexNodeSize: 0 });
    const headerEnd = 12 + new DataView(template.buffer).getUint32(8, true);
    const features = Array.from({ length: n }, (_, i) => {
      const builder = new flatbuffers.Builder();
      const props = new Uint8Array(6);
      new DataView(props.buffer).setInt32(2, i, true);
      const vector = FgbFeature.createPropertiesVector(builder, props);
      FgbFeature.startFeature(builder);
      FgbFeature.addProperties(builder, vector);
      builder.finishSizePrefixed(FgbFeature.endFeature(builder));
      return builder.asUint8Array();
    });
    const out = new Uint8Array(headerEnd + features.reduce((s, f) => s + f.length, 0));
    out.set(template.subarray(0, headerEnd));
    let at = headerEnd;
    for (const f of features) {
      out.set(f, at);
      at += f.length;
    }
    return out;
  }

  it('a FlatGeobuf whose features have none is refused with our words, not "Cannot read properties of null"', async () => {
    await expect(importFile(withoutGeometry(3), 'nogeo.fgb')).rejects.toThrow('nogeo.fgb contains 3 features but none has coordinates');
  });
});

describe('defect 7 through the import: longitude/latitude under a .prj saying EPSG:4550', () => {
  const CM123 =
    'PROJCS["CGCS2000_3_Degree_GK_CM_123E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
  it('lands the points at Xincheng, not at the equator, with low confidence and a note', async () => {
    const { shp, shx, dbf } = writePointShapefile([{ x: XINCHENG[0]!, y: XINCHENG[1]!, attributes: { N: new Uint8Array([0x31]) } }]);
    const r = await importFile(zipSync({ 'p.shp': shp, 'p.shx': shx, 'p.dbf': dbf, 'p.prj': new TextEncoder().encode(CM123) }), 'p.zip');
    expect(r.crs).toMatchObject({ code: 'EPSG:4326', confidence: 'low' });
    expect(englishMessage(r.crs.note)).toMatch(/^The file declares EPSG:4550 .* cannot be in it; they fit EPSG:4326/);
    expect(first(r.data)).toEqual(XINCHENG);
  });
});
