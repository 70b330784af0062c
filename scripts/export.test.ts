import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Feature } from 'geojson';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { readFgb, readFgbHeader } from '../src/data/fgb/read-fgb.ts';
import { epsgOf, featureCounts, ogrAll, ogrSummary, unzipInto } from '../src/data/export/test-gdal.ts';
import { main } from './export.ts';

const dir = mkdtempSync(join(tmpdir(), 'export-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const io = { cwd: dir, write: () => {}, now: new Date(2024, 5, 30) };

async function features(path: string): Promise<Feature[]> {
  const out: Feature[] = [];
  for await (const f of readFgb(new Uint8Array(readFileSync(path)))) out.push(f);
  return out;
}

describe('npm run export', () => {
  it('writes idle-plots as FlatGeobuf in EPSG:4550', async () => {
    const [path] = await main(['--layer', 'idle-plots', '--format', 'fgb', '--crs', 'EPSG:4550', '--out', 'plots.fgb', '--measures'], io);
    expect(path).toBe(join(dir, 'plots.fgb'));
    const bytes = new Uint8Array(readFileSync(path!));
    expect(readFgbHeader(bytes).crs?.code).toBe(4550);
    const fs = await features(path!);
    expect(fs.length).toBeGreaterThan(0);
    const [e, n] = (fs[0]!.geometry as { coordinates: number[][][] }).coordinates.flat(2);
    expect(e).toBeGreaterThan(380000);
    expect(e).toBeLessThan(480000);
    expect(n).toBeGreaterThan(3270000);
    expect(fs[0]!.properties).toHaveProperty('area_m2');
  });

  it('writes several layers into a directory with generated names, filtered by --where', async () => {
    const paths = await main(['--layer', 'parks,communities', '--format', 'csv', '--crs', 'GCJ02', '--out', 'out/'], io);
    expect(paths).toEqual([join(dir, 'out', 'parks_2024-06-30_GCJ02.csv'), join(dir, 'out', 'communities_2024-06-30_GCJ02.csv')]);
    const text = readFileSync(paths[0]!, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const all = Papa.parse<Record<string, string>>(text.slice(1, -2), { header: true }).data;
    const someId = all[0]!.id!;
    const [one] = await main(['--layer', 'parks', '--format', 'csv', '--where', `id=${someId}`, '--out', 'one.csv'], io);
    const rows = Papa.parse<Record<string, string>>(readFileSync(one!, 'utf8').slice(1, -2), { header: true }).data;
    expect(rows.map((r) => r.id)).toEqual([someId]);
  });

  it('writes several layers into one zip when --out names a .zip, Shapefiles unzipped inside it', async () => {
    const [zip] = await main(['--layer', 'parks,idle-plots', '--format', 'shp', '--crs', 'EPSG:4550', '--encoding', 'utf-8', '--out', 'zips/two.zip'], io);
    expect(zip).toBe(join(dir, 'zips', 'two.zip'));
    const names = Object.keys(unzipSync(new Uint8Array(readFileSync(zip!)))).sort();
    expect(names.filter((n) => n.endsWith('.shp'))).toHaveLength(2);
    expect(names.some((n) => n.startsWith('parks') && n.endsWith('.dbf'))).toBe(true);
    expect(names.some((n) => n.startsWith('idle-plots') && n.endsWith('.prj'))).toBe(true);
    const [csvZip] = await main(['--layer', 'parks,communities', '--format', 'csv', '--out', 'zips/csv.zip'], io);
    expect(Object.keys(unzipSync(new Uint8Array(readFileSync(csvZip!))))).toEqual(['parks_2024-06-30_EPSG-4326.csv', 'communities_2024-06-30_EPSG-4326.csv']);
    await expect(main(['--layer', 'parks,communities', '--format', 'csv', '--out', 'two.csv'], io)).rejects.toThrow('several layers need --out to be a directory (end it with /) or a .zip');
  });

  it('writes GeoPackage, Shapefile (UTF-8), DXF and XLSX that GDAL reads: 58 plots in EPSG:4550', async () => {
    const [gpkg] = await main(['--layer', 'idle-plots', '--format', 'gpkg', '--crs', 'EPSG:4550', '--out', 'cli/'], io);
    expect(gpkg).toBe(join(dir, 'cli', 'idle-plots_2024-06-30_EPSG-4550.gpkg'));
    expect(featureCounts(ogrSummary(gpkg!))).toEqual([58]);
    expect(epsgOf(ogrSummary(gpkg!))).toBe(4550);

    const [zip] = await main(['--layer', 'idle-plots', '--format', 'shp', '--crs', 'EPSG:4550', '--encoding', 'utf-8', '--out', 'cli/'], io);
    const shpDir = join(dir, 'cli', 'shp');
    mkdirSync(shpDir);
    unzipInto(shpDir, new Uint8Array(readFileSync(zip!)));
    expect(readFileSync(join(shpDir, 'idle-plots.cpg'), 'utf8')).toBe('UTF-8');
    expect(featureCounts(ogrSummary(join(shpDir, 'idle-plots.shp')))).toEqual([58]);

    // DXF defaults to EPSG:4550, the only kind of system it takes being metres.
    const [dxf] = await main(['--layer', 'idle-plots', '--format', 'dxf', '--lang', 'en', '--out', 'cli/'], io);
    expect(dxf).toMatch(/_EPSG-4550\.dxf$/);
    const entities = ogrAll(dxf!);
    expect((entities.match(/Layer \(String\) = idle-plots_(finished|in_progress)\b/g) ?? []).length).toBe(58);
    expect(entities).toMatch(/Text \(String\) = \w/);

    const [xlsx] = await main(['--layer', 'idle-plots', '--format', 'xlsx', '--crs', 'EPSG:4550', '--out', 'cli/'], io);
    expect(featureCounts(ogrSummary(xlsx!))[0]).toBe(58);
  });

  it('prints help listing formats and CRSs', async () => {
    let out = '';
    await main(['--help'], { ...io, write: (s) => void (out += s) });
    for (const s of ['geojson', 'csv', 'fgb', 'gpkg', 'shp', 'dxf', 'xlsx', '--encoding', 'gbk|utf-8', 'EPSG:4550', 'EPSG:4528', 'GCJ02']) expect(out).toContain(s);
  });

  it('fails with plain messages on bad arguments', async () => {
    await expect(main(['--format', 'fgb'], io)).rejects.toThrow(/--layer is required/);
    await expect(main(['--layer', 'nope', '--format', 'fgb'], io)).rejects.toThrow(/no layer nope/);
    await expect(main(['--layer', 'parks', '--format', 'kml'], io)).rejects.toThrow(/unknown format kml/);
    await expect(main(['--layer', 'parks', '--format', 'dxf', '--crs', 'EPSG:4326'], io)).rejects.toThrow(/dxf can only be written in EPSG:4550/);
    await expect(main(['--layer', 'parks', '--format', 'shp', '--encoding', 'latin1'], io)).rejects.toThrow(/unknown encoding latin1/);
    await expect(main(['--layer', 'parks', '--format', 'csv', '--encoding', 'gbk'], io)).rejects.toThrow(/--encoding applies to shp only/);
    await expect(main(['--layer', 'parks', '--format', 'csv', '--lang', 'fr'], io)).rejects.toThrow(/--lang is zh or en/);
    await expect(main(['--layer', 'parks', '--format', 'geojson', '--crs', 'EPSG:4550'], io)).rejects.toThrow(/geojson can only be written in EPSG:4326/);
    await expect(main(['--layer', 'parks,communities', '--format', 'fgb', '--out', 'x.fgb'], io)).rejects.toThrow(/directory/);
    await expect(main(['--layer', 'parks', '--format', 'fgb', '--where', 'oops'], io)).rejects.toThrow(/field=value/);
  });
});
