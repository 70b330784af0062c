/**
 * What is kept in the browser's storage, as the page sees it: the records, the errors, and
 * the checks of what is read back. No IndexedDB code (that is `layer-store.ts`, run in the
 * storage worker), so the page can name these without loading it.
 */
import type { FeatureCollection } from 'geojson';
import { geometryProblem } from '../geo/check-geometry.ts';
import { unpackFeatureCollection, type PackedFeatureCollection } from '../geo/packed-features.ts';

/** A stored layer's id: what `userLayerId` makes. */
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface StoredLayer {
  id: string;
  fileName: string;
  /** The CRS the file was read in, as shown to the user. */
  crs: string;
  savedAt: string;
  data: FeatureCollection;
}

/** A record that could not be used, and why; `id` when it had one. */
export interface DamagedRecord {
  id: string | null;
  reason: string;
}

export type StorageErrorKind = 'quota' | 'failed' | 'blocked';

export class StorageError extends Error {
  override name = 'StorageError';
  constructor(
    message: string,
    /** quota: the browser's storage is full; blocked: an older tab holds the database; failed: anything else. */
    readonly kind: StorageErrorKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The database that keeps the user's layers and settings. */
export const DB_NAME = 'zhoushan-map';
/** A stored layer record checked and rebuilt, or the reason it cannot be used. */
export function readLayerRecord(raw: unknown): StoredLayer | DamagedRecord {
  const r = raw as Partial<StoredLayer> & { packed?: PackedFeatureCollection };
  const id = typeof r?.id === 'string' ? r.id : null;
  if (!r || typeof r !== 'object' || !id || !ID.test(id)) return { id, reason: 'the record has no valid id' };
  if (typeof r.fileName !== 'string' || r.fileName === '') return { id, reason: 'the record has no file name' };
  let data: FeatureCollection;
  try {
    data = r.packed !== undefined ? unpackFeatureCollection(r.packed) : (r.data as FeatureCollection);
  } catch (err) {
    return { id, reason: (err as Error).message };
  }
  if (!data || data.type !== 'FeatureCollection' || !Array.isArray(data.features)) return { id, reason: 'the record holds no feature collection' };
  for (const f of data.features) {
    const problem = f && f.type === 'Feature' ? geometryProblem(f.geometry) : 'a feature is not a GeoJSON Feature';
    if (problem) return { id, reason: problem };
  }
  return {
    id,
    fileName: r.fileName,
    crs: typeof r.crs === 'string' ? r.crs : '',
    savedAt: typeof r.savedAt === 'string' ? r.savedAt : '',
    data,
  };
}

/** What the app needs of the browser's storage; LayerStore, or the data worker in front of it. */
export interface BrowserStore {
  layers(): AsyncGenerator<StoredLayer | DamagedRecord>;
  remove(id: string): Promise<void>;
  readSettings(): Promise<Map<string, unknown>>;
  writeSettings(put: Readonly<Record<string, unknown>>, remove?: readonly string[], what?: string): Promise<void>;
}

/** Where planning scenarios are kept: records with an `id`, checked by the caller when read. */
export interface ScenarioStore {
  readScenarios(): Promise<unknown[]>;
  writeScenarios(put: readonly { id: string }[], remove?: readonly string[], what?: string): Promise<void>;
}
