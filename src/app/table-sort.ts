/**
 * Orders a layer's features by one attribute for the attribute table. Pure: the caller's
 * array is never touched, so the store's feature collections stay as loaded.
 */
import type { Feature } from 'geojson';
import type { FieldDef } from '../data/catalogue.ts';
import { valueLabel } from '../data/catalogue.ts';
import { ownValue } from '../geo/own-value.ts';
import { valueText } from '../geo/value-text.ts';

export type SortDir = 'asc' | 'desc';

/**
 * A comparable form of one value: numbers (also dates as epoch ms and booleans as 0/1)
 * before text, so a column holding a stray string among numbers still orders sensibly.
 * `null` marks a missing value.
 */
type SortKey = { kind: 0; n: number } | { kind: 1; s: string } | null;

/** `Array.isArray` that keeps a typed array's item type (the built-in narrows it to `any[]`). */
const isArray = (x: unknown): x is readonly unknown[] => Array.isArray(x);

function sortKey(value: unknown, def: FieldDef | undefined, lang: 'zh' | 'en'): SortKey {
  // An empty string shows as "—" in the table, like null, so it sorts with the missing
  // values rather than at the top of an ascending column.
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return { kind: 0, n: value ? 1 : 0 };
  // Coded values read as their labels, so the order matches what the reader sees; a
  // value the list does not name sorts as what it is.
  if (def?.values?.some((v) => v.value === value)) return { kind: 1, s: valueLabel(def, value, lang) };
  if (typeof value === 'number') return Number.isNaN(value) ? null : { kind: 0, n: value };
  if (def?.type === 'date' && typeof value === 'string') {
    const ms = Date.parse(value);
    // An unparseable date keeps its text, after every real date.
    return Number.isNaN(ms) ? { kind: 1, s: value } : { kind: 0, n: ms };
  }
  return { kind: 1, s: valueText(value) };
}

function compareKeys(a: Exclude<SortKey, null>, b: Exclude<SortKey, null>, collator: Intl.Collator): number {
  if (a.kind === 0) return b.kind === 0 ? (a.n < b.n ? -1 : a.n > b.n ? 1 : 0) : -1;
  return b.kind === 1 ? collator.compare(a.s, b.s) : 1;
}

/**
 * Features ordered by `field`: numbers numerically, ISO dates chronologically, booleans
 * false before true, text with the language's collation (pinyin order for Chinese, "2"
 * before "10"), and fields with a value list by their labels in `lang`. Missing values
 * (null, undefined, empty string, NaN) come last in both directions; equal values keep
 * their input order.
 */
export function sortFeatures(
  features: readonly Feature[],
  field: string,
  dir: SortDir,
  def?: FieldDef,
  lang: 'zh' | 'en' = 'zh',
): Feature[] {
  if (!isArray(features)) throw new Error('features must be an array');
  if (typeof field !== 'string' || field.length === 0) throw new Error('field is required');
  if (dir !== 'asc' && dir !== 'desc') throw new Error(`dir must be "asc" or "desc", not ${String(dir)}`);
  const collator = new Intl.Collator(lang === 'zh' ? 'zh-CN' : 'en', { numeric: true });
  const sign = dir === 'asc' ? 1 : -1;
  // Keys are computed once per feature, not once per comparison: collating labels is
  // the expensive part with a few thousand rows.
  const keyed = features.map((feature, index) => ({ feature, index, key: sortKey(ownValue(feature.properties, field), def, lang) }));
  keyed.sort((a, b) => {
    const ka = a.key;
    const kb = b.key;
    if (ka === null || kb === null) {
      if (ka !== kb) return ka === null ? 1 : -1;
      return a.index - b.index;
    }
    const c = compareKeys(ka, kb, collator);
    // The index tie-break makes the order stable in both directions: a descending sort
    // is not the reverse of an ascending one for equal values.
    return c !== 0 ? c * sign : a.index - b.index;
  });
  return keyed.map((k) => k.feature);
}
