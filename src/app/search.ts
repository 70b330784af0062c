/**
 * What a search finds and how the search box asks for it. The index itself (tokens, pinyin,
 * fuzzy matching, ranking) is in `search-index.ts`, loaded on the first query: this file
 * is all the start of the page carries.
 */
import type { Localized } from '../data/catalogue.ts';

/** A feature of a layer, a place of the basemap (a town), or a district. */
type SearchKind = 'feature' | 'place' | 'district';

export interface SearchEntry {
  kind: SearchKind;
  /** The catalogue layer of a feature; null for a place or a district. */
  layerId: string | null;
  /** A feature's `properties.id`, a place's id, or a district's value in the catalogue. */
  id: string;
  name: string;
  nameEn: string;
  /** What the result is: the layer's name, "place" or "district". */
  layerName: Localized;
  /** The bbox centre, where the map flies to. */
  center: [number, number];
  /** West, south, east, north; a district is zoomed to it. */
  bbox: [number, number, number, number];
}

/**
 * What a query gets: results once the index is built, or a promise that settles when it is
 * (the first query starts building it). `settled` is also set while a ready index catches
 * up with data that changed: the results come from the index as it was, ask again when it
 * settles. It rejects when the search code cannot be loaded.
 */
export type SearchAnswer =
  | { ready: false; settled: Promise<void> }
  | { ready: true; results: readonly SearchEntry[]; settled: Promise<void> | null };

/** What a place is called in a result, since places come from no catalogue layer. */
export const PLACE_LAYER_NAME: Localized = Object.freeze({ zh: '地名', en: 'Place' });

/**
 * Folds the forms a user may type: full-width Latin and digits (ＩＰ－００１), compatibility
 * ideographs and case. NFKC first, since lower-casing can change what NFKC would compose.
 */
export const fold = (s: string): string => s.normalize('NFKC').toLowerCase();

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
