/**
 * Owns the planner's scenarios and every planning job. Scenarios are read from IndexedDB
 * the first time planning is wanted (the tab is opened, an idle plot is converted) and each
 * change is written back at once, so nothing is lost on reload. While the planning tab is
 * open, the active scenario's coverage against today is computed in a worker whenever the
 * scenario, the radius settings or an input layer changes; "suggest sites" runs there too,
 * and its optimality figure (HiGHS, seconds on large models) in a second worker, so editing
 * the scenario never waits for the solver. Every job's state lands in the store
 * (running, done, failed with why, cancelled), where the job line shows it.
 */
import type { FeatureCollection, Geometry, MultiPolygon, Point, Polygon } from 'geojson';
import { readScenario } from '../../analysis/planning/check-scenario.ts';
import type { ExactInput } from '../../analysis/planning/suggest.ts';
import type { ExactFigure, FeatureRef, ProposedSite, Scenario, ScenarioResponse, SuggestRequest } from '../../analysis/planning/types.ts';
import { coverageInputs, type AnalysisRoles, type CoverageKind } from '../../analysis/roles.ts';
import type { CoverageSettings } from '../../analysis/coverage-settings.ts';
import type { SuggestAnswer } from '../../analysis/worker/analysis-api.ts';
import { BASEMAP_LAND, BASEMAP_ROADS } from '../../analysis/worker/basemap-keys.ts';
import { isAbortError } from '../../data/errors.ts';
import { StorageError, type ScenarioStore } from '../../data/stored-layers.ts';
import { IDLE_JOB, type AppState, type PlanSettings, type Store } from '../store.ts';
import type { ExportFormatId } from '../registry.ts';

/** What the controller needs of the worker that computes scenarios and suggestions. */
export interface PlanningPort {
  sync(layers: Readonly<Record<string, FeatureCollection>>): void;
  /** `channel`: a request supersedes only earlier ones of its channel (the active scenario's figures; a comparison). */
  scenario(scenario: Scenario, settings: CoverageSettings, roles: AnalysisRoles, channel?: string): Promise<ScenarioResponse>;
  suggest(request: SuggestRequest, scenario: Scenario | null, settings: CoverageSettings, roles: AnalysisRoles): Promise<SuggestAnswer>;
  cancel(): void;
}

/** The worker the optimality figure is solved in. */
export interface SolverPort {
  exact(input: ExactInput): Promise<ExactFigure>;
  cancel(): void;
}

export interface PlanningDeps {
  client: PlanningPort;
  solver: SolverPort;
  /** Null: scenarios last the visit (no IndexedDB). */
  storage: ScenarioStore | null;
  now?: () => Date;
  /** A new scenario id (tests give fixed ones). */
  newId?: () => string;
  /** Milliseconds a coverage run waits for further edits. */
  debounceMs?: number;
  /** Writes features as a file (the data-io controller's export, so it shows on the job line). */
  exportFeatures?: (fc: FeatureCollection, opts: { name: string; title: string; what: string; format: ExportFormatId; crs: string }) => Promise<void>;
}

/** Road candidates sit this far either side of the centreline: the pavement, not the carriageway. */
const PAVEMENT_OFFSET = 8;

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const sameKey = (a: readonly unknown[] | null, b: readonly unknown[]): boolean => a !== null && a.length === b.length && a.every((x, i) => x === b[i]);
const refKey = (r: FeatureRef): string => `${r.layerId}\u0000${r.featureId}`;
const cancelledJob = { status: 'cancelled', response: null, error: null } as const;

function defaultId(): string {
  return `s-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}

/** The next free site id of a scenario: p1, p2, … */
function nextSiteId(s: Scenario, taken: Set<string> = new Set()): string {
  let n = s.added.length + 1;
  const ids = new Set([...s.added.map((x) => x.id), ...taken]);
  while (ids.has(`p${n}`)) n++;
  return `p${n}`;
}

/** The request "suggest sites" sends, from the form's settings. */
export function suggestRequest(kind: CoverageKind, p: PlanSettings): SuggestRequest {
  return {
    kind,
    goal: p.goal === 'sites' ? { sites: p.sites } : { share: p.share },
    candidates: p.source === 'roads' ? { from: 'roads', spacing: p.spacing, offset: PAVEMENT_OFFSET } : { from: 'layer', layerId: p.source.layerId },
    minDistance: p.minDistance,
    // A layer's features may be anywhere the planner chose; points along roads must be on land.
    onLand: p.source === 'roads',
  };
}

export class PlanningController {
  readonly #store: Store;
  readonly #client: PlanningPort;
  readonly #solver: SolverPort;
  readonly #storage: ScenarioStore | null;
  readonly #now: () => Date;
  readonly #newId: () => string;
  readonly #debounceMs: number;
  readonly #exportFeatures: PlanningDeps['exportFeatures'];
  readonly #unsubscribe: () => void;
  #loaded: Promise<void> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #coverageKey: readonly unknown[] | null = null;
  /** The run whose answer is wanted: a newer run or Cancel replaces it, so a late answer is dropped. */
  #coverageRun: object | null = null;
  #suggestRun: object | null = null;
  #compareRun: object | null = null;
  /** Writes go one after another, so an older state never lands after a newer one. */
  #writes: Promise<void> = Promise.resolve();
  #disposed = false;

  constructor(store: Store, deps: PlanningDeps) {
    this.#store = store;
    this.#client = deps.client;
    this.#solver = deps.solver;
    this.#storage = deps.storage;
    this.#now = deps.now ?? (() => new Date());
    this.#newId = deps.newId ?? defaultId;
    this.#debounceMs = deps.debounceMs ?? 120;
    this.#exportFeatures = deps.exportFeatures;
    this.#unsubscribe = store.subscribe((s, prev) => this.#update(s, prev));
    this.#update(store.state, null);
  }

  dispose(): void {
    this.#disposed = true;
    this.#unsubscribe();
    clearTimeout(this.#timer);
    this.#client.cancel();
    this.#solver.cancel();
  }

  /** Reads the kept scenarios (once); damaged records are reported and left out. */
  load(): Promise<void> {
    return (this.#loaded ??= this.#read());
  }

  async #read(): Promise<void> {
    if (!this.#storage) return;
    try {
      const raw = await this.#storage.readScenarios();
      const good: Scenario[] = [];
      const bad: string[] = [];
      for (const r of raw) {
        const x = readScenario(r);
        if ('value' in x) good.push(x.value);
        else bad.push(x.id ? `${x.id}: ${x.reason}` : x.reason);
      }
      if (bad.length) this.#store.reportStorage({ key: 'scenarios', kind: 'damaged', detail: bad.join('; ') });
      // Made in this visit before the read finished, or opened from a link: kept too, and
      // written; of two with the same id the one changed last wins.
      const byId = new Map(good.map((g) => [g.id, g]));
      const fresh: Scenario[] = [];
      for (const m of this.#store.state.scenarios) {
        const g = byId.get(m.id);
        if (g && g.updated >= m.updated) continue;
        byId.set(m.id, m);
        fresh.push(m);
      }
      this.#store.setScenarios([...byId.values()].sort((a, b) => a.created.localeCompare(b.created)));
      if (fresh.length) void this.#write(fresh);
    } catch (err) {
      this.#store.reportStorage({ key: 'scenarios', kind: err instanceof StorageError ? err.kind : 'failed', detail: message(err) });
    }
  }

  #write(put: readonly Scenario[], remove: readonly string[] = []): Promise<void> {
    const storage = this.#storage;
    if (!storage) return Promise.resolve();
    this.#writes = this.#writes.then(async () => {
      try {
        await storage.writeScenarios(put, remove, 'the scenarios');
        this.#store.clearStorage('scenarios');
      } catch (err) {
        this.#store.reportStorage({ key: 'scenarios', kind: err instanceof StorageError ? err.kind : 'failed', detail: message(err) });
      }
    });
    return this.#writes;
  }

  /** Resolves once every change so far is written (for tests and the page's own checks). */
  get written(): Promise<void> {
    return this.#writes;
  }

  active(): Scenario | null {
    const s = this.#store.state;
    return s.scenarios.find((x) => x.id === s.scenarioId) ?? null;
  }

  /** A new, empty scenario for a service, made the active one. */
  async create(kind: CoverageKind, name = ''): Promise<Scenario> {
    await this.load();
    const at = this.#now().toISOString();
    const scenario: Scenario = { id: this.#newId(), name: name.trim().slice(0, 100), kind, added: [], closed: [], created: at, updated: at };
    this.#store.setScenarios([...this.#store.state.scenarios, scenario]);
    this.#store.setScenarioId(scenario.id);
    void this.#write([scenario]);
    return scenario;
  }

  select(id: string | null): void {
    if (id !== null && !this.#store.state.scenarios.some((s) => s.id === id)) return;
    this.#store.setScenarioId(id);
    this.#store.setPlanning({ suggestion: IDLE_JOB, exact: IDLE_JOB });
    if (this.#store.state.tool === 'place-site' || this.#store.state.tool === 'draw-site') this.#store.setTool('none');
  }

  rename(id: string, name: string): void {
    this.#edit(id, () => ({ name: name.trim().slice(0, 100) }));
  }

  /** A copy under a new id, made the active one; the copy's name is the UI's to say (empty). */
  duplicate(id: string): Scenario | null {
    const from = this.#store.state.scenarios.find((s) => s.id === id);
    if (!from) return null;
    const at = this.#now().toISOString();
    const copy: Scenario = { ...structuredClone(from), id: this.#newId(), name: from.name ? `${from.name} (2)`.slice(0, 100) : '', created: at, updated: at };
    this.#store.setScenarios([...this.#store.state.scenarios, copy]);
    this.select(copy.id);
    void this.#write([copy]);
    return copy;
  }

  remove(id: string): void {
    const s = this.#store.state;
    if (!s.scenarios.some((x) => x.id === id)) return;
    this.#store.setScenarios(s.scenarios.filter((x) => x.id !== id));
    if (s.scenarioId === id) this.select(null);
    void this.#write([], [id]);
  }

  /** Applies a change to a scenario, stamps it, keeps it in the store and writes it. */
  #edit(id: string, change: (s: Scenario) => Partial<Scenario> | null): Scenario | null {
    const list = this.#store.state.scenarios;
    const i = list.findIndex((x) => x.id === id);
    if (i < 0) return null;
    const patch = change(list[i]!);
    if (!patch) return null;
    const next: Scenario = { ...list[i]!, ...patch, updated: this.#now().toISOString() };
    this.#store.setScenarios(list.map((x, j) => (j === i ? next : x)));
    void this.#write([next]);
    return next;
  }

  #addSites(sites: readonly Omit<ProposedSite, 'id'>[]): void {
    const a = this.active();
    if (!a || sites.length === 0) return;
    this.#edit(a.id, (s) => {
      const taken = new Set<string>();
      const added = sites.map((x) => {
        const id = nextSiteId(s, taken);
        taken.add(id);
        return { ...x, id };
      });
      return { added: [...s.added, ...added] };
    });
  }

  /**
   * A click on the map with the place-site tool: a new station or berth there, or, when a
   * site is being moved, that site moved there (a park keeps its shape, moved as a whole).
   */
  placeAt(lngLat: [number, number]): void {
    const a = this.active();
    if (!a) return;
    const moving = this.#store.state.planning.moving;
    if (moving) {
      this.#edit(a.id, (s) => ({ added: s.added.map((x) => (x.id === moving ? { ...x, geometry: moveTo(x.geometry, lngLat) } : x)) }));
      this.#store.setPlanning({ moving: null });
      this.#store.setTool('none');
      return;
    }
    if (a.kind === 'parks') return;
    this.#addSites([{ geometry: { type: 'Point', coordinates: lngLat }, origin: 'placed', name: '' }]);
  }

  /** A park drawn with the draw-site tool. */
  drawn(geometry: Geometry): void {
    const a = this.active();
    if (!a || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) return;
    this.#addSites([{ geometry, origin: 'drawn', name: '' }]);
    this.#store.setTool('none');
  }

  /** Starts moving a proposed site: the next click on the map puts it there. */
  startMove(siteId: string): void {
    if (!this.active()?.added.some((x) => x.id === siteId)) return;
    this.#store.setPlanning({ moving: siteId });
    this.#store.setTool('place-site');
  }

  removeSite(siteId: string): void {
    const a = this.active();
    if (a) this.#edit(a.id, (s) => (s.added.some((x) => x.id === siteId) ? { added: s.added.filter((x) => x.id !== siteId) } : null));
  }

  /** Closes an existing site of the scenario's service, or opens it again. */
  toggleClosed(ref: FeatureRef): void {
    const a = this.active();
    const roles = this.#store.state.catalogue?.analysis;
    if (!a || !roles?.services[a.kind].includes(ref.layerId)) return;
    const key = refKey(ref);
    this.#edit(a.id, (s) => ({ closed: s.closed.some((c) => refKey(c) === key) ? s.closed.filter((c) => refKey(c) !== key) : [...s.closed, { layerId: ref.layerId, featureId: ref.featureId }] }));
  }

  /**
   * "Make this idle plot a pocket park": the plot's shape becomes a proposed park (its
   * service radius follows the park rules by its area) in the active parks scenario, or in
   * a new one when the active scenario is about another service or there is none.
   */
  async convert(ref: FeatureRef): Promise<void> {
    await this.load();
    const s = this.#store.state;
    const f = s.data[ref.layerId]?.features.find((x) => String(x.properties?.id ?? x.id) === ref.featureId);
    const g = f?.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return;
    let a = this.active();
    if (!a || a.kind !== 'parks') a = await this.create('parks');
    if (a.added.some((x) => x.from && refKey(x.from) === refKey(ref))) return;
    const name = typeof f.properties?.name === 'string' ? f.properties.name.slice(0, 100) : '';
    this.#addSites([{ geometry: structuredClone(g), origin: 'converted', name, from: { ...ref } }]);
    this.#store.setTab('planning');
  }

  setSettings(patch: Partial<PlanSettings>): void {
    this.#store.setPlanning({ settings: { ...this.#store.state.planning.settings, ...patch } });
  }

  /**
   * Suggests sites for the active scenario's service, on top of its sites: the fast answer,
   * then its optimality figure. A new request replaces one still running.
   */
  async suggest(): Promise<void> {
    const s = this.#store.state;
    const roles = s.catalogue?.analysis;
    const a = this.active();
    if (!roles || !a) return;
    const request = suggestRequest(a.kind, s.planning.settings);
    const run = (this.#suggestRun = {});
    this.#solver.cancel();
    this.#store.setPlanning({ suggestion: { status: 'running', response: null, error: null, what: a.id }, exact: IDLE_JOB });
    let answer: SuggestAnswer;
    try {
      answer = await this.#client.suggest(request, a, s.coverageSettings, roles);
    } catch (err) {
      if (this.#suggestRun !== run) return;
      this.#store.setPlanning({ suggestion: isAbortError(err) ? cancelledJob : { status: 'error', response: null, error: message(err) } });
      return;
    }
    if (this.#suggestRun !== run) return;
    this.#store.setPlanning({ suggestion: { status: 'done', response: answer.response, error: null, what: a.id }, exact: { status: 'running', response: null, error: null } });
    try {
      const figure = await this.#solver.exact(answer.exact);
      if (this.#suggestRun !== run) return;
      this.#store.setPlanning({ exact: { status: 'done', response: figure, error: null } });
    } catch (err) {
      if (this.#suggestRun !== run) return;
      this.#store.setPlanning({ exact: isAbortError(err) ? cancelledJob : { status: 'error', response: null, error: message(err) } });
    }
  }

  /** Puts the suggested sites into the scenario they were suggested for. */
  acceptSuggestion(): void {
    const s = this.#store.state;
    const r = s.planning.suggestion.response;
    const a = this.active();
    if (!r || !a || s.planning.suggestion.what !== a.id) return;
    this.#addSites(r.sites.features.map((f) => {
      const p = f.properties ?? {};
      const from = typeof p.from_layer === 'string' && typeof p.from_id === 'string' ? { layerId: p.from_layer, featureId: p.from_id } : undefined;
      return { geometry: f.geometry, origin: 'suggested', name: typeof p.name === 'string' ? p.name.slice(0, 100) : '', ...(from ? { from } : {}) };
    }));
    this.#store.setPlanning({ suggestion: IDLE_JOB, exact: IDLE_JOB });
  }

  /**
   * The active scenario's proposed sites as a file: id, name, how each came to be, the
   * feature it was made from and its service radius (m; empty when too small to serve).
   * `label` is the scenario's name as the UI shows it.
   */
  async exportSites(format: ExportFormatId, crs: string, label: string): Promise<void> {
    const a = this.active();
    if (!a || !this.#exportFeatures) return;
    const r = this.#store.state.planning.coverage.response;
    const radii = r?.scenarioId === a.id ? r.radii : {};
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: a.added.map((x) => ({
        type: 'Feature',
        properties: { id: x.id, name: x.name, origin: x.origin, service: a.kind, from_layer: x.from?.layerId ?? null, from_id: x.from?.featureId ?? null, radius_m: radii[x.id] ?? null, scenario: label },
        geometry: x.geometry,
      })),
    };
    await this.#exportFeatures(fc, { name: `scenario-${a.kind}-sites`, title: label, what: label, format, crs });
  }

  /**
   * Two scenarios, or today (null) and a scenario, side by side: each one's coverage from
   * the worker (today's is every scenario's baseline, computed once).
   */
  async compare(left: string | null, right: string | null): Promise<void> {
    const s = this.#store.state;
    const roles = s.catalogue?.analysis;
    const find = (id: string | null): Scenario | null => (id === null ? null : s.scenarios.find((x) => x.id === id) ?? null);
    const [a, b] = [find(left), find(right)];
    const kind = (a ?? b)?.kind;
    if (!roles || !kind || (left !== null && !a) || (right !== null && !b)) return;
    if (a && b && a.kind !== b.kind) {
      this.#store.setPlanning({ compare: { status: 'error', response: null, error: 'the two scenarios are about different services' } });
      return;
    }
    const run = (this.#compareRun = {});
    this.#store.setPlanning({ compare: { status: 'running', response: null, error: null } });
    // Today is a scenario that changes nothing.
    const side = async (x: Scenario | null) => {
      // A channel of its own: the active scenario's figures, recomputed meanwhile (an edit
      // just made), must not supersede the comparison, nor it them.
      const r = await this.#client.scenario(x ?? { id: 'today', name: '', kind, added: [], closed: [], created: '', updated: '' }, s.coverageSettings, roles, 'compare');
      return { id: x?.id ?? null, summary: x ? r.after : r.before, response: r };
    };
    try {
      const [l, r] = [await side(a), await side(b)];
      if (this.#compareRun !== run) return;
      this.#store.setPlanning({ compare: { status: 'done', response: { left: l, right: r }, error: null } });
    } catch (err) {
      if (this.#compareRun !== run) return;
      // Nothing to swipe between any more: back to one map.
      this.#store.setPlanning({ compare: isAbortError(err) ? cancelledJob : { status: 'error', response: null, error: message(err) }, swipe: null });
    }
  }

  /** The user's Cancel: stops every planning job and says so. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#client.cancel();
    this.#solver.cancel();
    this.#coverageRun = null;
    this.#suggestRun = null;
    this.#compareRun = null;
    const p = this.#store.state.planning;
    this.#store.setPlanning({
      ...(p.coverage.status === 'running' ? { coverage: cancelledJob } : {}),
      ...(p.suggestion.status === 'running' ? { suggestion: cancelledJob } : {}),
      ...(p.exact.status === 'running' ? { exact: cancelledJob } : {}),
      ...(p.compare.status === 'running' ? { compare: cancelledJob, swipe: null } : {}),
    });
  }

  #update(s: AppState, prev: AppState | null): void {
    if (this.#disposed) return;
    const wanted = s.mode === 'staff' && s.tab === 'planning';
    if (wanted) void this.load();
    if (!prev || s.data !== prev.data || s.basemapData !== prev.basemapData) this.#client.sync(this.#layers(s));
    if (wanted) this.#updateCoverage(s);
    this.#refreshCompare(s);
  }

  /**
   * Two scenarios compared stay true to them: an edit of either compares them again; a
   * deleted one ends the comparison (its table, and the map's swipe).
   */
  #refreshCompare(s: AppState): void {
    const c = s.planning.compare;
    if (c.status !== 'done' || !c.response) return;
    const sides = [c.response.left, c.response.right];
    const now = sides.map((side) => (side.id === null ? null : s.scenarios.find((x) => x.id === side.id)));
    if (now.some((x) => x === undefined)) {
      this.#store.setPlanning({ compare: IDLE_JOB, swipe: null });
      return;
    }
    if (sides.some((side, i) => now[i] && now[i].updated !== side.response.updated)) void this.compare(c.response.left.id, c.response.right.id);
  }

  /** The layers the planning worker reads: the app's, and the basemap's roads and land for candidates. */
  #layers(s: AppState): Record<string, FeatureCollection> {
    const { roads, land } = s.basemapData;
    return { ...s.data, ...(roads ? { [BASEMAP_ROADS]: roads } : {}), ...(land ? { [BASEMAP_LAND]: land } : {}) };
  }

  #updateCoverage(s: AppState): void {
    const roles = s.catalogue?.analysis;
    const a = this.active();
    if (!roles || !a) return;
    const inputs = coverageInputs(roles, a.kind);
    const key = [a, s.coverageSettings, ...inputs.map((id) => s.data[id])];
    const cov = s.planning.coverage;
    if (sameKey(this.#coverageKey, key) && cov.status !== 'idle') return;
    const waiting = inputs.some((id) => !s.layers[id] || s.layers[id].status === 'loading');
    const failed = inputs.filter((id) => s.layers[id]?.status === 'error');
    if (waiting) {
      if (cov.status !== 'running') this.#store.setPlanning({ coverage: { status: 'running', response: cov.response, error: null, what: a.id } });
      return;
    }
    this.#coverageKey = key;
    clearTimeout(this.#timer);
    if (failed.length) {
      this.#store.setPlanning({ coverage: { status: 'error', response: null, error: `${failed.join(', ')}: the layer could not be loaded` } });
      return;
    }
    // The previous answer stays on screen while the next is computed, if it is this scenario's.
    const keep = cov.response?.scenarioId === a.id ? cov.response : null;
    this.#store.setPlanning({ coverage: { status: 'running', response: keep, error: null, what: a.id } });
    const run = (this.#coverageRun = {});
    this.#timer = setTimeout(() => void this.#runCoverage(run, a, roles), this.#debounceMs);
  }

  async #runCoverage(run: object, scenario: Scenario, roles: AnalysisRoles): Promise<void> {
    try {
      const response = await this.#client.scenario(scenario, this.#store.state.coverageSettings, roles);
      if (this.#coverageRun !== run) return;
      this.#store.setPlanning({ coverage: { status: 'done', response, error: null, what: scenario.id } });
    } catch (err) {
      if (this.#coverageRun !== run || isAbortError(err)) return;
      this.#store.setPlanning({ coverage: { status: 'error', response: null, error: message(err), what: scenario.id } });
    }
  }
}

/** A site moved to `to`: a point goes there, a park's centre of vertices does. */
function moveTo(g: Point | Polygon | MultiPolygon, to: [number, number]): Point | Polygon | MultiPolygon {
  if (g.type === 'Point') return { type: 'Point', coordinates: to };
  // A park moves as a whole, by the shift of its centre of vertices.
  const ring = g.type === 'Polygon' ? g.coordinates[0]! : g.coordinates[0]![0]!;
  const n = Math.max(1, ring.length - 1);
  const cx = ring.slice(0, n).reduce((a, p) => a + p[0]!, 0) / n;
  const cy = ring.slice(0, n).reduce((a, p) => a + p[1]!, 0) / n;
  const dx = to[0] - cx;
  const dy = to[1] - cy;
  const shift = (rings: number[][][]): number[][][] => rings.map((r) => r.map((p) => [p[0]! + dx, p[1]! + dy]));
  return g.type === 'Polygon' ? { type: 'Polygon', coordinates: shift(g.coordinates) } : { type: 'MultiPolygon', coordinates: g.coordinates.map(shift) };
}
