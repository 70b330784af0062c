/**
 * Online raster basemaps, off by default: the default build requests nothing outside
 * its own origin. Tianditu (天地图) needs a key; its web-Mercator tiles are in CGCS2000,
 * which lines up with WGS84 data to within centimetres (unlike GCJ-02 maps).
 */
import type { LayerSpecification, RasterSourceSpecification } from 'maplibre-gl';
import type { BasemapId } from '../../app/store.ts';

export const ONLINE_SOURCE = 'online-basemap';
export const ONLINE_LAYER = 'online-basemap';
export const ONLINE_LABEL_SOURCE = 'online-basemap-labels';
export const ONLINE_LABEL_LAYER = 'online-basemap-labels';

function tianditu(layer: 'vec' | 'cva', key: string): string[] {
  return [0, 1, 2, 3, 4, 5, 6, 7].map(
    (i) =>
      `https://t${i}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`,
  );
}

export interface OnlineBasemap {
  sources: Record<string, RasterSourceSpecification>;
  layers: LayerSpecification[];
}

/** Sources and layers for an online basemap, or null for the offline one (or no key). */
export function onlineBasemap(id: BasemapId, tiandituKey: string): OnlineBasemap | null {
  if (id === 'osm') {
    return {
      sources: {
        [ONLINE_SOURCE]: {
          type: 'raster',
          tiles: ['https://tile.openstreetmap.org/{z}/{x}/{y}.png'],
          tileSize: 256,
          maxzoom: 19,
          attribution: '© OpenStreetMap contributors',
        },
      },
      layers: [{ id: ONLINE_LAYER, type: 'raster', source: ONLINE_SOURCE }],
    };
  }
  if (id === 'tianditu' && tiandituKey) {
    return {
      sources: {
        [ONLINE_SOURCE]: { type: 'raster', tiles: tianditu('vec', tiandituKey), tileSize: 256, maxzoom: 18, attribution: '© 天地图 Tianditu' },
        [ONLINE_LABEL_SOURCE]: { type: 'raster', tiles: tianditu('cva', tiandituKey), tileSize: 256, maxzoom: 18 },
      },
      layers: [
        { id: ONLINE_LAYER, type: 'raster', source: ONLINE_SOURCE },
        { id: ONLINE_LABEL_LAYER, type: 'raster', source: ONLINE_LABEL_SOURCE },
      ],
    };
  }
  return null;
}
