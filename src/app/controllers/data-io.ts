/**
 * Owns the import and export jobs. Files are read, and exports written, in io workers (one
 * per running job, see `worker-pool.ts`), so either can be cancelled without touching the
 * other or the analysis; imported layers are kept in the browser's storage (the storage
 * worker) and come back on the next visit.
 *
 * Each job's state is in the store, where the panel shows it: running (what), done (what
 * was read or written, or that there was nothing to export), failed (why), cancelled.
 * A layer that cannot be kept (a full disk) stays on the map for this visit, and the
 * storage line says it will be gone after a reload. Nothing already loaded is touched by a
 * failed import.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Remote } from 'comlink';
import { exportFileName, findExportFormat } from '../../data/export/formats.ts';
import { isAbortError } from '../../data/errors.ts';
import { msg, type DataMessage } from '../../data/messages.ts';
import { errorDetail } from '../../data/worker-errors.ts';
import type { ExportJob, IoApi } from '../../data/io-api.ts';
import { StorageError, type BrowserStore, type StoredLayer } from '../../data/stored-layers.ts';
import type { LayerMeta } from '../../data/data-worker-client.ts';
import { packFeatureCollection, unpackFeatureCollection, type PackedFeatureCollection } from '../../geo/packed-features.ts';
import type { ExportRequest, ImportOffset } from '../registry.ts';
import type { Selectors } from '../selectors.ts';
import type { Store } from '../store.ts';
import { userLayerEntry, userLayerId } from '../user-layers.ts';

/** Runs a job in an io worker; aborting the signal stops that worker. A WorkerPool fits. */
interface IoRunner {
  run<T>(job: (api: Remote<IoApi>) => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/** Where imported layers are kept: the storage worker's client fits. */
export interface LayerKeeper extends BrowserStore {
  saveLayer(meta: LayerMeta, packed: PackedFeatureCollection): Promise<void>;
}

export interface DataIoDeps {
  io: IoRunner;
  /** Null where the browser has no IndexedDB: imports then last the visit. */
  storage: LayerKeeper | null;
  selectors: Selectors;
  /** Offers the bytes as a download. */
  download: (blob: Blob, fileName: string) => void;
  now?: () => Date;
}

/** A file to import: its name and a way to read it (a File fits). */
export interface ImportSource {
  name: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const nextTask = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const cancelled = { status: 'cancelled', response: null, error: null } as const;

export class DataIoController {
  readonly #store: Store;
  readonly #deps: DataIoDeps;
  /** The last file read, so the user can read it again in another CRS. */
  #last: { bytes: Uint8Array; name: string; offset: ImportOffset | null; layerId: string } | null = null;
  #importing: AbortController | null = null;
  #exporting: AbortController | null = null;
  readonly #unsubscribe: () => void;
  /** Settles when the layers kept from earlier visits are back (or could not be read). */
  readonly layersRestored: Promise<void>;

  constructor(store: Store, deps: DataIoDeps) {
    this.#store = store;
    this.#deps = deps;
    let restored!: () => void;
    this.layersRestored = new Promise<void>((r) => (restored = r));
    // Layers imported on earlier visits come back once the catalogue is there, one task
    // each; a damaged record is named and skipped, the others still come back.
    let started = false;
    const restore = (): void => {
      if (started || !store.state.catalogue) return;
      started = true;
      void this.#restore().finally(restored);
    };
    this.#unsubscribe = store.subscribe(restore);
    if (!deps.storage) restored();
    else restore();
  }

  dispose(): void {
    this.#unsubscribe();
    this.#importing?.abort();
    this.#exporting?.abort();
  }

  async #restore(): Promise<void> {
    const storage = this.#deps.storage;
    if (!storage) return;
    try {
      for await (const r of storage.layers()) {
        if ('data' in r) this.#addLayer(r);
        else this.#store.reportStorage({ key: `layer:${r.id ?? '?'}`, kind: 'damaged', detail: r.reason });
      }
    } catch (err) {
      this.#reportStorageError('layers', err, '');
    }
  }

  #reportStorageError(key: string, err: unknown, detail: string): void {
    const kind = err instanceof StorageError ? err.kind : 'failed';
    this.#store.reportStorage({ key, kind, detail: kind === 'quota' ? detail : message(err) });
  }

  #addLayer(record: Pick<StoredLayer, 'id' | 'fileName' | 'data'>): void {
    const cat = this.#store.state.catalogue;
    const index = cat ? cat.layers.filter((l) => l.group === 'user').length : 0;
    this.#store.addUserLayer(userLayerEntry(record.id, record.fileName, record.data, index), record.data);
  }

  /** Reads the files one after another into layers of their own. */
  async importFiles(files: readonly ImportSource[], crs: string | null, offset: ImportOffset | null): Promise<void> {
    for (const file of files) {
      const ok = await this.#read(file.name, () => file.arrayBuffer().then((b) => new Uint8Array(b)), crs, offset);
      if (!ok) break;
    }
  }

  /** Reads the last file again in another CRS, replacing the layer it made. */
  async reread(crs: string): Promise<void> {
    const last = this.#last;
    if (last) await this.#read(last.name, async () => last.bytes, crs, last.offset, last.layerId);
  }

  cancelImport(): void {
    this.#importing?.abort();
  }

  /** False when the user cancelled: the files after it are not read. */
  async #read(name: string, bytesOf: () => Promise<Uint8Array>, crs: string | null, offset: ImportOffset | null, replaceId?: string): Promise<boolean> {
    const store = this.#store;
    this.#importing?.abort();
    const ctl = (this.#importing = new AbortController());
    store.setImportJob({ status: 'running', response: null, error: null, what: name });
    try {
      const bytes = await bytesOf();
      const taken = new Set((store.state.catalogue?.layers ?? []).map((l) => l.id));
      if (replaceId) taken.delete(replaceId);
      const id = replaceId ?? userLayerId(name, taken);
      // The worker gets a copy: the bytes are kept here to read the file again in another CRS.
      const r = await this.#deps.io.run((api) => api.importFile(bytes.slice(), name, { ...(crs ? { crs } : {}), offset }), ctl.signal);
      // Rebuilding the features and drawing them each take a while for a huge file:
      // separate tasks, so the page can paint in between.
      await nextTask();
      ctl.signal.throwIfAborted();
      const fc = unpackFeatureCollection(r.packed);
      // Kept before it is shown: a layer is either on the map and kept, or on the map with
      // a message saying it was not kept.
      let notKept: unknown = null;
      if (this.#deps.storage) {
        try {
          await this.#deps.storage.saveLayer({ id, fileName: name, crs: r.crs.code, savedAt: (this.#deps.now?.() ?? new Date()).toISOString() }, r.packed);
        } catch (err) {
          notKept = err;
        }
      }
      await nextTask();
      this.#addLayer({ id, fileName: name, data: fc });
      this.#last = { bytes, name, offset, layerId: id };
      if (notKept) this.#reportStorageError(`layer:${id}`, notKept, name);
      else if (this.#deps.storage) store.clearStorage(`layer:${id}`);
      store.setImportJob({
        status: 'done',
        error: null,
        what: name,
        response: {
          fileName: name,
          layerId: id,
          crs: r.crs.code,
          crsSource: r.crs.note,
          crsConfidence: r.crs.confidence,
          count: fc.features.length,
          skipped: r.skipped,
          problems: r.problems,
          incomplete: r.incomplete,
        },
      });
      return true;
    } catch (err) {
      if (ctl.signal.aborted || isAbortError(err)) {
        store.setImportJob({ ...cancelled, what: name });
        return false;
      }
      // The message names the file and the problem; nothing already loaded is touched. An
      // error without a message code is the app's own failure, not the file's: it is said
      // so in the UI's words, and its text goes to the console for whoever debugs it.
      let detail = errorDetail(err);
      if (!detail) {
        console.warn(`importing ${name}:`, err);
        detail = msg('unexpected', { file: name });
      }
      store.setImportJob({ status: 'error', response: null, error: message(err), errorDetail: detail, what: name });
      return true;
    } finally {
      if (this.#importing === ctl) this.#importing = null;
    }
  }

  /** Forgets an imported layer: gone from the browser's storage first, then from the screen. */
  async removeLayer(id: string): Promise<void> {
    try {
      // A reload right after the click must not bring the layer back.
      await this.#deps.storage?.remove(id);
      this.#store.removeUserLayer(id);
      this.#store.clearStorage(`layer:${id}`);
      // The import that made it, if its result is still shown, now says it was removed.
      const job = this.#store.state.importJob;
      if (job.status === 'done' && job.response?.layerId === id) this.#store.setImportJob({ ...job, response: { ...job.response, removed: true } });
    } catch (err) {
      this.#reportStorageError(`layer:${id}`, err, id);
    }
  }

  cancelExport(): void {
    this.#exporting?.abort();
  }

  /**
   * Writes the request's features and offers the file. Several layers (the visible ones)
   * come as one zip holding a file per layer, so the browser asks once.
   */
  async exportLayers(req: ExportRequest): Promise<void> {
    const store = this.#store;
    const s = store.state;
    const format = findExportFormat(req.format);
    const ids = req.scope === 'visible'
      ? Object.entries(s.layers).filter(([, l]) => l.visible && l.status === 'ready').map(([id]) => id)
      : [req.scope === 'picked' && s.picked ? s.picked.layerId : req.layerId];
    this.#exporting?.abort();
    const ctl = (this.#exporting = new AbortController());
    const what = ids.map((id) => s.catalogue?.layers.find((l) => l.id === id)?.name[s.lang] ?? id).join(', ');
    store.setExportJob({ status: 'running', response: null, error: null, what });
    const files: string[] = [];
    let count = 0;
    let layers = 0;
    let notes: DataMessage[] = [];
    try {
      if (!format) throw new Error(`unknown export format ${req.format}`);
      if (!format.crsAllowed.includes(req.crs)) throw new Error(`${format.label.en} cannot be written in ${req.crs}`);
      const now = this.#deps.now?.() ?? new Date();
      const jobs = ids.flatMap((id) => {
        const job = this.#exportJob({ ...req, layerId: id });
        return job ? [{ ...job, fileName: exportFileName(id, now, req.crs, format.extension) }] : [];
      });
      const zipped = req.scope === 'visible' && jobs.length > 1;
      const out = jobs.length === 0
        ? null
        : await this.#deps.io.run((api) => (zipped ? api.exportZip(jobs) : api.exportFile(jobs[0]!)), ctl.signal);
      if (out && out.count > 0) {
        const name = zipped ? exportFileName(`layers-${format.id}`, now, req.crs, 'zip') : jobs[0]!.fileName;
        this.#deps.download(new Blob([out.bytes as BlobPart], { type: zipped ? 'application/zip' : format.mime }), name);
        files.push(name);
        count = out.count;
        layers = out.layers ?? 1;
        notes = out.notes;
      }
      store.setExportJob({ status: 'done', response: { files, count, ...(layers > 1 ? { layers } : {}), ...(notes.length ? { notes } : {}) }, error: null, what });
    } catch (err) {
      if (ctl.signal.aborted || isAbortError(err)) store.setExportJob({ ...cancelled, what });
      else store.setExportJob({ status: 'error', response: null, error: message(err), errorDetail: errorDetail(err), what });
    } finally {
      if (this.#exporting === ctl) this.#exporting = null;
    }
  }

  /**
   * Writes features that are no catalogue layer (a planning scenario's proposed sites) in a
   * format and coordinate system, as the job line's export: running, done, failed, cancelled.
   * `name` goes into the file name; `what` is how the job line names it.
   */
  async exportCollection(fc: FeatureCollection, opts: { name: string; title: string; what: string; format: ExportRequest['format']; crs: string }): Promise<void> {
    const store = this.#store;
    const format = findExportFormat(opts.format);
    this.#exporting?.abort();
    const ctl = (this.#exporting = new AbortController());
    const what = opts.what;
    store.setExportJob({ status: 'running', response: null, error: null, what });
    try {
      if (!format) throw new Error(`unknown export format ${opts.format}`);
      if (!format.crsAllowed.includes(opts.crs)) throw new Error(`${format.label.en} cannot be written in ${opts.crs}`);
      if (fc.features.length === 0) {
        store.setExportJob({ status: 'done', response: { files: [], count: 0 }, error: null, what });
        return;
      }
      const packed = packFeatureCollection(fc);
      const out = await this.#deps.io.run(
        (api) => api.exportFile({ features: packed, within: null, format: opts.format, crs: opts.crs, measures: false, title: opts.title, layerName: opts.name }),
        ctl.signal,
      );
      const file = exportFileName(opts.name, this.#deps.now?.() ?? new Date(), opts.crs, format.extension);
      this.#deps.download(new Blob([out.bytes as BlobPart], { type: format.mime }), file);
      store.setExportJob({ status: 'done', response: { files: [file], count: out.count, ...(out.notes.length ? { notes: out.notes } : {}) }, error: null, what });
    } catch (err) {
      if (ctl.signal.aborted || isAbortError(err)) store.setExportJob({ ...cancelled, what });
      else store.setExportJob({ status: 'error', response: null, error: message(err), errorDetail: errorDetail(err), what });
    } finally {
      if (this.#exporting === ctl) this.#exporting = null;
    }
  }

  /** The job writing the features of one layer the request takes; null when the layer is not there. */
  #exportJob(req: ExportRequest): ExportJob | null {
    const s = this.#store.state;
    const cat = s.catalogue;
    const entry = cat?.layers.find((l) => l.id === req.layerId);
    const source = req.scope === 'filtered' || req.scope === 'visible' ? this.#deps.selectors.filtered(s)[req.layerId] : s.data[req.layerId];
    if (!cat || !entry || !source) return null;
    let features: Feature[] = source.features;
    let within: Feature<Polygon | MultiPolygon> | null = null;
    if (req.scope === 'picked') {
      const ids = new Set(s.picked?.layerId === req.layerId ? s.picked.ids : []);
      features = features.filter((f) => ids.has(String(f.properties?.id)));
    } else if (req.scope === 'view') {
      const b = s.view.bounds;
      if (!b) return null;
      const [w, so, e, n] = b;
      within = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[w, so], [e, so], [e, n], [w, n], [w, so]]] } };
    } else if (req.scope === 'study') {
      if (!s.studyArea) return null;
      within = s.studyArea.feature;
    }
    if (features.length === 0) return null;
    // Residential land carries the last coverage result, so a planner can map the gaps.
    const cov = s.coverage.response;
    if (cov && req.layerId === cat.analysis?.residential) {
      const byId = new Map(cov.result.perTarget.map((t) => [t.id, t]));
      features = features.map((f) => {
        const t = byId.get(String(f.properties?.id));
        return t ? { ...f, properties: { ...f.properties, [`coverage_${cov.settings.kind}_share`]: Math.round(t.share * 1e4) / 1e4, [`coverage_${cov.settings.kind}_m2`]: Math.round(t.covered * 100) / 100 } } : f;
      });
    }
    return {
      features: packFeatureCollection({ type: 'FeatureCollection', features }),
      within,
      format: req.format,
      crs: req.crs,
      measures: req.measures,
      title: entry.name[s.lang],
      layerName: entry.id,
      layer: {
        id: entry.id,
        name: entry.name,
        fields: entry.fields,
        color: entry.style.color,
        stages: cat.stages,
        ...(entry.styleField ? { styleField: entry.styleField } : {}),
      },
      lang: s.lang,
      ...(req.encoding ? { encoding: req.encoding } : {}),
    };
  }
}
