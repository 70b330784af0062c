import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCatalogue } from '../../data/catalogue.ts';
import { Store, initialState } from '../store.ts';
import { decodeUrlState } from '../url-state.ts';
import { UrlHashController, stateFromUrl } from './url-hash.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../../data/catalogue.json'), 'utf8')));

/** A location, history and window of its own: replaceState changes the hash, the test fires hashchange. */
function fakeWindow(hash = '') {
  const events = new EventTarget();
  const location = { hash };
  const writes: string[] = [];
  const history = {
    replaceState: (_d: unknown, _u: string, url: string) => {
      writes.push(url);
      location.hash = url === '#' ? '' : url;
    },
  };
  const navigate = (h: string): void => {
    location.hash = h;
    events.dispatchEvent(new Event('hashchange'));
  };
  return { location, history, events, writes, navigate };
}

afterEach(() => vi.useRealTimers());

describe('UrlHashController', () => {
  it('writes the view, layers, filters, tab and pick once the state settles', () => {
    vi.useFakeTimers();
    const w = fakeWindow();
    const store = new Store();
    const ctl = new UrlHashController(store, { ...w, delayMs: 300 });
    store.setCatalogue(catalogue);
    store.setView({ center: [122.2, 30], zoom: 13 });
    store.setTab('analysis');
    store.setFilter('parks', 'status', { field: 'status', kind: 'values', values: ['finished'] });
    expect(w.writes).toHaveLength(0);
    vi.advanceTimersByTime(300);
    expect(w.writes).toHaveLength(1);
    const u = decodeUrlState(w.location.hash);
    expect(u).toMatchObject({ view: { zoom: 13, center: [122.2, 30] }, tab: 'analysis', filters: { parks: [{ field: 'status', values: ['finished'] }] } });
    expect(u.layers).toContain('idle-plots');
    ctl.dispose();
  });

  it('carries only the map in the public view', () => {
    vi.useFakeTimers();
    const w = fakeWindow();
    const store = new Store(initialState({ mode: 'public' }));
    const ctl = new UrlHashController(store, w);
    store.setCatalogue(catalogue);
    store.setTab('analysis');
    store.pick('parks', ['p1']);
    ctl.flush();
    const u = decodeUrlState(w.location.hash);
    expect(u.tab).toBeUndefined();
    expect(u.selection).toBeUndefined();
    expect(u.view).toBeDefined();
    ctl.dispose();
  });

  it('applies a link’s selection once its layer has loaded', () => {
    const w = fakeWindow('#sel=parks~p7|p9');
    const store = new Store();
    const ctl = new UrlHashController(store, w);
    store.setCatalogue(catalogue);
    expect(store.state.picked).toBeNull();
    store.layerLoaded('parks', { type: 'FeatureCollection', features: [] });
    expect(store.state.picked).toEqual({ layerId: 'parks', ids: ['p7', 'p9'] });
    ctl.dispose();
  });

  it('ignores a selection naming an inherited member rather than a layer', () => {
    const w = fakeWindow('#sel=constructor~x');
    const store = new Store();
    const ctl = new UrlHashController(store, w);
    store.setCatalogue(catalogue);
    store.layerLoaded('parks', { type: 'FeatureCollection', features: [] });
    expect(store.state.picked).toBeNull();
    ctl.dispose();
  });

  it('reads a hash the user changes back into the store', () => {
    const w = fakeWindow();
    const store = new Store();
    const ctl = new UrlHashController(store, w);
    store.setCatalogue(catalogue);
    w.navigate('#map=15.00/30.01000/122.10000&layers=parks&tab=dashboard&table=parks');
    expect(store.state.view).toMatchObject({ zoom: 15, center: [122.1, 30.01] });
    expect(Object.entries(store.state.layers).filter(([, l]) => l.visible).map(([id]) => id)).toEqual(['parks']);
    expect(store.state.tab).toBe('dashboard');
    expect(store.state.table).toBe('parks');
    ctl.dispose();
    w.navigate('#tab=analysis');
    expect(store.state.tab).toBe('dashboard');
  });

  it('carries the date the programme is shown as of, in every view, and reads it back', () => {
    vi.useFakeTimers();
    const w = fakeWindow();
    const store = new Store(initialState({ mode: 'public' }));
    const ctl = new UrlHashController(store, { ...w, delayMs: 300 });
    store.setCatalogue(catalogue);
    vi.advanceTimersByTime(300);
    expect(w.location.hash).not.toContain('date=');
    store.setAsOf('2024-03-31');
    vi.advanceTimersByTime(300);
    expect(w.location.hash).toContain('date=2024-03-31');
    w.navigate('#map=12.00/30.00000/122.20000&date=2024-05-31');
    expect(store.state.asOf).toBe('2024-05-31');
    // A link without a date shows the latest again; a broken one is the same as none.
    w.navigate('#map=12.00/30.00000/122.20000&date=2024-02-30');
    expect(store.state.asOf).toBeNull();
    expect(stateFromUrl(decodeUrlState('#date=2024-04-30'), 'embed')).toEqual({ asOf: '2024-04-30' });
    ctl.dispose();
  });

  it('opens with what the link says, less the staff-only parts in the public view', () => {
    const u = decodeUrlState('#map=12.00/30.00000/122.20000&tab=analysis&table=parks&base=osm');
    expect(stateFromUrl(u, 'staff')).toMatchObject({ tab: 'analysis', table: 'parks', basemap: 'osm', view: { zoom: 12 } });
    expect(stateFromUrl(u, 'public')).toEqual({ view: u.view, basemap: 'osm' });
  });
});
