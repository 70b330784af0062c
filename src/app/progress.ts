/**
 * A programme figure over time for the dashboard's charts: the whole programme and each
 * district, month by month, following the user's filters. Loaded with the charts, not at
 * start (it brings the ellipsoidal measures of programme.ts).
 */
import type { Localized } from '../data/catalogue.ts';
import { evaluateMetric, type ProgrammeMetric } from '../analysis/programme.ts';
import { progressSeries, type ProgressSeries } from '../analysis/timeline/progress-series.ts';
import { entriesFor, layerOn } from '../analysis/timeline/status-on.ts';
import { applyFilters } from './filters.ts';
import type { AppState } from './store.ts';

export type { ProgressSeries } from '../analysis/timeline/progress-series.ts';

export interface ProgressView {
  metric: ProgrammeMetric;
  all: ProgressSeries;
  /** One series per district the layer's district field lists (none when it has no such field). */
  districts: { value: string; label: Localized; series: ProgressSeries }[];
  /** The figure on the day shown, whole and per district (by district value). */
  now: { all: number; districts: Readonly<Record<string, number>> };
}

/**
 * `progressView` and `progressNow` memoised per figure: its series are drawn again only when
 * its layer, its filters or the catalogue change; its value on the day shown as the day moves
 * (which is cheap).
 */
export function createProgress(): (s: AppState, metricId: string) => ProgressView | null {
  const series = new Map<string, { deps: readonly unknown[]; value: Omit<ProgressView, 'now'> | null }>();
  const views = new Map<string, { deps: readonly unknown[]; value: ProgressView | null }>();
  const same = (a: readonly unknown[], b: readonly unknown[]): boolean => a.every((x, i) => x === b[i]);
  return (s, metricId) => {
    const layer = s.catalogue?.programme?.find((m) => m.id === metricId)?.layer ?? '';
    const deps = [s.catalogue, s.data[layer], s.filters[layer]];
    let hit = series.get(metricId);
    if (!hit || !same(hit.deps, deps)) series.set(metricId, (hit = { deps, value: progressView(s, metricId) }));
    const base = hit.value;
    const viewDeps = [base, s.asOf];
    const v = views.get(metricId);
    if (v && same(v.deps, viewDeps)) return v.value;
    const value = base ? { ...base, now: progressNow(s, base) } : null;
    views.set(metricId, { deps: viewDeps, value });
    return value;
  };
}

/** The figure on the day shown (the data's own day for the latest), whole and per district. */
function progressNow(s: Pick<AppState, 'catalogue' | 'data' | 'filters' | 'asOf'>, view: Omit<ProgressView, 'now'>): ProgressView['now'] {
  const timeline = s.catalogue?.timeline;
  const source = s.data[view.metric.layer];
  if (!timeline || !source) return { all: Number.NaN, districts: {} };
  const day = s.asOf ?? timeline.dataDate;
  const on = applyFilters(layerOn(source, entriesFor(timeline, view.metric.layer), day), s.filters[view.metric.layer]);
  const field = s.catalogue?.analysis?.districtField ?? 'district';
  const districts: Record<string, number> = {};
  for (const d of view.districts) {
    districts[d.value] = evaluateMetric(view.metric, { type: 'FeatureCollection', features: on.features.filter((f) => f.properties?.[field] === d.value) }).value;
  }
  return { all: evaluateMetric(view.metric, on).value, districts };
}

/** The figure's series, or null when the catalogue has no timeline or no such metric. */
function progressView(s: Pick<AppState, 'catalogue' | 'data' | 'filters'>, metricId: string): Omit<ProgressView, 'now'> | null {
  const cat = s.catalogue;
  const timeline = cat?.timeline;
  const metric = cat?.programme?.find((m) => m.id === metricId);
  if (!cat || !timeline || !metric) return null;
  const layer = s.data[metric.layer];
  const filters = s.filters[metric.layer];
  const filter = filters?.length ? (fc: Parameters<typeof applyFilters>[0]) => applyFilters(fc, filters) : undefined;
  const field = cat.analysis?.districtField ?? 'district';
  const values = cat.layers.find((l) => l.id === metric.layer)?.fields.find((f) => f.name === field)?.values ?? [];
  return {
    metric,
    all: progressSeries(metric, layer, timeline, { filter }),
    districts: values.map((v) => ({ value: v.value, label: v.label, series: progressSeries(metric, layer, timeline, { filter, where: { field, value: v.value } }) })),
  };
}
