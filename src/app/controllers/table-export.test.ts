import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Feature } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { ScenarioResponse } from '../../analysis/planning/types.ts';
import { parseCatalogue } from '../../data/catalogue.ts';
import type { CellRow } from '../coverage-cells.ts';
import { Store } from '../store.ts';
import { TableExportController } from './table-export.ts';

const rows: CellRow[] = [
  { id: 'G1', name: '沈家门网格1', district: 'putuo', districtLabel: '普陀区', area: 1234.567, covered: 617.28, share: 0.5000004 },
  { id: 'G2', name: '=HYPERLINK("x")', district: 'dinghai', districtLabel: '定海区, 城关', area: 10, covered: 7, share: 0.7 },
];

function setUp(download: (blob: Blob, name: string) => void = () => undefined) {
  const store = new Store();
  const files: { blob: Blob; name: string }[] = [];
  const tables = new TableExportController(store, {
    selectors: { belowTarget: () => rows },
    download: (blob, name) => {
      files.push({ blob, name });
      download(blob, name);
    },
    now: () => new Date(2024, 5, 30, 23, 30),
  });
  return { store, tables, files };
}

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../../data/catalogue.json'), 'utf8')));
const cell = (id: string, name: string, nameEn: string, district: string): Feature => ({ type: 'Feature', properties: { id, name, name_en: nameEn, district }, geometry: { type: 'Polygon', coordinates: [[[122, 30], [122.01, 30], [122.01, 30.01], [122, 30]]] } });
const summary = (share: number): ScenarioResponse['before'] => ({ total: { area: 100, covered: 100 * share, share }, byGroup: {}, byZone: {} });

/** A store with the demo catalogue, three grid cells and a scenario's answer for two of them (the third has no residential land). */
function withGains(store: Store, answerFor = 's1'): void {
  store.setCatalogue(catalogue);
  store.layerLoaded('grid-cells', { type: 'FeatureCollection', features: [cell('G1', '沈家门网格1', 'Shenjiamen 1', 'putuo'), cell('G2', '城关网格', 'Chengguan', 'dinghai'), cell('G3', '海面', 'Sea', 'putuo')] });
  store.setScenarioId('s1');
  store.setPlanning({ coverage: { status: 'done', error: null, response: {
    scenarioId: answerFor, updated: '', kind: 'ebike', before: summary(0.5), after: summary(0.6), crossed: { up80: [], up90: [], down80: [], down90: [] }, newlyCovered: [], noLongerCovered: [], radii: {}, reach: { type: 'FeatureCollection', features: [] }, ms: 1,
    zones: [{ id: 'G1', area: 2000.04, before: 0.123456, after: 0.923456 }, { id: 'G2', area: 500, before: 1, after: 1 }, { id: 'G3', area: 0, before: 0, after: 0 }],
  } } });
}

describe('TableExportController', () => {
  it('saves the cells below target as CSV for Excel: BOM, the given headings, rounded figures, quoted and guarded cells', async () => {
    const { store, tables, files } = setUp();
    await tables.exportCells(['编号', '名称', '行政区', '居住用地', '覆盖', '覆盖率']);
    expect(files).toHaveLength(1);
    expect(files[0]!.name).toBe('grid-below-80pct-parks-2024-06-30.csv');
    const bytes = new Uint8Array(await files[0]!.blob.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text).toBe('\uFEFF编号,名称,行政区,居住用地,覆盖,覆盖率\r\nG1,沈家门网格1,普陀区,1234.6,617.3,50\r\nG2,"\'=HYPERLINK(""x"")","定海区, 城关",10,7,70\r\n');
    expect(store.state.tableExport).toEqual({ table: 'cells', file: 'grid-below-80pct-parks-2024-06-30.csv', rows: 2, status: 'done', error: null });
  });

  it('saves the buffer query’s hits, named by layer and radius', async () => {
    const { store, tables, files } = setUp();
    store.setWithin({ status: 'done', error: null, response: { layerId: 'communities', radius: 300, buffer: null, hits: [{ id: 'c1', name: '小区一', nameEn: 'Community 1', distance_m: 12.345 }, { id: 'c2', name: '小区二', distance_m: 20 }] } });
    await tables.exportBufferHits(['图层', '编号', '名称', '距离'], '居民小区');
    expect(files[0]!.name).toBe('buffer-communities-300m-2024-06-30.csv');
    expect(await files[0]!.blob.text()).toBe('图层,编号,名称,距离\r\n居民小区,c1,小区一,12.3\r\n居民小区,c2,小区二,20\r\n');
    // In English, the Latin name where there is one.
    await tables.exportBufferHits(['Layer', 'ID', 'Name', 'Distance'], 'Communities', 'en');
    expect(await files[1]!.blob.text()).toBe('Layer,ID,Name,Distance\r\nCommunities,c1,Community 1,12.3\r\nCommunities,c2,小区二,20\r\n');
    expect(store.state.tableExport?.status).toBe('done');
  });

  it('saves a scenario’s grid cells before and after as CSV, with names and districts in the UI language', async () => {
    const { store, tables, files } = setUp();
    withGains(store);
    await tables.exportGains(['编号', '名称', '行政区', '居住用地', '现状', '方案', '变化']);
    expect(files[0]!.name).toBe('grid-before-after-ebike-2024-06-30.csv');
    expect(await files[0]!.blob.text()).toBe('编号,名称,行政区,居住用地,现状,方案,变化\r\nG1,沈家门网格1,普陀区,2000,12.35,92.35,80\r\nG2,城关网格,定海区,500,100,100,0\r\n');
    await tables.exportGains(['ID', 'Name', 'District', 'Residential', 'Today', 'Scenario', 'Change'], 'en');
    expect(await files[1]!.blob.text()).toBe('ID,Name,District,Residential,Today,Scenario,Change\r\nG1,Shenjiamen 1,Putuo District,2000,12.35,92.35,80\r\nG2,Chengguan,Dinghai District,500,100,100,0\r\n');
    expect(store.state.tableExport).toEqual({ table: 'gains', file: 'grid-before-after-ebike-2024-06-30.csv', rows: 2, status: 'done', error: null });
  });

  it('saves the same table as an XLSX sheet, numbers as numbers, the sheet named by the scenario', async () => {
    const { store, tables, files } = setUp();
    withGains(store);
    await tables.exportGains(['编号', '名称', '行政区', '居住用地', '现状', '方案', '变化'], 'zh', 'xlsx', '方案一：电单车');
    expect(files[0]!.name).toBe('grid-before-after-ebike-2024-06-30.xlsx');
    expect(files[0]!.blob.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const zip = unzipSync(new Uint8Array(await files[0]!.blob.arrayBuffer()));
    expect(strFromU8(zip['xl/workbook.xml']!)).toContain('name="方案一：电单车"');
    const sheet = strFromU8(zip['xl/worksheets/sheet1.xml']!);
    // Three rows (the heading and two cells); the figures are numeric cells, not text.
    expect(sheet.match(/<row /g)).toHaveLength(3);
    for (const v of ['2000', '12.35', '92.35', '80']) expect(sheet).toContain(`<v>${v}</v>`);
    expect(store.state.tableExport).toMatchObject({ table: 'gains', file: 'grid-before-after-ebike-2024-06-30.xlsx', rows: 2, status: 'done' });
  });

  it('writes no rows of another scenario’s answer', async () => {
    const { store, tables, files } = setUp();
    withGains(store, 'other');
    await tables.exportGains(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(await files[0]!.blob.text()).toBe('a,b,c,d,e,f,g\r\n');
    expect(store.state.tableExport?.rows).toBe(0);
  });

  it('says when the file could not be saved, with its name', async () => {
    const { store, tables } = setUp(() => {
      throw new Error('blocked');
    });
    await tables.exportCells(['a']);
    expect(store.state.tableExport).toMatchObject({ table: 'cells', status: 'error', error: 'blocked', file: 'grid-below-80pct-parks-2024-06-30.csv' });
  });
});
