/**
 * The columns an export writes, from the catalogue's field definitions: each property's
 * type (so a date stays a date and a count an integer in formats that have types), its
 * title in the UI language (formats that store one: FlatGeobuf, GeoPackage, XLSX) and the
 * labels of its coded values (CSV and XLSX put them beside the codes).
 *
 * The catalogue is trusted only as far as the data agrees with it: a declared type that a
 * value does not fit (an imported file, a hand-edited layer) gives way to the type the
 * values have, so no value is dropped or mangled to fit a column.
 */
import type { FeatureCollection } from 'geojson';
import type { FieldDef, Localized } from '../catalogue.ts';
import { ownValue } from '../../geo/own-value.ts';

export type ExportLang = keyof Localized;

/** Storage kinds every writer maps onto its own types. */
export type ColumnKind = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'json';

/** What an export takes from the layer's catalogue entry. */
export interface ExportLayerInfo {
  /** Layer id, ASCII: table, layer and file names are built from it. */
  readonly id: string;
  readonly name: Localized;
  readonly fields: readonly FieldDef[];
  /** The field whose values carry the stage (DXF layers by status). */
  readonly styleField?: string;
  /** The layer's own colour, for features without a stage colour. */
  readonly color?: string;
  /** The catalogue's stages: their colours (null: the layer's colour). */
  readonly stages?: Readonly<Record<string, { readonly color: string | null }>>;
}

export interface ExportColumn {
  /** Property name. */
  readonly name: string;
  /** Title in the export's language (the property name when the catalogue has none). */
  readonly title: string;
  readonly kind: ColumnKind;
  /** Code → label in the export's language, for fields whose values the catalogue lists. */
  readonly labels?: ReadonlyMap<string, string>;
  /** Unit, e.g. "m²". */
  readonly unit?: string;
  /** Smallest and largest value, for integer and number columns with values. */
  readonly range?: readonly [number, number];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Titles of the properties the export itself adds (with-measures.ts, the coverage run). */
const COMPUTED: readonly { test: RegExp; title: Localized; unit?: string }[] = [
  { test: /^area_m2$/, title: { zh: '面积（椭球）', en: 'Area (ellipsoidal)' }, unit: 'm²' },
  { test: /^area_gk_m2$/, title: { zh: '面积（高斯-克吕格 EPSG:4550）', en: 'Area (Gauss–Krüger EPSG:4550)' }, unit: 'm²' },
  { test: /^length_m$/, title: { zh: '长度', en: 'Length' }, unit: 'm' },
  { test: /^coverage_.+_share$/, title: { zh: '服务半径覆盖率', en: 'Service-radius coverage' } },
  { test: /^coverage_.+_m2$/, title: { zh: '服务半径覆盖面积', en: 'Area within service radius' }, unit: 'm²' },
];

/**
 * The columns of `fc`: the catalogue's fields in catalogue order (those with at least one
 * value, or all of them when `keepEmpty`), then every other property in order of first
 * appearance.
 */
export function exportColumns(fc: FeatureCollection, layer: ExportLayerInfo | undefined, lang: ExportLang = 'zh'): ExportColumn[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const add = (n: string): void => {
    if (!seen.has(n)) {
      seen.add(n);
      names.push(n);
    }
  };
  const present = new Set<string>();
  for (const f of fc.features) for (const k of Object.keys(f.properties ?? {})) present.add(k);
  for (const field of layer?.fields ?? []) if (present.has(field.name)) add(field.name);
  for (const f of fc.features) for (const k of Object.keys(f.properties ?? {})) add(k);

  const byName = new Map((layer?.fields ?? []).map((f) => [f.name, f]));
  return names.map((name) => {
    const values = fc.features.map((f) => ownValue(f.properties, name)).filter((v) => v !== null && v !== undefined);
    const def = byName.get(name);
    const computed = def ? undefined : COMPUTED.find((c) => c.test.test(name));
    const declared = def ? declaredKind(def, values) : undefined;
    const kind = declared ?? inferKind(values);
    const unit = def?.unit === undefined ? computed?.unit : typeof def.unit === 'string' ? def.unit : def.unit[lang];
    const labels = def?.values?.length && kind === 'string' ? new Map(def.values.map((v) => [v.value, v.label[lang]])) : undefined;
    const numbers = kind === 'integer' || kind === 'number' ? (values as number[]) : [];
    return {
      name,
      title: def?.label[lang] ?? computed?.title[lang] ?? name,
      kind,
      ...(labels ? { labels } : {}),
      ...(unit ? { unit } : {}),
      ...(numbers.length ? { range: numbers.reduce<[number, number]>((r, v) => [Math.min(r[0], v), Math.max(r[1], v)], [Infinity, -Infinity]) } : {}),
    };
  });
}

/** The catalogue's type when every value fits it, else undefined. */
function declaredKind(def: FieldDef, values: readonly unknown[]): ColumnKind | undefined {
  switch (def.type) {
    case 'string':
      return values.every((v) => typeof v === 'string') ? 'string' : undefined;
    case 'integer':
      return values.every((v) => Number.isSafeInteger(v)) ? 'integer' : undefined;
    case 'number':
      return values.every((v) => typeof v === 'number') ? 'number' : undefined;
    case 'boolean':
      return values.every((v) => typeof v === 'boolean') ? 'boolean' : undefined;
    case 'date':
      if (values.every((v) => typeof v === 'string' && ISO_DATE.test(v) && validDate(v))) return 'date';
      return values.every((v) => typeof v === 'string' && (ISO_DATE.test(v) || ISO_DATETIME.test(v)) && validDate(v)) ? 'datetime' : undefined;
  }
}

/** The kind the values have; dates are recognised only when the catalogue says so. */
function inferKind(values: readonly unknown[]): ColumnKind {
  if (values.length === 0) return 'string';
  if (values.every((v) => typeof v === 'boolean')) return 'boolean';
  if (values.every((v) => Number.isSafeInteger(v) && !Object.is(v, -0))) return 'integer';
  if (values.every((v) => typeof v === 'number')) return 'number';
  if (values.every((v) => typeof v === 'string')) return 'string';
  if (values.every((v) => typeof v === 'object')) return 'json';
  return 'string';
}

function validDate(s: string): boolean {
  return !Number.isNaN(Date.parse(ISO_DATE.test(s) ? `${s}T00:00:00Z` : s));
}

/** A date or date-time value as a Date (a plain date is midnight UTC). */
export function toDate(s: string): Date {
  return new Date(ISO_DATE.test(s) ? `${s}T00:00:00Z` : s);
}

/** A value as text for a text-only cell or field: JSON for objects, "" for nothing. */
export function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
}
