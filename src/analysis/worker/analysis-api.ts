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
import { transfer } from 'comlink';
import { roadCandidates } from '../planning/candidates.ts';
import type { CoveringModel } from '../planning/covering-model.ts';
import type { SolverLike } from '../planning/exact.ts';
import { scenarioCoverage, scenarioServices, todayServices, type ServiceLayer } from '../planning/scenario-coverage.ts';
import { exactFigure, suggestSites, type Candidate, type ExactInput } from '../planning/suggest.ts';
import type { ExactFigure, Scenario, ScenarioResponse, SuggestRequest, SuggestResponse } from '../planning/types.ts';
import { createLocalFrame, type LocalFrame } from '../coverage/local-frame.ts';
import { BASEMAP_LAND, BASEMAP_ROADS } from './basemap-keys.ts';

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

/** Ids under which the page hands the basemap's roads and land to a planning worker. */

export interface AnalysisApiDeps {
  /** Loads HiGHS (on first use): the worker fetches its .wasm from the app's origin; Node finds it in the package. */
  loadSolver?: () => Promise<SolverLike>;
}

/** What planning reads of the layers for one kind of service, and what identifies it. */
interface PlanningInputs {
  services: ServiceLayer[];
  radius: number | ((f: Feature) => number | null);
  targets: FeatureCollection;
  zones: Feature<Polygon | MultiPolygon>[];
  key: unknown[];
}

/** A suggestion, and what its optimality figure is computed from (sent on to another worker). */
export interface SuggestAnswer {
  response: SuggestResponse;
  exact: ExactInput;
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
  readonly #loadSolver: () => Promise<SolverLike>;
  #solver: Promise<SolverLike> | null = null;
  /** Today's coverage of one kind, and what it was computed from, so each scenario run computes only its own. */
  #baseline: { key: readonly unknown[]; result: CoverageResult } | null = null;
  #frame: LocalFrame | null = null;

  constructor(deps: AnalysisApiDeps = {}) {
    this.#loadSolver = deps.loadSolver ?? (async () => (await import('highs')).default());
  }

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
  /** The service layers of a kind and their radius rule. */
  #planningInputs(kind: CoverageKind, settings: CoverageSettings, roles: AnalysisRoles): PlanningInputs {
    const s = { ...settings, kind };
    const { radius } = this.#services(s, roles);
    const services = roles.services[kind].map((layerId) => ({ layerId, data: this.#layer(layerId) }));
    const targets = this.#layer(roles.residential);
    const zones = this.#layer(roles.zones).features as Feature<Polygon | MultiPolygon>[];
    const rule = kind === 'parks' ? JSON.stringify(settings.parkRules) : kind === 'ebike' ? settings.ebikeRadius : settings.parkingRadius;
    return { services, radius, targets, zones, key: [kind, rule, roles.districtField, targets, this.#layer(roles.zones), ...services.map((l) => l.data)] };
  }

  /** Today's coverage for the inputs, computed once per change of them. */
  #today(inputs: PlanningInputs, groupField: string): CoverageResult {
    const b = this.#baseline;
    if (b && b.key.length === inputs.key.length && b.key.every((x, i) => x === inputs.key[i])) return b.result;
    const result = serviceCoverage(inputs.targets, todayServices(inputs.services), { radius: inputs.radius, zones: inputs.zones, groupField });
    this.#baseline = { key: inputs.key, result };
    return result;
  }

  /** A scenario's coverage against today's: city, district, grid cell, communities. */
  scenario(scenario: Scenario, settings: CoverageSettings, roles: AnalysisRoles): ScenarioResponse {
    const inputs = this.#planningInputs(scenario.kind, settings, roles);
    const before = this.#today(inputs, roles.districtField);
    return scenarioCoverage({ targets: inputs.targets, zones: inputs.zones, groupField: roles.districtField, services: inputs.services, scenario, radius: inputs.radius }, { before });
  }

  /**
   * Suggested sites on top of the scenario's sites (today's when there is no scenario):
   * the fast answer with exact coverage, and the model its optimality figure is computed
   * from, its arrays transferred rather than copied.
   */
  suggest(request: SuggestRequest, scenario: Scenario | null, settings: CoverageSettings, roles: AnalysisRoles): SuggestAnswer {
    const inputs = this.#planningInputs(request.kind, settings, roles);
    const mine = scenario && scenario.kind === request.kind ? scenario : null;
    const services = mine ? scenarioServices(inputs.services, mine) : todayServices(inputs.services);
    const frame = (this.#frame ??= createLocalFrame());
    let candidates: Candidate[];
    const src = request.candidates;
    if (src.from === 'roads') {
      candidates = roadCandidates(this.#layer(BASEMAP_ROADS), { spacing: src.spacing, offset: src.offset }, frame).map((feature) => ({ feature }));
    } else {
      const layer = this.#layers[src.layerId];
      if (!layer) throw new Error(`the candidate layer ${src.layerId} is not loaded`);
      candidates = layer.features.map((feature, i) => ({ feature, from: { layerId: src.layerId, featureId: String(feature.properties?.id ?? feature.id ?? i) } }));
    }
    const land = this.#layers[BASEMAP_LAND] ?? null;
    const before = mine ? undefined : this.#today(inputs, roles.districtField);
    const answer = suggestSites(
      { targets: inputs.targets, zones: inputs.zones, groupField: roles.districtField, services, radius: inputs.radius, candidates, land, request },
      { frame, ...(before ? { before } : {}) },
    );
    return transfer(answer, modelBuffers(answer.exact.model));
  }

  /** The optimality figure of a suggestion: HiGHS, loaded on first use. */
  async exact(input: ExactInput): Promise<ExactFigure> {
    this.#solver ??= this.#loadSolver().catch((err: unknown) => {
      // A failed download is tried again next time.
      this.#solver = null;
      throw err;
    });
    return exactFigure(await this.#solver, input);
  }
}

function modelBuffers(m: CoveringModel): ArrayBuffer[] {
  return [m.weight, m.colStart, m.colRows, m.rowStart, m.rowCols].map((a) => a.buffer as ArrayBuffer);
}
