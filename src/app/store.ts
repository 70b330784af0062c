/**
 * The one store: plain state, actions that replace it immutably, and subscribers.
 * Components and the map view render from `state` and call actions; nothing else holds
 * app state. Feature collections live here too (by reference), so every view of a layer
 * sees the same data.
 */
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import type { Catalogue, LayerEntry } from '../data/catalogue.ts';
import type { DataMessage } from '../data/messages.ts';
import { setFieldFilter, type FieldFilter, type LayerFilters } from './filters.ts';
import type { Orientation, Paper, PrintImage } from './print-geometry.ts';
import type { PanelTab } from './registry.ts';
import { DEFAULT_COVERAGE_SETTINGS, type CoverageSettings } from '../analysis/coverage-settings.ts';
import type { CoverageResponse, StudyAreaResponse, WithinResponse } from '../analysis/worker/analysis-api.ts';
import type { CoverageSummary, ExactFigure, Scenario, ScenarioResponse, SuggestResponse } from '../analysis/planning/types.ts';

export type Lang = 'zh' | 'en';
export type BasemapId = 'offline' | 'osm' | 'tianditu';

export interface LayerState {
  status: 'loading' | 'ready' | 'error';
  /** Download progress 0–1 while loading (null when the size is unknown). */
  progress: number | null;
  /** Features loaded; the catalogue's expected count until then. */
  count: number | null;
  visible: boolean;
  /** A human message when status is 'error'. */
  error: string | null;
  /** Features skipped while loading (bad geometry), reported to the user. */
  skipped: number;
  /** Set for a layer read by viewport: what the current view shows of it. */
  viewport?: ViewportStatus;
}

/** Where a layer read by viewport stands for the current view. */
export interface ViewportStatus {
  /** 'features': the features in view are drawn; 'overview': too many in view, their density is. */
  mode: 'features' | 'overview';
  /** A query for the current view is still running. */
  loading: boolean;
  /** Features drawn ('features'), or at most this many in view ('overview'). */
  inView: number;
  /** Features in the whole file. */
  total: number;
  /** Bytes fetched for this layer since the page opened. */
  bytes: number;
}

export interface ViewState {
  center: [number, number];
  zoom: number;
  /** West, south, east, north of what is on screen, once the map has settled on it. */
  bounds?: [number, number, number, number];
}

/** A request to move the map: to a point (and zoom), or to fit a box. Each request is a new object. */
export type CameraRequest =
  | { center: [number, number]; zoom?: number }
  | { bbox: [number, number, number, number] };

export interface Selection {
  layerId: string;
  featureId: string;
  properties: Record<string, unknown>;
  lngLat: [number, number];
  /** Move the map there (a pick from the table or search, not a click on the map). */
  fly?: boolean;
}

export type { PanelTab } from './registry.ts';
/** staff: every tool; public: read-only programme view; embed: the map alone, for an iframe. */
export type ViewMode = 'staff' | 'public' | 'embed';

/** Features picked by click, shift-click, box or table row: what export and analysis act on. */
interface Picked {
  layerId: string;
  ids: readonly string[];
}

export interface TableSort {
  field: string;
  dir: 'asc' | 'desc';
}
export type Tool = 'none' | 'draw-area' | 'measure-line' | 'measure-area' | 'pick-cell' | 'place-site' | 'draw-site';

/** An asynchronous result: what was asked, where it stands, and what came back. */
export interface Job<T> {
  /** cancelled: the user stopped it; nothing came back. */
  status: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  response: T | null;
  error: string | null;
  /** The error as a message code and parameters, when the code that failed gave one: the UI says it in its language. */
  errorDetail?: DataMessage | null;
  /** What the job is about, for its status line (a file, the layers exported). */
  what?: string;
}
export const IDLE_JOB = { status: 'idle', response: null, error: null } as const;

export interface StudyArea {
  feature: Feature<Polygon | MultiPolygon>;
  /** What it is: a drawn polygon, a grid cell's or a district's name. */
  label: string;
  /** A district or grid cell it was made from, by id: a link names it so rather than carry its outline. */
  source?: { kind: 'district' | 'cell'; id: string };
}

/** The last Share: the link and whether it went to the clipboard or waits to be copied by hand. */
export type ShareState =
  | { status: 'idle' }
  | {
      status: 'copied' | 'manual';
      url: string;
      /** The study area was too large for a link and was left out of it. */
      studyOmitted: boolean;
    };

/** Something about keeping the user's work in the browser that the user needs to know. */
export interface StorageProblem {
  /** What it concerns: `layer:<id>`, `layers`, `settings`, `studyArea`, `db`. A new report replaces the one with the same key. */
  key: string;
  kind: 'quota' | 'failed' | 'damaged' | 'blocked';
  /** The layer's file name, or the reason in the browser's or the checker's words. */
  detail: string;
}

export interface Measurement {
  kind: 'line' | 'area';
  /** Metres or square metres, ellipsoidal. */
  value: number;
  /** The shape measured, kept on the map until cleared (absent in older callers' measurements). */
  geometry?: LineString | Polygon;
  /** Each segment's ellipsoidal length in metres and the point its label sits at (its middle). */
  segments?: readonly { length: number; at: [number, number] }[];
  /** Where the total is written on the map: the line's end, or a point inside the polygon. */
  labelAt?: [number, number];
  /** Still being drawn: the running figure, including the stretch to the pointer. */
  drawing?: boolean;
}

/** The grid cells below a coverage target, as the analysis panel lists them. */
export interface BelowTargetView {
  /** The share a cell must reach: 0.8 (GB 55014-2021) or 0.9 (GB/T 51346-2019). */
  target: number;
  sort: 'share' | 'name' | 'district';
  dir: 'asc' | 'desc';
}

/** Several features under one click: the list the map shows, each opening its own popup. */
export interface HitList {
  lngLat: [number, number];
  hits: readonly { layerId: string; featureId: string }[];
}

/** A table of analysis results saved as CSV: which one, its file, and how it went. */
export interface TableExport {
  table: 'cells' | 'buffer' | 'gains';
  file: string;
  status: 'running' | 'done' | 'error';
  /** Rows written (without the heading). */
  rows: number;
  error: string | null;
}

export interface ExportSummary {
  /** The files offered for download. */
  files: string[];
  /** Features written, all files together; 0 means nothing was in scope and no file was made. */
  count: number;
  /** Layers written, when several went into one zip. */
  layers?: number;
  /** What the files could not hold as it was (text the chosen encoding lacks). */
  notes?: DataMessage[];
}

/** The print layout: whether it is open, its paper, and the map image being rendered for it. */
export interface PrintState {
  open: boolean;
  paper: Paper;
  orientation: Orientation;
  image: Job<PrintImage>;
  /** The title the page is printed with; null for the catalogue's, in the UI's language. */
  title: string | null;
  /** A line of the user's own printed under the title ('' for none). */
  note: string;
}

export interface ImportSummary {
  fileName: string;
  layerId: string;
  crs: string;
  /** Why that CRS: what the file declares, what the coordinates fit, or the user's choice. */
  crsSource: DataMessage;
  /** `low` when the file's declared CRS was overruled by the one its coordinates fit. */
  crsConfidence: 'high' | 'medium' | 'low';
  count: number;
  skipped: number;
  /** What the reader should know, most important first. */
  problems: DataMessage[];
  /** Part of the file could not be read: the panel offers to remove the layer again. */
  incomplete: boolean;
  /** The user removed the layer from this status line. */
  removed?: boolean;
}

/** What the "suggest sites" form holds. */
export interface PlanSettings {
  /** N new sites, or the fewest reaching a share. */
  goal: 'sites' | 'share';
  sites: number;
  /** 0–1. */
  share: number;
  /** Candidates along the roads, or the features of a layer (its id). */
  source: 'roads' | { layerId: string };
  /** Metres between candidates along a road. */
  spacing: number;
  /** Candidates within this many metres of a site there are left out. */
  minDistance: number;
}

/** One side of a comparison: today (id null) or a scenario, with its figures and its answer (what the map draws of it). */
interface CompareSideFigures {
  id: string | null;
  summary: CoverageSummary;
  response: ScenarioResponse;
}

/** Two sides of a comparison side by side. */
interface CompareFigures {
  left: CompareSideFigures;
  right: CompareSideFigures;
}

/** The compared scenarios on the map: a swipe between them, or on a phone one at a time. */
interface PlanSwipe {
  /** On a phone, where there is no room for a swipe, the side the map shows. */
  side: 'before' | 'after';
  /** The side of the comparison this store's map draws: the app's map the left, the other map the right. */
  ours: 'left' | 'right';
}

/** Planning's jobs and view: each job with its state, as the panel shows it. */
export interface PlanningView {
  settings: PlanSettings;
  /** The active scenario's coverage against today. */
  coverage: Job<ScenarioResponse>;
  suggestion: Job<SuggestResponse>;
  /** The suggestion's optimality figure, computed after it. */
  exact: Job<ExactFigure>;
  /** Two scenarios (or one and today) side by side, as a table. */
  compare: Job<CompareFigures>;
  /** The compared two on the map as well; null: the active scenario alone. */
  swipe: PlanSwipe | null;
  /** Draw the gain per grid cell on the map. */
  showGain: boolean;
  /** The proposed site the next click on the map moves, with the place-site tool. */
  moving: string | null;
}

const DEFAULT_PLAN_SETTINGS: PlanSettings = { goal: 'sites', sites: 10, share: 0.9, source: 'roads', spacing: 50, minDistance: 100 };

export interface AppState {
  lang: Lang;
  catalogue: Catalogue | null;
  /** A message when the catalogue itself failed to load; the map still shows. */
  catalogueError: string | null;
  layers: Readonly<Record<string, LayerState>>;
  data: Readonly<Record<string, FeatureCollection>>;
  /** Density cells of layers read by viewport, drawn when a view holds too many features. */
  overview: Readonly<Record<string, FeatureCollection>>;
  basemapData: Readonly<Partial<Record<'land' | 'roads' | 'places', FeatureCollection>>>;
  view: ViewState;
  basemap: BasemapId;
  tiandituKey: string;
  /** The feature whose popup is open. */
  selection: Selection | null;
  /** The features a click hit when it hit several (their list is open instead of a popup). */
  hitList: HitList | null;
  picked: Picked | null;
  /** Features shown emphasised on the map (the filtered features zoomed to), until the filters change. */
  highlight: Picked | null;
  filters: LayerFilters;
  /** Per layer, how opaque it is drawn (0–1); a layer not listed is drawn as its style says. */
  layerOpacity: Readonly<Record<string, number>>;
  /**
   * The layers top first, as the user arranged them in the list; the map draws them in this
   * order. Null until the user moves one: the catalogue's order, points over lines over polygons.
   */
  layerOrder: readonly string[] | null;
  /** The layer whose attribute table is open. */
  table: string | null;
  tableSort: TableSort | null;
  mode: ViewMode;
  /** Follows the system's colour scheme. */
  theme: 'light' | 'dark';
  /** The last import: what was read (and in which CRS), or what went wrong. */
  importJob: Job<ImportSummary>;
  /** The last export: the files made, or what went wrong. */
  exportJob: Job<ExportSummary>;
  print: PrintState;
  /** The latest request to move the map (a search pick, a district); the map view carries it out. */
  camera: CameraRequest | null;
  /** Where a typed coordinate took the map: a marker stays there until cleared. */
  gotoMarker: [number, number] | null;
  /** On narrow screens the side panel folds away. */
  panelOpen: boolean;
  tab: PanelTab;
  coverageSettings: CoverageSettings;
  coverage: Job<CoverageResponse>;
  /** Draw the covered land and the grid choropleth on the map. */
  showCoverage: boolean;
  /** How the list of grid cells below target is cut and sorted. */
  belowTarget: BelowTargetView;
  /** The grid cell picked from that list, outlined on the map. */
  coverageCell: string | null;
  /** The last CSV of an analysis table (cells below target, buffer hits). */
  tableExport: TableExport | null;
  tool: Tool;
  studyArea: StudyArea | null;
  study: Job<StudyAreaResponse>;
  measurement: Measurement | null;
  bufferRadius: number;
  bufferLayer: string;
  within: Job<WithinResponse>;
  /** Writes to or reads from the browser's storage that went wrong, until dismissed. */
  storage: readonly StorageProblem[];
  /** The chosen online basemap's tiles cannot be fetched (offline, blocked, a wrong key). */
  basemapUnreachable: boolean;
  /** The planner's what-if scenarios, kept in the browser. */
  scenarios: readonly Scenario[];
  /** The scenario being edited and shown, or null. */
  scenarioId: string | null;
  planning: PlanningView;
  /**
   * The day (YYYY-MM-DD) the map, the figures and the tables show the programme as of, by the
   * catalogue's timeline; null: the latest, the data as it is.
   */
  asOf: string | null;
  /** The timeline is playing: the date moves on a month a second. */
  timelinePlaying: boolean;
  /** Two dates side by side (a swipe; a toggle on a phone); null: one map. */
  compare: CompareDates | null;
  share: ShareState;
}

/** The map shows `asOf` (before) against this (after). */
export interface CompareDates {
  /** The other side's day (YYYY-MM-DD); null: the latest data. */
  asOf: string | null;
  /** On a phone, where there is no room for a swipe, the side the map shows. */
  side: 'before' | 'after';
}

const INITIAL_VIEW: ViewState = { center: [122.2, 29.995], zoom: 11.3 };
/** West, south, east, north of the programme's four towns on Zhoushan Island. */
export const PROGRAMME_BOUNDS: [number, number, number, number] = [122.05, 29.925, 122.345, 30.075];

export function initialState(overrides: Partial<AppState> = {}): AppState {
  return {
    lang: 'zh',
    catalogue: null,
    catalogueError: null,
    layers: {},
    data: {},
    overview: {},
    basemapData: {},
    view: INITIAL_VIEW,
    basemap: 'offline',
    tiandituKey: '',
    selection: null,
    hitList: null,
    picked: null,
    highlight: null,
    filters: {},
    layerOpacity: {},
    layerOrder: null,
    table: null,
    tableSort: null,
    mode: 'staff',
    theme: 'light',
    importJob: IDLE_JOB,
    exportJob: IDLE_JOB,
    print: { open: false, paper: 'A4', orientation: 'landscape', image: IDLE_JOB, title: null, note: '' },
    camera: null,
    gotoMarker: null,
    panelOpen: true,
    tab: 'layers',
    coverageSettings: DEFAULT_COVERAGE_SETTINGS,
    coverage: IDLE_JOB,
    showCoverage: true,
    belowTarget: { target: 0.8, sort: 'share', dir: 'asc' },
    coverageCell: null,
    tableExport: null,
    tool: 'none',
    studyArea: null,
    study: IDLE_JOB,
    measurement: null,
    bufferRadius: 500,
    bufferLayer: 'communities',
    within: IDLE_JOB,
    storage: [],
    basemapUnreachable: false,
    scenarios: [],
    scenarioId: null,
    planning: { settings: DEFAULT_PLAN_SETTINGS, coverage: IDLE_JOB, suggestion: IDLE_JOB, exact: IDLE_JOB, compare: IDLE_JOB, swipe: null, showGain: true, moving: null },
    asOf: null,
    timelinePlaying: false,
    compare: null,
    share: { status: 'idle' },
    ...overrides,
  };
}

export type Listener = (state: AppState, previous: AppState) => void;

export class Store {
  #state: AppState;
  readonly #listeners = new Set<Listener>();
  /** Changes not yet delivered, oldest first: [state, previous]. */
  readonly #queue: [AppState, AppState][] = [];
  #delivering = false;

  constructor(initial: AppState = initialState()) {
    this.#state = initial;
  }

  get state(): AppState {
    return this.#state;
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(patch: Partial<AppState>): void {
    const previous = this.#state;
    this.#state = { ...previous, ...patch };
    this.#queue.push([this.#state, previous]);
    // A change made by a listener is delivered after the current round, to every listener
    // in order: delivering it at once would show the listeners after that one the same
    // change twice (once inside, once when the outer round reaches them), with `previous`
    // going back in time the second time.
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (let change = this.#queue.shift(); change; change = this.#queue.shift()) {
        const [state, prev] = change;
        for (const l of [...this.#listeners]) {
          // One failing listener must not starve the others of the change; its error still
          // surfaces, uncaught, where the page or the test runner reports errors.
          try {
            if (this.#listeners.has(l)) l(state, prev);
          } catch (err) {
            queueMicrotask(() => {
              throw err;
            });
          }
        }
      }
    } finally {
      this.#delivering = false;
    }
  }

  #patchLayer(id: string, patch: Partial<LayerState>): void {
    const current = this.#state.layers[id];
    if (!current) return;
    this.#set({ layers: { ...this.#state.layers, [id]: { ...current, ...patch } } });
  }

  setCatalogue(catalogue: Catalogue, visibleOverride?: readonly string[]): void {
    const layers: Record<string, LayerState> = {};
    for (const l of catalogue.layers) {
      layers[l.id] = {
        status: 'loading',
        progress: 0,
        count: l.featureCount ?? null,
        visible: visibleOverride ? visibleOverride.includes(l.id) : l.visible,
        error: null,
        skipped: 0,
      };
    }
    this.#set({ catalogue, layers, catalogueError: null });
  }

  setCatalogueError(message: string): void {
    this.#set({ catalogueError: message });
  }

  layerProgress(id: string, progress: number | null): void {
    this.#patchLayer(id, { progress });
  }

  layerLoaded(id: string, data: FeatureCollection, skipped = 0): void {
    const current = this.#state.layers[id];
    if (!current) return;
    this.#set({
      data: { ...this.#state.data, [id]: data },
      layers: { ...this.#state.layers, [id]: { ...current, status: 'ready', progress: 1, count: data.features.length, skipped, error: null } },
    });
  }

  /**
   * What a viewport query has for the current view: the features (replacing the previous
   * view's), the density overview, or only a new status while a query runs.
   */
  viewportUpdate(id: string, update: { status: ViewportStatus; data?: FeatureCollection; overview?: FeatureCollection }): void {
    const current = this.#state.layers[id];
    if (!current) return;
    this.#set({
      ...(update.data ? { data: { ...this.#state.data, [id]: update.data } } : {}),
      ...(update.overview ? { overview: { ...this.#state.overview, [id]: update.overview } } : {}),
      layers: { ...this.#state.layers, [id]: { ...current, status: 'ready', progress: 1, count: update.status.total, error: null, viewport: update.status } },
    });
  }

  /** A viewport query failed: the message is shown, what is drawn stays. */
  viewportFailed(id: string, message: string): void {
    const current = this.#state.layers[id];
    if (!current) return;
    // Before the file could be opened at all, the layer has nothing: a plain error.
    if (!current.viewport) return this.layerFailed(id, message);
    this.#patchLayer(id, { error: message, viewport: { ...current.viewport, loading: false } });
  }

  layerFailed(id: string, message: string): void {
    this.#patchLayer(id, { status: 'error', error: message });
  }

  basemapLoaded(part: 'land' | 'roads' | 'places', data: FeatureCollection): void {
    this.#set({ basemapData: { ...this.#state.basemapData, [part]: data } });
  }

  setLayerVisible(id: string, visible: boolean): void {
    this.#patchLayer(id, { visible });
  }

  setVisibleLayers(ids: readonly string[]): void {
    const layers: Record<string, LayerState> = {};
    for (const [id, l] of Object.entries(this.#state.layers)) layers[id] = { ...l, visible: ids.includes(id) };
    this.#set({ layers });
  }

  setView(view: ViewState): void {
    const v = this.#state.view;
    const sameBounds = view.bounds === undefined ? v.bounds === undefined : v.bounds !== undefined && view.bounds.every((x, i) => x === v.bounds![i]);
    if (v.center[0] === view.center[0] && v.center[1] === view.center[1] && v.zoom === view.zoom && sameBounds) return;
    this.#set({ view });
  }

  /** Asks the map to move (it reports the view it settles on through `setView`). */
  moveCamera(camera: CameraRequest): void {
    this.#set({ camera });
  }

  setBasemap(basemap: BasemapId): void {
    this.#set({ basemap, basemapUnreachable: false });
  }

  setBasemapUnreachable(basemapUnreachable: boolean): void {
    if (basemapUnreachable !== this.#state.basemapUnreachable) this.#set({ basemapUnreachable });
  }

  setTiandituKey(tiandituKey: string): void {
    this.#set({ tiandituKey });
  }

  setLang(lang: Lang): void {
    this.#set({ lang });
  }

  select(selection: Selection | null): void {
    this.#set({ selection, ...(this.#state.hitList ? { hitList: null } : {}) });
  }

  /** Opens the list of features a click hit (closing any popup), or closes it. */
  showHits(hitList: HitList | null): void {
    if (!hitList && !this.#state.hitList) return;
    this.#set({ hitList, ...(hitList ? { selection: null } : {}) });
  }

  /**
   * Changes the picked features: replace them, or toggle / add ids (shift-click, box).
   * Picking in another layer starts a new pick there.
   */
  pick(layerId: string | null, ids: readonly string[], how: 'replace' | 'toggle' | 'add' = 'replace'): void {
    if (!layerId || (how === 'replace' && ids.length === 0)) {
      this.#set({ picked: null });
      return;
    }
    const current = this.#state.picked?.layerId === layerId ? this.#state.picked.ids : [];
    let next: string[];
    if (how === 'replace') next = [...new Set(ids)];
    else if (how === 'add') next = [...new Set([...current, ...ids])];
    else {
      const set = new Set(current);
      for (const id of ids) {
        if (set.has(id)) set.delete(id);
        else set.add(id);
      }
      next = [...set];
    }
    this.#set({ picked: next.length ? { layerId, ids: next } : null });
  }

  setFilter(layerId: string, field: string, filter: FieldFilter | null): void {
    this.#set({ filters: setFieldFilter(this.#state.filters, layerId, field, filter), highlight: null });
  }

  clearFilters(layerId?: string): void {
    if (!layerId) {
      this.#set({ filters: {}, highlight: null });
      return;
    }
    const filters = { ...this.#state.filters };
    delete filters[layerId];
    this.#set({ filters, highlight: null });
  }

  setFilters(filters: LayerFilters): void {
    this.#set({ filters, highlight: null });
  }

  setLayerOpacity(id: string, opacity: number): void {
    const o = Math.min(1, Math.max(0, Number.isFinite(opacity) ? opacity : 1));
    this.#set({ layerOpacity: { ...this.#state.layerOpacity, [id]: o } });
  }

  /** Moves a layer one place up (drawn over the one above it) or down in the list. */
  moveLayer(id: string, direction: 'up' | 'down'): void {
    const cat = this.#state.catalogue;
    if (!cat) return;
    const ids = cat.layers.map((l) => l.id);
    // Layers added since (an import) go where the catalogue puts them.
    const order = [...(this.#state.layerOrder ?? []).filter((x) => ids.includes(x)), ...ids.filter((x) => !this.#state.layerOrder?.includes(x))];
    const i = order.indexOf(id);
    // Within its group of the list (programme, reference, the user's own).
    const group = (x: string | undefined): string | undefined => cat.layers.find((l) => l.id === x)?.group;
    let j = i;
    do j += direction === 'up' ? -1 : 1;
    while (j >= 0 && j < order.length && group(order[j]) !== group(id));
    if (i < 0 || j < 0 || j >= order.length) return;
    [order[i], order[j]] = [order[j]!, order[i]!];
    this.#set({ layerOrder: order });
  }

  /** Emphasises these features on the map (null: none). */
  setHighlight(highlight: Picked | null): void {
    this.#set({ highlight });
  }

  openTable(table: string | null): void {
    this.#set({ table, tableSort: table === this.#state.table ? this.#state.tableSort : null });
  }

  sortTable(field: string): void {
    const cur = this.#state.tableSort;
    this.#set({ tableSort: { field, dir: cur?.field === field && cur.dir === 'asc' ? 'desc' : 'asc' } });
  }

  setPanelOpen(panelOpen: boolean): void {
    this.#set({ panelOpen });
  }

  setImportJob(importJob: Job<ImportSummary>): void {
    this.#set({ importJob });
  }

  setExportJob(exportJob: Job<ExportSummary>): void {
    this.#set({ exportJob });
  }

  setPrint(patch: Partial<PrintState>): void {
    this.#set({ print: { ...this.#state.print, ...patch } });
  }

  /** Adds (or replaces) a layer of the user's own, loaded and ready. */
  addUserLayer(entry: LayerEntry, data: FeatureCollection): void {
    const cat = this.#state.catalogue;
    if (!cat) return;
    const layers = [...cat.layers.filter((l) => l.id !== entry.id), entry];
    this.#set({
      catalogue: { ...cat, layers },
      data: { ...this.#state.data, [entry.id]: data },
      layers: {
        ...this.#state.layers,
        [entry.id]: { status: 'ready', progress: 1, count: data.features.length, visible: entry.visible, error: null, skipped: 0 },
      },
    });
  }

  removeUserLayer(id: string): void {
    const cat = this.#state.catalogue;
    if (!cat || !cat.layers.some((l) => l.id === id && l.group === 'user')) return;
    const data = { ...this.#state.data };
    const layers = { ...this.#state.layers };
    delete data[id];
    delete layers[id];
    this.#set({
      catalogue: { ...cat, layers: cat.layers.filter((l) => l.id !== id) },
      data,
      layers,
      picked: this.#state.picked?.layerId === id ? null : this.#state.picked,
      selection: this.#state.selection?.layerId === id ? null : this.#state.selection,
      table: this.#state.table === id ? null : this.#state.table,
    });
  }

  setTheme(theme: 'light' | 'dark'): void {
    this.#set({ theme });
  }

  setTab(tab: PanelTab): void {
    this.#set({ tab, panelOpen: true });
  }

  setCoverageSettings(patch: Partial<CoverageSettings>): void {
    this.#set({ coverageSettings: { ...this.#state.coverageSettings, ...patch } });
  }

  setCoverage(coverage: Job<CoverageResponse>): void {
    this.#set({ coverage });
  }

  setShowCoverage(showCoverage: boolean): void {
    this.#set({ showCoverage });
  }

  setTool(tool: Tool): void {
    // A new measuring starts afresh; a measuring put away unfinished leaves nothing behind.
    const drop = tool === 'measure-line' || tool === 'measure-area' || this.#state.measurement?.drawing === true;
    this.#set({ tool, ...(drop ? { measurement: null } : {}) });
  }

  setStudyArea(studyArea: StudyArea | null): void {
    this.#set({ studyArea, study: IDLE_JOB, tool: 'none' });
  }

  setStudy(study: Job<StudyAreaResponse>): void {
    this.#set({ study });
  }

  setMeasurement(measurement: Measurement | null): void {
    this.#set({ measurement });
  }

  setBuffer(patch: { radius?: number; layer?: string }): void {
    this.#set({ bufferRadius: patch.radius ?? this.#state.bufferRadius, bufferLayer: patch.layer ?? this.#state.bufferLayer });
  }

  setWithin(within: Job<WithinResponse>): void {
    this.#set({ within });
  }

  /** Changes the target or the sort of the cells-below-target list; the same sort again flips its direction. */
  setBelowTarget(patch: { target?: number; sort?: BelowTargetView['sort'] }): void {
    const cur = this.#state.belowTarget;
    const dir = patch.sort === undefined ? cur.dir : patch.sort === cur.sort ? (cur.dir === 'asc' ? 'desc' : 'asc') : 'asc';
    this.#set({ belowTarget: { target: patch.target ?? cur.target, sort: patch.sort ?? cur.sort, dir } });
  }

  setCoverageCell(coverageCell: string | null): void {
    this.#set({ coverageCell });
  }

  setTableExport(tableExport: TableExport | null): void {
    this.#set({ tableExport });
  }

  setGotoMarker(gotoMarker: [number, number] | null): void {
    this.#set({ gotoMarker });
  }

  reportStorage(problem: StorageProblem): void {
    this.#set({ storage: [...this.#state.storage.filter((p) => p.key !== problem.key), problem] });
  }

  clearStorage(key: string): void {
    if (this.#state.storage.some((p) => p.key === key)) this.#set({ storage: this.#state.storage.filter((p) => p.key !== key) });
  }

  setShare(share: ShareState): void {
    this.#set({ share });
  }

  /** Puts back what an earlier visit kept (`session.ts` checks it and leaves out what the link decides). */
  restoreSession(patch: Partial<Pick<AppState, 'coverageSettings' | 'showCoverage' | 'bufferRadius' | 'bufferLayer' | 'basemap' | 'tableSort' | 'studyArea' | 'layerOpacity' | 'layerOrder'>>): void {
    this.#set({ ...patch, ...(patch.studyArea !== undefined ? { study: IDLE_JOB } : {}) });
  }

  setScenarios(scenarios: readonly Scenario[]): void {
    this.#set({ scenarios });
  }

  /** Makes a scenario the active one (null: none); its figures are computed afresh. */
  setScenarioId(scenarioId: string | null): void {
    if (scenarioId === this.#state.scenarioId) return;
    this.#set({ scenarioId, planning: { ...this.#state.planning, coverage: IDLE_JOB, moving: null } });
  }

  setPlanning(patch: Partial<PlanningView>): void {
    const planning = { ...this.#state.planning, ...patch };
    // Two scenarios on the map take the place of two days.
    this.#set(patch.swipe && this.#state.compare ? { planning, compare: null } : { planning });
  }

  /** Shows the programme as of a day (YYYY-MM-DD), or as the data is (null). */
  setAsOf(asOf: string | null): void {
    if (asOf !== this.#state.asOf) this.#set({ asOf });
  }

  setTimelinePlaying(timelinePlaying: boolean): void {
    if (timelinePlaying !== this.#state.timelinePlaying) this.#set({ timelinePlaying });
  }

  /** Two days side by side; one comparison on the map at a time, so two scenarios compared there stop. */
  setCompare(compare: CompareDates | null): void {
    const { planning } = this.#state;
    this.#set(compare && planning.swipe ? { compare, planning: { ...planning, swipe: null } } : { compare });
  }

  /** On a phone, where there is no room for a swipe, the side of the comparison on the map (two dates or two scenarios) that fills it. */
  showCompareSide(side: 'before' | 'after'): void {
    const { compare, planning } = this.#state;
    if (planning.swipe) this.#set({ planning: { ...planning, swipe: { ...planning.swipe, side } } });
    else if (compare) this.#set({ compare: { ...compare, side } });
  }

  /** Back to one map, whatever was compared (two dates, two scenarios). */
  stopComparing(): void {
    if (this.#state.compare === null && this.#state.planning.swipe === null) return;
    this.#set({ compare: null, planning: { ...this.#state.planning, swipe: null } });
  }

  /**
   * Takes another store's state as this one's (less what `patch` leaves out): for the store
   * behind the other side of a compare, which follows the app's.
   */
  adopt(patch: Partial<AppState>): void {
    this.#set(patch);
  }
}
