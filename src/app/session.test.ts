import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { packFeatureCollection } from '../geo/packed-features.ts';
import { readSettings, readStudyArea, resolveStudyAreaRef, restoredState, settingsChanged, settingsRecord, studyAreaRecord, studyAreaRef } from './session.ts';
import type { CoverageSettings } from '../analysis/coverage-settings.ts';
import type { Catalogue, LayerEntry } from '../data/catalogue.ts';
import { initialState, type StudyArea } from './store.ts';
import { decodeUrlState, encodeUrlState } from './url-state.ts';

const dir = join(import.meta.dirname, 'test', 'session');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json'));

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

const square: Feature<Polygon> = { type: 'Feature', properties: { district: 'dinghai' }, geometry: { type: 'Polygon', coordinates: [[[122.2, 29.98], [122.21, 29.98], [122.21, 29.99], [122.2, 29.98]]] } };

describe('readSettings', () => {
  it.each(fixtures)('reads %s field by field, naming what it drops', (file) => {
    const { record, expected } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { record: unknown; expected: unknown };
    expect(readSettings(deepFreeze(record))).toEqual(expected);
  });

  it('reads back what it writes', () => {
    const s = initialState({ bufferRadius: 120, basemap: 'osm', showCoverage: false, table: 'parks', tableSort: { field: 'name', dir: 'asc' }, layerOpacity: { parks: 0.4 }, layerOrder: ['parks', 'idle-plots'] });
    const { value, problems } = readSettings(structuredClone(settingsRecord(s)));
    expect(problems).toEqual([]);
    expect(value).toEqual({
      coverageSettings: s.coverageSettings, showCoverage: false, bufferRadius: 120, bufferLayer: 'communities', basemap: 'osm',
      tableSort: { layerId: 'parks', field: 'name', dir: 'asc' }, layerOpacity: { parks: 0.4 }, layerOrder: ['parks', 'idle-plots'],
    });
  });

  it('reads a record written before layer opacity and order were kept, and refuses damaged ones', () => {
    const old = { ...settingsRecord(initialState()) } as Record<string, unknown>;
    delete old.layerOpacity;
    delete old.layerOrder;
    expect(readSettings(old).problems).toEqual([]);
    const bad = readSettings({ ...old, layerOpacity: { parks: 3, '<x>': 0.5 }, layerOrder: ['parks', 7] });
    expect(bad.problems).toEqual(['the layer opacities are damaged', 'the layer order is damaged']);
    expect(bad.value.layerOpacity).toBeUndefined();
  });

  it('has nothing to say when nothing was stored', () => {
    expect(readSettings(undefined)).toEqual({ value: {}, problems: [] });
  });
});

describe('study area records', () => {
  it('round-trip through a structured clone, as IndexedDB stores them', () => {
    const area: StudyArea = deepFreeze({ feature: square, label: '定海' });
    expect(readStudyArea(structuredClone(studyAreaRecord(area)))).toEqual({ value: area, problems: [] });
    expect(readStudyArea(undefined)).toEqual({ value: null, problems: [] });
  });

  it('keep the district or grid cell an area was made from, so a link still names it by id', () => {
    const area: StudyArea = deepFreeze({ feature: square, label: '普陀区', source: { kind: 'district', id: 'putuo' } });
    expect(readStudyArea(structuredClone(studyAreaRecord(area)))).toEqual({ value: area, problems: [] });
    // A damaged source loses only the name.
    const bad = { ...studyAreaRecord(area), source: { kind: 'river', id: 'x' } };
    expect(readStudyArea(bad)).toEqual({ value: { feature: square, label: '普陀区' }, problems: [] });
  });

  it.each<[string, unknown]>([
    ['an unknown version', { ...studyAreaRecord({ feature: square, label: '' }), v: 2 }],
    ['no label', { ...studyAreaRecord({ feature: square, label: '' }), label: 7 }],
    ['damaged coordinates', { ...studyAreaRecord({ feature: square, label: '' }), packed: { type: 'PackedFeatureCollection', features: [], coords: 'x' } }],
    ['a point', { v: 1, label: '', packed: packFeatureCollection({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [122.2, 30] } }] }) }],
    ['an open ring', { v: 1, label: '', packed: packFeatureCollection({ type: 'FeatureCollection', features: [{ ...square, geometry: { type: 'Polygon', coordinates: [[[122.2, 29.98], [122.21, 29.98], [122.21, 29.99], [122.2, 29.99]]] } }] }) }],
    ['two features', { v: 1, label: '', packed: packFeatureCollection({ type: 'FeatureCollection', features: [square, square] }) }],
    ['a string', 'studyArea'],
  ])('ignore and report %s', (_, raw) => {
    const r = readStudyArea(raw);
    expect(r.value).toBeNull();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^the saved study area is damaged/);
  });
});

describe('study areas made from an imported layer', () => {
  const entry = (id: string, group: LayerEntry['group']) => ({ id, group }) as LayerEntry;
  const catalogue = { layers: [entry('parks', 'programme'), entry('user-plots', 'user')] } as Catalogue;
  const other: Feature<Polygon> = { ...square, properties: { n: 2 } };
  const s = initialState({
    catalogue,
    data: { 'user-plots': { type: 'FeatureCollection', features: [other, square] }, parks: { type: 'FeatureCollection', features: [square] } },
    studyArea: { feature: square, label: 'plots.geojson' },
  });

  it('are stored as a reference to the layer, which is stored already', () => {
    const ref = studyAreaRef(s);
    expect(ref).toEqual({ layerId: 'user-plots', index: 1, label: 'plots.geojson' });
    const record = structuredClone(studyAreaRecord(s.studyArea!, ref));
    expect(record).toEqual({ v: 1, label: 'plots.geojson', layer: { id: 'user-plots', index: 1 } });
    expect(readStudyArea(record)).toEqual({ value: ref, problems: [] });
    expect(resolveStudyAreaRef(ref!, s)).toEqual({ value: s.studyArea, problems: [] });
  });

  it('are stored in full when they are not a feature of an imported layer', () => {
    expect(studyAreaRef({ ...s, studyArea: { feature: { ...square }, label: '' } })).toBeNull();
    expect(studyAreaRef({ ...s, data: { ...s.data, 'user-plots': { type: 'FeatureCollection', features: [] } } })).toBeNull();
  });

  it('are reported when the layer is gone or the feature is not a polygon', () => {
    const ref = { layerId: 'user-plots', index: 1, label: '' };
    expect(resolveStudyAreaRef(ref, { ...s, data: {} }).problems[0]).toMatch(/layer user-plots it was made from is no longer kept/);
    expect(resolveStudyAreaRef({ ...ref, index: 5 }, s).problems[0]).toMatch(/not a polygon/);
    expect(readStudyArea({ v: 1, label: '', layer: { id: 'user-plots', index: -1 } }).problems[0]).toMatch(/a bad layer reference/);
  });
});

describe('restoredState', () => {
  const stored = { basemap: 'tianditu', bufferRadius: 900, showCoverage: false, tableSort: { layerId: 'parks', field: 'name', dir: 'desc' } } as const;
  const area: StudyArea = { feature: square, label: 'x' };

  it('restores everything to a bare link', () => {
    expect(restoredState(stored, area, decodeUrlState(''))).toEqual({ basemap: 'tianditu', bufferRadius: 900, showCoverage: false, studyArea: area });
  });

  it('lets a hash that places the map decide the basemap, even the offline one it leaves unnamed', () => {
    expect(restoredState(stored, null, decodeUrlState('#map=12.00/29.99000/122.20000&base=osm')).basemap).toBeUndefined();
    expect(restoredState(stored, null, decodeUrlState('#map=12.00/29.99000/122.20000&layers=parks')).basemap).toBeUndefined();
    expect(restoredState(stored, null, decodeUrlState('#tab=analysis')).basemap).toBe('tianditu');
  });

  it('leaves the coverage settings and the study area to a link that carries them', () => {
    const coverageSettings: CoverageSettings = { kind: 'ebike', parkRules: [{ minArea: 5000, radius: 500 }], ebikeRadius: 999, parkingRadius: 300 };
    const withCoverage = { ...stored, coverageSettings };
    expect(restoredState(withCoverage, area, decodeUrlState('')).coverageSettings).toEqual(withCoverage.coverageSettings);
    const link = decodeUrlState('#cov=parks~5000_500~300~300&study=d~putuo');
    expect(restoredState(withCoverage, area, link).coverageSettings).toBeUndefined();
    expect(restoredState(withCoverage, area, link).studyArea).toBeUndefined();
  });

  it('keeps the stored study area, with its label, when the link names that same area (a reload)', () => {
    const district: StudyArea = { feature: square, label: '普陀区', source: { kind: 'district', id: 'putuo' } };
    expect(restoredState({}, district, decodeUrlState('#study=d~putuo')).studyArea).toBe(district);
    expect(restoredState({}, district, decodeUrlState('#study=d~dinghai')).studyArea).toBeUndefined();
    const drawn: StudyArea = { feature: square, label: 'plot.geojson' };
    const same = decodeUrlState(encodeUrlState({ study: { kind: 'polygon', geometry: square.geometry } }));
    expect(restoredState({}, drawn, same).studyArea).toBe(drawn);
    const other = decodeUrlState(encodeUrlState({ study: { kind: 'polygon', geometry: { type: 'Polygon', coordinates: [[[122, 30], [122.1, 30], [122.1, 30.1], [122, 30]]] } } }));
    expect(restoredState({}, drawn, other).studyArea).toBeUndefined();
  });

  it('restores the table sort only with the table the hash opens', () => {
    expect(restoredState(stored, null, decodeUrlState('#table=parks')).tableSort).toEqual({ field: 'name', dir: 'desc' });
    expect(restoredState(stored, null, decodeUrlState('#table=communities')).tableSort).toBeUndefined();
    expect(restoredState(stored, null, decodeUrlState('')).tableSort).toBeUndefined();
  });
});

describe('settingsChanged', () => {
  it('sees the settings the record keeps and nothing else', () => {
    const a = initialState();
    expect(settingsChanged(a, { ...a, view: { center: [0, 0], zoom: 3 } })).toBe(false);
    expect(settingsChanged(a, { ...a, bufferRadius: 1 })).toBe(true);
    expect(settingsChanged(a, { ...a, coverageSettings: { ...a.coverageSettings } })).toBe(true);
    expect(settingsChanged(a, { ...a, basemap: 'osm' })).toBe(true);
  });
});
