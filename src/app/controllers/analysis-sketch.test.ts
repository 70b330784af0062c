import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, LineString, Polygon } from 'geojson';
import type { CoverageResponse, StageFields, StudyAreaResponse } from '../../analysis/worker/analysis-api.ts';
import { geodesicArea, geodesicLength } from '../../analysis/geodesic.ts';
import { parseCatalogue } from '../../data/catalogue.ts';
import type { AnalysisPort } from '../analysis-client.ts';
import { Store } from '../store.ts';
import { AnalysisController } from './analysis.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../../data/catalogue.json'), 'utf8')));

class Port implements AnalysisPort {
  stageFields: StageFields | undefined;
  sync(): void {}
  async coverage(): Promise<CoverageResponse> {
    throw new Error('not used');
  }
  async studyArea(_a: unknown, _l: unknown, _s: unknown, _r: unknown, stageFields?: StageFields): Promise<StudyAreaResponse> {
    this.stageFields = stageFields;
    return { area_m2: 1, layers: [], coverage: null, ms: 1 };
  }
  async within(): Promise<never> {
    throw new Error('not used');
  }
  async measure(): Promise<never> {
    throw new Error('not used');
  }
  cancel(): void {}
}

const line: LineString = { type: 'LineString', coordinates: [[122.2, 30], [122.21, 30], [122.21, 30.01], [122.21, 30.01]] };

describe('AnalysisController: measuring', () => {
  it('keeps the running figures of a shape being measured, then its final ones with the tool put away', async () => {
    const store = new Store();
    const ctl = new AnalysisController(store, new Port());
    store.setTool('measure-line');
    await ctl.sketch('measure-line', line);
    expect(store.state.measurement).toMatchObject({ kind: 'line', drawing: true, geometry: line });
    expect(store.state.measurement!.value).toBeCloseTo(geodesicLength(line), 6);
    expect(store.state.measurement!.segments).toHaveLength(2);
    await ctl.finishDrawing('measure-line', line);
    expect(store.state.measurement).toMatchObject({ kind: 'line', drawing: false });
    expect(store.state.tool).toBe('none');
    ctl.dispose();
  });

  it('drops a running figure that comes after the tool was put away, or after a newer one', async () => {
    const store = new Store();
    const ctl = new AnalysisController(store, new Port());
    store.setTool('measure-area');
    const square: Polygon = { type: 'Polygon', coordinates: [[[122.2, 30], [122.21, 30], [122.21, 30.01], [122.2, 30]]] };
    const older = ctl.sketch('measure-area', { type: 'Polygon', coordinates: [[[122.2, 30], [122.3, 30], [122.3, 30.1], [122.2, 30]]] });
    const newer = ctl.sketch('measure-area', square);
    await Promise.all([older, newer]);
    expect(store.state.measurement!.value).toBeCloseTo(geodesicArea(square), 3);
    const late = ctl.sketch('measure-area', square);
    store.setTool('none');
    await late;
    expect(store.state.measurement).toBeNull();
    // A drawn study area is not measured.
    store.setTool('draw-area');
    await ctl.sketch('draw-area', square);
    expect(store.state.measurement).toBeNull();
    ctl.dispose();
  });

  it('asks the worker to split the programme layers by the stage of their classes', async () => {
    const store = new Store();
    const port = new Port();
    const ctl = new AnalysisController(store, port);
    store.setCatalogue(catalogue);
    const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
    for (const l of catalogue.layers) store.layerLoaded(l.id, empty);
    const area: Feature<Polygon> = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[122.2, 30], [122.21, 30], [122.21, 30.01], [122.2, 30]]] } };
    store.setStudyArea({ feature: area, label: '' });
    await expect.poll(() => store.state.study.status).toBe('done');
    expect(port.stageFields!['idle-plots']).toEqual({ field: 'status', stages: { finished: 'finished', in_progress: 'in_progress', due: 'planned' } });
    expect(port.stageFields!.waterlogging!.stages).toEqual({ inspected: 'neutral', hazard_fixed: 'finished', managed: 'in_progress', remediating: 'in_progress' });
    // Reference layers have no stages.
    expect(port.stageFields!.communities).toBeUndefined();
    ctl.dispose();
  });
});
