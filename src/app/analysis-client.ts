/**
 * The page's handle on the analysis worker. Calls that supersede one another (a radius
 * changed while coverage was still running) cancel the stale run by terminating the
 * worker and starting a fresh one with the same layers: a long synchronous computation
 * cannot be interrupted any other way.
 */
import { wrap, type Remote } from 'comlink';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { AnalysisApi, CoverageResponse, CoverageSettings, StudyAreaResponse, WithinResponse } from '../analysis/worker/analysis-api.ts';

export type WorkerFactory = () => Worker;

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('../analysis/worker/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' });

function abortError(): Error {
  return new DOMException('superseded by a newer request', 'AbortError');
}

export class AnalysisClient {
  readonly #factory: WorkerFactory;
  #worker!: Worker;
  #api!: Remote<AnalysisApi>;
  #layers: Record<string, FeatureCollection> = {};
  /** Calls in flight per channel, and how to reject them if the worker is replaced. */
  readonly #running = new Map<string, number>();
  readonly #pending = new Set<(err: Error) => void>();
  /** Per channel, the number of the latest request; older answers are dropped. */
  readonly #latest = new Map<string, number>();
  #seq = 0;

  constructor(factory: WorkerFactory = defaultFactory) {
    this.#factory = factory;
    this.#start();
  }

  #start(): void {
    this.#worker = this.#factory();
    this.#api = wrap<AnalysisApi>(this.#worker);
    if (Object.keys(this.#layers).length) void this.#api.setLayers(this.#layers);
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
    this.#layers = { ...this.#layers, ...layers };
    return this.#api.setLayers(layers);
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
    let reject!: (err: Error) => void;
    const cancelled = new Promise<never>((_, r) => (reject = r));
    this.#pending.add(reject);
    try {
      const result = await Promise.race([fn(this.#api), cancelled]);
      if (this.#latest.get(channel) !== n) throw abortError();
      return result;
    } finally {
      this.#pending.delete(reject);
      const left = (this.#running.get(channel) ?? 1) - 1;
      if (left > 0) this.#running.set(channel, left);
      else this.#running.delete(channel);
    }
  }

  coverage(settings: CoverageSettings): Promise<CoverageResponse> {
    return this.#call('coverage', (api) => api.coverage(settings));
  }

  studyArea(area: Feature<Polygon | MultiPolygon>, layerIds: string[], settings: CoverageSettings): Promise<StudyAreaResponse> {
    return this.#call('study', (api) => api.studyArea(area, layerIds, settings));
  }

  within(source: Feature, radius: number, layerId: string): Promise<WithinResponse> {
    return this.#call('within', (api) => api.within(source, radius, layerId));
  }

  /** Encodes an export file in the worker. Not cancellable by newer calls: each export is wanted. */
  encode(fc: FeatureCollection, format: 'geojson' | 'csv' | 'fgb', crs: string, measures: boolean, title: string, layerName: string): Promise<Uint8Array> {
    return this.#api.encode(fc, format, crs, measures, title, layerName);
  }

  /** A no-op round trip, for the benchmark. */
  ping(n: number): Promise<number> {
    return this.#api.ping(n);
  }

  destroy(): void {
    this.#worker.terminate();
  }
}
