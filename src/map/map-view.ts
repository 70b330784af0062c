/**
 * The only owner of the maplibregl.Map. It renders the store's state (basemap, layer data,
 * visibility, selection, language) through the pure builders in layers/ and reports
 * what the user does on the map (moves, clicks) back as store actions. Popup content is
 * injected, so this module knows nothing of the UI components.
 */
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, MapGeoJSONFeature, MapMouseEvent } from 'maplibre-gl';
import type { Feature, FeatureCollection } from 'geojson';
import type { AppState, HitList, Lang, Selection, Store } from '../app/store.ts';
import { BASEMAP_SOURCES, DARK, LIGHT, basemapPaint, baseStyle, placeLabel } from './layers/basemap.ts';
import { ONLINE_LABEL_LAYER, ONLINE_LABEL_SOURCE, ONLINE_LAYER, ONLINE_SOURCE, onlineBasemap } from './layers/online-basemaps.ts';
import { SELECTED_SUFFIX, clickableLayerIds, overviewLayer, overviewLayerId, overviewSourceId, scaledOpacity, sourceId, thematicLayers } from './layers/thematic.ts';
import { loadsByViewport, type Catalogue } from '../app/registry.ts';
import { PLANNING_SOURCES, PLAN_GAIN_LAYERS, PLAN_SITE_LAYERS, planningLayers, planningSources } from './layers/planning.ts';
import { createPlanningMap, type PlanningMapData } from '../app/planning-map.ts';
import { ANALYSIS_SOURCES, COVERED_HATCH, analysisLayers, analysisSources, hatchImage } from './layers/analysis.ts';
import { GOTO_SOURCE, MEASURE_SOURCE, measureData, measureLayers, measureSource } from './layers/measure.ts';
import { COVERED_COLOR } from '../app/style-classes.ts';
import { DrawTools, type OnDrawn } from './draw-tools.ts';
import type { Selectors } from '../app/selectors.ts';
import type { PrintImage } from '../app/print-geometry.ts';
import { BoxSelect } from './box-select.ts';
import { mapData } from './map-properties.ts';
import { createDisplayData } from './display-geometry.ts';

export interface MapViewOptions {
  container: HTMLElement;
  store: Store;
  /** The derived values the panels see too (the filtered layers). */
  selectors: Selectors;
  /** Builds the popup's content for a selected feature. */
  renderPopup: (selection: Selection, state: AppState) => HTMLElement;
  /** Fit these [w, s, e, n] bounds at start instead of the store's view. */
  initialBounds?: [number, number, number, number] | undefined;
  /** A shape drawn with a planner tool is finished. */
  onDrawn?: OnDrawn;
  /** The map was clicked while the pick-a-grid-cell tool is on. */
  onPick?: (lngLat: [number, number]) => void;
  /** The map was clicked while the place-a-site tool is on (planning). */
  onPlace?: (lngLat: [number, number]) => void;
  /** MapLibre's own UI strings (control labels) in a language, keyed as in its `locale` option. */
  locale?: (lang: Lang) => Record<string, string>;
  /** The shape being drawn with a measuring tool changed (its running figures are wanted). */
  onSketch?: OnDrawn;
  /** Writes a length (m) or an area (m²) for people, for the measurement's labels on the map. */
  formatMeasure?: (kind: 'line' | 'area', value: number, lang: Lang) => string;
  /** Builds the list shown when a click hits several features. */
  renderHits?: (hits: HitList, state: AppState) => HTMLElement;
  /** Builds the tip shown over a cell of the coverage choropleth (null: none). */
  renderCellTip?: (cellId: string, state: AppState) => HTMLElement | null;
  /** The pointer moved over the map, or left it (null). */
  onPointer?: (lngLat: [number, number] | null) => void;
}

/** Where a language change relabels MapLibre's controls: the element and its locale key. */
const CONTROL_LABELS: readonly [selector: string, key: string][] = [
  ['.maplibregl-ctrl-zoom-in', 'NavigationControl.ZoomIn'],
  ['.maplibregl-ctrl-zoom-out', 'NavigationControl.ZoomOut'],
  ['.maplibregl-ctrl-attrib-button', 'AttributionControl.ToggleAttribution'],
  ['.maplibregl-ctrl-geolocate:not(:disabled)', 'GeolocateControl.FindMyLocation'],
  ['.maplibregl-ctrl-geolocate:disabled', 'GeolocateControl.LocationNotAvailable'],
];

const EMPTY_FC: FeatureCollection = { type: 'FeatureCollection', features: [] };

export class MapView {
  readonly map: maplibregl.Map;
  readonly #store: Store;
  readonly #renderPopup: MapViewOptions['renderPopup'];
  #popup: maplibregl.Popup | null = null;
  /** The list of features under a click that hit several. */
  #hitsPopup: maplibregl.Popup | null = null;
  /** The figure of the coverage cell under the pointer. */
  #tip: maplibregl.Popup | null = null;
  #tipCell: string | null = null;
  readonly #opts: Pick<MapViewOptions, 'formatMeasure' | 'renderHits' | 'renderCellTip'>;
  #thematicAdded = false;
  /** The style is only safe to modify after the map's first 'load'. */
  #ready = false;
  /** Lets the map's own move events update the store without echoing back as a jump. */
  #moving = false;
  readonly #unsubscribe: () => void;
  readonly #draw: DrawTools;
  readonly #onPick: MapViewOptions['onPick'];
  readonly #selectors: Selectors;
  /** Huge geometries simplified below what the map can show, so handing them over does not block. */
  readonly #display = createDisplayData();
  #lastFiltered: Readonly<Record<string, FeatureCollection>> = {};
  readonly #locale: MapViewOptions['locale'];
  /**
   * The opening view, kept fitted while the map's box settles (the panel appears beside
   * it, the sheet opens under it) until anyone moves the map.
   */
  #openingBounds: [number, number, number, number] | null;
  /** Tiles of the online basemap since it was chosen: whether it can be reached. */
  #onlineTiles = { loaded: 0, failedInARow: 0 };
  /**
   * The flight under way (to a pick, a district), until it ends. A flight aims at the
   * centre of the box it started in; when the box changes mid-way (the sheet folding on a
   * phone) it is flown again to the new centre.
   */
  #flight: (() => void) | null = null;

  constructor({ container, store, selectors, renderPopup, initialBounds, onDrawn, onPick, locale, onSketch, onPointer, ...opts }: MapViewOptions) {
    this.#store = store;
    this.#opts = opts;
    this.#selectors = selectors;
    this.#renderPopup = renderPopup;
    this.#onPick = onPick;
    this.#locale = locale;
    this.#openingBounds = initialBounds ?? null;
    const s = store.state;
    this.map = new maplibregl.Map({
      container,
      style: baseStyle(s.lang, '© OpenStreetMap contributors', s.theme === 'dark' ? DARK : LIGHT),
      ...(initialBounds ? { bounds: initialBounds, fitBoundsOptions: { padding: OPENING_PADDING } } : { center: s.view.center, zoom: s.view.zoom }),
      minZoom: 7,
      maxZoom: 19,
      attributionControl: { compact: false },
      ...(locale ? { locale: locale(s.lang) } : {}),
      // The URL hash is the store's; MapLibre's own hash handling would fight it.
      hash: false,
      dragRotate: false,
      pitchWithRotate: false,
      // Shift-drag selects features (box select) instead of zooming.
      boxZoom: false,
      // Embedded in another site's page, the wheel and a one-finger swipe scroll that page;
      // Ctrl/⌘ + wheel and two fingers move the map.
      cooperativeGestures: s.mode === 'embed',
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    // "Near me": the browser's own position, asked for on the click; no request leaves the
    // page. A refusal disables the button, which then says the location is not available.
    const geolocate = new maplibregl.GeolocateControl({ positionOptions: { enableHighAccuracy: true, timeout: 15_000 }, fitBoundsOptions: { maxZoom: 16 } });
    geolocate.on('geolocate', () => (this.#openingBounds = null));
    this.map.addControl(geolocate, 'top-right');
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');
    this.map.on('resize', () => {
      const flight = this.#flight;
      if (this.#openingBounds) this.map.fitBounds(this.#openingBounds, { padding: OPENING_PADDING, duration: 0 });
      else if (flight && this.map.isMoving()) this.#fly(flight);
    });
    this.map.on('moveend', () => (this.#flight = null));
    this.map.on('movestart', (e) => {
      if (e.originalEvent) this.#openingBounds = null;
    });
    // An online basemap's tiles failing (404s aside, which MapLibre keeps quiet) say it
    // cannot be reached; one arriving says it can.
    this.map.on('error', (e: maplibregl.ErrorEvent & { sourceId?: string; tile?: unknown }) => {
      if (e.tile && isOnlineSource(e.sourceId)) this.#onlineTile(false);
    });
    this.map.on('sourcedata', (e) => {
      if (e.tile && isOnlineSource(e.sourceId)) this.#onlineTile(true);
    });
    // The store hears of every settled view (first load, then every move's end), with what
    // is on screen: the layers read by viewport follow it.
    const report = (): void => {
      const c = this.map.getCenter();
      this.#moving = true;
      store.setView({ center: [round(c.lng, 5), round(c.lat, 5)], zoom: round(this.map.getZoom(), 2), bounds: this.bounds() });
      this.#moving = false;
    };
    this.map.on('moveend', report);
    this.#draw = new DrawTools(this.map, {
      onDrawn: (tool, geometry) => onDrawn?.(tool, geometry),
      onSketch: (tool, geometry) => onSketch?.(tool, geometry),
      onCancel: () => store.setTool('none'),
    });
    if (onPointer) {
      this.map.on('mousemove', (e: MapMouseEvent) => onPointer([e.lngLat.lng, e.lngLat.lat]));
      this.map.getCanvas().addEventListener('mouseleave', () => onPointer(null));
    }
    this.map.on('mousemove', (e: MapMouseEvent) => this.#hover(e));
    this.map.getCanvas().addEventListener('mouseleave', () => this.#hideTip());
    this.map.on('click', (e: MapMouseEvent) => {
      const tool = store.state.tool;
      if (tool === 'pick-cell') this.#onPick?.([e.lngLat.lng, e.lngLat.lat]);
      else if (tool === 'place-site') opts.onPlace?.([e.lngLat.lng, e.lngLat.lat]);
      else if (!this.#draw.drawing) this.#onClick(e.point, e.originalEvent.shiftKey || e.originalEvent.metaKey || e.originalEvent.ctrlKey);
    });
    new BoxSelect(this.map, (a, b) => this.#onBox(a, b), () => store.state.mode === 'staff' && store.state.tool === 'none');
    this.map.on('load', () => {
      this.#ready = true;
      // Measurements draw above everything, labels included: they are what the user is reading.
      this.map.addSource(MEASURE_SOURCE, measureSource());
      this.map.addSource(GOTO_SOURCE, measureSource());
      for (const layer of measureLayers()) this.map.addLayer(layer);
      this.#render(store.state, null);
      report();
    });
    this.#unsubscribe = store.subscribe((state, prev) => {
      if (this.#ready) this.#render(state, prev);
    });
  }

  /** West, south, east, north of what is on screen. */
  bounds(): [number, number, number, number] {
    const b = this.map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  }

  dispose(): void {
    this.#unsubscribe();
    this.#draw.dispose();
    this.#popup?.remove();
    this.#hitsPopup?.remove();
    this.#tip?.remove();
    this.map.remove();
  }

  /** Renders the current view off screen at `size` CSS pixels, for the print layout. */
  async capture(size: { width: number; height: number }, signal: AbortSignal): Promise<PrintImage> {
    const { captureMapImage } = await import('./map-image.ts');
    return captureMapImage(this.map, { ...size, signal });
  }

  #render(s: AppState, prev: AppState | null): void {
    const map = this.map;
    for (const part of ['land', 'roads', 'places'] as const) {
      const data = s.basemapData[part];
      if (data && data !== prev?.basemapData[part]) void map.getSource<GeoJSONSource>(BASEMAP_SOURCES[part])?.setData(data);
    }
    if (s.catalogue && !this.#thematicAdded) this.#addThematic(s.catalogue, s);
    if (s.catalogue && prev?.catalogue && s.catalogue !== prev.catalogue) this.#syncUserLayers(s.catalogue, prev.catalogue, s);
    if (s.catalogue) {
      const filtered = this.#selectors.filtered(s);
      for (const entry of s.catalogue.layers) {
        // The map shows what the filters let through, like the counts and the table.
        const data = filtered[entry.id];
        if (data && data !== this.#lastFiltered[entry.id]) void map.getSource<GeoJSONSource>(sourceId(entry.id))?.setData(mapData(this.#display(data)));
        const vis = s.layers[entry.id]?.visible ?? entry.visible;
        if (!prev || vis !== (prev.layers[entry.id]?.visible ?? entry.visible)) {
          for (const l of thematicLayers(entry, s.catalogue.stages)) map.setLayoutProperty(l.id, 'visibility', vis ? 'visible' : 'none');
        }
        if (map.getLayer(overviewLayerId(entry.id))) {
          const overview = s.overview[entry.id];
          if (overview && overview !== prev?.overview[entry.id]) void map.getSource<GeoJSONSource>(overviewSourceId(entry.id))?.setData(overview);
          const show = vis && s.layers[entry.id]?.viewport?.mode === 'overview';
          this.#setVisible([overviewLayerId(entry.id)], show);
        }
      }
      this.#lastFiltered = filtered;
    }
    if (s.catalogue && (!prev || s.layerOpacity !== prev.layerOpacity || s.catalogue !== prev.catalogue)) this.#applyOpacity(s, prev);
    if (s.catalogue && s.layerOrder && (!prev || s.layerOrder !== prev.layerOrder || s.catalogue !== prev.catalogue)) this.#applyOrder(s.catalogue, s.layerOrder);
    if (!prev || s.basemap !== prev.basemap || s.tiandituKey !== prev.tiandituKey) this.#setBasemap(s);
    if (prev && s.theme !== prev.theme) {
      for (const [layer, prop, value] of basemapPaint(s.theme === 'dark' ? DARK : LIGHT)) map.setPaintProperty(layer, prop as never, value as never);
    }
    if (prev && s.lang !== prev.lang) {
      map.setLayoutProperty('place-label', 'text-field', placeLabel(s.lang) as never);
      map.setLayoutProperty('road-label', 'text-field', ['get', s.lang === 'zh' ? 'name' : 'name_en']);
      this.#relabelControls(s.lang);
    }
    if (prev && s.basemapUnreachable !== prev.basemapUnreachable) this.#showLand(s);
    if (!prev || s.picked !== prev.picked || s.selection !== prev.selection || s.highlight !== prev.highlight) this.#showPicked(s);
    // A popup's planning buttons (close in scenario, pocket park) follow the scenario.
    if (!prev || s.selection !== prev.selection || s.lang !== prev.lang || (s.selection && (s.scenarios !== prev.scenarios || s.scenarioId !== prev.scenarioId))) this.#showSelection(s, prev);
    if (!prev || s.hitList !== prev.hitList || s.lang !== prev.lang) this.#showHits(s);
    if (!prev || s.gotoMarker !== prev.gotoMarker) this.#showMarker(s);
    if (!prev || s.measurement !== prev.measurement || s.lang !== prev.lang) {
      const format = this.#opts.formatMeasure ?? ((_k: string, v: number) => String(Math.round(v)));
      this.#setData(MEASURE_SOURCE, measureData(s.measurement, (kind, value) => format(kind, value, s.lang)));
    }
    this.#renderAnalysis(s, prev);
    this.#renderPlanning(s);
    if (!prev || s.tool !== prev.tool) {
      void this.#draw.setTool(s.tool);
      map.getCanvas().style.cursor = s.tool === 'none' ? '' : 'crosshair';
    }
    if (prev && s.view !== prev.view && !this.#moving) {
      this.#openingBounds = null;
      map.jumpTo({ center: s.view.center, zoom: s.view.zoom });
    }
    if (s.camera && s.camera !== prev?.camera) {
      this.#openingBounds = null;
      const c = s.camera;
      if ('bbox' in c) this.#fly(() => map.fitBounds(c.bbox, { padding: 40, maxZoom: 17, duration: 600 }));
      else this.#fly(() => map.flyTo({ center: c.center, ...(c.zoom !== undefined ? { zoom: c.zoom } : {}), duration: 600 }));
    }
  }

  #addThematic(cat: Catalogue, s: AppState): void {
    // Draw order: reference polygons at the bottom, then polygons, lines and points, so
    // small features are never hidden under large ones. Labels stay on top.
    const rank = (g: string, group: string): number =>
      (group === 'reference' ? 0 : 10) + (g.includes('Polygon') ? 0 : g.includes('Line') ? 1 : 2);
    const entries = cat.layers.slice().sort((a, b) => rank(a.geometry, a.group) - rank(b.geometry, b.group));
    for (const entry of entries) {
      if (loadsByViewport(entry, cat)) {
        // Below the layer's own features: its density when a view holds too many to draw.
        this.map.addSource(overviewSourceId(entry.id), { type: 'geojson', data: s.overview[entry.id] ?? EMPTY_FC });
        this.map.addLayer(overviewLayer(entry), 'road-label');
      }
      const data = s.data[entry.id];
      this.map.addSource(sourceId(entry.id), { type: 'geojson', data: data ? mapData(this.#display(data)) : EMPTY_FC });
      const visible = s.layers[entry.id]?.visible ?? entry.visible;
      for (const layer of thematicLayers({ ...entry, visible }, cat.stages)) this.map.addLayer(layer, 'road-label');
    }
    // Coverage results sit just above the residential land they describe; the study area
    // and buffer outlines on top of everything but labels.
    const firstProgramme = entries.find((e) => e.group !== 'reference');
    const above = firstProgramme ? thematicLayers(firstProgramme, cat.stages)[0]!.id : 'road-label';
    for (const [id, src] of Object.entries(analysisSources())) this.map.addSource(id, src);
    if (!this.map.hasImage(COVERED_HATCH)) this.map.addImage(COVERED_HATCH, hatchImage(COVERED_COLOR));
    for (const layer of analysisLayers()) {
      const src = 'source' in layer ? layer.source : '';
      const top = src === ANALYSIS_SOURCES.study || src === ANALYSIS_SOURCES.buffer || src === ANALYSIS_SOURCES.bufferHits;
      // The opaque choropleth goes under the roads, which then still show where things are.
      const under = layer.id === 'analysis-grid-fill' || layer.id === 'analysis-grid-line';
      this.map.addLayer({ ...layer, layout: { visibility: 'none' } }, top ? 'road-label' : under ? 'road-casing' : above);
    }
    // A scenario's gain goes under the roads like the coverage choropleth; its sites on top.
    for (const [id, src] of Object.entries(planningSources())) this.map.addSource(id, src);
    for (const layer of planningLayers()) {
      const under = (PLAN_GAIN_LAYERS as readonly string[]).includes(layer.id);
      this.map.addLayer({ ...layer, layout: { visibility: 'none' } }, under ? 'road-casing' : 'road-label');
    }
    this.#thematicAdded = true;
  }

  /** Layers imported by the user come and go after start-up; they draw above the programme. */
  #syncUserLayers(cat: Catalogue, prevCat: Catalogue, s: AppState): void {
    const now = new Set(cat.layers.map((l) => l.id));
    for (const old of prevCat.layers) {
      if (now.has(old.id)) continue;
      for (const l of thematicLayers(old, prevCat.stages)) if (this.map.getLayer(l.id)) this.map.removeLayer(l.id);
      if (this.map.getSource(sourceId(old.id))) this.map.removeSource(sourceId(old.id));
    }
    for (const entry of cat.layers) {
      if (this.map.getSource(sourceId(entry.id))) continue;
      this.map.addSource(sourceId(entry.id), { type: 'geojson', data: EMPTY_FC });
      const visible = s.layers[entry.id]?.visible ?? entry.visible;
      const before = this.map.getLayer('analysis-buffer') ? 'analysis-buffer' : 'road-label';
      for (const layer of thematicLayers({ ...entry, visible }, cat.stages)) this.map.addLayer(layer, before);
      delete (this.#lastFiltered as Record<string, FeatureCollection>)[entry.id];
    }
  }

  /** Draws each layer at the opacity the user chose, scaling what its style sets. */
  #applyOpacity(s: AppState, prev: AppState | null): void {
    const cat = s.catalogue!;
    for (const entry of cat.layers) {
      const o = s.layerOpacity[entry.id];
      if (o === undefined || (prev?.catalogue === cat && prev.layerOpacity[entry.id] === o)) continue;
      for (const layer of thematicLayers(entry, cat.stages)) {
        if (layer.id.endsWith(SELECTED_SUFFIX) || !this.map.getLayer(layer.id)) continue;
        for (const [prop, value] of scaledOpacity(layer, o)) this.map.setPaintProperty(layer.id, prop as never, value as never);
      }
    }
  }

  /**
   * Draws the layers in the user's list order, the top of the list on top, under the study
   * area, the buffer and the labels; the coverage result stays just over the residential land.
   */
  #applyOrder(cat: Catalogue, order: readonly string[]): void {
    const map = this.map;
    const ids = cat.layers.map((l) => l.id);
    const topFirst = [...order.filter((id) => ids.includes(id)), ...ids.filter((id) => !order.includes(id))];
    const ceiling = ['analysis-buffer', 'road-label'].find((id) => map.getLayer(id))!;
    const styleIds = (id: string): string[] => {
      const entry = cat.layers.find((l) => l.id === id)!;
      return [overviewLayerId(id), ...thematicLayers(entry, cat.stages).map((l) => l.id)].filter((x) => map.getLayer(x));
    };
    for (const id of [...topFirst].reverse()) for (const layer of styleIds(id)) map.moveLayer(layer, ceiling);
    const residential = cat.analysis?.residential;
    const at = residential ? topFirst.indexOf(residential) : -1;
    if (at < 0) return;
    const above = at > 0 ? styleIds(topFirst[at - 1]!)[0] ?? ceiling : ceiling;
    for (const layer of ['analysis-grid-fill', 'analysis-grid-line', 'analysis-covered']) if (map.getLayer(layer)) map.moveLayer(layer, above);
  }

  #setData(id: string, data: Feature | FeatureCollection | null): void {
    void this.map.getSource<GeoJSONSource>(id)?.setData(data ?? EMPTY_FC);
  }

  #setVisible(ids: string[], visible: boolean): void {
    for (const id of ids) if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }

  readonly #planningData = createPlanningMap();
  #lastPlanning: PlanningMapData | null = null;

  /** The active scenario's sites, closures and gain per cell, while the planning tab is open. */
  #renderPlanning(s: AppState): void {
    if (!this.#thematicAdded) return;
    const d = this.#planningData(s);
    const last = this.#lastPlanning;
    if (d === last) return;
    this.#lastPlanning = d;
    if (d.sites !== last?.sites) this.#setData(PLANNING_SOURCES.sites, d.sites);
    if (d.closed !== last?.closed) this.#setData(PLANNING_SOURCES.closed, d.closed);
    if (d.gain !== last?.gain) this.#setData(PLANNING_SOURCES.gain, this.#display(d.gain));
    if (d.reach !== last?.reach) this.#setData(PLANNING_SOURCES.reach, this.#display(d.reach));
    if (d.suggested !== last?.suggested) this.#setData(PLANNING_SOURCES.suggested, d.suggested);
    this.#setVisible([...PLAN_SITE_LAYERS], d.show);
    this.#setVisible([...PLAN_GAIN_LAYERS], d.showGain);
  }

  #renderAnalysis(s: AppState, prev: AppState | null): void {
    if (!this.#thematicAdded) return;
    const cov = s.coverage.response;
    const zones = s.catalogue?.analysis?.zones;
    const grid = zones ? s.data[zones] : undefined;
    if (!prev || cov !== prev.coverage.response || grid !== (zones ? prev.data[zones] : undefined)) {
      this.#setData(ANALYSIS_SOURCES.covered, cov?.covered ?? null);
      const byZone = cov?.result.byZone ?? {};
      this.#setData(ANALYSIS_SOURCES.grid, grid && cov ? {
        type: 'FeatureCollection',
        features: grid.features.map((f) => {
          const z = byZone[String(f.properties?.id)];
          return { ...f, properties: { ...f.properties, share: z && z.area > 0 ? z.share : -1 } };
        }),
      } : null);
    }
    const showCoverage = s.tab === 'analysis' && s.showCoverage && cov !== null;
    this.#setVisible(['analysis-grid-fill', 'analysis-grid-line', 'analysis-covered', 'analysis-covered-line', 'analysis-grid-highlight-casing', 'analysis-grid-highlight'], showCoverage);
    if (!showCoverage) this.#hideTip();
    if (!prev || s.coverageCell !== prev.coverageCell) {
      for (const id of ['analysis-grid-highlight-casing', 'analysis-grid-highlight']) this.map.setFilter(id, ['==', ['to-string', ['get', 'id']], s.coverageCell ?? '\u0000']);
    }
    if (!prev || s.studyArea !== prev.studyArea) {
      this.#setData(ANALYSIS_SOURCES.study, s.studyArea ? this.#display({ type: 'FeatureCollection', features: [s.studyArea.feature] }) : null);
      this.#setVisible(['analysis-study-fill', 'analysis-study-line'], s.studyArea !== null);
    }
    if (!prev || s.within !== prev.within) {
      const buffer = s.within.response?.buffer ?? null;
      this.#setData(ANALYSIS_SOURCES.buffer, buffer);
      this.#setVisible(['analysis-buffer'], buffer !== null);
    }
    if (!prev || s.within !== prev.within || s.data !== prev.data) {
      const r = s.within.response;
      const ids = new Set(r?.hits.map((h) => h.id) ?? []);
      const hits = r ? (s.data[r.layerId]?.features ?? []).filter((f) => ids.has(String(f.properties?.id))) : [];
      this.#setData(ANALYSIS_SOURCES.bufferHits, { type: 'FeatureCollection', features: hits });
      this.#setVisible(['analysis-buffer-hits-line', 'analysis-buffer-hits-point'], hits.length > 0);
    }
  }

  /** The coverage cell under the pointer, with its figure in a tip that follows it. */
  #hover(e: MapMouseEvent): void {
    const render = this.#opts.renderCellTip;
    if (!render || !this.#thematicAdded || this.#store.state.tool !== 'none' || this.map.getLayoutProperty('analysis-grid-fill', 'visibility') !== 'visible') {
      this.#hideTip();
      return;
    }
    const cell = this.map.queryRenderedFeatures(e.point, { layers: ['analysis-grid-fill'] })[0];
    const id = cell ? String(cell.properties.id ?? '') : null;
    const sel = this.#store.state.selection;
    // The cell whose popup is open already shows its figure.
    if (!id || (sel?.featureId === id && sel.layerId === this.#store.state.catalogue?.analysis?.zones)) {
      this.#hideTip();
      return;
    }
    if (id !== this.#tipCell || !this.#tip) {
      const content = render(id, this.#store.state);
      if (!content) return this.#hideTip();
      this.#tip ??= new maplibregl.Popup({ closeButton: false, closeOnClick: false, className: 'zs-tip', offset: 14, maxWidth: '260px' });
      this.#tip.setDOMContent(content);
      this.#tipCell = id;
    }
    this.#tip.setLngLat(e.lngLat);
    if (!this.#tip.isOpen()) this.#tip.addTo(this.map);
  }

  #hideTip(): void {
    this.#tip?.remove();
    this.#tipCell = null;
  }

  #setBasemap(s: AppState): void {
    const map = this.map;
    for (const id of [ONLINE_LABEL_LAYER, ONLINE_LAYER]) if (map.getLayer(id)) map.removeLayer(id);
    for (const id of [ONLINE_LABEL_SOURCE, ONLINE_SOURCE]) if (map.getSource(id)) map.removeSource(id);
    this.#onlineTiles = { loaded: 0, failedInARow: 0 };
    this.#store.setBasemapUnreachable(false);
    const online = onlineBasemap(s.basemap, s.tiandituKey);
    this.#showLand(s);
    if (!online) return;
    for (const [id, src] of Object.entries(online.sources)) map.addSource(id, src);
    // Above the offline land and roads, below every thematic layer and label.
    for (const layer of online.layers) map.addLayer(layer, 'road-casing');
    map.moveLayer('road-casing');
    map.moveLayer('road');
    for (const l of map.getStyle().layers) if (l.type !== 'background' && l.id !== 'land' && l.id !== 'coast' && !l.id.startsWith('online') && !l.id.startsWith('road')) map.moveLayer(l.id);
  }

  #fly(flight: () => void): void {
    // Starting a flight ends the one under way, whose 'moveend' clears #flight: set it after.
    flight();
    this.#flight = flight;
  }

  /** The offline land, under an online basemap only while that cannot be reached: never a blank sea. */
  #showLand(s: AppState): void {
    const online = onlineBasemap(s.basemap, s.tiandituKey) !== null;
    this.map.setLayoutProperty('land', 'visibility', online && !s.basemapUnreachable ? 'none' : 'visible');
  }

  #onlineTile(ok: boolean): void {
    const t = this.#onlineTiles;
    this.#onlineTiles = ok ? { loaded: t.loaded + 1, failedInARow: 0 } : { loaded: t.loaded, failedInARow: t.failedInARow + 1 };
    // Before any tile arrived one failure is enough; after, a run of them (a lost connection).
    const unreachable = !ok && (this.#onlineTiles.loaded === 0 || this.#onlineTiles.failedInARow >= 4);
    if (ok || unreachable) this.#store.setBasemapUnreachable(unreachable);
  }

  /** MapLibre reads its UI strings when it builds a control: the ones already built are relabelled. */
  #relabelControls(lang: Lang): void {
    if (!this.#locale) return;
    const map = this.map;
    map._locale = { ...map._locale, ...this.#locale(lang) };
    map.getCanvas().setAttribute('aria-label', map._getUIString('Map.Title'));
    for (const [selector, key] of CONTROL_LABELS) {
      for (const el of map.getContainer().querySelectorAll<HTMLElement>(selector)) {
        const label = map._getUIString(key as never);
        el.setAttribute('aria-label', label);
        el.title = label;
      }
    }
  }

  /** Features of the visible layers under a screen rectangle. */
  #hitsIn(a: maplibregl.PointLike, b: maplibregl.PointLike): MapGeoJSONFeature[] {
    const s = this.#store.state;
    const cat = s.catalogue;
    if (!cat) return [];
    const layerIds = cat.layers.filter((e) => s.layers[e.id]?.visible).flatMap((e) => clickableLayerIds(e, cat.stages));
    return layerIds.length ? this.map.queryRenderedFeatures([a, b], { layers: layerIds }) : [];
  }

  #onBox(a: maplibregl.Point, b: maplibregl.Point): void {
    const hits = this.#hitsIn(a, b);
    if (hits.length === 0) return;
    // One layer at a time: the open table's layer if it was hit, else the layer hit most.
    const byLayer = new Map<string, Set<string>>();
    for (const h of hits) {
      const id = h.source.replace(/^layer-/, '');
      if (!byLayer.has(id)) byLayer.set(id, new Set());
      byLayer.get(id)!.add(String(h.properties.id ?? h.id ?? ''));
    }
    const table = this.#store.state.table;
    const layerId = table && byLayer.has(table) ? table : [...byLayer.entries()].sort((x, y) => y[1].size - x[1].size)[0]![0];
    this.#store.pick(layerId, [...byLayer.get(layerId)!], 'add');
  }

  #onClick(point: maplibregl.Point, additive = false): void {
    const s = this.#store.state;
    const cat = s.catalogue;
    if (!cat) return;
    const layerIds = cat.layers.filter((e) => s.layers[e.id]?.visible).flatMap((e) => clickableLayerIds(e, cat.stages));
    // A few pixels of slack so points and thin lines can be hit with a finger.
    const box: [maplibregl.PointLike, maplibregl.PointLike] = [[point.x - 6, point.y - 6], [point.x + 6, point.y + 6]];
    const hits: MapGeoJSONFeature[] = layerIds.length ? this.map.queryRenderedFeatures(box, { layers: layerIds }) : [];
    const hit = hits[0];
    const lngLat = this.map.unproject(point);
    if (!hit) {
      if (this.#clickCell(point, [lngLat.lng, lngLat.lat])) return;
      this.#store.select(null);
      this.#store.showHits(null);
      if (!additive) this.#store.pick(null, []);
      return;
    }
    // A click on several features lists them (a fill and its outline are one feature).
    const distinct = new Map<string, { layerId: string; featureId: string }>();
    for (const h of hits) {
      const layerId = h.source.replace(/^layer-/, '');
      const featureId = String(h.properties.id ?? h.id ?? '');
      distinct.set(`${layerId}\u0000${featureId}`, { layerId, featureId });
    }
    if (!additive && distinct.size > 1) {
      this.#store.pick(null, []);
      this.#store.showHits({ lngLat: [lngLat.lng, lngLat.lat], hits: [...distinct.values()] });
      return;
    }
    const layerId = hit.source.replace(/^layer-/, '');
    const featureId = String(hit.properties.id ?? hit.id ?? '');
    // The tile's copy of the properties is lossy (see map-properties.ts; text is re-encoded
    // as UTF-8), so the popup shows the store's feature when the id finds it.
    const own = hit.properties.id === undefined ? undefined : s.data[layerId]?.features.find((f) => String(f.properties?.id) === featureId)?.properties;
    this.#store.pick(layerId, [featureId], additive ? 'toggle' : 'replace');
    this.#store.select({ layerId, featureId, properties: { ...(own ?? hit.properties) }, lngLat: [lngLat.lng, lngLat.lat] });
  }

  /** A click on a cell of the coverage choropleth opens the cell's popup (with its figure); false when no cell is there. */
  #clickCell(point: maplibregl.Point, lngLat: [number, number]): boolean {
    const s = this.#store.state;
    const zones = s.catalogue?.analysis?.zones;
    if (!zones || this.map.getLayoutProperty('analysis-grid-fill', 'visibility') !== 'visible') return false;
    const cell = this.map.queryRenderedFeatures(point, { layers: ['analysis-grid-fill'] })[0];
    if (!cell) return false;
    const featureId = String(cell.properties.id ?? '');
    const own = s.data[zones]?.features.find((f) => String(f.properties?.id) === featureId)?.properties;
    this.#hideTip();
    this.#store.select({ layerId: zones, featureId, properties: { ...(own ?? cell.properties) }, lngLat });
    return true;
  }

  /** The list of the features a click hit, each opening its own popup. */
  #showHits(s: AppState): void {
    const old = this.#hitsPopup;
    this.#hitsPopup = null;
    old?.remove();
    const list = s.hitList;
    if (!list || !this.#opts.renderHits) return;
    const popup = new maplibregl.Popup({ closeButton: true, maxWidth: '320px', focusAfterOpen: true, className: 'zs-hits-popup' })
      .setLngLat(list.lngLat)
      .setDOMContent(this.#opts.renderHits(list, s))
      .addTo(this.map);
    popup.on('close', () => {
      if (this.#hitsPopup === popup) {
        this.#hitsPopup = null;
        this.#store.showHits(null);
      }
    });
    this.#hitsPopup = popup;
  }

  /** The marker where a typed coordinate took the map. */
  #showMarker(s: AppState): void {
    const at = s.gotoMarker;
    this.#setData(GOTO_SOURCE, at ? { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: at } } : null);
  }

  /** Highlights the picked features (and the one with the popup). */
  #showPicked(s: AppState): void {
    const cat = s.catalogue;
    if (!cat) return;
    for (const entry of cat.layers) {
      const id = `${entry.id}${SELECTED_SUFFIX}`;
      if (!this.map.getLayer(id)) continue;
      const ids = new Set(s.picked?.layerId === entry.id ? s.picked.ids : []);
      if (s.highlight?.layerId === entry.id) for (const id of s.highlight.ids) ids.add(id);
      if (s.selection?.layerId === entry.id) ids.add(s.selection.featureId);
      this.map.setFilter(id, ['in', ['to-string', ['get', 'id']], ['literal', [...ids]]]);
    }
  }

  #showSelection(s: AppState, prev: AppState | null): void {
    const old = this.#popup;
    this.#popup = null;
    old?.remove();
    if (!s.selection) return;
    // A pick from the table or search flies there; a click on the map is already in view.
    if (s.selection.fly && s.selection !== prev?.selection) {
      this.#openingBounds = null;
      const { lngLat } = s.selection;
      const zoom = Math.max(this.map.getZoom(), 16);
      this.#fly(() => this.map.flyTo({ center: lngLat, zoom, duration: 600 }));
    }
    // A pick from a list (a table row, a search result) leaves the focus in that list, so the
    // keyboard carries on there; a click on the map moves it into the popup.
    const popup = new maplibregl.Popup({ closeButton: true, maxWidth: '340px', focusAfterOpen: !s.selection.fly })
      .setLngLat(s.selection.lngLat)
      .setDOMContent(this.#renderPopup(s.selection, s))
      .addTo(this.map);
    popup.on('close', () => {
      if (this.#popup === popup) {
        this.#popup = null;
        this.#store.select(null);
      }
    });
    this.#popup = popup;
  }
}

/** Room around the opening view for the controls and the demo badge at the map's edges. */
const OPENING_PADDING = { top: 56, bottom: 40, left: 30, right: 30 };

const isOnlineSource = (id: string | undefined): boolean => id === ONLINE_SOURCE || id === ONLINE_LABEL_SOURCE;

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
