/**
 * A programme figure month by month: what it was at each date up to the data's date, what
 * the plan makes it afterwards, and the target it is measured against (the report's figure,
 * then the plan's). The figure is the dashboard's own (`evaluateMetric`) on the layer as it
 * stood on each date (`layerOn`). Pure.
 */
import type { Feature, FeatureCollection } from 'geojson';
import { evaluateMetric, type ProgrammeMetric } from '../programme.ts';
import { chartDates } from './calendar.ts';
import { entriesFor, layerOn, type Timeline } from './status-on.ts';

export interface ProgressSeries {
  metric: string;
  dates: string[];
  /** The figure on each date up to the data's date; null after it. */
  actual: (number | null)[];
  /** The plan's figure on each date from the data's date on; all null when the layer has no planned dates. */
  plan: (number | null)[];
  /** The figure aimed at: the report's until the data's date, then the plan's where it has one; null without either. */
  target: (number | null)[];
}

export interface SeriesOptions {
  /** Only the features whose `field` holds `value` (a district's). */
  where?: { field: string; value: unknown };
  /** The dates; by default the start, each month's end, the data's date and the end. */
  dates?: readonly string[];
  /** Applied to the layer as it stood on each date before the figure is taken (the user's filters). */
  filter?: (fc: FeatureCollection) => FeatureCollection;
}

export function progressSeries(metric: ProgrammeMetric, layer: FeatureCollection | undefined, timeline: Timeline, options: SeriesOptions = {}): ProgressSeries {
  const dates = [...(options.dates ?? chartDates(timeline.start, timeline.end, timeline.dataDate))];
  const entries = entriesFor(timeline, metric.layer);
  const where = options.where;
  const keep = (f: Feature): boolean => !where || f.properties?.[where.field] === where.value;
  const source: FeatureCollection | undefined = layer && where ? { type: 'FeatureCollection', features: layer.features.filter(keep) } : layer;
  const value = (date: string, view: 'actual' | 'plan'): number => {
    if (!source) return Number.NaN;
    const on = layerOn(source, entries, date, view);
    return evaluateMetric(metric, options.filter ? options.filter(on) : on).value;
  };
  const planned = entries.some((e) => e.steps.some((s) => s.planned !== undefined));
  const targets = (timeline.targets ?? []).filter((t) => t.metric === metric.id).sort((a, b) => a.date.localeCompare(b.date));
  const reported = where ? undefined : metric.target;
  const targetOn = (date: string): number | null => {
    if (where) return null;
    if (date > timeline.dataDate) {
      const next = targets.find((t) => t.date > timeline.dataDate);
      if (next) return next.value;
    }
    return reported ?? null;
  };
  return {
    metric: metric.id,
    dates,
    actual: dates.map((d) => (d <= timeline.dataDate ? value(d, 'actual') : null)),
    plan: dates.map((d) => (planned && d >= timeline.dataDate ? value(d, 'plan') : null)),
    target: dates.map(targetOn),
  };
}
