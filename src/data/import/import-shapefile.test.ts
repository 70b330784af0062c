/**
 * Zipped shapefiles as staff have them: text-heavy attribute tables that pack 20–50×, files
 * cut short or out of step with each other, and attribute tables in the code page their
 * dBase language driver names. Fixtures are written here (test-shapefile.ts, fflate).
 */
import { zipSync } from 'fflate';
import type { Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { englishMessage } from '../messages.ts';
import { importFile } from './import-file.ts';
import { writePointShapefile, type TestPoint } from './test-shapefile.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const gbk = (s: string): Uint8Array => {
  // The few characters these tests use, in GBK.
  const table: Record<string, number[]> = { 舟: [0xd6, 0xdb], 山: [0xc9, 0xbd], 新: [0xd0, 0xc2], 城: [0xb3, 0xc7], 公: [0xb9, 0xab], 园: [0xd4, 0xb0] };
  return new Uint8Array([...s].flatMap((c) => table[c] ?? [c.charCodeAt(0)]));
};
const CM123_PRJ =
  'PROJCS["CGCS2000_3_Degree_GK_CM_123E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

/** `n` points around Xincheng in EPSG:4550, each with the attributes `attrs(i)` gives. */
function points(n: number, attrs: (i: number) => Record<string, Uint8Array>): TestPoint[] {
  return Array.from({ length: n }, (_, i) => ({ x: 423_000 + (i % 20) * 50, y: 3_319_000 + Math.floor(i / 20) * 50, attributes: attrs(i) }));
}
const zip = (files: Record<string, Uint8Array>): Uint8Array => zipSync(files, { level: 9, mtime: new Date('2024-01-01T00:00:00Z') });
const messages = (r: { problems: Parameters<typeof englishMessage>[0][] }): string[] => r.problems.map(englishMessage);

describe('defect 1: text-heavy attribute tables are not zip bombs', () => {
  it('reads a GBK EPSG:4550 point layer with five 254-character fields, packed more than 20×', async () => {
    const long = (i: number, k: number): Uint8Array => {
      const text = gbk(`舟山新城公园${k}-${i}`);
      const out = new Uint8Array(254).fill(0x20);
      out.set(text);
      return out;
    };
    const { shp, shx, dbf } = writePointShapefile(points(165, (i) => Object.fromEntries([1, 2, 3, 4, 5].map((k) => [`F${k}`, long(i, k)]))));
    const bytes = zip({ 'wide.shp': shp, 'wide.shx': shx, 'wide.dbf': dbf, 'wide.prj': enc(CM123_PRJ), 'wide.cpg': enc('GBK') });
    // What the old ratio test refused: the contents are over 20 times the zip.
    expect((shp.length + shx.length + dbf.length) / bytes.length).toBeGreaterThan(20);
    const r = await importFile(bytes, 'wide.zip');
    expect(r.data.features).toHaveLength(165);
    expect(r.crs.code).toBe('EPSG:4550');
    expect(r.data.features[7]!.properties).toMatchObject({ F1: '舟山新城公园1-7', F5: '舟山新城公园5-7' });
    expect(r.problems).toEqual([]);
  });
});

describe('defect 2: a damaged shapefile says what is missing, per file, and keeps what could be read', () => {
  const set = writePointShapefile(points(165, (i) => ({ NAME: enc(`p${i + 1}`) })));
  const files = (over: Record<string, Uint8Array | undefined>): Record<string, Uint8Array> =>
    Object.fromEntries(Object.entries({ 'p.shp': set.shp, 'p.shx': set.shx, 'p.dbf': set.dbf, 'p.prj': enc(CM123_PRJ), ...over }).filter(([, v]) => v));

  it('a .shp cut in half: the shapes read, and how many of those the index lists', async () => {
    const r = await importFile(zip(files({ 'p.shp': set.shp.slice(0, Math.floor(set.shp.length / 2)) })), 'cut.zip');
    expect(r.data.features).toHaveLength(80);
    expect(r.data.features[79]!.properties).toEqual({ NAME: 'p80' });
    expect(r.incomplete).toBe(true);
    expect(messages(r)).toEqual(['cut.zip: p.shp is cut short: 80 of 165 shapes could be read; the rest are missing']);
  });

  it('a .shp cut short without its index: the bytes missing', async () => {
    const r = await importFile(zip(files({ 'p.shp': set.shp.slice(0, 100 + 28 * 10 + 5), 'p.shx': undefined })), 'noshx.zip');
    expect(r.data.features).toHaveLength(10);
    expect(r.incomplete).toBe(true);
    expect(messages(r)[0]).toBe(`noshx.zip: p.shp is cut short (385 of ${set.shp.length} bytes): 10 shapes could be read; the rest are missing`);
  });

  it('a .dbf cut short: the features without attributes are named', async () => {
    const r = await importFile(zip(files({ 'p.dbf': set.dbf.slice(0, set.dbf.length - 60 * 5) })), 'dbf.zip');
    expect(r.data.features).toHaveLength(165);
    expect(r.data.features[100]!.properties).toEqual({ NAME: 'p101' });
    expect(r.data.features[164]!.properties).toEqual({});
    expect(r.incomplete).toBe(true);
    expect(messages(r)[0]).toMatch(/^dbf\.zip: p\.dbf is cut short: attributes for \d+ of 165 records; the rest have none$/);
  });

  it('a .dbf whose header counts other records than the shapes: said, not ignored', async () => {
    const dbf = set.dbf.slice();
    new DataView(dbf.buffer).setUint32(4, 100, true);
    const r = await importFile(zip(files({ 'p.dbf': dbf })), 'count.zip');
    expect(r.data.features).toHaveLength(165);
    expect(r.incomplete).toBe(true);
    expect(messages(r)).toContain('count.zip: p.dbf has 100 records but the shapes number 165; attributes may sit on the wrong shapes');
  });

  it('a whole set says nothing', async () => {
    const r = await importFile(zip(files({})), 'whole.zip');
    expect(r.data.features).toHaveLength(165);
    expect(r.problems).toEqual([]);
    expect(r.incomplete).toBe(false);
  });
});

describe('defect 10: the language driver byte, and padding that is not a record', () => {
  const withLdid = (ldid: number, value: Uint8Array): Uint8Array => {
    const { shp, shx, dbf } = writePointShapefile(points(1, () => ({ NAME: value })));
    dbf[29] = ldid;
    return zip({ 'l.shp': shp, 'l.shx': shx, 'l.dbf': dbf });
  };
  const name = async (bytes: Uint8Array): Promise<unknown> => (await importFile(bytes, 'l.zip')).data.features[0]!.properties!.NAME;

  it('reads the code page the LDID names: 0x57 "ANSI" Latin text as Windows-1252, 0x01 as DOS 437, 0x4D as GBK', async () => {
    expect(await name(withLdid(0x57, new Uint8Array([0x4d, 0xe9, 0x78, 0x69, 0x63, 0x6f])))).toBe('México');
    expect(await name(withLdid(0x03, new Uint8Array([0x4d, 0xe9, 0x78, 0x69, 0x63, 0x6f])))).toBe('México');
    expect(await name(withLdid(0x01, new Uint8Array([0x4d, 0x82, 0x78, 0x69, 0x63, 0x6f])))).toBe('México');
    expect(await name(withLdid(0x4d, gbk('舟山新城')))).toBe('舟山新城');
    // "ANSI" on Chinese Windows is GBK: the bytes tell.
    expect(await name(withLdid(0x57, gbk('舟山新城')))).toBe('舟山新城');
  });

  it('says when the encoding had to be read from the bytes', async () => {
    const r = await importFile(withLdid(0, new Uint8Array([0x4d, 0xe9, 0x78, 0x69, 0x63, 0x6f])), 'l.zip');
    expect(r.data.features[0]!.properties!.NAME).toBe('México');
    expect(messages(r)).toContain('l.zip: the attribute table names no text encoding; it was read as Windows-1252');
  });

  it('does not count zero padding after the last record as records', async () => {
    const { shp, shx, dbf } = writePointShapefile(points(1, () => ({ NAME: enc('only') })));
    // The header declares 40 more 8-byte "records" of zeros, as some writers leave.
    const padded = new Uint8Array(shp.length + 320);
    padded.set(shp);
    new DataView(padded.buffer).setInt32(24, padded.length / 2, false);
    const sets: Record<string, Uint8Array>[] = [{ 'z.shp': padded, 'z.shx': shx, 'z.dbf': dbf }, { 'z.shp': padded, 'z.dbf': dbf }];
    for (const parts of sets) {
      const r = await importFile(zip(parts), 'z.zip');
      expect(r.data.features).toHaveLength(1);
      expect(r.skipped).toBe(0);
      expect((r.data.features[0]!.geometry as Point).type).toBe('Point');
    }
  });

  it('keeps dBase types: numbers, logicals with unknowns, dates as days', async () => {
    const { shp, shx, dbf } = writePointShapefile(points(3, (i) => ({ N: enc(['12.5', '', '*'][i]!), L: enc('T?F'.charAt(i)), D: enc(['20130102', '        ', '20240229'][i]!) })));
    // Make the fields N(4), L(1) and D(8) rather than character fields.
    dbf[32 + 11] = 0x4e;
    dbf[64 + 11] = 0x4c;
    dbf[96 + 11] = 0x44;
    const r = await importFile(zip({ 't.shp': shp, 't.shx': shx, 't.dbf': dbf }), 't.zip');
    expect(r.data.features.map((f) => f.properties)).toEqual([
      { N: 12.5, L: true, D: '2013-01-02' },
      { N: null, L: null, D: null },
      { N: null, L: false, D: '2024-02-29' },
    ]);
  });
});
