/**
 * Wires import and export to the store, the map and the browser: dropped or picked files
 * are read (parsers load on first use) into user layers kept in IndexedDB; exports take
 * the chosen scope of features and download them. Part of the composition root.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import booleanIntersects from '@turf/boolean-intersects';
import { createFilteredData } from './app/selectors.ts';
import type { Store } from './app/store.ts';
import { userLayerEntry, userLayerId } from './app/user-layers.ts';
import { LayerStore, type StoredLayer } from './data/layer-store.ts';
import { downloadBlob } from './ui/download.ts';
import type { ExportRequest } from './ui/data-io-panel.ts';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Encodes export bytes: in the analysis worker in the app, directly in tests. */
export type Encoder = (fc: FeatureCollection, format: 'geojson' | 'csv' | 'fgb', crs: string, measures: boolean, title: string, layerName: string) => Promise<Uint8Array>;

export function setUpDataIo(store: Store, map: MapLibreMap, dropTarget: HTMLElement, encode: Encoder): void {
  const filtered = createFilteredData();
  let layerStore: LayerStore | null = null;
  try {
    layerStore = new LayerStore();
  } catch {
    // No IndexedDB (private mode in some browsers): imports still work for this visit.
  }
  /** The last file read, so the user can re-read it in another CRS. */
  let last: { bytes: Uint8Array; name: string; offset: string | null; layerId: string } | null = null;

  const addLayer = async (record: StoredLayer, persist: boolean): Promise<void> => {
    const cat = store.state.catalogue;
    const index = cat ? cat.layers.filter((l) => l.group === 'user').length : 0;
    store.addUserLayer(userLayerEntry(record.id, record.fileName, record.data, index), record.data);
    if (persist && layerStore) await layerStore.save(record);
  };

  const read = async (bytes: Uint8Array, name: string, crs: string | null, offset: string | null, replaceId?: string): Promise<void> => {
    store.setImportJob({ status: 'running', response: null, error: null });
    try {
      const { importFile } = await import('./data/import/import-file.ts');
      const r = await importFile(bytes, name, { ...(crs ? { crs } : {}), offset: (offset as 'gcj02' | 'bd09' | null) ?? null });
      const taken = new Set((store.state.catalogue?.layers ?? []).map((l) => l.id));
      if (replaceId) taken.delete(replaceId);
      const id = replaceId ?? userLayerId(name, taken);
      await addLayer({ id, fileName: name, crs: r.crs.code, savedAt: new Date().toISOString(), data: r.data }, true);
      last = { bytes, name, offset, layerId: id };
      store.setImportJob({
        status: 'done',
        error: null,
        response: { fileName: name, layerId: id, crs: r.crs.code, crsSource: r.crs.note, count: r.data.features.length, skipped: r.skipped, problems: r.problems },
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
      .then(() => store.removeUserLayer(id))
      .catch((err) => store.setImportJob({ status: 'error', response: null, error: message(err) }));
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

  // Layers imported on earlier visits come back once the catalogue is there.
  const restore = store.subscribe((s) => {
    if (!s.catalogue || !layerStore) return;
    restore();
    void layerStore
      .list()
      .then(async (records) => {
        for (const r of records) await addLayer(r, false);
      })
      .catch((err) => store.setImportJob({ status: 'error', response: null, error: message(err) }));
  });

  document.addEventListener('zs-export', (e) => void exportLayer(e.detail));

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
