import { describe, expect, it } from 'vitest';
import { MAX_STUDY_VERTICES, decodeUrlState, encodeUrlState, outlineFits, type UrlState } from './url-state.ts';

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

  it('round-trips the date the programme is shown as of, and drops one that is no real day', () => {
    expect(encodeUrlState({ asOf: '2024-03-31' })).toBe('#date=2024-03-31');
    expect(decodeUrlState('#map=12/30/122&date=2024-03-31')).toEqual({ view: { zoom: 12, center: [122, 30] }, asOf: '2024-03-31' });
    for (const bad of ['2024-02-30', '2024-3-31', '31/03/2024', '2024-03-31T00:00', '%3Cscript%3E', '', '10000-01-01', '2024-03-31%00']) {
      expect(decodeUrlState(`#map=12/30/122&date=${bad}`), bad).toEqual({ view: { zoom: 12, center: [122, 30] } });
    }
    // Only a date the decoder takes back is written.
    expect(encodeUrlState({ asOf: '2024-13-01&tab=data' })).toBe('');
  });

  it('round-trips the other day of two compared, the latest data included, and drops a broken one', () => {
    expect(encodeUrlState({ asOf: '2024-02-29', compareWith: null })).toBe('#date=2024-02-29&vs=latest');
    expect(encodeUrlState({ asOf: '2024-02-29', compareWith: '2024-05-31' })).toBe('#date=2024-02-29&vs=2024-05-31');
    expect(decodeUrlState('#date=2024-02-29&vs=latest')).toEqual({ asOf: '2024-02-29', compareWith: null });
    expect(decodeUrlState('#date=2024-02-29&vs=2024-05-31')).toEqual({ asOf: '2024-02-29', compareWith: '2024-05-31' });
    for (const bad of ['2024-02-30', 'Latest', '', 'latest%26tab=data', '%3Cb%3E']) expect(decodeUrlState(`#vs=${bad}`), bad).toEqual({});
    expect(encodeUrlState({ compareWith: '2024-13-01' })).toBe('');
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

  it.each([
    ['markup in every part', '#layers=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&sel=%3Cscript%3E~x&table=%3Cscript%3E&tab=%3Csvg%20onload%3Dalert(1)%3E&f=%3Cimg%3E~a~values~s.x'],
    ['non-finite numbers and prototype names', '#map=1e999/NaN/-Infinity&layers=__proto__,Constructor&base=javascript:alert(1)'],
    ['broken UTF-8 and suffixed ids', '#sel=parks~%F0%9F%F0%9F&table=parks%3Cimg%3E&tab=constructor'],
    ['20,000 percent signs', `#${'%'.repeat(20_000)}`],
    ['prototype names as fields', '#f=parks~__proto__~range~..&f=__proto__~a~range~1..&tab=__proto__'],
  ])('opens a hostile link with the defaults: %s', (_name, hash) => {
    const s = decodeUrlState(hash);
    expect(Object.getPrototypeOf(s)).toBe(Object.prototype);
    expect(s.view).toBeUndefined();
    expect(s.basemap).toBeUndefined();
    expect(s.layers ?? []).toEqual([]);
    expect(s.filters).toBeUndefined();
    expect(s.selection).toBeUndefined();
    expect(s.tab).toBeUndefined();
    expect(s.table).toBeUndefined();
  });

  it('takes `constructor` as the plain id it is, not as a member of Object', () => {
    const s = decodeUrlState('#f=constructor~a~range~1..;constructor~b~values~s.x&layers=constructor');
    expect(s.filters).toEqual({ constructor: [{ field: 'a', kind: 'range', min: 1 }, { field: 'b', kind: 'values', values: ['x'] }] });
    expect(s.layers).toEqual(['constructor']);
  });

  it('writes no filter, selection or table a link could not carry back', () => {
    // Field names of imported layers can be anything; `&tab=…` in one must not become a parameter.
    const hash = encodeUrlState({
      filters: { 'user-x': [{ field: '<img>&tab=analysis#x', kind: 'range', min: 1 }, { field: 'ok', kind: 'range', min: 2 }], 'Bad&id': [{ field: 'ok', kind: 'range' }] },
      selection: { layerId: 'x&tab=analysis', ids: ['1'] },
      table: 'x&tab=analysis',
    });
    expect(hash).toBe('#f=user-x~ok~range~2..');
    expect(decodeUrlState(hash)).toEqual({ filters: { 'user-x': [{ field: 'ok', kind: 'range', min: 2 }] } });
  });

  it('keeps hostile text in a filter value as plain data', () => {
    const s = decodeUrlState(encodeUrlState({ filters: { parks: [{ field: 'name', kind: 'values', values: ['<script>alert(1)</script>'] }] } }));
    expect(s.filters?.parks?.[0]).toEqual({ field: 'name', kind: 'values', values: ['<script>alert(1)</script>'] });
  });
});

describe('a scenario in the link', () => {
  const scenario = {
    id: 's-abc', name: '东区 “试点”', kind: 'ebike' as const,
    added: [{ id: 'p1', name: '', origin: 'placed' as const, geometry: { type: 'Point' as const, coordinates: [122.20412345678, 29.98512345678] } }],
    closed: [{ layerId: 'ebike-stations', featureId: 'e1' }],
    created: '2026-11-30T00:00:00.000Z', updated: '2026-11-30T01:00:00.000Z',
  };

  it('round-trips, coordinates to 6 decimals, with nothing in it that breaks the hash', () => {
    const hash = encodeUrlState({ tab: 'planning', plan: scenario });
    expect(hash).toMatch(/^#tab=planning&plan=[A-Za-z0-9_-]+$/);
    const back = decodeUrlState(hash);
    expect(back.plan).toEqual({ ...scenario, added: [{ ...scenario.added[0], geometry: { type: 'Point', coordinates: [122.204123, 29.985123] } }] });
  });

  it('leaves a scenario too big for a link out, and drops a forged or damaged one', () => {
    const big = { ...scenario, added: Array.from({ length: 400 }, (_, i) => ({ ...scenario.added[0]!, id: `p${i}` })) };
    expect(encodeUrlState({ plan: big })).toBe('');
    const forged = btoa(JSON.stringify({ ...scenario, name: 'x', kind: 'trams' }));
    expect(decodeUrlState(`#plan=${forged.replace(/=+$/, '')}`).plan).toBeUndefined();
    expect(decodeUrlState('#plan=%%%&tab=planning')).toEqual({ tab: 'planning' });
    expect(decodeUrlState('#plan=eyJpZCI6').plan).toBeUndefined();
  });
});

describe('url state: the analysis and the popup', () => {
  const r5 = (v: number): number => Math.round(v * 1e5) / 1e5;
  const square = (x: number, y: number, d = 0.01): GeoJSON.Polygon => ({ type: 'Polygon', coordinates: [[[x, y], [r5(x + d), y], [r5(x + d), r5(y + d)], [x, r5(y + d)], [x, y]]] });

  it('round-trips coverage settings, a district, a grid cell and a popup', () => {
    const s: UrlState = {
      coverage: { kind: 'ebike', parkRules: [{ minArea: 5000, radius: 500 }, { minArea: 2000, radius: 300 }], ebikeRadius: 400, parkingRadius: 250.5 },
      study: { kind: 'district', id: 'putuo' },
      popup: { layerId: 'ebike-stations', featureId: 'EB-0042', lngLat: [122.29512, 29.94501] },
    };
    expect(decodeUrlState(encodeUrlState(s))).toEqual(s);
    const cell: UrlState = { study: { kind: 'cell', id: 'G66 a~b|c&d' } };
    expect(decodeUrlState(encodeUrlState(cell))).toEqual(cell);
    expect(encodeUrlState(s)).toContain('cov=ebike~5000_500,2000_300~400~250.5');
    expect(encodeUrlState(s)).toContain('study=d~putuo');
    expect(encodeUrlState(s)).toContain('pop=ebike-stations~EB-0042~122.29512,29.94501');
  });

  it('carries a drawn outline rounded to 1e-5°, polygon and multipolygon alike, compactly', () => {
    const poly = square(122.203, 29.988);
    const back = decodeUrlState(encodeUrlState({ study: { kind: 'polygon', geometry: poly } })).study;
    expect(back).toEqual({ kind: 'polygon', geometry: poly });
    const multi: GeoJSON.MultiPolygon = { type: 'MultiPolygon', coordinates: [square(122.1, 30.01).coordinates, square(122.3, 29.94, 0.02).coordinates] };
    expect(decodeUrlState(encodeUrlState({ study: { kind: 'polygon', geometry: multi } })).study).toEqual({ kind: 'polygon', geometry: multi });
    const jagged: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[122.2030004, 29.9880004], [122.2130001, 29.98800049], [122.21300001, 29.998], [122.2030001, 29.998], [122.2030004, 29.9880004]]] };
    const rounded = decodeUrlState(encodeUrlState({ study: { kind: 'polygon', geometry: jagged } })).study;
    expect(rounded).toEqual({ kind: 'polygon', geometry: { type: 'Polygon', coordinates: [[[122.203, 29.988], [122.213, 29.988], [122.213, 29.998], [122.203, 29.998], [122.203, 29.988]]] } });
    // A 100-vertex outline takes well under 1,500 characters.
    const ring = Array.from({ length: 100 }, (_, i) => [122.2 + 0.01 * Math.cos((i / 100) * 2 * Math.PI), 30 + 0.01 * Math.sin((i / 100) * 2 * Math.PI)]);
    const circle: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
    expect(encodeUrlState({ study: { kind: 'polygon', geometry: circle } }).length).toBeLessThan(1500);
  });

  it('leaves out an outline too large for a link, and refuses one from a link', () => {
    const ring = Array.from({ length: MAX_STUDY_VERTICES + 5 }, (_, i) => [122.2 + 0.01 * Math.cos(i / 100), 30 + 0.01 * Math.sin(i / 100)]);
    const big: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
    expect(outlineFits(big)).toBe(false);
    expect(encodeUrlState({ study: { kind: 'polygon', geometry: big } })).toBe('');
    const many = `#study=p~${['7a0cs', '1s6x9'].concat(Array.from({ length: 2 * (MAX_STUDY_VERTICES + 2) }, () => '1')).join(',')}`;
    expect(decodeUrlState(many).study).toBeUndefined();
  });

  it.each([
    ['#cov=water~5000_500~300~300'],
    ['#cov=parks~5000_500~300'],
    ['#cov=parks~5000_500~300~300~1'],
    ['#cov=parks~5000_99999~300~300'],
    ['#cov=parks~-5_500~300~300'],
    ['#cov=parks~1e3_500~300~300'],
    ['#cov=parks~~300~300'],
    ['#cov=parks~5000_500_1~300~300'],
    [`#cov=parks~${Array.from({ length: 21 }, () => '1_1').join(',')}~300~300`],
  ])('drops bad coverage settings whole: %s', (hash) => {
    expect(decodeUrlState(hash).coverage).toBeUndefined();
  });

  it.each([
    ['#study=x~putuo'],
    ['#study=d~'],
    ['#study=putuo'],
    [`#study=c~${'a'.repeat(200)}`],
    ['#study=d~%E0%A4%A'],
    ['#study=p~7a0cs,1s6x9,1,0'],
    ['#study=p~7a0cs,1s6x9,0,0,0,0,0,0'],
    ['#study=p~zzzzzzzz,zzzzzzzz,1,0,0,1'],
    ['#study=p~7a0cs,1s6x9,1,0,0,1,1'],
    ['#study=p~7a0cs,1s6x9,1.5,0,0,1'],
    ['#study=p~<img>'],
  ])('drops a bad study area: %s', (hash) => {
    expect(decodeUrlState(hash).study).toBeUndefined();
  });

  it.each([
    ['#pop=parks~p1'],
    ['#pop=parks~p1~122.2'],
    ['#pop=parks~p1~200,30'],
    ['#pop=parks~p1~122.2,95'],
    ['#pop=parks~p1~NaN,30'],
    ['#pop=Parks~p1~122.2,30'],
    ['#pop=parks~~122.2,30'],
    ['#pop=parks~p1~122.2,30~x'],
    ['#pop=<script>~p1~122.2,30'],
  ])('drops a bad popup: %s', (hash) => {
    expect(decodeUrlState(hash).popup).toBeUndefined();
  });

  it('keeps the rest of a link whose analysis is damaged', () => {
    expect(decodeUrlState('#map=12/30/122&cov=parks~x~1~1&study=q~1&pop=a~b').view).toEqual({ zoom: 12, center: [122, 30] });
  });
});
