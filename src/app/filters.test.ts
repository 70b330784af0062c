import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { applyFilters, matchesFilters, setFieldFilter, type FieldFilter } from './filters.ts';

const f = (props: Record<string, unknown>): Feature => ({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: [0, 0] } });
const fc: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    f({ status: 'finished', district: 'putuo', area: 500, on: '2024-03-01', open: true }),
    f({ status: 'in_progress', district: 'dinghai', area: 2500, on: '2024-05-20', open: false }),
    f({ status: 'finished', district: 'dinghai', area: null, on: null, open: true }),
  ],
};

describe('filters', () => {
  it('keeps everything without filters, and returns the same collection', () => {
    expect(applyFilters(fc, [])).toBe(fc);
    expect(applyFilters(fc, undefined)).toBe(fc);
  });

  it('matches allowed values, including booleans', () => {
    expect(applyFilters(fc, [{ field: 'status', kind: 'values', values: ['finished'] }]).features).toHaveLength(2);
    expect(applyFilters(fc, [{ field: 'open', kind: 'values', values: [false] }]).features).toHaveLength(1);
    expect(applyFilters(fc, [{ field: 'status', kind: 'values', values: [] }]).features).toHaveLength(0);
  });

  it('matches numeric ranges inclusively, dropping missing values', () => {
    const r: FieldFilter = { field: 'area', kind: 'range', min: 500, max: 2500 };
    expect(applyFilters(fc, [r]).features).toHaveLength(2);
    expect(applyFilters(fc, [{ field: 'area', kind: 'range', min: 501 }]).features).toHaveLength(1);
  });

  it('matches date ranges on ISO dates', () => {
    expect(applyFilters(fc, [{ field: 'on', kind: 'dates', from: '2024-04-01' }]).features).toHaveLength(1);
    expect(applyFilters(fc, [{ field: 'on', kind: 'dates', to: '2024-03-01' }]).features).toHaveLength(1);
  });

  it('ANDs filters on different fields', () => {
    expect(matchesFilters(fc.features[1]!, [
      { field: 'status', kind: 'values', values: ['in_progress'] },
      { field: 'district', kind: 'values', values: ['putuo'] },
    ])).toBe(false);
  });

  it('sets, replaces and removes a field filter without touching the input', () => {
    const start = Object.freeze({ parks: Object.freeze([{ field: 'status', kind: 'values', values: ['x'] }] as FieldFilter[]) });
    const a = setFieldFilter(start, 'parks', 'status', { field: 'status', kind: 'values', values: ['y'] });
    expect(a.parks).toEqual([{ field: 'status', kind: 'values', values: ['y'] }]);
    const b = setFieldFilter(a, 'parks', 'status', null);
    expect(b).toEqual({});
    expect(start.parks[0]).toEqual({ field: 'status', kind: 'values', values: ['x'] });
  });
});
