/**
 * The dates that define each programme feature's status over time (catalogue `timeline`):
 * when a plot's clean-up started (and, for the six still in progress on the report's date,
 * when it is due: by the end of August, as the report's second-half plan says), when a
 * waterlogging point was first inspected, put under control, taken into remediation or
 * fixed, when a park's upgrade started and finished (or is due by the year's end), when a
 * community became a sorting demonstration or got AI bins (and the fifteen and two the plan
 * adds by the year's end). Every date of an event that had happened is on or before the
 * report's date, so the layers as they stood on 2024-06-21 are the files as they are.
 *
 * Drawn from a random stream of their own, after everything else: the shapes, names and
 * figures of the layers stay exactly what they were without them.
 */
import type { FeatureCollection } from 'geojson';
import type { Rng } from './random.ts';

const DAY = 86_400_000;
const t = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const addDays = (d: string, n: number): string => iso(t(d) + n * DAY);
const min = (a: string, b: string): string => (a < b ? a : b);
const max = (a: string, b: string): string => (a > b ? a : b);

/** A day from `from` to `to`, both included (`from` when the range is empty). */
function between(rng: Rng, from: string, to: string): string {
  const days = Math.max(0, Math.round((t(to) - t(from)) / DAY));
  return addDays(from, Math.floor(rng.next() * (days + 1)));
}

/** `n` planned days from `from` to `to`, in order, the last one `to` itself (the plan's deadline). */
function plannedDays(rng: Rng, n: number, from: string, to: string): string[] {
  const days = Array.from({ length: n }, () => between(rng, from, to)).sort();
  if (n > 0) days[n - 1] = to;
  return days;
}

type Props = Record<string, unknown>;
const propsOf = (fc: FeatureCollection | undefined): Props[] => (fc?.features ?? []).map((f) => (f.properties ??= {}));

/** Adds the timeline's date fields to the generated layers, in place. */
export function addTimelineDates(layers: Record<string, FeatureCollection>, rng: Rng): void {
  // Idle plots: started before they were finished; the rest due by the end of August.
  const plots = propsOf(layers['idle-plots']);
  for (const p of plots) {
    const done = p.completed_on as string | null;
    p.started_on = done ? between(rng, max('2024-01-02', addDays(done, -100)), addDays(done, -14)) : between(rng, '2024-03-11', '2024-06-07');
    p.due_on = null;
  }
  const open = plots.filter((p) => p.status !== 'finished').sort((a, b) => String(a.started_on).localeCompare(String(b.started_on)));
  plannedDays(rng, open.length, '2024-07-08', '2024-08-31').forEach((d, i) => (open[i]!.due_on = d));

  // Waterlogging: first inspected before the last inspection; then controlled, remediated or fixed.
  for (const p of propsOf(layers.waterlogging)) {
    const last = p.last_inspected as string;
    const ponding = p.kind === 'ponding';
    p.inspected_on = between(rng, '2024-01-08', ponding ? min(last, '2024-04-15') : last);
    const after = (gap: number, until: string): string => between(rng, min(addDays(p.inspected_on as string, gap), until), until);
    p.managed_on = p.status === 'managed' ? after(2, '2024-06-20') : null;
    p.remediation_started_on = p.status === 'remediating' ? after(5, '2024-05-15') : null;
    p.fixed_on = p.status === 'hazard_fixed' ? after(3, '2024-06-20') : null;
  }

  // Parks: three upgrades finished in the first half, three due by the year's end.
  const parks = propsOf(layers.parks);
  for (const p of parks) {
    p.upgrade_started_on = null;
    p.upgrade_due_on = null;
    p.upgraded_on = null;
    if (p.status === 'upgraded') {
      p.upgrade_started_on = between(rng, '2024-01-08', '2024-03-15');
      p.upgraded_on = between(rng, addDays(p.upgrade_started_on as string, 45), '2024-06-14');
    } else if (p.status === 'upgrading') {
      p.upgrade_started_on = between(rng, '2024-02-19', '2024-05-31');
    }
  }
  const upgrading = parks.filter((p) => p.status === 'upgrading').sort((a, b) => String(a.upgrade_started_on).localeCompare(String(b.upgrade_started_on)));
  plannedDays(rng, upgrading.length, '2024-09-16', '2024-12-31').forEach((d, i) => (upgrading[i]!.upgrade_due_on = d));

  // Communities: demonstrations and AI bins so far, and the second half's plan (15 and 2 more).
  const communities = propsOf(layers.communities);
  const plan = (flag: 'sorting_demo' | 'ai_bins', on: string, due: string, from: string, planned: number, dueFrom: string): void => {
    for (const p of communities) {
      p[on] = p[flag] === true ? between(rng, from, '2024-06-14') : null;
      p[due] = null;
    }
    const next = rng.shuffle(communities.filter((p) => p[flag] !== true)).slice(0, planned);
    const days = plannedDays(rng, next.length, dueFrom, '2024-12-31');
    next.sort((a, b) => String(a.id).localeCompare(String(b.id))).forEach((p, i) => (p[due] = days[i]));
  };
  plan('sorting_demo', 'sorting_demo_on', 'sorting_demo_due', '2024-01-15', 15, '2024-07-15');
  plan('ai_bins', 'ai_bins_on', 'ai_bins_due', '2024-01-22', 2, '2024-09-02');
}
