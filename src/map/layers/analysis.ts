/**
 * Layers that show analysis results: the covered residential land, the grid cells as a
 * choropleth of coverage, a study area and a buffer. Classes use viridis colours, which
 * stay distinct for colour-blind readers and in greyscale print.
 *
 * The choropleth is opaque, so a cell shows exactly its legend swatch's colour whatever
 * lies beneath (offline or online basemap, light or dark theme, print); the covered land
 * on top of it is a hatch, so the cell's colour still shows between the hatch lines. (A
 * translucent fill under a translucent covered layer, as before, mixed three colours and
 * matched no swatch.)
 */
import type { ExpressionSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { COVERAGE_CLASSES, NO_RESIDENTIAL_COLOR } from '../../app/style-classes.ts';

export const ANALYSIS_SOURCES = {
  covered: 'analysis-covered',
  grid: 'analysis-grid',
  study: 'analysis-study',
  buffer: 'analysis-buffer',
  bufferHits: 'analysis-buffer-hits',
} as const;

/** The image the covered land is hatched with (`hatchImage`). */
export const COVERED_HATCH = 'zs-hatch-covered';

/**
 * An 8 × 8 tile of diagonal lines in `color` ('#rrggbb') on transparent, for a fill-pattern:
 * lines rising to the right, 2 px wide, 8 px apart (the legend draws the same with CSS).
 */
export function hatchImage(color: string): { width: number; height: number; data: Uint8Array } {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) as [number, number, number];
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x + y) % size >= 2) continue;
      data.set([r, g, b, 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

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
      paint: { 'fill-color': classColor, 'fill-opacity': 1 },
    },
    { id: 'analysis-grid-line', type: 'line', source: ANALYSIS_SOURCES.grid, paint: { 'line-color': '#ffffff', 'line-width': 1 } },
    { id: 'analysis-covered', type: 'fill', source: ANALYSIS_SOURCES.covered, paint: { 'fill-pattern': COVERED_HATCH } },
    // A dark edge: the yellow hatch alone is faint on the lightest (green) class.
    { id: 'analysis-covered-line', type: 'line', source: ANALYSIS_SOURCES.covered, paint: { 'line-color': '#3d3500', 'line-width': 0.8, 'line-opacity': 0.8 } },
    // The cell picked from the list of cells below target: a black line with a white casing reads on every class.
    {
      id: 'analysis-grid-highlight-casing', type: 'line', source: ANALYSIS_SOURCES.grid, filter: ['==', ['get', 'id'], '\u0000'],
      paint: { 'line-color': '#ffffff', 'line-width': 6 },
    },
    {
      id: 'analysis-grid-highlight', type: 'line', source: ANALYSIS_SOURCES.grid, filter: ['==', ['get', 'id'], '\u0000'],
      paint: { 'line-color': '#111111', 'line-width': 3 },
    },
    { id: 'analysis-buffer', type: 'fill', source: ANALYSIS_SOURCES.buffer, paint: { 'fill-color': '#0a66c2', 'fill-opacity': 0.12, 'fill-outline-color': '#0a66c2' } },
    // What the buffer query found, ringed in the buffer's colour on a white halo.
    {
      id: 'analysis-buffer-hits-line', type: 'line', source: ANALYSIS_SOURCES.bufferHits, filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': '#0a66c2', 'line-width': 3.5 },
    },
    {
      id: 'analysis-buffer-hits-point', type: 'circle', source: ANALYSIS_SOURCES.bufferHits, filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 8, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#0a66c2', 'circle-stroke-width': 3 },
    },
    { id: 'analysis-study-fill', type: 'fill', source: ANALYSIS_SOURCES.study, paint: { 'fill-color': '#000000', 'fill-opacity': 0.04 } },
    { id: 'analysis-study-line', type: 'line', source: ANALYSIS_SOURCES.study, paint: { 'line-color': '#111111', 'line-width': 2.5, 'line-dasharray': [3, 2] } },
  ];
}
