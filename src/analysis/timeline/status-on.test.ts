import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { deepFreeze, expectFixture, fixtures } from '../test/fixtures.ts';
import { entriesFor, entryOn, featureOn, layerOn, type LayerTimeline, type Timeline } from './status-on.ts';

/** A feature as one line: its id and the fields the entries write, in their order. */
function line(f: Feature, entries: readonly LayerTimeline[]): string {
  const fields = [...new Set(entries.map((e) => e.field).filter((x) => x !== undefined))];
  const id = f.properties?.id as string | undefined;
  return [id ?? '(no id)', ...fields.map((k) => `${k}=${String(f.properties?.[k])}`)].join(' ');
}

describe('status on a date: fixtures', () => {
  for (const { name, geojson } of fixtures('timeline-')) {
    it(name, () => {
      const entries = geojson.properties!.timeline as LayerTimeline[];
      const dates = geojson.properties!.dates as string[];
      const out: Record<string, { actual: string[]; plan: string[] }> = {};
      for (const date of dates) {
        out[date] = {
          actual: layerOn(geojson, entries, date, 'actual').features.map((f) => line(f, entries)),
          plan: layerOn(geojson, entries, date, 'plan').features.map((f) => line(f, entries)),
        };
      }
      expectFixture(name, out);
    });
  }
});

describe('status on a date', () => {
  const plots: LayerTimeline = deepFreeze({
    layer: 'plots',
    field: 'status',
    steps: [{ on: 'started_on', value: 'in_progress' }, { on: 'due_on', value: 'due', planned: 'finished' }, { on: 'completed_on', value: 'finished' }],
  });
  const feature = (props: Record<string, unknown>): Feature => deepFreeze({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: [122.2, 30] } });

  it('reaches the furthest step whose date has come, whatever order the dates are in', () => {
    const p = { started_on: '2024-02-01', due_on: '2024-08-31', completed_on: '2024-06-01' };
    expect(entryOn(p, plots, '2024-01-31')).toEqual({ present: false });
    expect(entryOn(p, plots, '2024-02-01')).toEqual({ present: true, value: 'in_progress' });
    // Finished before it was due: finished stays finished once the due date comes.
    expect(entryOn(p, plots, '2024-09-01')).toEqual({ present: true, value: 'finished' });
    expect(entryOn({ started_on: '2024-02-01', due_on: '2024-08-31' }, plots, '2024-09-01')).toEqual({ present: true, value: 'due' });
    expect(entryOn({ started_on: '2024-02-01', due_on: '2024-08-31' }, plots, '2024-09-01', 'plan')).toEqual({ present: true, value: 'finished' });
  });

  it('a planned step with nothing to show counts in the plan only', () => {
    const demo: LayerTimeline = { layer: 'c', field: 'demo', before: false, steps: [{ on: 'due', planned: true }, { on: 'since', value: true }] };
    expect(entryOn({ due: '2024-10-01' }, demo, '2024-12-31')).toEqual({ present: true, value: false });
    expect(entryOn({ due: '2024-10-01' }, demo, '2024-12-31', 'plan')).toEqual({ present: true, value: true });
    expect(entryOn({ since: '2024-03-01' }, demo, '2024-12-31')).toEqual({ present: true, value: true });
  });

  it('never changes its input and gives back the same objects when nothing differs', () => {
    const f = feature({ id: 'a', status: 'finished', started_on: '2024-01-01', completed_on: '2024-02-01' });
    expect(featureOn(f, [plots], '2024-06-21')).toBe(f);
    const earlier = featureOn(f, [plots], '2024-01-15')!;
    expect(earlier).not.toBe(f);
    expect(earlier.properties).toEqual({ ...f.properties, status: 'in_progress' });
    expect(earlier.geometry).toBe(f.geometry);
    expect(f.properties!.status).toBe('finished');
    const fc: FeatureCollection = deepFreeze({ type: 'FeatureCollection', features: [f] });
    expect(layerOn(fc, [plots], '2024-06-21')).toBe(fc);
    expect(layerOn(fc, [], '2020-01-01')).toBe(fc);
    expect(layerOn(fc, [plots], '2023-01-01').features).toEqual([]);
  });

  it('reads a feature’s own dates only, not what its prototype inherits', () => {
    const proto = Object.create({ started_on: '2024-01-01' }) as Record<string, unknown>;
    expect(entryOn(proto, plots, '2024-06-21')).toEqual({ present: false });
  });

  it('finds the entries of a layer', () => {
    const timeline: Timeline = { start: '2024-01-01', end: '2024-12-31', dataDate: '2024-06-21', layers: [plots, { layer: 'x', steps: [{ on: 'd' }] }, { ...plots, field: 'other' }] };
    expect(entriesFor(timeline, 'plots').map((e) => e.field)).toEqual(['status', 'other']);
    expect(entriesFor(undefined, 'plots')).toEqual([]);
  });
});
