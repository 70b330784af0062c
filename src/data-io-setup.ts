/**
 * Wires import and export to the store, the map and the browser: dropped or picked files
 * are read in a worker (so a polygon of a million vertices does not freeze the page) into
 * user layers kept in IndexedDB; exports take the chosen scope of features and download
 * them. Part of the composition root.
 *
 * A layer that cannot be kept (a full disk) stays on the map for this visit, and the
 * storage line says it will be gone after a reload.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import booleanIntersects from '@turf/boolean-intersects';
import { createFilteredData } from './app/selectors.ts';
import type { Store } from './app/store.ts';
import { userLayerEntry, userLayerId } from './app/user-layers.ts';
import { StorageError, type StoredLayer } from './data/layer-store.ts';
import type { DataWorkerClient } from './data/data-worker-client.ts';
import { isAbortError } from './data/errors.ts';
import { unpackFeatureCollection } from './data/packed-features.ts';
import { downloadBlob } from './ui/download.ts';
import type { ExportRequest } from './ui/data-io-panel.ts';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Encodes export bytes: in the analysis worker in the app, directly in tests. */
export type Encoder = (fc: FeatureCollection, format: 'geojson' | 'csv' | 'fgb', crs: string, measures: boolean, title: string, layerName: string) => Promise<Uint8Array>;

const nextTask = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * Files are read, and layers kept, by the data worker; `persist` is false where the browser
 * has no IndexedDB, and imports then last the visit.
 */
export function setUpDataIo(store: Store, map: MapLibreMap, dropTarget: HTMLElement, encode: Encoder, data: DataWorkerClient, persist: boolean): { layersRestored: Promise<void> } {
  const filtered = createFilteredData();
  const layerStore = persist ? data : null;
  /** The last file read, so the user can re-read it in another CRS. */
  let last: { bytes: Uint8Array; name: string; offset: string | null; layerId: string } | null = null;

  const reportStorageError = (key: string, err: unknown, detail: string): void => {
    const kind = err instanceof StorageError ? err.kind : 'failed';
    store.reportStorage({ key, kind, detail: kind === 'quota' ? detail : message(err) });
  };

  const addLayer = (record: StoredLayer): void => {
    const cat = store.state.catalogue;
    const index = cat ? cat.layers.filter((l) => l.group === 'user').length : 0;
    store.addUserLayer(userLayerEntry(record.id, record.fileName, record.data, index), record.data);
  };

  const read = async (bytes: Uint8Array, name: string, crs: string | null, offset: string | null, replaceId?: string): Promise<void> => {
    store.setImportJob({ status: 'running', response: null, error: null });
    try {
      const taken = new Set((store.state.catalogue?.layers ?? []).map((l) => l.id));
      if (replaceId) taken.delete(replaceId);
      const id = replaceId ?? userLayerId(name, taken);
      const savedAt = new Date().toISOString();
      // The worker reads the file and, before answering, stores the layer: so a layer is
      // either on the map and kept, or on the map with a message saying it was not kept.
      const r = await data.importFile(bytes, name, { ...(crs ? { crs } : {}), offset: (offset as 'gcj02' | 'bd09' | null) ?? null }, persist ? { id, fileName: name, savedAt } : null);
      // Rebuilding the features and drawing them each take a while for a huge file:
      // separate tasks, so the page can paint in between.
      await nextTask();
      const fc = unpackFeatureCollection(r.packed);
      await nextTask();
      addLayer({ id, fileName: name, crs: r.crs.code, savedAt, data: fc });
      last = { bytes, name, offset, layerId: id };
      if (r.notKept) reportStorageError(`layer:${id}`, new StorageError(r.notKept.message, r.notKept.kind), name);
      else if (persist) store.clearStorage(`layer:${id}`);
      store.setImportJob({
        status: 'done',
        error: null,
        response: { fileName: name, layerId: id, crs: r.crs.code, crsSource: r.crs.note, count: fc.features.length, skipped: r.skipped, problems: r.problems },
      });
    } catch (err) {
      // The message names the file and the problem; nothing already loaded is touched.
      store.setImportJob({ status: 'error', response: null, error: message(err) });
    }
  };

  const importFiles = async (files: File[], crs: string | null, offset: string | null): Promise<void> => {
    for (const file of files) await read(new Uint8Array(await file.arrayBuffer()), file.name, crs, offset);
  };

  document.addEventListener('zs-import-files', (e) => void importFiles(e.detail.files, e.detail.crs, e.detail.offset));
  document.addEventListener('zs-import-recrs', (e) => {
    if (last) void read(last.bytes, last.name, e.detail.crs, last.offset, last.layerId);
  });
  document.addEventListener('zs-user-layer-remove', (e) => {
    const id = e.detail.layerId;
    // Gone from the browser's storage first, then from the screen: a reload right after
    // the click must not bring the layer back.
    void (layerStore?.remove(id) ?? Promise.resolve())
      .then(() => {
        store.removeUserLayer(id);
        store.clearStorage(`layer:${id}`);
      })
      .catch((err) => reportStorageError(`layer:${id}`, err, id));
  });
  dropTarget.addEventListener('dragover', (e) => {
    if (store.state.mode !== 'staff' || !e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  dropTarget.addEventListener('drop', (e) => {
    if (store.state.mode !== 'staff' || !e.dataTransfer?.files.length) return;
    e.preventDefault();
    void importFiles([...e.dataTransfer.files], null, null);
  });

  // Layers imported on earlier visits come back once the catalogue is there, one task each;
  // a damaged record is named and skipped, the others still come back.
  let restored!: () => void;
  const layersRestored = new Promise<void>((r) => (restored = r));
  if (!layerStore) restored();
  const restore = store.subscribe((s) => {
    if (!s.catalogue || !layerStore) return;
    restore();
    void (async () => {
      try {
        for await (const r of layerStore.layers()) {
          if ('data' in r) addLayer(r);
          else store.reportStorage({ key: `layer:${r.id ?? '?'}`, kind: 'damaged', detail: r.reason });
        }
      } catch (err) {
        reportStorageError('layers', err, '');
      }
      restored();
    })();
  });

  document.addEventListener('zs-export', (e) => {
    exportLayer(e.detail).catch((err) => {
      // Cancelling an analysis restarts the worker, and an export running there with it.
      if (!isAbortError(err)) console.error(err);
    });
  });

  return { layersRestored };

  async function exportLayer(req: ExportRequest): Promise<void> {
    const s = store.state;
    // "Visible layers" writes one file per visible layer; every other scope one file.
    const ids = req.scope === 'visible' ? Object.entries(s.layers).filter(([, l]) => l.visible && l.status === 'ready').map(([id]) => id) : [req.layerId];
    for (const id of ids) await exportOne({ ...req, layerId: id });
  }

  async function exportOne(req: ExportRequest): Promise<void> {
    const s = store.state;
    const entry = s.catalogue?.layers.find((l) => l.id === req.layerId);
    const source = req.scope === 'filtered' || req.scope === 'visible' ? filtered(s)[req.layerId] : s.data[req.layerId];
    if (!entry || !source) return;
    let features: Feature[] = source.features;
    if (req.scope === 'picked') {
      const ids = new Set(s.picked?.layerId === req.layerId ? s.picked.ids : []);
      features = features.filter((f) => ids.has(String(f.properties?.id)));
    } else if (req.scope === 'view') {
      const b = map.getBounds();
      const [w, so, e, n] = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
      const view: Polygon = { type: 'Polygon', coordinates: [[[w, so], [e, so], [e, n], [w, n], [w, so]]] };
      features = features.filter((f) => f.geometry && booleanIntersects(f, view));
    } else if (req.scope === 'study' && s.studyArea) {
      const area = s.studyArea.feature as Feature<Polygon | MultiPolygon>;
      features = features.filter((f) => f.geometry && booleanIntersects(f, area));
    }
    // Residential land carries the last coverage result, so a planner can map the gaps.
    const cov = s.coverage.response;
    if (cov && req.layerId === 'communities') {
      const byId = new Map(cov.result.perTarget.map((t) => [t.id, t]));
      features = features.map((f) => {
        const t = byId.get(String(f.properties?.id));
        return t ? { ...f, properties: { ...f.properties, [`coverage_${cov.settings.kind}_share`]: Math.round(t.share * 1e4) / 1e4, [`coverage_${cov.settings.kind}_m2`]: Math.round(t.covered * 100) / 100 } } : f;
      });
    }
    const { EXPORT_FORMATS, exportFileName } = await import('./data/export/formats.ts');
    const format = EXPORT_FORMATS.find((f) => f.id === req.format)!;
    const bytes = await encode({ type: 'FeatureCollection', features }, req.format, req.crs, req.measures, entry.name.zh, entry.id);
    const name = exportFileName(entry.id, new Date(), req.crs, format.extension);
    downloadBlob(new Blob([bytes as BlobPart], { type: format.mime }), name);
  }
}
