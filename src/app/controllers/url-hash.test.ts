import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCatalogue } from '../../data/catalogue.ts';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { Store, initialState } from '../store.ts';
import { districtArea } from '../study-areas.ts';
import { decodeUrlState, encodeUrlState } from '../url-state.ts';
import { UrlHashController, linkTo, stateFromUrl } from './url-hash.ts';

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

  it('writes a waiting change at once when the page is hidden', () => {
    vi.useFakeTimers();
    const w = fakeWindow();
    const store = new Store();
    const ctl = new UrlHashController(store, { ...w, delayMs: 300 });
    store.setCatalogue(catalogue);
    store.setView({ center: [122.2, 30], zoom: 13 });
    w.events.dispatchEvent(new Event('pagehide'));
    expect(decodeUrlState(w.location.hash).view).toEqual({ center: [122.2, 30], zoom: 13 });
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

  it('carries two days compared side by side, and reads them back (not in an embed, which has no date bar)', () => {
    vi.useFakeTimers();
    const w = fakeWindow();
    const store = new Store(initialState({ mode: 'public' }));
    const ctl = new UrlHashController(store, { ...w, delayMs: 300 });
    store.setCatalogue(catalogue);
    store.setAsOf('2024-02-29');
    store.setCompare({ asOf: null, side: 'after' });
    vi.advanceTimersByTime(300);
    expect(w.location.hash).toContain('date=2024-02-29&vs=latest');
    store.setCompare({ asOf: '2024-05-31', side: 'before' });
    vi.advanceTimersByTime(300);
    expect(w.location.hash).toContain('vs=2024-05-31');
    w.navigate('#date=2024-02-29&vs=2024-04-30');
    // The phone's side stays as the user left it.
    expect(store.state.compare).toEqual({ asOf: '2024-04-30', side: 'before' });
    w.navigate('#date=2024-02-29');
    expect(store.state.compare).toBeNull();
    expect(stateFromUrl(decodeUrlState('#date=2024-02-29&vs=latest'), 'public')).toEqual({ asOf: '2024-02-29', compare: { asOf: null, side: 'after' } });
    expect(stateFromUrl(decodeUrlState('#date=2024-02-29&vs=latest'), 'embed')).toEqual({ asOf: '2024-02-29' });
    ctl.dispose();
  });

  it('opens with what the link says, less the staff-only parts in the public view', () => {
    const u = decodeUrlState('#map=12.00/30.00000/122.20000&tab=analysis&table=parks&base=osm');
    expect(stateFromUrl(u, 'staff')).toMatchObject({ tab: 'analysis', table: 'parks', basemap: 'osm', view: { zoom: 12 } });
    expect(stateFromUrl(u, 'public')).toEqual({ view: u.view, basemap: 'osm' });
  });
});

describe('UrlHashController: the analysis and the popup', () => {
  const cell = (id: string, district: string, x: number): Feature<Polygon> => ({
    type: 'Feature',
    properties: { id, name: `${id} 网格`, name_en: `Cell ${id}`, district },
    geometry: { type: 'Polygon', coordinates: [[[x, 30], [x + 0.01, 30], [x + 0.01, 30.01], [x, 30.01], [x, 30]]] },
  });
  const cells: FeatureCollection = { type: 'FeatureCollection', features: [cell('G1', 'putuo', 122.3), cell('G2', 'putuo', 122.31), cell('G3', 'dinghai', 122.1)] };
  const station: FeatureCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'EB-7', name: '站' }, geometry: { type: 'Point', coordinates: [122.2, 30] } }] };

  it('writes the coverage settings, the study area by id and the open popup', () => {
    const w = fakeWindow();
    const store = new Store();
    const ctl = new UrlHashController(store, w);
    store.setCatalogue(catalogue);
    store.layerLoaded('grid-cells', cells);
    store.setCoverageSettings({ kind: 'ebike', ebikeRadius: 400 });
    store.setStudyArea(districtArea(store.state, 'putuo'));
    store.select({ layerId: 'ebike-stations', featureId: 'EB-7', properties: {}, lngLat: [122.2, 30] });
    ctl.flush();
    expect(decodeUrlState(w.location.hash)).toMatchObject({
      coverage: { kind: 'ebike', ebikeRadius: 400 },
      study: { kind: 'district', id: 'putuo' },
      popup: { layerId: 'ebike-stations', featureId: 'EB-7', lngLat: [122.2, 30] },
    });
    // A drawn area travels as its outline.
    const drawn = cell('x', '', 122.5);
    store.setStudyArea({ feature: drawn, label: '' });
    ctl.flush();
    expect(decodeUrlState(w.location.hash).study).toEqual({ kind: 'polygon', geometry: drawn.geometry });
    ctl.dispose();
  });

  it('carries the coverage settings only while the analysis is in use', () => {
    const w = fakeWindow();
    const store = new Store();
    const ctl = new UrlHashController(store, w);
    store.setCatalogue(catalogue);
    ctl.flush();
    expect(decodeUrlState(w.location.hash).coverage).toBeUndefined();
    store.setTab('analysis');
    ctl.flush();
    expect(decodeUrlState(w.location.hash).coverage).toEqual(store.state.coverageSettings);
    store.setTab('layers');
    store.layerLoaded('grid-cells', cells);
    store.setStudyArea(districtArea(store.state, 'putuo'));
    ctl.flush();
    expect(decodeUrlState(w.location.hash).coverage).toEqual(store.state.coverageSettings);
    ctl.dispose();
  });

  it('opens a link’s district once the grid cells are loaded, and its popup once the feature is', () => {
    const w = fakeWindow('#cov=parking~5000_500,2000_300~300~250&study=d~putuo&pop=ebike-stations~EB-7~122.20001,30.00002');
    const url = decodeUrlState(w.location.hash);
    const store = new Store(initialState(stateFromUrl(url, 'staff')));
    expect(store.state.coverageSettings).toMatchObject({ kind: 'parking', parkingRadius: 250 });
    const ctl = new UrlHashController(store, w, url);
    store.setCatalogue(catalogue);
    expect(store.state.studyArea).toBeNull();
    store.layerLoaded('grid-cells', cells);
    expect(store.state.studyArea).toMatchObject({ label: '普陀区', source: { kind: 'district', id: 'putuo' } });
    expect(store.state.studyArea!.feature.geometry.type).toBe('MultiPolygon');
    // Opening a link does not move the map away from the link's own view.
    expect(store.state.camera).toBeNull();
    expect(store.state.selection).toBeNull();
    store.layerLoaded('ebike-stations', station);
    expect(store.state.selection).toEqual({ layerId: 'ebike-stations', featureId: 'EB-7', properties: { id: 'EB-7', name: '站' }, lngLat: [122.20001, 30.00002] });
    ctl.dispose();
  });

  it('opens a link’s grid cell, and a drawn outline at once', () => {
    const w = fakeWindow('#study=c~G3');
    const store = new Store(initialState({ lang: 'en' }));
    const ctl = new UrlHashController(store, w);
    store.setCatalogue(catalogue);
    store.layerLoaded('grid-cells', cells);
    expect(store.state.studyArea).toMatchObject({ label: 'Cell G3', source: { kind: 'cell', id: 'G3' } });
    ctl.dispose();
    const outline = decodeUrlState(encodeUrlState({ study: { kind: 'polygon', geometry: cells.features[0]!.geometry as Polygon } }));
    expect(stateFromUrl(outline, 'staff').studyArea).toMatchObject({ label: '', feature: { geometry: cells.features[0]!.geometry } });
    // Not in the public view: residents have no analysis.
    expect(stateFromUrl(outline, 'public').studyArea).toBeUndefined();
  });

  it('drops a link’s district, cell or popup that the data does not have', () => {
    const w = fakeWindow('#study=d~nowhere&pop=ebike-stations~EB-404~122.2,30');
    const store = new Store();
    const ctl = new UrlHashController(store, w);
    store.setCatalogue(catalogue);
    store.layerLoaded('grid-cells', cells);
    store.layerLoaded('ebike-stations', station);
    expect(store.state.studyArea).toBeNull();
    expect(store.state.selection).toBeNull();
    // Nor does it come back later.
    store.layerLoaded('ebike-stations', { type: 'FeatureCollection', features: [{ ...station.features[0]!, properties: { id: 'EB-404' } }] });
    expect(store.state.selection).toBeNull();
    ctl.dispose();
  });

  it('carries the popup in the public view, not the analysis', () => {
    const w = fakeWindow();
    const store = new Store(initialState({ mode: 'public' }));
    const ctl = new UrlHashController(store, w);
    store.setCatalogue(catalogue);
    store.layerLoaded('grid-cells', cells);
    store.setStudyArea(districtArea(store.state, 'putuo'));
    store.select({ layerId: 'ebike-stations', featureId: 'EB-7', properties: {}, lngLat: [122.2, 30] });
    ctl.flush();
    const u = decodeUrlState(w.location.hash);
    expect(u.popup).toMatchObject({ featureId: 'EB-7' });
    expect(u.coverage).toBeUndefined();
    expect(u.study).toBeUndefined();
    ctl.dispose();
  });

  it('links to the same map in another view, keeping other query parameters and dropping the debug handle', () => {
    const store = new Store(initialState({ mode: 'embed', view: { center: [122.2, 30], zoom: 12 } }));
    store.setCatalogue(catalogue);
    store.select({ layerId: 'parks', featureId: 'PK-1', properties: {}, lngLat: [122.2, 30] });
    const link = new URL(linkTo(store.state, 'https://example.gov.cn/maps/?embed=1&catalogue=large&debug#map=1/2/3', 'public'));
    expect(link.pathname).toBe('/maps/');
    expect([...link.searchParams.entries()]).toEqual([['catalogue', 'large'], ['view', 'public']]);
    expect(decodeUrlState(link.hash)).toMatchObject({ view: { zoom: 12, center: [122.2, 30] }, popup: { featureId: 'PK-1' } });
    const staff = new URL(linkTo(store.state, 'https://example.gov.cn/maps/?embed=1', 'staff'));
    expect(staff.search).toBe('');
    expect(decodeUrlState(staff.hash).popup).toBeDefined();
  });

  it('reads a study area and popup from a hash the user changes', () => {
    const w = fakeWindow();
    const store = new Store();
    const ctl = new UrlHashController(store, w);
    store.setCatalogue(catalogue);
    store.layerLoaded('grid-cells', cells);
    store.layerLoaded('ebike-stations', station);
    w.navigate('#study=c~G1&pop=ebike-stations~EB-7~122.2,30&cov=ebike~5000_500~350~300');
    expect(store.state.studyArea).toMatchObject({ source: { kind: 'cell', id: 'G1' } });
    expect(store.state.selection).toMatchObject({ featureId: 'EB-7' });
    expect(store.state.coverageSettings).toMatchObject({ kind: 'ebike', ebikeRadius: 350 });
    w.navigate('#map=12/30/122');
    expect(store.state.studyArea).toBeNull();
    expect(store.state.selection).toBeNull();
    ctl.dispose();
  });
});
