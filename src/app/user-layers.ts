/**
 * A file the user imports becomes a layer like the others: a catalogue entry is derived
 * from its features (geometry kind, fields and their types), styled from a palette, and
 * marked as the user's own.
 */
import type { Feature, FeatureCollection } from 'geojson';
import type { FieldDef, FieldType, GeometryKind, LayerEntry } from '../data/catalogue.ts';
import { ownValue } from '../geo/own-value.ts';

/** Okabe–Ito colours not used by the programme layers' identities first. */
const PALETTE = ['#CC79A7', '#E69F00', '#56B4E9', '#009E73', '#0072B2', '#D55E00', '#F0E442', '#000000'];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

function typeOf(values: unknown[]): FieldType {
  const present = values.filter((v) => v !== null && v !== undefined && v !== '');
  if (present.length === 0) return 'string';
  if (present.every((v) => typeof v === 'boolean')) return 'boolean';
  if (present.every((v) => typeof v === 'number' && Number.isFinite(v))) return present.every((v) => Number.isInteger(v)) ? 'integer' : 'number';
  if (present.every((v) => typeof v === 'string' && ISO_DATE.test(v))) return 'date';
  return 'string';
}

function geometryKind(features: readonly Feature[]): GeometryKind {
  const t = features.find((f) => f.geometry)?.geometry?.type ?? 'Point';
  if (t === 'GeometryCollection') return 'Polygon';
  return t;
}

/** A layer id from a file name: lower-case ASCII, unique among `taken`. */
export function userLayerId(fileName: string, taken: ReadonlySet<string>): string {
  const base = `user-${fileName.replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'layer'}`;
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  return id;
}

export function userLayerEntry(id: string, fileName: string, fc: FeatureCollection, index: number): LayerEntry {
  const names: string[] = [];
  for (const f of fc.features) for (const k of Object.keys(f.properties ?? {})) if (!names.includes(k)) names.push(k);
  const fields: FieldDef[] = names.slice(0, 200).map((name) => ({
    name,
    label: { zh: name, en: name },
    type: typeOf(fc.features.map((f) => ownValue(f.properties, name))),
  }));
  // Text is data: the file name is shown by Lit as text, never parsed as markup.
  const label = fileName.slice(0, 120);
  return {
    id,
    group: 'user',
    name: { zh: label, en: label },
    file: '',
    geometry: geometryKind(fc.features),
    featureCount: fc.features.length,
    visible: true,
    style: { color: PALETTE[index % PALETTE.length]!, fillOpacity: 0.4, radius: 4.5, width: 3 },
    fields,
  };
}
