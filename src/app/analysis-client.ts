/**
 * The page's handle on the analysis worker. The worker starts on the first analysis asked
 * for, not with the page: the public view never needs it.
 *
 * Layers are synced by identity: `sync` is told the layers the store holds whenever they
 * change, and before each call the worker is sent every layer whose collection is not the
 * one it last got (a layer read again in another CRS under the same id, a viewport layer's
 * new features) and told to forget the layers that are gone. So an answer is always computed
 * on what the map shows.
 *
 * Calls that supersede one another (a radius changed while coverage was still running)
 * cancel the stale run by terminating the worker and starting a fresh one, to which the
 * layers are sent again: a long synchronous computation cannot be interrupted any other
 * way. The user's Cancel does the same.
 *
 * Layers and study areas cross to the worker packed (`packed-features.ts`): copying a
 * million coordinate pairs as arrays would block the page for seconds each time.
 */
import { transfer, wrap, type Remote } from 'comlink';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { AnalysisApi, AnalysisRoles, CoverageResponse, CoverageSettings, StageFields, StudyAreaResponse, SuggestAnswer, WithinResponse } from '../analysis/worker/analysis-api.ts';
import type { ExactInput } from '../analysis/planning/suggest.ts';
import type { ExactFigure, Scenario, ScenarioResponse, SuggestRequest } from '../analysis/planning/types.ts';
import { packFeatureCollection, type PackedFeatureCollection } from '../geo/packed-features.ts';
import type { FeatureMeasures } from '../analysis/measure.ts';
import { abortError } from '../data/errors.ts';

export type WorkerFactory = () => Worker;

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('../analysis/worker/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' });

/** What the analysis controller needs of the client; tests give it a fake. */
export interface AnalysisPort {
  sync(layers: Readonly<Record<string, FeatureCollection>>): void;
  coverage(settings: CoverageSettings, roles: AnalysisRoles): Promise<CoverageResponse>;
  studyArea(area: Feature<Polygon | MultiPolygon>, layerIds: string[], settings: CoverageSettings, roles: AnalysisRoles | null, stageFields?: StageFields): Promise<StudyAreaResponse>;
  within(source: Feature, radius: number, layerId: string): Promise<WithinResponse>;
  measure(f: Feature): Promise<FeatureMeasures>;
  cancel(): void;
}

export class AnalysisClient implements AnalysisPort {
  readonly #factory: WorkerFactory;
  #worker: Worker | null = null;
  #api: Remote<AnalysisApi> | null = null;
  /** The layers the page holds now, as the store has them. */
  #wanted = new Map<string, FeatureCollection>();
  /** The layers the current worker holds: the very collections it was sent. */
  readonly #sent = new Map<string, FeatureCollection>();
  /** Packed once per collection, so a restarted worker gets them again without repacking. */
  readonly #packed = new WeakMap<FeatureCollection, PackedFeatureCollection>();
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
  }

  /** True once a worker has been started (for tests of the lean start). */
  get started(): boolean {
    return this.#worker !== null;
  }

  /** The layers the page holds now; they reach the worker before its next call. */
  sync(layers: Readonly<Record<string, FeatureCollection>>): void {
    this.#wanted = new Map(Object.entries(layers));
  }

  #pack(fc: FeatureCollection): PackedFeatureCollection {
    let p = this.#packed.get(fc);
    if (!p) {
      p = packFeatureCollection(fc);
      this.#packed.set(fc, p);
    }
    return p;
  }

  /** The worker, started if need be, holding exactly the wanted layers (messages keep their order). */
  #ready(): Remote<AnalysisApi> {
    if (!this.#api) {
      this.#generation++;
      this.#worker = this.#factory();
      this.#api = wrap<AnalysisApi>(this.#worker);
      this.#sent.clear();
    }
    const api = this.#api;
    const gone = [...this.#sent.keys()].filter((id) => !this.#wanted.has(id));
    if (gone.length) {
      for (const id of gone) this.#sent.delete(id);
      void api.removeLayers(gone);
    }
    const changed: Record<string, PackedFeatureCollection> = {};
    for (const [id, fc] of this.#wanted) {
      if (this.#sent.get(id) === fc) continue;
      // A copy of the coordinates is transferred: a memory copy instead of the slower
      // structured clone, and the packed original kept for a restarted worker.
      const p = this.#pack(fc);
      changed[id] = { ...p, coords: p.coords.slice() };
      this.#sent.set(id, fc);
    }
    if (Object.keys(changed).length) void api.setLayers(transfer(changed, Object.values(changed).map((p) => p.coords.buffer as ArrayBuffer)));
    return api;
  }

  /** Cancels whatever is running by stopping the worker; the next call starts another. */
  cancel(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#api = null;
    this.#running.clear();
    for (const reject of this.#pending) reject(abortError('cancelled'));
    this.#pending.clear();
  }

  async #call<T>(channel: string, fn: (api: Remote<AnalysisApi>) => Promise<T>): Promise<T> {
    const n = ++this.#seq;
    this.#latest.set(channel, n);
    // Replace the worker only when everything it is doing is stale work of this channel;
    // otherwise let the stale answer arrive and drop it.
    const mine = this.#running.get(channel) ?? 0;
    const all = [...this.#running.values()].reduce((a, b) => a + b, 0);
    if (mine > 0 && mine === all) this.cancel();
    const api = this.#ready();
    this.#running.set(channel, (this.#running.get(channel) ?? 0) + 1);
    const generation = this.#generation;
    let reject!: (err: Error) => void;
    const cancelled = new Promise<never>((_, r) => (reject = r));
    this.#pending.add(reject);
    try {
      const result = await Promise.race([fn(api), cancelled]);
      if (this.#latest.get(channel) !== n) throw abortError('superseded by a newer request');
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

  coverage(settings: CoverageSettings, roles: AnalysisRoles): Promise<CoverageResponse> {
    return this.#call('coverage', (api) => api.coverage(settings, roles));
  }

  /** Where a feature sits among the layers the worker holds, so a huge one goes by reference. */
  #where(f: Feature): { layerId: string; index: number } | null {
    for (const [layerId, fc] of this.#wanted) {
      const index = fc.features.indexOf(f);
      if (index >= 0) return { layerId, index };
    }
    return null;
  }

  studyArea(area: Feature<Polygon | MultiPolygon>, layerIds: string[], settings: CoverageSettings, roles: AnalysisRoles | null, stageFields: StageFields = {}): Promise<StudyAreaResponse> {
    // An imported polygon used as the study area is in the worker already: name it rather
    // than copy a million vertices again.
    const ref = this.#where(area);
    if (ref) return this.#call('study', (api) => api.studyArea(ref, layerIds, settings, roles, stageFields));
    const packed = packFeatureCollection({ type: 'FeatureCollection', features: [area] });
    return this.#call('study', (api) => api.studyArea(transfer(packed, [packed.coords.buffer as ArrayBuffer]), layerIds, settings, roles, stageFields));
  }

  /** Measures a feature in the worker, by reference when it is a feature of a layer held there. */
  measure(f: Feature): Promise<FeatureMeasures> {
    const ref = this.#where(f);
    return this.#call('measure', (api) => api.measure(ref ?? f));
  }

  within(source: Feature, radius: number, layerId: string): Promise<WithinResponse> {
    return this.#call('within', (api) => api.within(source, radius, layerId));
  }

  /**
   * A scenario's coverage against today's. `channel` keeps independent askers apart (the
   * active scenario's figures, a comparison): a newer request supersedes only its own channel's.
   */
  scenario(scenario: Scenario, settings: CoverageSettings, roles: AnalysisRoles, channel = 'scenario'): Promise<ScenarioResponse> {
    return this.#call(channel, (api) => api.scenario(scenario, settings, roles));
  }

  /** Suggested sites, and the model their optimality figure is computed from. */
  suggest(request: SuggestRequest, scenario: Scenario | null, settings: CoverageSettings, roles: AnalysisRoles): Promise<SuggestAnswer> {
    return this.#call('suggest', (api) => api.suggest(request, scenario, settings, roles));
  }

  /** The optimality figure of a suggestion; the model's arrays move to the worker. */
  exact(input: ExactInput): Promise<ExactFigure> {
    const m = input.model;
    const buffers = [m.weight, m.colStart, m.colRows, m.rowStart, m.rowCols].map((a) => a.buffer as ArrayBuffer);
    return this.#call('exact', (api) => api.exact(transfer(input, buffers)));
  }

  /** A no-op round trip, for the benchmark. */
  ping(n: number): Promise<number> {
    return this.#call('ping', (api) => api.ping(n));
  }

  /** The layer ids and feature counts the worker holds (after syncing), for tests. */
  async held(): Promise<Record<string, number>> {
    const ids = [...this.#wanted.keys()];
    const counts = await this.#call('held', async (api) => Promise.all(ids.map((id) => api.featureCount(id))));
    const all = await this.#call('held', (api) => api.layerIds());
    return Object.fromEntries(all.map((id) => [id, counts[ids.indexOf(id)] ?? -1]));
  }

  dispose(): void {
    this.cancel();
  }
}
