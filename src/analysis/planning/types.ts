/**
 * What planning works with, as plain data and no computing code, so the store, the panels,
 * IndexedDB and the URL can hold a scenario or a suggestion without loading the solver.
 *
 * A scenario is one planner's what-if for one service: sites proposed (placed, drawn,
 * converted from an idle plot, or suggested) and existing sites closed. Its coverage is
 * the coverage engine run on the existing sites minus the closed ones plus the proposed
 * ones (`scenario-coverage.ts`).
 */
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { CoverageKind } from '../roles.ts';
import type { CoverageTally } from '../coverage/coverage.ts';

/** A feature of a catalogue layer, named by the layer and the feature's `id`. */
export interface FeatureRef {
  layerId: string;
  featureId: string;
}

export interface ProposedSite {
  /** Unique within its scenario. */
  id: string;
  /** A station or berth is a point; a park is a polygon. WGS84 lon/lat. */
  geometry: Point | Polygon | MultiPolygon;
  /** The feature it was made from (an idle plot turned into a pocket park), if any. */
  from?: FeatureRef;
  /** How it came to be: placed or drawn by hand, converted, or picked by "suggest". */
  origin: 'placed' | 'drawn' | 'converted' | 'suggested';
  /** What the planner calls it; empty for a default name made up by the UI. */
  name: string;
}

export interface Scenario {
  id: string;
  name: string;
  /** The service the scenario is about. */
  kind: CoverageKind;
  added: ProposedSite[];
  /** Existing service features closed in this scenario. */
  closed: FeatureRef[];
  /** ISO date-times. */
  created: string;
  updated: string;
}

/** A coverage result cut down to what the planning views show and compare. */
export interface CoverageSummary {
  total: CoverageTally;
  byGroup: Record<string, CoverageTally>;
  byZone: Record<string, CoverageTally>;
}

/** One grid cell before and after. Shares 0–1; a cell without residential land has area 0. */
export interface ZoneChange {
  id: string;
  area: number;
  before: number;
  after: number;
}

/** A community whose coverage crossed the line (`NEWLY_COVERED_SHARE`). */
export interface TargetChange {
  id: string;
  /** Its name, and its Latin name when it has one. */
  name: string;
  nameEn?: string;
  before: number;
  after: number;
}

export interface ScenarioResponse {
  scenarioId: string;
  /** When the scenario was last changed, so a stale answer is recognised. */
  updated: string;
  kind: CoverageKind;
  before: CoverageSummary;
  after: CoverageSummary;
  zones: ZoneChange[];
  /** Grid cells whose share reached (or fell below) 80 % and 90 % of residential land. */
  crossed: { up80: string[]; up90: string[]; down80: string[]; down90: string[] };
  /** Communities now mostly within reach that were not, and the other way round. */
  newlyCovered: TargetChange[];
  noLongerCovered: TargetChange[];
  /** Per proposed site, its service radius in metres (null: too small to count under the park rules). */
  radii: Record<string, number | null>;
  /** The residential land within reach of the proposed sites, for drawing. */
  reach: FeatureCollection<Polygon | MultiPolygon>;
  ms: number;
}

/** Where candidate sites come from. */
type CandidateSource =
  /** Points along the road network every `spacing` m, `offset` m either side of the centreline (on the pavement). */
  | { from: 'roads'; spacing: number; offset: number }
  /** The features of a layer (idle plots, an imported layer). */
  | { from: 'layer'; layerId: string };

export interface SuggestRequest {
  kind: CoverageKind;
  /** Choose `sites` new sites (maximal covering), or the fewest reaching `share` of residential land (set covering). */
  goal: { sites: number } | { share: number };
  candidates: CandidateSource;
  /** Leave out candidates within this many metres of an existing or proposed site; 0 keeps them all. */
  minDistance: number;
  /** Leave out candidates off the land. */
  onLand: boolean;
  /** Side of a demand unit in metres (default 25). */
  cell?: number;
  /** Seconds the exact solve may take before its bound is reported instead (default 20). */
  exactSeconds?: number;
}

/** How the exact integer programme went. */
export interface ExactOutcome {
  /**
   * optimal: solved to proven optimality; limit: stopped at the time limit with a bound;
   * lp: too big to branch, only the LP relaxation's bound; failed: the solver could not say.
   */
  status: 'optimal' | 'limit' | 'lp' | 'failed';
  /** Best whole solution's value (m² covered, or sites for a target), when there is one. */
  value: number | null;
  /** A bound no solution can beat: the optimum's value when optimal. */
  bound: number | null;
  ms: number;
  /** What went wrong, for 'failed'. */
  message?: string;
}

export interface SuggestResponse {
  kind: CoverageKind;
  goal: SuggestRequest['goal'];
  /** The chosen sites in the order taken, WGS84, with `rank` and the `gain_m2` the model gave each when taken. */
  sites: FeatureCollection<Point | Polygon | MultiPolygon>;
  /** Candidates found, and those left out and why. */
  candidates: { total: number; kept: number; offLand: number; nearExisting: number; tooSmall: number };
  /** Exact coverage (the coverage engine) of the services before and with the chosen sites. */
  before: CoverageSummary;
  after: CoverageSummary;
  /**
   * The fast answer on the demand model: the lazy greedy, then swaps. `value` is the m² of
   * new demand the final sites cover; `greedyValue` what the greedy alone covered; `sites`
   * how many the model needed (a target may need more once the engine checks).
   */
  fast: { value: number; greedyValue: number; sites: number; swaps: number; evaluations: number; ms: number };
  /** The demand model: units of residential land, distinct rows after merging, the cell size, m² in all and covered already. */
  model: { units: number; rows: number; cell: number; demand: number; coveredBefore: number };
  /** The target could not be reached with every candidate (set covering). */
  unreachable: boolean;
  ms: number;
}

/** The optimality figure of a suggestion, computed after it (it can take seconds). */
export interface ExactFigure {
  exact: ExactOutcome;
  /**
   * How far the fast answer may be from the optimum, as a share of the optimum (or of the
   * bound): for N sites the new coverage given up, for a target the extra sites. null when
   * the solve gave nothing to compare with.
   */
  gap: number | null;
}

/** A community counts as covered when at least this share of its land is within reach. */
export const NEWLY_COVERED_SHARE = 0.5;

/** The grid-cell thresholds the standards name: GB 55014-2021 §2.1.3 and GB/T 51346-2019 §4.3.4. */
export const CELL_TARGETS = [0.8, 0.9] as const;
