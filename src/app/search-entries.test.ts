import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { Catalogue, FieldDef, LayerEntry } from '../data/catalogue.ts';
import { districtDocs, featureDoc, placeDoc } from './search-entries.ts';
import { PLACE_LAYER_NAME } from './search.ts';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

const DISTRICT: FieldDef = {
  name: 'district', label: { zh: '行政区', en: 'District' }, type: 'string',
  values: [
    { value: 'dinghai', label: { zh: '定海区', en: 'Dinghai District' } },
    { value: 'putuo', label: { zh: '普陀区', en: 'Putuo District' } },
    { value: 'xincheng', label: { zh: '新城', en: 'Xincheng New Town' } },
  ],
};
const layer = (id: string, group: LayerEntry['group'], fields: FieldDef[] = [DISTRICT]): LayerEntry => ({
  id, group, name: { zh: id, en: id }, file: `layers/${id}.fgb`, geometry: 'Polygon', visible: true, style: { color: '#000' }, fields,
});
const pt = (x: number, y: number): Geometry => ({ type: 'Point', coordinates: [x, y] });
const square = (x: number, y: number, d = 0.01): Geometry => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });
// Null geometries occur in real files although the GeoJSON types do not allow them.
const feat = (props: Record<string, unknown>, geometry: Geometry | null = pt(122.1, 30)): Feature => deepFreeze({ type: 'Feature', properties: props, geometry: geometry as Geometry });
const fc = (...features: Feature[]): FeatureCollection => deepFreeze({ type: 'FeatureCollection', features });

const parks = deepFreeze(layer('parks', 'programme'));
const cellsLayer = deepFreeze(layer('grid-cells', 'reference'));

describe('featureDoc', () => {
  it('takes the id, names, layer name, bbox and centre, and the text to match: names, road, district labels', () => {
    const d = featureDoc(parks, feat({ id: 'PK-1', name: '定海社区公园1号', name_en: 'Dinghai Community Park 1', district: 'dinghai', road: '定海横一路' }, square(122.0, 30.0, 0.2)), 'district')!;
    expect(d.entry).toMatchObject({ kind: 'feature', layerId: 'parks', id: 'PK-1', name: '定海社区公园1号', nameEn: 'Dinghai Community Park 1', layerName: { zh: 'parks', en: 'parks' }, bbox: [122.0, 30.0, 122.2, 30.2] });
    expect(d.entry.center[0]).toBeCloseTo(122.1, 12);
    expect(d.entry.center[1]).toBeCloseTo(30.1, 12);
    expect(d.text).toEqual({ name: '定海社区公园1号 Dinghai Community Park 1', road: '定海横一路', area: '定海区 Dinghai District' });
    expect(d.rank).toBe(1);
  });

  it('ranks reference layers last and reads a district value without a label as it is', () => {
    const d = featureDoc(cellsLayer, feat({ id: 'G1', name: '网格', district: 'lincheng' }), 'district')!;
    expect(d.rank).toBe(2);
    expect(d.text.area).toBe('lincheng');
    expect(featureDoc(cellsLayer, feat({ id: 'G1', district: 'putuo' }), null)!.text.area).toBe('');
  });

  it('leaves out a feature without an id or coordinates, and takes a numeric id as text', () => {
    expect(featureDoc(parks, feat({ name: 'no id' }), 'district')).toBeNull();
    expect(featureDoc(parks, feat({ id: 'x' }, null), 'district')).toBeNull();
    expect(featureDoc(parks, feat({ id: 'x' }, { type: 'MultiPolygon', coordinates: [] }), 'district')).toBeNull();
    expect(featureDoc(parks, feat({ id: 42 }), 'district')!.entry.id).toBe('42');
  });

  it('reads a GeometryCollection and ignores non-finite coordinates', () => {
    const gc: Geometry = { type: 'GeometryCollection', geometries: [pt(1, 2), { type: 'MultiPoint', coordinates: [[3, -1], [Number.NaN, 100]] }] };
    expect(featureDoc(parks, feat({ id: 'gc' }, gc), null)!.entry.bbox).toEqual([1, -1, 3, 2]);
  });

  it('reads only the feature’s own properties, so names like constructor find nothing inherited', () => {
    const d = featureDoc(parks, feat({ id: 'h' }), 'constructor')!;
    expect(d.text).toEqual({ name: ' ', road: '', area: '' });
  });
});

describe('placeDoc', () => {
  it('is a place with the place layer name, ranked with districts', () => {
    const d = placeDoc(feat({ id: 'place-3', name: '沈家门', name_en: 'Shenjiamen' }, pt(122.295, 29.945)))!;
    expect(d.entry).toEqual({ kind: 'place', layerId: null, id: 'place-3', name: '沈家门', nameEn: 'Shenjiamen', layerName: PLACE_LAYER_NAME, center: [122.295, 29.945], bbox: [122.295, 29.945, 122.295, 29.945] });
    expect(d.rank).toBe(0);
    expect(placeDoc(feat({ name: 'no id' }))).toBeNull();
  });
});

describe('districtDocs', () => {
  const catalogue = (zonesField = 'district'): Catalogue => deepFreeze({
    layers: [cellsLayer, layer('communities', 'reference')],
    analysis: { residential: 'communities', zones: 'grid-cells', districtField: zonesField, services: { parks: [], ebike: [], parking: [] } },
  } as unknown as Catalogue);
  const cells = fc(
    feat({ id: 'G1', district: 'dinghai' }, square(122.0, 30.0)),
    feat({ id: 'G2', district: 'dinghai' }, square(122.1, 30.05)),
    feat({ id: 'G3', district: 'putuo' }, square(122.3, 29.93)),
  );

  it('makes one district per labelled value with the extent of its grid cells, in the catalogue’s order', () => {
    const docs = districtDocs(catalogue(), { 'grid-cells': cells });
    expect(docs.map((d) => d.entry.id)).toEqual(['dinghai', 'putuo']);
    expect(docs[0]!.entry).toMatchObject({ kind: 'district', layerId: null, name: '定海区', nameEn: 'Dinghai District', layerName: { zh: '行政区', en: 'District' } });
    expect(docs[0]!.entry.bbox).toEqual([122.0, 30.0, 122.11, 30.060000000000002]);
    expect(docs[0]!.text.name).toBe('定海区 Dinghai District');
    expect(docs[0]!.rank).toBe(0);
  });

  it('falls back on the residential land while the grid cells have not loaded', () => {
    const communities = fc(feat({ id: 'C1', district: 'xincheng' }, square(122.2, 29.99)));
    expect(districtDocs(catalogue(), { communities }).map((d) => d.entry.id)).toEqual(['xincheng']);
    expect(districtDocs(catalogue(), { 'grid-cells': fc(), communities }).map((d) => d.entry.id)).toEqual(['xincheng']);
  });

  it('is empty without analysis roles, a labelled district field or any cells', () => {
    expect(districtDocs(null, { 'grid-cells': cells })).toEqual([]);
    expect(districtDocs({ ...catalogue(), analysis: undefined }, { 'grid-cells': cells })).toEqual([]);
    expect(districtDocs(catalogue('bezirk'), { 'grid-cells': cells })).toEqual([]);
    expect(districtDocs(catalogue(), {})).toEqual([]);
  });
});
