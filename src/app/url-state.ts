/**
 * The part of the state a link carries, in the URL hash:
 * `#map=zoom/lat/lon&layers=a,b&base=osm&f=…&sel=…&tab=…&table=…&date=YYYY-MM-DD`. Parsing is forgiving:
 * anything malformed, out of range or hostile is dropped and the rest still applies, so a
 * stale or tampered link opens the default map instead of breaking it.
 */
import { isIsoDate } from '../analysis/timeline/calendar.ts';
import type { FieldFilter, LayerFilters } from './filters.ts';
import { isPanelTab, type PanelTab } from './registry.ts';
import type { BasemapId, ViewState } from './store.ts';

interface UrlSelection {
  layerId: string;
  ids: string[];
}

export interface UrlState {
  view?: ViewState;
  layers?: string[];
  basemap?: BasemapId;
  filters?: LayerFilters;
  selection?: UrlSelection;
  tab?: PanelTab;
  table?: string;
  /** The day the programme is shown as of (YYYY-MM-DD). */
  asOf?: string;
}

const BASEMAPS: readonly BasemapId[] = ['offline', 'osm', 'tianditu'];
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const FIELD = /^[a-z][a-z0-9_]{0,63}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_HASH = 16_384;
const MAX_ITEMS = 500;

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
  if (s.asOf && isIsoDate(s.asOf)) parts.push(`date=${s.asOf}`);
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
    // Filters and selections keep their own escaping; the rest is decoded once here.
    let value: string;
    try {
      value = key === 'f' || key === 'sel' ? raw : decodeURIComponent(raw);
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
    } else if (key === 'date' && isIsoDate(value)) {
      out.asOf = value;
    }
  }
  return out;
}
