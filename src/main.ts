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
import { MapView } from './map/map-view.ts';
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
    panelOpen: window.matchMedia('(min-width: 700px)').matches,
    ...(fromUrl.view ? { view: fromUrl.view } : {}),
  }),
);

const panel = document.querySelector('zs-side-panel')!;
const toggle = document.querySelector<HTMLButtonElement>('#panel-toggle')!;
const mapContainer = document.querySelector<HTMLElement>('#map')!;
const demoBadge = document.querySelector<HTMLElement>('#demo-badge')!;

const renderChrome = (): void => {
  const s = store.state;
  panel.state = s;
  document.documentElement.lang = s.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t(s.lang, 'app.title');
  document.body.classList.toggle('panel-open', s.panelOpen);
  toggle.setAttribute('aria-expanded', String(s.panelOpen));
  toggle.textContent = t(s.lang, s.panelOpen ? 'panel.close' : 'panel.open');
  mapContainer.setAttribute('aria-label', t(s.lang, 'app.title'));
  demoBadge.textContent = t(s.lang, 'demo.badge');
  demoBadge.title = t(s.lang, 'demo.notice');
};

// Start fetching before the map exists: WebGL set-up and the downloads overlap.
performance.mark('zs:start');
const loading = loadData(store, { catalogueUrl: new URL('catalogue.json', document.baseURI).href, visibleLayers: fromUrl.layers });

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
    return el;
  },
});

// ---- events from the components --------------------------------------------------------
document.addEventListener('zs-layer-toggle', (e) => store.setLayerVisible(e.detail.id, e.detail.visible));
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
// The map needs to know when the panel changes its size.
new ResizeObserver(() => mapView.map.resize()).observe(mapContainer);

// ---- URL hash <-> store ----------------------------------------------------------------
let hashTimer: number | undefined;
store.subscribe((s, prev) => {
  renderChrome();
  if (s.view === prev.view && s.layers === prev.layers && s.basemap === prev.basemap) return;
  if (!s.catalogue) return;
  window.clearTimeout(hashTimer);
  hashTimer = window.setTimeout(() => {
    const st = store.state;
    const layers = Object.entries(st.layers).filter(([, l]) => l.visible).map(([id]) => id);
    const hash = encodeUrlState({ view: st.view, layers, basemap: st.basemap });
    if (hash !== location.hash) history.replaceState(null, '', hash);
  }, 300);
});
window.addEventListener('hashchange', () => {
  const u = decodeUrlState(location.hash);
  if (u.view) store.setView(u.view);
  if (u.layers) store.setVisibleLayers(u.layers);
  if (u.basemap) store.setBasemap(u.basemap);
});

renderChrome();

// Exposed for the browser tests and for staff poking at the map from the console.
Object.assign(window, { __zs: { store, map: mapView.map } });

void loading.then(() => {
  performance.mark('zs:layers-loaded');
  mapView.map.once('idle', () => {
    performance.mark('zs:layers-drawn');
    document.body.dataset.ready = 'true';
  });
  // 'idle' only fires after a render; make sure there is one.
  mapView.map.triggerRepaint();
});
