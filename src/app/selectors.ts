/**
 * Values derived from the state, built once (`createSelectors`) and shared by the map view,
 * the panels and the controllers, each memoised on the identity of the state slices it reads,
 * so every view may ask on every render and the work is done once per change.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { bboxesMeet, geometryBbox, type Bbox } from '../geo/bbox.ts';
import type { MetricValue, ProgrammeMetric } from '../analysis/programme.ts';
import { applyFilters } from './filters.ts';
import { buildSearchIndex, search, type SearchEntry } from './search.ts';
import type { AppState } from './store.ts';
import { sortFeatures } from './table-sort.ts';

type Data = AppState['data'];
type Filters = AppState['filters'];

/** The layers as every view shows them: with the user's attribute filters applied. */
export function createFilteredData(): (s: AppState) => Readonly<Record<string, FeatureCollection>> {
  let lastData: Data | null = null;
  let lastFilters: Filters | null = null;
  let cache: Record<string, { src: FeatureCollection; filters: unknown; out: FeatureCollection }> = {};
  let result: Record<string, FeatureCollection> = {};
  return (s) => {
    if (s.data === lastData && s.filters === lastFilters) return result;
    const next: typeof cache = {};
    const out: Record<string, FeatureCollection> = {};
    for (const [id, fc] of Object.entries(s.data)) {
      const f = s.filters[id];
      const hit = cache[id];
      // Per layer too: changing one layer's filter keeps every other layer's collection.
      const filtered = hit && hit.src === fc && hit.filters === f ? hit.out : applyFilters(fc, f);
      next[id] = { src: fc, filters: f, out: filtered };
      out[id] = filtered;
    }
    cache = next;
    lastData = s.data;
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

export interface Selectors {
  /** Every layer with its filters applied. */
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
  /** Features and places whose name or id matches `query`; filters do not hide things from search. */
  search(s: AppState, query: string): SearchEntry[];
  /**
   * The features of each visible layer, after filtering, whose box meets `bounds` [w, s, e, n]
   * (all of them for null), counted by their style field's value (`null` for a layer drawn in
   * one class): a printed legend lists only what the printed map shows.
   */
  classesInView(s: AppState, bounds: Bbox | null): Readonly<Record<string, ReadonlyMap<string | null, number>>>;
}

export function createSelectors(): Selectors {
  const filtered = createFilteredData();
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
  const searchIndex = memo(
    (s) => [s.data, s.catalogue, s.basemapData.places],
    (s) => {
      const layers = (s.catalogue?.layers ?? []).filter((e) => s.data[e.id]).map((entry) => ({ entry, features: s.data[entry.id]!.features }));
      return buildSearchIndex(layers, s.basemapData.places?.features ?? []);
    },
  );
  // Boxes are kept per geometry object: a new extent then costs a comparison per feature.
  const boxes = new WeakMap<Geometry, Bbox | null>();
  const boxOf = (g: Geometry): Bbox | null => {
    let b = boxes.get(g);
    if (b === undefined) boxes.set(g, (b = geometryBbox(g)));
    return b;
  };
  const countInView = (s: AppState, bounds: Bbox | null): Record<string, Map<string | null, number>> => {
    const out: Record<string, Map<string | null, number>> = {};
    for (const entry of s.catalogue?.layers ?? []) {
      const fc = filtered(s)[entry.id];
      if (!fc || !(s.layers[entry.id]?.visible ?? entry.visible)) continue;
      const field = entry.styleField && entry.fields.find((f) => f.name === entry.styleField)?.values?.length ? entry.styleField : null;
      const counts = new Map<string | null, number>();
      for (const f of fc.features) {
        const b = f.geometry ? boxOf(f.geometry) : null;
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
    filtered,
    shownCounts,
    tableRows,
    programme,
    programmeLoaded,
    search: (s, query) => search(searchIndex(s), query),
    classesInView,
  };
}
