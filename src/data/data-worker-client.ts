/**
 * The page's handle on the storage worker (`data.worker.ts`): the page's BrowserStore, with
 * every IndexedDB read and write done in the worker. Storage failures come back as
 * StorageErrors, as LayerStore throws them. The worker starts on the first read or write.
 */
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { DataApi, LayerMeta, StorageFailure } from './data.worker.ts';
import { StorageError, readLayerRecord, type BrowserStore, type DamagedRecord, type ScenarioStore, type StoredLayer } from './stored-layers.ts';
import type { PackedFeatureCollection } from '../geo/packed-features.ts';

export type { LayerMeta } from './data.worker.ts';

const defaultFactory = (): Worker => new Worker(new URL('./data.worker.ts', import.meta.url), { type: 'module', name: 'data' });
const nextTask = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

async function unwrapResult<T>(r: Promise<{ ok: true; value: T } | { ok: false; error: StorageFailure }>): Promise<T> {
  const x = await r;
  if (!x.ok) throw new StorageError(x.error.message, x.error.kind);
  return x.value;
}

export class DataWorkerClient implements BrowserStore, ScenarioStore {
  readonly #factory: () => Worker;
  readonly #onBlocked: (() => void) | undefined;
  #worker: Worker | null = null;
  #remote: Remote<DataApi> | null = null;

  constructor(options: { factory?: () => Worker; onBlocked?: () => void } = {}) {
    this.#factory = options.factory ?? defaultFactory;
    this.#onBlocked = options.onBlocked;
  }

  /** True once the worker has been started (for tests of the lean start). */
  get started(): boolean {
    return this.#worker !== null;
  }

  get #api(): Remote<DataApi> {
    if (!this.#remote) {
      this.#worker = this.#factory();
      this.#remote = wrap<DataApi>(this.#worker);
      if (this.#onBlocked) void this.#remote.watchBlocked(proxy(this.#onBlocked));
    }
    return this.#remote;
  }

  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#remote = null;
  }

  /** Stores a layer already packed; the coordinates' buffer moves to the worker. */
  saveLayer(meta: LayerMeta, packed: PackedFeatureCollection): Promise<void> {
    return unwrapResult(this.#api.saveLayer(meta, transfer(packed, [packed.coords.buffer as ArrayBuffer])));
  }

  async *layers(): AsyncGenerator<StoredLayer | DamagedRecord> {
    for (const raw of await unwrapResult(this.#api.readLayers())) {
      // One layer a task: rebuilding a large one takes a while.
      await nextTask();
      yield readLayerRecord(raw);
    }
  }

  remove(id: string): Promise<void> {
    return unwrapResult(this.#api.removeLayer(id));
  }

  readSettings(): Promise<Map<string, unknown>> {
    return unwrapResult(this.#api.readSettings());
  }

  /** Packed values' buffers move to the worker: the caller must not use them afterwards. */
  writeSettings(put: Readonly<Record<string, unknown>>, remove: readonly string[] = [], what = 'the settings'): Promise<void> {
    const buffers = Object.values(put).flatMap((v) => {
      const coords = (v as { packed?: { coords?: unknown } })?.packed?.coords;
      return coords instanceof Float64Array ? [coords.buffer as ArrayBuffer] : [];
    });
    return unwrapResult(this.#api.writeSettings(transfer({ ...put }, buffers), [...remove], what));
  }

  readScenarios(): Promise<unknown[]> {
    return unwrapResult(this.#api.readScenarios());
  }

  writeScenarios(put: readonly { id: string }[], remove: readonly string[] = [], what = 'the scenarios'): Promise<void> {
    return unwrapResult(this.#api.writeScenarios([...put], [...remove], what));
  }
}
