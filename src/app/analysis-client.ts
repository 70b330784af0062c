/**
 * The page's handle on the analysis worker. Calls that supersede one another (a radius
 * changed while coverage was still running) cancel the stale run by terminating the
 * worker and starting a fresh one with the same layers: a long synchronous computation
 * cannot be interrupted any other way. The user's Cancel does the same.
 *
 * Layers and study areas cross to the worker packed (`packed-features.ts`): copying a
 * million coordinate pairs as arrays would block the page for seconds each time, and the
 * packed layers are kept to hand to a restarted worker.
 */
import { transfer, wrap, type Remote } from 'comlink';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { AnalysisApi, CoverageResponse, CoverageSettings, StudyAreaResponse, WithinResponse } from '../analysis/worker/analysis-api.ts';
import { packFeatureCollection, type PackedFeatureCollection } from '../data/packed-features.ts';
import type { FeatureMeasures } from '../analysis/measure.ts';

export type WorkerFactory = () => Worker;

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('../analysis/worker/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' });

/**
 * Layers to send, their coordinates copied into buffers that are then transferred: a
 * memory copy here instead of the slower structured clone, and the originals kept for a
 * restarted worker.
 */
function forWire(layers: Record<string, PackedFeatureCollection>): Record<string, PackedFeatureCollection> {
  const out = Object.fromEntries(Object.entries(layers).map(([id, p]) => [id, { ...p, coords: p.coords.slice() }]));
  return transfer(out, Object.values(out).map((p) => p.coords.buffer as ArrayBuffer));
}

function abortError(): Error {
  return new DOMException('superseded by a newer request', 'AbortError');
}

export class AnalysisClient {
  readonly #factory: WorkerFactory;
  #worker!: Worker;
  #api!: Remote<AnalysisApi>;
  #layers: Record<string, PackedFeatureCollection> = {};
  /** Where each feature sent sits in the worker's layers, so a study area made from one goes by reference. */
  #where = new WeakMap<Feature, { layerId: string; index: number; fc: FeatureCollection }>();
  readonly #current = new Map<string, FeatureCollection>();
  /** Calls in flight per channel, and how to reject them if the worker is replaced. */
  readonly #running = new Map<string, number>();
  readonly #pending = new Set<(err: Error) => void>();
  /** Per channel, the number of the latest request; older answers are dropped. */
  readonly #latest = new Map<string, number>();
  #seq = 0;
  /** Which worker a call went to: calls of a replaced one must not touch the counts. */
  #generation = 0;

  constructor(factory: WorkerFactory = defaultFactory) {
    this.#factory = factory;
    this.#start();
  }

  #start(): void {
    this.#generation++;
    this.#worker = this.#factory();
    this.#api = wrap<AnalysisApi>(this.#worker);
    if (Object.keys(this.#layers).length) void this.#api.setLayers(forWire(this.#layers));
  }

  /** Cancels whatever is running by replacing the worker. */
  cancel(): void {
    this.#worker.terminate();
    this.#running.clear();
    for (const reject of this.#pending) reject(abortError());
    this.#pending.clear();
    this.#start();
  }

  setLayers(layers: Record<string, FeatureCollection>): Promise<void> {
    for (const [layerId, fc] of Object.entries(layers)) {
      this.#current.set(layerId, fc);
      fc.features.forEach((f, index) => this.#where.set(f, { layerId, index, fc }));
    }
    const packed = Object.fromEntries(Object.entries(layers).map(([id, fc]) => [id, packFeatureCollection(fc)]));
    this.#layers = { ...this.#layers, ...packed };
    return this.#api.setLayers(forWire(packed));
  }

  async #call<T>(channel: string, fn: (api: Remote<AnalysisApi>) => Promise<T>): Promise<T> {
    const n = ++this.#seq;
    this.#latest.set(channel, n);
    // Replace the worker only when everything it is doing is stale work of this channel;
    // otherwise let the stale answer arrive and drop it.
    const mine = this.#running.get(channel) ?? 0;
    const all = [...this.#running.values()].reduce((a, b) => a + b, 0);
    if (mine > 0 && mine === all) this.cancel();
    this.#running.set(channel, (this.#running.get(channel) ?? 0) + 1);
    const generation = this.#generation;
    let reject!: (err: Error) => void;
    const cancelled = new Promise<never>((_, r) => (reject = r));
    this.#pending.add(reject);
    try {
      const result = await Promise.race([fn(this.#api), cancelled]);
      if (this.#latest.get(channel) !== n) throw abortError();
      return result;
    } finally {
      this.#pending.delete(reject);
      if (generation === this.#generation) {
        const left = (this.#running.get(channel) ?? 1) - 1;
        if (left > 0) this.#running.set(channel, left);
        else this.#running.delete(channel);
      }
    }
  }

  coverage(settings: CoverageSettings): Promise<CoverageResponse> {
    return this.#call('coverage', (api) => api.coverage(settings));
  }

  studyArea(area: Feature<Polygon | MultiPolygon>, layerIds: string[], settings: CoverageSettings): Promise<StudyAreaResponse> {
    // An imported polygon used as the study area is already in the worker: name it rather
    // than copy a million vertices again.
    const ref = this.#where.get(area);
    if (ref && this.#current.get(ref.layerId) === ref.fc) {
      return this.#call('study', (api) => api.studyArea({ layerId: ref.layerId, index: ref.index }, layerIds, settings));
    }
    const packed = packFeatureCollection({ type: 'FeatureCollection', features: [area] });
    return this.#call('study', (api) => api.studyArea(transfer(packed, [packed.coords.buffer as ArrayBuffer]), layerIds, settings));
  }

  /** Measures a feature in the worker, by reference when it is a feature of a layer sent there. */
  measure(f: Feature): Promise<FeatureMeasures> {
    const ref = this.#where.get(f);
    if (ref && this.#current.get(ref.layerId) === ref.fc) return this.#call('measure', (api) => api.measure({ layerId: ref.layerId, index: ref.index }));
    return this.#call('measure', (api) => api.measure(f));
  }

  within(source: Feature, radius: number, layerId: string): Promise<WithinResponse> {
    return this.#call('within', (api) => api.within(source, radius, layerId));
  }

  /** Encodes an export file in the worker. Not cancellable by newer calls: each export is wanted. */
  async encode(fc: FeatureCollection, format: 'geojson' | 'csv' | 'fgb', crs: string, measures: boolean, title: string, layerName: string): Promise<Uint8Array> {
    // Counted as running, so a newer coverage or study request does not restart the worker
    // under it; the user's Cancel still does, and then it settles rather than hangs.
    this.#running.set('encode', (this.#running.get('encode') ?? 0) + 1);
    const generation = this.#generation;
    let reject!: (err: Error) => void;
    const cancelled = new Promise<never>((_, r) => (reject = r));
    this.#pending.add(reject);
    try {
      return await Promise.race([this.#api.encode(fc, format, crs, measures, title, layerName), cancelled]);
    } finally {
      this.#pending.delete(reject);
      if (generation === this.#generation) {
        const left = (this.#running.get('encode') ?? 1) - 1;
        if (left > 0) this.#running.set('encode', left);
        else this.#running.delete('encode');
      }
    }
  }

  /** A no-op round trip, for the benchmark. */
  ping(n: number): Promise<number> {
    return this.#api.ping(n);
  }

  destroy(): void {
    this.#worker.terminate();
  }
}
