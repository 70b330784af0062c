import type { Feature, Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { LayerEntry } from '../data/catalogue.ts';
import { PLACE_LAYER_NAME, buildSearchIndex, isSearchable, search, type SearchEntry } from './search.ts';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

const layer = (id: string, zh: string, en: string): LayerEntry => ({
  id, group: 'programme', name: { zh, en }, file: `layers/${id}.fgb`, geometry: 'Point', visible: true, style: { color: '#000' }, fields: [],
});
const pt = (x: number, y: number): Geometry => ({ type: 'Point', coordinates: [x, y] });
// Null geometries occur in real files although the GeoJSON types do not allow them.
const feat = (props: Record<string, unknown>, geometry: Geometry | null = pt(122.1, 30)): Feature => ({ type: 'Feature', properties: props, geometry: geometry as Geometry });

const plots = layer('idle-plots', '闲置地块', 'Idle plots');
const berths = layer('parking-berths', '停车泊位', 'Parking berths');

const layers = deepFreeze([
  {
    entry: plots,
    features: [
      feat({ id: 'IP-001', name: '定海纵三路沿线闲置地块1', name_en: 'Dinghai N–S Road 3 idle plot 1' }, {
        type: 'Polygon', coordinates: [[[122.0, 30.0], [122.2, 30.0], [122.2, 30.1], [122.0, 30.1], [122.0, 30.0]]],
      }),
      feat({ id: 'IP-002', name: '临城横一路沿线闲置地块1', name_en: 'Lincheng E–W Road 1 idle plot 1' }),
      feat({ id: 'IP-010', name: '定海纵三路沿线闲置地块10', name_en: 'Dinghai N–S Road 3 idle plot 10' }),
    ],
  },
  {
    entry: berths,
    features: [
      feat({ id: 'PB-001', name: '纵三路第1段泊位', name_en: 'N–S Road 3 berths 1' }, {
        type: 'LineString', coordinates: [[122.3, 29.9], [122.31, 29.95]],
      }),
      feat({ id: 'PB-002', name: '沈家门纵一路第2段泊位', name_en: 'Shenjiamen N–S Road 1 berths 2' }),
      feat({ id: 'PB-003', name: 'No geometry' }, null),
      feat({ name: 'No id' }),
      feat({ id: 42, name: '数字编号', name_en: 'Numeric id' }),
    ],
  },
]);
const places = deepFreeze([
  feat({ id: 'place-1', name: '定海', name_en: 'Dinghai' }, pt(122.103, 30.02)),
  feat({ id: 'place-2', name: '沈家门', name_en: 'Shenjiamen' }, pt(122.297, 29.952)),
]);
const index = deepFreeze(buildSearchIndex(layers, places));
const found = (q: string, limit?: number): string[] => search(index, q, limit).map((e) => e.id);

describe('buildSearchIndex', () => {
  it('makes one entry per feature with an id and a geometry, layers first, then places', () => {
    expect(index.map((e) => e.id)).toEqual(['IP-001', 'IP-002', 'IP-010', 'PB-001', 'PB-002', '42', 'place-1', 'place-2']);
  });

  it('takes names, the layer name, the bbox and its centre', () => {
    const e = index[0]!;
    expect(Object.keys(e).sort()).toEqual(['bbox', 'center', 'id', 'layerId', 'layerName', 'name', 'nameEn']);
    expect(e).toMatchObject({
      layerId: 'idle-plots',
      id: 'IP-001',
      name: '定海纵三路沿线闲置地块1',
      nameEn: 'Dinghai N–S Road 3 idle plot 1',
      layerName: { zh: '闲置地块', en: 'Idle plots' },
      bbox: [122.0, 30.0, 122.2, 30.1],
    } satisfies Partial<SearchEntry>);
    expect(e.center[0]).toBeCloseTo(122.1, 12);
    expect(e.center[1]).toBeCloseTo(30.05, 12);
    expect(index[3]!.bbox).toEqual([122.3, 29.9, 122.31, 29.95]);
  });

  it('marks places with a null layer and the place layer name', () => {
    const p = index.find((e) => e.id === 'place-2')!;
    expect(p.layerId).toBeNull();
    expect(p.layerName).toEqual(PLACE_LAYER_NAME);
    expect(p.center).toEqual([122.297, 29.952]);
    expect(p.bbox).toEqual([122.297, 29.952, 122.297, 29.952]);
  });

  it('leaves missing English names empty', () => {
    const e = buildSearchIndex([], [feat({ id: 'x', name: '只有中文' })]);
    expect(e[0]!.nameEn).toBe('');
  });

  it('reads a GeometryCollection and ignores non-finite coordinates', () => {
    const gc = feat({ id: 'gc' }, {
      type: 'GeometryCollection',
      geometries: [pt(1, 2), { type: 'MultiPoint', coordinates: [[3, -1], [Number.NaN, 100]] }],
    });
    expect(buildSearchIndex([], [gc])[0]!.bbox).toEqual([1, -1, 3, 2]);
    expect(buildSearchIndex([], [feat({ id: 'e' }, { type: 'MultiPolygon', coordinates: [] })])).toEqual([]);
  });

  it('fails plainly on bad arguments', () => {
    expect(() => buildSearchIndex(null as never, [])).toThrow('layers must be an array');
    expect(() => buildSearchIndex([], undefined as never)).toThrow('places must be an array');
  });
});

describe('search', () => {
  it('finds features whose Chinese name contains part of the query', () => {
    expect(found('纵三路')).toEqual(['PB-001', 'IP-001', 'IP-010']);
  });

  it('ranks an exact id first, then name prefixes, then other matches, shorter names first', () => {
    // "定海" is a place's whole name, a prefix of two plots, and nowhere else.
    expect(found('定海')).toEqual(['place-1', 'IP-001', 'IP-010']);
    // The exact id beats the longer ids it is a prefix of.
    expect(found('IP-001')).toEqual(['IP-001']);
    expect(found('ip-00')).toEqual(['IP-001', 'IP-002']);
    expect(found('42')).toEqual(['42']);
    expect(found('Shenjiamen')).toEqual(['place-2', 'PB-002']);
    expect(found('road 3')).toEqual(['PB-001', 'IP-001', 'IP-010']);
  });

  it('is case-insensitive and folds full-width forms', () => {
    expect(found('DINGHAI')).toEqual(found('dinghai'));
    expect(found('ＩＰ－００２')).toEqual(['IP-002']);
    expect(found('  泊位  ')).toEqual(['PB-001', 'PB-002']);
  });

  it('finds nothing for one Latin letter or digit, but does for one Chinese character', () => {
    expect(found('d')).toEqual([]);
    expect(found('Ｄ')).toEqual([]);
    expect(found('4')).toEqual([]);
    expect(found('沈')).toEqual(['place-2', 'PB-002']);
    expect(found('di')).toContain('place-1');
    expect([isSearchable('d'), isSearchable(' 7 '), isSearchable('沈'), isSearchable('di'), isSearchable('𠀋'), isSearchable('')]).toEqual([false, false, true, true, true, false]);
  });

  it('returns nothing for an empty or blank query', () => {
    expect(found('')).toEqual([]);
    expect(found('   \t\n')).toEqual([]);
  });

  it('honours the limit', () => {
    // PB-001 starts with 纵; of the names containing it, 沈家门纵一路第2段泊位 is the shortest.
    expect(found('纵', 2)).toEqual(['PB-001', 'PB-002']);
    expect(found('纵', 0)).toEqual([]);
    expect(() => search(index, '纵', -1)).toThrow('limit must be a whole number');
    expect(() => search(index, '纵', 1.5)).toThrow('limit must be a whole number');
  });

  it('treats hostile input as plain text', () => {
    for (const q of ['.*', '(', '[', '\\', '^$', '+?', '|', '<script>alert(1)</script>', '"; DROP TABLE', '%00', '\u0000', '${x}', '{count}']) {
      expect(() => search(index, q)).not.toThrow();
      expect(found(q)).toEqual([]);
    }
    const long = '纵三路'.repeat(3_334);
    expect(found(long)).toEqual([]);
    expect(found('a'.repeat(10_000))).toEqual([]);
    // Metacharacters inside names match literally.
    const odd = buildSearchIndex([], [feat({ id: 'odd', name: 'A.*(b)[c] <script>' })]);
    expect(search(odd, '.*(b)[').map((e) => e.id)).toEqual(['odd']);
    expect(search(odd, '<script>').map((e) => e.id)).toEqual(['odd']);
    expect(search(odd, 'a.b')).toEqual([]);
  });

  it('ignores a query that is not a string', () => {
    expect(search(index, undefined as unknown as string)).toEqual([]);
  });

  it('returns the index entries themselves without changing the index', () => {
    const before = JSON.stringify(index);
    const r = search(index, '泊位');
    expect(r[0]).toBe(index[3]);
    expect(JSON.stringify(index)).toBe(before);
  });
});
