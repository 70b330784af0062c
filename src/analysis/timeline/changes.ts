/**
 * What changed between two dates: per value of a layer's status field, how many features
 * came to hold it (newly in the programme, or moved on to it). For the public view's "what
 * changed this month". Pure.
 */
import type { FeatureCollection } from 'geojson';
import { featureOn, type LayerTimeline } from './status-on.ts';

/**
 * Counts, by the value of `field` on `to` (the empty string for a layer with no such field),
 * the features that did not hold that value on `from`, in the order the values first occur.
 */
export function changesBetween(fc: FeatureCollection, entries: readonly LayerTimeline[], from: string, to: string, field: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (entries.length === 0) return out;
  const valueOf = (p: Record<string, unknown> | null | undefined): string => (field && p && Object.hasOwn(p, field) ? String(p[field]) : '');
  for (const f of fc.features) {
    const after = featureOn(f, entries, to);
    if (!after) continue;
    const before = featureOn(f, entries, from);
    const v = valueOf(after.properties);
    if (before && valueOf(before.properties) === v) continue;
    out.set(v, (out.get(v) ?? 0) + 1);
  }
  return out;
}
