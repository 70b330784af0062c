import type { Feature } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { FieldDef } from '../data/catalogue.ts';
import { sortFeatures } from './table-sort.ts';

/** Frozen all the way down, so any write by the sort throws. */
function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

const f = (id: string, props: Record<string, unknown>): Feature => ({
  type: 'Feature',
  properties: { id, ...props },
  geometry: { type: 'Point', coordinates: [0, 0] },
});
const ids = (fs: readonly Feature[]): unknown[] => fs.map((x) => x.properties?.id as unknown);

const STATUS: FieldDef = {
  name: 'status',
  label: { zh: '状态', en: 'Status' },
  type: 'string',
  values: [
    { value: 'finished', label: { zh: '已完成', en: 'Finished' } },
    { value: 'in_progress', label: { zh: '推进中', en: 'In progress' } },
    { value: 'planned', label: { zh: '计划中', en: 'Planned' } },
  ],
};
const num = (name: string): FieldDef => ({ name, label: { zh: name, en: name }, type: 'number' });
const date: FieldDef = { name: 'on', label: { zh: '日期', en: 'Date' }, type: 'date' };
const bool: FieldDef = { name: 'open', label: { zh: '开放', en: 'Open' }, type: 'boolean' };
const str: FieldDef = { name: 'name', label: { zh: '名称', en: 'Name' }, type: 'string' };

const features = deepFreeze([
  f('a', { n: 10, on: '2024-05-01', open: true, status: 'planned', name: '普陀' }),
  f('b', { n: 2, on: '2024-01-15', open: false, status: 'finished', name: '定海' }),
  f('c', { n: null, on: null, open: null, status: null, name: null }),
  f('d', { n: -3.5, on: '2023-12-31', open: true, status: 'in_progress', name: '新城' }),
  f('e', { on: '2024-05-01T08:00:00Z', open: false, status: 'finished', name: '' }),
  f('f', { n: 2, on: '2024-02-29', open: true, status: 'in_progress', name: '白泉' }),
]);

describe('sortFeatures', () => {
  it('sorts numbers numerically, missing values last in both directions, ties stable', () => {
    expect(ids(sortFeatures(features, 'n', 'asc', num('n')))).toEqual(['d', 'b', 'f', 'a', 'c', 'e']);
    // b and f tie on 2: input order kept in descending order too.
    expect(ids(sortFeatures(features, 'n', 'desc', num('n')))).toEqual(['a', 'b', 'f', 'd', 'c', 'e']);
  });

  it('sorts numbers numerically without a field definition', () => {
    expect(ids(sortFeatures(features, 'n', 'asc'))).toEqual(['d', 'b', 'f', 'a', 'c', 'e']);
  });

  it('sorts ISO dates chronologically, date-times among dates', () => {
    expect(ids(sortFeatures(features, 'on', 'asc', date))).toEqual(['d', 'b', 'f', 'a', 'e', 'c']);
    expect(ids(sortFeatures(features, 'on', 'desc', date))).toEqual(['e', 'a', 'f', 'b', 'd', 'c']);
  });

  it('puts an unparseable date after real dates but before missing ones', () => {
    const fs = deepFreeze([f('x', { on: 'not a date' }), f('y', { on: null }), f('z', { on: '2024-01-01' })]);
    expect(ids(sortFeatures(fs, 'on', 'asc', date))).toEqual(['z', 'x', 'y']);
  });

  it('sorts booleans false before true', () => {
    expect(ids(sortFeatures(features, 'open', 'asc', bool))).toEqual(['b', 'e', 'a', 'd', 'f', 'c']);
    expect(ids(sortFeatures(features, 'open', 'desc', bool))).toEqual(['a', 'd', 'f', 'b', 'e', 'c']);
  });

  it('sorts coded values by their label in the current language', () => {
    // zh pinyin: 计划中 (ji) < 推进中 (tui) < 已完成 (yi); en: Finished < In progress < Planned.
    expect(ids(sortFeatures(features, 'status', 'asc', STATUS, 'zh'))).toEqual(['a', 'd', 'f', 'b', 'e', 'c']);
    expect(ids(sortFeatures(features, 'status', 'asc', STATUS, 'en'))).toEqual(['b', 'e', 'd', 'f', 'a', 'c']);
    expect(ids(sortFeatures(features, 'status', 'desc', STATUS, 'en'))).toEqual(['a', 'd', 'f', 'b', 'e', 'c']);
  });

  it('sorts a value the list does not name by the value itself', () => {
    const fs = deepFreeze([f('x', { status: 'zzz' }), f('y', { status: 'finished' }), f('z', { status: 'aaa' })]);
    expect(ids(sortFeatures(fs, 'status', 'asc', STATUS, 'en'))).toEqual(['z', 'y', 'x']);
  });

  it('collates Chinese text by pinyin and treats an empty string as missing', () => {
    // 白泉 bai < 定海 ding < 普陀 pu < 新城 xin
    expect(ids(sortFeatures(features, 'name', 'asc', str, 'zh'))).toEqual(['f', 'b', 'a', 'd', 'c', 'e']);
    expect(ids(sortFeatures(features, 'name', 'desc', str, 'zh'))).toEqual(['d', 'a', 'b', 'f', 'c', 'e']);
  });

  it('collates numbers inside text numerically', () => {
    const fs = deepFreeze([f('IP-10', {}), f('IP-2', {}), f('ip-1', {}), f('IP-010b', {})]);
    expect(ids(sortFeatures(fs, 'id', 'asc', str, 'en'))).toEqual(['ip-1', 'IP-2', 'IP-10', 'IP-010b']);
  });

  it('puts numbers before text when a column mixes them', () => {
    const fs = deepFreeze([f('x', { n: 'n/a' }), f('y', { n: 5 }), f('z', { n: 1 })]);
    expect(ids(sortFeatures(fs, 'n', 'asc', num('n')))).toEqual(['z', 'y', 'x']);
    expect(ids(sortFeatures(fs, 'n', 'desc', num('n')))).toEqual(['x', 'y', 'z']);
  });

  it('treats NaN, a missing field and missing properties as missing', () => {
    const noProps: Feature = Object.freeze<Feature>({ type: 'Feature', properties: null, geometry: { type: 'Point', coordinates: [0, 0] } });
    const fs = deepFreeze([noProps, f('x', { n: Number.NaN }), f('y', { n: 0 }), f('z', {})]);
    const out = sortFeatures(fs, 'n', 'desc', num('n'));
    expect(out[0]).toBe(fs[2]);
    expect(out.slice(1)).toEqual([fs[0], fs[1], fs[3]]);
  });

  it('returns a new array of the same feature objects and leaves the input alone', () => {
    const before = JSON.stringify(features);
    const out = sortFeatures(features, 'n', 'asc', num('n'));
    expect(out).not.toBe(features);
    expect(new Set(out)).toEqual(new Set(features));
    expect(JSON.stringify(features)).toBe(before);
    expect(sortFeatures([], 'n', 'asc')).toEqual([]);
  });

  it('fails plainly on bad arguments', () => {
    expect(() => sortFeatures(features, '', 'asc')).toThrow('field is required');
    expect(() => sortFeatures(features, 'n', 'up' as 'asc')).toThrow('dir must be "asc" or "desc"');
    expect(() => sortFeatures(null as unknown as Feature[], 'n', 'asc')).toThrow('features must be an array');
  });
});
