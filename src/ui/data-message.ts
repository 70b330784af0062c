/**
 * A message from the data code (a code with parameters: `DataMessage`) in the UI's
 * language, from the `data.<code>` entries of messages/. File names are set off from the
 * sentence (bidi isolation), coordinate systems get their name, and nested messages (a
 * feature's problem inside "feature 12: …") are rendered the same way.
 */
import { EXPORT_CRS_CHOICES, type DataMessage } from '../app/registry.ts';
import type { Lang } from '../app/store.ts';
import { isMessageKey, t } from './i18n.ts';

/**
 * A name set off from the sentence around it (FSI … PDI), so right-to-left or override
 * characters in it (`\u202e`, used to disguise extensions) cannot reorder the words after it.
 */
export const isolate = (s: string): string => `\u2068${s}\u2069`;

const NAMES = new Set(['file', 'member', 'table']);
const CRS = new Set(['crs', 'declared', 'fit']);

export function describeMessage(lang: Lang, m: DataMessage): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(m.params)) {
    if (typeof v === 'object') params[k] = describeMessage(lang, v);
    else if (NAMES.has(k)) params[k] = isolate(String(v));
    else if (CRS.has(k)) {
      const c = EXPORT_CRS_CHOICES.find((x) => x.code === v);
      params[k] = c ? `${c.name[lang]}${lang === 'zh' ? `（${c.code}）` : ` (${c.code})`}` : v;
    } else params[k] = v;
  }
  const key = `data.${m.code}`;
  // A code this page does not know (a newer worker, a stale stored job): its parameters at least.
  return isMessageKey(key) ? t(lang, key, params) : [m.code, ...Object.values(params)].join(' ');
}
