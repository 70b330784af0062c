/**
 * Fixture tests as Turf does them: `in/<name>.geojson` holds targets, services and zones
 * (each feature's `role`), with the options and the analytically known answers in the
 * collection's `properties`; `out/<name>.json` holds the whole result. Run with `REGEN=1`
 * to rewrite the outputs from the code, then read the diff before committing.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { expect } from 'vitest';
import type { CoverageOptions } from '../coverage.ts';
import { deepFreeze } from './support.ts';

const IN = join(import.meta.dirname, 'in');
const OUT = join(import.meta.dirname, 'out');

/** What rides in a fixture's `properties`. */
interface FixtureProperties {
  description: string;
  /** As CoverageOptions, except `radius: "property"` reads each service's `radius` property. */
  options: Omit<CoverageOptions, 'radius' | 'zones' | 'signal'> & { radius: number | 'property' };
  /** Dotted paths into the result (`byZone.Z1.area`, `perTarget.0.covered`) with value and absolute tolerance. */
  expect: Record<string, { value: number; tolerance: number }>;
}

export interface CoverageFixture {
  name: string;
  description: string;
  /** All frozen, so a function under test that mutates its input throws. */
  targets: FeatureCollection;
  services: FeatureCollection;
  options: CoverageOptions;
  expect: FixtureProperties['expect'];
}

export function coverageFixtures(): CoverageFixture[] {
  return readdirSync(IN)
    .filter((f) => f.endsWith('.geojson'))
    .sort()
    .map((file) => {
      const fc = deepFreeze(JSON.parse(readFileSync(join(IN, file), 'utf8')) as FeatureCollection & { properties: FixtureProperties });
      const byRole = (role: string): Feature[] => fc.features.filter((f) => f.properties?.role === role);
      const { radius, ...rest } = fc.properties.options;
      const zones = byRole('zone') as Feature<Polygon | MultiPolygon>[];
      const options: CoverageOptions = {
        ...rest,
        radius: radius === 'property' ? (f) => (f.properties?.radius as number | null | undefined) ?? null : radius,
        ...(zones.length > 0 ? { zones } : {}),
      };
      return {
        name: file.replace(/\.geojson$/, ''),
        description: fc.properties.description,
        targets: { type: 'FeatureCollection', features: byRole('target') },
        services: { type: 'FeatureCollection', features: byRole('service') },
        options,
        expect: fc.properties.expect,
      };
    });
}

/** The value at a dotted path (`byZone.Z1.area`). */
export function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

/**
 * Compares `actual` with `out/<name>.json` (or `<name>.json` in `dir`), or writes it there under REGEN=1. Numbers are
 * stored rounded and compared to 1e-6 relative (or 0.002 absolute), so last-bit differences
 * in Math between engines do not fail the test.
 */
export function expectFixture(name: string, actual: unknown, dir = OUT): void {
  const file = join(dir, `${name}.json`);
  const text = `${JSON.stringify(round(actual), null, 2)}\n`;
  if (process.env.REGEN) writeFileSync(file, text);
  // A missing output fails rather than being written, so a new fixture is looked at once.
  if (!existsSync(file)) throw new Error(`no expected output ${file}: run with REGEN=1 and check it`);
  expectClose(round(actual), JSON.parse(readFileSync(file, 'utf8')), '');
}

function expectClose(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const tolerance = Math.abs(expected) < 1 ? 1e-6 : Math.max(2e-3, Math.abs(expected) * 1e-6);
    if (Math.abs(actual - expected) > tolerance) expect.fail(`${path || 'value'}: ${actual} is not within ${tolerance} of ${expected}`);
    return;
  }
  if (expected && typeof expected === 'object') {
    expect(actual, path).toBeTypeOf('object');
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [key, v] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[key], v, path ? `${path}.${key}` : key);
    return;
  }
  expect(actual, path).toEqual(expected);
}

function round(value: unknown): unknown {
  // Areas to the mm², shares (below 1) to 9 significant digits.
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return value;
    return Math.abs(value) < 1 ? Number(value.toPrecision(9)) : Math.round(value * 1000) / 1000;
  }
  if (Array.isArray(value)) return value.map(round);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]));
  return value;
}
