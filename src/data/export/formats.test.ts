import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, exportFileName, findExportFormat } from './formats.ts';

describe('EXPORT_FORMATS', () => {
  it('lists every format with extension, mime and the CRSs each allows', () => {
    expect(EXPORT_FORMATS.map((f) => [f.id, f.extension, f.mime])).toEqual([
      ['geojson', 'geojson', 'application/geo+json'],
      ['csv', 'csv', 'text/csv;charset=utf-8'],
      ['fgb', 'fgb', 'application/flatgeobuf'],
      ['gpkg', 'gpkg', 'application/geopackage+sqlite3'],
      ['shp', 'zip', 'application/zip'],
      ['dxf', 'dxf', 'image/vnd.dxf'],
      ['xlsx', 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
    expect(findExportFormat('geojson')!.crsAllowed).toEqual(['EPSG:4326']);
    expect(findExportFormat('FGB')!.crsAllowed).toContain('GCJ02');
    // GIS formats declare their CRS by EPSG code; GCJ-02 has none.
    expect(findExportFormat('gpkg')!.crsAllowed).toEqual(['EPSG:4326', 'EPSG:4490', 'EPSG:4550', 'EPSG:4529', 'EPSG:4549', 'EPSG:4528']);
    expect(findExportFormat('shp')!.crsAllowed).toEqual(findExportFormat('gpkg')!.crsAllowed);
    // CAD needs metres.
    expect(findExportFormat('dxf')!.crsAllowed).toEqual(['EPSG:4550', 'EPSG:4529', 'EPSG:4549', 'EPSG:4528']);
    expect(findExportFormat('xlsx')!.crsAllowed).toContain('GCJ02');
    expect(findExportFormat('shp')!.encodings).toEqual(['gbk', 'utf-8']);
    expect(findExportFormat('kml')).toBeUndefined();
  });

  it('every writer returns bytes', async () => {
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { 名称: '新城' }, geometry: { type: 'Point', coordinates: [122.2, 30] } }],
    };
    for (const f of EXPORT_FORMATS) {
      const bytes = await f.write(fc, { crs: f.crsAllowed.at(-1)! });
      expect(bytes, f.id).toBeInstanceOf(Uint8Array);
      expect(bytes.length, f.id).toBeGreaterThan(0);
    }
  });
});

describe('exportFileName', () => {
  it('joins layer, day and CRS with safe characters only', () => {
    expect(exportFileName('idle-plots', '2024-06-30', 'EPSG:4550', 'fgb')).toBe('idle-plots_2024-06-30_EPSG-4550.fgb');
    expect(exportFileName('parks', new Date(2024, 5, 30, 23, 59), 'GCJ02', '.csv')).toBe('parks_2024-06-30_GCJ02.csv');
    expect(exportFileName('../我的 图层/x', '2024-06-30', 'EPSG:4326', 'geojson')).toBe('x_2024-06-30_EPSG-4326.geojson');
    expect(exportFileName('地块', '2024-06-30', 'EPSG:4326', 'csv')).toBe('layer_2024-06-30_EPSG-4326.csv');
  });

  it('refuses an invalid date', () => {
    expect(() => exportFileName('a', new Date(Number.NaN), 'EPSG:4326', 'csv')).toThrow(/valid Date/);
  });
});
