/**
 * Layers that show a planning scenario: the gain in coverage per grid cell (a choropleth,
 * cells with no change left clear so the map underneath still reads), the residential land
 * the proposed sites reach, the proposed sites (orange: points for stations and berths,
 * outlines for parks) and the existing sites the scenario closes (ringed in red).
 */
import type { ExpressionSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { CLOSED_COLOR, GAIN_CLASSES, PROPOSED_COLOR } from '../../app/style-classes.ts';

export const PLANNING_SOURCES = {
  gain: 'plan-gain',
  reach: 'plan-reach',
  sites: 'plan-sites',
  closed: 'plan-closed',
  suggested: 'plan-suggested',
} as const;

/** The ids of every planning layer, shown and hidden together (the gain layers also follow their checkbox). */
export const PLAN_GAIN_LAYERS = ['plan-gain-fill', 'plan-gain-line'] as const;
export const PLAN_SITE_LAYERS = ['plan-reach', 'plan-site-fill', 'plan-site-line', 'plan-site-point', 'plan-closed', 'plan-suggested-line', 'plan-suggested-point'] as const;

const EMPTY = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } as const satisfies SourceSpecification;

export function planningSources(): Record<string, SourceSpecification> {
  return Object.fromEntries(Object.values(PLANNING_SOURCES).map((id) => [id, EMPTY]));
}

/** A share's change below this (a hundredth of a point) counts as none. */
const NO_CHANGE = 0.0001;

export function planningLayers(): LayerSpecification[] {
  const gain: ExpressionSpecification = ['to-number', ['get', 'gain'], 0];
  const [first, ...rest] = GAIN_CLASSES;
  const color = ['step', gain, first!.color, ...rest.flatMap((c) => [c.min, c.color])] as unknown as ExpressionSpecification;
  const changed: ExpressionSpecification = ['>', ['abs', gain], NO_CHANGE];
  const polygon: ExpressionSpecification = ['!=', ['geometry-type'], 'Point'];
  const point: ExpressionSpecification = ['==', ['geometry-type'], 'Point'];
  return [
    { id: 'plan-gain-fill', type: 'fill', source: PLANNING_SOURCES.gain, filter: changed, paint: { 'fill-color': color, 'fill-opacity': 0.85 } },
    { id: 'plan-gain-line', type: 'line', source: PLANNING_SOURCES.gain, filter: changed, paint: { 'line-color': '#ffffff', 'line-width': 0.8 } },
    { id: 'plan-reach', type: 'line', source: PLANNING_SOURCES.reach, paint: { 'line-color': PROPOSED_COLOR, 'line-width': 1.2, 'line-dasharray': [2, 1.5] } },
    { id: 'plan-site-fill', type: 'fill', source: PLANNING_SOURCES.sites, filter: polygon, paint: { 'fill-color': PROPOSED_COLOR, 'fill-opacity': 0.45 } },
    { id: 'plan-site-line', type: 'line', source: PLANNING_SOURCES.sites, filter: polygon, paint: { 'line-color': PROPOSED_COLOR, 'line-width': 2.5 } },
    {
      id: 'plan-site-point', type: 'circle', source: PLANNING_SOURCES.sites, filter: point,
      paint: { 'circle-color': PROPOSED_COLOR, 'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 4, 15, 8], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
    },
    // Suggested, not yet added: the same orange, hollow.
    { id: 'plan-suggested-line', type: 'line', source: PLANNING_SOURCES.suggested, filter: polygon, paint: { 'line-color': PROPOSED_COLOR, 'line-width': 2, 'line-dasharray': [1.5, 1] } },
    {
      id: 'plan-suggested-point', type: 'circle', source: PLANNING_SOURCES.suggested, filter: point,
      paint: { 'circle-color': '#ffffff', 'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 4, 15, 8], 'circle-stroke-color': PROPOSED_COLOR, 'circle-stroke-width': 3 },
    },
    {
      id: 'plan-closed', type: 'circle', source: PLANNING_SOURCES.closed,
      paint: { 'circle-color': '#ffffff', 'circle-opacity': 0.6, 'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 5, 15, 10], 'circle-stroke-color': CLOSED_COLOR, 'circle-stroke-width': 3 },
    },
  ];
}
