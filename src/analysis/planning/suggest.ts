/**
 * "Suggest sites": choose new sites among candidates to cover the most residential land
 * (N sites), or the fewest that bring coverage to a share (a target), on top of the sites
 * there are now.
 *
 * The demand model (`demand-units.ts`) turns the question into a covering problem. The
 * fast answer is the lazy greedy (`greedy.ts`) refined by swaps (`interchange.ts`):
 * milliseconds to a few hundred. How far it is from the best possible on the same model
 * is the integer programme's business (`exact.ts`, HiGHS), which can take seconds, so it
 * is a second step (`exactFigure`) the app runs in a worker of its own: the answer is on
 * screen while the figure that grades it is still being computed.
 *
 * The figures reported before and after come from the exact coverage engine run on the
 * sites there are, and those plus the chosen ones, so they agree with the rest of the app;
 * for a target, sites are added one at a time until the engine, not only the model, says
 * the target is reached.
 */
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { createLocalFrame, type LocalFrame } from '../coverage/local-frame.ts';
import { serviceCoverage, type CoverageResult } from '../coverage/coverage.ts';
import type { RadiusOption } from '../coverage/service-shapes.ts';
import { filterCandidates } from './candidates.ts';
import { buildCoveringModel, marginalGains, type CoveringModel } from './covering-model.ts';
import { buildDemandUnits } from './demand-units.ts';
import { solveExact, type SolverLike } from './exact.ts';
import { lazyGreedy } from './greedy.ts';
import { interchange } from './interchange.ts';
import { coveredUnits, siteReach, unitsWithin } from './reach.ts';
import { summarizeCoverage } from './summary.ts';
import type { ExactFigure, FeatureRef, SuggestRequest, SuggestResponse } from './types.ts';

/** A candidate site, and the layer feature it is when it is one. */
export interface Candidate {
  feature: Feature;
  from?: FeatureRef;
}

export interface SuggestInput {
  /** Residential land. */
  targets: FeatureCollection;
  /** Grid cells the figures are broken down by. */
  zones: readonly Feature<Polygon | MultiPolygon>[];
  /** The target property naming the district. */
  groupField: string;
  /** The sites there are (existing, less those closed, plus those proposed). */
  services: FeatureCollection;
  radius: RadiusOption;
  candidates: readonly Candidate[];
  /** Land polygons, for leaving out candidates off the land. */
  land: FeatureCollection | null;
  request: SuggestRequest;
}

export interface SuggestDeps {
  /** The coverage of `services` already computed, to save computing it again. */
  before?: CoverageResult;
  now?: () => number;
  signal?: AbortSignal;
  /** A frame made already (a worker keeps one). */
  frame?: LocalFrame;
}

/** What the exact step needs: the model, the goal on it, and the fast answer to grade. */
export interface ExactInput {
  model: CoveringModel;
  goal: { sites: number } | { value: number };
  /** The fast answer: candidates chosen on the model, and the m² of new demand they cover. */
  chosen: number[];
  value: number;
  /** Seconds the solve may take. */
  timeLimit: number;
}

export interface SuggestOutcome {
  response: SuggestResponse;
  exact: ExactInput;
}

const DEFAULTS = { cell: 25, exactSeconds: 20 } as const;
/** Sites added beyond the model's answer to a target before giving up on the engine agreeing. */
const MAX_TOP_UP = 25;
/** A target counts as reached this close: the engine's own error is of order 1e-6 of the area. */
const TARGET_TOLERANCE = 1e-6;

function checkSuggestRequest(r: SuggestRequest): void {
  if ('sites' in r.goal) {
    if (!(Number.isInteger(r.goal.sites) && r.goal.sites >= 1 && r.goal.sites <= 1000)) throw new Error(`the number of sites must be a whole number from 1 to 1,000, got ${String(r.goal.sites)}`);
  } else if (!(typeof r.goal.share === 'number' && r.goal.share > 0 && r.goal.share <= 1)) throw new Error(`the target must be a share above 0 and at most 1, got ${String(r.goal.share)}`);
  if (!(Number.isFinite(r.minDistance) && r.minDistance >= 0)) throw new Error(`the distance from existing sites must be a number of metres ≥ 0, got ${String(r.minDistance)}`);
  if (r.candidates.from === 'roads' && !(r.candidates.spacing >= 5)) throw new Error(`the spacing along roads must be at least 5 m, got ${String(r.candidates.spacing)}`);
  if (r.cell !== undefined && !(r.cell >= 5 && r.cell <= 500)) throw new Error(`the demand cell must be 5–500 m, got ${String(r.cell)}`);
}

/** The fast answer, with exact coverage before and after, and what the exact step needs. */
export function suggestSites(input: SuggestInput, deps: SuggestDeps = {}): SuggestOutcome {
  const { request, targets, zones, groupField, services, radius } = input;
  const { signal } = deps;
  checkSuggestRequest(request);
  const now = deps.now ?? (() => performance.now());
  const t0 = now();
  const frame = deps.frame ?? createLocalFrame();
  const cell = request.cell ?? DEFAULTS.cell;

  const units = buildDemandUnits(targets, frame, { cell, ...(signal ? { signal } : {}) });
  const covered = coveredUnits(units, services.features, radius, frame, signal);
  const filtered = filterCandidates(input.candidates.map((c) => c.feature), { land: request.onLand ? input.land : null, sites: services.features, minDistance: request.minDistance }, frame);
  const keptSet = new Set(filtered.kept);
  const usable: Candidate[] = [];
  const reach: Int32Array[] = [];
  let tooSmall = 0;
  input.candidates.forEach((c, i) => {
    if (!keptSet.has(c.feature)) return;
    signal?.throwIfAborted();
    const r = siteReach(c.feature, i, radius, frame);
    if (!r) {
      tooSmall++;
      return;
    }
    usable.push(c);
    reach.push(unitsWithin(units, r.site, r.r));
  });
  const model = buildCoveringModel(units.weight, covered, reach);

  const goal = request.goal;
  let chosen: number[];
  let value: number;
  let greedyValue: number;
  let swaps = 0;
  let evaluations: number;
  if ('sites' in goal) {
    const g = lazyGreedy(model, { count: goal.sites }, signal);
    const x = interchange(model, g.chosen, undefined, signal);
    ({ evaluations } = g);
    greedyValue = g.value;
    chosen = x.chosen;
    value = x.value;
    swaps = x.swaps;
  } else {
    // Sums taken in another order differ in the last bits: reached means reached to the tolerance.
    const needed = goal.share * model.total - model.covered - TARGET_TOLERANCE * model.total;
    const g = needed > 0 ? lazyGreedy(model, { value: needed }, signal) : { chosen: [], gains: [], value: 0, evaluations: 0 };
    ({ chosen, value, evaluations } = g);
    greedyValue = g.value;
    // Fewer sites may do: the greedy's first k − 1, improved by swaps, tried until they fall short.
    while (chosen.length > 1 && value >= needed) {
      const fewer = lazyGreedy(model, { count: chosen.length - 1 }, signal);
      const x = interchange(model, fewer.chosen, undefined, signal);
      if (x.value < needed) break;
      swaps += x.swaps;
      chosen = x.chosen;
      value = x.value;
    }
  }
  const modelSites = chosen.length;
  const fastMs = now() - t0;

  const coverage = (fc: FeatureCollection): CoverageResult => serviceCoverage(targets, fc, { radius, zones, groupField, ...(signal ? { signal } : {}) });
  const before = deps.before ?? coverage(services);
  const withChosen = (picked: readonly number[]): FeatureCollection => ({ type: 'FeatureCollection', features: [...services.features, ...picked.map((j) => usable[j]!.feature)] });
  let after = coverage(withChosen(chosen));
  let unreachable = false;
  if ('share' in goal) {
    // The model decides on centroids; the engine has the last word on the target.
    let extra = 0;
    while (after.total.share < goal.share - TARGET_TOLERANCE && extra < MAX_TOP_UP) {
      const more = lazyGreedy(model, { count: 1 }, signal, chosen);
      if (more.chosen.length === 0) break;
      chosen = [...chosen, more.chosen[0]!];
      after = coverage(withChosen(chosen));
      extra++;
    }
    unreachable = after.total.share < goal.share - TARGET_TOLERANCE;
  }

  // What each site adds to those before it in the list (swaps may have replaced a greedy pick).
  const gains = marginalGains(model, chosen);
  const sites: FeatureCollection<Point | Polygon | MultiPolygon> = {
    type: 'FeatureCollection',
    features: chosen.map((j, rank) => {
      const c = usable[j]!;
      const p = c.feature.properties ?? {};
      return {
        type: 'Feature',
        properties: {
          id: `S${rank + 1}`,
          rank: rank + 1,
          gain_m2: Math.round(gains[rank]! * 100) / 100,
          ...(c.from ? { from_layer: c.from.layerId, from_id: c.from.featureId } : {}),
          ...(typeof p.name === 'string' ? { name: p.name } : {}),
          ...(typeof p.road === 'string' ? { road: p.road } : {}),
        },
        geometry: c.feature.geometry as Point | Polygon | MultiPolygon,
      };
    }),
  };
  const response: SuggestResponse = {
    kind: request.kind,
    goal,
    sites,
    candidates: { total: input.candidates.length, kept: usable.length, offLand: filtered.offLand, nearExisting: filtered.nearExisting, tooSmall },
    before: summarizeCoverage(before),
    after: summarizeCoverage(after),
    fast: { value, greedyValue, sites: modelSites, swaps, evaluations, ms: fastMs },
    model: { units: units.count, rows: model.rows, cell, demand: model.total, coveredBefore: model.covered },
    unreachable,
    ms: now() - t0,
  };
  const exactGoal = 'sites' in goal ? { sites: goal.sites } : { value: Math.max(0, (goal.share - TARGET_TOLERANCE) * model.total - model.covered) };
  return { response, exact: { model, goal: exactGoal, chosen: chosen.slice(0, modelSites), value, timeLimit: request.exactSeconds ?? DEFAULTS.exactSeconds } };
}

/**
 * The optimality figure: the integer programme on the same model, and how far the fast
 * answer is from its optimum or bound. N sites: the share of the optimum's new coverage
 * the fast answer gives up; a target: the share of extra sites.
 */
export function exactFigure(solver: SolverLike, input: ExactInput, now?: () => number): ExactFigure {
  const { model, goal } = input;
  const r = solveExact(solver, model, goal, { timeLimit: input.timeLimit, start: input.chosen }, now);
  const { chosen: _chosen, ...exact } = r;
  const bound = r.bound;
  let gap: number | null = null;
  if (bound !== null) {
    if ('sites' in goal) gap = bound > 0 ? Math.max(0, (bound - input.value) / bound) : 0;
    else gap = bound > 0 ? Math.max(0, (input.chosen.length - bound) / bound) : input.chosen.length === 0 ? 0 : null;
  }
  return { exact, gap };
}
