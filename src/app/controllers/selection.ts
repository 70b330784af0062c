/**
 * Owns what the user points at: a feature picked in the table or found by search (shown,
 * its layer switched on, the map flown there, its popup opened), a place or a district
 * found by search,
 * and the study area made from a grid cell, a district or an imported layer. The grid cells
 * and what a district is come from the catalogue's analysis roles.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { featuresBbox, geometryBbox } from '../../geo/bbox.ts';
import { parseCoordinate, toLngLat, type LoadProjector } from '../coordinates.ts';
import type { SearchEntry } from '../search.ts';
import type { AppState, Store } from '../store.ts';
import { cellStudyArea, districtArea, merged, polygonsOf } from '../study-areas.ts';

/** Where a feature's popup and the map's flight go; loaded on first use (it measures on the ellipsoid). */
export type RepresentativePoint = (f: Feature) => Promise<Position | null>;

export interface SelectionDeps {
  representativePoint?: RepresentativePoint;
  /** Point-in-polygon, for picking a grid cell; loaded on first use by default. */
  contains?: (point: [number, number], area: Feature<Polygon | MultiPolygon>) => Promise<boolean>;
  /** The layers as the filters leave them (`selectors.filtered`); default: unfiltered. */
  filtered?: (s: AppState) => Readonly<Record<string, FeatureCollection>>;
  /** Projectors for typed Gauss–Krüger coordinates; proj4 loads on first use by default. */
  loadProjector?: LoadProjector;
}

const defaultPoint: RepresentativePoint = async (f) => (await import('../../analysis/measure.ts')).representativePoint(f.geometry);
const defaultContains = async (point: [number, number], area: Feature<Polygon | MultiPolygon>): Promise<boolean> =>
  (await import('@turf/boolean-point-in-polygon')).default(point, area);

function findFeature(fc: FeatureCollection | undefined, id: string): Feature | undefined {
  return fc?.features.find((f) => String(f.properties?.id) === id);
}

export class SelectionController {
  readonly #store: Store;
  readonly #point: RepresentativePoint;
  readonly #contains: NonNullable<SelectionDeps['contains']>;
  readonly #filtered: NonNullable<SelectionDeps['filtered']>;
  readonly #loadProjector: SelectionDeps['loadProjector'];
  /** The newest typed coordinate; an older one still projecting must not move the map. */
  #goto = 0;
  /** The newest focus request; an older one still measuring must not win. */
  #focus = 0;
  /** The newest cell pick, likewise. */
  #pick = 0;

  constructor(store: Store, deps: SelectionDeps = {}) {
    this.#store = store;
    this.#point = deps.representativePoint ?? defaultPoint;
    this.#contains = deps.contains ?? defaultContains;
    this.#filtered = deps.filtered ?? ((s) => s.data);
    this.#loadProjector = deps.loadProjector;
  }

  dispose(): void {
    this.#focus++;
    this.#pick++;
    this.#goto++;
  }

  /** One of the features listed after a click that hit several: its popup opens where the click was. */
  pickHit(layerId: string, featureId: string): void {
    const s = this.#store.state;
    const at = s.hitList?.lngLat;
    const f = findFeature(s.data[layerId], featureId);
    if (!at || !f) return;
    this.#store.pick(layerId, [featureId], 'replace');
    this.#store.select({ layerId, featureId, properties: { ...(f.properties ?? {}) }, lngLat: at });
  }

  /** A grid cell from the list of cells below target: the map fits it and outlines it. */
  focusCell(id: string): void {
    const s = this.#store.state;
    const zones = s.catalogue?.analysis?.zones;
    const cell = polygonsOf(zones ? s.data[zones] : undefined).find((f) => String(f.properties?.id) === id);
    if (!cell) return;
    const b = [Infinity, Infinity, -Infinity, -Infinity] as [number, number, number, number];
    const rings = cell.geometry.type === 'Polygon' ? [cell.geometry.coordinates] : cell.geometry.coordinates;
    for (const p of rings.flat(2)) {
      b[0] = Math.min(b[0], p[0]!);
      b[1] = Math.min(b[1], p[1]!);
      b[2] = Math.max(b[2], p[0]!);
      b[3] = Math.max(b[3], p[1]!);
    }
    this.#store.setCoverageCell(id);
    this.#store.moveCamera({ bbox: b });
  }

  /**
   * A typed coordinate (degrees either way round, or Gauss–Krüger metres; see
   * `coordinates.ts`): the map flies there and a marker stays. False when the text is not a
   * position.
   */
  async goto(text: string): Promise<boolean> {
    const n = ++this.#goto;
    const parsed = parseCoordinate(text);
    const at = parsed ? await toLngLat(parsed, this.#loadProjector) : null;
    if (n !== this.#goto) return false;
    if (!at) return false;
    this.#store.setGotoMarker(at);
    this.#store.moveCamera({ center: at, zoom: Math.max(this.#store.state.view.zoom, 16) });
    return true;
  }

  /** Opens a feature's popup and flies to it (from the table or search), showing its layer. */
  async focusFeature(layerId: string, id: string): Promise<void> {
    const n = ++this.#focus;
    const f = findFeature(this.#store.state.data[layerId], id);
    if (!f) return;
    const at = await this.#point(f);
    if (!at || n !== this.#focus) return;
    const store = this.#store;
    if (!store.state.layers[layerId]?.visible) store.setLayerVisible(layerId, true);
    store.select({ layerId, featureId: id, properties: { ...(f.properties ?? {}) }, lngLat: [at[0]!, at[1]!], fly: true });
  }

  /** A row of the attribute table: picks it (or adds it) and shows it. */
  rowSelect(layerId: string, id: string, additive: boolean): Promise<void> {
    this.#store.pick(layerId, [id], additive ? 'toggle' : 'replace');
    return this.focusFeature(layerId, id);
  }

  /** A search result: a feature is picked and shown; a district is zoomed to; a place is flown to. */
  searchPick(hit: SearchEntry): Promise<void> {
    if (hit.layerId) {
      this.#store.pick(hit.layerId, [hit.id], 'replace');
      return this.focusFeature(hit.layerId, hit.id);
    }
    if (hit.kind === 'district') {
      this.#store.moveCamera({ bbox: hit.bbox });
      return Promise.resolve();
    }
    this.#store.moveCamera({ center: hit.center, zoom: Math.max(this.#store.state.view.zoom, 13) });
    return Promise.resolve();
  }

  /** The grid cell under a point becomes the study area (the pick-a-cell tool). */
  async pickCell(lngLat: [number, number]): Promise<void> {
    // The newest pick wins, even over an older one still testing cells.
    const n = ++this.#pick;
    const s = this.#store.state;
    const zones = s.catalogue?.analysis?.zones;
    if (!zones) return;
    for (const cell of polygonsOf(s.data[zones])) {
      const inside = await this.#contains(lngLat, cell);
      if (n !== this.#pick) return;
      if (!inside) continue;
      this.#store.setStudyArea(cellStudyArea(cell, this.#store.state.lang));
      return;
    }
  }

  /** A district, the union of its grid cells (the only district outline the data has), becomes the study area, and the map shows it whole. */
  studyDistrict(district: string): void {
    const area = districtArea(this.#store.state, district);
    if (!area) return;
    this.#store.setStudyArea(area);
    const bbox = geometryBbox(area.feature.geometry);
    if (bbox) this.#store.moveCamera({ bbox });
  }

  /** An imported polygon layer becomes the study area, and the analysis tab opens on it. */
  studyLayer(layerId: string): void {
    const s = this.#store.state;
    const polygons = polygonsOf(s.data[layerId]);
    if (polygons.length === 0) return;
    // One polygon is used as it is (the map then draws it from what it already has, and the
    // analysis worker finds it by reference); several become the parts of one multipolygon.
    const feature = polygons.length === 1 ? polygons[0]! : merged(polygons, { layer: layerId });
    this.#store.setStudyArea({ feature, label: s.catalogue?.layers.find((l) => l.id === layerId)?.name[s.lang] ?? layerId });
    this.#store.setTab('analysis');
  }

  /** Fits the map to what a layer's filters let through, shows the layer and emphasises those features. */
  zoomToFiltered(layerId: string): void {
    const s = this.#store.state;
    const features = this.#filtered(s)[layerId]?.features ?? [];
    const bbox = featuresBbox(features);
    if (!bbox) return;
    if (!s.layers[layerId]?.visible) this.#store.setLayerVisible(layerId, true);
    this.#store.setHighlight({ layerId, ids: features.map((f) => String(f.properties?.id ?? '')).filter((id) => id !== '') });
    this.#store.moveCamera({ bbox });
  }

  /** The feature whose popup is open, from the store's data (not the map's lossy copy). */
  selectedFeature(): Feature | undefined {
    const sel = this.#store.state.selection;
    return sel ? findFeature(this.#store.state.data[sel.layerId], sel.featureId) : undefined;
  }
}
