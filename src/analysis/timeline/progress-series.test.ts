import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { ProgrammeMetric } from '../programme.ts';
import { deepFreeze } from '../test/fixtures.ts';
import { changesBetween } from './changes.ts';
import { progressSeries } from './progress-series.ts';
import type { Timeline } from './status-on.ts';

const plot = (id: string, district: string, started: string, completed: string | null, due: string | null = null): Feature => ({
  type: 'Feature',
  properties: { id, district, status: completed ? 'finished' : 'in_progress', started_on: started, completed_on: completed, due_on: due },
  geometry: { type: 'Point', coordinates: [122.2, 30] },
});
const plots: FeatureCollection = deepFreeze({
  type: 'FeatureCollection',
  features: [
    plot('a', 'east', '2024-01-10', '2024-02-20'),
    plot('b', 'west', '2024-02-05', '2024-03-10'),
    plot('c', 'east', '2024-03-01', null, '2024-05-31'),
  ],
});
const timeline: Timeline = deepFreeze({
  start: '2024-01-01',
  end: '2024-05-31',
  dataDate: '2024-03-15',
  layers: [{ layer: 'plots', field: 'status', steps: [{ on: 'started_on', value: 'in_progress' }, { on: 'due_on', value: 'due', planned: 'finished' }, { on: 'completed_on', value: 'finished' }] }],
  targets: [{ metric: 'finished', date: '2024-05-31', value: 3 }],
});
const finished: ProgrammeMetric = { id: 'finished', label: { zh: '完成', en: 'Finished' }, layer: 'plots', kind: 'progress', done: { field: 'status', in: ['finished'] }, target: 2 };

describe('progress month by month', () => {
  it('gives the facts up to the data date, the plan after it, and the report then plan target', () => {
    const s = progressSeries(finished, plots, timeline);
    expect(s.dates).toEqual(['2024-01-01', '2024-01-31', '2024-02-29', '2024-03-15', '2024-03-31', '2024-04-30', '2024-05-31']);
    expect(s.actual).toEqual([0, 0, 1, 2, null, null, null]);
    expect(s.plan).toEqual([null, null, null, 2, 2, 2, 3]);
    expect(s.target).toEqual([2, 2, 2, 2, 3, 3, 3]);
  });

  it('per district: only its features, and no target (the report gives none per district)', () => {
    const s = progressSeries(finished, plots, timeline, { where: { field: 'district', value: 'east' } });
    expect(s.actual).toEqual([0, 0, 1, 1, null, null, null]);
    expect(s.plan).toEqual([null, null, null, 1, 1, 1, 2]);
    expect(s.target.every((t) => t === null)).toBe(true);
  });

  it('draws no plan for a layer that has no planned dates, and NaN without the layer', () => {
    const noPlans: Timeline = { ...timeline, layers: [{ layer: 'plots', field: 'status', steps: [{ on: 'started_on', value: 'in_progress' }, { on: 'completed_on', value: 'finished' }] }] };
    expect(progressSeries(finished, plots, noPlans).plan.every((v) => v === null)).toBe(true);
    expect(progressSeries(finished, undefined, timeline).actual[0]).toBeNaN();
  });
});

describe('what changed between two dates', () => {
  it('counts the features that came to hold each value, new ones included', () => {
    const entries = timeline.layers;
    expect([...changesBetween(plots, entries, '2024-02-29', '2024-03-31', 'status')]).toEqual([['finished', 1], ['in_progress', 1]]);
    expect([...changesBetween(plots, entries, '2023-12-31', '2024-01-31', 'status')]).toEqual([['in_progress', 1]]);
    expect([...changesBetween(plots, entries, '2024-04-01', '2024-04-30', 'status')]).toEqual([]);
    expect([...changesBetween(plots, entries, '2024-01-01', '2024-03-31', undefined)]).toEqual([['', 3]]);
    expect(changesBetween(plots, [], '2024-01-01', '2024-03-31', 'status').size).toBe(0);
  });
});
