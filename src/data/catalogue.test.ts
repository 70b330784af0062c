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

  it('checks the timeline: real dates, known layers, date fields and the values a field allows', () => {
    const timeline = json.timeline as { layers: Record<string, unknown>[]; targets: unknown[] } & Record<string, unknown>;
    const withTimeline = (patch: Record<string, unknown>) => parseCatalogue({ ...json, timeline: { ...timeline, ...patch } });
    const withEntry = (entry: Record<string, unknown>) => withTimeline({ layers: [entry] });
    expect(parseCatalogue(json).timeline?.dataDate).toBe('2024-06-21');
    expect(() => withTimeline({ dataDate: '2024-02-30' })).toThrow(/timeline\.dataDate must be a date/);
    expect(() => withTimeline({ start: '2025-01-01' })).toThrow(/start is after timeline\.end/);
    expect(() => withEntry({ layer: 'nope', steps: [{ on: 'since' }] })).toThrow(/refers to unknown layer "nope"/);
    expect(() => withEntry({ layer: 'idle-plots', field: 'status', steps: [{ on: 'name', value: 'finished' }] })).toThrow(/step "name" is not a date field/);
    expect(() => withEntry({ layer: 'idle-plots', field: 'status', steps: [{ on: 'completed_on', value: 'done' }] })).toThrow(/value "done" is not among the values of field "status"/);
    expect(() => withEntry({ layer: 'idle-plots', steps: [{ on: 'completed_on', value: 'finished' }] })).toThrow(/value given but no field/);
    expect(() => withEntry({ layer: 'idle-plots', field: 'status', steps: [] })).toThrow(/at least one date field/);
    expect(() => withEntry({ layer: 'idle-plots', field: 'status', before: { toString: null }, steps: [{ on: 'completed_on' }] })).toThrow(/before must be a string/);
    expect(() => withTimeline({ targets: [{ metric: 'nope', date: '2024-08-31', value: 1 }] })).toThrow(/"nope" is not a programme metric/);
    expect(() => withTimeline({ targets: [{ metric: 'plots-finished', date: '31/08/2024', value: 58 }] })).toThrow(/needs a date/);
    // A layer of one's own with a date of its own needs no code: a presence-only entry.
    expect(withEntry({ layer: 'parking-berths', steps: [{ on: 'since' }] }).timeline?.layers).toHaveLength(1);
  });
});
