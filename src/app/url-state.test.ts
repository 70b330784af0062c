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
