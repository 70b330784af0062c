/**
 * Finding a feature or a place by name or id: an index built once from the loaded layers
 * and the basemap's places, and a ranked substring search over it. Plain data in and out,
 * so the search box only needs a `(query) => SearchEntry[]` function injected.
 */
import type { Feature, Geometry, Position } from 'geojson';
import type { LayerEntry, Localized } from '../data/catalogue.ts';

export interface SearchEntry {
  /** The catalogue layer, or null for a place from the basemap. */
  layerId: string | null;
  /** `properties.id`, as text. */
  id: string;
  name: string;
  nameEn: string;
  layerName: Localized;
  /** The bbox centre, where the map flies to. */
  center: [number, number];
  /** West, south, east, north. */
  bbox: [number, number, number, number];
}

/** What a place is called in a result, since places come from no catalogue layer. */
export const PLACE_LAYER_NAME: Localized = Object.freeze({ zh: '地名', en: 'Place' });

function geometryBbox(geometry: Geometry | null | undefined): [number, number, number, number] | null {
  if (!geometry) return null;
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (p: Position): void => {
    const [x, y] = p;
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) return;
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  };
  const walk = (g: Geometry): void => {
    switch (g.type) {
      case 'Point': visit(g.coordinates); break;
      case 'MultiPoint': case 'LineString': g.coordinates.forEach(visit); break;
      case 'MultiLineString': case 'Polygon': g.coordinates.forEach((r) => r.forEach(visit)); break;
      case 'MultiPolygon': g.coordinates.forEach((p) => p.forEach((r) => r.forEach(visit))); break;
      case 'GeometryCollection': g.geometries.forEach(walk); break;
    }
  };
  walk(geometry);
  return b[0] <= b[2] ? b : null;
}

/** `Array.isArray` that keeps a typed array's item type (the built-in narrows it to `any[]`). */
const isArray = (x: unknown): x is readonly unknown[] => Array.isArray(x);

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

function entryOf(feature: Feature, layerId: string | null, layerName: Localized): SearchEntry | null {
  const p = feature.properties ?? {};
  const id = text(p.id) || text(feature.id);
  const bbox = geometryBbox(feature.geometry);
  // Without an id the table cannot select it, and without coordinates the map cannot
  // show it: such a result would lead nowhere.
  if (!id || !bbox) return null;
  return {
    layerId,
    id,
    name: text(p.name),
    nameEn: text(p.name_en),
    layerName,
    center: [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2],
    bbox,
  };
}

/**
 * One entry per feature with an id and a geometry, layers in the given order, then the
 * places (named `placeLayerName`).
 */
export function buildSearchIndex(
  layers: readonly { entry: LayerEntry; features: readonly Feature[] }[],
  places: readonly Feature[],
  placeLayerName: Localized = PLACE_LAYER_NAME,
): SearchEntry[] {
  if (!isArray(layers)) throw new Error('layers must be an array');
  if (!isArray(places)) throw new Error('places must be an array');
  const out: SearchEntry[] = [];
  for (const { entry, features } of layers) {
    for (const f of features) {
      const e = entryOf(f, entry.id, entry.name);
      if (e) out.push(e);
    }
  }
  for (const f of places) {
    const e = entryOf(f, null, placeLayerName);
    if (e) out.push(e);
  }
  return out;
}

/**
 * Folds the forms a user may type: full-width Latin and digits (ＩＰ－００１), compatibility
 * ideographs and case. NFKC first, since lower-casing can change what NFKC would compose.
 */
const fold = (s: string): string => s.normalize('NFKC').toLowerCase();

const HAN = /^\p{Script=Han}$/u;

/**
 * Whether `query` is specific enough to search: one Latin letter or digit would match
 * most of the index, but one Chinese character is a word (沈, 河). Exported so the search
 * box can tell "keep typing" from "nothing found".
 */
export function isSearchable(query: string): boolean {
  if (typeof query !== 'string') return false;
  // Counted in code points, so one character outside the BMP is still one character.
  const chars = [...fold(query.trim())];
  return chars.length > 1 || (chars.length === 1 && HAN.test(chars[0]!));
}

/**
 * Entries whose name, English name or id contains `query` (trimmed, case-insensitive,
 * NFKC-folded), best first: an exact id, then a name starting with the query, then any
 * other match; shorter names first within each, then index order. A single character
 * finds nothing unless it is a Chinese character, which alone is a meaningful word.
 */
export function search(index: readonly SearchEntry[], query: string, limit = 20): SearchEntry[] {
  if (!isArray(index)) throw new Error('index must be an array');
  if (!Number.isInteger(limit) || limit < 0) throw new Error('limit must be a whole number, 0 or more');
  if (limit === 0 || !isSearchable(query)) return [];
  const q = fold(query.trim());
  const hits: { entry: SearchEntry; rank: number; length: number; order: number }[] = [];
  index.forEach((entry, order) => {
    const id = fold(entry.id);
    const names = [fold(entry.name), fold(entry.nameEn)];
    const prefix = names.find((n) => n.startsWith(q));
    const within = prefix ?? names.find((n) => n.includes(q)) ?? (id.includes(q) ? id : undefined);
    let rank: number;
    let matched: string;
    if (id === q) {
      rank = 0;
      matched = names[0] || id;
    } else if (prefix !== undefined) {
      rank = 1;
      matched = prefix;
    } else if (within !== undefined) {
      rank = 2;
      matched = within;
    } else return;
    hits.push({ entry, rank, length: [...matched].length, order });
  });
  hits.sort((a, b) => a.rank - b.rank || a.length - b.length || a.order - b.order);
  return hits.slice(0, limit).map((h) => h.entry);
}
