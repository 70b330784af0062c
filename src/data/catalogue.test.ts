import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from './errors.ts';
import { VIEWPORT_THRESHOLD_BYTES, loadsByViewport, parseCatalogue } from './catalogue.ts';

const json = JSON.parse(readFileSync(join(import.meta.dirname, '../../data/catalogue.json'), 'utf8')) as Record<string, unknown> & { layers: Array<Record<string, unknown>> };

describe('parseCatalogue', () => {
  it('explains values that cannot be turned into text instead of crashing (found by fuzzing)', () => {
    for (const version of [{ toString: null }, { valueOf: 1, toString: 2 }, Object.create(null) as object]) {
      expect(() => parseCatalogue({ ...json, version })).toThrow(FormatError);
    }
    const layers = [{ ...json.layers[0], geometry: { toString: null } }];
    expect(() => parseCatalogue({ ...json, layers })).toThrow(/unknown geometry \{"toString":null\}/);
  });

  it('checks the sizes and limits that decide viewport loading', () => {
    expect(() => parseCatalogue({ ...json, viewport: { thresholdBytes: 'big' } })).toThrow(/viewport\.thresholdBytes/);
    expect(() => parseCatalogue({ ...json, layers: [{ ...json.layers[0], bytes: -1 }] })).toThrow(/bytes must be a whole number/);
    const cat = parseCatalogue({ ...json, viewport: { thresholdBytes: 1000 } });
    const entry = cat.layers[0]!;
    expect(loadsByViewport({ ...entry, bytes: 1001 }, cat)).toBe(true);
    expect(loadsByViewport({ ...entry, bytes: 1000 }, cat)).toBe(false);
    expect(loadsByViewport({ ...entry, bytes: undefined }, cat)).toBe(false);
    expect(loadsByViewport({ ...entry, bytes: VIEWPORT_THRESHOLD_BYTES + 1 }, { viewport: undefined })).toBe(true);
    // The user's own layers are in memory already: never read by viewport.
    expect(loadsByViewport({ ...entry, group: 'user', bytes: 1e9 }, cat)).toBe(false);
  });
});
