import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import { geodesicArea } from '../geodesic.ts';
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

  it('splits nothing for a layer without stages', () => {
    const api = new AnalysisApi();
    api.setLayers({ pts: points });
    expect(api.studyArea(area, ['pts'], DEFAULT_COVERAGE_SETTINGS, null).layers[0]!.byStage).toBeUndefined();
  });
});
