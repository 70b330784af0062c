import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { FeatureCollection, Point, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { writeFgb } from '../fgb/write-fgb.ts';
import { makeBad } from '../../../test/fixtures/make-bad.ts';
import { englishMessage } from '../messages.ts';
import { importFile } from './import-file.ts';
import { writePointShapefile } from './test-shapefile.ts';

const BAD = join(import.meta.dirname, '../../../test/fixtures/bad');
const expected = JSON.parse(readFileSync(join(BAD, 'expected.json'), 'utf8')) as Record<
  string,
  { error?: string; message: string; problems?: string[]; loaded?: number; skipped?: number; options?: { maxBytes?: number } }
>;

/** Xincheng: 122.203 E 29.988 N is E 423,089.93 N 3,319,050.54 in EPSG:4550 (proj4). */
const XINCHENG = { lon: 122.203, lat: 29.988, e: 423_089.93, n: 3_319_050.54 };
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const gbk = (...b: number[]): Uint8Array => new Uint8Array(b);
/** 舟山新城 and 名称 in GBK. */
const ZHOUSHAN_XINCHENG_GBK = gbk(0xd6, 0xdb, 0xc9, 0xbd, 0xd0, 0xc2, 0xb3, 0xc7);
const NAME_GBK = gbk(0xc3, 0xfb, 0xb3, 0xc6);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const firstPoint = (fc: FeatureCollection): Position => (fc.features[0]!.geometry as Point).coordinates;
/** Metres between two lon/lat positions (spherical; fine at this scale). */
function metres(a: Position, b: Position): number {
  const r = Math.PI / 180;
  const dx = (b[0]! - a[0]!) * r * Math.cos(a[1]! * r) * 6_371_008;
  const dy = (b[1]! - a[1]!) * r * 6_371_008;
  return Math.hypot(dx, dy);
}
const CM123_PRJ =
  'PROJCS["CGCS2000_3_Degree_GK_CM_123E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

describe('bad-file corpus (test/fixtures/bad)', () => {
  const onDisk = readdirSync(BAD).filter((f) => f !== 'expected.json').sort();

  it('matches what make-bad.ts generates, and every file has an expected message', () => {
    const made = makeBad();
    expect(onDisk).toEqual([...made.keys()].sort());
    for (const [name, bytes] of made) expect(new Uint8Array(readFileSync(join(BAD, name))), name).toEqual(bytes);
    expect(Object.keys(expected).sort()).toEqual(onDisk);
  });

  for (const name of Object.keys(expected)) {
    const want = expected[name]!;
    it(`${name}: ${want.error ?? 'partial load'}`, async () => {
      const bytes = new Uint8Array(readFileSync(join(BAD, name)));
      const run = importFile(bytes, name, want.options ?? {});
      if (want.error) {
        const err = await run.then(
          () => null,
          (e: unknown) => e as Error & { source?: string; detail?: { code: string } },
        );
        expect(err, 'should fail').not.toBeNull();
        expect(err!.name).toBe(want.error);
        expect(err!.message).toBe(want.message);
        expect(err!.source).toBe(name);
        // A code of its own, so the UI can say it in its language.
        expect(err!.detail?.code).not.toBe('plain');
      } else {
        const r = await run;
        expect(r.data.features).toHaveLength(want.loaded!);
        expect(r.skipped).toBe(want.skipped);
        if (want.skipped) expect(englishMessage(r.summary!)).toBe(want.message);
        expect(r.problems.map(englishMessage)).toEqual([want.message, ...want.problems!]);
        // Something is missing, or only noted.
        expect(r.incomplete).toBe(name !== 'deep-properties.geojson');
        structuredClone(r);
      }
    });
  }
});

describe('importFile: good files', () => {
  it('reads a GeoJSON FeatureCollection, Feature and bare geometry as lon/lat', async () => {
    const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { a: 1 }, geometry: { type: 'Point', coordinates: [122.2, 29.98] } }] };
    const r = await importFile(enc(JSON.stringify(fc)), 'a.geojson');
    expect(r.format).toBe('geojson');
    expect(r.crs).toMatchObject({ code: 'EPSG:4326', source: 'coordinates' });
    expect(r.data.features[0]!.properties).toEqual({ a: 1 });
    const f = await importFile(enc(JSON.stringify(fc.features[0])), 'f.json');
    expect(firstPoint(f.data)).toEqual([122.2, 29.98]);
    const g = await importFile(enc('\uFEFF  {"type":"Point","coordinates":[122.2,29.98]}'), 'g.txt');
    expect(g.format).toBe('geojson');
  });

  it('honours a GeoJSON crs member and reprojects EPSG:4550 to Xincheng', async () => {
    const fc = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4550' } },
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [XINCHENG.e, XINCHENG.n] } }],
    };
    const r = await importFile(enc(JSON.stringify(fc)), 'p.geojson');
    expect(r.crs).toMatchObject({ code: 'EPSG:4550', source: 'crs-member', confidence: 'high' });
    expect(firstPoint(r.data)[0]).toBeCloseTo(XINCHENG.lon, 6);
    expect(firstPoint(r.data)[1]).toBeCloseTo(XINCHENG.lat, 6);
  });

  it('reads FlatGeobuf and takes the CRS from its header', async () => {
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { n: 1 }, geometry: { type: 'Point', coordinates: [XINCHENG.e, XINCHENG.n] } }],
    };
    const bytes = writeFgb(fc, { crs: { org: 'EPSG', code: 4550 } });
    // Magic bytes win over a misleading extension.
    const r = await importFile(bytes, 'layer.bin');
    expect(r.format).toBe('fgb');
    expect(r.crs).toMatchObject({ code: 'EPSG:4550', source: 'header' });
    expect(firstPoint(r.data)[0]).toBeCloseTo(XINCHENG.lon, 6);
    expect(r.data.features[0]!.properties).toMatchObject({ n: 1 });
  });

  it('detects EPSG:4550 from CSV x/y coordinates and lands at Xincheng', async () => {
    const csv = `id,x,y,name\n1,${XINCHENG.e},${XINCHENG.n},Xincheng\n2,423500,3319500,B\n`;
    const r = await importFile(enc(csv), 'points.csv');
    expect(r.format).toBe('csv');
    expect(r.crs).toMatchObject({ code: 'EPSG:4550', source: 'coordinates', confidence: 'high' });
    const [lon, lat] = firstPoint(r.data);
    expect(lon).toBeCloseTo(XINCHENG.lon, 6);
    expect(lat).toBeCloseTo(XINCHENG.lat, 6);
    expect(r.data.features[0]!.properties).toEqual({ id: '1', name: 'Xincheng' });
  });

  it('swaps surveying-style X (northing) / Y (easting) CSV columns, and tells CM 120 apart', async () => {
    const r = await importFile(enc(`X,Y\n${XINCHENG.n},${XINCHENG.e}\n`), 's.csv');
    expect(firstPoint(r.data)[0]).toBeCloseTo(XINCHENG.lon, 6);
    expect(r.problems.map(englishMessage).join(' ')).toMatch(/swapped/);
    const cm120 = await importFile(enc('lng,lat\n712631,3320783\n'), 'cm120.csv');
    expect(cm120.crs.code).toBe('EPSG:4549');
    expect(firstPoint(cm120.data)[0]).toBeCloseTo(122.2, 1);
    const zone41 = await importFile(enc(`E,N\n${41_000_000 + XINCHENG.e},${XINCHENG.n}\n`), 'z41.csv');
    expect(zone41.crs.code).toBe('EPSG:4529');
    expect(firstPoint(zone41.data)[0]).toBeCloseTo(XINCHENG.lon, 6);
  });

  it('reads a CSV with a WKT column, skipping and counting unreadable rows', async () => {
    const csv = 'name,wkt\nplot,"POLYGON((122.2 29.98, 122.21 29.98, 122.21 29.99, 122.2 29.98))"\nbad,"POLYGON((oops"\n';
    const r = await importFile(enc(csv), 'plots.csv');
    expect(r.data.features).toHaveLength(1);
    expect(r.data.features[0]!.geometry.type).toBe('Polygon');
    expect(r.skipped).toBe(1);
    expect(englishMessage(r.summary!)).toBe('plots.csv: 1 of 2 features skipped');
    expect(r.problems.map(englishMessage)).toContain('row 3: the wkt column is not readable WKT');
  });

  it('reads a GBK-encoded CSV with Chinese headers, and a UTF-8 one with BOM', async () => {
    const bytes = concat(NAME_GBK, enc(',x,y\n'), ZHOUSHAN_XINCHENG_GBK, enc(`,${XINCHENG.e},${XINCHENG.n}\n`));
    const r = await importFile(bytes, 'gbk.csv');
    expect(r.data.features[0]!.properties).toEqual({ 名称: '舟山新城' });
    expect(firstPoint(r.data)[0]).toBeCloseTo(XINCHENG.lon, 6);
    const bom = await importFile(enc('\uFEFF经度,纬度,名称\n122.203,29.988,新城\n'), 'bom.csv');
    expect(bom.data.features[0]!.properties).toEqual({ 名称: '新城' });
    expect(firstPoint(bom.data)).toEqual([122.203, 29.988]);
  });

  it('reads KML', async () => {
    const kml = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>新城</name>
<Point><coordinates>122.203,29.988,0</coordinates></Point></Placemark></Document></kml>`;
    const r = await importFile(enc(kml), 'x.kml');
    expect(r.format).toBe('kml');
    expect(r.crs).toMatchObject({ code: 'EPSG:4326', source: 'format' });
    expect(r.data.features[0]!.properties).toMatchObject({ name: '新城' });
    expect(firstPoint(r.data).slice(0, 2)).toEqual([122.203, 29.988]);
  });

  it('reads a zipped shapefile with .prj, .cpg and GBK attributes', async () => {
    const { shp, shx, dbf } = writePointShapefile([
      { x: XINCHENG.e, y: XINCHENG.n, attributes: { NAME: ZHOUSHAN_XINCHENG_GBK, CODE: enc('A1') } },
      { x: 423_500, y: 3_319_500, attributes: { NAME: enc('B'), CODE: enc('B2') } },
    ]);
    const zip = zipSync({ 'parks.shp': shp, 'parks.shx': shx, 'parks.dbf': dbf, 'parks.prj': enc(CM123_PRJ), 'parks.cpg': enc('GBK') });
    const r = await importFile(zip, 'parks.zip');
    expect(r.format).toBe('shapefile');
    expect(r.crs).toMatchObject({ code: 'EPSG:4550', source: 'prj' });
    expect(r.data.features).toHaveLength(2);
    expect(r.data.features[0]!.properties).toEqual({ NAME: '舟山新城', CODE: 'A1' });
    const [lon, lat] = firstPoint(r.data);
    expect(lon).toBeCloseTo(XINCHENG.lon, 6);
    expect(lat).toBeCloseTo(XINCHENG.lat, 6);

    // Without .cpg or .prj: GBK is recognised as invalid UTF-8, the CRS from the coordinates.
    const bare = await importFile(zipSync({ 'p.shp': shp, 'p.dbf': dbf }), 'bare.zip');
    expect(bare.data.features[0]!.properties).toMatchObject({ NAME: '舟山新城' });
    expect(bare.crs).toMatchObject({ code: 'EPSG:4550', source: 'coordinates' });
  });

  it('removes the GCJ-02 offset (~400 m at Xincheng) and the BD-09 one', async () => {
    const pt = enc(JSON.stringify({ type: 'Point', coordinates: [XINCHENG.lon, XINCHENG.lat] }));
    const r = await importFile(pt, 'amap.geojson', { offset: 'gcj02' });
    const moved = firstPoint(r.data);
    const d = metres([XINCHENG.lon, XINCHENG.lat], moved);
    expect(d).toBeGreaterThan(400);
    expect(d).toBeLessThan(550);
    // GCJ-02 is shifted east and south of WGS84 here, so undoing it moves west and north.
    expect(moved[0]).toBeLessThan(XINCHENG.lon);
    expect(moved[1]).toBeGreaterThan(XINCHENG.lat);
    const bd = await importFile(pt, 'baidu.geojson', { offset: 'bd09' });
    expect(metres([XINCHENG.lon, XINCHENG.lat], firstPoint(bd.data))).toBeGreaterThan(d);
    await expect(importFile(enc(`x,y\n${XINCHENG.e},${XINCHENG.n}\n`), 'p.csv', { offset: 'gcj02' })).rejects.toThrow(
      'p.csv: the GCJ-02 offset applies to longitude/latitude, but the coordinates are in EPSG:4550',
    );
  });

  it('lets the user override the CRS, and refuses one it does not know', async () => {
    const csv = enc(`x,y\n${XINCHENG.e},${XINCHENG.n}\n`);
    const r = await importFile(csv, 'p.csv', { crs: 'EPSG:4549' });
    expect(r.crs).toMatchObject({ code: 'EPSG:4549', source: 'user', confidence: 'high' });
    expect(firstPoint(r.data)[0]).toBeCloseTo(119.2, 1);
    await expect(importFile(csv, 'p.csv', { crs: 'EPSG:3857' })).rejects.toThrow(
      'p.csv: the chosen coordinate system EPSG:3857 is not one the map knows',
    );
  });

  it('stops on an aborted signal and does not touch the input bytes', async () => {
    const bytes = enc('{"type":"Point","coordinates":[122.2,29.98]}');
    const copy = bytes.slice();
    await expect(importFile(bytes, 'a.geojson', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    await importFile(bytes, 'a.geojson');
    expect(bytes).toEqual(copy);
  });
});
