import { describe, expect, it } from 'vitest';
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

  it('says when the file could not be saved, with its name', async () => {
    const { store, tables } = setUp(() => {
      throw new Error('blocked');
    });
    await tables.exportCells(['a']);
    expect(store.state.tableExport).toMatchObject({ table: 'cells', status: 'error', error: 'blocked', file: 'grid-below-80pct-parks-2024-06-30.csv' });
  });
});
