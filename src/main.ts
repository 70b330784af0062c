/**
 * Composition root: builds the store, the map view and the components, wires their
 * events to store actions, keeps the URL hash in step, and starts loading the data.
 */
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import '../styles/app.css';
import { PROGRAMME_BOUNDS, Store, initialState, type Lang } from './app/store.ts';
import { decodeUrlState, encodeUrlState } from './app/url-state.ts';
import { loadData } from './app/load-data.ts';
import { AnalysisClient } from './app/analysis-client.ts';
import { AnalysisController } from './app/analysis-controller.ts';
import { evaluateProgramme, type MetricValue } from './analysis/programme.ts';
import { geodesicArea, geodesicLength } from './analysis/geodesic.ts';
import { measureFeature, representativePoint } from './analysis/measure.ts';
import { createFilteredData } from './app/selectors.ts';
import { buildSearchIndex, search, type SearchEntry } from './app/search.ts';
import { sortFeatures } from './app/table-sort.ts';
import type { ViewMode } from './app/store.ts';
import './ui/attribute-table.ts';
import { setUpPrint } from './print-setup.ts';
import { setUpDataIo } from './data-io-setup.ts';
import { setUpSession } from './session-setup.ts';
import { DataWorkerClient } from './data/data-worker-client.ts';
import { positionCount } from './data/packed-features.ts';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { MapView } from './map/map-view.ts';
import { ViewportLoader, type LonLatBounds } from './app/viewport-loader.ts';
import './ui/side-panel.ts';
import './ui/feature-popup.ts';
import { t } from './ui/i18n.ts';

// MapLibre 6 finds its worker relative to import.meta.url, which Vite rewrites; point it
// at the bundled worker explicitly.
setWorkerUrl(workerUrl);

const LANG_KEY = 'zs-lang';
const TIANDITU_KEY = 'zs-tianditu-key';

function storedLang(): Lang | null {
  try {
    const v = localStorage.getItem(LANG_KEY);
    return v === 'zh' || v === 'en' ? v : null;
  } catch {
    return null;
  }
}
function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode or storage disabled: the choice just is not remembered.
  }
}

const browserLang: Lang = navigator.languages.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
const fromUrl = decodeUrlState(location.hash);
const darkScheme = window.matchMedia('(prefers-color-scheme: dark)');
// ?view=public is the read-only view for residents; ?embed=1 (or ?view=embed) is the bare
// map for an iframe on the bureau's site. Both live in the query, not the hash, because a
// link's audience does not change as people pan around.
const query = new URLSearchParams(location.search);
const mode: ViewMode = query.get('embed') === '1' || query.get('view') === 'embed' ? 'embed' : query.get('view') === 'public' ? 'public' : 'staff';
document.body.classList.add(`mode-${mode}`);
const store = new Store(
  initialState({
    lang: storedLang() ?? browserLang,
    basemap: fromUrl.basemap ?? 'offline',
    tiandituKey: (() => {
      try {
        return localStorage.getItem(TIANDITU_KEY) ?? import.meta.env.VITE_TIANDITU_KEY ?? '';
      } catch {
        return '';
      }
    })(),
    panelOpen: mode !== 'embed' && window.matchMedia('(min-width: 700px)').matches,
    theme: darkScheme.matches ? 'dark' : 'light',
    mode,
    ...(fromUrl.view ? { view: fromUrl.view } : {}),
    ...(mode === 'staff' && fromUrl.filters ? { filters: fromUrl.filters } : {}),
    ...(mode === 'staff' && fromUrl.tab ? { tab: fromUrl.tab } : {}),
    ...(mode === 'staff' && fromUrl.table ? { table: fromUrl.table } : {}),
  }),
);

const panel = document.querySelector('zs-side-panel')!;
const toggle = document.querySelector<HTMLButtonElement>('#panel-toggle')!;
const mapContainer = document.querySelector<HTMLElement>('#map')!;
const tableDrawer = document.querySelector<HTMLElement>('#table-drawer')!;
const table = document.querySelector('zs-attribute-table')!;
const demoBadge = document.querySelector<HTMLElement>('#demo-badge')!;

const filteredData = createFilteredData();
// Programme figures follow the filters; recompute only when the filtered layers change.
let metrics: { data: unknown; values: MetricValue[] } = { data: null, values: [] };
const programme = (): MetricValue[] => {
  const s = store.state;
  const data = filteredData(s);
  if (metrics.data !== data) metrics = { data, values: evaluateProgramme(s.catalogue?.programme ?? [], data) };
  return metrics.values;
};
// The search index covers every feature (filters do not hide things from search) and the
// place names; it is rebuilt only when data arrive.
let searchIndex: { key: unknown; index: SearchEntry[] } = { key: null, index: [] };
const searcher = (q: string): SearchEntry[] => {
  const s = store.state;
  if (searchIndex.key !== s.data || !s.catalogue) {
    const layers = (s.catalogue?.layers ?? []).filter((e) => s.data[e.id]).map((entry) => ({ entry, features: s.data[entry.id]!.features }));
    searchIndex = { key: s.data, index: buildSearchIndex(layers, s.basemapData.places?.features ?? []) };
  }
  return search(searchIndex.index, q);
};
let sortedRows: { key: unknown[]; rows: Feature[] } = { key: [], rows: [] };
const tableRows = (): Feature[] => {
  const s = store.state;
  const fc = s.table ? filteredData(s)[s.table] : undefined;
  const entry = s.catalogue?.layers.find((l) => l.id === s.table);
  const key = [fc, s.tableSort, s.lang];
  if (key.some((k, i) => k !== sortedRows.key[i])) {
    const def = entry?.fields.find((f) => f.name === s.tableSort?.field);
    sortedRows = { key, rows: fc ? (s.tableSort ? sortFeatures(fc.features, s.tableSort.field, s.tableSort.dir, def, s.lang) : fc.features.slice()) : [] };
  }
  return sortedRows.rows;
};

const renderChrome = (): void => {
  const s = store.state;
  panel.state = s;
  panel.filtered = filteredData(s);
  panel.searcher = searcher;
  if (s.tab === 'dashboard') panel.metrics = programme();
  const showTable = s.mode === 'staff' && s.table !== null && s.catalogue !== null;
  tableDrawer.hidden = !showTable;
  document.body.classList.toggle('table-open', showTable);
  if (showTable) {
    table.entry = s.catalogue!.layers.find((l) => l.id === s.table) ?? null;
    table.features = tableRows();
    table.total = s.data[s.table!]?.features.length ?? 0;
    table.selectedIds = new Set(s.picked?.layerId === s.table ? s.picked.ids : []);
    table.sort = s.tableSort;
    table.locale = s.lang;
  }
  document.documentElement.lang = s.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t(s.lang, 'app.title');
  document.body.classList.toggle('panel-open', s.panelOpen);
  toggle.setAttribute('aria-expanded', String(s.panelOpen));
  toggle.textContent = t(s.lang, s.panelOpen ? 'panel.close' : 'panel.open');
  mapContainer.setAttribute('aria-label', t(s.lang, 'app.title'));
  demoBadge.textContent = t(s.lang, 'demo.badge');
  demoBadge.title = t(s.lang, 'demo.notice');
};

// Large layers are read by viewport: one loader each, told about every settled view.
const viewportLoaders = new Map<string, ViewportLoader>();
let lastBounds: LonLatBounds | null = null;
// ?catalogue=NAME opens catalogue-NAME.json beside the default one (the scale demo is
// "large"); only a plain name is accepted, so a link cannot point the app elsewhere.
const catalogueName = query.get('catalogue');
const catalogueFile = catalogueName && /^[a-z0-9-]{1,40}$/.test(catalogueName) ? `catalogue-${catalogueName}.json` : 'catalogue.json';

// Start fetching before the map exists: WebGL set-up and the downloads overlap.
performance.mark('zs:start');
const loading = loadData(store, {
  catalogueUrl: new URL(catalogueFile, document.baseURI).href,
  visibleLayers: fromUrl.layers,
  onViewportLayer: (entry, url) => {
    const loader = new ViewportLoader(store, entry, url, { mark: true });
    viewportLoaders.set(entry.id, loader);
    if (lastBounds) loader.update(lastBounds);
  },
});

const mapView = new MapView({
  container: mapContainer,
  store,
  // Without a view in the link, frame the four towns whatever the screen size.
  initialBounds: fromUrl.view ? undefined : PROGRAMME_BOUNDS,
  renderPopup: (selection, state) => {
    const el = document.createElement('zs-feature-popup');
    el.entry = state.catalogue?.layers.find((l) => l.id === selection.layerId) ?? null;
    el.properties = selection.properties;
    el.locale = state.lang;
    el.mode = state.mode;
    el.stages = state.catalogue?.stages ?? null;
    // Measures come from the full-precision geometry, not the tiled one MapLibre hands back;
    // a huge one (an imported polygon of a million vertices takes seconds) in the worker.
    const f = findFeature(state.data[selection.layerId], selection.featureId);
    if (f && positionCount(f.geometry) > 50_000) {
      el.measures = null;
      analysisClient.measure(f).then((m) => (el.measures = m), () => undefined);
    } else el.measures = f ? measureFeature(f) : null;
    return el;
  },
  onDrawn: (tool, geometry) => {
    if (tool === 'draw-area' && (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon')) {
      store.setStudyArea({ feature: { type: 'Feature', properties: {}, geometry }, label: '' });
    } else {
      store.setMeasurement({ kind: tool === 'measure-line' ? 'line' : 'area', value: tool === 'measure-line' ? geodesicLength(geometry) : geodesicArea(geometry) });
      store.setTool('none');
    }
  },
  onViewChange: (bounds) => {
    lastBounds = bounds;
    for (const loader of viewportLoaders.values()) loader.update(bounds);
  },
  onPick: (lngLat) => {
    const cells = store.state.data['grid-cells'];
    const cell = cells?.features.find((f) => booleanPointInPolygon(lngLat, f as Feature<Polygon | MultiPolygon>));
    if (cell) store.setStudyArea({ feature: cell as Feature<Polygon | MultiPolygon>, label: String(cell.properties?.[store.state.lang === 'zh' ? 'name' : 'name_en'] ?? cell.properties?.id) });
  },
});

function findFeature(fc: FeatureCollection | undefined, id: string): Feature | undefined {
  return fc?.features.find((f) => String(f.properties?.id) === id);
}

/** Opens a feature's popup and flies to it (from the table or search). */
function focusFeature(layerId: string, id: string): void {
  const f = findFeature(store.state.data[layerId], id);
  const at = f ? representativePoint(f.geometry) : null;
  if (!f || !at) return;
  if (!store.state.layers[layerId]?.visible) store.setLayerVisible(layerId, true);
  store.select({ layerId, featureId: id, properties: { ...(f.properties ?? {}) }, lngLat: [at[0]!, at[1]!], fly: true });
}

setUpPrint(store, mapView.map);

const analysisClient = new AnalysisClient();
// Imported layers, the study area and the settings outlive a reload; without IndexedDB
// (some private modes) they last the visit.
const persist = typeof indexedDB !== 'undefined';
const dataWorker = new DataWorkerClient({ onBlocked: () => store.reportStorage({ key: 'db', kind: 'blocked', detail: '' }) });
const { layersRestored } = setUpDataIo(store, mapView.map, mapContainer, (...args) => analysisClient.encode(...args), dataWorker, persist);
const session = setUpSession(store, persist ? dataWorker : null, fromUrl, { layersRestored });
const analysis = new AnalysisController(store, analysisClient);
document.addEventListener('zs-analysis-cancel', () => analysis.cancel());
document.addEventListener('zs-storage-dismiss', (e) => store.clearStorage(e.detail.key));

// ---- events from the components --------------------------------------------------------
document.addEventListener('zs-layer-toggle', (e) => {
  store.setLayerVisible(e.detail.id, e.detail.visible);
  // Hidden: its query stops; shown again: it catches up with the view.
  viewportLoaders.get(e.detail.id)?.refresh();
});
document.addEventListener('zs-basemap-change', (e) => store.setBasemap(e.detail.basemap));
document.addEventListener('zs-tianditu-key', (e) => {
  remember(TIANDITU_KEY, e.detail.key);
  store.setTiandituKey(e.detail.key);
  if (!e.detail.key && store.state.basemap === 'tianditu') store.setBasemap('offline');
});
document.addEventListener('zs-lang-change', (e) => {
  remember(LANG_KEY, e.detail.lang);
  store.setLang(e.detail.lang);
});
toggle.addEventListener('click', () => store.setPanelOpen(!store.state.panelOpen));
darkScheme.addEventListener('change', (e) => store.setTheme(e.matches ? 'dark' : 'light'));
document.addEventListener('zs-tab', (e) => store.setTab(e.detail.tab));
document.addEventListener('zs-coverage-settings', (e) => store.setCoverageSettings(e.detail));
document.addEventListener('zs-show-coverage', (e) => store.setShowCoverage(e.detail.show));
document.addEventListener('zs-tool', (e) => store.setTool(e.detail.tool));
document.addEventListener('zs-study-clear', () => store.setStudyArea(null));
document.addEventListener('zs-study-layer', (e) => {
  const s = store.state;
  const polygons = (s.data[e.detail.layerId]?.features ?? []).filter((f) => f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon') as Feature<Polygon | MultiPolygon>[];
  if (polygons.length === 0) return;
  // One polygon is used as it is (the map then draws it from what it already has); several
  // become the parts of one multipolygon, as a district does.
  const feature: Feature<Polygon | MultiPolygon> = polygons.length === 1 ? polygons[0]! : {
    type: 'Feature', properties: { layer: e.detail.layerId },
    geometry: { type: 'MultiPolygon', coordinates: polygons.flatMap((f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates)) },
  };
  store.setStudyArea({ feature, label: s.catalogue?.layers.find((l) => l.id === e.detail.layerId)?.name[s.lang] ?? e.detail.layerId });
  store.setTab('analysis');
});
document.addEventListener('zs-study-district', (e) => {
  const s = store.state;
  const cells = (s.data['grid-cells']?.features ?? []).filter((f) => f.properties?.district === e.detail.district) as Feature<Polygon | MultiPolygon>[];
  if (cells.length === 0) return;
  // A district is the union of its grid cells: the only district outline the data has.
  const parts = cells.flatMap((f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates));
  const label = s.catalogue?.layers.find((l) => l.id === 'grid-cells')?.fields.find((f) => f.name === 'district')?.values?.find((v) => v.value === e.detail.district)?.label[s.lang] ?? e.detail.district;
  store.setStudyArea({ feature: { type: 'Feature', properties: { district: e.detail.district }, geometry: { type: 'MultiPolygon', coordinates: parts } }, label });
});
document.addEventListener('zs-buffer-settings', (e) => store.setBuffer(e.detail));
document.addEventListener('zs-filter-change', (e) => store.setFilter(e.detail.layerId, e.detail.field, e.detail.filter));
document.addEventListener('zs-filters-clear', (e) => store.clearFilters(e.detail.layerId));
document.addEventListener('zs-table-open', (e) => store.openTable(e.detail.layerId));
document.addEventListener('zs-table-close', () => store.openTable(null));
document.addEventListener('zs-table-sort', (e) => store.sortTable(e.detail.field));
document.addEventListener('zs-row-select', (e) => {
  store.pick(e.detail.layerId, [e.detail.id], e.detail.additive ? 'toggle' : 'replace');
  focusFeature(e.detail.layerId, e.detail.id);
});
document.addEventListener('zs-search-pick', (e) => {
  const hit = e.detail.entry;
  if (hit.layerId) {
    store.pick(hit.layerId, [hit.id], 'replace');
    focusFeature(hit.layerId, hit.id);
  } else {
    mapView.map.flyTo({ center: hit.center, zoom: Math.max(mapView.map.getZoom(), 13) });
  }
});
document.addEventListener('zs-buffer-run', () => {
  const sel = store.state.selection;
  const f = sel ? findFeature(store.state.data[sel.layerId], sel.featureId) : undefined;
  if (f) void analysis.buffer(f);
});
// The map needs to know when the panel changes its size.
new ResizeObserver(() => mapView.map.resize()).observe(mapContainer);

// ---- URL hash <-> store ----------------------------------------------------------------
let hashTimer: number | undefined;
store.subscribe((s, prev) => {
  renderChrome();
  const same = s.view === prev.view && s.layers === prev.layers && s.basemap === prev.basemap && s.filters === prev.filters
    && s.picked === prev.picked && s.tab === prev.tab && s.table === prev.table;
  if (same || !s.catalogue) return;
  window.clearTimeout(hashTimer);
  hashTimer = window.setTimeout(() => {
    const st = store.state;
    const layers = Object.entries(st.layers).filter(([, l]) => l.visible).map(([id]) => id);
    const staff = st.mode === 'staff';
    const hash = encodeUrlState({
      view: st.view,
      layers,
      basemap: st.basemap,
      ...(staff ? { filters: st.filters, tab: st.tab, ...(st.table ? { table: st.table } : {}) } : {}),
      ...(staff && st.picked ? { selection: { layerId: st.picked.layerId, ids: [...st.picked.ids] } } : {}),
    });
    if (hash !== location.hash) history.replaceState(null, '', hash);
  }, 300);
});
window.addEventListener('hashchange', () => {
  const u = decodeUrlState(location.hash);
  if (u.view) store.setView(u.view);
  if (u.layers) {
    store.setVisibleLayers(u.layers);
    for (const loader of viewportLoaders.values()) loader.refresh();
  }
  if (u.basemap) store.setBasemap(u.basemap);
  if (store.state.mode !== 'staff') return;
  store.setFilters(u.filters ?? {});
  if (u.tab) store.setTab(u.tab);
  store.openTable(u.table ?? null);
  store.pick(u.selection?.layerId ?? null, u.selection?.ids ?? []);
});

renderChrome();

// Exposed for the browser tests and for staff poking at the map from the console.
Object.assign(window, { __zs: { store, map: mapView.map, analysis: analysisClient, viewportLoaders, layerStore: dataWorker, session } });

void loading.then(() => {
  performance.mark('zs:layers-loaded');
  // The link's selection can only be applied once its layer is here.
  // Own keys only: a link's `sel=constructor~…` must not find Object's constructor.
  if (mode === 'staff' && fromUrl.selection && Object.hasOwn(store.state.data, fromUrl.selection.layerId)) {
    store.pick(fromUrl.selection.layerId, fromUrl.selection.ids);
  }
  mapView.map.once('idle', () => {
    performance.mark('zs:layers-drawn');
    document.body.dataset.ready = 'true';
  });
  // 'idle' only fires after a render; make sure there is one.
  mapView.map.triggerRepaint();
});
