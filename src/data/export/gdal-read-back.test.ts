/**
 * Each writer's file read back by GDAL (ogrinfo, ogr2ogr), as QGIS and most GIS tools would
 * read it: feature count, CRS, a coordinate within 1e-6 of PROJ-equivalent projection,
 * field values and field types, titles where the format holds them.
 */
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import initSqlJs from 'sql.js';
import { afterAll, describe, expect, it } from 'vitest';
import { positionToExportCrs } from './crs-transform.ts';
import { exportDxf } from './export-dxf.ts';
import { exportFgb } from './export-fgb.ts';
import { exportGpkg } from './export-gpkg.ts';
import type { ExportLayerInfo } from './export-schema.ts';
import { exportShp, exportShpZip } from './export-shp.ts';
import { exportTableXlsx, exportXlsx } from './export-xlsx.ts';
import { EXPORT_FORMATS } from './formats.ts';
import { deepFreeze } from './test-support.ts';
import { epsgOf, featureCounts, fieldTypes, ogrAll, ogrGeojson, ogrSummary, scratch, unzipInto } from './test-gdal.ts';

const tmp = scratch();
afterAll(() => tmp.cleanup());

const layer: ExportLayerInfo = deepFreeze({
  id: 'test-plots',
  name: { zh: '测试地块', en: 'Test plots' },
  styleField: 'status',
  color: '#7CB342',
  stages: { finished: { color: '#009E73' }, in_progress: { color: '#E69F00' }, planned: { color: '#56B4E9' }, neutral: { color: null } },
  fields: [
    { name: 'id', label: { zh: '编号', en: 'ID' }, type: 'string' },
    { name: 'name', label: { zh: '名称', en: 'Name' }, type: 'string' },
    {
      name: 'status',
      label: { zh: '状态', en: 'Status' },
      type: 'string',
      values: [
        { value: 'done', label: { zh: '已完成', en: 'Done' }, stage: 'finished' },
        { value: 'doing', label: { zh: '推进中', en: 'Under way' }, stage: 'in_progress' },
      ],
    },
    { name: 'households_cleared', label: { zh: '签约户数', en: 'Households signed' }, type: 'integer' },
    { name: 'households_total', label: { zh: '总户数', en: 'Households' }, type: 'integer' },
    { name: 'rubbish_t', label: { zh: '清运垃圾', en: 'Rubbish cleared' }, type: 'number', unit: 't' },
    { name: 'shared', label: { zh: '开放共享', en: 'Shared' }, type: 'boolean' },
    { name: 'completed_on', label: { zh: '完成日期', en: 'Completed on' }, type: 'date' },
  ],
});

const square = (x: number, y: number, d: number): number[][] => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];

const plots: FeatureCollection = deepFreeze({
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { id: 'P-1', name: '新城闲置地块一号', status: 'done', households_cleared: 12, households_total: 40, rubbish_t: 3.5, shared: true, completed_on: '2024-03-23' },
      geometry: { type: 'Polygon', coordinates: [square(122.2, 29.98, 0.002), square(122.2005, 29.9805, 0.0005).reverse()] },
    },
    {
      type: 'Feature',
      properties: { id: 'P-2', name: '沈家门 "滨港路" 地块', status: 'doing', households_cleared: 0, households_total: 3000000000, rubbish_t: 12, shared: false, completed_on: null },
      geometry: { type: 'MultiPolygon', coordinates: [[square(122.29, 29.94, 0.001)], [square(122.295, 29.945, 0.001)]] },
    },
    {
      type: 'Feature',
      properties: { id: 'P-3', name: 'Dinghai plot', status: 'done', households_cleared: null, households_total: 5, rubbish_t: 0.125, shared: null, completed_on: '2023-12-01' },
      geometry: { type: 'Polygon', coordinates: [square(122.1, 30.01, 0.001)] },
    },
  ],
});

const points: FeatureCollection = deepFreeze({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { id: 'S-1', name: '新城站', status: 'done', households_total: 1 }, geometry: { type: 'Point', coordinates: [122.203, 29.988] } },
    { type: 'Feature', properties: { id: 'S-2', name: '定海站', status: 'doing', households_total: 2 }, geometry: { type: 'Point', coordinates: [122.103, 30.018] } },
  ],
});

const firstCorner = (f: Feature): number[] => {
  const g = f.geometry as Polygon | GeoJSON.MultiPolygon;
  return (g.type === 'Polygon' ? g.coordinates[0]![0] : g.coordinates[0]![0]![0])!;
};

/** The input's first vertex of feature `i` in `crs`, as PROJ would give it. */
const projected = (fc: FeatureCollection, i: number, crs: string): number[] => positionToExportCrs(crs)(firstCorner(fc.features[i]!));

/** GDAL's feature whose `id` is `id`. */
const byId = (fc: FeatureCollection, id: string): Feature => {
  const f = fc.features.find((x) => x.properties?.id === id);
  if (!f) throw new Error(`no feature ${id}`);
  return f;
};

/** True when some corner of GDAL's geometry is within `tol` of `want` (writers may rewind rings). */
function hasVertexNear(f: Feature, want: number[], tol = 1e-6): boolean {
  const all = JSON.stringify(f.geometry?.type === 'GeometryCollection' ? null : (f.geometry as { coordinates: unknown }).coordinates);
  const nums = (JSON.parse(all) as unknown[]).flat(3) as number[];
  for (let i = 0; i + 1 < nums.length; i += 2) {
    if (Math.abs(nums[i]! - want[0]!) <= tol && Math.abs(nums[i + 1]! - want[1]!) <= tol) return true;
  }
  return false;
}

const EPSG_CODES = ['EPSG:4326', 'EPSG:4490', 'EPSG:4550', 'EPSG:4529', 'EPSG:4549', 'EPSG:4528'];

describe('FlatGeobuf read back by GDAL', () => {
  it('keeps the catalogue types (DateTime, Integer, Real, Boolean) and titles', () => {
    const path = tmp.put('plots.fgb', exportFgb(plots, { crs: 'EPSG:4550', layerName: 'test-plots', layer }));
    const summary = ogrSummary(path);
    expect(featureCounts(summary)).toEqual([3]);
    expect(epsgOf(summary)).toBe(4550);
    expect(fieldTypes(summary)).toMatchObject({
      id: 'String',
      status: 'String',
      households_cleared: 'Integer',
      rubbish_t: 'Real',
      shared: 'Integer(Boolean)',
      completed_on: 'DateTime',
    });
    expect(summary).toContain('households_cleared: Integer (0.0), alternative name="签约户数"');
    expect(summary).toContain('completed_on: DateTime (0.0), alternative name="完成日期"');
    const back = ogrGeojson(path);
    expect(byId(back, 'P-1').properties).toMatchObject({ shared: true, households_cleared: 12, rubbish_t: 3.5, completed_on: '2024-03-23T00:00:00' });
    expect(hasVertexNear(byId(back, 'P-1'), projected(plots, 0, 'EPSG:4550'))).toBe(true);
  });

  it('titles follow the export language', () => {
    const path = tmp.put('plots-en.fgb', exportFgb(plots, { crs: 'EPSG:4326', layer, lang: 'en' }));
    expect(ogrSummary(path)).toContain('rubbish_t: Real (0.0), alternative name="Rubbish cleared"');
  });

  it('writes a GeometryCollection (a KML placemark of a point and a line, say) that GDAL reads as one', () => {
    const fc: FeatureCollection = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { id: 'G-1' }, geometry: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [122.2, 30] }, { type: 'LineString', coordinates: [[122.2, 30], [122.21, 30.01]] }] } },
      { type: 'Feature', properties: { id: 'G-2' }, geometry: { type: 'Point', coordinates: [122.3, 30.1] } },
    ] };
    const path = tmp.put('collection.fgb', exportFgb(fc, { crs: 'EPSG:4326' }));
    // In the index's (Hilbert) order, not the input's.
    const back = ogrGeojson(path);
    expect(byId(back, 'G-1').geometry).toEqual(fc.features[0]!.geometry);
    expect(byId(back, 'G-2').geometry?.type).toBe('Point');
  });
});

describe('GeoPackage read back by GDAL', () => {
  for (const crs of EPSG_CODES) {
    it(`${crs}: count, CRS, coordinates, typed values and coded-value domains`, async () => {
      const path = tmp.put(`plots-${crs.slice(5)}.gpkg`, await exportGpkg(plots, { crs, layerName: 'test-plots', title: '测试地块', layer }));
      const summary = ogrSummary(path);
      expect(summary).toContain('Layer name: test_plots');
      expect(featureCounts(summary)).toEqual([3]);
      expect(epsgOf(summary)).toBe(Number(crs.slice(5)));
      expect(summary).toMatch(/Geometry: Multi Polygon/);
      expect(fieldTypes(summary)).toMatchObject({
        id: 'String',
        households_cleared: 'Integer',
        // Beyond 32 bits in the data, so 64-bit.
        households_total: 'Integer64',
        rubbish_t: 'Real',
        shared: 'Integer(Boolean)',
        completed_on: 'Date',
      });
      expect(summary).toContain('status: String (0.0), domain name=test_plots_status');
      const back = ogrGeojson(path);
      expect(back.features).toHaveLength(3);
      expect(byId(back, 'P-1').properties).toMatchObject({ name: '新城闲置地块一号', status: 'done', households_cleared: 12, rubbish_t: 3.5, shared: true, completed_on: '2024-03-23' });
      expect(byId(back, 'P-2').properties).toMatchObject({ name: '沈家门 "滨港路" 地块', households_total: 3000000000, shared: false, completed_on: null });
      for (const [i, id] of ['P-1', 'P-2', 'P-3'].entries()) expect(hasVertexNear(byId(back, id), projected(plots, i, crs)), id).toBe(true);
    });
  }

  it('stores the column titles and the value labels (schema extension) and the spec’s header fields', async () => {
    const bytes = await exportGpkg(plots, { crs: 'EPSG:4550', layerName: 'test-plots', title: '测试地块', layer });
    const SQL = await initSqlJs();
    const db = new SQL.Database(bytes);
    const q = (sql: string): unknown[][] => db.exec(sql)[0]?.values ?? [];
    expect(q('PRAGMA application_id')).toEqual([[0x47504b47]]);
    expect(q('PRAGMA user_version')).toEqual([[10200]]);
    expect(q("SELECT title FROM gpkg_data_columns WHERE column_name = 'completed_on'")).toEqual([['完成日期']]);
    expect(q("SELECT description FROM gpkg_data_columns WHERE column_name = 'rubbish_t'")).toEqual([['t']]);
    expect(q("SELECT value, description FROM gpkg_data_column_constraints WHERE constraint_name = 'test_plots_status' ORDER BY value")).toEqual([
      ['doing', '推进中'],
      ['done', '已完成'],
    ]);
    expect(q('SELECT srs_id, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys ORDER BY srs_id')).toEqual([
      [-1, 'NONE', -1],
      [0, 'NONE', 0],
      [4326, 'EPSG', 4326],
      [4550, 'EPSG', 4550],
    ]);
    expect(q('SELECT identifier, srs_id FROM gpkg_contents')).toEqual([['测试地块', 4550]]);
    // Every blob starts "GP", version 0, little-endian with an xy envelope, srs 4550.
    const blob = q('SELECT geom FROM test_plots LIMIT 1')[0]![0] as Uint8Array;
    expect([...blob.subarray(0, 8)]).toEqual([0x47, 0x50, 0, 0x03, 0xc6, 0x11, 0, 0]);
    db.close();
  });

  it('writes points without envelopes and refuses GCJ-02', async () => {
    const path = tmp.put('points.gpkg', await exportGpkg(points, { crs: 'EPSG:4490', layerName: 'stations', layer }));
    const back = ogrGeojson(path);
    expect((back.features[0]!.geometry as Point).coordinates[0]).toBeCloseTo(122.203, 9);
    expect(ogrSummary(path)).toMatch(/Geometry: Point/);
    await expect(exportGpkg(points, { crs: 'GCJ02' })).rejects.toThrow(/EPSG code/);
  });
});

describe('Shapefile read back by GDAL', () => {
  for (const encoding of ['gbk', 'utf-8'] as const) {
    it(`${encoding}: a zip GDAL reads with Chinese text, the CRS, typed fields and unique 10-byte names`, async () => {
      const zip = await exportShpZip(plots, { crs: 'EPSG:4550', layerName: 'test-plots', layer, encoding });
      const dir = scratch();
      try {
        expect(unzipInto(dir.dir, zip).sort()).toEqual(['test-plots.cpg', 'test-plots.dbf', 'test-plots.prj', 'test-plots.shp', 'test-plots.shx']);
        const path = `${dir.dir}/test-plots.shp`;
        const summary = ogrSummary(path);
        expect(featureCounts(summary)).toEqual([3]);
        expect(epsgOf(summary)).toBe(4550);
        expect(fieldTypes(summary)).toEqual({
          id: 'String',
          name: 'String',
          status: 'String',
          // 18 characters cut to 10 bytes, the second made unique as GDAL does.
          households: 'Integer',
          househol_1: 'Integer64', // 3,000,000,000 needs 10 digits
          rubbish_t: 'Real',
          shared: 'String', // dBase L: GDAL reads T/F as a one-character string
          completed_: 'Date',
        });
        const back = ogrGeojson(path);
        expect(byId(back, 'P-1').properties).toMatchObject({ name: '新城闲置地块一号', households: 12, househol_1: 40, rubbish_t: 3.5, shared: 'T', completed_: '2024-03-23' });
        expect(byId(back, 'P-2').properties).toMatchObject({ name: '沈家门 "滨港路" 地块', househol_1: 3000000000 });
        // A blank date is an unset field to GDAL.
        expect(byId(back, 'P-2').properties!.completed_ ?? null).toBeNull();
        for (const [i, id] of ['P-1', 'P-2', 'P-3'].entries()) expect(hasVertexNear(byId(back, id), projected(plots, i, 'EPSG:4550')), id).toBe(true);
        // The hole and the two parts survive as such.
        expect((byId(back, 'P-1').geometry as Polygon).coordinates).toHaveLength(2);
        expect(byId(back, 'P-2').geometry?.type).toBe('MultiPolygon');
      } finally {
        dir.cleanup();
      }
    });
  }

  it('says GBK in the language-driver byte and the .cpg, UTF-8 in the .cpg', async () => {
    const gbk = await exportShp(plots, { layerName: 'p', layer, encoding: 'gbk' });
    const utf8 = await exportShp(plots, { layerName: 'p', layer, encoding: 'utf-8' });
    const part = (parts: typeof gbk, ext: string): Uint8Array => parts.find((p) => p.name.endsWith(ext))!.bytes;
    expect(part(gbk, '.dbf')[29]).toBe(0x4d);
    expect(new TextDecoder().decode(part(gbk, '.cpg'))).toBe('936');
    expect(part(utf8, '.dbf')[29]).toBe(0);
    expect(new TextDecoder().decode(part(utf8, '.cpg'))).toBe('UTF-8');
    // The same name in GBK is 2 bytes a character, in UTF-8 3.
    const width = (dbf: Uint8Array, field: number): number => dbf[32 + 32 * field + 16]!;
    expect(width(part(gbk, '.dbf'), 1)).toBe(20);
    expect(width(part(utf8, '.dbf'), 1)).toBe(28);
  });

  it('says which characters GBK could not hold, and nothing when it held all or the file is UTF-8', async () => {
    const odd: FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { id: 'X-1', name: 'Ñandú 𠀀 䶮 🌊 定海' }, geometry: { type: 'Point', coordinates: [122.2, 30] } }],
    };
    const notes: unknown[] = [];
    const parts = await exportShp(odd, { layerName: 'odd', encoding: 'gbk', onNote: (n) => notes.push(n) });
    expect(notes).toEqual([{ code: 'gbkUnmappable', params: { file: 'odd.dbf', count: 4, examples: 'Ñ 𠀀 䶮 🌊' } }]);
    expect(parts.some((p) => p.name === 'odd.dbf')).toBe(true);
    const quiet: unknown[] = [];
    await exportShp(odd, { layerName: 'odd', encoding: 'utf-8', onNote: (n) => quiet.push(n) });
    await exportShp(plots, { layerName: 'p', layer, encoding: 'gbk', onNote: (n) => quiet.push(n) });
    expect(quiet).toEqual([]);
  });

  it('puts each geometry type in a shapefile of its own, named so, and a feature without geometry in the first', async () => {
    const mixed: FeatureCollection = {
      type: 'FeatureCollection',
      features: [...points.features, ...plots.features, { type: 'Feature', properties: { id: 'N-1', name: '无几何' }, geometry: null as never }],
    };
    const dir = scratch();
    try {
      const names = unzipInto(dir.dir, await exportShpZip(mixed, { crs: 'EPSG:4490', layerName: 'mixed', layer }));
      expect(names.filter((n) => n.endsWith('.shp')).sort()).toEqual(['mixed_point.shp', 'mixed_polygon.shp']);
      const pointSummary = ogrSummary(`${dir.dir}/mixed_point.shp`);
      expect(pointSummary).toMatch(/Geometry: Point/);
      expect(featureCounts(pointSummary)).toEqual([3]);
      const polygonSummary = ogrSummary(`${dir.dir}/mixed_polygon.shp`);
      expect(polygonSummary).toMatch(/Geometry: Polygon/);
      expect(featureCounts(polygonSummary)).toEqual([3]);
      expect(epsgOf(polygonSummary)).toBe(4490);
      expect(ogrAll(`${dir.dir}/mixed_point.shp`)).toContain('name (String) = 无几何');
    } finally {
      dir.cleanup();
    }
  });
});

describe('DXF read back by GDAL', () => {
  it('puts features on CAD layers by stage, coordinates in metres, names as Chinese text', () => {
    const path = tmp.put('plots.dxf', exportDxf(plots, { crs: 'EPSG:4550', layerName: 'test-plots', layer }));
    const all = ogrAll(path);
    const layers = [...all.matchAll(/Layer \(String\) = (\S+)/g)].map((m) => m[1]!);
    // P-1: outer ring and hole; P-2: two parts; P-3: one ring; each with its name.
    expect(layers.filter((l) => l === 'test-plots_finished')).toHaveLength(3);
    expect(layers.filter((l) => l === 'test-plots_in_progress')).toHaveLength(2);
    expect(layers.filter((l) => l === 'test-plots_label')).toHaveLength(3);
    expect(all).toContain('Text (String) = 新城闲置地块一号');
    expect(all).toContain('Text (String) = 沈家门 "滨港路" 地块');
    const back = ogrGeojson(path);
    const rings = back.features.filter((f) => f.geometry?.type === 'LineString');
    for (const i of [0, 1, 2]) expect(rings.some((f) => hasVertexNear(f, projected(plots, i, 'EPSG:4550')))).toBe(true);
    // Closed: the polyline comes back with its first vertex repeated at the end.
    const ring = rings[0]!.geometry as GeoJSON.LineString;
    expect(ring.coordinates.at(-1)!.slice(0, 2)).toEqual(ring.coordinates[0]!.slice(0, 2));
  });

  it('writes points as POINT entities and names in English when asked', () => {
    const path = tmp.put('points.dxf', exportDxf({ ...points, features: points.features.map((f) => ({ ...f, properties: { ...f.properties, name_en: `Station ${String(f.properties!.id)}` } })) }, { crs: 'EPSG:4529', layer, lang: 'en' }));
    const back = ogrGeojson(path);
    const pts = back.features.filter((f) => f.geometry?.type === 'Point' && !f.properties?.Text);
    expect(pts).toHaveLength(2);
    const want = positionToExportCrs('EPSG:4529')([122.203, 29.988]);
    expect(pts.some((f) => Math.abs((f.geometry as Point).coordinates[0]! - want[0]!) < 1e-6 && Math.abs((f.geometry as Point).coordinates[1]! - want[1]!) < 1e-6)).toBe(true);
    expect(ogrAll(path)).toContain('Text (String) = Station S-1');
  });

  it('refuses degrees', () => {
    expect(() => exportDxf(points, { crs: 'EPSG:4326' })).toThrow(/metres/);
  });
});

describe('XLSX read back by GDAL', () => {
  it('has titled columns, labels beside codes, numbers as numbers, dates as dates and WKT', async () => {
    const path = tmp.put('plots.xlsx', await exportXlsx(plots, { crs: 'EPSG:4550', title: '测试地块', layer }));
    const summary = ogrSummary(path);
    expect(summary).toContain('Layer name: 测试地块');
    expect(featureCounts(summary)[0]).toBe(3);
    expect(fieldTypes(summary)).toMatchObject({
      编号: 'String',
      状态: 'String',
      '状态 (代码)': 'String',
      签约户数: 'Integer',
      '清运垃圾 (t)': 'Real',
      开放共享: 'Integer(Boolean)',
      完成日期: 'Date',
      '几何（WKT）': 'String',
    });
    const back = ogrGeojson(path, '测试地块');
    const row = back.features.find((f) => f.properties?.['编号'] === 'P-1')!.properties!;
    expect(row).toMatchObject({ 名称: '新城闲置地块一号', 状态: '已完成', '状态 (代码)': 'done', 签约户数: 12, '清运垃圾 (t)': 3.5, 开放共享: true, 完成日期: '2024-03-23' });
    // Millimetres, as the CSV.
    const [x, y] = projected(plots, 0, 'EPSG:4550').map((v) => Math.round(v * 1000) / 1000);
    expect(String(row['几何（WKT）'])).toMatch(new RegExp(`^POLYGON \\(\\(${x} ${y}, `));
  });

  it('writes x/y for points, in English when asked', async () => {
    const path = tmp.put('points.xlsx', await exportXlsx(points, { crs: 'EPSG:4326', layer, lang: 'en' }));
    const back = ogrGeojson(path, 'Test plots');
    const row = back.features.find((f) => f.properties?.ID === 'S-1')!.properties!;
    expect(row).toMatchObject({ Status: 'Done', 'Status (code)': 'done', Longitude: 122.203, Latitude: 29.988 });
  });
});

describe('a table as XLSX read back by GDAL', () => {
  it('has the headings as columns, numbers as numbers and text as text, in one sheet named by its title', async () => {
    const columns = ['网格编号', '名称', '现状覆盖率 (%)', '方案覆盖率 (%)', '变化 (百分点)'];
    const rows = [['G-1', '新城一号', 40.5, 92.25, 51.75], ['G-2', 'A "quoted", name', 0, 0, 0], ['G-3', null, 100, 100, 0]];
    const path = tmp.put('gains.xlsx', await exportTableXlsx('网格 [现状/方案]', columns, rows));
    const summary = ogrSummary(path);
    // The characters a sheet name may not hold are replaced.
    expect(summary).toContain('Layer name: 网格  现状 方案');
    expect(featureCounts(summary)[0]).toBe(3);
    expect(fieldTypes(summary)).toMatchObject({ 网格编号: 'String', 名称: 'String', '现状覆盖率 (%)': 'Real', '变化 (百分点)': 'Real' });
    const back = ogrGeojson(path);
    expect(back.features.map((f) => f.properties)).toEqual([
      { 网格编号: 'G-1', 名称: '新城一号', '现状覆盖率 (%)': 40.5, '方案覆盖率 (%)': 92.25, '变化 (百分点)': 51.75 },
      { 网格编号: 'G-2', 名称: 'A "quoted", name', '现状覆盖率 (%)': 0, '方案覆盖率 (%)': 0, '变化 (百分点)': 0 },
      // An empty cell is no value (GDAL leaves the property out).
      { 网格编号: 'G-3', '现状覆盖率 (%)': 100, '方案覆盖率 (%)': 100, '变化 (百分点)': 0 },
    ]);
  });
});

describe('export registry', () => {
  it('every format GDAL reads back is reachable by id', () => {
    expect(EXPORT_FORMATS.map((f) => f.id)).toEqual(expect.arrayContaining(['gpkg', 'shp', 'dxf', 'xlsx']));
  });
});
