/**
 * Keeps a large layer's features in view in the store: each view change aborts the query
 * still running for the old view and starts one for the new, through the file's spatial
 * index (FgbRangeReader). Features are handed to the store in a few growing batches so the
 * first ones are drawn while the rest are still arriving; decoding happens between
 * network waits, so the page never blocks for long. A view holding more features than the
 * layer's limit shows their density, from the index alone, instead.
 */
import type { Feature, FeatureCollection } from 'geojson';
import { VIEWPORT_MAX_FEATURES, type LayerEntry } from '../data/catalogue.ts';
import { geometryProblem } from '../geo/check-geometry.ts';
import { LoadError, isAbortError } from '../data/errors.ts';
import { FgbRangeReader, type RangeReaderOptions } from '../data/fgb/range-reader.ts';
import type { Rect } from '../data/fgb/packed-rtree.ts';
import { crsOf } from '../data/load-fgb-layer.ts';
import type { Store, ViewportStatus } from './store.ts';

/** West, south, east, north in degrees. */
export type LonLatBounds = [number, number, number, number];

export interface ViewportLoaderOptions {
  fetch?: typeof fetch;
  /** Store updates while a query runs are at least this far apart, ms. */
  batchIntervalMs?: number;
  reader?: Omit<RangeReaderOptions, 'fetch' | 'sourceName'>;
  /** Marks performance entries for the benchmark ("zs:viewport:<id>:query", ":first", ":done"). */
  mark?: boolean;
}

export class ViewportLoader {
  readonly #store: Store;
  readonly #entry: LayerEntry;
  readonly #url: string;
  readonly #opts: ViewportLoaderOptions;
  #reader: Promise<Prepared> | null = null;
  #controller: AbortController | null = null;
  #last: LonLatBounds | null = null;
  readonly #closed = new AbortController();
  /** The file was found changed during the running query. */
  #changed = false;
  /** Resolves when the newest query has finished (or failed); for tests and the benchmark. */
  settled: Promise<void> = Promise.resolve();

  constructor(store: Store, entry: LayerEntry, url: string, options: ViewportLoaderOptions = {}) {
    this.#store = store;
    this.#entry = entry;
    this.#url = url;
    this.#opts = options;
  }

  get id(): string {
    return this.#entry.id;
  }

  /** The view changed (or the layer was switched on): query the new bounds, dropping the old query. */
  update(bounds: LonLatBounds, force = false): void {
    this.#query(bounds, force, false);
  }

  #query(bounds: LonLatBounds, force: boolean, afterChange: boolean): void {
    // The same view again (the map reports its first view twice at start-up): the query
    // running or done for it stands.
    const same = this.#last !== null && bounds.every((v, i) => v === this.#last![i]);
    if (same && !force && this.#controller && !this.#controller.signal.aborted) return;
    this.#last = bounds;
    this.#controller?.abort(new DOMException('the view moved on', 'AbortError'));
    this.#controller = null;
    const layer = this.#store.state.layers[this.#entry.id];
    if (!layer?.visible) {
      // Hidden: nothing to fetch; a query it stopped is no longer "loading".
      if (layer?.viewport?.loading) this.#store.viewportUpdate(this.#entry.id, { status: { ...layer.viewport, loading: false } });
      this.settled = Promise.resolve();
      return;
    }
    const controller = new AbortController();
    this.#controller = controller;
    this.#changed = false;
    this.settled = this.#run(bounds, controller.signal).catch((err: unknown) => {
      if (controller.signal.aborted || isAbortError(err)) return;
      // Once only: a file that keeps changing fails with its message.
      if (this.#changed && !afterChange) {
        this.#query(bounds, true, true);
        return this.settled;
      }
      this.#store.viewportFailed(this.#entry.id, err instanceof Error ? err.message : String(err));
    });
  }

  /** Re-run the last view, e.g. when the layer is switched back on. */
  refresh(): void {
    if (this.#last) this.update(this.#last, true);
  }

  dispose(): void {
    this.#controller?.abort(new DOMException('layer closed', 'AbortError'));
    this.#closed.abort(new DOMException('layer closed', 'AbortError'));
  }

  #prepare(): Promise<Prepared> {
    // The reader outlives the query that opened it, so its opening is not tied to that
    // query's signal: a move right after start would otherwise abort it for the next query
    // too. A failed open is retried by the next query.
    if (!this.#reader) {
      // The file changed on the server: the query that noticed retries on the new file, but
      // one that had drawn some features already fails; the view is then read again.
      const opening = prepare(this.#url, this.#entry, this.#opts, this.#closed.signal, () => (this.#changed = true));
      opening.catch(() => {
        if (this.#reader === opening) this.#reader = null;
      });
      this.#reader = opening;
    }
    return this.#reader;
  }

  async #run(bounds: LonLatBounds, signal: AbortSignal): Promise<void> {
    const id = this.#entry.id;
    const mark = (what: string): void => {
      if (this.#opts.mark) performance.mark(`zs:viewport:${id}:${what}`);
    };
    mark('query');
    const prepared = await this.#prepare();
    const { reader, toLonLat, toFileRect } = prepared;
    const overview = prepared.overview();
    signal.throwIfAborted();
    const rect = toFileRect(bounds);
    const generation = reader.generation;
    // Read at each update: a file found changed during the query has another total.
    const status = (patch: Partial<ViewportStatus>): ViewportStatus => ({
      mode: 'features', loading: true, inView: 0, total: reader.header.featuresCount, bytes: reader.stats.bytes, ...patch,
    });
    const estimate = reader.estimate(rect);
    const max = this.#entry.maxFeatures ?? VIEWPORT_MAX_FEATURES;
    if (estimate > max) {
      this.#store.viewportUpdate(id, { status: status({ mode: 'overview', loading: false, inView: estimate }), data: EMPTY, overview });
      mark('first');
      mark('done');
      return;
    }
    const previous = this.#store.state.layers[id]?.viewport;
    this.#store.viewportUpdate(id, { status: status({ inView: previous?.mode === 'features' ? previous.inView : 0 }), overview });
    const features: Feature[] = [];
    const interval = this.#opts.batchIntervalMs ?? 250;
    let pushed = -1;
    let lastPush = 0;
    let first = true;
    // After a pan most of the new view is already on screen: handing the map just those
    // (the cached batch) would cost a full re-index for no visible change, so the first
    // push waits for the new strip. A jump to a new place has no cached batch.
    const onScreen = previous?.mode === 'features' && previous.inView > 0;
    let batchNo = 0;
    for await (const batch of reader.query(rect, signal)) {
      const cachedBatch = batchNo++ === 0 && reader.lastCached > 0 && batch.length === reader.lastCached;
      for (const raw of batch) {
        const f = toLonLat ? toLonLat(raw) : raw;
        if (toLonLat && geometryProblem(f.geometry)) continue;
        features.push(f);
      }
      const now = performance.now();
      // The first batch at once, for a quick first picture; later ones together, since each
      // store update makes the map re-index everything it was given.
      if ((first && !(onScreen && cachedBatch)) || (!first && now - lastPush >= interval)) {
        this.#store.viewportUpdate(id, { status: status({ inView: features.length }), data: collection(features) });
        pushed = features.length;
        lastPush = now;
        if (first) mark('first');
        first = false;
      }
      // Lets input and rendering in between large batches.
      await yieldToPage();
      signal.throwIfAborted();
    }
    const done = status({ loading: false, inView: features.length });
    // The file changed under the query, which retried on the new one: its density goes too.
    const changed = reader.generation !== generation ? { overview: prepared.overview() } : {};
    this.#store.viewportUpdate(id, pushed === features.length && !first ? { status: done, ...changed } : { status: done, data: collection(features), ...changed });
    if (first) mark('first');
    mark('done');
  }
}

interface Prepared {
  reader: FgbRangeReader;
  toLonLat: ((f: Feature) => Feature) | null;
  toFileRect: (b: LonLatBounds) => Rect;
  /** The density cells of the file's index, made again when the file changed on the server. */
  overview(): FeatureCollection;
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features: features.slice() });

async function prepare(url: string, entry: LayerEntry, opts: ViewportLoaderOptions, signal: AbortSignal, onChange: () => void): Promise<Prepared> {
  const name = entry.file.split('/').pop() ?? entry.file;
  const reader = await FgbRangeReader.open(url, { ...opts.reader, ...(opts.fetch ? { fetch: opts.fetch } : {}), sourceName: name, signal, onChange });
  const crs = await crsOf(reader.header, name);
  let toFileRect = (b: LonLatBounds): Rect => ({ minX: b[0], minY: b[1], maxX: b[2], maxY: b[3] });
  let cellCentre = (x: number, y: number): [number, number] => [x, y];
  if (crs.fromLonLat && crs.toLonLatPosition) {
    const forward = crs.fromLonLat;
    const back = crs.toLonLatPosition;
    // A projected view is not a rectangle: the box around its edges, sampled, holds it.
    toFileRect = ([w, s, e, n]) => {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let i = 0; i <= 4; i++) {
        const t = i / 4;
        for (const p of [[w + (e - w) * t, s], [w + (e - w) * t, n], [w, s + (n - s) * t], [e, s + (n - s) * t]]) {
          const [x, y] = forward(p);
          xs.push(x!);
          ys.push(y!);
        }
      }
      return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
    };
    cellCentre = (x, y) => back([x, y]) as [number, number];
  }
  let made: { generation: number; fc: FeatureCollection } | null = null;
  const overview = (): FeatureCollection => {
    if (made?.generation === reader.generation) return made.fc;
    const cells = reader.overview();
    const most = Math.max(1, ...cells.map((c) => c.count));
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: cells.map((c) => ({
        type: 'Feature',
        // Weight 1 for a full node: the heatmap's density then reads the same at any file size.
        properties: { count: c.count, weight: c.count / most },
        geometry: { type: 'Point', coordinates: cellCentre((c.minX + c.maxX) / 2, (c.minY + c.maxY) / 2) },
      })),
    };
    made = { generation: reader.generation, fc };
    return fc;
  };
  if (!reader.header.featuresCount) throw new LoadError(`${name} holds no features`, name);
  return { reader, toLonLat: crs.toLonLat, toFileRect, overview };
}

/** A macrotask break: lets the browser paint and handle input between batches. */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
