/**
 * Keeps the analysis results in step with the state. It owns the analysis worker's work:
 * hands it the layers as the map shows them on the chosen day (by identity, so a layer read
 * again, or a day that changes it, is never stale there), runs coverage while the analysis tab is open, and the study-area figures while
 * there is a study area, each exactly when its inputs are loaded and again whenever they
 * change; a buffer query when one is asked for. Stale answers are dropped; errors and
 * cancellations become states the panel shows.
 *
 * "Its inputs are loaded" means every layer it reads has a state in the store and that
 * state is not `loading`: a layer the catalogue lists but whose loading has not begun yet
 * is not loaded (counting it as such made coverage run on nothing and show 0 %).
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { analysisInputs, coverageInputs } from '../../analysis/roles.ts';
import { isAbortError } from '../../data/errors.ts';
import type { AnalysisPort } from '../analysis-client.ts';
import type { StageFields } from '../../analysis/worker/analysis-api.ts';
import type { AppState, Store, Tool } from '../store.ts';

export interface AnalysisControllerOptions {
  /** Milliseconds a coverage run waits for further changes (typing a radius fires several). */
  debounceMs?: number;
  /**
   * The layers the analysis computes on: by default the store's data; the app gives them as
   * of the day chosen on the timeline (`selectors.asOf`), so coverage follows the date.
   */
  data?: (s: AppState) => Readonly<Record<string, FeatureCollection>>;
}

const DEFAULTS: Required<AnalysisControllerOptions> = { debounceMs: 120, data: (s) => s.data };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The layers among `ids` that are not loaded yet, and those that failed. */
function inputState(s: AppState, ids: readonly string[]): { waiting: string[]; failed: string[] } {
  const waiting: string[] = [];
  const failed: string[] = [];
  for (const id of ids) {
    const l = s.layers[id];
    if (!l || l.status === 'loading') waiting.push(id);
    else if (l.status === 'error') failed.push(id);
  }
  return { waiting, failed };
}

const sameKey = (a: readonly unknown[] | null, b: readonly unknown[]): boolean => a !== null && a.length === b.length && a.every((x, i) => x === b[i]);

export class AnalysisController {
  readonly #store: Store;
  readonly #client: AnalysisPort;
  readonly #opts: Required<AnalysisControllerOptions>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** What the last coverage and study runs were computed from: settings, area, and each input's data. */
  #coverageKey: readonly unknown[] | null = null;
  #studyKey: readonly unknown[] | null = null;
  /** The run whose answer is wanted; Cancel clears it, so a late answer is dropped. */
  #coverageRun: object | null = null;
  #studyRun: object | null = null;
  /** The layers last handed to the worker. */
  #synced: Readonly<Record<string, FeatureCollection>>;
  /** The number of the newest sketch of a shape being measured; older figures are dropped. */
  #sketchRun = 0;
  readonly #unsubscribe: () => void;

  constructor(store: Store, client: AnalysisPort, options: AnalysisControllerOptions = {}) {
    this.#store = store;
    this.#client = client;
    this.#opts = { ...DEFAULTS, ...options };
    this.#synced = this.#opts.data(store.state);
    client.sync(this.#synced);
    this.#unsubscribe = store.subscribe((s) => this.#update(s));
    this.#update(store.state);
  }

  dispose(): void {
    this.#unsubscribe();
    clearTimeout(this.#timer);
    this.#client.cancel();
  }

  /**
   * The user's Cancel: stops everything the worker is computing (a study area of a million
   * vertices can take minutes) and says so, rather than leaving "running" or an error.
   * Nothing reruns by itself; the next change of area, settings or data starts afresh.
   */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#client.cancel();
    this.#coverageRun = null;
    this.#studyRun = null;
    const s = this.#store.state;
    const cancelled = { status: 'cancelled', response: null, error: null } as const;
    if (s.coverage.status === 'running') this.#store.setCoverage(cancelled);
    if (s.study.status === 'running') this.#store.setStudy(cancelled);
    if (s.within.status === 'running') this.#store.setWithin(cancelled);
  }

  #update(s: AppState): void {
    const data = this.#opts.data(s);
    if (data !== this.#synced) {
      this.#synced = data;
      this.#client.sync(data);
    }
    this.#updateCoverage(s);
    this.#updateStudy(s);
  }

  #updateCoverage(s: AppState): void {
    const roles = s.catalogue?.analysis;
    if (s.tab !== 'analysis' || s.mode !== 'staff' || !s.catalogue) return;
    if (!roles) {
      if (s.coverage.status !== 'error') this.#store.setCoverage({ status: 'error', response: null, error: 'the catalogue declares no analysis layers' });
      return;
    }
    const settings = s.coverageSettings;
    const inputs = coverageInputs(roles, settings.kind);
    const { waiting, failed } = inputState(s, inputs);
    const key = [settings, ...inputs.map((id) => this.#synced[id])];
    if (sameKey(this.#coverageKey, key) && s.coverage.status !== 'idle') return;
    if (waiting.length) {
      // Not yet: said as running, so the panel shows it is on its way, not an old figure.
      if (s.coverage.status !== 'running') this.#store.setCoverage({ status: 'running', response: s.coverage.response, error: null });
      return;
    }
    this.#coverageKey = key;
    if (failed.length) {
      clearTimeout(this.#timer);
      this.#store.setCoverage({ status: 'error', response: null, error: `${failed.map((id) => this.#name(s, id)).join(', ')}: the layer could not be loaded` });
      return;
    }
    clearTimeout(this.#timer);
    if (s.coverage.status !== 'running') this.#store.setCoverage({ status: 'running', response: s.coverage.response, error: null });
    const run = (this.#coverageRun = {});
    this.#timer = setTimeout(() => void this.#runCoverage(run), this.#opts.debounceMs);
  }

  #name(s: AppState, id: string): string {
    return s.catalogue?.layers.find((l) => l.id === id)?.name[s.lang] ?? id;
  }

  async #runCoverage(run: object): Promise<void> {
    const s = this.#store.state;
    const roles = s.catalogue?.analysis;
    if (!roles) return;
    try {
      const response = await this.#client.coverage(s.coverageSettings, roles);
      if (this.#coverageRun !== run) return;
      this.#store.setCoverage({ status: 'done', response, error: null });
    } catch (err) {
      if (isAbortError(err) || this.#coverageRun !== run) return;
      this.#store.setCoverage({ status: 'error', response: null, error: message(err) });
    }
  }

  /** The layers a study area's table counts: every layer but the grid cells and those read by viewport (which hold only the view). */
  #studyLayers(s: AppState): string[] {
    const zones = s.catalogue?.analysis?.zones;
    return (s.catalogue?.layers ?? []).map((l) => l.id).filter((id) => id !== zones && !s.layers[id]?.viewport);
  }

  #updateStudy(s: AppState): void {
    const area = s.studyArea;
    if (!area || !s.catalogue) {
      this.#studyKey = null;
      return;
    }
    const roles = s.catalogue.analysis;
    const layerIds = this.#studyLayers(s);
    const inputs = [...new Set([...layerIds, ...(roles ? analysisInputs(roles) : [])])];
    const key = [area, s.coverageSettings, ...inputs.map((id) => this.#synced[id])];
    if (sameKey(this.#studyKey, key)) return;
    if (inputState(s, inputs).waiting.length) {
      if (s.study.status !== 'running') this.#store.setStudy({ status: 'running', response: null, error: null });
      return;
    }
    this.#studyKey = key;
    const run = (this.#studyRun = {});
    void this.#runStudy(run, layerIds);
  }

  /** The programme layers among `layerIds` whose classes have stages: how to split their counts by stage. */
  #stageFields(s: AppState, layerIds: readonly string[]): StageFields {
    const out: Record<string, StageFields[string]> = {};
    for (const entry of s.catalogue?.layers ?? []) {
      if (entry.group !== 'programme' || !entry.styleField || !layerIds.includes(entry.id)) continue;
      const values = entry.fields.find((f) => f.name === entry.styleField)?.values;
      if (!values?.length) continue;
      out[entry.id] = { field: entry.styleField, stages: Object.fromEntries(values.map((v) => [v.value, v.stage ?? 'neutral'])) };
    }
    return out;
  }

  async #runStudy(run: object, layerIds: string[]): Promise<void> {
    const s = this.#store.state;
    const area = s.studyArea;
    const roles = s.catalogue?.analysis;
    if (!area) return;
    if (s.study.status !== 'running') this.#store.setStudy({ status: 'running', response: s.study.response, error: null });
    try {
      const response = await this.#client.studyArea(area.feature, layerIds, s.coverageSettings, roles ?? null, this.#stageFields(s, layerIds));
      if (this.#studyRun !== run) return;
      this.#store.setStudy({ status: 'done', response, error: null });
    } catch (err) {
      if (isAbortError(err) || this.#studyRun !== run) return;
      this.#store.setStudy({ status: 'error', response: null, error: message(err) });
    }
  }

  /**
   * A shape drawn with a planner tool is finished: a drawn area becomes the study area; a
   * measured line or area is measured on the ellipsoid and the tool put away.
   */
  async finishDrawing(tool: Exclude<Tool, 'none' | 'pick-cell'>, geometry: Geometry): Promise<void> {
    if (tool === 'draw-area') {
      if (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') this.#store.setStudyArea({ feature: { type: 'Feature', properties: {}, geometry }, label: '' });
      return;
    }
    // A running figure still on its way must not overwrite the finished one.
    this.#sketchRun++;
    const { measureSketch } = await import('../../analysis/sketch-measure.ts');
    if (geometry.type === 'LineString' || geometry.type === 'Polygon') this.#store.setMeasurement({ ...measureSketch(geometry), geometry, drawing: false });
    this.#store.setTool('none');
  }

  /**
   * The shape a measuring tool is drawing, after each click and pointer move: its running
   * figures (the stretch to the pointer included), shown until it is finished or put away.
   */
  async sketch(tool: Exclude<Tool, 'none' | 'pick-cell'>, geometry: Geometry): Promise<void> {
    const n = ++this.#sketchRun;
    if (tool === 'draw-area' || (geometry.type !== 'LineString' && geometry.type !== 'Polygon')) return;
    const { measureSketch } = await import('../../analysis/sketch-measure.ts');
    // Only the newest sketch, and only while its tool is still out.
    if (n !== this.#sketchRun || this.#store.state.tool !== tool) return;
    this.#store.setMeasurement({ ...measureSketch(geometry), geometry, drawing: true });
  }

  /** Lists what of the chosen layer lies within the buffer radius of a feature. */
  async buffer(source: Feature): Promise<void> {
    const s = this.#store.state;
    this.#store.setWithin({ status: 'running', response: null, error: null });
    try {
      const response = await this.#client.within(source, s.bufferRadius, s.bufferLayer);
      this.#store.setWithin({ status: 'done', response, error: null });
    } catch (err) {
      if (isAbortError(err)) return;
      this.#store.setWithin({ status: 'error', response: null, error: message(err) });
    }
  }
}
