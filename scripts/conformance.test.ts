import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS } from '../src/data/export/formats.ts';
import { writePointShapefile } from '../src/data/import/test-shapefile.ts';
import { main, type ConformanceRow } from './conformance.ts';

const dir = mkdtempSync(join(tmpdir(), 'conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  const point = (lon: number, lat: number, name: string) => ({ type: 'Feature', properties: { name }, geometry: { type: 'Point', coordinates: [lon, lat] } });
  writeFileSync(join(dir, 'good.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [point(122.203, 29.988, '新城'), point(122.21, 29.99, 'b')] }));
  writeFileSync(join(dir, 'broken.geojson'), '{"type": x}');
  mkdirSync(join(dir, 'sub'));
  // 经度,纬度,名称 / 122.203,29.988,新城 in GBK.
  writeFileSync(join(dir, 'sub', 'gbk.csv'), new Uint8Array([0xbe, 0xad, 0xb6, 0xc8, 0x2c, 0xce, 0xb3, 0xb6, 0xc8, 0x2c, 0xc3, 0xfb, 0xb3, 0xc6, 0x0a, ...new TextEncoder().encode('122.203,29.988,'), 0xd0, 0xc2, 0xb3, 0xc7, 0x0a]));
  const { shp, shx, dbf } = writePointShapefile([0, 1, 2, 3].map((i) => ({ x: 423_000 + i * 10, y: 3_319_000, attributes: { N: new TextEncoder().encode(String(i)) } })));
  writeFileSync(join(dir, 'sub', 'cut.zip'), zipSync({ 'c.shp': shp.slice(0, 100 + 2 * 28), 'c.shx': shx, 'c.dbf': dbf }));
  writeFileSync(join(dir, 'notes.txt'), 'not a layer');
});

describe('npm run conformance', () => {
  it('runs every file, recursively, and gives the fields the issue asks for as JSON', async () => {
    let out = '';
    await main([dir, '--json'], (s) => void (out += s));
    const rows = JSON.parse(out) as ConformanceRow[];
    expect(rows.map((r) => r.file)).toEqual(['broken.geojson', 'good.geojson', 'notes.txt', 'sub/cut.zip', 'sub/gbk.csv']);
    const by = Object.fromEntries(rows.map((r) => [r.file, r]));
    expect(by['good.geojson']).toMatchObject({ accepted: true, features: 2, crs: 'EPSG:4326', message: '', first: [122.203, 29.988], props: { name: '新城' } });
    expect(by['broken.geojson']).toMatchObject({ accepted: false, features: 0, crs: null, first: null, props: null, error: 'FormatError', code: 'notJsonAt' });
    expect(by['broken.geojson']!.message).toBe('broken.geojson is not valid JSON: the text cannot be read at line 1, column 10');
    expect(by['notes.txt']).toMatchObject({ accepted: false, error: 'FormatError' });
    expect(by['sub/cut.zip']).toMatchObject({ accepted: true, features: 2, crs: 'EPSG:4550' });
    expect(by['sub/cut.zip']!.message).toContain('cut.zip: c.shp is cut short: 2 of 4 shapes could be read');
    expect(by['sub/gbk.csv']).toMatchObject({ accepted: true, props: { 名称: '新城' } });
    expect(by['sub/gbk.csv']!.message).toBe('gbk.csv declares no text encoding and is not UTF-8; it was read as GBK');
    // Every accepted layer through every export format the registry lists, and back.
    expect(by['good.geojson']!.roundTrips.map((t) => t.format)).toEqual(EXPORT_FORMATS.map((f) => f.id));
    expect(by['good.geojson']!.roundTrips.filter((t) => t.format !== 'csv').every((t) => t.ok)).toBe(true);
  });

  it('prints a table with a summary line', async () => {
    let out = '';
    await main([dir, '--no-round-trip'], (s) => void (out += s));
    expect(out.split('\n')[0]).toMatch(/^file\s+result\s+features\s+crs\s+first lon, lat\s+round trips\s+message$/);
    expect(out).toMatch(/^good\.geojson\s+accepted\s+2\s+EPSG:4326\s+122\.20300, 29\.98800/m);
    expect(out).toContain('5 files: 3 accepted, 2 refused (0 with a raw JavaScript error, 0 with a message in English only, 0 not naming the file)');
  });

  it('asks for a folder', async () => {
    await expect(main([], () => {})).rejects.toThrow('give one folder to run');
  });
});
