import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import type { LineString, Polygon } from 'geojson';
import { ANALYSIS_SOURCES, COVERED_HATCH, analysisLayers, analysisSources, hatchImage } from './analysis.ts';
import { baseStyle } from './basemap.ts';
import { GOTO_SOURCE, MEASURE_SOURCE, measureData, measureLayers, measureSource } from './measure.ts';

describe('map tools’ style builders', () => {
  it('build analysis and measuring layers MapLibre’s validator accepts, with no glyph server', () => {
    const style = baseStyle('zh', '© OpenStreetMap contributors');
    Object.assign(style.sources, analysisSources(), { [MEASURE_SOURCE]: measureSource(), [GOTO_SOURCE]: measureSource() });
    style.layers.push(...analysisLayers(), ...measureLayers());
    expect(validateStyleMin(style)).toEqual([]);
    expect(style.glyphs).toBeUndefined();
  });

  it('draws the grid opaque, and the covered land as a hatch of its own image', () => {
    const fill = analysisLayers().find((l) => l.id === 'analysis-grid-fill')!;
    expect(fill.type === 'fill' && fill.paint?.['fill-opacity']).toBe(1);
    const covered = analysisLayers().find((l) => l.id === 'analysis-covered')!;
    expect(covered.type === 'fill' && covered.paint?.['fill-pattern']).toBe(COVERED_HATCH);
    expect(analysisLayers().some((l) => 'source' in l && l.source === ANALYSIS_SOURCES.bufferHits)).toBe(true);
  });

  it('makes the hatch: diagonal lines in the colour given, transparent between', () => {
    const img = hatchImage('#fde725');
    expect([img.width, img.height, img.data.length]).toEqual([8, 8, 256]);
    const px = (x: number, y: number) => [...img.data.subarray((y * 8 + x) * 4, (y * 8 + x) * 4 + 4)];
    expect(px(0, 0)).toEqual([0xfd, 0xe7, 0x25, 255]);
    expect(px(7, 1)).toEqual([0xfd, 0xe7, 0x25, 255]);
    expect(px(4, 0)).toEqual([0, 0, 0, 0]);
  });
});

describe('measureData', () => {
  const format = (kind: 'line' | 'area', v: number) => `${kind}:${v.toFixed(0)}`;
  it('draws nothing without a shape', () => {
    expect(measureData(null, format).features).toEqual([]);
    expect(measureData({ kind: 'line', value: 3 }, format).features).toEqual([]);
  });

  it('labels each segment of a line and its total at its end; a one-segment line only once', () => {
    const geometry: LineString = { type: 'LineString', coordinates: [[122.2, 30], [122.21, 30], [122.21, 30.01]] };
    const fc = measureData({ kind: 'line', value: 2000, geometry, segments: [{ length: 1000, at: [122.205, 30] }, { length: 1000, at: [122.21, 30.005] }], labelAt: [122.21, 30.01] }, format);
    const labels = fc.features.filter((f) => f.properties!.label).map((f): unknown[] => [f.properties!.role, f.properties!.label]);
    expect(labels).toEqual([['segment', 'line:1000'], ['segment', 'line:1000'], ['total', 'line:2000']]);
    expect(fc.features.filter((f) => f.properties!.role === 'vertex')).toHaveLength(3);
    const one = measureData({ kind: 'line', value: 1000, geometry: { type: 'LineString', coordinates: [[122.2, 30], [122.21, 30]] }, segments: [{ length: 1000, at: [122.205, 30] }], labelAt: [122.21, 30] }, format);
    expect(one.features.filter((f) => f.properties!.role === 'segment')).toHaveLength(0);
  });

  it('writes a polygon’s area inside it, as an area', () => {
    const geometry: Polygon = { type: 'Polygon', coordinates: [[[122.2, 30], [122.21, 30], [122.21, 30.01], [122.2, 30]]] };
    const fc = measureData({ kind: 'area', value: 5e5, geometry, segments: [], labelAt: [122.207, 30.003] }, format);
    expect(fc.features.find((f) => f.properties!.role === 'total')!.properties).toEqual({ role: 'total', label: 'area:500000', place: 'middle' });
  });
});
