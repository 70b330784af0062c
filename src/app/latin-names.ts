/**
 * The Latin forms of Chinese road and place names, from the basemap's own `name` /
 * `name_en` pairs: where a feature's attribute says 沈家门纵九路, an English reader is shown
 * "Shenjiamen N–S Road 9". Names the basemap does not know stay as they are.
 */
import type { FeatureCollection } from 'geojson';

export function latinNames(...collections: readonly (FeatureCollection | undefined)[]): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  for (const fc of collections) {
    for (const f of fc?.features ?? []) {
      const zh: unknown = f.properties?.name;
      const en: unknown = f.properties?.name_en;
      if (typeof zh === 'string' && typeof en === 'string' && zh !== '' && en !== '' && !names.has(zh)) names.set(zh, en);
    }
  }
  return names;
}
