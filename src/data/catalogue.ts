/**
 * The layer catalogue (data/catalogue.json): what layers exist, where their files are,
 * what their fields mean and how they are drawn. Adding a layer is adding an entry here
 * and a file; no code. `parseCatalogue` checks what the app relies on and says plainly
 * what is wrong; data/catalogue.schema.json is the full schema for editors and tests.
 */
import type { ProgrammeMetric } from '../analysis/programme.ts';
import { COVERAGE_KINDS, type AnalysisRoles } from '../analysis/roles.ts';
import { isIsoDate } from '../analysis/timeline/calendar.ts';
import type { Timeline } from '../analysis/timeline/status-on.ts';
import { FormatError } from './errors.ts';

export interface Localized {
  zh: string;
  en: string;
}

type Stage = 'finished' | 'in_progress' | 'planned' | 'neutral';
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date';
export type GeometryKind = 'Point' | 'LineString' | 'Polygon' | 'MultiPoint' | 'MultiLineString' | 'MultiPolygon';

interface FieldValue {
  value: string;
  label: Localized;
  stage?: Stage;
  /** Overrides the stage colour where two values share a stage. */
  color?: string;
}

export interface FieldDef {
  name: string;
  label: Localized;
  type: FieldType;
  unit?: string | Localized;
  values?: FieldValue[];
}

interface LayerStyle {
  color: string;
  fillOpacity?: number;
  radius?: number;
  width?: number;
  outlineOnly?: boolean;
}

export interface LayerEntry {
  id: string;
  group: 'programme' | 'reference' | 'user';
  name: Localized;
  description?: Localized;
  file: string;
  geometry: GeometryKind;
  featureCount?: number;
  /** Size of the file; above the catalogue's `viewport.thresholdBytes` it loads by viewport. */
  bytes?: number;
  /**
   * Most features a viewport query may draw; a view that holds more shows the layer's
   * density from its spatial index instead. Default VIEWPORT_MAX_FEATURES.
   */
  maxFeatures?: number;
  visible: boolean;
  /** The field whose values carry a stage (and colour) for styling. */
  styleField?: string;
  style: LayerStyle;
  fields: FieldDef[];
  /** Plain words for the public view: the situation before and after the work. */
  public?: { before: Localized; after: Localized };
}

interface StageDef {
  label: Localized;
  color: string | null;
  dash: boolean;
}

export interface Catalogue {
  version: 1;
  title: Localized;
  source: Localized;
  demo: boolean;
  attribution: string;
  crs: string;
  view: { center: [number, number]; zoom: number };
  stages: Record<Stage, StageDef>;
  basemap: { land: string; roads: string; places: string };
  layers: LayerEntry[];
  /** Figures for the programme dashboard, computed from the layers. */
  programme?: ProgrammeMetric[];
  /** Which layers the coverage analysis reads; without it the analysis has nothing to measure. */
  analysis?: AnalysisRoles;
  /** Layers whose `bytes` exceed this load by viewport. Default VIEWPORT_THRESHOLD_BYTES. */
  viewport?: { thresholdBytes: number };
  /** Which date fields move which status on which layer: the programme over time. */
  timeline?: Timeline;
}

/** A file larger than this (8 MiB) is read by viewport unless the catalogue says otherwise. */
export const VIEWPORT_THRESHOLD_BYTES = 8 * 1024 * 1024;
/** Features a viewport query draws at most before falling back to the density overview. */
export const VIEWPORT_MAX_FEATURES = 60_000;

/**
 * Whether a layer is read by viewport (HTTP range requests through its spatial index) rather
 * than downloaded whole. Only the size decides: the catalogue records it, so no request is
 * needed to choose.
 */
export function loadsByViewport(entry: LayerEntry, catalogue: Pick<Catalogue, 'viewport'>): boolean {
  if (entry.group === 'user' || entry.bytes === undefined) return false;
  return entry.bytes > (catalogue.viewport?.thresholdBytes ?? VIEWPORT_THRESHOLD_BYTES);
}

const GEOMETRIES: readonly string[] = ['Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon'];
const FIELD_TYPES: readonly string[] = ['string', 'integer', 'number', 'boolean', 'date'];
const STAGES: readonly string[] = ['finished', 'in_progress', 'planned', 'neutral'];
const LAYER_ID = /^[a-z0-9][a-z0-9-]*$/;

/**
 * A value from the file, as text for a message. `String()` throws on an object whose
 * `toString` is not a function (`{"toString": null}`), which would turn a bad catalogue
 * into an unexplained crash; found by fuzzing.
 */
function show(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return typeof v;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLocalized = (v: unknown): v is Localized => isObj(v) && typeof v.zh === 'string' && typeof v.en === 'string';

/** Validates parsed JSON as a catalogue; throws a FormatError naming the first problem. */
export function parseCatalogue(json: unknown, source = 'catalogue.json'): Catalogue {
  const fail = (msg: string): never => {
    throw new FormatError(`${source}: ${msg}`, source);
  };
  if (!isObj(json)) return fail('not a JSON object');
  if (json.version !== 1) fail(`unsupported version ${show(json.version)} (expected 1)`);
  if (!isLocalized(json.title)) fail('title must have zh and en');
  if (!isObj(json.stages)) fail('stages missing');
  for (const s of STAGES) if (!isObj((json.stages as Record<string, unknown>)[s])) fail(`stage "${s}" missing`);
  if (!isObj(json.basemap)) fail('basemap missing');
  if (!Array.isArray(json.layers)) return fail('layers must be an array');
  const ids = new Set<string>();
  json.layers.forEach((l: unknown, i: number) => {
    const where = `layer ${i + 1}`;
    if (!isObj(l)) return fail(`${where} is not an object`);
    if (typeof l.id !== 'string' || !LAYER_ID.test(l.id)) return fail(`${where} has no valid id (lower-case letters, digits, hyphens)`);
    if (ids.has(l.id)) fail(`layer id "${l.id}" appears twice`);
    ids.add(l.id);
    if (!isLocalized(l.name)) fail(`layer "${l.id}": name must have zh and en`);
    if (typeof l.file !== 'string' || l.file.length === 0) fail(`layer "${l.id}": file missing`);
    if (typeof l.geometry !== 'string' || !GEOMETRIES.includes(l.geometry)) fail(`layer "${l.id}": unknown geometry ${show(l.geometry)}`);
    if (!isObj(l.style) || typeof l.style.color !== 'string') fail(`layer "${l.id}": style.color missing`);
    if (!Array.isArray(l.fields)) return fail(`layer "${l.id}": fields must be an array`);
    const names = new Set<string>();
    for (const f of l.fields as unknown[]) {
      if (!isObj(f) || typeof f.name !== 'string') return fail(`layer "${l.id}": a field has no name`);
      if (!isLocalized(f.label)) fail(`layer "${l.id}", field "${f.name}": label must have zh and en`);
      if (typeof f.type !== 'string' || !FIELD_TYPES.includes(f.type)) fail(`layer "${l.id}", field "${f.name}": unknown type ${show(f.type)}`);
      if (f.values !== undefined) {
        if (!Array.isArray(f.values)) fail(`layer "${l.id}", field "${f.name}": values must be an array`);
        for (const v of f.values as unknown[]) {
          if (!isObj(v) || typeof v.value !== 'string' || !isLocalized(v.label)) fail(`layer "${l.id}", field "${f.name}": each value needs value and label`);
          if (isObj(v) && v.stage !== undefined && !STAGES.includes(show(v.stage))) fail(`layer "${l.id}", field "${f.name}": unknown stage ${show(v.stage)}`);
        }
      }
      names.add(f.name);
    }
    for (const key of ['featureCount', 'bytes', 'maxFeatures'] as const) {
      if (l[key] !== undefined && !(Number.isSafeInteger(l[key]) && (l[key] as number) >= 0)) fail(`layer "${l.id}": ${key} must be a whole number`);
    }
    if (l.styleField !== undefined && !names.has(show(l.styleField))) fail(`layer "${l.id}": styleField "${show(l.styleField)}" is not one of its fields`);
  });
  if (json.viewport !== undefined) {
    const v = json.viewport;
    if (!isObj(v) || !(typeof v.thresholdBytes === 'number' && v.thresholdBytes >= 0)) fail('viewport.thresholdBytes must be a number of bytes');
  }
  if (json.analysis !== undefined) {
    const a = json.analysis;
    if (!isObj(a)) return fail('analysis must be an object');
    const layer = (key: string, v: unknown): void => {
      if (typeof v !== 'string' || !ids.has(v)) fail(`analysis.${key} refers to unknown layer ${show(v)}`);
    };
    layer('residential', a.residential);
    layer('zones', a.zones);
    if (typeof a.districtField !== 'string' || a.districtField === '') fail('analysis.districtField must name a field of the zones');
    if (a.idle !== undefined) layer('idle', a.idle);
    if (!isObj(a.services)) return fail('analysis.services must be an object');
    for (const kind of COVERAGE_KINDS) {
      const list = (a.services)[kind];
      if (!Array.isArray(list) || list.length === 0) fail(`analysis.services.${kind} must list at least one layer`);
      (list as unknown[]).forEach((v, i) => layer(`services.${kind}[${i}]`, v));
    }
  }
  if (json.programme !== undefined) {
    if (!Array.isArray(json.programme)) fail('programme must be an array');
    for (const m of json.programme as unknown[]) {
      if (!isObj(m) || typeof m.id !== 'string' || !isLocalized(m.label)) return fail('each programme metric needs an id and a label');
      if (!ids.has(show(m.layer))) fail(`programme metric "${m.id}" refers to unknown layer "${show(m.layer)}"`);
      if (!['progress', 'count', 'sum', 'mean', 'area', 'length'].includes(show(m.kind))) fail(`programme metric "${m.id}": unknown kind ${show(m.kind)}`);
    }
  }
  if (json.timeline !== undefined) checkTimeline(json.timeline, json.layers as Record<string, unknown>[], (json.programme ?? []) as Record<string, unknown>[], fail);
  return json as unknown as Catalogue;
}

const isScalar = (v: unknown): boolean => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** The `timeline` section: real dates, known layers and date fields, values the fields allow. */
function checkTimeline(tl: unknown, layers: readonly Record<string, unknown>[], programme: readonly Record<string, unknown>[], fail: (msg: string) => never): void {
  if (!isObj(tl)) return fail('timeline must be an object');
  for (const key of ['start', 'end', 'dataDate']) if (!isIsoDate(tl[key])) fail(`timeline.${key} must be a date written YYYY-MM-DD`);
  if (show(tl.start) > show(tl.end)) fail('timeline.start is after timeline.end');
  if (!Array.isArray(tl.layers)) return fail('timeline.layers must be an array');
  (tl.layers as unknown[]).forEach((e, i) => {
    const where = `timeline.layers[${i}]`;
    if (!isObj(e)) return fail(`${where} is not an object`);
    const layer = layers.find((l) => l.id === e.layer);
    if (!layer) return fail(`${where} refers to unknown layer "${show(e.layer)}"`);
    const fields = new Map((layer.fields as Record<string, unknown>[]).map((f) => [f.name, f]));
    const field = e.field === undefined ? undefined : fields.get(e.field);
    if (e.field !== undefined && !field) fail(`${where}: "${show(e.field)}" is not a field of layer "${show(e.layer)}"`);
    const allowed = Array.isArray(field?.values) ? (field.values as Record<string, unknown>[]).map((v) => v.value) : null;
    const checkValue = (what: string, v: unknown): void => {
      if (v === undefined) return;
      if (!isScalar(v)) fail(`${where}: ${what} must be a string, number or true/false`);
      if (!field) fail(`${where}: ${what} given but no field to write it to`);
      if (allowed && typeof v === 'string' && !allowed.includes(v)) fail(`${where}: ${what} "${v}" is not among the values of field "${show(e.field)}"`);
    };
    checkValue('before', e.before);
    if (!Array.isArray(e.steps) || e.steps.length === 0) return fail(`${where}: steps must list at least one date field`);
    for (const step of e.steps as unknown[]) {
      if (!isObj(step)) return fail(`${where}: a step is not an object`);
      if (fields.get(step.on)?.type !== 'date') fail(`${where}: step "${show(step.on)}" is not a date field of layer "${show(e.layer)}"`);
      checkValue('value', step.value);
      checkValue('planned', step.planned);
    }
  });
  if (tl.targets === undefined) return;
  if (!Array.isArray(tl.targets)) return fail('timeline.targets must be an array');
  for (const t of tl.targets as unknown[]) {
    if (!isObj(t) || !programme.some((m) => m.id === t.metric)) return fail(`timeline.targets: "${show(isObj(t) ? t.metric : t)}" is not a programme metric`);
    if (!isIsoDate(t.date) || typeof t.value !== 'number' || !Number.isFinite(t.value)) fail(`timeline.targets: "${show(t.metric)}" needs a date (YYYY-MM-DD) and a number`);
  }
}

/** The label of a field's value, or the raw value when the catalogue lists none. */
export function valueLabel(field: FieldDef | undefined, value: unknown, lang: keyof Localized): string {
  const v = field?.values?.find((x) => x.value === value);
  return v ? v.label[lang] : String(value);
}
