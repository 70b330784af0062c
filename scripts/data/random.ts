/**
 * Seeded randomness for the demo-data generator. Everything the generator draws comes
 * from one of these, in a fixed order, so `npm run data` rewrites data/ byte for byte.
 */
export interface Rng {
  /** Uniform in [0, 1). A closure, so it may be passed around on its own. */
  next(this: void): number;
  uniform(min: number, max: number): number;
  int(min: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  /** Log-normal draw with the given median and spread (sigma of ln), clamped to [min, max]. */
  logNormal(median: number, sigma: number, min: number, max: number): number;
}

/** mulberry32: tiny, fast, and good enough for layout decisions. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('cannot pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    shuffle: (items) => {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    logNormal: (median, sigma, min, max) => {
      // Box–Muller; 1 - next() keeps the log argument away from zero.
      const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return Math.min(max, Math.max(min, median * Math.exp(sigma * z)));
    },
  };
  return rng;
}

/**
 * Splits an integer total into parts proportional to `weights` that sum to it exactly
 * (largest-remainder method), so per-feature figures add up to the report's totals.
 */
export function partitionInteger(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new Error('total must be a non-negative integer');
  if (weights.length === 0) throw new Error('weights must not be empty');
  const sum = weights.reduce((s, w) => s + w, 0);
  if (!(sum > 0)) throw new Error('weights must have a positive sum');
  const exact = weights.map((w) => (w / sum) * total);
  const parts = exact.map(Math.floor);
  let rest = total - parts.reduce((s, p) => s + p, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (let k = 0; rest > 0; k++, rest--) parts[order[k % order.length]![1]]! += 1;
  return parts;
}
