/**
 * A feature's status on a date, from the dates it carries. The catalogue's `timeline`
 * section says, per layer, which date fields move a field from value to value (a plot is
 * `in_progress` from its `started_on`, `finished` from its `completed_on`); the files hold
 * the values on the data's own date, and these functions give them on any other.
 *
 * On a date, an entry has reached the furthest of its steps (the last in its list) whose
 * date field holds an ISO date on or before it; the entry's field takes that step's value.
 * No step reached: the field takes `before` when the entry has one (a park is `existing`
 * before its upgrade starts); without it the feature is not in the programme yet, and is
 * left out. A planned step (one with `planned`) is a date in the plan: the actual view counts
 * it only when it has a `value` of its own to show (`due`); the plan view counts every step,
 * a planned one with its `planned` value. Pure: inputs are never changed.
 */
import type { Feature, FeatureCollection } from 'geojson';

export type Scalar = string | number | boolean;

interface TimelineStep {
  /** The date field (YYYY-MM-DD) from which the step holds. */
  on: string;
  /** What the entry's field shows from that date; none: the step only makes the feature present. */
  value?: Scalar;
  /** A planned date: the value the field takes in the plan. */
  planned?: Scalar;
}

export interface LayerTimeline {
  layer: string;
  /** The field the steps write; none: the steps only say from when a feature is present. */
  field?: string;
  /** The field's value before the first step; none: before it the feature is left out. */
  before?: Scalar;
  steps: TimelineStep[];
}

interface PlannedTarget {
  /** A programme metric's id. */
  metric: string;
  date: string;
  value: number;
}

export interface Timeline {
  /** First and last day of the programme: the range of the date control. */
  start: string;
  end: string;
  /** The date the files' values describe (the report's date). */
  dataDate: string;
  layers: LayerTimeline[];
  /** The plan's figures for later dates (the remaining plots by the end of August). */
  targets?: PlannedTarget[];
}

/** Which steps count: `actual` (what had happened, and what is due) or `plan`. */
export type TimelineView = 'actual' | 'plan';

const ISO = /^\d{4}-\d{2}-\d{2}/;

/** The date a property holds, as YYYY-MM-DD, or null. */
function dateOf(props: Readonly<Record<string, unknown>>, field: string): string | null {
  const v = Object.hasOwn(props, field) ? props[field] : undefined;
  return typeof v === 'string' && ISO.test(v) ? v.slice(0, 10) : null;
}

/**
 * One entry on one date: `present` false when the feature is not in the programme yet;
 * otherwise the value its field takes (undefined: left as it is).
 */
export function entryOn(props: Readonly<Record<string, unknown>>, entry: LayerTimeline, date: string, view: TimelineView = 'actual'): { present: boolean; value?: Scalar } {
  for (let i = entry.steps.length - 1; i >= 0; i--) {
    const step = entry.steps[i]!;
    const planned = step.planned !== undefined;
    if (planned && view === 'actual' && step.value === undefined) continue;
    const d = dateOf(props, step.on);
    if (d === null || d > date) continue;
    const value = planned && view === 'plan' ? step.planned : step.value;
    return entry.field === undefined || value === undefined ? { present: true } : { present: true, value };
  }
  if (entry.before === undefined) return { present: false };
  return entry.field === undefined ? { present: true } : { present: true, value: entry.before };
}

/**
 * The feature as it stood on `date` under every entry of its layer, or null when it was not
 * in the programme yet. The same object when nothing about it differs.
 */
export function featureOn(f: Feature, entries: readonly LayerTimeline[], date: string, view: TimelineView = 'actual'): Feature | null {
  const props = (f.properties ?? {}) as Record<string, unknown>;
  let changed: Record<string, unknown> | null = null;
  for (const entry of entries) {
    const r = entryOn(props, entry, date, view);
    if (!r.present) return null;
    if (entry.field === undefined || r.value === undefined) continue;
    if (Object.hasOwn(props, entry.field) && props[entry.field] === r.value) continue;
    changed ??= { ...props };
    changed[entry.field] = r.value;
  }
  return changed ? { ...f, properties: changed } : f;
}

/** A layer as it stood on `date`: features not yet in the programme left out, statuses as they were. */
export function layerOn(fc: FeatureCollection, entries: readonly LayerTimeline[], date: string, view: TimelineView = 'actual'): FeatureCollection {
  if (entries.length === 0) return fc;
  let same = true;
  const features: Feature[] = [];
  for (const f of fc.features) {
    const g = featureOn(f, entries, date, view);
    if (g !== f) same = false;
    if (g) features.push(g);
  }
  return same ? fc : { type: 'FeatureCollection', features };
}

/** The timeline's entries for one layer, in the catalogue's order. */
export function entriesFor(timeline: Timeline | undefined, layerId: string): LayerTimeline[] {
  return timeline?.layers.filter((l) => l.layer === layerId) ?? [];
}
