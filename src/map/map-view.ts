/**
 * The only owner of the maplibregl.Map. It renders the store's state (basemap, layer data,
 * visibility, selection, language) through the pure builders in layers/ and reports
 * what the user does on the map (moves, clicks) back as store actions. Popup content is
 * injected, so this module knows nothing of the UI components.
 */
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, MapGeoJSONFeature, MapMouseEvent } from 'maplibre-gl';
import type { Feature, FeatureCollection } from 'geojson';
import type { AppState, Selection, Store } from '../app/store.ts';
import { BASEMAP_SOURCES, DARK, LIGHT, basemapPaint, baseStyle, placeLabel } from './layers/basemap.ts';
import { ONLINE_LABEL_LAYER, ONLINE_LABEL_SOURCE, ONLINE_LAYER, ONLINE_SOURCE, onlineBasemap } from './layers/online-basemaps.ts';
import { SELECTED_SUFFIX, clickableLayerIds, overviewLayer, overviewLayerId, overviewSourceId, sourceId, thematicLayers } from './layers/thematic.ts';
import { loadsByViewport, type Catalogue } from '../app/registry.ts';
import { ANALYSIS_SOURCES, analysisLayers, analysisSources } from './layers/analysis.ts';
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
}

const EMPTY_FC: FeatureCollection = { type: 'FeatureCollection', features: [] };

export class MapView {
  readonly map: maplibregl.Map;
  readonly #store: Store;
  readonly #renderPopup: MapViewOptions['renderPopup'];
  #popup: maplibregl.Popup | null = null;
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

  constructor({ container, store, selectors, renderPopup, initialBounds, onDrawn, onPick }: MapViewOptions) {
    this.#store = store;
    this.#selectors = selectors;
    this.#renderPopup = renderPopup;
    this.#onPick = onPick;
    const s = store.state;
    this.map = new maplibregl.Map({
      container,
      style: baseStyle(s.lang, '© OpenStreetMap contributors', s.theme === 'dark' ? DARK : LIGHT),
      ...(initialBounds ? { bounds: initialBounds, fitBoundsOptions: { padding: 20 } } : { center: s.view.center, zoom: s.view.zoom }),
      minZoom: 7,
      maxZoom: 19,
      attributionControl: { compact: false },
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
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');
    // The store hears of every settled view (first load, then every move's end), with what
    // is on screen: the layers read by viewport follow it.
    const report = (): void => {
      const c = this.map.getCenter();
      this.#moving = true;
      store.setView({ center: [round(c.lng, 5), round(c.lat, 5)], zoom: round(this.map.getZoom(), 2), bounds: this.bounds() });
      this.#moving = false;
    };
    this.map.on('moveend', report);
    this.#draw = new DrawTools(this.map, (tool, geometry) => onDrawn?.(tool, geometry));
    this.map.on('click', (e: MapMouseEvent) => {
      const tool = store.state.tool;
      if (tool === 'pick-cell') this.#onPick?.([e.lngLat.lng, e.lngLat.lat]);
      else if (!this.#draw.drawing) this.#onClick(e.point, e.originalEvent.shiftKey || e.originalEvent.metaKey || e.originalEvent.ctrlKey);
    });
    new BoxSelect(this.map, (a, b) => this.#onBox(a, b), () => store.state.mode === 'staff' && store.state.tool === 'none');
    this.map.on('load', () => {
      this.#ready = true;
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
    this.#popup?.remove();
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
    if (!prev || s.basemap !== prev.basemap || s.tiandituKey !== prev.tiandituKey) this.#setBasemap(s);
    if (prev && s.theme !== prev.theme) {
      for (const [layer, prop, value] of basemapPaint(s.theme === 'dark' ? DARK : LIGHT)) map.setPaintProperty(layer, prop as never, value as never);
    }
    if (prev && s.lang !== prev.lang) {
      map.setLayoutProperty('place-label', 'text-field', placeLabel(s.lang) as never);
      map.setLayoutProperty('road-label', 'text-field', ['get', s.lang === 'zh' ? 'name' : 'name_en']);
    }
    if (!prev || s.picked !== prev.picked || s.selection !== prev.selection) this.#showPicked(s);
    if (!prev || s.selection !== prev.selection || s.lang !== prev.lang) this.#showSelection(s, prev);
    this.#renderAnalysis(s, prev);
    if (!prev || s.tool !== prev.tool) {
      void this.#draw.setTool(s.tool);
      map.getCanvas().style.cursor = s.tool === 'none' ? '' : 'crosshair';
    }
    if (prev && s.view !== prev.view && !this.#moving) {
      map.jumpTo({ center: s.view.center, zoom: s.view.zoom });
    }
    if (s.camera && s.camera !== prev?.camera) {
      const c = s.camera;
      if ('bbox' in c) map.fitBounds(c.bbox, { padding: 40, maxZoom: 17, duration: 600 });
      else map.flyTo({ center: c.center, ...(c.zoom !== undefined ? { zoom: c.zoom } : {}), duration: 600 });
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
    for (const layer of analysisLayers()) {
      const src = 'source' in layer ? layer.source : '';
      const top = src === ANALYSIS_SOURCES.study || src === ANALYSIS_SOURCES.buffer;
      this.map.addLayer({ ...layer, layout: { visibility: 'none' } }, top ? 'road-label' : above);
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

  #setData(id: string, data: Feature | FeatureCollection | null): void {
    void this.map.getSource<GeoJSONSource>(id)?.setData(data ?? EMPTY_FC);
  }

  #setVisible(ids: string[], visible: boolean): void {
    for (const id of ids) if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
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
    this.#setVisible(['analysis-grid-fill', 'analysis-grid-line', 'analysis-covered'], showCoverage);
    if (!prev || s.studyArea !== prev.studyArea) {
      this.#setData(ANALYSIS_SOURCES.study, s.studyArea ? this.#display({ type: 'FeatureCollection', features: [s.studyArea.feature] }) : null);
      this.#setVisible(['analysis-study-fill', 'analysis-study-line'], s.studyArea !== null);
    }
    if (!prev || s.within !== prev.within) {
      const buffer = s.within.response?.buffer ?? null;
      this.#setData(ANALYSIS_SOURCES.buffer, buffer);
      this.#setVisible(['analysis-buffer'], buffer !== null);
    }
  }

  #setBasemap(s: AppState): void {
    const map = this.map;
    for (const id of [ONLINE_LABEL_LAYER, ONLINE_LAYER]) if (map.getLayer(id)) map.removeLayer(id);
    for (const id of [ONLINE_LABEL_SOURCE, ONLINE_SOURCE]) if (map.getSource(id)) map.removeSource(id);
    const online = onlineBasemap(s.basemap, s.tiandituKey);
    if (!online) return;
    for (const [id, src] of Object.entries(online.sources)) map.addSource(id, src);
    // Above the offline land and roads, below every thematic layer and label.
    for (const layer of online.layers) map.addLayer(layer, 'road-casing');
    map.moveLayer('road-casing');
    map.moveLayer('road');
    for (const l of map.getStyle().layers) if (l.type !== 'background' && l.id !== 'land' && l.id !== 'coast' && !l.id.startsWith('online') && !l.id.startsWith('road')) map.moveLayer(l.id);
    map.setLayoutProperty('land', 'visibility', 'none');
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
    if (!hit) {
      this.#store.select(null);
      if (!additive) this.#store.pick(null, []);
      return;
    }
    const layerId = hit.source.replace(/^layer-/, '');
    const featureId = String(hit.properties.id ?? hit.id ?? '');
    const lngLat = this.map.unproject(point);
    // The tile's copy of the properties is lossy (see map-properties.ts; text is re-encoded
    // as UTF-8), so the popup shows the store's feature when the id finds it.
    const own = hit.properties.id === undefined ? undefined : s.data[layerId]?.features.find((f) => String(f.properties?.id) === featureId)?.properties;
    this.#store.pick(layerId, [featureId], additive ? 'toggle' : 'replace');
    this.#store.select({ layerId, featureId, properties: { ...(own ?? hit.properties) }, lngLat: [lngLat.lng, lngLat.lat] });
  }

  /** Highlights the picked features (and the one with the popup). */
  #showPicked(s: AppState): void {
    const cat = s.catalogue;
    if (!cat) return;
    for (const entry of cat.layers) {
      const id = `${entry.id}${SELECTED_SUFFIX}`;
      if (!this.map.getLayer(id)) continue;
      const ids = new Set(s.picked?.layerId === entry.id ? s.picked.ids : []);
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
      this.map.flyTo({ center: s.selection.lngLat, zoom: Math.max(this.map.getZoom(), 16), duration: 600 });
    }
    const popup = new maplibregl.Popup({ closeButton: true, maxWidth: '340px', focusAfterOpen: true })
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

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
