import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { parseCatalogue } from '../../data/catalogue.ts';
import { ioApi, type IoApi } from '../../data/io-api.ts';
import { keepErrorDetails } from '../../data/worker-errors.ts';
import { StorageError, type DamagedRecord, type StoredLayer } from '../../data/stored-layers.ts';
import type { PackedFeatureCollection } from '../../geo/packed-features.ts';
import type { LayerMeta } from '../../data/data-worker-client.ts';
import { createSelectors } from '../selectors.ts';
import { Store } from '../store.ts';
import { fakeWorkers } from '../test/fake-worker.ts';
import { WorkerPool } from '../worker-pool.ts';
import { DataIoController, type LayerKeeper } from './data-io.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../../data/catalogue.json'), 'utf8')));

const geojson = (n: number): Uint8Array => new TextEncoder().encode(JSON.stringify({
  type: 'FeatureCollection',
  features: Array.from({ length: n }, (_, i) => ({ type: 'Feature', properties: { id: `p${i}`, name: `点 ${i}` }, geometry: { type: 'Point', coordinates: [122.2 + i * 0.001, 30] } })),
}));
const file = (name: string, bytes: Uint8Array) => ({ name, arrayBuffer: async () => bytes.slice().buffer });

/** Keeps layers in memory; `fail` makes the next save fail the way a full disk does. */
class MemoryKeeper implements LayerKeeper {
  saved = new Map<string, LayerMeta>();
  fail: StorageError | null = null;
  kept: (StoredLayer | DamagedRecord)[] = [];
  async saveLayer(meta: LayerMeta, _packed: PackedFeatureCollection): Promise<void> {
    if (this.fail) throw this.fail;
    this.saved.set(meta.id, meta);
  }
  async *layers(): AsyncGenerator<StoredLayer | DamagedRecord> {
    yield* this.kept;
  }
  async remove(id: string): Promise<void> {
    this.saved.delete(id);
  }
  async readSettings(): Promise<Map<string, unknown>> {
    return new Map();
  }
  async writeSettings(): Promise<void> {}
}

function setUp(options: { keeper?: MemoryKeeper | null; api?: () => IoApi } = {}) {
  const store = new Store();
  store.setCatalogue(catalogue);
  const workers = fakeWorkers(options.api ?? (() => ioApi));
  const pool = new WorkerPool<IoApi>(workers.factory);
  const downloads: { name: string; blob: Blob }[] = [];
  const keeper = options.keeper === undefined ? new MemoryKeeper() : options.keeper;
  const ctl = new DataIoController(store, {
    io: pool,
    storage: keeper,
    selectors: createSelectors(),
    download: (blob, name) => downloads.push({ blob, name }),
    now: () => new Date(2024, 5, 21),
  });
  return { store, ctl, pool, workers, downloads, keeper };
}

const points = (n: number): FeatureCollection => ({
  type: 'FeatureCollection',
  features: Array.from({ length: n }, (_, i) => ({ type: 'Feature', properties: { id: `f${i}`, status: i % 2 ? 'finished' : 'in_progress' }, geometry: { type: 'Point', coordinates: [122.2 + i * 0.01, 30] } })),
});

describe('DataIoController: import', () => {
  it('reads a file in an io worker into a kept layer and says what it read', async () => {
    const { store, ctl, keeper, workers } = setUp();
    expect(workers.started).toBe(0);
    await ctl.importFiles([file('工地.geojson', geojson(3))], null, null);
    expect(store.state.importJob).toMatchObject({ status: 'done', what: '工地.geojson', response: { fileName: '工地.geojson', count: 3, crs: 'EPSG:4326' } });
    const id = store.state.importJob.response!.layerId;
    expect(store.state.data[id]!.features).toHaveLength(3);
    expect(keeper!.saved.has(id)).toBe(true);
    expect(workers.started).toBe(1);
  });

  it('names the file and the problem when it cannot be read, and keeps what is loaded', async () => {
    const { store, ctl } = setUp();
    store.layerLoaded('parks', points(2));
    const before = store.state.data;
    await ctl.importFiles([file('broken.geojson', new TextEncoder().encode('{"type": "FeatureCollection", "features": ['))], null, null);
    expect(store.state.importJob.status).toBe('error');
    expect(store.state.importJob.error).toContain('broken.geojson');
    expect(store.state.data).toBe(before);
  });

  it('keeps the message code of what went wrong, for the UI to say in its language', async () => {
    // As io.worker.ts does: without it Comlink sends only the English message.
    keepErrorDetails();
    const { store, ctl } = setUp();
    await ctl.importFiles([file('broken.geojson', new TextEncoder().encode('{"type": "FeatureCollection",\n "features": ['))], null, null);
    expect(store.state.importJob.errorDetail).toEqual({ code: 'notJsonEnd', params: { file: 'broken.geojson', line: 2 } });
  });

  it('says an error of the app itself in its own words, not as raw JavaScript text', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { store, ctl } = setUp({ api: () => ({ ...ioApi, importFile: () => Promise.reject(new TypeError("Cannot read properties of null (reading 'type')")) }) });
    await ctl.importFiles([file('a.geojson', geojson(1))], null, null);
    expect(store.state.importJob).toMatchObject({ status: 'error', errorDetail: { code: 'unexpected', params: { file: 'a.geojson' } } });
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('imports what a damaged file holds, says so, and marks the import removed when the user takes the layer away', async () => {
    const { store, ctl, keeper } = setUp();
    const text = JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [122.2, 30] } },
      { type: 'Feature', properties: {}, geometry: null },
    ] });
    await ctl.importFiles([file('half.geojson', new TextEncoder().encode(text))], null, null);
    const r = store.state.importJob.response!;
    expect(r).toMatchObject({ count: 1, skipped: 1, incomplete: true });
    expect(r.problems[0]).toEqual({ code: 'skippedSummary', params: { file: 'half.geojson', skipped: 1, total: 2 } });
    await ctl.removeLayer(r.layerId);
    expect(store.state.data[r.layerId]).toBeUndefined();
    expect(keeper!.saved.has(r.layerId)).toBe(false);
    expect(store.state.importJob.response).toMatchObject({ layerId: r.layerId, removed: true });
  });

  it('shows a layer it could not keep, and says it will be gone after a reload', async () => {
    const keeper = new MemoryKeeper();
    keeper.fail = new StorageError('not enough browser storage to keep it', 'quota');
    const { store, ctl } = setUp({ keeper });
    await ctl.importFiles([file('a.geojson', geojson(2))], null, null);
    const id = store.state.importJob.response!.layerId;
    expect(store.state.data[id]).toBeDefined();
    expect(store.state.storage).toEqual([{ key: `layer:${id}`, kind: 'quota', detail: 'a.geojson' }]);
  });

  it('is cancelled by stopping its worker, and the next import still works', async () => {
    let release!: () => void;
    const slow: IoApi = {
      ...ioApi,
      importFile: (bytes, name, options) => new Promise((r) => (release = () => r(ioApi.importFile(bytes, name, options)))),
    };
    const { store, ctl, workers } = setUp({ api: () => slow });
    const running = ctl.importFiles([file('slow.geojson', geojson(1)), file('next.geojson', geojson(1))], null, null);
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    expect(store.state.importJob).toMatchObject({ status: 'running', what: 'slow.geojson' });
    ctl.cancelImport();
    await running;
    expect(store.state.importJob).toMatchObject({ status: 'cancelled', what: 'slow.geojson' });
    expect(workers.terminated).toBe(1);
    // The files after a cancelled one are not read.
    expect(Object.keys(store.state.data)).toEqual([]);
  });

  it('reads the last file again in another CRS under the same layer id', async () => {
    const { store, ctl } = setUp();
    await ctl.importFiles([file('a.geojson', geojson(2))], null, null);
    const id = store.state.importJob.response!.layerId;
    const first = store.state.data[id];
    await ctl.reread('EPSG:4490');
    expect(store.state.importJob.response).toMatchObject({ layerId: id, crs: 'EPSG:4490' });
    expect(store.state.data[id]).not.toBe(first);
  });

  it('brings back the layers kept on an earlier visit, and names a damaged one', async () => {
    const keeper = new MemoryKeeper();
    keeper.kept = [
      { id: 'user-a', fileName: 'a.geojson', crs: 'EPSG:4326', savedAt: '', data: points(2) },
      { id: 'user-b', reason: 'the record holds no feature collection' },
    ];
    const store = new Store();
    const ctl = new DataIoController(store, { io: new WorkerPool<IoApi>(fakeWorkers(() => ioApi).factory), storage: keeper, selectors: createSelectors(), download: () => undefined });
    store.setCatalogue(catalogue);
    await ctl.layersRestored;
    expect(store.state.data['user-a']!.features).toHaveLength(2);
    expect(store.state.storage).toEqual([{ key: 'layer:user-b', kind: 'damaged', detail: 'the record holds no feature collection' }]);
  });
});

describe('DataIoController: export', () => {
  it('writes the layer and offers the file, saying how many features it wrote', async () => {
    const { store, ctl, downloads } = setUp();
    store.layerLoaded('ebike-stations', points(5));
    await ctl.exportLayers({ scope: 'layer', layerId: 'ebike-stations', format: 'geojson', crs: 'EPSG:4326', measures: false });
    expect(store.state.exportJob).toMatchObject({ status: 'done', response: { files: ['ebike-stations_2024-06-21_EPSG-4326.geojson'], count: 5 } });
    expect(downloads).toHaveLength(1);
    const written = JSON.parse(await downloads[0]!.blob.text()) as FeatureCollection;
    expect(written.features).toHaveLength(5);
  });

  it('writes all visible layers as one zip of their files, Shapefiles unzipped inside it', async () => {
    const { store, ctl, downloads } = setUp();
    store.layerLoaded('ebike-stations', points(3));
    store.layerLoaded('waterlogging', points(2));
    const visible = Object.entries(store.state.layers).filter(([, l]) => l.visible && l.status === 'ready').map(([id]) => id);
    expect(visible).toEqual(expect.arrayContaining(['ebike-stations', 'waterlogging']));
    await ctl.exportLayers({ scope: 'visible', layerId: '', format: 'shp', crs: 'EPSG:4550', measures: false, encoding: 'utf-8' });
    expect(store.state.exportJob).toMatchObject({ status: 'done', response: { files: ['layers-shp_2024-06-21_EPSG-4550.zip'], count: 5 } });
    expect(downloads).toHaveLength(1);
    const entries = unzipSync(new Uint8Array(await downloads[0]!.blob.arrayBuffer()));
    expect(Object.keys(entries).sort()).toEqual(
      ['ebike-stations', 'waterlogging'].flatMap((l) => ['cpg', 'dbf', 'prj', 'shp', 'shx'].map((e) => `${l}.${e}`)),
    );
    expect(new TextDecoder().decode(entries['waterlogging.cpg'])).toBe('UTF-8');

    await ctl.exportLayers({ scope: 'visible', layerId: '', format: 'csv', crs: 'EPSG:4326', measures: false });
    const csvs = unzipSync(new Uint8Array(await downloads[1]!.blob.arrayBuffer()));
    expect(Object.keys(csvs).sort()).toEqual(['ebike-stations_2024-06-21_EPSG-4326.csv', 'waterlogging_2024-06-21_EPSG-4326.csv']);
  });

  it('writes the value labels beside the codes in CSV, in the UI language', async () => {
    const { store, ctl, downloads } = setUp();
    store.setLang('en');
    store.layerLoaded('parks', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { id: 'k1', status: 'upgrading' }, geometry: { type: 'Point', coordinates: [122.2, 30] } }],
    });
    await ctl.exportLayers({ scope: 'layer', layerId: 'parks', format: 'csv', crs: 'EPSG:4326', measures: false });
    const [header, row] = (await downloads[0]!.blob.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toBe('id,status,status_label,x,y');
    expect(row).toBe('k1,upgrading,Upgrading,122.2,30');
  });

  it('says there is nothing to export and offers no file when the scope is empty', async () => {
    const { store, ctl, downloads } = setUp();
    store.layerLoaded('ebike-stations', points(5));
    store.setFilter('ebike-stations', 'status', { field: 'status', kind: 'values', values: ['nowhere'] });
    await ctl.exportLayers({ scope: 'filtered', layerId: 'ebike-stations', format: 'csv', crs: 'EPSG:4550', measures: false });
    expect(store.state.exportJob).toMatchObject({ status: 'done', response: { files: [], count: 0 } });
    expect(downloads).toHaveLength(0);
  });

  it('keeps only the features in view for the view scope', async () => {
    const { store, ctl, downloads } = setUp();
    store.layerLoaded('ebike-stations', points(5));
    store.setView({ center: [122.21, 30], zoom: 14, bounds: [122.205, 29.99, 122.225, 30.01] });
    await ctl.exportLayers({ scope: 'view', layerId: 'ebike-stations', format: 'geojson', crs: 'EPSG:4326', measures: true });
    const written = JSON.parse(await downloads[0]!.blob.text()) as FeatureCollection;
    expect(written.features.map((f) => f.properties!.id as unknown)).toEqual(['f1', 'f2']);
  });

  it('says with the finished export what the file could not hold (characters GBK lacks)', async () => {
    const { store, ctl } = setUp();
    const fc = points(1);
    fc.features[0]!.properties!.id = '🌊 站点';
    store.layerLoaded('ebike-stations', fc);
    await ctl.exportLayers({ scope: 'layer', layerId: 'ebike-stations', format: 'shp', crs: 'EPSG:4326', measures: false, encoding: 'gbk' });
    expect(store.state.exportJob).toMatchObject({ status: 'done', response: { count: 1, notes: [{ code: 'gbkUnmappable', params: { count: 1, examples: '🌊' } }] } });
    await ctl.exportLayers({ scope: 'layer', layerId: 'ebike-stations', format: 'shp', crs: 'EPSG:4326', measures: false, encoding: 'utf-8' });
    expect(store.state.exportJob.response?.notes).toBeUndefined();
  });

  it('says with the finished export what a Shapefile could not hold (columns past dBase’s 255)', async () => {
    const { store, ctl } = setUp();
    const fc = points(1);
    for (let i = 0; i < 300; i++) fc.features[0]!.properties![`remark_${i}`] = `r${i}`;
    await ctl.exportCollection(fc, { name: 'remarks', title: 'Remarks', what: 'remarks', format: 'shp', crs: 'EPSG:4326' });
    expect(store.state.exportJob.status).toBe('done');
    const columns = Object.keys(fc.features[0]!.properties!).length;
    const notes = store.state.exportJob.response?.notes ?? [];
    expect(notes.map((n) => [n.code, n.params.file, n.params.count])).toEqual([['shpTooManyFields', 'remarks.dbf', columns - 255]]);
    expect(notes[0]!.params.examples).toMatch(/^remark_\d+, remark_\d+/);
  });

  it('fails with a message when the format cannot be written in the CRS', async () => {
    const { store, ctl } = setUp();
    store.layerLoaded('ebike-stations', points(1));
    await ctl.exportLayers({ scope: 'layer', layerId: 'ebike-stations', format: 'geojson', crs: 'EPSG:4550', measures: false });
    expect(store.state.exportJob.status).toBe('error');
    expect(store.state.exportJob.error).toContain('EPSG:4550');
  });

  it('is not stopped by cancelling an import, and can be cancelled itself', async () => {
    let releaseExport!: () => void;
    let releaseImport!: () => void;
    const slow: IoApi = {
      importFile: (...a) => new Promise((r) => (releaseImport = () => r(ioApi.importFile(...a)))),
      exportFile: (job) => new Promise((r) => (releaseExport = () => r(ioApi.exportFile(job)))),
      exportZip: (jobs) => ioApi.exportZip(jobs),
    };
    const { store, ctl, workers } = setUp({ api: () => slow });
    store.layerLoaded('ebike-stations', points(2));
    const exporting = ctl.exportLayers({ scope: 'layer', layerId: 'ebike-stations', format: 'geojson', crs: 'EPSG:4326', measures: false });
    const importing = ctl.importFiles([file('a.geojson', geojson(1))], null, null);
    await vi.waitFor(() => {
      expect(releaseExport).toBeTypeOf('function');
      expect(releaseImport).toBeTypeOf('function');
    });
    expect(workers.started).toBe(2);
    ctl.cancelImport();
    await importing;
    releaseExport();
    await exporting;
    expect(store.state.importJob.status).toBe('cancelled');
    expect(store.state.exportJob).toMatchObject({ status: 'done', response: { count: 2 } });

    releaseExport = undefined as never;
    const second = ctl.exportLayers({ scope: 'layer', layerId: 'ebike-stations', format: 'geojson', crs: 'EPSG:4326', measures: false });
    await vi.waitFor(() => expect(releaseExport).toBeTypeOf('function'));
    ctl.cancelExport();
    await second;
    expect(store.state.exportJob.status).toBe('cancelled');
  });
});
