/**
 * The part of the state a link carries, in the URL hash:
 * `#map=zoom/lat/lon&layers=a,b&base=osm`. Parsing is forgiving: anything malformed or
 * out of range is dropped and the rest still applies, so a hostile or stale link opens
 * the default map instead of breaking it.
 */
import type { BasemapId, ViewState } from './store.ts';

export interface UrlState {
  view?: ViewState;
  layers?: string[];
  basemap?: BasemapId;
}

const BASEMAPS: readonly BasemapId[] = ['offline', 'osm', 'tianditu'];
const LAYER_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function encodeUrlState(s: UrlState): string {
  const parts: string[] = [];
  if (s.view) {
    const { zoom, center } = s.view;
    // 5 decimals of a degree is about 1 m: plenty for a shared view.
    parts.push(`map=${zoom.toFixed(2)}/${center[1].toFixed(5)}/${center[0].toFixed(5)}`);
  }
  if (s.layers) parts.push(`layers=${s.layers.map(encodeURIComponent).join(',')}`);
  if (s.basemap && s.basemap !== 'offline') parts.push(`base=${s.basemap}`);
  return parts.length ? `#${parts.join('&')}` : '';
}

export function decodeUrlState(hash: string): UrlState {
  const out: UrlState = {};
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.length > 8192) return out;
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq);
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1));
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
      out.layers = value === '' ? [] : value.split(',').filter((id) => LAYER_ID.test(id));
    } else if (key === 'base' && (BASEMAPS as readonly string[]).includes(value)) {
      out.basemap = value as BasemapId;
    }
  }
  return out;
}
