/**
 * What changed in the month of the day shown, up to that day, for the public view: per
 * programme layer, how many features came to hold each value of its style field (finished,
 * in progress, newly painted). Loaded with the public view's first look at it.
 */
import { previousMonthEnd } from '../analysis/timeline/calendar.ts';
import { changesBetween } from '../analysis/timeline/changes.ts';
import { entriesFor } from '../analysis/timeline/status-on.ts';
import type { AppState } from './store.ts';

export interface MonthChanges {
  /** The last day before the month, and the day shown. */
  from: string;
  to: string;
  layers: readonly { layerId: string; counts: readonly [value: string, count: number][] }[];
}

/** `monthChanges` memoised on the data, the day and the catalogue. */
export function createMonthChanges(): (s: AppState) => MonthChanges | null {
  let last: readonly unknown[] = [];
  let value: MonthChanges | null = null;
  return (s) => {
    const deps = [s.data, s.asOf, s.catalogue];
    if (deps.every((x, i) => x === last[i])) return value;
    last = deps;
    return (value = monthChanges(s));
  };
}

/** Null without a timeline. */
function monthChanges(s: Pick<AppState, 'catalogue' | 'data' | 'asOf'>): MonthChanges | null {
  const cat = s.catalogue;
  const timeline = cat?.timeline;
  if (!cat || !timeline) return null;
  const to = s.asOf ?? timeline.dataDate;
  const from = previousMonthEnd(to);
  const layers = cat.layers
    .filter((l) => l.group === 'programme' && s.data[l.id])
    .map((l) => ({ layerId: l.id, counts: [...changesBetween(s.data[l.id]!, entriesFor(timeline, l.id), from, to, l.styleField)] }))
    .filter((l) => l.counts.length > 0);
  return { from, to, layers };
}
