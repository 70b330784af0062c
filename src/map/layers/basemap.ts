/**
 * The offline basemap: sea, OSM land polygons, schematic roads and place labels, all
 * from files bundled with the app. The style has no `glyphs` URL on purpose: MapLibre then
 * draws label glyphs locally (TinySDF) from the system's fonts, Chinese included, and
 * fetches nothing. Online raster basemaps are separate, opt-in sources.
 */
import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import type { Lang } from '../../app/store.ts';

export const BASEMAP_SOURCES = { land: 'basemap-land', roads: 'basemap-roads', places: 'basemap-places' } as const;

const EMPTY = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } as const satisfies SourceSpecification;

export interface BasemapColors {
  sea: string;
  land: string;
  coast: string;
  road: string;
  roadCasing: string;
  label: string;
  halo: string;
}

export const LIGHT: BasemapColors = {
  sea: '#c9dde8',
  land: '#f5f2ea',
  coast: '#9fb8c6',
  road: '#ffffff',
  roadCasing: '#c8c0b0',
  label: '#333333',
  halo: '#ffffff',
};

export const DARK: BasemapColors = {
  sea: '#0e1a24',
  land: '#1f2429',
  coast: '#3b4b57',
  road: '#3a4148',
  roadCasing: '#2a2f34',
  label: '#e6e6e6',
  halo: '#111417',
};

/** Paint properties that carry the palette, so a theme change can repaint them in place. */
export function basemapPaint(c: BasemapColors): [layer: string, property: string, value: string][] {
  return [
    ['sea', 'background-color', c.sea],
    ['land', 'fill-color', c.land],
    ['coast', 'line-color', c.coast],
    ['road-casing', 'line-color', c.roadCasing],
    ['road', 'line-color', c.road],
    ['road-label', 'text-halo-color', c.halo],
    ['place-label', 'text-color', c.label],
    ['place-label', 'text-halo-color', c.halo],
  ];
}

/**
 * Label text: the Chinese name with its Latin name beneath; in English the Latin name alone,
 * so the English map has no characters its readers cannot say.
 */
export function placeLabel(lang: Lang): unknown {
  if (lang === 'en') return ['get', 'name_en'];
  return ['format', ['get', 'name'], {}, '\n', {}, ['get', 'name_en'], { 'font-scale': 0.75 }];
}

function basemapLayers(lang: Lang, c: BasemapColors = LIGHT): LayerSpecification[] {
  const roadWidth = (main: number, secondary: number): unknown => [
    'interpolate', ['exponential', 1.6], ['zoom'],
    10, ['match', ['get', 'class'], 'main', main * 0.15, secondary * 0.1],
    13, ['match', ['get', 'class'], 'main', main, secondary],
    17, ['match', ['get', 'class'], 'main', main * 8, secondary * 7],
  ];
  return [
    { id: 'sea', type: 'background', paint: { 'background-color': c.sea } },
    { id: 'land', type: 'fill', source: BASEMAP_SOURCES.land, paint: { 'fill-color': c.land } },
    { id: 'coast', type: 'line', source: BASEMAP_SOURCES.land, paint: { 'line-color': c.coast, 'line-width': 0.8 } },
    {
      id: 'road-casing', type: 'line', source: BASEMAP_SOURCES.roads, minzoom: 11,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': c.roadCasing, 'line-width': roadWidth(3.2, 2.2) as never },
    },
    {
      id: 'road', type: 'line', source: BASEMAP_SOURCES.roads, minzoom: 10,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': c.road, 'line-width': roadWidth(2.2, 1.4) as never },
    },
    {
      id: 'road-label', type: 'symbol', source: BASEMAP_SOURCES.roads, minzoom: 14.5,
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', lang === 'zh' ? 'name' : 'name_en'],
        'text-font': ['sans-serif'],
        'text-size': 11,
      },
      paint: { 'text-color': '#666', 'text-halo-color': c.halo, 'text-halo-width': 1.2 },
    },
    {
      id: 'place-label', type: 'symbol', source: BASEMAP_SOURCES.places,
      layout: {
        'text-field': placeLabel(lang) as never,
        'text-font': ['sans-serif'],
        'text-size': ['match', ['get', 'rank'], 1, 16, 13],
        'text-line-height': 1.1,
        'text-allow-overlap': false,
      },
      paint: { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 1.6 },
    },
  ];
}

/** The style the map starts with; thematic layers are added once their data arrive. */
export function baseStyle(lang: Lang, attribution: string, colors: BasemapColors = LIGHT): StyleSpecification {
  return {
    version: 8,
    sources: {
      [BASEMAP_SOURCES.land]: { ...EMPTY, attribution },
      [BASEMAP_SOURCES.roads]: EMPTY,
      [BASEMAP_SOURCES.places]: EMPTY,
    },
    layers: basemapLayers(lang, colors),
  };
}
