/**
 * What the analysis worker does, as plain functions over the layers it holds. The same
 * object runs inside the Web Worker (exposed with Comlink) and, in tests and the CLI,
 * directly in Node: the worker file is only the glue.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { coveredGeometry } from '../coverage/coverage-geometry.ts';
import { serviceCoverage, type CoverageResult } from '../coverage/coverage.ts';
import { parkRadiusFn } from '../coverage/park-radius.ts';
import type { CoverageSettings } from '../coverage-settings.ts';

export { DEFAULT_COVERAGE_SETTINGS, type CoverageSettings } from '../coverage-settings.ts';
import { featuresInArea } from '../in-area.ts';
import { geodesicArea } from '../geodesic.ts';
import { ownValue } from '../../geo/own-value.ts';
import { valueText } from '../../geo/value-text.ts';
import { measureFeature, type FeatureMeasures } from '../measure.ts';
import { unpackFeatureCollection, type PackedFeatureCollection } from '../../geo/packed-features.ts';
import { bufferGeometry, featuresWithinDistance } from '../within-distance.ts';
import { COVERAGE_KINDS, type AnalysisRoles, type CoverageKind } from '../roles.ts';

export type { AnalysisRoles,  } from '../roles.ts';

export interface CoverageResponse {
  settings: CoverageSettings;
  result: CoverageResult;
  covered: FeatureCollection<Polygon | MultiPolygon>;
  ms: number;
}

interface AreaTally {
  count: number;
  area_m2: number;
  length_m: number;
}

interface AreaLayerStats extends AreaTally {
  layerId: string;
  /** For a layer whose classes have stages (finished, in progress…): the same figures per stage. */
  byStage?: Record<string, AreaTally>;
}

/**
 * Per layer, the field its classes are read from and each value's stage (the catalogue's
 * `styleField` and its values' `stage`); a value not listed is in the stage `neutral`.
 */
export type StageFields = Readonly<Record<string, { field: string; stages: Readonly<Record<string, string>> }>>;

export interface StudyAreaResponse {
  /** The study area's own ellipsoidal area, m². */
  area_m2: number;
  layers: AreaLayerStats[];
  /** Null when the catalogue declares no analysis layers. */
  coverage: Record<CoverageKind, { area: number; covered: number; share: number }> | null;
  ms: number;
}

export interface WithinResponse {
  layerId: string;
  radius: number;
  /** The buffer itself, for drawing. */
  buffer: Feature | null;
  /** `nameEn`: the feature's Latin name, when it has one (the English UI shows it). */
  hits: { id: string; name: string; nameEn?: string; distance_m: number }[];
}

function empty(): FeatureCollection {
  return { type: 'FeatureCollection', features: [] };
}

/** The page sends large data packed (`packed-features.ts`); Node callers pass GeoJSON. */
function fromWire(x: FeatureCollection | PackedFeatureCollection): FeatureCollection {
  return x.type === 'PackedFeatureCollection' ? unpackFeatureCollection(x) : x;
}

/** The features of a layer grouped by stage, each group measured inside the study area (stages with nothing inside left out). */
function byStage(features: readonly Feature[], split: StageFields[string], area: Feature<Polygon | MultiPolygon>): Record<string, AreaTally> {
  const groups = new Map<string, Feature[]>();
  for (const f of features) {
    const value = ownValue(f.properties, split.field);
    // Own keys only: a value such as "constructor" is not a stage.
    const key = valueText(value);
    const stage = Object.hasOwn(split.stages, key) ? split.stages[key]! : 'neutral';
    if (!groups.has(stage)) groups.set(stage, []);
    groups.get(stage)!.push(f);
  }
  const out: Record<string, AreaTally> = {};
  for (const [stage, group] of groups) {
    const r = featuresInArea({ type: 'FeatureCollection', features: group }, area);
    if (r.count > 0) out[stage] = { count: r.count, area_m2: r.area_m2, length_m: r.length_m };
  }
  return out;
}

export class AnalysisApi {
  #layers: Record<string, FeatureCollection> = {};

  setLayers(layers: Record<string, FeatureCollection | PackedFeatureCollection>): void {
    this.#layers = { ...this.#layers, ...Object.fromEntries(Object.entries(layers).map(([id, fc]) => [id, fromWire(fc)])) };
  }

  /** Forgets layers the page no longer has (removed, or replaced under another id). */
  removeLayers(ids: readonly string[]): void {
    const next = { ...this.#layers };
    for (const id of ids) delete next[id];
    this.#layers = next;
  }

  /** The ids of the layers held, for tests and the page's own checks. */
  layerIds(): string[] {
    return Object.keys(this.#layers);
  }

  /** How many features a layer held here has (-1 when it is not held). */
  featureCount(id: string): number {
    return this.#layers[id]?.features.length ?? -1;
  }

  ping(n: number): number {
    return n;
  }

  #layer(id: string): FeatureCollection {
    return this.#layers[id] ?? empty();
  }

  /** The service features and radius rule for a kind of coverage. */
  #services(s: CoverageSettings, roles: AnalysisRoles): { services: FeatureCollection; radius: number | ((f: Feature) => number | null) } {
    const services: FeatureCollection = { type: 'FeatureCollection', features: roles.services[s.kind].flatMap((id) => this.#layer(id).features) };
    if (s.kind === 'parks') return { services, radius: parkRadiusFn(s.parkRules) };
    return { services, radius: s.kind === 'ebike' ? s.ebikeRadius : s.parkingRadius };
  }

  coverage(settings: CoverageSettings, roles: AnalysisRoles): CoverageResponse {
    const t0 = performance.now();
    const { services, radius } = this.#services(settings, roles);
    const targets = this.#layer(roles.residential);
    const zones = this.#layer(roles.zones).features as Feature<Polygon | MultiPolygon>[];
    const result = serviceCoverage(targets, services, { radius, zones, groupField: roles.districtField });
    const covered = coveredGeometry(targets, services, { radius });
    return { settings, result, covered, ms: performance.now() - t0 };
  }

  /** `area` is a feature, a packed collection of that one feature, or a feature of a layer held here. */
  studyArea(wire: Feature<Polygon | MultiPolygon> | PackedFeatureCollection | { layerId: string; index: number }, layerIds: string[], settings: CoverageSettings, roles: AnalysisRoles | null, stageFields: StageFields = {}): StudyAreaResponse {
    const t0 = performance.now();
    const area = ('layerId' in wire ? this.#layer(wire.layerId).features[wire.index] : wire.type === 'PackedFeatureCollection' ? fromWire(wire).features[0] : wire) as Feature<Polygon | MultiPolygon> | undefined;
    if (!area) throw new Error('the study area is not among the layers the analysis holds');
    const area_m2 = geodesicArea(area.geometry);
    const layers = layerIds.map((layerId): AreaLayerStats => {
      const split = stageFields[layerId];
      if (split) {
        // Measured stage by stage, the layer's figures being their sums: each feature is intersected once.
        const stages = byStage(this.#layer(layerId).features, split, area);
        const sum = (k: keyof AreaTally): number => Object.values(stages).reduce((s, x) => s + x[k], 0);
        return { layerId, count: sum('count'), area_m2: sum('area_m2'), length_m: sum('length_m'), byStage: stages };
      }
      const r = featuresInArea(this.#layer(layerId), area);
      return { layerId, count: r.count, area_m2: r.area_m2, length_m: r.length_m };
    });
    if (!roles) return { area_m2, layers, coverage: null, ms: performance.now() - t0 };
    const zoneId = '__study_area__';
    const zone: Feature<Polygon | MultiPolygon> = { ...area, properties: { ...(area.properties ?? {}), id: zoneId } };
    const coverage = {} as NonNullable<StudyAreaResponse['coverage']>;
    for (const kind of COVERAGE_KINDS) {
      const { services, radius } = this.#services({ ...settings, kind }, roles);
      const r = serviceCoverage(this.#layer(roles.residential), services, { radius, zones: [zone], groupField: roles.districtField });
      const z = r.byZone[zoneId];
      coverage[kind] = z ? { area: z.area, covered: z.covered, share: z.share } : { area: 0, covered: 0, share: 0 };
    }
    return { area_m2, layers, coverage, ms: performance.now() - t0 };
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
      ...(typeof h.feature.properties?.name_en === 'string' && h.feature.properties.name_en ? { nameEn: h.feature.properties.name_en } : {}),
      distance_m: h.distance_m,
    }));
    const buffer = radius > 0 ? (bufferGeometry(source, radius) as Feature | null) : null;
    return { layerId, radius, buffer, hits };
  }
}
