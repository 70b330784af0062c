/**
 * Layers that show analysis results: the covered residential land, the grid cells as a
 * choropleth of coverage, a study area and a buffer. Classes use viridis colours, which
 * stay distinct for colour-blind readers and in greyscale print.
 */
import type { ExpressionSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { COVERAGE_CLASSES, COVERED_COLOR, NO_RESIDENTIAL_COLOR } from '../../app/style-classes.ts';

export const ANALYSIS_SOURCES = {
  covered: 'analysis-covered',
  grid: 'analysis-grid',
  study: 'analysis-study',
  buffer: 'analysis-buffer',
} as const;

const EMPTY = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } as const satisfies SourceSpecification;

export function analysisSources(): Record<string, SourceSpecification> {
  return Object.fromEntries(Object.values(ANALYSIS_SOURCES).map((id) => [id, EMPTY]));
}

export function analysisLayers(): LayerSpecification[] {
  const share: ExpressionSpecification = ['to-number', ['get', 'share'], -1];
  const classColor = ['step', share, NO_RESIDENTIAL_COLOR, ...COVERAGE_CLASSES.flatMap((c) => [c.min, c.color])] as unknown as ExpressionSpecification;
  return [
    {
      id: 'analysis-grid-fill', type: 'fill', source: ANALYSIS_SOURCES.grid,
      paint: { 'fill-color': classColor, 'fill-opacity': ['case', ['<', share, 0], 0.05, 0.38] as ExpressionSpecification },
    },
    { id: 'analysis-grid-line', type: 'line', source: ANALYSIS_SOURCES.grid, paint: { 'line-color': '#ffffff', 'line-width': 1 } },
    { id: 'analysis-covered', type: 'fill', source: ANALYSIS_SOURCES.covered, paint: { 'fill-color': COVERED_COLOR, 'fill-opacity': 0.75, 'fill-outline-color': '#b5a000' } },
    { id: 'analysis-buffer', type: 'fill', source: ANALYSIS_SOURCES.buffer, paint: { 'fill-color': '#0a66c2', 'fill-opacity': 0.12, 'fill-outline-color': '#0a66c2' } },
    { id: 'analysis-study-fill', type: 'fill', source: ANALYSIS_SOURCES.study, paint: { 'fill-color': '#000000', 'fill-opacity': 0.04 } },
    { id: 'analysis-study-line', type: 'line', source: ANALYSIS_SOURCES.study, paint: { 'line-color': '#111111', 'line-width': 2.5, 'line-dasharray': [3, 2] } },
  ];
}
