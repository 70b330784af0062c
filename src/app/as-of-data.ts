/**
 * The layers as of the day the timeline shows, for every view (selectors.ts): loaded with a
 * catalogue that has a timeline (layer-sources.ts waits for it before handing the catalogue
 * to the store), not with the page.
 */
import type { FeatureCollection } from 'geojson';
import { entriesFor, layerOn } from '../analysis/timeline/status-on.ts';
import type { AppState } from './store.ts';

type Data = AppState['data'];

/**
 * The layers as they stood on the state's `asOf` day, by the catalogue's timeline: features
 * not yet in the programme left out, the status fields as they were then (analysis/timeline).
 * The data itself when no day is chosen. A layer whose features and statuses are the same on
 * the new day as on the last keeps its collection, so the map, the worker and the memoised
 * figures see no change.
 */
export function createAsOfData(): (s: AppState) => Data {
  let last: { data: Data; asOf: string | null; timeline: unknown } | null = null;
  let cache: Record<string, { src: FeatureCollection; timeline: unknown; sig: string; out: FeatureCollection }> = {};
  let result: Data = {};
  return (s) => {
    const timeline = s.catalogue?.timeline;
    if (last && s.data === last.data && s.asOf === last.asOf && timeline === last.timeline) return result;
    last = { data: s.data, asOf: s.asOf, timeline };
    if (s.asOf === null || !timeline) {
      cache = {};
      return (result = s.data);
    }
    const next: typeof cache = {};
    const out: Record<string, FeatureCollection> = {};
    for (const [id, fc] of Object.entries(s.data)) {
      const entries = entriesFor(timeline, id);
      const on = layerOn(fc, entries, s.asOf);
      // Which features are there and what they say, to know a day that changes nothing.
      const fields = entries.map((e) => e.field).filter((f) => f !== undefined);
      const sig = on === fc ? '' : on.features.map((f) => [f.properties?.id as unknown, ...fields.map((k): unknown => f.properties?.[k])].map(String).join('\u0001')).join('\u0002');
      const hit = cache[id];
      const keep = hit && hit.src === fc && hit.timeline === timeline && hit.sig === sig;
      next[id] = keep ? hit : { src: fc, timeline, sig, out: on };
      out[id] = next[id].out;
    }
    cache = next;
    return (result = out);
  };
}
