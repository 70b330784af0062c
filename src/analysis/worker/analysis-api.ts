/**
 * What the analysis worker does, as plain functions over the layers it holds. The same
 * object runs inside the Web Worker (exposed with Comlink) and, in tests and the CLI,
 * directly in Node: the worker file is only the glue.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { coveredGeometry } from '../coverage/coverage-geometry.ts';
import { serviceCoverage, type CoverageResult } from '../coverage/coverage.ts';
import { DEFAULT_PARK_RADIUS_RULES, parkRadiusFn } from '../coverage/park-radius.ts';
import { featuresInArea } from '../in-area.ts';
import { measureFeature, type FeatureMeasures } from '../measure.ts';
import { unpackFeatureCollection, type PackedFeatureCollection } from '../../data/packed-features.ts';
import { bufferGeometry, featuresWithinDistance } from '../within-distance.ts';

export type CoverageKind = 'parks' | 'ebike' | 'parking';

export interface CoverageSettings {
  kind: CoverageKind;
  /** Park radius rules: parks of at least minArea m² serve radius m. */
  parkRules: { minArea: number; radius: number }[];
  ebikeRadius: number;
  parkingRadius: number;
}

export const DEFAULT_COVERAGE_SETTINGS: CoverageSettings = {
  kind: 'parks',
  parkRules: DEFAULT_PARK_RADIUS_RULES.map((r) => ({ ...r })),
  ebikeRadius: 300,
  parkingRadius: 300,
};

/** Layer ids the analysis reads; they match the catalogue. */
export const ANALYSIS_LAYERS = {
  targets: 'communities',
  zones: 'grid-cells',
  parks: 'parks',
  ebike: 'ebike-stations',
  berths: 'parking-berths',
  carParks: 'car-parks',
} as const;

export interface CoverageResponse {
  settings: CoverageSettings;
  result: CoverageResult;
  covered: FeatureCollection<Polygon | MultiPolygon>;
  ms: number;
}

export interface AreaLayerStats {
  layerId: string;
  count: number;
  area_m2: number;
  length_m: number;
}

export interface StudyAreaResponse {
  layers: AreaLayerStats[];
  coverage: Record<CoverageKind, { area: number; covered: number; share: number }>;
  ms: number;
}

export interface WithinResponse {
  layerId: string;
  radius: number;
  /** The buffer itself, for drawing. */
  buffer: Feature | null;
  hits: { id: string; name: string; distance_m: number }[];
}

function empty(): FeatureCollection {
  return { type: 'FeatureCollection', features: [] };
}

/** The page sends large data packed (`packed-features.ts`); Node callers pass GeoJSON. */
function fromWire(x: FeatureCollection | PackedFeatureCollection): FeatureCollection {
  return x.type === 'PackedFeatureCollection' ? unpackFeatureCollection(x) : x;
}

export class AnalysisApi {
  #layers: Record<string, FeatureCollection> = {};

  setLayers(layers: Record<string, FeatureCollection | PackedFeatureCollection>): void {
    this.#layers = { ...this.#layers, ...Object.fromEntries(Object.entries(layers).map(([id, fc]) => [id, fromWire(fc)])) };
  }

  ping(n: number): number {
    return n;
  }

  /**
   * Writes an export file off the main thread, so a layer of hundreds of thousands of
   * features does not freeze the page while it is encoded.
   */
  async encode(fc: FeatureCollection, format: 'geojson' | 'csv' | 'fgb', crs: string, measures: boolean, title: string, layerName: string): Promise<Uint8Array> {
    let data = fc;
    if (measures) data = (await import('../../data/export/with-measures.ts')).addMeasures(data);
    const { EXPORT_FORMATS } = await import('../../data/export/formats.ts');
    const f = EXPORT_FORMATS.find((x) => x.id === format);
    if (!f) throw new Error(`unknown export format ${format}`);
    return f.write(data, { crs, title, layerName });
  }

  #layer(id: string): FeatureCollection {
    return this.#layers[id] ?? empty();
  }

  /** The service features and radius rule for a kind of coverage. */
  #services(s: CoverageSettings): { services: FeatureCollection; radius: number | ((f: Feature) => number | null) } {
    if (s.kind === 'parks') return { services: this.#layer(ANALYSIS_LAYERS.parks), radius: parkRadiusFn(s.parkRules) };
    if (s.kind === 'ebike') return { services: this.#layer(ANALYSIS_LAYERS.ebike), radius: s.ebikeRadius };
    const services: FeatureCollection = {
      type: 'FeatureCollection',
      features: [...this.#layer(ANALYSIS_LAYERS.berths).features, ...this.#layer(ANALYSIS_LAYERS.carParks).features],
    };
    return { services, radius: s.parkingRadius };
  }

  coverage(settings: CoverageSettings): CoverageResponse {
    const t0 = performance.now();
    const { services, radius } = this.#services(settings);
    const targets = this.#layer(ANALYSIS_LAYERS.targets);
    const zones = this.#layer(ANALYSIS_LAYERS.zones).features as Feature<Polygon | MultiPolygon>[];
    const result = serviceCoverage(targets, services, { radius, zones });
    const covered = coveredGeometry(targets, services, { radius });
    return { settings, result, covered, ms: performance.now() - t0 };
  }

  /** `area` is a feature, a packed collection of that one feature, or a feature of a layer held here. */
  studyArea(wire: Feature<Polygon | MultiPolygon> | PackedFeatureCollection | { layerId: string; index: number }, layerIds: string[], settings: CoverageSettings): StudyAreaResponse {
    const t0 = performance.now();
    const area = ('layerId' in wire ? this.#layer(wire.layerId).features[wire.index] : wire.type === 'PackedFeatureCollection' ? fromWire(wire).features[0] : wire) as Feature<Polygon | MultiPolygon> | undefined;
    if (!area) throw new Error('the study area is not among the layers the analysis holds');
    const layers = layerIds.map((layerId) => {
      const r = featuresInArea(this.#layer(layerId), area);
      return { layerId, count: r.count, area_m2: r.area_m2, length_m: r.length_m };
    });
    const zoneId = '__study_area__';
    const zone: Feature<Polygon | MultiPolygon> = { ...area, properties: { ...(area.properties ?? {}), id: zoneId } };
    const coverage = {} as StudyAreaResponse['coverage'];
    for (const kind of ['parks', 'ebike', 'parking'] as const) {
      const { services, radius } = this.#services({ ...settings, kind });
      const r = serviceCoverage(this.#layer(ANALYSIS_LAYERS.targets), services, { radius, zones: [zone] });
      const z = r.byZone[zoneId];
      coverage[kind] = z ? { area: z.area, covered: z.covered, share: z.share } : { area: 0, covered: 0, share: 0 };
    }
    return { layers, coverage, ms: performance.now() - t0 };
  }

  /** A feature's measures, for one too large to measure on the page's thread; or a feature of a layer held here. */
  measure(wire: Feature | { layerId: string; index: number }): FeatureMeasures {
    const f = 'layerId' in wire ? this.#layer(wire.layerId).features[wire.index] : wire;
    if (!f) throw new Error('the feature is not among the layers the analysis holds');
    return measureFeature(f);
  }

  within(source: Feature, radius: number, layerId: string): WithinResponse {
    const hits = featuresWithinDistance(source, radius, this.#layer(layerId)).map((h) => ({
      id: String(h.feature.properties?.id ?? ''),
      name: String(h.feature.properties?.name ?? ''),
      distance_m: h.distance_m,
    }));
    const buffer = radius > 0 ? (bufferGeometry(source, radius) as Feature | null) : null;
    return { layerId, radius, buffer, hits };
  }
}
