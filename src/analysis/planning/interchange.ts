/**
 * Vertex substitution (Teitz & Bart 1968), the refinement desktop location–allocation
 * tools run after a greedy start: swap one chosen site for one not chosen whenever that
 * covers more, the best swap each round, until no swap helps. The greedy commits to its
 * early picks; a swap can undo one that later picks made partly redundant.
 *
 * One round costs one pass over the model: with each row's cover count and, where only
 * one chosen site covers it, which one, the loss of dropping site j and the gain of
 * adding site k in its place are sums over k's rows.
 */
import type { CoveringModel } from './covering-model.ts';

export interface InterchangeResult {
  chosen: number[];
  value: number;
  swaps: number;
}

/** Improves `chosen` (N sites) by swaps; `maxSwaps` bounds the rounds. The input is not changed. */
export function interchange(model: CoveringModel, start: readonly number[], maxSwaps = 200, signal?: AbortSignal): InterchangeResult {
  const { colStart, colRows, weight, rows, candidates } = model;
  const chosen = [...start];
  if (chosen.length === 0) return { chosen, value: 0, swaps: 0 };
  const isChosen = new Uint8Array(candidates);
  for (const j of chosen) isChosen[j] = 1;
  // Per row: how many chosen sites reach it, and the sum of their indices (the one site when the count is 1).
  const count = new Int32Array(rows);
  const owner = new Float64Array(rows);
  const add = (j: number, d: 1 | -1): void => {
    for (let q = colStart[j]!; q < colStart[j + 1]!; q++) {
      const i = colRows[q]!;
      count[i]! += d;
      owner[i]! += d * j;
    }
  };
  for (const j of chosen) add(j, 1);
  let value = 0;
  for (let i = 0; i < rows; i++) if (count[i]! > 0) value += weight[i]!;
  // What dropping each chosen site loses: rows no other chosen site reaches.
  const loss = new Float64Array(candidates);
  const extra = new Float64Array(candidates);
  const touched: number[] = [];
  let swaps = 0;
  while (swaps < maxSwaps) {
    signal?.throwIfAborted();
    loss.fill(0);
    for (let i = 0; i < rows; i++) if (count[i] === 1) loss[owner[i]!]! += weight[i]!;
    // The chosen site cheapest to drop, for a k that shares no sole-covered row with any.
    let cheapest = -1;
    for (const j of chosen) if (cheapest < 0 || loss[j]! < loss[cheapest]! || (loss[j] === loss[cheapest] && j < cheapest)) cheapest = j;
    let best = 1e-9 * Math.max(1, value);
    let bestIn = -1;
    let bestOut = -1;
    for (let k = 0; k < candidates; k++) {
      if (isChosen[k]) continue;
      let open = 0;
      for (let q = colStart[k]!; q < colStart[k + 1]!; q++) {
        const i = colRows[q]!;
        const c = count[i]!;
        if (c === 0) open += weight[i]!;
        else if (c === 1) {
          const j = owner[i]!;
          if (extra[j] === 0) touched.push(j);
          extra[j]! += weight[i]!;
        }
      }
      // Swapping k in for j gains k's open rows and, if j goes, the rows only j covered that k covers too.
      let out = cheapest;
      let delta = open - loss[cheapest]!;
      for (const j of touched) {
        const d = open + extra[j]! - loss[j]!;
        if (d > delta || (d === delta && j < out)) {
          delta = d;
          out = j;
        }
        extra[j] = 0;
      }
      touched.length = 0;
      if (delta > best) {
        best = delta;
        bestIn = k;
        bestOut = out;
      }
    }
    if (bestIn < 0) break;
    add(bestOut, -1);
    add(bestIn, 1);
    isChosen[bestOut] = 0;
    isChosen[bestIn] = 1;
    chosen[chosen.indexOf(bestOut)] = bestIn;
    value += best;
    swaps++;
  }
  // Recounted, so rounding in the running sum never shows.
  let exact = 0;
  for (let i = 0; i < rows; i++) if (count[i]! > 0) exact += weight[i]!;
  return { chosen, value: exact, swaps };
}
