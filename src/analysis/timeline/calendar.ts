/**
 * Days as the timeline counts them: ISO dates (YYYY-MM-DD) in UTC, so a date means the same
 * day whatever the browser's time zone. Pure.
 */
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function ms(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new Error(`not a date (YYYY-MM-DD): ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

const iso = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** Whether `s` is a real calendar day written YYYY-MM-DD (no 2024-02-30), between the years 1900 and 2199. */
export function isIsoDate(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  return year >= 1900 && year < 2200 && iso(ms(s)) === s;
}

export function addDays(date: string, days: number): string {
  return iso(ms(date) + days * DAY_MS);
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((ms(b) - ms(a)) / DAY_MS);
}

/** The last day of the month `date` falls in. */
export function monthEnd(date: string): string {
  const d = new Date(ms(date));
  return iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
}

/** The last day of the month before the one `date` falls in. */
export function previousMonthEnd(date: string): string {
  return addDays(`${date.slice(0, 8)}01`, -1);
}

/**
 * Where playing the timeline goes next, a month at a time: the end of this month, or of the
 * next when `date` is a month's last day; never past `end`; null once `end` is reached.
 */
export function nextMonthEnd(date: string, end: string): string | null {
  if (date >= end) return null;
  const here = monthEnd(date);
  const next = here > date ? here : monthEnd(addDays(date, 1));
  return next < end ? next : end;
}

/** The dates a progress chart is drawn at: the start, each month's end, the data's date, and the end. */
export function chartDates(start: string, end: string, dataDate: string): string[] {
  const out = new Set<string>([start]);
  for (let d: string | null = start; d !== null; d = nextMonthEnd(d, end)) out.add(d);
  if (dataDate > start && dataDate < end) out.add(dataDate);
  return [...out].sort();
}
