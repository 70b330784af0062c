import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { parseCatalogue } from '../data/catalogue.ts';
import { createIntents, type IntentHandlers, type Intents } from './intents.ts';
import type { SearchEntry } from './search.ts';
import { Store } from './store.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../data/catalogue.json'), 'utf8')));

/**
 * Every intent, once. A Record over `keyof Intents`, so the compiler fails this file when an
 * intent is added or removed without it.
 */
const ALL_INTENTS: Record<keyof Intents, true> = {
  'zs-layer-toggle': true, 'zs-basemap-change': true, 'zs-tianditu-key': true, 'zs-lang-change': true,
  'zs-panel-toggle': true, 'zs-tab': true, 'zs-coverage-settings': true, 'zs-show-coverage': true, 'zs-tool': true,
  'zs-study-district': true, 'zs-study-clear': true, 'zs-study-layer': true, 'zs-analysis-cancel': true,
  'zs-storage-dismiss': true, 'zs-buffer-settings': true, 'zs-buffer-run': true, 'zs-table-sort': true,
  'zs-table-close': true, 'zs-row-select': true, 'zs-table-open': true, 'zs-filter-change': true,
  'zs-filters-clear': true,
  'zs-filter-zoom': true, 'zs-layer-opacity': true, 'zs-layer-move': true, 'zs-job-dismiss': true, 'zs-search-pick': true, 'zs-print-open': true, 'zs-print-options': true,
  'zs-print-retry': true, 'zs-print-save-png': true, 'zs-print-close': true, 'zs-import-files': true,
  'zs-import-recrs': true, 'zs-import-cancel': true, 'zs-export': true, 'zs-export-cancel': true,
  'zs-user-layer-remove': true, 'zs-popup-close': true,
  'zs-as-of': true, 'zs-timeline-play': true, 'zs-compare': true, 'zs-compare-date': true, 'zs-compare-side': true,
  'zs-buffer-hit': true, 'zs-buffer-export': true, 'zs-measure-clear': true, 'zs-below-target': true,
  'zs-cell-focus': true, 'zs-cells-export': true, 'zs-hit-pick': true, 'zs-goto': true, 'zs-goto-clear': true,
  'zs-plan-new': true, 'zs-plan-select': true, 'zs-plan-rename': true, 'zs-plan-duplicate': true, 'zs-plan-delete': true,
  'zs-plan-site-move': true, 'zs-plan-site-remove': true, 'zs-plan-close-site': true, 'zs-plan-convert': true,
  'zs-plan-settings': true, 'zs-plan-suggest': true, 'zs-plan-accept': true, 'zs-plan-cancel': true, 'zs-plan-gain': true, 'zs-plan-export': true, 'zs-plan-compare': true, 'zs-plan-swipe': true, 'zs-plan-gains-export': true,
  'zs-print-text': true, 'zs-share': true, 'zs-share-dismiss': true,
};

type Call = [target: string, method: string, args: unknown[]];

/** A stand-in controller: any method it is asked for records the call and answers `answers[method]` (else a resolved promise). */
function recorder(target: string, calls: Call[], answers: Record<string, unknown> = {}) {
  return new Proxy({}, {
    get: (_o, method) => (...args: unknown[]) => {
      calls.push([target, String(method), args]);
      return method in answers ? answers[method as string] : Promise.resolve();
    },
  });
}

function setUp(answers: { selection?: Record<string, unknown> } = {}) {
  const calls: Call[] = [];
  const store = new Store();
  store.setCatalogue(catalogue);
  const handlers: IntentHandlers = createIntents({
    store,
    analysis: recorder('analysis', calls) as never,
    dataIo: recorder('dataIo', calls) as never,
    selection: recorder('selection', calls, answers.selection) as never,
    print: recorder('print', calls) as never,
    preferences: recorder('preferences', calls) as never,
    timeline: recorder('timeline', calls) as never,
    tables: recorder('tables', calls) as never,
    planning: recorder('planning', calls) as never,
    share: recorder('share', calls) as never,
  });
  return { store, calls, handlers };
}

describe('createIntents', () => {
  it('has a handler for every intent, and no other', () => {
    const { handlers } = setUp();
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(ALL_INTENTS).sort());
    for (const [name, handle] of Object.entries(handlers)) expect(typeof handle, name).toBe('function');
  });

  const entry: SearchEntry = { kind: 'feature', layerId: 'parks', id: 'p1', name: '公园', nameEn: 'Park', layerName: { zh: '公园', en: 'Parks' }, center: [122.2, 30], bbox: [122.2, 30, 122.2, 30] };
  const file = { name: 'a.geojson', arrayBuffer: async () => new ArrayBuffer(0) };

  it.each<[keyof Intents, unknown, Call[]]>([
    ['zs-tianditu-key', { key: 'abc' }, [['preferences', 'setTiandituKey', ['abc']]]],
    ['zs-lang-change', { lang: 'en' }, [['preferences', 'setLang', ['en']]]],
    ['zs-study-district', { district: 'putuo' }, [['selection', 'studyDistrict', ['putuo']]]],
    ['zs-study-layer', { layerId: 'user-a' }, [['selection', 'studyLayer', ['user-a']]]],
    ['zs-analysis-cancel', null, [['analysis', 'cancel', []]]],
    ['zs-row-select', { layerId: 'parks', id: 'p2', additive: true }, [['selection', 'rowSelect', ['parks', 'p2', true]]]],
    ['zs-search-pick', { entry }, [['selection', 'searchPick', [entry]]]],
    ['zs-print-open', null, [['print', 'open', []]]],
    ['zs-print-options', { paper: 'A3', orientation: 'portrait' }, [['print', 'setOptions', ['A3', 'portrait']]]],
    ['zs-print-retry', null, [['print', 'retry', []]]],
    ['zs-print-save-png', null, [['print', 'savePng', []]]],
    ['zs-print-close', null, [['print', 'close', []]]],
    ['zs-import-files', { files: [file], crs: 'EPSG:4550', offset: null }, [['dataIo', 'importFiles', [[file], 'EPSG:4550', null]]]],
    ['zs-import-recrs', { crs: 'EPSG:4490' }, [['dataIo', 'reread', ['EPSG:4490']]]],
    ['zs-import-cancel', null, [['dataIo', 'cancelImport', []]]],
    ['zs-export-cancel', null, [['dataIo', 'cancelExport', []]]],
    ['zs-user-layer-remove', { layerId: 'user-a' }, [['dataIo', 'removeLayer', ['user-a']]]],
    ['zs-timeline-play', { playing: true }, [['timeline', 'play', [true]]]],
    ['zs-share', null, [['share', 'share', []]]],
    ['zs-share-dismiss', null, [['share', 'dismiss', []]]],
  ])('%s calls the controller that carries it out', (name, detail, expected) => {
    const { handlers, calls } = setUp();
    (handlers[name] as (d: unknown) => void)(detail);
    expect(calls).toEqual(expected);
  });

  it.each<[keyof Intents, unknown, Call[]]>([
    ['zs-buffer-hit', { layerId: 'parks', id: 'p2' }, [['selection', 'focusFeature', ['parks', 'p2']]]],
    ['zs-buffer-export', { columns: ['a', 'b'], layerName: 'Parks', lang: 'en' }, [['tables', 'exportBufferHits', [['a', 'b'], 'Parks', 'en']]]],
    ['zs-cell-focus', { id: 'c7' }, [['selection', 'focusCell', ['c7']]]],
    ['zs-cells-export', { columns: ['x'] }, [['tables', 'exportCells', [['x']]]]],
    ['zs-hit-pick', { layerId: 'parks', id: 'p3' }, [['selection', 'pickHit', ['parks', 'p3']]]],
    ['zs-goto', { text: '122.2 30' }, [['selection', 'goto', ['122.2 30']]]],
  ])('%s (map tools) calls the controller that carries it out', (name, detail, expected) => {
    const { handlers, calls } = setUp();
    (handlers[name] as (d: unknown) => void)(detail);
    expect(calls).toEqual(expected);
  });

  it.each<[keyof Intents, unknown, Call[]]>([
    ['zs-plan-new', { kind: 'ebike' }, [['planning', 'create', ['ebike']]]],
    ['zs-plan-select', { id: 's-1' }, [['planning', 'select', ['s-1']]]],
    ['zs-plan-rename', { id: 's-1', name: 'B' }, [['planning', 'rename', ['s-1', 'B']]]],
    ['zs-plan-duplicate', { id: 's-1' }, [['planning', 'duplicate', ['s-1']]]],
    ['zs-plan-delete', { id: 's-1' }, [['planning', 'remove', ['s-1']]]],
    ['zs-plan-site-move', { id: 'p1' }, [['planning', 'startMove', ['p1']]]],
    ['zs-plan-site-remove', { id: 'p1' }, [['planning', 'removeSite', ['p1']]]],
    ['zs-plan-close-site', { layerId: 'parks', featureId: 'k1' }, [['planning', 'toggleClosed', [{ layerId: 'parks', featureId: 'k1' }]]]],
    ['zs-plan-convert', { layerId: 'idle-plots', featureId: 'i1' }, [['planning', 'convert', [{ layerId: 'idle-plots', featureId: 'i1' }]]]],
    ['zs-plan-settings', { sites: 5 }, [['planning', 'setSettings', [{ sites: 5 }]]]],
    ['zs-plan-suggest', null, [['planning', 'suggest', []]]],
    ['zs-plan-accept', null, [['planning', 'acceptSuggestion', []]]],
    ['zs-plan-cancel', null, [['planning', 'cancel', []]]],
    ['zs-plan-compare', { left: null, right: 's-1' }, [['planning', 'compare', [null, 's-1']]]],
    ['zs-plan-export', { format: 'csv', crs: 'EPSG:4549', label: 'A' }, [['planning', 'exportSites', ['csv', 'EPSG:4549', 'A']]]],
    ['zs-plan-gains-export', { columns: ['x'], lang: 'en', format: 'xlsx', title: 'S' }, [['tables', 'exportGains', [['x'], 'en', 'xlsx', 'S']]]],
  ])('%s (planning) calls the planning controller', (name, detail, expected) => {
    const { handlers, calls } = setUp();
    (handlers[name] as (d: unknown) => void)(detail);
    expect(calls).toEqual(expected);
  });

  it('the map tools’ store intents: clear a measurement, the cells-below-target view, the go-to marker', () => {
    const { handlers, calls, store } = setUp();
    store.setMeasurement({ kind: 'line', value: 12 });
    handlers['zs-measure-clear'](null);
    expect(store.state.measurement).toBeNull();
    handlers['zs-below-target']({ target: 0.9 });
    handlers['zs-below-target']({ sort: 'share' });
    expect(store.state.belowTarget).toEqual({ target: 0.9, sort: 'share', dir: 'desc' });
    handlers['zs-below-target']({ sort: 'name' });
    expect(store.state.belowTarget).toEqual({ target: 0.9, sort: 'name', dir: 'asc' });
    store.setGotoMarker([122.2, 30]);
    handlers['zs-goto-clear'](null);
    expect(store.state.gotoMarker).toBeNull();
    expect(calls).toEqual([]);
  });

  it('zs-export passes the request on as it is', () => {
    const { handlers, calls } = setUp();
    const request = { scope: 'layer', layerId: 'parks', format: 'geojson', crs: 'EPSG:4326', measures: false } as Intents['zs-export'];
    handlers['zs-export'](request);
    expect(calls).toEqual([['dataIo', 'exportLayers', [request]]]);
    expect(calls[0]![2][0]).toBe(request);
  });

  it('zs-buffer-run buffers the feature whose popup is open, and nothing without one', () => {
    const f: Feature = { type: 'Feature', properties: { id: 'p1' }, geometry: { type: 'Point', coordinates: [122.2, 30] } };
    const withOne = setUp({ selection: { selectedFeature: f } });
    withOne.handlers['zs-buffer-run'](null);
    expect(withOne.calls).toEqual([['selection', 'selectedFeature', []], ['analysis', 'buffer', [f]]]);
    const without = setUp({ selection: { selectedFeature: undefined } });
    without.handlers['zs-buffer-run'](null);
    expect(without.calls).toEqual([['selection', 'selectedFeature', []]]);
  });

  it('the store’s own intents change the store directly and call no controller', () => {
    const { handlers, calls, store } = setUp();
    handlers['zs-layer-toggle']({ id: 'communities', visible: true });
    expect(store.state.layers.communities!.visible).toBe(true);
    handlers['zs-basemap-change']({ basemap: 'osm' });
    expect(store.state.basemap).toBe('osm');
    handlers['zs-tab']({ tab: 'analysis' });
    expect(store.state.tab).toBe('analysis');
    handlers['zs-panel-toggle']({ open: false });
    expect(store.state.panelOpen).toBe(false);
    handlers['zs-table-open']({ layerId: 'parks' });
    handlers['zs-table-sort']({ layerId: 'parks', field: 'name' });
    handlers['zs-table-sort']({ layerId: 'parks', field: 'name' });
    expect(store.state.tableSort).toEqual({ field: 'name', dir: 'desc' });
    handlers['zs-table-close'](null);
    expect(store.state.table).toBeNull();
    handlers['zs-filter-change']({ layerId: 'parks', field: 'status', filter: { field: 'status', kind: 'values', values: ['finished'] } });
    expect(Object.keys(store.state.filters)).toEqual(['parks']);
    handlers['zs-filters-clear']({ layerId: 'parks' });
    expect(store.state.filters).toEqual({});
    handlers['zs-buffer-settings']({ radius: 250 });
    expect(store.state.bufferRadius).toBe(250);
    handlers['zs-show-coverage']({ show: false });
    expect(store.state.showCoverage).toBe(false);
    handlers['zs-coverage-settings']({ ebikeRadius: 123 });
    expect(store.state.coverageSettings.ebikeRadius).toBe(123);
    handlers['zs-tool']({ tool: 'measure-line' });
    expect(store.state.tool).toBe('measure-line');
    store.setStudyArea({ feature: { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[122, 30], [122.1, 30], [122.1, 30.1], [122, 30]]] } }, label: 'x' });
    handlers['zs-study-clear'](null);
    expect(store.state.studyArea).toBeNull();
    store.reportStorage({ key: 'settings', kind: 'quota', detail: 'full' });
    handlers['zs-storage-dismiss']({ key: 'settings' });
    expect(store.state.storage).toEqual([]);
    store.select({ layerId: 'parks', featureId: 'p1', properties: {}, lngLat: [122.2, 30] });
    handlers['zs-popup-close'](null);
    expect(store.state.selection).toBeNull();
    store.setTimelinePlaying(true);
    handlers['zs-as-of']({ date: '2024-03-31' });
    expect(store.state).toMatchObject({ asOf: '2024-03-31', timelinePlaying: false });
    handlers['zs-as-of']({ date: null });
    expect(store.state.asOf).toBeNull();
    // Without a timeline there is no first month to start a comparison at.
    handlers['zs-compare']({ on: true });
    expect(store.state.compare).toEqual({ asOf: null, side: 'after' });
    handlers['zs-compare-date']({ date: '2024-05-31' });
    handlers['zs-compare-side']({ side: 'before' });
    expect(store.state.compare).toEqual({ asOf: '2024-05-31', side: 'before' });
    handlers['zs-compare']({ on: false });
    expect(store.state.compare).toBeNull();
    // Two scenarios on the map take the place of two dates, and the other way round.
    handlers['zs-compare']({ on: true });
    handlers['zs-plan-swipe']({ on: true, side: 'after' });
    expect(store.state.compare).toBeNull();
    expect(store.state.planning.swipe).toEqual({ side: 'after', ours: 'left' });
    handlers['zs-plan-swipe']({ on: true, side: 'before' });
    expect(store.state.planning.swipe).toEqual({ side: 'before', ours: 'left' });
    // The phone's choice of side (over the map) turns whichever is compared.
    handlers['zs-compare-side']({ side: 'after' });
    expect(store.state.planning.swipe).toEqual({ side: 'after', ours: 'left' });
    expect(store.state.compare).toBeNull();
    handlers['zs-compare']({ on: true });
    expect(store.state.planning.swipe).toBeNull();
    handlers['zs-plan-swipe']({ on: true, side: 'after' });
    handlers['zs-plan-swipe']({ on: false, side: 'after' });
    expect(store.state.planning.swipe).toBeNull();
    handlers['zs-compare']({ on: false });
    handlers['zs-print-text']({ title: '定海区闲置地块', note: '截至 6 月' });
    expect(store.state.print).toMatchObject({ title: '定海区闲置地块', note: '截至 6 月' });
    expect(calls).toEqual([]);
  });
});
