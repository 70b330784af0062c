import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import { geodesicArea } from '../geodesic.ts';
import { featuresInArea } from '../in-area.ts';
import { AnalysisApi, DEFAULT_COVERAGE_SETTINGS } from './analysis-api.ts';

const pt = (x: number, y: number, status: unknown): Feature<Point> => ({ type: 'Feature', properties: { id: `${x},${y}`, status }, geometry: { type: 'Point', coordinates: [x, y] } });
const area: Feature<Polygon> = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[122.2, 30], [122.21, 30], [122.21, 30.01], [122.2, 30.01], [122.2, 30]]] } };
const points: FeatureCollection = {
  type: 'FeatureCollection',
  features: [pt(122.201, 30.001, 'done'), pt(122.202, 30.002, 'done'), pt(122.203, 30.003, 'doing'), pt(122.204, 30.004, 'constructor'), pt(122.205, 30.005, null), pt(122.5, 30.5, 'done')],
};

describe('AnalysisApi.studyArea', () => {
  it('gives the area’s own ellipsoidal area and, per layer with stages, the counts by stage', () => {
    const api = new AnalysisApi();
    api.setLayers({ pts: points });
    const r = api.studyArea(area, ['pts'], DEFAULT_COVERAGE_SETTINGS, null, { pts: { field: 'status', stages: { done: 'finished', doing: 'in_progress' } } });
    expect(r.area_m2).toBeCloseTo(geodesicArea(area.geometry), 6);
    const layer = r.layers[0]!;
    expect(layer.count).toBe(5);
    // An unknown value, one named like an Object member, and none: all "neutral".
    expect(layer.byStage).toEqual({
      finished: { count: 2, area_m2: 0, length_m: 0 },
      in_progress: { count: 1, area_m2: 0, length_m: 0 },
      neutral: { count: 2, area_m2: 0, length_m: 0 },
    });
  });

  it('gives a split layer the same totals as an unsplit one', () => {
    const sq = (x: number, status: string): Feature<Polygon> => ({ type: 'Feature', properties: { id: String(x), status }, geometry: { type: 'Polygon', coordinates: [[[x, 30.005], [x + 0.004, 30.005], [x + 0.004, 30.02], [x, 30.02], [x, 30.005]]] } });
    const plots: FeatureCollection = { type: 'FeatureCollection', features: [sq(122.198, 'done'), sq(122.203, 'doing'), sq(122.208, 'done'), sq(122.3, 'done')] };
    const api = new AnalysisApi();
    api.setLayers({ plots });
    const split = api.studyArea(area, ['plots'], DEFAULT_COVERAGE_SETTINGS, null, { plots: { field: 'status', stages: { done: 'finished', doing: 'in_progress' } } }).layers[0]!;
    const plain = featuresInArea(plots, area);
    expect(split.count).toBe(plain.count);
    expect(split.area_m2).toBeCloseTo(plain.area_m2, 6);
    expect(split.byStage!.finished!.count).toBe(2);
    expect(split.byStage!.in_progress!.area_m2 + split.byStage!.finished!.area_m2).toBeCloseTo(plain.area_m2, 6);
  });

  it('splits nothing for a layer without stages', () => {
    const api = new AnalysisApi();
    api.setLayers({ pts: points });
    expect(api.studyArea(area, ['pts'], DEFAULT_COVERAGE_SETTINGS, null).layers[0]!.byStage).toBeUndefined();
  });
});
