/**
 * Fixture tests as Turf does them: `in/<name>.geojson` holds the input, with the options in
 * the collection's `properties`; `out/<name>.json` holds the expected result. Run with
 * `REGEN=1` to rewrite the outputs from the code, then read the diff before committing.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { expect } from 'vitest';

const IN = join(import.meta.dirname, 'in');
const OUT = join(import.meta.dirname, 'out');

export interface Fixture {
  name: string;
  /** Frozen, so a function under test that mutates its input throws. */
  geojson: FeatureCollection & { properties?: Record<string, unknown> };
}

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}

/** The fixtures whose file name starts with `prefix`, sorted by name. */
export function fixtures(prefix: string): Fixture[] {
  return readdirSync(IN)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.geojson'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.geojson$/, ''),
      geojson: deepFreeze(JSON.parse(readFileSync(join(IN, f), 'utf8')) as Fixture['geojson']),
    }));
}

/** Compares `actual` with `out/<name>.json`, or writes it there under REGEN=1. */
export function expectFixture(name: string, actual: unknown): void {
  const file = join(OUT, `${name}.json`);
  // Arrays of numbers (coordinates) on one line, the rest indented.
  const text = `${JSON.stringify(actual, null, 2).replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_, xs: string) => `[${xs.replace(/,\s+/g, ', ')}]`)}\n`;
  if (process.env.REGEN) writeFileSync(file, text);
  // A missing output fails rather than being written, so a new fixture is looked at once.
  if (!existsSync(file)) throw new Error(`no expected output ${file}: run with REGEN=1 and check it`);
  expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

/** Rounds every number in a JSON-like value to `digits` decimals, so outputs read well and compare stably. */
export function round<T>(value: T, digits = 3): T {
  const k = 10 ** digits;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v * k) / k : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
