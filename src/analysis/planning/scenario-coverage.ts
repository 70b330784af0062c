/**
 * A scenario's coverage against the baseline: the coverage engine run on the services
 * there are now, and on the same services less those the scenario closes plus those it
 * proposes; then what changed, per district and grid cell, which cells crossed the
 * standards' 80 % and 90 % lines, and which communities came within reach.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { coveredGeometry } from '../coverage/coverage-geometry.ts';
import { serviceCoverage, type CoverageResult } from '../coverage/coverage.ts';
import { resolveRadius, type RadiusOption } from '../coverage/service-shapes.ts';
import { summarizeCoverage } from './summary.ts';
import { CELL_TARGETS, NEWLY_COVERED_SHARE, type ProposedSite, type Scenario, type ScenarioResponse, type TargetChange, type ZoneChange } from './types.ts';

/** The features of one service layer. */
export interface ServiceLayer {
  layerId: string;
  data: FeatureCollection;
}

export interface ScenarioInput {
  targets: FeatureCollection;
  zones: readonly Feature<Polygon | MultiPolygon>[];
  groupField: string;
  /** The layers that provide the scenario's service today. */
  services: readonly ServiceLayer[];
  scenario: Scenario;
  radius: RadiusOption;
}

export interface ScenarioDeps {
  /** The coverage of today's services, when it is known already. */
  before?: CoverageResult;
  signal?: AbortSignal;
  now?: () => number;
}

const idOf = (f: Feature, i: number): string => String(f.properties?.id ?? f.id ?? i);

/** A proposed site as a service feature. */
function siteFeature(site: ProposedSite): Feature {
  return { type: 'Feature', properties: { id: site.id, name: site.name, proposed: true }, geometry: site.geometry };
}

/** Today's services, every layer's together. */
export function todayServices(services: readonly ServiceLayer[]): FeatureCollection {
  return { type: 'FeatureCollection', features: services.flatMap((l) => l.data.features) };
}

/** The scenario's services: today's less the closed ones, plus the proposed ones. */
export function scenarioServices(services: readonly ServiceLayer[], scenario: Pick<Scenario, 'added' | 'closed'>): FeatureCollection {
  const closed = new Set(scenario.closed.map((c) => `${c.layerId}\u0000${c.featureId}`));
  const kept = services.flatMap((l) => l.data.features.filter((f, i) => !closed.has(`${l.layerId}\u0000${idOf(f, i)}`)));
  return { type: 'FeatureCollection', features: [...kept, ...scenario.added.map(siteFeature)] };
}

export function scenarioCoverage(input: ScenarioInput, deps: ScenarioDeps = {}): ScenarioResponse {
  const now = deps.now ?? (() => performance.now());
  const t0 = now();
  const { targets, zones, groupField, services, scenario, radius } = input;
  const options = { radius, zones, groupField, ...(deps.signal ? { signal: deps.signal } : {}) };
  const before = deps.before ?? serviceCoverage(targets, todayServices(services), options);
  const after = serviceCoverage(targets, scenarioServices(services, scenario), options);
  const added: FeatureCollection = { type: 'FeatureCollection', features: scenario.added.map(siteFeature) };
  const reach = added.features.length ? coveredGeometry(targets, added, { radius }) : { type: 'FeatureCollection' as const, features: [] };
  const radii = Object.fromEntries(added.features.map((f, i) => [scenario.added[i]!.id, resolveRadius(radius, f, i)]));
  return {
    scenarioId: scenario.id,
    updated: scenario.updated,
    kind: scenario.kind,
    before: summarizeCoverage(before),
    after: summarizeCoverage(after),
    ...compareCoverage(before, after, targets),
    radii,
    reach,
    ms: now() - t0,
  };
}

/** What changed between two coverage results of the same targets and zones. */
function compareCoverage(before: CoverageResult, after: CoverageResult, targets: FeatureCollection): Pick<ScenarioResponse, 'zones' | 'crossed' | 'newlyCovered' | 'noLongerCovered'> {
  const zones: ZoneChange[] = Object.entries(after.byZone).map(([id, a]) => {
    const b = before.byZone[id];
    return { id, area: a.area, before: b?.share ?? 0, after: a.share };
  });
  const [t80, t90] = CELL_TARGETS;
  const inhabited = zones.filter((z) => z.area > 0);
  const up = (t: number): string[] => inhabited.filter((z) => z.before < t && z.after >= t).map((z) => z.id);
  const down = (t: number): string[] => inhabited.filter((z) => z.before >= t && z.after < t).map((z) => z.id);
  const newlyCovered: TargetChange[] = [];
  const noLongerCovered: TargetChange[] = [];
  after.perTarget.forEach((a, i) => {
    const b = before.perTarget[i];
    if (!b) return;
    const was = b.share >= NEWLY_COVERED_SHARE;
    const is = a.share >= NEWLY_COVERED_SHARE;
    if (was === is) return;
    const p = targets.features[i]?.properties ?? {};
    const change: TargetChange = { id: a.id, name: typeof p.name === 'string' ? p.name : a.id, ...(typeof p.name_en === 'string' ? { nameEn: p.name_en } : {}), before: b.share, after: a.share };
    (is ? newlyCovered : noLongerCovered).push(change);
  });
  return { zones, crossed: { up80: up(t80), up90: up(t90), down80: down(t80), down90: down(t90) }, newlyCovered, noLongerCovered };
}
