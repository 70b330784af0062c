/**
 * The covering problems as integer programmes, solved by HiGHS (compiled to WebAssembly,
 * npm `highs`), for the figure that says how good the greedy's answer is:
 *
 * - maximal covering (MCLP, Church & ReVelle 1974), N sites:
 *   max Σ wᵢ yᵢ  s.t.  yᵢ ≤ Σ_{j reaches i} xⱼ,  Σ xⱼ ≤ N,  x ∈ {0,1}, 0 ≤ y ≤ 1;
 * - set covering of a share (LSCP, Toregas et al. 1971, partial form), target T m²:
 *   min Σ xⱼ  s.t.  yᵢ ≤ Σ_{j reaches i} xⱼ,  Σ wᵢ yᵢ ≥ T,  x ∈ {0,1}, 0 ≤ y ≤ 1.
 *
 * y may stay continuous: with x whole, the best y is whole too. The fast answer is
 * handed to HiGHS as its first incumbent. A model too big to branch on in reasonable time
 * is solved as its LP relaxation, whose optimum still bounds every whole answer; a solve
 * stopped by its time limit reports HiGHS's dual bound. Either way the gap can be stated.
 *
 * The solver is passed in (`SolverLike`), so the worker can load it lazily from its own
 * origin and Node tests can load it from the package.
 */
import type { Highs, ModelData } from 'highs';
import type { CoveringModel } from './covering-model.ts';
import type { ExactOutcome } from './types.ts';

/** What of the loaded HiGHS runtime this needs. */
export type SolverLike = Pick<Highs, 'createModel' | 'constants' | 'infinity'>;

export interface ExactOptions {
  /** Seconds before the solve stops and reports its bound (default 20). */
  timeLimit?: number;
  /**
   * Above this many demand rows only the LP relaxation is solved (default 3,000): HiGHS in
   * WebAssembly branches on a few thousand rows in seconds, on fifteen thousand not in minutes.
   */
  mipMaxRows?: number;
  /** Candidates the greedy chose: HiGHS starts from them. */
  start?: readonly number[];
}

const DEFAULTS = { timeLimit: 20, mipMaxRows: 3_000 } as const;

export interface ExactResult extends ExactOutcome {
  /** The candidates of the best whole solution found. */
  chosen: number[];
}

type Goal = { sites: number } | { value: number };

/**
 * Solves the model for `goal`: N sites (value in m² of new demand covered) or a value to
 * reach (value in sites). `now` gives milliseconds (performance.now fits).
 */
export function solveExact(highs: SolverLike, model: CoveringModel, goal: Goal, options: ExactOptions = {}, now: () => number = () => performance.now()): ExactResult {
  const t0 = now();
  const o = { ...DEFAULTS, ...options };
  const n = model.candidates;
  const m = model.rows;
  const maximise = 'sites' in goal;
  if (maximise && !(Number.isInteger(goal.sites) && goal.sites >= 0)) throw new Error(`sites must be a whole number ≥ 0, got ${String(goal.sites)}`);
  if (!maximise && !Number.isFinite(goal.value)) throw new Error(`value must be a finite number of m², got ${String(goal.value)}`);
  // Nothing to choose from, or nothing left to cover: the answer needs no solver.
  if (n === 0 || m === 0) {
    const reachable = maximise || goal.value <= 0;
    return { status: reachable ? 'optimal' : 'failed', value: reachable ? 0 : null, bound: 0, ms: now() - t0, chosen: [], ...(reachable ? {} : { message: 'no candidate reaches any uncovered land' }) };
  }
  // Weights in units of the largest row, so the solver's tolerances mean the same for any city.
  let scale = 0;
  for (const w of model.weight) scale = Math.max(scale, w);
  const nonzeros = model.rowCols.length + m + (maximise ? n : m);
  const lpOnly = m > o.mipMaxRows;

  const colCost = new Float64Array(n + m);
  if (maximise) for (let i = 0; i < m; i++) colCost[n + i] = model.weight[i]! / scale;
  else colCost.fill(1, 0, n);
  const colLower = new Float64Array(n + m);
  const colUpper = new Float64Array(n + m).fill(1);
  const rowLower = new Float64Array(m + 1).fill(-highs.infinity);
  const rowUpper = new Float64Array(m + 1);
  if (maximise) rowUpper[m] = goal.sites;
  else {
    rowLower[m] = goal.value / scale;
    rowUpper[m] = highs.infinity;
  }
  // Column-wise: x_j has −1 in each row it reaches (and +1 in the count row when
  // maximising); y_i has +1 in its row (and w_i in the coverage row when covering).
  const starts = new Int32Array(n + m + 1);
  const indices = new Int32Array(nonzeros);
  const values = new Float64Array(nonzeros);
  let k = 0;
  for (let j = 0; j < n; j++) {
    starts[j] = k;
    for (let q = model.colStart[j]!; q < model.colStart[j + 1]!; q++) {
      indices[k] = model.colRows[q]!;
      values[k++] = -1;
    }
    if (maximise) {
      indices[k] = m;
      values[k++] = 1;
    }
  }
  for (let i = 0; i < m; i++) {
    starts[n + i] = k;
    indices[k] = i;
    values[k++] = 1;
    if (!maximise) {
      indices[k] = m;
      values[k++] = model.weight[i]! / scale;
    }
  }
  starts[n + m] = k;
  const integrality = new Int32Array(n + m);
  if (!lpOnly) integrality.fill(highs.constants.variableType.integer, 0, n);
  const data: ModelData = {
    numCols: n + m,
    numRows: m + 1,
    sense: maximise ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    matrix: { format: 'csc', numRows: m + 1, numCols: n + m, starts, indices: indices.subarray(0, k), values: values.subarray(0, k) },
    integrality,
  };

  const solver = highs.createModel(data);
  try {
    solver.options.set({ output_flag: false, time_limit: o.timeLimit, mip_rel_gap: 1e-6, mip_abs_gap: 1e-9 });
    // These LPs are very degenerate: the primal simplex solves them several times faster than the dual.
    if (lpOnly) solver.options.set({ simplex_strategy: 4 });
    if (o.start && !lpOnly) solver.setSolution({ colValue: startValues(model, o.start) });
    solver.run();
    const status = solver.getModelStatus();
    const S = highs.constants.modelStatus;
    const toValue = (v: number): number => (maximise ? v * scale : v);
    const solution = status === S.optimal || status === S.timeLimit ? solver.getSolution() : null;
    const chosen: number[] = [];
    if (solution?.colValue) for (let j = 0; j < n; j++) if ((solution.colValue[j] ?? 0) > 0.5) chosen.push(j);
    if (lpOnly) {
      if (status !== S.optimal) return failed(now() - t0, `the LP relaxation ended with status ${status}`);
      return { status: 'lp', value: null, bound: toValue(solver.getObjectiveValue()), ms: now() - t0, chosen: [] };
    }
    if (status === S.optimal) {
      const v = toValue(solver.getObjectiveValue());
      return { status: 'optimal', value: maximise ? v : Math.round(v), bound: maximise ? v : Math.round(v), ms: now() - t0, chosen };
    }
    if (status === S.timeLimit) {
      const bound = Number(solver.info.get('mip_dual_bound'));
      const hasValue = chosen.length > 0 || (solution !== null && Number(solver.info.get('primal_solution_status')) > 0);
      return {
        status: 'limit',
        value: hasValue ? (maximise ? toValue(solver.getObjectiveValue()) : chosen.length) : null,
        bound: Number.isFinite(bound) ? (maximise ? bound * scale : Math.ceil(bound - 1e-6)) : null,
        ms: now() - t0,
        chosen,
      };
    }
    return failed(now() - t0, status === S.infeasible ? 'no set of candidates reaches the target' : `the solver ended with status ${status}`);
  } finally {
    solver.dispose();
  }
}

function failed(ms: number, message: string): ExactResult {
  return { status: 'failed', value: null, bound: null, ms, chosen: [], message };
}

/** x = 1 for the chosen candidates, y = 1 for every row they reach. */
function startValues(model: CoveringModel, chosen: readonly number[]): Float64Array {
  const v = new Float64Array(model.candidates + model.rows);
  for (const j of chosen) {
    v[j] = 1;
    for (let q = model.colStart[j]!; q < model.colStart[j + 1]!; q++) v[model.candidates + model.colRows[q]!] = 1;
  }
  return v;
}
