/**
 * Owns getting the layers' data into the store: loads the catalogue, then the basemap files
 * and every layer concurrently, reporting progress and failures layer by layer (a broken
 * file marks its own row and leaves the others loading); a layer too large to download
 * whole is read by viewport, by a ViewportLoader this controller keeps and tells about every
 * settled view (`view.bounds` in the store) and every change of the layer's visibility,
 * whoever made it (the layer list, a link, a pick in the table).
 *
 * The FlatGeobuf reader and the viewport reader are loaded with the first layer that needs
 * them, not with the page.
 */
import { loadsByViewport, parseCatalogue, type Catalogue, type LayerEntry } from '../../data/catalogue.ts';
import { LoadError, isAbortError } from '../../data/errors.ts';
import type { LonLatBounds } from '../viewport-loader.ts';
import type { AppState, Store } from '../store.ts';

/** What the controller needs of a viewport loader; tests give a fake. */
export interface ViewportSource {
  update(bounds: LonLatBounds, force?: boolean): void;
  refresh(): void;
  dispose(): void;
  readonly settled: Promise<void>;
}

export interface LayerSourcesOptions {
  catalogueUrl: string;
  /** Layers the URL asks to show; overrides the catalogue's defaults. */
  visibleLayers?: readonly string[] | undefined;
  fetch?: typeof fetch;
  /** Builds the reader of a layer read by viewport. Default: a ViewportLoader. */
  viewportSource?: (store: Store, entry: LayerEntry, url: string) => Promise<ViewportSource>;
  /** Performance marks for the benchmark. */
  mark?: boolean;
  /**
   * Loads what the views need for this catalogue before it reaches the store (the code that
   * applies its timeline), so no view ever sees the catalogue without it.
   */
  prepare?: (catalogue: Catalogue) => Promise<void>;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function loadCatalogue(url: string, doFetch: typeof fetch, signal?: AbortSignal): Promise<Catalogue> {
  const name = url.split('/').pop() ?? url;
  const res = await doFetch(url, { signal: signal ?? null });
  if (!res.ok) throw new LoadError(`${name} could not be loaded (HTTP ${res.status})`, name);
  let json: unknown;
  try {
    json = await res.json();
  } catch (err) {
    throw new LoadError(`${name} is not valid JSON`, name, { cause: err });
  }
  return parseCatalogue(json, name);
}

export class LayerSources {
  readonly #store: Store;
  readonly #opts: LayerSourcesOptions;
  readonly #abort = new AbortController();
  readonly #unsubscribe: () => void;
  /** The readers of layers read by viewport, by layer id. */
  readonly loaders = new Map<string, ViewportSource>();
  /** Settles when every layer has loaded or failed (layers read by viewport: their reader is made). */
  readonly ready: Promise<void>;

  constructor(store: Store, options: LayerSourcesOptions) {
    this.#store = store;
    this.#opts = options;
    this.#unsubscribe = store.subscribe((s, prev) => this.#update(s, prev));
    this.ready = this.#load();
  }

  dispose(): void {
    this.#unsubscribe();
    this.#abort.abort(new DOMException('closed', 'AbortError'));
    for (const l of this.loaders.values()) l.dispose();
    this.loaders.clear();
  }

  #update(s: AppState, prev: AppState): void {
    if (this.loaders.size === 0) return;
    const bounds = s.view.bounds;
    const moved = bounds && bounds !== prev.view.bounds;
    for (const [id, loader] of this.loaders) {
      if (moved) loader.update(bounds);
      // Shown: catch up with the view; hidden: the running query stops.
      else if (s.layers[id]?.visible !== prev.layers[id]?.visible) loader.refresh();
    }
  }

  async #load(): Promise<void> {
    const store = this.#store;
    const signal = this.#abort.signal;
    const doFetch = this.#opts.fetch ?? ((input, init) => fetch(input, init));
    // Fetched while the catalogue is on its way.
    const reader = import('../../data/load-fgb-layer.ts');
    let cat: Catalogue;
    try {
      cat = await loadCatalogue(this.#opts.catalogueUrl, doFetch, signal);
    } catch (err) {
      if (!isAbortError(err)) store.setCatalogueError(message(err));
      return;
    }
    // Without that code (a failed download) the views show the data as it is.
    await this.#opts.prepare?.(cat).catch(() => undefined);
    if (signal.aborted) return;
    store.setCatalogue(cat, this.#opts.visibleLayers);
    const resolve = (file: string): string => new URL(file, this.#opts.catalogueUrl).href;
    const { loadFgbLayer } = await reader;

    const basemap = (['land', 'roads', 'places'] as const).map(async (part) => {
      try {
        const { data } = await loadFgbLayer(resolve(cat.basemap[part]), { signal, fetch: doFetch });
        store.basemapLoaded(part, data);
      } catch (err) {
        // The basemap is decoration: the thematic layers still work without it.
        if (!isAbortError(err)) console.warn(message(err));
      }
    });
    const layers = cat.layers.map(async (entry) => {
      try {
        if (loadsByViewport(entry, cat)) {
          await this.#openViewport(entry, resolve(entry.file));
          return;
        }
        const loaded = await loadFgbLayer(resolve(entry.file), {
          signal,
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

  async #openViewport(entry: LayerEntry, url: string): Promise<void> {
    const make = this.#opts.viewportSource ?? (async (store: Store, e: LayerEntry, u: string): Promise<ViewportSource> => {
      const { ViewportLoader } = await import('../viewport-loader.ts');
      return new ViewportLoader(store, e, u, { mark: this.#opts.mark ?? false, ...(this.#opts.fetch ? { fetch: this.#opts.fetch } : {}) });
    });
    const loader = await make(this.#store, entry, url);
    if (this.#abort.signal.aborted) {
      loader.dispose();
      return;
    }
    this.loaders.set(entry.id, loader);
    const bounds = this.#store.state.view.bounds;
    if (bounds) loader.update(bounds);
  }
}
