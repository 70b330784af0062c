/**
 * Values derived from the state, memoised on the identity of their inputs so views can
 * ask for them on every render without recomputing.
 */
import type { FeatureCollection } from 'geojson';
import { applyFilters } from './filters.ts';
import type { AppState } from './store.ts';

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
