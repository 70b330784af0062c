/**
 * What the search index holds: one document per feature with an id and a geometry, per
 * place of the basemap, and per district, each with the text the index matches (the name
 * in both languages, the road, the district's labels) and the result the search box shows.
 * Plain data in and out; no index library here.
 */
import type { Feature, FeatureCollection } from 'geojson';
import type { Catalogue, LayerEntry, Localized } from '../data/catalogue.ts';
import { featuresBbox, geometryBbox, type Bbox } from '../geo/bbox.ts';
import { ownValue } from '../geo/own-value.ts';
import { PLACE_LAYER_NAME, type SearchEntry } from './search.ts';

export interface SearchDoc {
  entry: SearchEntry;
  /** The text the index matches, by field. */
  text: { name: string; road: string; area: string };
  /** 0 a place or a district, 1 a feature of a programme or user layer, 2 of a reference layer. */
  rank: 0 | 1 | 2;
}

const centre = (b: Bbox): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

/** Both labels of a field's value, or the value itself when the catalogue has no label for it. */
function labelsOf(layer: LayerEntry, field: string, value: string): string {
  if (!value) return '';
  const label = layer.fields.find((f) => f.name === field)?.values?.find((v) => v.value === value)?.label;
  return label ? `${label.zh} ${label.en}` : value;
}

/**
 * The document of one feature, or null for one without an id (the table could not select
 * it) or without coordinates (the map could not show it). `districtField` names the field
 * whose value labels are matched as the feature's district.
 */
export function featureDoc(layer: LayerEntry, feature: Feature, districtField: string | null): SearchDoc | null {
  const p = feature.properties ?? {};
  const id = text(ownValue(p, 'id')) || text(feature.id);
  const bbox = geometryBbox(feature.geometry);
  if (!id || !bbox) return null;
  const name = text(ownValue(p, 'name'));
  const nameEn = text(ownValue(p, 'name_en'));
  return {
    entry: { kind: 'feature', layerId: layer.id, id, name, nameEn, layerName: layer.name, center: centre(bbox), bbox },
    text: {
      name: `${name} ${nameEn}`,
      road: text(ownValue(p, 'road')),
      area: districtField ? labelsOf(layer, districtField, text(ownValue(p, districtField))) : '',
    },
    rank: layer.group === 'reference' ? 2 : 1,
  };
}

/** The document of a place of the basemap (a town), or null without an id or a position. */
export function placeDoc(feature: Feature, layerName: Localized = PLACE_LAYER_NAME): SearchDoc | null {
  const p = feature.properties ?? {};
  const id = text(ownValue(p, 'id')) || text(feature.id);
  const bbox = geometryBbox(feature.geometry);
  if (!id || !bbox) return null;
  const name = text(ownValue(p, 'name'));
  const nameEn = text(ownValue(p, 'name_en'));
  return {
    entry: { kind: 'place', layerId: null, id, name, nameEn, layerName, center: centre(bbox), bbox },
    text: { name: `${name} ${nameEn}`, road: '', area: '' },
    rank: 0,
  };
}

/**
 * One document per district the catalogue names (the values of the analysis roles'
 * district field on the grid cells), with the extent of its grid cells, or of its
 * residential land where the cells have not loaded. A district with neither is left out:
 * it would lead nowhere.
 */
export function districtDocs(catalogue: Catalogue | null, data: Readonly<Record<string, FeatureCollection>>): SearchDoc[] {
  const roles = catalogue?.analysis;
  if (!roles) return [];
  const field = roles.districtField;
  const layerOf = (id: string): LayerEntry | undefined => catalogue.layers.find((l) => l.id === id);
  const def = [layerOf(roles.zones), layerOf(roles.residential)].map((l) => l?.fields.find((f) => f.name === field)).find((f) => f?.values?.length);
  if (!def?.values) return [];
  const source = [roles.zones, roles.residential].map((id) => data[id]).find((fc) => fc && fc.features.length > 0);
  if (!source) return [];
  const byDistrict = new Map<string, Feature[]>();
  for (const f of source.features) {
    const value = text(ownValue(f.properties, field));
    if (!value) continue;
    const list = byDistrict.get(value);
    if (list) list.push(f);
    else byDistrict.set(value, [f]);
  }
  const out: SearchDoc[] = [];
  for (const v of def.values) {
    const bbox: Bbox | null = featuresBbox(byDistrict.get(v.value) ?? []);
    if (!bbox) continue;
    out.push({
      entry: { kind: 'district', layerId: null, id: v.value, name: v.label.zh, nameEn: v.label.en, layerName: def.label, center: centre(bbox), bbox },
      text: { name: `${v.label.zh} ${v.label.en}`, road: '', area: '' },
      rank: 0,
    });
  }
  return out;
}
