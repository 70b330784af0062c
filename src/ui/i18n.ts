/**
 * Every string the UI shows, in Chinese and English (the tables are in messages/). Components
 * take `lang` and call `t`; none holds a literal of its own. Layer and field names come from
 * the catalogue instead.
 */
import type { Lang } from '../app/store.ts';
import type { zh } from './messages/zh.ts';

export type MessageKey = keyof typeof zh;

type Messages = Readonly<Record<MessageKey, string>>;

/**
 * The tables loaded so far. Each language is a chunk of its own, fetched with `loadMessages`
 * before anything is shown in it: the start carries no strings, and only one language's.
 */
const loaded: Partial<Record<Lang, Messages>> = {};
const loading: Partial<Record<Lang, Promise<void>>> = {};

/** Fetches a language's strings (once); `t` answers in it from then on. */
export function loadMessages(lang: Lang): Promise<void> {
  return (loading[lang] ??= (lang === 'zh' ? import('./messages/zh.ts').then((m) => m.zh) : import('./messages/en.ts').then((m) => m.en)).then(
    (table: Messages) => {
      loaded[lang] = table;
    },
    (err: unknown) => {
      // A failed download (offline, a new deployment) is tried again next time.
      delete loading[lang];
      throw err;
    },
  ));
}

/** True once `t` can answer in `lang`. */
export function messagesLoaded(lang: Lang): boolean {
  return loaded[lang] !== undefined;
}

/** Whether `key` is one of the UI's messages (for keys made at run time, such as a data message's code). */
export function isMessageKey(key: string): key is MessageKey {
  const table = loaded.zh ?? loaded.en;
  return table !== undefined && Object.hasOwn(table, key);
}

export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  // Another loaded language's string beats none while this one's is on its way.
  const table = loaded[lang] ?? loaded.zh ?? loaded.en;
  const text = table?.[key] ?? '';
  return text.replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}

export function formatNumber(lang: Lang, n: number, maxFractionDigits = 2): string {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: maxFractionDigits }).format(n);
}

/** An area in m² for people: m² below a hectare, hectares above (万㎡ in Chinese for large ones). */
/** Bytes as KB / MB (powers of 1024, as browsers' network panels show them). */
export function formatBytes(lang: Lang, n: number): string {
  if (n < 1024) return `${formatNumber(lang, n, 0)} B`;
  if (n < 1024 ** 2) return `${formatNumber(lang, n / 1024, 0)} KB`;
  return `${formatNumber(lang, n / 1024 ** 2, 1)} MB`;
}

export function formatArea(lang: Lang, m2: number): string {
  if (!Number.isFinite(m2)) return t(lang, 'value.none');
  if (Math.abs(m2) < 10_000) return `${formatNumber(lang, m2, 0)} m²`;
  return `${formatNumber(lang, m2 / 10_000, 2)} ${t(lang, 'unit.ha')}`;
}

export function formatLength(lang: Lang, m: number): string {
  if (!Number.isFinite(m)) return t(lang, 'value.none');
  if (Math.abs(m) < 1_000) return `${formatNumber(lang, m, 1)} m`;
  return `${formatNumber(lang, m / 1_000, 3)} km`;
}

export function formatPercent(lang: Lang, share: number, digits = 1): string {
  if (!Number.isFinite(share)) return t(lang, 'value.none');
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(share);
}

/** An ISO date (YYYY-MM-DD) as people write it: 2024年3月15日, 15 Mar 2024. Anything else is shown as it is. */
export function formatDate(lang: Lang, iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/** Square metres the way Chinese reports write large ones (6.44万㎡); plain m² in English. */
export function formatWanM2(lang: Lang, m2: number): string {
  if (!Number.isFinite(m2)) return t(lang, 'value.none');
  if (lang === 'zh' && Math.abs(m2) >= 10_000) return `${formatNumber(lang, m2 / 10_000, 2)}万㎡`;
  return `${formatNumber(lang, m2, 0)} m²`;
}

/** A month as people name it: 2024年3月, March 2024. */
export function formatMonth(lang: Lang, iso: string): string {
  const d = new Date(`${iso.slice(0, 7)}-01T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(d);
}
