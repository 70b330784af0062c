import { describe, expect, it } from 'vitest';
import { decodeUrlState, encodeUrlState, type UrlState } from './url-state.ts';

describe('url state', () => {
  it('round-trips view, layers and basemap', () => {
    const s: UrlState = { view: { center: [122.20312, 29.99501], zoom: 14.25 }, layers: ['idle-plots', 'parks'], basemap: 'osm' };
    expect(decodeUrlState(encodeUrlState(s))).toEqual(s);
  });

  it('keeps an empty layer list distinct from no list', () => {
    expect(decodeUrlState(encodeUrlState({ layers: [] }))).toEqual({ layers: [] });
    expect(decodeUrlState('#map=10/30/122')).toEqual({ view: { zoom: 10, center: [122, 30] } });
  });

  it('leaves out the default basemap', () => {
    expect(encodeUrlState({ basemap: 'offline' })).toBe('');
  });

  it.each([
    ['#map=abc/1/2'],
    ['#map=99/30/122'],
    ['#map=10/95/122'],
    ['#map=10/30'],
    ['#map=10/30/122/5'],
    ['#base=evil'],
    ['#%E0%A4%A'],
    ['#map=%E0%A4%A'],
    ['#layers=%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
    [`#layers=${'a'.repeat(10_000)}`],
  ])('ignores malformed or hostile %s', (hash) => {
    const s = decodeUrlState(hash);
    expect(s.view).toBeUndefined();
    expect(s.basemap).toBeUndefined();
    expect(s.layers ?? []).toEqual([]);
  });

  it('keeps the valid parts of a partly broken hash', () => {
    expect(decodeUrlState('#map=12/30/122&base=nope&layers=parks,<b>')).toEqual({ view: { zoom: 12, center: [122, 30] }, layers: ['parks'] });
  });
});

describe('url state: filters, selection, panel', () => {
  it('round-trips filters of every kind, with odd characters in values', () => {
    const s: UrlState = {
      filters: {
        'idle-plots': [
          { field: 'status', kind: 'values', values: ['finished', '整治中', 'a~b|c;d&e=f%'] },
          { field: 'greening_m2', kind: 'range', min: 100, max: 2500.5 },
          { field: 'completed_on', kind: 'dates', from: '2024-02-01', to: '2024-06-30' },
        ],
        parks: [{ field: 'shared_open', kind: 'values', values: [true, 3] }, { field: 'park_type', kind: 'range', min: -1 }],
      },
      selection: { layerId: 'waterlogging', ids: ['WL-001', 'WL 2', 'x|y'] },
      tab: 'analysis',
      table: 'parks',
    };
    expect(decodeUrlState(encodeUrlState(s))).toEqual(s);
  });

  it.each([
    ['#f=parks~status~values~x.bad'],
    ['#f=PARKS~status~values~s.x'],
    ['#f=parks~status~regex~s.x'],
    ['#f=parks~area~range~a..b'],
    ['#f=parks~d~dates~2024-13..x'],
    ['#sel=parks'],
    ['#sel=<img>~1'],
    ['#tab=admin'],
    ['#table=../../etc'],
  ])('drops a malformed part: %s', (hash) => {
    const s = decodeUrlState(hash);
    expect(s.filters).toBeUndefined();
    expect(s.selection).toBeUndefined();
    expect(s.tab).toBeUndefined();
    expect(s.table).toBeUndefined();
  });

  it('keeps hostile text in a filter value as plain data', () => {
    const s = decodeUrlState(encodeUrlState({ filters: { parks: [{ field: 'name', kind: 'values', values: ['<script>alert(1)</script>'] }] } }));
    expect(s.filters?.parks?.[0]).toEqual({ field: 'name', kind: 'values', values: ['<script>alert(1)</script>'] });
  });
});
