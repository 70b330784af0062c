/**
 * The copy of a layer's features handed to MapLibre, which cannot take every key an
 * imported file may hold (MapLibre GL JS 6.17):
 * - its worker transfer reads `constructor`, `$name` and `hasOwnProperty` on each object it
 *   sends, so a feature owning one of them makes `setData` throw and the layer vanishes;
 * - its tile writer looks keys up in a plain `{}` cache, so a key named like any
 *   `Object.prototype` member (`toString`, `valueOf`, …) finds a function there, is written
 *   with a wrong index, and the tile's properties come out shuffled (a click then reads
 *   another key's value as the feature's id);
 * - `__proto__` is set, not defined, on the way and is lost.
 *
 * So those keys are left out of the map's copy, and nested objects and arrays are sent as
 * JSON text, which is what the tiles hold for them anyway. The map only styles and
 * hit-tests with these properties; the popup and table read the store's own features, which
 * keep every key as imported.
 */
import type { Feature, FeatureCollection } from 'geojson';

/** Keys MapLibre cannot carry as plain properties. */
export const UNTRANSFERABLE_KEYS: ReadonlySet<string> = new Set(['$name', ...Object.getOwnPropertyNames(Object.prototype)]);

const features = new WeakMap<Feature, Feature>();
const collections = new WeakMap<FeatureCollection, FeatureCollection>();

function needsCopy(props: Readonly<Record<string, unknown>>): boolean {
  for (const k of Object.keys(props)) {
    if (UNTRANSFERABLE_KEYS.has(k)) return true;
    const v = props[k];
    if (typeof v === 'object' && v !== null) return true;
  }
  return false;
}

/** `f` itself when MapLibre can take it as it is, else a copy it can; `f` is not changed. */
export function mapFeature(f: Feature): Feature {
  const props = f.properties;
  if (!props || typeof props !== 'object' || !needsCopy(props)) return f;
  const cached = features.get(f);
  if (cached) return cached;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(props)) {
    if (UNTRANSFERABLE_KEYS.has(k)) continue;
    const v: unknown = props[k];
    out[k] = typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
  }
  const copy: Feature = { ...f, properties: out };
  features.set(f, copy);
  return copy;
}

/**
 * `fc` itself when no feature needs changing, else a collection of `mapFeature` copies.
 * Both levels are remembered, so filtering the same layer again costs a lookup.
 */
export function mapData(fc: FeatureCollection): FeatureCollection {
  const cached = collections.get(fc);
  if (cached) return cached;
  let changed = false;
  const list = fc.features.map((f) => {
    const m = mapFeature(f);
    if (m !== f) changed = true;
    return m;
  });
  const out = changed ? { ...fc, features: list } : fc;
  collections.set(fc, out);
  return out;
}
