/**
 * What the map tools leave on the map: the marker of a typed coordinate, and a measurement: the line or polygon measured, each segment's length at its
 * middle and the total (length at the line's end, area inside the polygon), drawn while it
 * is being drawn and kept until cleared. The text is formatted by the caller, in the UI's
 * language and units, so the map and the panel write the same figure; MapLibre draws it
 * from local fonts (no glyph server, see basemap.ts).
 */
import type { Feature, FeatureCollection } from 'geojson';
import type { LayerSpecification, SourceSpecification } from 'maplibre-gl';
import type { Measurement } from '../../app/store.ts';

export const MEASURE_SOURCE = 'measure';
export const GOTO_SOURCE = 'goto';
const COLOR = '#c2185b';

export function measureSource(): SourceSpecification {
  return { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
}

export function measureLayers(): LayerSpecification[] {
  return [
    { id: 'measure-fill', type: 'fill', source: MEASURE_SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': COLOR, 'fill-opacity': 0.12 } },
    {
      id: 'measure-line', type: 'line', source: MEASURE_SOURCE, filter: ['!=', ['geometry-type'], 'Point'],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': COLOR, 'line-width': 2.5, 'line-dasharray': [3, 1.5] },
    },
    {
      id: 'measure-vertex', type: 'circle', source: MEASURE_SOURCE, filter: ['==', ['get', 'role'], 'vertex'],
      paint: { 'circle-radius': 3.5, 'circle-color': '#ffffff', 'circle-stroke-color': COLOR, 'circle-stroke-width': 2 },
    },
    // A segment's label gives way rather than overprint another; the total is never hidden.
    {
      id: 'measure-label', type: 'symbol', source: MEASURE_SOURCE, filter: ['==', ['get', 'role'], 'segment'],
      // Just above the segment, so the line does not strike the figure through.
      layout: { 'text-field': ['get', 'label'], 'text-font': ['sans-serif'], 'text-size': 12.5, 'text-anchor': 'bottom', 'text-offset': [0, -0.3] },
      paint: { 'text-color': '#222222', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
    },
    {
      id: 'measure-total', type: 'symbol', source: MEASURE_SOURCE, filter: ['==', ['get', 'role'], 'total'],
      layout: {
        'text-field': ['get', 'label'],
        'text-font': ['sans-serif'],
        'text-size': 15,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
        // A line's total sits beyond its last point, clear of the line; an area's in its middle.
        'text-anchor': ['match', ['get', 'place'], 'end', 'left', 'center'],
        'text-offset': ['match', ['get', 'place'], 'end', ['literal', [0.8, 0]], ['literal', [0, 0]]],
      },
      paint: { 'text-color': COLOR, 'text-halo-color': '#ffffff', 'text-halo-width': 2.2 },
    },
    // Where a typed coordinate took the map: a ring with a dot, drawn by the map (no DOM marker).
    {
      id: 'goto-marker', type: 'circle', source: GOTO_SOURCE,
      paint: { 'circle-radius': 9, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': COLOR, 'circle-stroke-width': 3 },
    },
    {
      id: 'goto-marker-dot', type: 'circle', source: GOTO_SOURCE,
      paint: { 'circle-radius': 2.5, 'circle-color': COLOR },
    },
  ];
}

/** What the measure layers draw for `m`; `format` writes a length (m) or an area (m²) for people. */
export function measureData(m: Measurement | null, format: (kind: 'line' | 'area', value: number) => string): FeatureCollection {
  if (!m?.geometry) return { type: 'FeatureCollection', features: [] };
  const point = (at: readonly number[], properties: Record<string, string>): Feature => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [at[0]!, at[1]!] } });
  const vertices = m.geometry.type === 'LineString' ? m.geometry.coordinates : (m.geometry.coordinates[0] ?? []);
  const features: Feature[] = [
    { type: 'Feature', properties: { role: 'shape' }, geometry: m.geometry },
    ...vertices.map((p) => point(p, { role: 'vertex' })),
    // A line of one segment has its length once, at its end.
    ...(m.kind === 'line' && (m.segments?.length ?? 0) < 2 ? [] : (m.segments ?? [])).map((s) => point(s.at, { role: 'segment', label: format('line', s.length) })),
  ];
  if (m.labelAt) features.push(point(m.labelAt, { role: 'total', label: format(m.kind, m.value), place: m.kind === 'line' ? 'end' : 'middle' }));
  return { type: 'FeatureCollection', features };
}
