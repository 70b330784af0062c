/**
 * Pure builders: a catalogue entry in, MapLibre style layers out. Status is encoded twice
 * so colour-blind users can read it: an Okabe–Ito colour per class, and a dashed outline
 * (polygons, lines) or a hollow ring (points) for work still in progress.
 */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import type { Catalogue, LayerEntry } from '../../app/registry.ts';
import { styleClasses } from '../../app/style-classes.ts';

export const sourceId = (layerId: string): string => `layer-${layerId}`;
export const overviewSourceId = (layerId: string): string => `overview-${layerId}`;
export const overviewLayerId = (layerId: string): string => `${layerId}-overview`;
export const SELECTED_SUFFIX = '-selected';

function colorExpression(entry: LayerEntry, stages: Catalogue['stages']): ExpressionSpecification | string {
  const classes = styleClasses(entry, stages);
  if (!entry.styleField || classes.length === 0 || classes[0]!.value === null) return entry.style.color;
  const pairs = classes.flatMap((c) => [c.value!, c.color]);
  return ['match', ['to-string', ['get', entry.styleField]], ...pairs, entry.style.color] as ExpressionSpecification;
}

/** Filter for features whose class is dashed (or not). */
function dashFilter(entry: LayerEntry, stages: Catalogue['stages'], dashed: boolean): ExpressionSpecification {
  const values = styleClasses(entry, stages).filter((c) => c.value !== null && c.dash).map((c) => c.value!);
  if (!entry.styleField || values.length === 0) return dashed ? ['boolean', false] : ['boolean', true];
  const isDashed: ExpressionSpecification = ['in', ['to-string', ['get', entry.styleField]], ['literal', values]];
  return dashed ? isDashed : ['!', isDashed];
}

const geomFilter = (kind: 'Point' | 'LineString' | 'Polygon'): ExpressionSpecification => ['==', ['geometry-type'], kind];

export function thematicLayers(entry: LayerEntry, stages: Catalogue['stages']): LayerSpecification[] {
  const source = sourceId(entry.id);
  const color = colorExpression(entry, stages);
  const id = entry.id;
  const g = entry.geometry.replace('Multi', '') as 'Point' | 'LineString' | 'Polygon';
  const layout = { visibility: entry.visible ? 'visible' : 'none' } as const;
  if (g === 'Polygon') {
    const outlineWidth = ['interpolate', ['linear'], ['zoom'], 11, 0.8, 15, 2] as ExpressionSpecification;
    return [
      {
        id: `${id}-fill`, type: 'fill', source, layout, filter: geomFilter('Polygon'),
        paint: { 'fill-color': entry.style.outlineOnly ? entry.style.color : color, 'fill-opacity': entry.style.fillOpacity ?? 0.5 },
      },
      {
        id: `${id}-outline`, type: 'line', source, layout, filter: ['all', geomFilter('Polygon'), dashFilter(entry, stages, false)],
        paint: { 'line-color': entry.style.outlineOnly ? entry.style.color : color, 'line-width': outlineWidth },
      },
      {
        id: `${id}-outline-dash`, type: 'line', source, layout, filter: ['all', geomFilter('Polygon'), dashFilter(entry, stages, true)],
        paint: { 'line-color': color, 'line-width': outlineWidth, 'line-dasharray': [2, 1.5] },
      },
      {
        id: `${id}${SELECTED_SUFFIX}`, type: 'line', source, layout, filter: ['==', ['get', 'id'], '\u0000'],
        paint: { 'line-color': '#000000', 'line-width': 3 },
      },
    ];
  }
  if (g === 'LineString') {
    const width = entry.style.width ?? 3;
    const lineWidth = (extra: number): ExpressionSpecification => ['interpolate', ['linear'], ['zoom'], 11, width * 0.5 + extra, 14, width + extra, 17, width * 2.5 + extra];
    const w = lineWidth(0);
    return [
      {
        id: `${id}-line`, type: 'line', source, layout: { ...layout, 'line-cap': 'butt' }, filter: ['all', geomFilter('LineString'), dashFilter(entry, stages, false)],
        paint: { 'line-color': color, 'line-width': w },
      },
      {
        id: `${id}-line-dash`, type: 'line', source, layout, filter: ['all', geomFilter('LineString'), dashFilter(entry, stages, true)],
        paint: { 'line-color': color, 'line-width': w, 'line-dasharray': [1.5, 1] },
      },
      {
        id: `${id}${SELECTED_SUFFIX}`, type: 'line', source, layout, filter: ['==', ['get', 'id'], '\u0000'],
        paint: { 'line-color': '#000000', 'line-width': lineWidth(4), 'line-opacity': 0.45 },
      },
    ];
  }
  const r = entry.style.radius ?? 4;
  // Zoom must be the input of a top-level interpolate, so the highlight gets its own curve.
  const circleRadius = (extra: number): ExpressionSpecification => ['interpolate', ['linear'], ['zoom'], 10, r * 0.6 + extra, 14, r + extra, 17, r * 1.8 + extra];
  const radius = circleRadius(0);
  const dashed = dashFilter(entry, stages, true);
  return [
    {
      id: `${id}-circle`, type: 'circle', source, layout, filter: geomFilter('Point'),
      paint: {
        'circle-radius': radius,
        // In-progress points are hollow rings, finished ones solid discs.
        'circle-color': ['case', dashed, '#ffffff', color] as ExpressionSpecification,
        'circle-stroke-color': ['case', dashed, color, '#ffffff'] as ExpressionSpecification,
        'circle-stroke-width': ['case', dashed, 2.5, 1] as ExpressionSpecification,
      },
    },
    {
      id: `${id}${SELECTED_SUFFIX}`, type: 'circle', source, layout, filter: ['==', ['get', 'id'], '\u0000'],
      paint: { 'circle-radius': circleRadius(4), 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#000000', 'circle-stroke-width': 2.5 },
    },
  ];
}

/** Layers a click should hit for this entry (not the selection highlight). */
export function clickableLayerIds(entry: LayerEntry, stages: Catalogue['stages']): string[] {
  return thematicLayers(entry, stages).map((l) => l.id).filter((x) => !x.endsWith(SELECTED_SUFFIX));
}

/** "#RRGGBB" with an alpha, as rgba(); anything else is returned as is. */
function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  return m ? `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})` : color;
}

/**
 * The density of a layer read by viewport, for views holding too many features to draw: a
 * heatmap of its spatial index's nodes, each weighted by the features beneath it, in the
 * layer's colour. Hidden until the layer's status says the view is an overview.
 */
export function overviewLayer(entry: LayerEntry): LayerSpecification {
  const c = entry.style.color;
  return {
    id: overviewLayerId(entry.id),
    type: 'heatmap',
    source: overviewSourceId(entry.id),
    layout: { visibility: 'none' },
    paint: {
      'heatmap-weight': ['get', 'weight'] as ExpressionSpecification,
      'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 8, 0.4, 14, 1.2] as ExpressionSpecification,
      'heatmap-radius': ['interpolate', ['exponential', 2], ['zoom'], 8, 4, 12, 18, 15, 60] as ExpressionSpecification,
      'heatmap-color': ['interpolate', ['linear'], ['heatmap-density'], 0, 'rgba(0, 0, 0, 0)', 0.15, withAlpha(c, 0.25), 0.5, withAlpha(c, 0.55), 1, withAlpha(c, 0.85)] as ExpressionSpecification,
      'heatmap-opacity': 0.9,
    },
  };
}

/** The paint properties that carry a layer type's opacity. */
const OPACITY_PROPS: Partial<Record<LayerSpecification['type'], readonly string[]>> = {
  fill: ['fill-opacity'],
  line: ['line-opacity'],
  circle: ['circle-opacity', 'circle-stroke-opacity'],
  symbol: ['text-opacity', 'icon-opacity'],
  heatmap: ['heatmap-opacity'],
};

/**
 * The paint values that draw a style layer at `opacity` (0–1) of how its builder draws it:
 * each opacity property the builder set is scaled, one it left at MapLibre's default (1)
 * becomes `opacity`. Pure, so the map view can apply it to any of a layer's style layers.
 */
export function scaledOpacity(layer: LayerSpecification, opacity: number): [string, unknown][] {
  const props = OPACITY_PROPS[layer.type] ?? [];
  const paint = ('paint' in layer ? layer.paint : undefined) as Record<string, unknown> | undefined;
  return props.map((prop) => {
    const base = paint?.[prop];
    if (base === undefined) return [prop, opacity];
    if (typeof base === 'number') return [prop, base * opacity];
    return [prop, ['*', base, opacity]];
  });
}
