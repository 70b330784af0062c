import fc from 'fast-check';
import type { Feature, FeatureCollection, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createDisplayData, simplifyPath } from './display-geometry.ts';

/** Distance from p to the segment a–b. */
function toSegment(p: Position, a: Position, b: Position): number {
  const [px, py, ax, ay, bx, by] = [p[0]!, p[1]!, a[0]!, a[1]!, b[0]!, b[1]!];
  const dx = bx - ax;
  const dy = by - ay;
  const dd = dx * dx + dy * dy;
  const t = dd === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / dd));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** The largest distance of an input vertex from the output segment that replaced it. */
function worstError(path: Position[], kept: Position[]): number {
  const index = new Map(path.map((p, i) => [p, i]));
  const at = kept.map((p) => index.get(p)!);
  let worst = 0;
  for (let k = 1; k < at.length; k++) {
    for (let i = at[k - 1]!; i <= at[k]!; i++) worst = Math.max(worst, toSegment(path[i]!, kept[k - 1]!, kept[k]!));
  }
  return worst;
}

function circle(n: number, r = 0.02): Position[] {
  const ring: Position[] = [];
  for (let i = 0; i < n; i++) ring.push([122.203 + r * Math.cos((2 * Math.PI * i) / n), 29.988 + r * Math.sin((2 * Math.PI * i) / n)]);
  ring.push([...ring[0]!]);
  return ring;
}

describe('simplifyPath', () => {
  it('keeps every dropped vertex within the tolerance of the segment replacing it (random paths)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), { minLength: 0, maxLength: 300 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (pts, tol) => {
          const path = pts.map(([x, y]) => [x, y]);
          const kept = simplifyPath(path, tol);
          if (path.length === 0) return kept.length === 0;
          expect(kept[0]).toBe(path[0]);
          expect(kept.at(-1)).toBe(path.at(-1));
          expect(worstError(path, kept)).toBeLessThanOrEqual(tol * (1 + 1e-9) + 1e-15);
          return true;
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  it('keeps the vertices of a random walk that wanders back on itself within the tolerance', () => {
    const path: Position[] = [[0, 0]];
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    for (let i = 0; i < 20_000; i++) path.push([path[i]![0]! + rnd() * 1e-6, path[i]![1]! + rnd() * 1e-6]);
    const kept = simplifyPath(path, 5e-7);
    expect(worstError(path, kept)).toBeLessThanOrEqual(5e-7 * (1 + 1e-9));
    expect(kept.length).toBeLessThan(path.length);
  });

  it('reduces a finely sampled 2 km circle to a few thousand vertices and leaves a coarse one alone', () => {
    const fine = circle(200_000);
    const kept = simplifyPath(fine, 5e-8);
    expect(kept.length).toBeLessThan(5_000);
    expect(worstError(fine, kept)).toBeLessThanOrEqual(5e-8 * (1 + 1e-9));
    const coarse = circle(64);
    expect(simplifyPath(coarse, 5e-8)).toHaveLength(coarse.length);
  });

  it('refuses a bad tolerance and does not modify the input', () => {
    const path = Object.freeze(circle(100).map((p) => Object.freeze(p))) as unknown as Position[];
    expect(() => simplifyPath(path, -1)).toThrow(/tolerance/);
    expect(() => simplifyPath(path, Number.NaN)).toThrow(/tolerance/);
    simplifyPath(path, 1e-3);
  });
});

describe('createDisplayData', () => {
  const big: Feature<Polygon> = { type: 'Feature', properties: { id: 'c' }, geometry: { type: 'Polygon', coordinates: [circle(60_000)] } };
  const small: Feature<Polygon> = { type: 'Feature', properties: { id: 's' }, geometry: { type: 'Polygon', coordinates: [circle(20)] } };

  it('passes ordinary collections through as they are', () => {
    const display = createDisplayData();
    const data: FeatureCollection = { type: 'FeatureCollection', features: [small] };
    expect(display(data)).toBe(data);
  });

  it('simplifies the large geometries once, and reuses them in another collection', () => {
    const display = createDisplayData();
    const data: FeatureCollection = { type: 'FeatureCollection', features: [small, big] };
    const shown = display(data);
    expect(shown).not.toBe(data);
    expect(shown.features[0]).toBe(small);
    expect(shown.features[1]!.properties).toBe(big.properties);
    expect((shown.features[1]!.geometry as Polygon).coordinates[0]!.length).toBeLessThan(5_000);
    expect(display(data)).toBe(shown);
    expect(display({ type: 'FeatureCollection', features: [big] }).features[0]).toBe(shown.features[1]);
    expect(big.geometry.coordinates[0]).toHaveLength(60_001);
  });
});
