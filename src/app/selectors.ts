/**
 * Values derived from the state, built once (`createSelectors`) and shared by the map view,
 * the panels and the controllers, each memoised on the identity of the state slices it reads,
 * so every view may ask on every render and the work is done once per change.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { MetricValue, ProgrammeMetric } from '../analysis/programme.ts';
import { bboxesMeet, geometryBbox, type Bbox } from '../geo/bbox.ts';
import { cellRows, cellsBelowTarget, type CellRow } from './coverage-cells.ts';
import { applyFilters } from './filters.ts';
import type { MonthChanges } from './month-changes.ts';
import type { ProgressView } from './progress.ts';
import type { SearchAnswer } from './search.ts';
import type { SearchIndex, SearchIndexDeps } from './search-index.ts';
import type { AppState } from './store.ts';
import { sortFeatures } from './table-sort.ts';

type Data = AppState['data'];
type Filters = AppState['filters'];

/** The layers as every view shows them: as of the chosen day, with the user's attribute filters applied. */
export function createFilteredData(source: (s: AppState) => Data = (s) => s.data): (s: AppState) => Readonly<Record<string, FeatureCollection>> {
  let lastData: Data | null = null;
  let lastFilters: Filters | null = null;
  let cache: Record<string, { src: FeatureCollection; filters: unknown; out: FeatureCollection }> = {};
  let result: Record<string, FeatureCollection> = {};
  return (s) => {
    const data = source(s);
    if (data === lastData && s.filters === lastFilters) return result;
    const next: typeof cache = {};
    const out: Record<string, FeatureCollection> = {};
    for (const [id, fc] of Object.entries(data)) {
      const f = s.filters[id];
      const hit = cache[id];
      // Per layer too: changing one layer's filter keeps every other layer's collection.
      const filtered = hit && hit.src === fc && hit.filters === f ? hit.out : applyFilters(fc, f);
      next[id] = { src: fc, filters: f, out: filtered };
      out[id] = filtered;
    }
    cache = next;
    lastData = data;
    lastFilters = s.filters;
    result = out;
    return out;
  };
}

/** `fn` of the inputs `deps` picks from the state, recomputed only when one of them changes identity. */
function memo<T>(deps: (s: AppState) => readonly unknown[], fn: (s: AppState) => T): (s: AppState) => T {
  let last: readonly unknown[] | null = null;
  let value: T;
  return (s) => {
    const d = deps(s);
    if (!last || d.length !== last.length || d.some((x, i) => x !== last![i])) {
      value = fn(s);
      last = d;
    }
    return value;
  };
}

/** How many features each export scope would take of one layer; null where it does not apply. */
interface ScopeCounts {
  layer: number;
  filtered: number;
  /** Picked features, when they are this layer's. */
  picked: number | null;
  /** Features whose box meets the view's: what "in view" exports, give or take a feature at the edge. */
  view: number | null;
  /** Features in the study area, once its figures are in. */
  study: number | null;
}

export interface ExportCounts {
  /** Every visible layer's filtered features together. */
  visible: number;
  byLayer: Readonly<Record<string, ScopeCounts>>;
}

export interface Selectors {
  /**
   * Every layer as of the chosen day (the timeline applied), before the user's filters; the
   * data as it is until `asOfLoaded` has settled.
   */
  asOf(s: AppState): Readonly<Record<string, FeatureCollection>>;
  /** Loads the code that applies the timeline (for a catalogue that has one). */
  asOfLoaded(): Promise<void>;
  /** Every layer as of the chosen day, with its filters applied: what every view shows. */
  filtered(s: AppState): Readonly<Record<string, FeatureCollection>>;
  /** Features each layer shows after filtering. */
  shownCounts(s: AppState): Readonly<Record<string, number>>;
  /** The open attribute table's rows: filtered, then sorted. */
  tableRows(s: AppState): readonly Feature[];
  /**
   * The programme dashboard's figures, following the filters; null until the code that
   * computes them (ellipsoidal areas and lengths) has loaded, which this starts.
   */
  programme(s: AppState): readonly MetricValue[] | null;
  /** Settles once `programme` can answer. */
  programmeLoaded(): Promise<void>;
  /**
   * A programme figure month by month, whole and per district, following the filters; null
   * until its code has loaded (which this starts), or when there is no timeline or no such figure.
   */
  progress(s: AppState, metricId: string): ProgressView | null;
  /** Settles once `progress` can answer. */
  progressLoaded(): Promise<void>;
  /** What each export scope would take, per layer. */
  exportCounts(s: AppState): ExportCounts;
  /**
   * What changed this month (the month of the day shown), for the public view; null without a
   * timeline, or until its code has loaded (which this starts).
   */
  changes(s: AppState): MonthChanges | null;
  /** Settles once `changes` can answer. */
  changesLoaded(): Promise<void>;
  /**
   * Features, places and districts matching `query`, best first; filters do not hide
   * things from search, the public view leaves out the reference layers. The first call
   * loads the search code and builds the index: until it is built the answer is a promise.
   */
  search(s: AppState, query: string): SearchAnswer;
  /** The coverage result's grid cells with residential land, by id; null without a result. */
  cells(s: AppState): ReadonlyMap<string, CellRow> | null;
  /** The cells below the chosen target, sorted as chosen: the panel's list and the CSV's rows. */
  belowTarget(s: AppState): readonly CellRow[];
  /**
   * The features of each visible layer, after filtering, whose box meets `bounds` [w, s, e, n]
   * (all of them for null), counted by their style field's value (`null` for a layer drawn in
   * one class): a printed legend lists only what the printed map shows.
   */
  classesInView(s: AppState, bounds: Bbox | null): Readonly<Record<string, ReadonlyMap<string | null, number>>>;
}

export interface SelectorOptions {
  /** What the search index runs on; by default pinyin comes from a worker. */
  search?: Partial<SearchIndexDeps>;
}

export function createSelectors(options: SelectorOptions = {}): Selectors {
  let asOfData: ((s: AppState) => Data) | null = null;
  let asOfLoading: Promise<void> | null = null;
  const asOfLoaded = (): Promise<void> =>
    (asOfLoading ??= import('./as-of-data.ts').then(
      (m) => {
        asOfData = m.createAsOfData();
      },
      (err: unknown) => {
        asOfLoading = null;
        throw err;
      },
    ));
  const asOf = (s: AppState): Data => (asOfData ? asOfData(s) : s.data);
  const filtered = createFilteredData(asOf);
  const shownCounts = memo((s) => [filtered(s)], (s) => Object.fromEntries(Object.entries(filtered(s)).map(([id, fc]) => [id, fc.features.length])));
  const tableRows = memo(
    (s) => [s.table ? filtered(s)[s.table] : undefined, s.tableSort, s.lang, s.catalogue],
    (s) => {
      const fc = s.table ? filtered(s)[s.table] : undefined;
      if (!fc) return [];
      if (!s.tableSort) return fc.features.slice();
      const def = s.catalogue?.layers.find((l) => l.id === s.table)?.fields.find((f) => f.name === s.tableSort?.field);
      return sortFeatures(fc.features, s.tableSort.field, s.tableSort.dir, def, s.lang);
    },
  );
  type Evaluate = (metrics: readonly ProgrammeMetric[], data: Readonly<Record<string, FeatureCollection>>) => MetricValue[];
  let evaluate: Evaluate | null = null;
  let loading: Promise<void> | null = null;
  const programmeLoaded = (): Promise<void> =>
    (loading ??= import('../analysis/programme.ts').then((m) => {
      evaluate = m.evaluateProgramme;
    }));
  const figures = memo((s) => [filtered(s), s.catalogue, evaluate], (s) => evaluate!(s.catalogue?.programme ?? [], filtered(s)));
  const programme = (s: AppState): readonly MetricValue[] | null => {
    if (evaluate) return figures(s);
    void programmeLoaded();
    return null;
  };
  let progressOf: ((s: AppState, metricId: string) => ProgressView | null) | null = null;
  let progressLoading: Promise<void> | null = null;
  const progressLoaded = (): Promise<void> =>
    (progressLoading ??= import('./progress.ts').then(
      (m) => {
        progressOf = m.createProgress();
      },
      (err: unknown) => {
        progressLoading = null;
        throw err;
      },
    ));
  const progress = (s: AppState, metricId: string): ProgressView | null => {
    if (progressOf) return progressOf(s, metricId);
    void progressLoaded().catch(() => undefined);
    return null;
  };
  // Boxes are kept per geometry object: a new extent then costs a comparison per feature.
  const boxes = new WeakMap<Geometry, Bbox | null>();
  const boxOf = (g: Geometry | null): Bbox | null => {
    if (!g) return null;
    let b = boxes.get(g);
    if (b === undefined) boxes.set(g, (b = geometryBbox(g)));
    return b;
  };
  const exportCounts = memo(
    (s) => [s.data, filtered(s), s.picked, s.view.bounds, s.study, s.layers],
    (s): ExportCounts => {
      const shown = filtered(s);
      const bounds = s.view.bounds;
      const study = s.study.status === 'done' ? s.study.response : null;
      const byLayer: Record<string, ScopeCounts> = {};
      let visible = 0;
      for (const [id, fc] of Object.entries(s.data)) {
        const f = shown[id]?.features.length ?? 0;
        if (s.layers[id]?.visible && s.layers[id]?.status === 'ready') visible += f;
        byLayer[id] = {
          layer: fc.features.length,
          filtered: f,
          picked: s.picked?.layerId === id ? s.picked.ids.length : null,
          view: bounds ? fc.features.reduce((n, x) => {
            const b = boxOf(x.geometry);
            return b && bboxesMeet(b, bounds) ? n + 1 : n;
          }, 0) : null,
          study: study?.layers.find((l) => l.layerId === id)?.count ?? null,
        };
      }
      return { visible, byLayer };
    },
  );
  let changesOf: ((s: AppState) => MonthChanges | null) | null = null;
  let changesLoading: Promise<void> | null = null;
  const changesLoaded = (): Promise<void> =>
    (changesLoading ??= import('./month-changes.ts').then(
      (m) => {
        changesOf = m.createMonthChanges();
      },
      (err: unknown) => {
        changesLoading = null;
        throw err;
      },
    ));
  const changes = (s: AppState): MonthChanges | null => {
    if (changesOf) return changesOf(s);
    if (s.catalogue?.timeline) void changesLoaded().catch(() => undefined);
    return null;
  };
  let index: SearchIndex | null = null;
  let indexLoading: Promise<SearchIndex> | null = null;
  const loadIndex = (): Promise<SearchIndex> =>
    (indexLoading ??= import('./search-index.ts').then(
      (m) => (index = new m.SearchIndex({ syllables: m.workerSyllables, ...options.search })),
      (err: unknown) => {
        // A failed download (offline, a new deployment) is tried again by the next query.
        indexLoading = null;
        throw err;
      },
    ));
  const search = (s: AppState, query: string): SearchAnswer => {
    const input = { catalogue: s.catalogue, data: s.data, places: s.basemapData.places };
    if (!index) return { ready: false, settled: loadIndex().then((ix) => ix.update(input) ?? undefined) };
    const pending = index.update(input);
    if (!index.built) return { ready: false, settled: pending ?? Promise.resolve() };
    return { ready: true, results: index.search(query, { public: s.mode !== 'staff' }), settled: pending };
  };
  const zoneData = (s: AppState) => (s.catalogue?.analysis ? s.data[s.catalogue.analysis.zones] : undefined);
  const rows = memo((s) => [s.coverage.response, s.coverageSettings.kind, zoneData(s), s.catalogue, s.lang], cellRows);
  const cells = memo((s) => [rows(s)], (s) => {
    const r = rows(s);
    return r ? new Map(r.map((c) => [c.id, c])) : null;
  });
  const belowTarget = memo((s) => [rows(s), s.belowTarget, s.lang], (s) => cellsBelowTarget(rows(s) ?? [], s.belowTarget, s.lang));
  const countInView = (s: AppState, bounds: Bbox | null): Record<string, Map<string | null, number>> => {
    const out: Record<string, Map<string | null, number>> = {};
    for (const entry of s.catalogue?.layers ?? []) {
      const fc = filtered(s)[entry.id];
      if (!fc || !(s.layers[entry.id]?.visible ?? entry.visible)) continue;
      const field = entry.styleField && entry.fields.find((f) => f.name === entry.styleField)?.values?.length ? entry.styleField : null;
      const counts = new Map<string | null, number>();
      for (const f of fc.features) {
        const b = boxOf(f.geometry);
        if (!b || (bounds && !bboxesMeet(b, bounds))) continue;
        const key = field === null ? null : String(f.properties?.[field]);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      out[entry.id] = counts;
    }
    return out;
  };
  let lastInView: { deps: readonly unknown[]; value: Record<string, Map<string | null, number>> } | null = null;
  const classesInView = (s: AppState, bounds: Bbox | null): Record<string, Map<string | null, number>> => {
    const deps = [filtered(s), s.catalogue, s.layers, bounds];
    if (!lastInView || deps.some((x, i) => x !== lastInView!.deps[i])) lastInView = { deps, value: countInView(s, bounds) };
    return lastInView.value;
  };
  return {
    asOf,
    asOfLoaded,
    cells,
    belowTarget,
    filtered,
    shownCounts,
    exportCounts,
    changes,
    changesLoaded,
    tableRows,
    programme,
    programmeLoaded,
    progress,
    progressLoaded,
    search,
    classesInView,
  };
}
