/**
 * The part of the state a reload must not lose and the URL hash does not carry: the study
 * area, the coverage and buffer settings, the attribute table's sort and the basemap (which
 * the hash only carries when it is not the offline one). Kept in IndexedDB as two records,
 * so the small settings are not rewritten with a study area of a million vertices:
 *
 * - `settings`: `{ v: 1, coverageSettings, showCoverage, bufferRadius, bufferLayer, basemap, tableSort, layerOpacity, layerOrder }`
 *   (the last two added later: a record without them is whole, and keeps the defaults)
 * - `studyArea`: `{ v: 1, label, packed }`, the feature packed (`packed-features.ts`), or
 *   `{ v: 1, label, layer: { id, index } }` when it is a feature of an imported layer, which
 *   is stored already: a second copy of a million vertices would double the storage used
 *   (and the time to write it). No record when there is no study area.
 *
 * Reading is forgiving, like the URL decoder: each field is checked on its own, a bad one is
 * dropped and named in `problems`, the rest still applies. What the hash says wins: the
 * coverage settings and the study area too, when a link carries them (a hash that names the
 * kept study area, as a reload's does, gets the kept one, with its label).
 *
 * A study area made from a district or grid cell keeps that `source` (`{ kind, id }`) in
 * its record, so a link made after a reload still names it by id.
 */
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { DEFAULT_COVERAGE_SETTINGS, type CoverageSettings } from '../analysis/coverage-settings.ts';
import { COVERAGE_KINDS, type CoverageKind } from '../analysis/roles.ts';
import { geometryProblem } from '../geo/check-geometry.ts';
import { packFeatureCollection, unpackFeatureCollection, type PackedFeatureCollection } from '../geo/packed-features.ts';
import type { AppState, BasemapId, StudyArea, TableSort } from './store.ts';
import { sameOutline, type UrlState, type UrlStudyArea } from './url-state.ts';

export const SETTINGS_KEY = 'settings';
export const STUDY_AREA_KEY = 'studyArea';
const VERSION = 1;

/** The attribute table's sort, with the table it belongs to. */
interface StoredTableSort extends TableSort {
  layerId: string;
}

export interface SessionSettings {
  coverageSettings: CoverageSettings;
  showCoverage: boolean;
  bufferRadius: number;
  bufferLayer: string;
  basemap: BasemapId;
  tableSort: StoredTableSort | null;
  layerOpacity: Readonly<Record<string, number>>;
  layerOrder: readonly string[] | null;
}

export interface StoredSettings extends SessionSettings {
  v: typeof VERSION;
}

/** A study area that is feature `index` of the imported layer `layerId`. */
export interface StudyAreaRef {
  layerId: string;
  index: number;
  label: string;
}

export type StoredStudyArea =
  | { v: typeof VERSION; label: string; packed: PackedFeatureCollection; source?: StudyArea['source'] }
  | { v: typeof VERSION; label: string; layer: { id: string; index: number } };

export interface Read<T> {
  value: T;
  /** One plain sentence per field or record that was dropped. */
  problems: string[];
}

const BASEMAPS: readonly BasemapId[] = ['offline', 'osm', 'tianditu'];
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
// eslint-disable-next-line no-control-regex -- a stored sort field holding control characters is damaged: refusing them is the point
const FIELD = /^[^\u0000-\u001f]{1,128}$/;
/** Radii beyond this are typing slips, not service radii (metres). */
const MAX_RADIUS = 50_000;
const MAX_RULES = 20;
const MAX_LABEL = 200;
/** More layers than any catalogue plus imports would hold: a record listing more is damaged. */
const MAX_LAYERS = 500;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isRadius = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= MAX_RADIUS;

/** What of the state the `settings` record keeps. */
export function pickSettings(s: AppState): SessionSettings {
  return {
    coverageSettings: s.coverageSettings,
    showCoverage: s.showCoverage,
    bufferRadius: s.bufferRadius,
    bufferLayer: s.bufferLayer,
    basemap: s.basemap,
    tableSort: s.table && s.tableSort ? { layerId: s.table, ...s.tableSort } : null,
    layerOpacity: s.layerOpacity,
    layerOrder: s.layerOrder,
  };
}

/** True when something the `settings` record keeps has changed. */
export function settingsChanged(a: AppState, b: AppState): boolean {
  return a.coverageSettings !== b.coverageSettings || a.showCoverage !== b.showCoverage || a.bufferRadius !== b.bufferRadius
    || a.bufferLayer !== b.bufferLayer || a.basemap !== b.basemap || a.tableSort !== b.tableSort || (a.tableSort !== null && a.table !== b.table)
    || a.layerOpacity !== b.layerOpacity || a.layerOrder !== b.layerOrder;
}

export function settingsRecord(s: AppState): StoredSettings {
  return { v: VERSION, ...pickSettings(s) };
}

function readCoverage(raw: unknown, problems: string[]): CoverageSettings | undefined {
  if (!isObject(raw)) {
    problems.push('the coverage settings are not an object');
    return undefined;
  }
  const out: CoverageSettings = { ...DEFAULT_COVERAGE_SETTINGS, parkRules: DEFAULT_COVERAGE_SETTINGS.parkRules.map((r) => ({ ...r })) };
  if ((COVERAGE_KINDS as readonly unknown[]).includes(raw.kind)) out.kind = raw.kind as CoverageKind;
  else problems.push('the coverage kind is unknown');
  const rules = raw.parkRules;
  if (Array.isArray(rules) && rules.length > 0 && rules.length <= MAX_RULES && rules.every((r) => isObject(r) && isRadius(r.radius) && typeof r.minArea === 'number' && Number.isFinite(r.minArea) && r.minArea >= 0)) {
    out.parkRules = rules.map((r) => ({ minArea: (r as { minArea: number }).minArea, radius: (r as { radius: number }).radius }));
  } else problems.push('the park radius rules are damaged');
  for (const key of ['ebikeRadius', 'parkingRadius'] as const) {
    if (isRadius(raw[key])) out[key] = raw[key];
    else problems.push(`the ${key === 'ebikeRadius' ? 'e-bike' : 'parking'} radius is not a radius`);
  }
  return out;
}

/** The settings record checked field by field; fields that fail are left out. */
export function readSettings(raw: unknown): Read<Partial<SessionSettings>> {
  const problems: string[] = [];
  const value: Partial<SessionSettings> = {};
  if (raw === undefined) return { value, problems };
  if (!isObject(raw) || raw.v !== VERSION) return { value, problems: ['the saved settings are not in a known format'] };
  const cov = readCoverage(raw.coverageSettings, problems);
  if (cov) value.coverageSettings = cov;
  if (typeof raw.showCoverage === 'boolean') value.showCoverage = raw.showCoverage;
  else problems.push('“show coverage” is not true or false');
  if (isRadius(raw.bufferRadius)) value.bufferRadius = raw.bufferRadius;
  else problems.push('the buffer radius is not a radius');
  if (typeof raw.bufferLayer === 'string' && ID.test(raw.bufferLayer)) value.bufferLayer = raw.bufferLayer;
  else problems.push('the buffer layer is not a layer id');
  if ((BASEMAPS as readonly unknown[]).includes(raw.basemap)) value.basemap = raw.basemap as BasemapId;
  else problems.push('the basemap is unknown');
  const ts = raw.tableSort;
  if (ts === null) value.tableSort = null;
  else if (isObject(ts) && typeof ts.layerId === 'string' && ID.test(ts.layerId) && typeof ts.field === 'string' && FIELD.test(ts.field) && (ts.dir === 'asc' || ts.dir === 'desc')) {
    value.tableSort = { layerId: ts.layerId, field: ts.field, dir: ts.dir };
  } else problems.push('the table sort is damaged');
  const op = raw.layerOpacity;
  if (op !== undefined) {
    const entries = isObject(op) ? Object.entries(op) : null;
    if (entries && entries.length <= MAX_LAYERS && entries.every(([k, v]) => ID.test(k) && typeof v === 'number' && v >= 0 && v <= 1)) {
      value.layerOpacity = Object.fromEntries(entries) as Record<string, number>;
    } else problems.push('the layer opacities are damaged');
  }
  const order = raw.layerOrder;
  if (order !== undefined) {
    if (order === null) value.layerOrder = null;
    else if (Array.isArray(order) && order.length <= MAX_LAYERS && order.every((x) => typeof x === 'string' && ID.test(x))) value.layerOrder = order as string[];
    else problems.push('the layer order is damaged');
  }
  return { value, problems };
}

/** Where the study area sits among the imported layers (which are stored), if it is one of their features. */
export function studyAreaRef(s: AppState): StudyAreaRef | null {
  const area = s.studyArea;
  if (!area) return null;
  for (const entry of s.catalogue?.layers ?? []) {
    if (entry.group !== 'user') continue;
    const index = s.data[entry.id]?.features.indexOf(area.feature) ?? -1;
    if (index >= 0) return { layerId: entry.id, index, label: area.label };
  }
  return null;
}

export function studyAreaRecord(area: StudyArea, ref: StudyAreaRef | null = null): StoredStudyArea {
  if (ref) return { v: VERSION, label: area.label, layer: { id: ref.layerId, index: ref.index } };
  return { v: VERSION, label: area.label, packed: packFeatureCollection({ type: 'FeatureCollection', features: [area.feature] }), ...(area.source ? { source: area.source } : {}) };
}

const damaged = (why: string): Read<null> => ({ value: null, problems: [`the saved study area is damaged (${why})`] });

/** A study area (or its reference) as a study area, checked: polygons only. */
function checkedArea(feature: Feature | undefined, label: string): Read<StudyArea | null> {
  const g = feature?.geometry;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return damaged('not a polygon');
  const problem = geometryProblem(g);
  if (problem) return damaged(problem);
  return { value: { feature: feature as Feature<Polygon | MultiPolygon>, label }, problems: [] };
}

/** The study area a stored reference names, once the layers are back; null, with the reason, when it is gone. */
export function resolveStudyAreaRef(ref: StudyAreaRef, s: AppState): Read<StudyArea | null> {
  const fc = s.data[ref.layerId];
  if (!fc || !s.catalogue?.layers.some((l) => l.id === ref.layerId && l.group === 'user')) return damaged(`the layer ${ref.layerId} it was made from is no longer kept`);
  return checkedArea(fc.features[ref.index], ref.label);
}

/**
 * The stored study area checked and rebuilt, or the layer feature it refers to (resolved
 * once the layers are back); null when there is none or it is damaged.
 */
export function readStudyArea(raw: unknown): Read<StudyArea | StudyAreaRef | null> {
  if (raw === undefined || raw === null) return { value: null, problems: [] };
  const bad = damaged;
  if (!isObject(raw) || raw.v !== VERSION) return bad('unknown format');
  if (typeof raw.label !== 'string' || raw.label.length > MAX_LABEL) return bad('no label');
  if ('layer' in raw) {
    const l = raw.layer;
    if (!isObject(l) || typeof l.id !== 'string' || !ID.test(l.id) || typeof l.index !== 'number' || !Number.isInteger(l.index) || l.index < 0) return bad('a bad layer reference');
    return { value: { layerId: l.id, index: l.index, label: raw.label }, problems: [] };
  }
  let feature: Feature | undefined;
  try {
    const fc = unpackFeatureCollection(raw.packed);
    if (fc.features.length !== 1) return bad('not one feature');
    feature = fc.features[0];
  } catch (err) {
    return bad((err as Error).message);
  }
  const read = checkedArea(feature, raw.label);
  // A damaged source only loses the name a link would give it; the area itself stands.
  const src = raw.source;
  if (read.value && isObject(src) && (src.kind === 'district' || src.kind === 'cell') && typeof src.id === 'string' && src.id.length > 0 && src.id.length <= MAX_LABEL) {
    read.value.source = { kind: src.kind, id: src.id };
  }
  return read;
}

/**
 * The state to restore: the stored settings, less what the link's hash decides. A hash that
 * places the map decides the basemap too, since it leaves the default offline one unnamed;
 * the table sort applies only when the hash opens that same table.
 */
export function restoredState(settings: Partial<SessionSettings>, studyArea: StudyArea | null, url: UrlState): Partial<AppState> {
  const out: Partial<AppState> = {};
  if (settings.coverageSettings && !url.coverage) out.coverageSettings = settings.coverageSettings;
  if (settings.showCoverage !== undefined) out.showCoverage = settings.showCoverage;
  if (settings.bufferRadius !== undefined) out.bufferRadius = settings.bufferRadius;
  if (settings.bufferLayer !== undefined) out.bufferLayer = settings.bufferLayer;
  if (settings.basemap !== undefined && url.basemap === undefined && url.view === undefined) out.basemap = settings.basemap;
  const ts = settings.tableSort;
  if (ts && url.table === ts.layerId) out.tableSort = { field: ts.field, dir: ts.dir };
  if (settings.layerOpacity) out.layerOpacity = settings.layerOpacity;
  if (settings.layerOrder !== undefined) out.layerOrder = settings.layerOrder;
  if (studyArea && (!url.study || names(url.study, studyArea))) out.studyArea = studyArea;
  return out;
}

/**
 * Whether a link's study area is this stored one: after a reload the hash names the area the
 * browser kept, and the kept one is the richer (its label, the layer feature it refers to).
 */
export function names(study: UrlStudyArea, area: StudyArea): boolean {
  if (study.kind === 'polygon') return !area.source && sameOutline(study.geometry, area.feature.geometry);
  return area.source?.kind === study.kind && area.source.id === study.id;
}
