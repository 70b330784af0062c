/**
 * The covering problems by trying every set of candidates: the reference the greedy, the
 * swaps and the integer programme are checked against on tiny cases.
 */
import { coveredWeight, type CoveringModel } from '../covering-model.ts';

/** Every k-subset of 0…n−1, in lexicographic order. */
function* subsets(n: number, k: number): Generator<number[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  if (k > n) return;
  for (;;) {
    yield idx.slice();
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1]! + 1;
  }
}

/** The most new demand any `k` candidates cover (fewer if there are fewer candidates). */
export function bruteMaxCover(model: CoveringModel, k: number): { value: number; chosen: number[] } {
  let best = { value: 0, chosen: [] as number[] };
  for (const s of subsets(model.candidates, Math.min(k, model.candidates))) {
    const v = coveredWeight(model, s);
    if (v > best.value + 1e-9) best = { value: v, chosen: s };
  }
  return best;
}

/** The fewest candidates covering at least `value`, or null when all of them do not. */
export function bruteMinSites(model: CoveringModel, value: number): number | null {
  for (let k = 0; k <= model.candidates; k++) {
    for (const s of subsets(model.candidates, k)) if (coveredWeight(model, s) >= value - 1e-9) return k;
  }
  return null;
}
