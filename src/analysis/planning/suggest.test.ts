import { join } from 'node:path';
import loadHighs from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectFixture } from '../coverage/test/fixtures.ts';
import type { SolverLike } from './exact.ts';
import { exactFigure, suggestSites } from './suggest.ts';
import { planningFixtures } from './test/fixtures.ts';

let highs: SolverLike;
beforeAll(async () => {
  highs = await loadHighs();
});

/** Timings differ run to run: out of the stored outputs. */
function withoutTimes(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutTimes);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'ms').map(([k, v]) => [k, withoutTimes(v)]));
  return x;
}

describe('suggestSites fixtures (answers known by hand)', () => {
  for (const fixture of planningFixtures()) {
    it(`${fixture.name}: ${fixture.description}`, () => {
      const { response, exact } = suggestSites(fixture.input);
      const e = fixture.expect;
      const ids = (j: number): string => String(fixture.input.candidates[j]!.feature.properties?.id);
      // Weights are ellipsoidal m²; the shapes were drawn in projected metres (scale factor 1.00007).
      const close = (actual: number, expected: number): void => expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThan(expected * 5e-4 + 1e-6);
      close(response.fast.greedyValue, e.greedyValue);
      close(response.fast.value, e.value);
      expect(response.sites.features.map((f) => ids(fixture.input.candidates.findIndex((c) => c.feature.geometry === f.geometry))).sort()).toEqual(e.sites);
      if (e.offLand !== undefined) expect(response.candidates.offLand).toBe(e.offLand);
      if (e.nearExisting !== undefined) expect(response.candidates.nearExisting).toBe(e.nearExisting);
      if (e.tooSmall !== undefined) expect(response.candidates.tooSmall).toBe(e.tooSmall);
      if (e.before !== undefined) close(response.before.total.covered, e.before);
      // The exact coverage after agrees with the model here: every community is wholly in or out of reach.
      close(response.after.total.covered, (e.before ?? 0) + e.value);
      const figure = exactFigure(highs, exact);
      expect(figure.exact.status).toBe('optimal');
      if ('sites' in fixture.input.request.goal) close(figure.exact.value!, e.optimum);
      else expect(figure.exact.value).toBe(e.optimum);
      expect(figure.gap).toBeCloseTo(e.gap, 9);
      expectFixture(fixture.name, withoutTimes(response), join(import.meta.dirname, 'test', 'out'));
    });
  }
});
