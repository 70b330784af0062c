/**
 * The greedy for covering problems: take the candidate that adds the most uncovered demand,
 * again and again. Coverage is submodular, so this is within 1 − 1/e of the optimum for N
 * sites in the worst case, and usually within a fraction of a percent.
 *
 * `lazyGreedy` is CELF (Leskovec et al. 2007): a candidate's gain can only shrink as
 * others are chosen, so its last computed gain is an upper bound; candidates wait in a
 * max-heap by that bound, and only the one on top is recomputed. When its fresh gain still
 * tops the heap, it is the best, and no other candidate needs looking at. `plainGreedy`
 * recomputes every candidate's gain at every step; both break ties by the lower candidate
 * index, so they choose the same sites (the tests hold them to it), the lazy one with far
 * fewer evaluations.
 */
import type { CoveringModel } from './covering-model.ts';

/** When to stop: after `count` sites, or once `value` m² of new demand is covered; whichever first. */
export interface GreedyStop {
  count?: number;
  value?: number;
}

export interface GreedyResult {
  /** Candidates in the order taken. */
  chosen: number[];
  /** What each added, m². */
  gains: number[];
  /** New demand covered, m². */
  value: number;
  /** Marginal gains computed. */
  evaluations: number;
}

function checkStop(stop: GreedyStop): void {
  if (stop.count === undefined && stop.value === undefined) throw new Error('the greedy needs a number of sites or a value to reach');
  if (stop.count !== undefined && !(Number.isInteger(stop.count) && stop.count >= 0)) throw new Error(`count must be a whole number ≥ 0, got ${String(stop.count)}`);
  if (stop.value !== undefined && !Number.isFinite(stop.value)) throw new Error(`value must be a finite number of m², got ${String(stop.value)}`);
}

const done = (stop: GreedyStop, n: number, value: number): boolean => (stop.count !== undefined && n >= stop.count) || (stop.value !== undefined && value >= stop.value);

function gainOf(model: CoveringModel, hit: Uint8Array, j: number): number {
  let g = 0;
  const { colRows, weight } = model;
  for (let k = model.colStart[j]!; k < model.colStart[j + 1]!; k++) {
    const i = colRows[k]!;
    if (!hit[i]) g += weight[i]!;
  }
  return g;
}

function take(model: CoveringModel, hit: Uint8Array, j: number): void {
  for (let k = model.colStart[j]!; k < model.colStart[j + 1]!; k++) hit[model.colRows[k]!] = 1;
}

/**
 * CELF: the greedy's choice with lazy re-evaluation. `taken` are sites chosen already: the
 * greedy carries on from them (they are not in the result).
 */
export function lazyGreedy(model: CoveringModel, stop: GreedyStop, signal?: AbortSignal, taken: readonly number[] = []): GreedyResult {
  checkStop(stop);
  const n = model.candidates;
  const hit = new Uint8Array(model.rows);
  const skip = new Uint8Array(n);
  for (const j of taken) {
    skip[j] = 1;
    take(model, hit, j);
  }
  const heap = new Heap(n);
  let evaluations = 0;
  for (let j = 0; j < n; j++) {
    if (skip[j]) continue;
    heap.push(j, gainOf(model, hit, j), 0);
    evaluations++;
  }
  const chosen: number[] = [];
  const gains: number[] = [];
  let value = 0;
  while (!done(stop, chosen.length, value) && heap.size > 0) {
    signal?.throwIfAborted();
    const [j, g, round] = heap.top();
    if (round === chosen.length) {
      heap.pop();
      // Nothing left adds anything: more sites would be sites for nothing.
      if (!(g > 0)) break;
      take(model, hit, j);
      chosen.push(j);
      gains.push(g);
      value += g;
    } else {
      heap.replaceTop(j, gainOf(model, hit, j), chosen.length);
      evaluations++;
    }
  }
  return { chosen, gains, value, evaluations };
}

/** The plain greedy: every remaining candidate's gain recomputed at every step. The baseline for the bench. */
export function plainGreedy(model: CoveringModel, stop: GreedyStop, signal?: AbortSignal): GreedyResult {
  checkStop(stop);
  const n = model.candidates;
  const hit = new Uint8Array(model.rows);
  const taken = new Uint8Array(n);
  const chosen: number[] = [];
  const gains: number[] = [];
  let value = 0;
  let evaluations = 0;
  while (!done(stop, chosen.length, value)) {
    signal?.throwIfAborted();
    let best = -1;
    let bestGain = 0;
    for (let j = 0; j < n; j++) {
      if (taken[j]) continue;
      const g = gainOf(model, hit, j);
      evaluations++;
      if (g > bestGain) {
        best = j;
        bestGain = g;
      }
    }
    if (best < 0) break;
    taken[best] = 1;
    take(model, hit, best);
    chosen.push(best);
    gains.push(bestGain);
    value += bestGain;
  }
  return { chosen, gains, value, evaluations };
}

/** A binary max-heap of (candidate, gain, round), ordered by gain, then lower candidate first. */
class Heap {
  readonly #id: Int32Array;
  readonly #gain: Float64Array;
  readonly #round: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.#id = new Int32Array(capacity);
    this.#gain = new Float64Array(capacity);
    this.#round = new Int32Array(capacity);
  }

  #above(a: number, b: number): boolean {
    const ga = this.#gain[a]!;
    const gb = this.#gain[b]!;
    return ga > gb || (ga === gb && this.#id[a]! < this.#id[b]!);
  }

  #swap(a: number, b: number): void {
    const id = this.#id[a]!;
    const g = this.#gain[a]!;
    const r = this.#round[a]!;
    this.#id[a] = this.#id[b]!;
    this.#gain[a] = this.#gain[b]!;
    this.#round[a] = this.#round[b]!;
    this.#id[b] = id;
    this.#gain[b] = g;
    this.#round[b] = r;
  }

  push(id: number, gain: number, round: number): void {
    let i = this.size++;
    this.#id[i] = id;
    this.#gain[i] = gain;
    this.#round[i] = round;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#above(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  top(): [number, number, number] {
    return [this.#id[0]!, this.#gain[0]!, this.#round[0]!];
  }

  pop(): void {
    this.size--;
    if (this.size === 0) return;
    this.#id[0] = this.#id[this.size]!;
    this.#gain[0] = this.#gain[this.size]!;
    this.#round[0] = this.#round[this.size]!;
    this.#down(0);
  }

  replaceTop(id: number, gain: number, round: number): void {
    this.#id[0] = id;
    this.#gain[0] = gain;
    this.#round[0] = round;
    this.#down(0);
  }

  #down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.#above(l, m)) m = l;
      if (r < this.size && this.#above(r, m)) m = r;
      if (m === i) return;
      this.#swap(i, m);
      i = m;
    }
  }
}
