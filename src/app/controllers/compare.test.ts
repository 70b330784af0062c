import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../data/catalogue.ts';
import type { Scenario } from '../../analysis/planning/types.ts';
import { Store, type PlanningView } from '../store.ts';
import { CompareController, compareDates, compareScenarios, type CompareView } from './compare.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../../data/catalogue.json'), 'utf8')));

/** A view that records what it is told; `open` settles when the test says. */
function fakeOpen() {
  const views: { other: Store; shown: string[]; disposed: boolean }[] = [];
  const pending: (() => void)[] = [];
  const open = (other: Store): Promise<CompareView> =>
    new Promise((resolve) => {
      const rec = { other, shown: [] as string[], disposed: false };
      views.push(rec);
      pending.push(() => resolve({ show: (side) => rec.shown.push(side), dispose: () => (rec.disposed = true) }));
    });
  const settle = async () => {
    for (const p of pending.splice(0)) p();
    await Promise.resolve();
    await Promise.resolve();
  };
  return { views, open, settle };
}

const summary = { total: { area: 1, covered: 0, share: 0 }, byGroup: {}, byZone: {} };
const scenario = (id: string): Scenario => ({ id, name: id, kind: 'ebike', added: [], closed: [], created: '', updated: '' });
/** A comparison done of two sides (null: today). */
const compared = (left: string | null, right: string | null): PlanningView['compare'] => {
  const side = (id: string | null) => ({ id, summary, response: { scenarioId: id ?? 'today', updated: '', kind: 'ebike' as const, before: summary, after: summary, zones: [], crossed: { up80: [], up90: [], down80: [], down90: [] }, newlyCovered: [], noLongerCovered: [], radii: {}, reach: { type: 'FeatureCollection' as const, features: [] }, ms: 1 } });
  return { status: 'done', error: null, response: { left: side(left), right: side(right) } };
};

describe('CompareController', () => {
  it('keeps a second state that follows the app’s but for the other date, and drops it when the comparison ends', async () => {
    const store = new Store();
    store.setCatalogue(catalogue);
    store.setAsOf('2024-01-31');
    const { views, open, settle } = fakeOpen();
    const ctl = new CompareController(store, { other: compareDates, open });
    expect(views).toHaveLength(0);
    store.setCompare({ asOf: null, side: 'after' });
    await settle();
    expect(views).toHaveLength(1);
    const other = ctl.other!;
    expect(other.state).toMatchObject({ asOf: null, compare: null, lang: 'zh' });
    expect(views[0]!.shown).toEqual(['after']);
    // The app's changes reach the other side, less the date it differs by and the view.
    store.setLang('en');
    store.setAsOf('2024-03-31');
    store.setView({ center: [122.1, 30.1], zoom: 13 });
    expect(other.state).toMatchObject({ asOf: null, lang: 'en' });
    expect(other.state.view).not.toEqual(store.state.view);
    store.setCompare({ asOf: '2024-05-31', side: 'before' });
    expect(other.state.asOf).toBe('2024-05-31');
    expect(views[0]!.shown.at(-1)).toBe('before');
    // Drawing is the app's map's: the other side never has a tool on.
    store.setTool('measure-line');
    expect(other.state.tool).toBe('none');
    store.setCompare(null);
    expect(views[0]!.disposed).toBe(true);
    expect(ctl.other).toBeNull();
    ctl.dispose();
  });

  it('disposes a view that arrives after the comparison ended, and needs a timeline', async () => {
    const store = new Store();
    const { views, open, settle } = fakeOpen();
    const ctl = new CompareController(store, { other: compareDates, open });
    store.setCompare({ asOf: null, side: 'after' });
    expect(views).toHaveLength(0);
    store.setCatalogue(catalogue);
    expect(views).toHaveLength(1);
    store.setCompare(null);
    await settle();
    expect(views[0]!.disposed).toBe(true);
    ctl.dispose();
  });

  it('compares two planning scenarios: the other side draws the right one, only while the planning tab shows them', async () => {
    const store = new Store();
    store.setCatalogue(catalogue);
    store.setTab('planning');
    const { views, open, settle } = fakeOpen();
    const ctl = new CompareController(store, { other: (s) => compareScenarios(s) ?? compareDates(s), open });
    store.setScenarios([scenario('a')]);
    // Nothing to swipe between until the comparison is done.
    store.setPlanning({ swipe: { side: 'after', ours: 'left' } });
    await settle();
    expect(views).toHaveLength(0);
    store.setPlanning({ compare: compared(null, 'a') });
    await settle();
    expect(views).toHaveLength(1);
    const other = ctl.other!;
    expect(other.state.planning.swipe).toEqual({ side: 'after', ours: 'right' });
    expect(store.state.planning.swipe).toEqual({ side: 'after', ours: 'left' });
    expect(views[0]!.shown).toEqual(['after']);
    // The rest of planning follows the app's (a comparison run again, say).
    store.setPlanning({ showGain: false, swipe: { side: 'before', ours: 'left' } });
    expect(other.state.planning).toMatchObject({ showGain: false, swipe: { side: 'before', ours: 'right' } });
    expect(views[0]!.shown.at(-1)).toBe('before');
    // Another tab: one map again; back on planning, the swipe is back.
    store.setTab('layers');
    expect(views[0]!.disposed).toBe(true);
    store.setTab('planning');
    await settle();
    expect(views).toHaveLength(2);
    // Placing a site: the map shows the scenario being edited; done, the swipe is back.
    store.setTool('place-site');
    expect(views[1]!.disposed).toBe(true);
    store.setTool('none');
    await settle();
    expect(views).toHaveLength(3);
    // A compared scenario deleted: one map.
    store.setScenarios([]);
    expect(views[2]!.disposed).toBe(true);
    store.setScenarios([scenario('a')]);
    await settle();
    expect(views).toHaveLength(4);
    // Two days compared take the place of two scenarios, in the store itself.
    store.setCompare({ asOf: null, side: 'after' });
    expect(store.state.planning.swipe).toBeNull();
    store.setPlanning({ swipe: { side: 'before', ours: 'left' } });
    expect(store.state.compare).toBeNull();
    store.stopComparing();
    expect(store.state.planning.swipe).toBeNull();
    expect(views.at(-1)!.disposed).toBe(true);
    ctl.dispose();
  });

  it('goes back to one map when the view cannot be built', async () => {
    const store = new Store();
    store.setCatalogue(catalogue);
    const ctl = new CompareController(store, { other: compareDates, open: () => Promise.reject(new Error('offline')) });
    store.setCompare({ asOf: null, side: 'after' });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.state.compare).toBeNull();
    ctl.dispose();
    // The same for two scenarios.
    store.setTab('planning');
    const ctl2 = new CompareController(store, { other: compareScenarios, open: () => Promise.reject(new Error('offline')) });
    store.setPlanning({ compare: compared(null, null), swipe: { side: 'after', ours: 'left' } });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.state.planning.swipe).toBeNull();
    ctl2.dispose();
  });
});
