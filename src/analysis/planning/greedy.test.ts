/**
 * The fast answers and the integer programme against trying every set, on tiny random
 * covering problems (fast-check, a fixed seed so a failure replays).
 */
import fc from 'fast-check';
import loadHighs from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCoveringModel, coveredWeight, marginalGains, type CoveringModel } from './covering-model.ts';
import { solveExact, type SolverLike } from './exact.ts';
import { lazyGreedy, plainGreedy } from './greedy.ts';
import { interchange } from './interchange.ts';
import { bruteMaxCover, bruteMinSites } from './test/brute-force.ts';

let highs: SolverLike;
beforeAll(async () => {
  highs = await loadHighs();
});

const SEED = 20250613;

/** A tiny problem: units with weights (some covered already), candidates reaching random units. */
const problem = fc
  .record({
    weights: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }),
    coveredBits: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    reach: fc.array(fc.array(fc.nat(11), { maxLength: 6 }), { minLength: 1, maxLength: 7 }),
    k: fc.integer({ min: 1, max: 4 }),
    fraction: fc.double({ min: 0.05, max: 1, noNaN: true }),
  })
  .map(({ weights, coveredBits, reach, k, fraction }) => {
    const n = weights.length;
    const covered = Uint8Array.from(weights.map((_, i) => (coveredBits[i] ? 1 : 0)));
    const lists = reach.map((l) => Int32Array.from([...new Set(l.filter((u) => u < n))].sort((a, b) => a - b)));
    return { weights: Float64Array.from(weights), covered, lists, k, fraction };
  });

const check = <T>(arb: fc.Arbitrary<T>, prop: (t: T) => void): void => fc.assert(fc.property(arb, prop), { seed: SEED, numRuns: 300 });

/** The weight of open units the chosen candidates reach, from the units themselves, not the model. */
function direct(weights: Float64Array, covered: Uint8Array, lists: readonly Int32Array[], chosen: readonly number[]): number {
  const hit = new Set<number>();
  for (const j of chosen) for (const u of lists[j]!) if (!covered[u]) hit.add(u);
  return [...hit].reduce((s, u) => s + weights[u]!, 0);
}

describe('the covering model', () => {
  it('merges units reached by the same candidates without changing what any set covers', () => {
    check(problem, ({ weights, covered, lists, k }) => {
      const model = buildCoveringModel(weights, covered, lists);
      const chosen = lists.map((_, j) => j).filter((j) => j % (k + 1) !== 0);
      expect(coveredWeight(model, chosen)).toBeCloseTo(direct(weights, covered, lists, chosen), 9);
      expect(model.total).toBe(weights.reduce((s, w) => s + w, 0));
      expect(model.covered).toBe(weights.reduce((s, w, u) => s + (covered[u] ? w : 0), 0));
      expect(marginalGains(model, chosen).reduce((s, g) => s + g, 0)).toBeCloseTo(coveredWeight(model, chosen), 9);
    });
  });
});

describe('the greedy on tiny cases', () => {
  it('the lazy greedy (CELF) chooses exactly what the plain greedy chooses', () => {
    check(problem, ({ weights, covered, lists, k }) => {
      const model = buildCoveringModel(weights, covered, lists);
      const lazy = lazyGreedy(model, { count: k });
      const plain = plainGreedy(model, { count: k });
      expect(lazy.chosen).toEqual(plain.chosen);
      expect(lazy.value).toBe(plain.value);
    });
  });

  it('is never better than brute force (a check of the bookkeeping) and never below 1 − 1/e of it', () => {
    check(problem, ({ weights, covered, lists, k }) => {
      const model = buildCoveringModel(weights, covered, lists);
      const best = bruteMaxCover(model, k).value;
      const greedy = lazyGreedy(model, { count: k });
      expect(greedy.value).toBeCloseTo(coveredWeight(model, greedy.chosen), 9);
      expect(greedy.value).toBeLessThanOrEqual(best + 1e-9);
      expect(greedy.value).toBeGreaterThanOrEqual((1 - 1 / Math.E) * best - 1e-9);
    });
  });

  it('swaps never make the greedy worse, and stay within what brute force finds', () => {
    check(problem, ({ weights, covered, lists, k }) => {
      const model = buildCoveringModel(weights, covered, lists);
      const greedy = lazyGreedy(model, { count: k });
      const swapped = interchange(model, greedy.chosen);
      expect(swapped.chosen).toHaveLength(greedy.chosen.length);
      expect(new Set(swapped.chosen).size).toBe(swapped.chosen.length);
      expect(swapped.value).toBeGreaterThanOrEqual(greedy.value - 1e-9);
      expect(swapped.value).toBeCloseTo(coveredWeight(model, swapped.chosen), 9);
      expect(swapped.value).toBeLessThanOrEqual(bruteMaxCover(model, k).value + 1e-9);
    });
  });

  it('stops once the value is reached, or when nothing adds anything', () => {
    const model = buildCoveringModel(Float64Array.from([5, 3, 2]), new Uint8Array(3), [Int32Array.from([0]), Int32Array.from([1]), Int32Array.from([1]), Int32Array.from([2])]);
    expect(lazyGreedy(model, { value: 8 }).chosen).toEqual([0, 1]);
    expect(lazyGreedy(model, { count: 10 }).chosen).toEqual([0, 1, 3]);
    expect(plainGreedy(model, { count: 10 }).chosen).toEqual([0, 1, 3]);
    expect(() => lazyGreedy(model, {})).toThrow('number of sites or a value');
  });
});

describe('the exact integer programme (HiGHS)', () => {
  it('finds what brute force finds for N sites', () => {
    check(problem, ({ weights, covered, lists, k }) => {
      const model: CoveringModel = buildCoveringModel(weights, covered, lists);
      const best = bruteMaxCover(model, k);
      const r = solveExact(highs, model, { sites: k });
      expect(r.status).toBe('optimal');
      expect(r.value).toBeCloseTo(best.value, 6);
      expect(r.bound).toBeCloseTo(best.value, 6);
      expect(r.chosen.length).toBeLessThanOrEqual(k);
      expect(coveredWeight(model, r.chosen)).toBeCloseTo(best.value, 6);
    });
  });

  it('finds the fewest sites brute force finds for a value to reach, or says none do', () => {
    check(problem, ({ weights, covered, lists, fraction }) => {
      const model = buildCoveringModel(weights, covered, lists);
      const all = coveredWeight(model, lists.map((_, j) => j));
      // Sometimes more than all the candidates can reach, to see infeasibility reported.
      const value = fraction * (all + (fraction > 0.9 ? 10 : 0));
      const fewest = bruteMinSites(model, value);
      const r = solveExact(highs, model, { value });
      if (fewest === null) expect(r.status).toBe('failed');
      else {
        expect(r.status).toBe('optimal');
        expect(r.value).toBe(fewest);
        expect(coveredWeight(model, r.chosen)).toBeGreaterThanOrEqual(value - 1e-6);
      }
    });
  });

  it('gives the LP relaxation as a bound when the model is too big to branch on', () => {
    // The Fano plane: seven units, seven candidates of three, any two sharing one. Two sites
    // cover five; the LP spreads 2/7 over every candidate and reaches 6/7 of each unit: 6.
    const lines = [[0, 1, 2], [0, 3, 4], [0, 5, 6], [1, 3, 5], [1, 4, 6], [2, 3, 6], [2, 4, 5]].map((l) => Int32Array.from(l));
    const model = buildCoveringModel(new Float64Array(7).fill(1), new Uint8Array(7), lines);
    const lp = solveExact(highs, model, { sites: 2 }, { mipMaxRows: 0 });
    expect(lp.status).toBe('lp');
    expect(lp.bound).toBeCloseTo(6, 6);
    expect(lp.value).toBeNull();
    const ip = solveExact(highs, model, { sites: 2 });
    expect(ip.status).toBe('optimal');
    expect(ip.value).toBeCloseTo(5, 6);
  });
});
