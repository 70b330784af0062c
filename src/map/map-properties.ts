/**
 * The copy of a layer's features handed to MapLibre. MapLibre moves GeoJSON to its worker
 * with its own serializer, which reads `constructor`, `$name` and `hasOwnProperty` on each
 * object it sends: a feature whose properties own one of those keys (any imported file can
 * have them) makes `setData` throw and the whole layer disappears. `__proto__` is set, not
 * defined, on the way and is lost or changes the copy's prototype.
 *
 * So those keys are left out of the map's copy, and nested objects and arrays are sent as
 * JSON text, which is what MapLibre's tiles hold for them anyway. The map only styles and
 * hit-tests with these properties; the popup and table read the store's own features, which
 * keep every key as imported.
 */
import type { Feature, FeatureCollection } from 'geojson';

/** Keys MapLibre's worker transfer cannot carry as plain properties. */
export const UNTRANSFERABLE_KEYS: ReadonlySet<string> = new Set(['constructor', '$name', 'hasOwnProperty', '__proto__']);

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
    const v = props[k];
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
