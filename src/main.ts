/**
 * Composition root: builds the store, the controllers that own every side effect, the map
 * view and the page's components, and connects them. No behaviour of its own lives here.
 */
import { setWorkerUrl, type Map as MapLibreMap } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import '../styles/app.css';
import { AnalysisClient } from './app/analysis-client.ts';
import { AnalysisController } from './app/controllers/analysis.ts';
import { CompareController, compareDates, compareScenarios } from './app/controllers/compare.ts';
import { DataIoController } from './app/controllers/data-io.ts';
import { LayerSources } from './app/controllers/layer-sources.ts';
import { PreferencesController, initialPreferences } from './app/controllers/preferences.ts';
import { PlanningController } from './app/controllers/planning.ts';
import { PrintController } from './app/controllers/print.ts';
import { SelectionController } from './app/controllers/selection.ts';
import { SessionController } from './app/controllers/session.ts';
import { SheetController } from './app/controllers/sheet.ts';
import { TableExportController } from './app/controllers/table-export.ts';
import { GaussKrugerReadout } from './app/coordinates.ts';
import { ShareController } from './app/controllers/share.ts';
import { UrlHashController, stateFromUrl } from './app/controllers/url-hash.ts';
import { measureForPopup } from './app/feature-measures.ts';
import { createIntents } from './app/intents.ts';
import { createSelectors } from './app/selectors.ts';
import { PROGRAMME_BOUNDS, Store, initialState, type ViewMode } from './app/store.ts';
import { decodeUrlState } from './app/url-state.ts';
import { WorkerPool } from './app/worker-pool.ts';
import type { IoApi } from './data/io-api.ts';
import { DataWorkerClient } from './data/data-worker-client.ts';
import { DB_NAME } from './data/stored-layers.ts';
import { exposeDebugHandle } from './debug-handle.ts';
import { MapView } from './map/map-view.ts';
import { AppShell } from './ui/app-shell.ts';
import { downloadBlob } from './ui/download.ts';
import { mapLocale } from './ui/map-locale.ts';
import { acceptDroppedFiles } from './ui/drop-files.ts';
import { listenForIntents } from './ui/events.ts';
import { loadMessages } from './ui/i18n.ts';

// MapLibre 6 finds its worker relative to import.meta.url, which Vite rewrites.
setWorkerUrl(workerUrl);

const query = new URLSearchParams(location.search);
// ?view=public is the read-only view for residents; ?embed=1 (or ?view=embed) the bare map
// for an iframe. In the query, not the hash: a link's audience does not change as people pan.
const mode: ViewMode = query.get('embed') === '1' || query.get('view') === 'embed' ? 'embed' : query.get('view') === 'public' ? 'public' : 'staff';
document.body.classList.add(`mode-${mode}`);
// ?catalogue=NAME opens catalogue-NAME.json (the scale demo is "large"); only a plain name,
// so a link cannot point the app at another origin.
const catalogueName = query.get('catalogue');
const catalogueFile = catalogueName && /^[a-z0-9-]{1,40}$/.test(catalogueName) ? `catalogue-${catalogueName}.json` : 'catalogue.json';
const fromUrl = decodeUrlState(location.hash);
const storage = (() => {
  try {
    return localStorage;
  } catch {
    return null;
  }
})();
const darkScheme = matchMedia('(prefers-color-scheme: dark)');

const store = new Store(initialState({
  ...initialPreferences(storage, navigator.languages, import.meta.env.VITE_TIANDITU_KEY ?? ''),
  panelOpen: mode !== 'embed' && matchMedia('(min-width: 700px)').matches,
  theme: darkScheme.matches ? 'dark' : 'light',
  mode,
  ...stateFromUrl(fromUrl, mode),
}));
const selectors = createSelectors();

// Fetching starts before the map exists: WebGL set-up and the downloads overlap.
performance.mark('zs:start');
const layers = new LayerSources(store, {
  catalogueUrl: new URL(catalogueFile, document.baseURI).href,
  visibleLayers: fromUrl.layers,
  mark: true,
  // A catalogue with a timeline brings the code that shows the layers as of a day.
  prepare: (cat) => (cat.timeline ? selectors.asOfLoaded() : Promise.resolve()),
});
const analysisClient = new AnalysisClient();
// Coverage and the study area follow the day the timeline shows.
const analysis = new AnalysisController(store, analysisClient, { data: (s) => selectors.asOf(s) });
const layerStore = new DataWorkerClient({ onBlocked: () => store.reportStorage({ key: 'db', kind: 'blocked', detail: '' }) });
// Without IndexedDB (some private modes) imports and settings last the visit.
const persist = typeof indexedDB !== 'undefined';
const dataIo = new DataIoController(store, {
  io: new WorkerPool<IoApi>(() => new Worker(new URL('./data/io.worker.ts', import.meta.url), { type: 'module', name: 'io' })),
  storage: persist ? layerStore : null,
  selectors,
  download: (blob, name) => downloadBlob(blob, name),
});
// A visitor who never kept anything has no database: nothing to read, no worker to start.
const hasStoredData = async (): Promise<boolean> => (await indexedDB.databases?.())?.some((d) => d.name === DB_NAME) ?? true;
const session = persist ? new SessionController(store, layerStore, fromUrl, { layersRestored: dataIo.layersRestored, hasStoredData, events: window, visibility: document }) : null;
// Planning has workers of its own: its jobs never queue behind the analysis tab's, and the
// exact solve (seconds) never holds up a scenario's figures.
const planningWorker = (name: string) => () => new Worker(new URL('./analysis/worker/analysis.worker.ts', import.meta.url), { type: 'module', name });
const planning = new PlanningController(store, {
  client: new AnalysisClient(planningWorker('planning')),
  solver: new AnalysisClient(planningWorker('solver')),
  storage: persist ? layerStore : null,
  exportFeatures: (fc, opts) => dataIo.exportCollection(fc, opts),
});
const selection = new SelectionController(store, { filtered: (s) => selectors.filtered(s) });
new UrlHashController(store, { location, history, events: window }, fromUrl);
const preferences = new PreferencesController(store, { storage, darkScheme, prepareLang: loadMessages });
// The same width as the phone layout in styles/app.css.
new SheetController(store, { narrow: matchMedia('(max-width: 699px)') });
// The timeline's clock, built when it is first played.
let timelineClock: Promise<{ play(playing: boolean): void }> | null = null;
const timeline = {
  play: (playing: boolean): void => {
    timelineClock ??= import('./app/controllers/timeline.ts').then((m) => new m.TimelineController(store, { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (id) => clearInterval(id) }));
    void timelineClock.then((c) => c.play(playing));
  },
};

// The UI's strings are a chunk of their own, per language, fetched while the catalogue is.
await loadMessages(store.state.lang);
const shell = new AppShell(document, {
  selectors,
  measure: (f) => measureForPopup(f, analysisClient),
  gaussKruger: new GaussKrugerReadout(),
  href: () => location.href,
  // The embedded map links to the residents' view, or to the staff one with ?embed=1&view=staff.
  fullMapMode: query.get('view') === 'staff' ? 'staff' : 'public',
});
const mapView = new MapView({
  container: shell.mapContainer,
  store,
  selectors,
  // Without a view in the link, frame the four towns whatever the screen size.
  initialBounds: fromUrl.view ? undefined : PROGRAMME_BOUNDS,
  renderPopup: (sel, s) => shell.popup(sel, s),
  onDrawn: (tool, geometry) => (tool === 'draw-site' ? planning.drawn(geometry) : void analysis.finishDrawing(tool, geometry)),
  onPick: (lngLat) => void selection.pickCell(lngLat),
  onPlace: (lngLat) => planning.placeAt(lngLat),
  locale: mapLocale,
  onSketch: (tool, geometry) => void analysis.sketch(tool, geometry),
  formatMeasure: (kind, value, lang) => shell.formatMeasure(kind, value, lang),
  renderHits: (hits, s) => shell.hitList(hits, s),
  renderCellTip: (id, s) => shell.cellTip(id, s),
  onPointer: (lngLat) => shell.pointer(lngLat),
});
// Two dates or two scenarios side by side: a second map and the swipe, loaded with the first comparison.
const narrow = matchMedia('(max-width: 699px)');
let compareMap: MapLibreMap | null = null;
new CompareController(store, {
  other: (s) => compareScenarios(s) ?? compareDates(s),
  open: async (other) => {
    // Selectors of its own: theirs memoise on one state at a time.
    const otherSelectors = createSelectors();
    const [{ CompareView }] = await Promise.all([import('./map/compare-view.ts'), otherSelectors.asOfLoaded()]);
    const view = new CompareView({
      main: mapView.map,
      store: other,
      selectors: otherSelectors,
      narrow,
      onSide: (side) => store.showCompareSide(side),
      renderPopup: (sel, s) => shell.popup(sel, s),
      locale: mapLocale,
      formatMeasure: (kind, value, lang) => shell.formatMeasure(kind, value, lang),
      renderHits: (hits, s) => shell.hitList(hits, s),
      renderCellTip: (id, s) => shell.cellTip(id, s),
    });
    compareMap = view.map;
    return {
      show: (side) => {
        view.show(side);
        view.setLabels(shell.compareLabels(store.state));
      },
      dispose: () => {
        compareMap = null;
        view.dispose();
      },
    };
  },
});
const tables = new TableExportController(store, { selectors, download: (blob, name) => downloadBlob(blob, name) });
const print = new PrintController(store, {
  capture: (size, signal) => mapView.capture(size, signal),
  page: () => shell.printPage(),
  download: (blob, name) => downloadBlob(blob, name),
});
// Without a secure context (plain http on another host) there is no clipboard: the link is offered to copy by hand.
const share = new ShareController(store, { location, clipboard: navigator.clipboard ?? null });

listenForIntents(document, createIntents({ store, analysis, dataIo, selection, print, preferences, timeline, tables, share, planning }));
acceptDroppedFiles(shell.mapContainer, () => store.state.mode === 'staff', (files) => void dataIo.importFiles(files, null, null));
// The map needs to know when the panel changes its size.
new ResizeObserver(() => mapView.map.resize()).observe(shell.mapContainer);
store.subscribe((s) => shell.render(s));
shell.render(store.state);

exposeDebugHandle(window, { store, map: mapView.map, selectors, analysis: analysisClient, layers, viewportLoaders: layers.loaders, dataIo, layerStore, session, planning, compareMap: () => compareMap });

void layers.ready.then(() => {
  performance.mark('zs:layers-loaded');
  mapView.map.once('idle', () => {
    performance.mark('zs:layers-drawn');
    document.body.dataset.ready = 'true';
  });
  // 'idle' only fires after a render; make sure there is one.
  mapView.map.triggerRepaint();
});
