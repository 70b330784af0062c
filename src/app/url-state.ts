/**
 * The part of the state a link carries, in the URL hash:
 * `#map=zoom/lat/lon&layers=a,b&base=osm&f=…&sel=…&tab=…&table=…&cov=…&study=…&pop=…&date=YYYY-MM-DD&vs=YYYY-MM-DD|latest`
 * (`vs`: the other day of two compared side by side).
 * Parsing is forgiving: anything malformed, out of range or hostile is dropped and the rest
 * still applies, so a stale or tampered link opens the default map instead of breaking it.
 *
 * The analysis rides along: `cov=kind~minArea_radius,…~ebikeRadius~parkingRadius` (the
 * coverage settings), `study=d~district`, `study=c~cellId` or `study=p~polygon` (the study
 * area: a district or grid cell by its id, anything else as its outline, rounded to 1e-5°
 * and delta-coded in base 36, refused beyond MAX_STUDY_VERTICES), and `pop=layer~id~lng,lat`
 * (the feature whose popup is open).
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { COVERAGE_KINDS } from '../analysis/roles.ts';
import type { CoverageSettings } from '../analysis/coverage-settings.ts';
import { geometryProblem } from '../geo/check-geometry.ts';
import { isIsoDate } from '../analysis/timeline/calendar.ts';
import type { FieldFilter, LayerFilters } from './filters.ts';
import { readScenario } from '../analysis/planning/check-scenario.ts';
import type { Scenario } from '../analysis/planning/types.ts';
import { isPanelTab, type PanelTab } from './registry.ts';
import type { BasemapId, ViewState } from './store.ts';

interface UrlSelection {
  layerId: string;
  ids: string[];
}

/** The study area a link names: a district or grid cell by id (resolved once the cells are loaded), or an outline. */
export type UrlStudyArea =
  | { kind: 'district' | 'cell'; id: string }
  | { kind: 'polygon'; geometry: Polygon | MultiPolygon };

/** The feature whose popup is open, and where the popup points. */
export interface UrlPopup {
  layerId: string;
  featureId: string;
  lngLat: [number, number];
}

export interface UrlState {
  view?: ViewState;
  layers?: string[];
  basemap?: BasemapId;
  filters?: LayerFilters;
  selection?: UrlSelection;
  tab?: PanelTab;
  table?: string;
  /** A planning scenario, whole (only a small one is carried: `encodeScenario`). */
  plan?: Scenario;
  coverage?: CoverageSettings;
  study?: UrlStudyArea;
  popup?: UrlPopup;
  /** The day the programme is shown as of (YYYY-MM-DD). */
  asOf?: string;
  /** The other day of a comparison of two (YYYY-MM-DD, or null for the latest data): `vs=…|latest`. */
  compareWith?: string | null;
}

/** A scenario longer than this in the hash is left out of the link (it stays in the browser). */
const MAX_PLAN_CHARS = 6_000;

/** Base64url of UTF-8 text: no `&`, `=` or `#` to break the hash. */
function base64url(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(s: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** Coordinates to 6 decimals (about 0.1 m): a shorter link, the same sites on the ground. */
function rounded(x: unknown): unknown {
  if (typeof x === 'number') return Math.round(x * 1e6) / 1e6;
  return Array.isArray(x) ? x.map(rounded) : x;
}

/** The scenario as the link's `plan=` value, or null when it is too big for a link. */
function encodeScenario(s: Scenario): string | null {
  const slim = { ...s, added: s.added.map((x) => ({ ...x, geometry: { type: x.geometry.type, coordinates: rounded(x.geometry.coordinates) } })) };
  const text = base64url(JSON.stringify(slim));
  return text.length <= MAX_PLAN_CHARS ? text : null;
}

const BASEMAPS: readonly BasemapId[] = ['offline', 'osm', 'tianditu'];
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const FIELD = /^[a-z][a-z0-9_]{0,63}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_HASH = 16_384;
const MAX_ITEMS = 500;
/** Longest feature, district or cell id a link carries. */
const MAX_ID = 128;
/** Most vertices of a study area outline a link carries (about 6 KB of hash); a larger one is left out. */
export const MAX_STUDY_VERTICES = 500;
/** Radii beyond this are typing slips, not service radii (metres); as the stored settings. */
const MAX_RADIUS = 50_000;
const MAX_RULES = 20;
/** Study area outlines are rounded to 1e-5° (about 1 m). */
const COORD_SCALE = 1e5;

// Separators chosen from characters encodeURIComponent leaves alone but ids never hold.
const enc = (s: string): string => encodeURIComponent(s).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function encodeValue(v: string | number | boolean): string {
  if (typeof v === 'boolean') return `b.${v}`;
  if (typeof v === 'number') return `n.${v}`;
  return `s.${enc(v)}`;
}

function decodeValue(s: string): string | number | boolean | undefined {
  const kind = s.slice(0, 2);
  const rest = s.slice(2);
  if (kind === 'b.') return rest === 'true' ? true : rest === 'false' ? false : undefined;
  if (kind === 'n.') {
    const n = Number(rest);
    return rest !== '' && Number.isFinite(n) ? n : undefined;
  }
  if (kind === 's.') {
    try {
      return decodeURIComponent(rest);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function encodeFilter(layerId: string, f: FieldFilter): string {
  const head = `${layerId}~${f.field}~${f.kind}`;
  if (f.kind === 'values') return `${head}~${f.values.map(encodeValue).join('|')}`;
  if (f.kind === 'range') return `${head}~${f.min ?? ''}..${f.max ?? ''}`;
  return `${head}~${f.from ?? ''}..${f.to ?? ''}`;
}

function decodeFilter(s: string): [string, FieldFilter] | null {
  const [layerId, field, kind, payload] = s.split('~');
  if (!layerId || !ID.test(layerId) || !field || !FIELD.test(field) || payload === undefined) return null;
  if (kind === 'values') {
    const values = payload === '' ? [] : payload.split('|').slice(0, MAX_ITEMS).map(decodeValue);
    if (values.some((v) => v === undefined)) return null;
    return [layerId, { field, kind, values: values as (string | number | boolean)[] }];
  }
  const [a, b] = payload.split('..');
  if (a === undefined || b === undefined) return null;
  if (kind === 'range') {
    const min = a === '' ? undefined : Number(a);
    const max = b === '' ? undefined : Number(b);
    if ((min !== undefined && !Number.isFinite(min)) || (max !== undefined && !Number.isFinite(max))) return null;
    return [layerId, { field, kind, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) }];
  }
  if (kind === 'dates') {
    if ((a !== '' && !DATE.test(a)) || (b !== '' && !DATE.test(b))) return null;
    return [layerId, { field, kind, ...(a ? { from: a } : {}), ...(b ? { to: b } : {}) }];
  }
  return null;
}

/** An id as written into the link, or null when it is too long to carry. */
function encodeId(id: string): string | null {
  return id.length > 0 && id.length <= MAX_ID ? enc(id) : null;
}

function decodeId(s: string | undefined): string | null {
  if (!s) return null;
  try {
    const d = decodeURIComponent(s);
    return d.length > 0 && d.length <= MAX_ID ? d : null;
  } catch {
    return null;
  }
}

const NUMBER = /^\d{1,9}(\.\d{1,6})?$/;
const isRadius = (x: number): boolean => Number.isFinite(x) && x >= 0 && x <= MAX_RADIUS;

function encodeCoverage(c: CoverageSettings): string | null {
  // Only what decodeCoverage takes back: a link that reopened with other settings would mislead.
  const radii = [...c.parkRules.map((r) => r.radius), c.ebikeRadius, c.parkingRadius];
  const nums = [...c.parkRules.map((r) => r.minArea), ...radii];
  if (!COVERAGE_KINDS.includes(c.kind) || c.parkRules.length === 0 || c.parkRules.length > MAX_RULES || !nums.every((n) => NUMBER.test(String(n))) || !radii.every(isRadius)) return null;
  return `${c.kind}~${c.parkRules.map((r) => `${r.minArea}_${r.radius}`).join(',')}~${c.ebikeRadius}~${c.parkingRadius}`;
}

/** All or nothing: settings with one bad number would measure something the sender did not. */
function decodeCoverage(value: string): CoverageSettings | undefined {
  const [kind, rules, ebike, parking, extra] = value.split('~');
  if (extra !== undefined || !kind || !(COVERAGE_KINDS as readonly string[]).includes(kind) || !rules || !ebike || !parking) return undefined;
  const num = (x: string | undefined): number => (x !== undefined && NUMBER.test(x) ? Number(x) : Number.NaN);
  const parkRules = rules.split(',').slice(0, MAX_RULES + 1).map((r) => {
    const [minArea, radius, more] = r.split('_');
    return more === undefined ? { minArea: num(minArea), radius: num(radius) } : { minArea: Number.NaN, radius: Number.NaN };
  });
  const ebikeRadius = num(ebike);
  const parkingRadius = num(parking);
  if (parkRules.length > MAX_RULES || !parkRules.every((r) => Number.isFinite(r.minArea) && isRadius(r.radius)) || !isRadius(ebikeRadius) || !isRadius(parkingRadius)) return undefined;
  return { kind: kind as CoverageSettings['kind'], parkRules, ebikeRadius, parkingRadius };
}

/** The rings of a polygon or multipolygon, grouped by polygon. */
const polygonsOf = (g: Polygon | MultiPolygon): Position[][][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

/** Whether an outline has few enough vertices for a link (counting stops past the limit). */
export function outlineFits(g: Polygon | MultiPolygon): boolean {
  let n = 0;
  for (const rings of polygonsOf(g)) {
    for (const ring of rings) {
      n += ring.length;
      if (n > MAX_STUDY_VERTICES + 1) return false;
    }
  }
  return true;
}

function encodeOutline(g: Polygon | MultiPolygon): string | null {
  if (!outlineFits(g)) return null;
  const polygons: string[] = [];
  for (const rings of polygonsOf(g)) {
    const out: string[] = [];
    for (const ring of rings) {
      // The closing position is implied; consecutive positions that round alike are one.
      const ints: [number, number][] = [];
      for (const p of ring.slice(0, -1)) {
        const q: [number, number] = [Math.round(p[0]! * COORD_SCALE), Math.round(p[1]! * COORD_SCALE)];
        const last = ints[ints.length - 1];
        if (!last || last[0] !== q[0] || last[1] !== q[1]) ints.push(q);
      }
      if (ints.length > 1 && ints[0]![0] === ints[ints.length - 1]![0] && ints[0]![1] === ints[ints.length - 1]![1]) ints.pop();
      if (ints.length < 3 || ints.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y))) return null;
      out.push(ints.map(([x, y], i) => (i === 0 ? [x, y] : [x - ints[i - 1]![0], y - ints[i - 1]![1]]).map((n) => n.toString(36)).join(',')).join(','));
    }
    polygons.push(out.join('!'));
  }
  return polygons.join(';');
}

const BASE36 = /^-?[0-9a-z]{1,8}$/;

function decodeOutline(s: string): Polygon | MultiPolygon | undefined {
  let vertices = 0;
  const polygons: Position[][][] = [];
  for (const poly of s.split(';')) {
    const rings: Position[][] = [];
    for (const ring of poly.split('!')) {
      const nums = ring.split(',');
      if (nums.length < 6 || nums.length % 2 !== 0 || !nums.every((n) => BASE36.test(n))) return undefined;
      vertices += nums.length / 2;
      if (vertices > MAX_STUDY_VERTICES) return undefined;
      const ints = nums.map((n) => parseInt(n, 36));
      const positions: Position[] = [];
      let x = 0;
      let y = 0;
      for (let i = 0; i < ints.length; i += 2) {
        x += ints[i]!;
        y += ints[i + 1]!;
        // As the encoder writes them: no repeated position, the closing one implied.
        const last = positions[positions.length - 1];
        if (i > 0 && ints[i] === 0 && ints[i + 1] === 0) continue;
        if (last && i === ints.length - 2 && x / COORD_SCALE === positions[0]![0] && y / COORD_SCALE === positions[0]![1]) continue;
        positions.push([x / COORD_SCALE + 0, y / COORD_SCALE + 0]);
      }
      if (positions.length < 3) return undefined;
      positions.push([...positions[0]!]);
      rings.push(positions);
    }
    polygons.push(rings);
  }
  const g: Polygon | MultiPolygon = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons };
  return geometryProblem(g) ? undefined : g;
}

/** Whether two outlines are the same at the precision a link carries them. */
export function sameOutline(a: Polygon | MultiPolygon, b: Polygon | MultiPolygon): boolean {
  const ea = encodeOutline(a);
  return ea !== null && ea === encodeOutline(b);
}

function encodeStudy(study: UrlStudyArea): string | null {
  if (study.kind === 'polygon') {
    const outline = encodeOutline(study.geometry);
    return outline ? `p~${outline}` : null;
  }
  const id = encodeId(study.id);
  return id ? `${study.kind === 'district' ? 'd' : 'c'}~${id}` : null;
}

function decodeStudy(value: string): UrlStudyArea | undefined {
  const tilde = value.indexOf('~');
  const kind = value.slice(0, tilde);
  const rest = value.slice(tilde + 1);
  if (tilde < 0) return undefined;
  if (kind === 'p') {
    const geometry = decodeOutline(rest);
    return geometry ? { kind: 'polygon', geometry } : undefined;
  }
  if (kind !== 'd' && kind !== 'c') return undefined;
  const id = decodeId(rest);
  return id !== null ? { kind: kind === 'd' ? 'district' : 'cell', id } : undefined;
}

const LNG_LAT = /^-?\d{1,3}(\.\d{1,7})?$/;

function encodePopup(p: UrlPopup): string | null {
  const id = encodeId(p.featureId);
  const [lng, lat] = p.lngLat;
  if (!id || !ID.test(p.layerId) || !Number.isFinite(lng) || !Number.isFinite(lat) || Math.abs(lng) > 180 || Math.abs(lat) > 90) return null;
  return `${p.layerId}~${id}~${lng.toFixed(5)},${lat.toFixed(5)}`;
}

function decodePopup(value: string): UrlPopup | undefined {
  const [layerId, rawId, at, extra] = value.split('~');
  const featureId = decodeId(rawId);
  const [lng, lat, more] = (at ?? '').split(',');
  if (extra !== undefined || more !== undefined || !layerId || !ID.test(layerId) || featureId === null || !lng || !lat || !LNG_LAT.test(lng) || !LNG_LAT.test(lat)) return undefined;
  // `+ 0` makes "-0.00000" plain 0, as it is written back.
  const lngLat: [number, number] = [Number(lng) + 0, Number(lat) + 0];
  if (Math.abs(lngLat[0]) > 180 || Math.abs(lngLat[1]) > 90) return undefined;
  return { layerId, featureId, lngLat };
}

export function encodeUrlState(s: UrlState): string {
  const parts: string[] = [];
  if (s.view) {
    const { zoom, center } = s.view;
    // 5 decimals of a degree is about 1 m: plenty for a shared view.
    parts.push(`map=${zoom.toFixed(2)}/${center[1].toFixed(5)}/${center[0].toFixed(5)}`);
  }
  if (s.layers) parts.push(`layers=${s.layers.map(enc).join(',')}`);
  if (s.basemap && s.basemap !== 'offline') parts.push(`base=${s.basemap}`);
  // Only what decodeUrlState accepts is written: a field named by an imported file could
  // otherwise hold `&`, `;` or `~` and smuggle parameters into the link.
  const filters = Object.entries(s.filters ?? {})
    .filter(([id]) => ID.test(id))
    .flatMap(([id, fs]) => fs.filter((f) => FIELD.test(f.field)).map((f) => encodeFilter(id, f)));
  if (filters.length) parts.push(`f=${filters.join(';')}`);
  if (s.selection && s.selection.ids.length && ID.test(s.selection.layerId)) parts.push(`sel=${s.selection.layerId}~${s.selection.ids.map(enc).join('|')}`);
  if (s.tab && s.tab !== 'layers') parts.push(`tab=${s.tab}`);
  if (s.table && ID.test(s.table)) parts.push(`table=${s.table}`);
  const plan = s.plan ? encodeScenario(s.plan) : null;
  if (plan) parts.push(`plan=${plan}`);
  const cov = s.coverage ? encodeCoverage(s.coverage) : null;
  if (cov) parts.push(`cov=${cov}`);
  const study = s.study ? encodeStudy(s.study) : null;
  if (study) parts.push(`study=${study}`);
  const popup = s.popup ? encodePopup(s.popup) : null;
  if (popup) parts.push(`pop=${popup}`);
  if (s.asOf && isIsoDate(s.asOf)) parts.push(`date=${s.asOf}`);
  if (s.compareWith === null) parts.push('vs=latest');
  else if (s.compareWith && isIsoDate(s.compareWith)) parts.push(`vs=${s.compareWith}`);
  return parts.length ? `#${parts.join('&')}` : '';
}

export function decodeUrlState(hash: string): UrlState {
  const out: UrlState = {};
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.length > MAX_HASH) return out;
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq);
    const raw = part.slice(eq + 1);
    // Filters, selections, study areas and popups keep their own escaping; the rest is decoded once here.
    let value: string;
    try {
      value = key === 'f' || key === 'sel' || key === 'study' || key === 'pop' ? raw : decodeURIComponent(raw);
    } catch {
      continue;
    }
    if (key === 'map') {
      const nums = value.split('/').map(Number);
      const [zoom, lat, lon] = nums;
      if (nums.length === 3 && nums.every(Number.isFinite) && zoom! >= 0 && zoom! <= 24 && Math.abs(lat!) <= 85 && Math.abs(lon!) <= 180) {
        out.view = { zoom: zoom!, center: [lon!, lat!] };
      }
    } else if (key === 'layers') {
      out.layers = value === '' ? [] : value.split(',').filter((id) => ID.test(id)).slice(0, MAX_ITEMS);
    } else if (key === 'base' && (BASEMAPS as readonly string[]).includes(value)) {
      out.basemap = value as BasemapId;
    } else if (key === 'f') {
      // A Map, since a layer id such as `constructor` would find Object's own in `{}`.
      const filters = new Map<string, FieldFilter[]>();
      for (const item of value.split(';').slice(0, MAX_ITEMS)) {
        const d = decodeFilter(item);
        if (!d) continue;
        const [layerId, f] = d;
        filters.set(layerId, [...(filters.get(layerId) ?? []).filter((x) => x.field !== f.field), f]);
      }
      if (filters.size) out.filters = Object.fromEntries(filters);
    } else if (key === 'sel') {
      const [layerId, ids] = value.split('~');
      if (layerId && ID.test(layerId) && ids) {
        const list: string[] = [];
        for (const id of ids.split('|').slice(0, MAX_ITEMS)) {
          try {
            const d = decodeURIComponent(id);
            if (d.length > 0 && d.length <= 128) list.push(d);
          } catch {
            // skip the malformed id, keep the others
          }
        }
        if (list.length) out.selection = { layerId, ids: list };
      }
    } else if (key === 'tab' && isPanelTab(value)) {
      out.tab = value;
    } else if (key === 'table' && ID.test(value)) {
      out.table = value;
    } else if (key === 'plan' && value.length <= MAX_PLAN_CHARS) {
      // Checked field by field like a stored record: a forged link is dropped, not trusted.
      const text = fromBase64url(value);
      let raw: unknown;
      try {
        raw = text === null ? null : JSON.parse(text);
      } catch {
        raw = null;
      }
      const r = readScenario(raw);
      if ('value' in r) out.plan = r.value;
    } else if (key === 'cov') {
      const coverage = decodeCoverage(value);
      if (coverage) out.coverage = coverage;
    } else if (key === 'study') {
      const study = decodeStudy(value);
      if (study) out.study = study;
    } else if (key === 'pop') {
      const popup = decodePopup(value);
      if (popup) out.popup = popup;
    } else if (key === 'date' && isIsoDate(value)) {
      out.asOf = value;
    } else if (key === 'vs' && (value === 'latest' || isIsoDate(value))) {
      out.compareWith = value === 'latest' ? null : value;
    }
  }
  return out;
}
