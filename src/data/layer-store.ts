/**
 * Imported layers kept in the browser (IndexedDB) until the user removes them, so a
 * reload loses nothing. Each layer is written in one transaction: a tab that dies
 * mid-write leaves the previous state, never half a layer. A full disk is reported,
 * not swallowed.
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { FeatureCollection } from 'geojson';

export interface StoredLayer {
  id: string;
  fileName: string;
  /** The CRS the file was read in, as shown to the user. */
  crs: string;
  savedAt: string;
  data: FeatureCollection;
}

export class StorageError extends Error {
  override name = 'StorageError';
}

const DB = 'zhoushan-map';
const STORE = 'layers';

export class LayerStore {
  readonly #db: Promise<IDBPDatabase>;

  constructor(name = DB) {
    this.#db = openDB(name, 1, {
      upgrade(db) {
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'id' });
      },
    });
  }

  async list(): Promise<StoredLayer[]> {
    return (await (await this.#db).getAll(STORE)) as StoredLayer[];
  }

  async save(layer: StoredLayer): Promise<void> {
    try {
      const tx = (await this.#db).transaction(STORE, 'readwrite');
      await Promise.all([tx.store.put(layer), tx.done]);
    } catch (err) {
      const name = (err as { name?: string })?.name;
      if (name === 'QuotaExceededError') {
        throw new StorageError(`not enough browser storage to keep ${layer.fileName}; remove some imported layers and try again`);
      }
      throw new StorageError(`${layer.fileName} could not be kept in the browser: ${(err as Error)?.message ?? String(err)}`);
    }
  }

  async remove(id: string): Promise<void> {
    const tx = (await this.#db).transaction(STORE, 'readwrite');
    await Promise.all([tx.store.delete(id), tx.done]);
  }
}
