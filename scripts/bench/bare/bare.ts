/**
 * The bench's baseline page: the least a hand-written MapLibre page needs to show the
 * app's opening map. It draws the same basemap files and the same catalogue layers from
 * the same FlatGeobuf files, framed the same way, with no UI, store or checks, and marks
 * the moment the app marks: the map's first 'idle' once every source has its data
 * (`bare:layers-drawn`, and `body[data-ready]`).
 *
 * Built by the bench alone (scripts/bench/load-rows.ts), never by the app's build. The
 * layer list is the catalogue's, inlined at build time through `define`, as a hand-written
 * page would have it in its code.
 */
import { Map as MapLibreMap, setWorkerUrl, type ExpressionSpecification, type GeoJSONSource, type LayerSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { Feature, FeatureCollection } from 'geojson';

/** One catalogue layer, as much of it as drawing needs. */
interface BareLayer {
  id: string;
  file: string;
  geometry: string;
  visible: boolean;
  color: string;
  fillOpacity?: number;
  radius?: number;
  width?: number;
}

declare const __BARE_LAYERS__: BareLayer[];

setWorkerUrl(workerUrl);
performance.mark('bare:start');

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const BASEMAP = { land: 'basemap/land.fgb', roads: 'basemap/roads.fgb', places: 'basemap/places.fgb' };

async function load(file: string): Promise<FeatureCollection> {
  const res = await fetch(file);
  if (!res.ok) throw new Error(`${file}: HTTP ${res.status}`);
  const features: Feature[] = [];
  for await (const f of deserialize(new Uint8Array(await res.arrayBuffer()))) features.push(f);
  return { type: 'FeatureCollection', features };
}

/** Line width or circle radius growing with zoom, as the app draws them (nothing on screen changes size between the two pages). */
const byZoom = (z0: number, v0: number, z1: number, v1: number, z2: number, v2: number): ExpressionSpecification => ['interpolate', ['linear'], ['zoom'], z0, v0, z1, v1, z2, v2];

function thematic(l: BareLayer): LayerSpecification[] {
  const source = l.id;
  const layout = { visibility: l.visible ? 'visible' : 'none' } as const;
  if (l.geometry.endsWith('Polygon')) {
    return [
      { id: `${l.id}-fill`, type: 'fill', source, layout, paint: { 'fill-color': l.color, 'fill-opacity': l.fillOpacity ?? 0.5 } },
      { id: `${l.id}-outline`, type: 'line', source, layout, paint: { 'line-color': l.color, 'line-width': byZoom(11, 0.8, 15, 2, 19, 2) } },
    ];
  }
  if (l.geometry.endsWith('LineString')) {
    const w = l.width ?? 3;
    return [{ id: `${l.id}-line`, type: 'line', source, layout, paint: { 'line-color': l.color, 'line-width': byZoom(11, w * 0.5, 14, w, 17, w * 2.5) } }];
  }
  const r = l.radius ?? 4;
  return [{
    id: `${l.id}-circle`, type: 'circle', source, layout,
    paint: { 'circle-radius': byZoom(10, r * 0.6, 14, r, 17, r * 1.8), 'circle-color': l.color, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 },
  }];
}

const roadWidth = (main: number, secondary: number): ExpressionSpecification => [
  'interpolate', ['exponential', 1.6], ['zoom'],
  10, ['match', ['get', 'class'], 'main', main * 0.15, secondary * 0.1],
  13, ['match', ['get', 'class'], 'main', main, secondary],
  17, ['match', ['get', 'class'], 'main', main * 8, secondary * 7],
];

// Downloads start before the map exists, as in the app.
const data = new Map<string, Promise<FeatureCollection>>([
  ...Object.entries(BASEMAP).map(([id, file]) => [id, load(file)] as const),
  ...__BARE_LAYERS__.map((l) => [l.id, load(l.file)] as const),
]);

const map = new MapLibreMap({
  container: 'map',
  style: {
    version: 8,
    sources: Object.fromEntries([...data.keys()].map((id) => [id, { type: 'geojson', data: EMPTY, ...(id === 'land' ? { attribution: '© OpenStreetMap contributors' } : {}) }])),
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#c9dde8' } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#f5f2ea' } },
      { id: 'coast', type: 'line', source: 'land', paint: { 'line-color': '#9fb8c6', 'line-width': 0.8 } },
      { id: 'road-casing', type: 'line', source: 'roads', minzoom: 11, layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#c8c0b0', 'line-width': roadWidth(3.2, 2.2) } },
      { id: 'road', type: 'line', source: 'roads', minzoom: 10, layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': roadWidth(2.2, 1.4) } },
      ...__BARE_LAYERS__.flatMap(thematic),
      {
        id: 'road-label', type: 'symbol', source: 'roads', minzoom: 14.5,
        layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': ['sans-serif'], 'text-size': 11 },
        paint: { 'text-color': '#666666', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
      },
      {
        // No glyphs URL: MapLibre draws the labels (Chinese and Latin) from local fonts.
        id: 'place-label', type: 'symbol', source: 'places',
        layout: { 'text-field': ['format', ['get', 'name'], {}, '\n', {}, ['get', 'name_en'], { 'font-scale': 0.75 }], 'text-font': ['sans-serif'], 'text-size': ['match', ['get', 'rank'], 1, 16, 13] },
        paint: { 'text-color': '#333333', 'text-halo-color': '#ffffff', 'text-halo-width': 1.6 },
      },
    ],
  },
  bounds: [122.05, 29.925, 122.345, 30.075],
  fitBoundsOptions: { padding: 20 },
  minZoom: 7,
  maxZoom: 19,
});

const loaded = new Promise<void>((resolve) => map.once('load', () => resolve()));
void Promise.all(
  [...data].map(async ([id, fc]) => {
    const [features] = await Promise.all([fc, loaded]);
    void (map.getSource(id) as GeoJSONSource).setData(features);
  }),
).then(() => {
  performance.mark('bare:layers-loaded');
  map.once('idle', () => {
    performance.mark('bare:layers-drawn');
    document.body.dataset.ready = 'true';
  });
  // 'idle' only fires after a render; make sure there is one.
  map.triggerRepaint();
});
