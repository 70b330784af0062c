/**
 * Which parks count for park coverage, and how far they serve: a setting, not a constant.
 * The national garden-city (国家园林城市) criteria count parks of at least 5,000 m² with a
 * 500 m radius and parks of 2,000–5,000 m² with 300 m ("300 米见绿，500 米见园"); smaller
 * ones do not count. Historic districts may also count parks of at least 1,000 m² with 300 m:
 * pass `[...DEFAULT_PARK_RADIUS_RULES, { minArea: 1000, radius: 300 }]` there.
 */
import type { Feature } from 'geojson';
import { geodesicArea } from '../geodesic.ts';
import { DEFAULT_PARK_RADIUS_RULES, type ParkRadiusRule } from '../coverage-settings.ts';

export { DEFAULT_PARK_RADIUS_RULES, type ParkRadiusRule } from '../coverage-settings.ts';

/**
 * Service radius of a park of `areaM2` m²: the rule with the largest `minArea` the park
 * reaches (rules may come in any order), or null when it reaches none and does not count.
 */
export function parkServiceRadius(areaM2: number, rules: readonly ParkRadiusRule[] = DEFAULT_PARK_RADIUS_RULES): number | null {
  if (typeof areaM2 !== 'number' || !Number.isFinite(areaM2) || areaM2 < 0) {
    throw new Error(`area must be a finite number of m² ≥ 0, got ${String(areaM2)}`);
  }
  checkRules(rules);
  let best: ParkRadiusRule | null = null;
  for (const rule of rules) {
    if (areaM2 >= rule.minArea && (!best || rule.minArea > best.minArea)) best = rule;
  }
  return best ? best.radius : null;
}

/** A `radius` option for serviceCoverage: each park's radius from its ellipsoidal area. */
export function parkRadiusFn(rules: readonly ParkRadiusRule[] = DEFAULT_PARK_RADIUS_RULES): (f: Feature) => number | null {
  checkRules(rules);
  // Copied so a caller editing its settings later does not change a run in progress.
  const own = rules.map((r) => ({ minArea: r.minArea, radius: r.radius }));
  return (f) => parkServiceRadius(geodesicArea(f.geometry), own);
}

function checkRules(rules: readonly ParkRadiusRule[]): void {
  if (!Array.isArray(rules)) throw new Error('rules must be an array of { minArea, radius }');
  rules.forEach((rule, i) => {
    const { minArea, radius } = (rule ?? {}) as Partial<ParkRadiusRule>;
    if (typeof minArea !== 'number' || !Number.isFinite(minArea) || minArea < 0) {
      throw new Error(`rule ${i}: minArea must be a finite number of m² ≥ 0`);
    }
    if (typeof radius !== 'number' || !Number.isFinite(radius) || radius < 0) {
      throw new Error(`rule ${i}: radius must be a finite number of metres ≥ 0`);
    }
  });
}
