/**
 * What the user made kept in the browser (IndexedDB) until they remove it, so a reload
 * loses nothing: imported layers, and small named records of settings and the study area.
 *
 * Every write is one readwrite transaction, and IndexedDB commits a transaction whole or
 * not at all: a tab that dies mid-write leaves the previous state, never half a layer.
 * Coordinates are stored packed (`packed-features.ts`), so the structured clone IndexedDB
 * makes of a record is a memory copy even for a million vertices; the app runs this class
 * in the data worker (`data.worker.ts`), so even that copy is off the page's thread.
 * A full disk, or any other failure, is thrown as a StorageError saying which, never
 * swallowed; what is read back is checked, and a damaged record is reported, not used.
 *
 * Schema: version 1 had the `layers` store (records `{ id, fileName, crs, savedAt, data }`
 * with plain GeoJSON). Version 2 adds `settings` (out-of-line keys) and writes layers as
 * `{ id, fileName, crs, savedAt, packed }`; version 1 records are still read as they are.
 * Version 3 adds `scenarios` (planning what-ifs, keyed by their `id`, small plain records);
 * the other stores are left as they were.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { packFeatureCollection, type PackedFeatureCollection } from '../geo/packed-features.ts';
import { valueText } from '../geo/value-text.ts';
import { DB_NAME, StorageError, readLayerRecord, type BrowserStore, type DamagedRecord, type StoredLayer } from './stored-layers.ts';

export {  StorageError, readLayerRecord,  type DamagedRecord, type StorageErrorKind, type StoredLayer } from './stored-layers.ts';

export interface LayerStoreOptions {
  /** The database name; tests use their own. */
  name?: string;
  /** An open tab of an older version holds the database, so this one cannot upgrade it yet. */
  onBlocked?: () => void;
}

const VERSION = 3;
const LAYERS = 'layers';
const SETTINGS = 'settings';
const SCENARIOS = 'scenarios';

function errorName(err: unknown): string {
  return (err as { name?: string })?.name ?? '';
}

/** Chromium reports a full disk on the request, or as the transaction's abort with the request's error. */
function isQuota(err: unknown, tx?: IDBTransaction): boolean {
  return errorName(err) === 'QuotaExceededError' || errorName(tx?.error) === 'QuotaExceededError' || /quota/i.test(String((err as Error)?.message ?? ''));
}

function toStorageError(err: unknown, what: string, tx?: IDBTransaction): StorageError {
  if (err instanceof StorageError) return err;
  if (isQuota(err, tx)) return new StorageError(`not enough browser storage to keep ${what}`, 'quota', { cause: err });
  return new StorageError(`${what} could not be kept in the browser: ${(err as Error)?.message ?? String(err)}`, 'failed', { cause: err });
}

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

export class LayerStore implements BrowserStore {
  readonly #db: Promise<IDBPDatabase>;

  constructor(options: LayerStoreOptions = {}) {
    this.#db = openDB(options.name ?? DB_NAME, VERSION, {
      upgrade(db, oldVersion) {
        // Each step only adds: version 1's layers stay where and as they are.
        if (oldVersion < 1 && !db.objectStoreNames.contains(LAYERS)) db.createObjectStore(LAYERS, { keyPath: 'id' });
        if (oldVersion < 2 && !db.objectStoreNames.contains(SETTINGS)) db.createObjectStore(SETTINGS);
        if (oldVersion < 3 && !db.objectStoreNames.contains(SCENARIOS)) db.createObjectStore(SCENARIOS, { keyPath: 'id' });
      },
      blocked: () => options.onBlocked?.(),
      // A newer version in another tab wants the database: let it, this tab's writes will
      // then fail and say so.
      blocking(_current, _blocked, event) {
        (event.target as IDBDatabase).close();
      },
    });
    // Callers see the failure on their first read or write.
    this.#db.catch(() => undefined);
  }

  async #open(what: string): Promise<IDBPDatabase> {
    try {
      return await this.#db;
    } catch (err) {
      throw toStorageError(err, what);
    }
  }

  /**
   * The stored layers one at a time, checked; a damaged record comes as its reason instead.
   * Each is rebuilt in its own task, so a page restoring several large layers stays responsive.
   */
  async *layers(): AsyncGenerator<StoredLayer | DamagedRecord> {
    for (const r of await this.rawLayers()) {
      await yieldToEventLoop();
      yield readLayerRecord(r);
    }
  }

  /** The layer records as stored, unchecked (`readLayerRecord` checks one). */
  async rawLayers(): Promise<unknown[]> {
    return (await this.#open('the imported layers')).getAll(LAYERS);
  }

  /** Keeps a layer, replacing one with the same id; `packed` saves packing it again. */
  save(layer: StoredLayer, packed?: PackedFeatureCollection): Promise<void> {
    const { data, ...meta } = layer;
    return this.savePacked(meta, packed ?? packFeatureCollection(data));
  }

  async savePacked(meta: Omit<StoredLayer, 'data'>, packed: PackedFeatureCollection): Promise<void> {
    const what = meta.fileName;
    const db = await this.#open(what);
    let tx: IDBTransaction | undefined;
    try {
      const record = { id: meta.id, fileName: meta.fileName, crs: meta.crs, savedAt: meta.savedAt, packed };
      const t = db.transaction(LAYERS, 'readwrite');
      tx = t as unknown as IDBTransaction;
      await Promise.all([t.store.put(record), t.done]);
    } catch (err) {
      throw toStorageError(err, what, tx);
    }
  }

  async remove(id: string): Promise<void> {
    const db = await this.#open(id);
    try {
      const tx = db.transaction(LAYERS, 'readwrite');
      await Promise.all([tx.store.delete(id), tx.done]);
    } catch (err) {
      throw toStorageError(err, id);
    }
  }

  /** Every settings record by key, as stored: the caller checks them. */
  async readSettings(): Promise<Map<string, unknown>> {
    const db = await this.#open('the settings');
    const tx = db.transaction(SETTINGS, 'readonly');
    const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll(), tx.done]);
    // Keys are written as strings; anything else is damage, spelt out rather than "[object …]".
    return new Map(keys.map((k, i) => [valueText(k), values[i]]));
  }

  /** Writes and deletes settings records in one transaction: all of them land, or none. */
  async writeSettings(put: Readonly<Record<string, unknown>>, remove: readonly string[] = [], what = 'the settings'): Promise<void> {
    const db = await this.#open(what);
    let tx: IDBTransaction | undefined;
    try {
      const t = db.transaction(SETTINGS, 'readwrite');
      tx = t as unknown as IDBTransaction;
      await Promise.all([...Object.entries(put).map(([k, v]) => t.store.put(v, k)), ...remove.map((k) => t.store.delete(k)), t.done]);
    } catch (err) {
      throw toStorageError(err, what, tx);
    }
  }

  /** The scenario records as stored, unchecked (the page checks each). */
  async readScenarios(): Promise<unknown[]> {
    return (await this.#open('the scenarios')).getAll(SCENARIOS);
  }

  /** Writes and deletes scenario records in one transaction: all of them land, or none. */
  async writeScenarios(put: readonly { id: string }[], remove: readonly string[] = [], what = 'the scenarios'): Promise<void> {
    const db = await this.#open(what);
    let tx: IDBTransaction | undefined;
    try {
      const t = db.transaction(SCENARIOS, 'readwrite');
      tx = t as unknown as IDBTransaction;
      await Promise.all([...put.map((r) => t.store.put(r)), ...remove.map((k) => t.store.delete(k)), t.done]);
    } catch (err) {
      throw toStorageError(err, what, tx);
    }
  }
}
