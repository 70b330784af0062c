import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../data/catalogue.ts';
import { readFgb } from '../data/fgb/read-fgb.ts';
import { evaluateMetric, evaluateProgramme, type ProgrammeMetric } from './programme.ts';

const pt = (props: Record<string, unknown>): Feature => ({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: [122.2, 30] } });
const fc = (...fs: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features: fs });
const base = { id: 'm', label: { zh: '指标', en: 'metric' }, layer: 'x' } as const;

describe('programme metrics', () => {
  const layer = fc(pt({ status: 'done', n: 2 }), pt({ status: 'open', n: 3 }), pt({ status: 'done', n: 'x' }), pt({ status: 'gone' }));

  it('counts progress among the filtered features', () => {
    const m: ProgrammeMetric = { ...base, kind: 'progress', filter: { field: 'status', in: ['done', 'open'] }, done: { field: 'status', in: ['done'] } };
    expect(evaluateMetric(m, layer)).toMatchObject({ value: 2, total: 3, features: 3 });
  });

  it('sums and averages numbers, treating non-numbers as 0', () => {
    expect(evaluateMetric({ ...base, kind: 'sum', field: 'n' }, layer).value).toBe(5);
    expect(evaluateMetric({ ...base, kind: 'mean', field: 'n', filter: { field: 'status', in: ['done', 'open'] } }, layer).value).toBeCloseTo(5 / 3);
  });

  it('gives NaN for a missing layer and for the mean of nothing', () => {
    expect(evaluateMetric({ ...base, kind: 'count' }, undefined).value).toBeNaN();
    expect(evaluateMetric({ ...base, kind: 'mean', field: 'n', filter: { field: 'status', in: ['none'] } }, layer).value).toBeNaN();
  });

  it('measures ellipsoidal areas and lengths', () => {
    const sq: Feature = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[122.2, 30], [122.201, 30], [122.201, 30.001], [122.2, 30.001], [122.2, 30]]] } };
    const ln: Feature = { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[122.2, 30], [122.2, 30.001]] } };
    expect(evaluateMetric({ ...base, kind: 'area' }, fc(sq)).value).toBeCloseTo(10_695.7, 0);
    expect(evaluateMetric({ ...base, kind: 'length' }, fc(ln)).value).toBeCloseTo(110.85, 1);
  });

  it('reproduces the report from the demo data', async () => {
    const root = join(import.meta.dirname, '..', '..', 'data');
    const cat = parseCatalogue(JSON.parse(readFileSync(join(root, 'catalogue.json'), 'utf8')));
    const layers: Record<string, FeatureCollection> = {};
    for (const l of cat.layers) {
      const fs: Feature[] = [];
      for await (const f of readFgb(new Uint8Array(readFileSync(join(root, l.file))))) fs.push(f);
      layers[l.id] = fc(...fs);
    }
    const values = Object.fromEntries(evaluateProgramme(cat.programme ?? [], layers).map((v) => [v.id, v]));
    // Every metric with a report figure meets it exactly (areas to the square metre).
    for (const m of cat.programme ?? []) {
      if (m.target === undefined) continue;
      const v = values[m.id]!.value;
      expect(m.kind === 'area' ? Math.round(v) : Math.round(v * 10) / 10, m.id).toBe(m.target);
    }
    expect(values['plots-finished']).toMatchObject({ value: 52, total: 58 });
    expect(values['park-upgrades']).toMatchObject({ value: 3, total: 6 });
  });
});
