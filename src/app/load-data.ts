/**
 * Loads the catalogue, then the basemap files and every layer concurrently, reporting
 * progress and failures to the store layer by layer: a broken file marks its own row
 * and leaves the others loading.
 */
import type { FeatureCollection } from 'geojson';
import { loadsByViewport, parseCatalogue, type Catalogue, type LayerEntry } from '../data/catalogue.ts';
import { LoadError, isAbortError } from '../data/errors.ts';
import { loadFgbLayer } from '../data/load-fgb-layer.ts';
import type { Store } from './store.ts';

export interface LoadDataOptions {
  catalogueUrl: string;
  /** Layers the URL asks to show; overrides the catalogue's defaults. */
  visibleLayers?: readonly string[];
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /**
   * A layer too large to download whole (see `loadsByViewport`) is handed here with its URL,
   * to be read by viewport; it is not downloaded.
   */
  onViewportLayer?: (entry: LayerEntry, url: string) => void;
}

function message(err: unknown): string {
  if (err instanceof LoadError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

export async function loadCatalogue(url: string, doFetch: typeof fetch, signal?: AbortSignal): Promise<Catalogue> {
  const name = url.split('/').pop() ?? url;
  const res = await doFetch(url, { signal });
  if (!res.ok) throw new LoadError(`${name} could not be loaded (HTTP ${res.status})`, name);
  let json: unknown;
  try {
    json = await res.json();
  } catch (err) {
    throw new LoadError(`${name} is not valid JSON`, name, { cause: err });
  }
  return parseCatalogue(json, name);
}

/** Resolves when every layer has either loaded or failed. */
export async function loadData(store: Store, options: LoadDataOptions): Promise<void> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  let cat: Catalogue;
  try {
    cat = await loadCatalogue(options.catalogueUrl, doFetch, options.signal);
  } catch (err) {
    if (isAbortError(err)) return;
    store.setCatalogueError(message(err));
    return;
  }
  store.setCatalogue(cat, options.visibleLayers);
  const resolve = (file: string): string => new URL(file, options.catalogueUrl).href;

  const basemap = (['land', 'roads', 'places'] as const).map(async (part) => {
    try {
      const { data } = await loadFgbLayer(resolve(cat.basemap[part]), { signal: options.signal, fetch: doFetch });
      store.basemapLoaded(part, data as FeatureCollection);
    } catch (err) {
      // The basemap is decoration: the thematic layers still work without it.
      if (!isAbortError(err)) console.warn(message(err));
    }
  });
  const layers = cat.layers.map(async (entry) => {
    if (loadsByViewport(entry, cat)) {
      options.onViewportLayer?.(entry, resolve(entry.file));
      return;
    }
    try {
      const loaded = await loadFgbLayer(resolve(entry.file), {
        signal: options.signal,
        fetch: doFetch,
        onProgress: (fraction) => store.layerProgress(entry.id, fraction),
      });
      store.layerLoaded(entry.id, loaded.data, loaded.skipped);
    } catch (err) {
      if (!isAbortError(err)) store.layerFailed(entry.id, message(err));
    }
  });
  await Promise.all([...basemap, ...layers]);
}
