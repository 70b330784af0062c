/**
 * Files made by GDAL in the test (ogr2ogr, from GeoJSON written to a temporary folder), read
 * back with the app's import: GeoPackage in EPSG:4326 and 4550 with several tables, and a
 * FlatGeobuf surface. Skipped where GDAL is not installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Point, Polygon } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { englishMessage } from '../messages.ts';
import { importFile } from './import-file.ts';

const hasGdal = ((): boolean => {
  try {
    execFileSync('ogr2ogr', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const dir = mkdtempSync(join(tmpdir(), 'gdal-made-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` as `name`, converts it with ogr2ogr `args`, and returns the output's bytes. */
function ogr(name: string, text: string, out: string, args: string[]): Uint8Array {
  writeFileSync(join(dir, name), text);
  execFileSync('ogr2ogr', [...args, join(dir, out), join(dir, name)], { stdio: 'pipe' });
  return new Uint8Array(readFileSync(join(dir, out)));
}

const PARKS = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { name: '新城公园', n: 1, open: true, since: '2024-03-15', area: 1.5 }, geometry: { type: 'Point', coordinates: [122.203, 29.988] } },
    { type: 'Feature', properties: { name: 'b', n: 2, open: false, since: null, area: null }, geometry: { type: 'Polygon', coordinates: [[[122.2, 29.98], [122.21, 29.98], [122.21, 29.99], [122.2, 29.98]]] } },
  ],
});

describe.skipIf(!hasGdal)('GeoPackage made by GDAL', () => {
  it('reads EPSG:4326: the table, its CRS, attributes with their types', async () => {
    const r = await importFile(ogr('parks.geojson', PARKS, 'p4326.gpkg', ['-f', 'GPKG', '-nln', 'parks']), 'p4326.gpkg');
    expect(r.format).toBe('gpkg');
    expect(r.crs).toMatchObject({ code: 'EPSG:4326', source: 'header' });
    expect(englishMessage(r.crs.note)).toBe('The GeoPackage gives table "parks" the spatial reference EPSG:4326 (WGS 84 geographic).');
    expect(r.data.features).toHaveLength(2);
    expect(r.data.features[0]!.properties).toEqual({ name: '新城公园', n: 1, open: true, since: '2024-03-15', area: 1.5 });
    expect((r.data.features[0]!.geometry as Point).coordinates).toEqual([122.203, 29.988]);
    expect((r.data.features[1]!.geometry as Polygon).coordinates[0]).toHaveLength(4);
    expect(r.problems).toEqual([]);
  });

  it('reads EPSG:4550 back to longitude/latitude, and names the tables it left out', async () => {
    const gpkg = ogr('parks.geojson', PARKS, 'p4550.gpkg', ['-f', 'GPKG', '-nln', 'parks', '-t_srs', 'EPSG:4550']);
    execFileSync('ogr2ogr', ['-update', '-nln', 'roads', '-t_srs', 'EPSG:4550', join(dir, 'p4550.gpkg'), join(dir, 'parks.geojson')], { stdio: 'pipe' });
    const r = await importFile(new Uint8Array(readFileSync(join(dir, 'p4550.gpkg'))), 'p4550.gpkg');
    void gpkg;
    expect(r.crs).toMatchObject({ code: 'EPSG:4550', source: 'header' });
    const [lon, lat] = (r.data.features[0]!.geometry as Point).coordinates;
    expect(lon).toBeCloseTo(122.203, 8);
    expect(lat).toBeCloseTo(29.988, 8);
    expect(r.problems.map(englishMessage)).toEqual(['p4550.gpkg holds 2 feature tables; "parks" was read, the others (roads) were not']);
    expect(r.incomplete).toBe(true);
  });

  it('refuses a SQLite database that is no GeoPackage, in our words', async () => {
    const db = ogr('parks.geojson', PARKS, 'plain.sqlite', ['-f', 'SQLite']);
    await expect(importFile(db, 'plain.sqlite')).rejects.toThrow('plain.sqlite is a SQLite database but not a GeoPackage (it has no gpkg_contents table)');
  });
});

describe.skipIf(!hasGdal)('FlatGeobuf made by GDAL', () => {
  it('a triangle (GDAL writes TIN and Triangle for 3D surfaces) comes in as a polygon', async () => {
    const csv = 'id,WKT\n1,"TRIANGLE ((122.2 29.98,122.21 29.98,122.2 29.99,122.2 29.98))"\n';
    const fgb = ogr('tri.csv', csv, 'tri.fgb', ['-f', 'FlatGeobuf', '-a_srs', 'EPSG:4326', '-nlt', 'TRIANGLE']);
    const r = await importFile(fgb, 'tri.fgb');
    expect(r.data.features[0]!.geometry).toEqual({ type: 'Polygon', coordinates: [[[122.2, 29.98], [122.21, 29.98], [122.2, 29.99], [122.2, 29.98]]] });
  });
});
