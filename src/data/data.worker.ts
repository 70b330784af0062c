/**
 * The storage Web Worker: every IndexedDB read and write, so the page's thread never makes
 * the structured-clone copy IndexedDB takes of what it stores (hundreds of milliseconds for
 * a million vertices, on the thread that calls put or reads the result). Features cross to
 * and from the page packed, their coordinates' buffer transferred, not copied. Glue only:
 * the work is in `layer-store.ts`. Files are read by the io worker (`io.worker.ts`), so
 * cancelling an import never interrupts a write here.
 */
import { expose, transfer } from 'comlink';
import { LayerStore, StorageError, type StorageErrorKind } from './layer-store.ts';
import type { PackedFeatureCollection } from '../geo/packed-features.ts';

/** A storage failure as plain data: Comlink would keep only an Error's message. */
export interface StorageFailure {
  kind: StorageErrorKind;
  message: string;
}

export interface LayerMeta {
  id: string;
  fileName: string;
  crs: string;
  savedAt: string;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: StorageFailure };

function failure(err: unknown): StorageFailure {
  return err instanceof StorageError ? { kind: err.kind, message: err.message } : { kind: 'failed', message: (err as Error)?.message ?? String(err) };
}

async function attempt<T>(f: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (err) {
    return { ok: false, error: failure(err) };
  }
}

let db: LayerStore | null = null;
let onBlocked: (() => void) | null = null;
// Opened on first use, so a page that never imports nor stores opens nothing here.
const layerStore = (): LayerStore => (db ??= new LayerStore({ onBlocked: () => onBlocked?.() }));

function buffers(records: unknown[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const r of records) {
    const coords = (r as { packed?: { coords?: unknown } })?.packed?.coords;
    if (coords instanceof Float64Array && coords.buffer instanceof ArrayBuffer) out.push(coords.buffer);
  }
  return out;
}

export const dataApi = {
  /** `report` is called if an older tab holds the database open and it cannot be upgraded. */
  watchBlocked(report: () => void): void {
    onBlocked = report;
  },

  /** The stored layer records as they are (the page checks them), buffers transferred. */
  async readLayers(): Promise<Result<unknown[]>> {
    const r = await attempt(() => layerStore().rawLayers());
    return r.ok ? transfer(r, buffers(r.value)) : r;
  },

  saveLayer(meta: LayerMeta, packed: PackedFeatureCollection): Promise<Result<void>> {
    return attempt(() => layerStore().savePacked(meta, packed));
  },

  removeLayer(id: string): Promise<Result<void>> {
    return attempt(() => layerStore().remove(id));
  },

  async readSettings(): Promise<Result<Map<string, unknown>>> {
    const r = await attempt(() => layerStore().readSettings());
    return r.ok ? transfer(r, buffers([...r.value.values()])) : r;
  },

  writeSettings(put: Record<string, unknown>, remove: string[], what: string): Promise<Result<void>> {
    return attempt(() => layerStore().writeSettings(put, remove, what));
  },

  readScenarios(): Promise<Result<unknown[]>> {
    return attempt(() => layerStore().readScenarios());
  },

  writeScenarios(put: { id: string }[], remove: string[], what: string): Promise<Result<void>> {
    return attempt(() => layerStore().writeScenarios(put, remove, what));
  },
};

export type DataApi = typeof dataApi;

expose(dataApi);
