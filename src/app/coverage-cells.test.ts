import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection } from 'geojson';
import { parseCatalogue } from '../data/catalogue.ts';
import type { CoverageResponse } from '../analysis/worker/analysis-api.ts';
import { cellRows, cellsBelowTarget } from './coverage-cells.ts';
import { Store } from './store.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../data/catalogue.json'), 'utf8')));
const cell = (id: string, name: string, nameEn: string, district: string): Feature => ({
  type: 'Feature',
  properties: { id, name, name_en: nameEn, district },
  geometry: { type: 'Polygon', coordinates: [[[122, 30], [122.01, 30], [122.01, 30.01], [122, 30]]] },
});
const grid: FeatureCollection = {
  type: 'FeatureCollection',
  features: [cell('G1', '沈家门网格1', 'Shenjiamen 1', 'putuo'), cell('G2', '定海网格2', 'Dinghai 2', 'dinghai'), cell('G3', '临城网格3', 'Lincheng 3', 'xincheng'), cell('G4', '白泉网格4', 'Baiquan 4', 'dinghai')],
};
const zone = (area: number, covered: number) => ({ area, covered, share: area > 0 ? covered / area : 0, zoneArea: area, zoneCovered: covered, zoneShare: 0 });

function state(kind: 'parks' | 'ebike' = 'parks') {
  const store = new Store();
  store.setCatalogue(catalogue);
  store.layerLoaded('grid-cells', grid);
  const response = {
    settings: { ...store.state.coverageSettings, kind: 'parks' },
    result: { total: zone(1, 1), byGroup: {}, byZone: { G1: zone(100, 50), G2: zone(200, 170), G3: zone(0, 0), G4: zone(300, 280) }, perTarget: [], services: 1 },
    covered: { type: 'FeatureCollection', features: [] },
    ms: 1,
  } as unknown as CoverageResponse;
  store.setCoverage({ status: 'done', response, error: null });
  store.setCoverageSettings({ kind });
  return store.state;
}

describe('cellRows', () => {
  it('gives every cell with residential land its name and district in the UI’s language', () => {
    const rows = cellRows(state())!;
    expect(rows.map((r) => r.id)).toEqual(['G1', 'G2', 'G4']);
    expect(rows[0]).toEqual({ id: 'G1', name: '沈家门网格1', district: 'putuo', districtLabel: '普陀区', area: 100, covered: 50, share: 0.5 });
    const en = cellRows({ ...state(), lang: 'en' })!;
    expect(en[1]!.name).toBe('Dinghai 2');
    expect(en[1]!.districtLabel).toBe('Dinghai District');
  });

  it('has none while the result is for another kind of service than the one chosen', () => {
    expect(cellRows(state('ebike'))).toBeNull();
  });
});

describe('cellsBelowTarget', () => {
  const rows = cellRows(state())!;
  it('keeps the cells below the target, lowest share first by default', () => {
    expect(cellsBelowTarget(rows, { target: 0.8, sort: 'share', dir: 'asc' }, 'zh').map((r) => r.id)).toEqual(['G1']);
    expect(cellsBelowTarget(rows, { target: 0.9, sort: 'share', dir: 'asc' }, 'zh').map((r) => r.id)).toEqual(['G1', 'G2']);
    expect(cellsBelowTarget(rows, { target: 0.95, sort: 'share', dir: 'desc' }, 'zh').map((r) => r.id)).toEqual(['G4', 'G2', 'G1']);
  });

  it('sorts names as Chinese readers do (pinyin), and by district', () => {
    const all = { target: 1, dir: 'asc' } as const;
    // bái, dìng, shěn
    expect(cellsBelowTarget(rows, { ...all, sort: 'name' }, 'zh').map((r) => r.id)).toEqual(['G4', 'G2', 'G1']);
    expect(cellsBelowTarget(rows, { ...all, sort: 'district' }, 'zh').map((r) => r.districtLabel)).toEqual(['定海区', '定海区', '普陀区']);
    // Within a district, the lower share first.
    expect(cellsBelowTarget(rows, { ...all, sort: 'district' }, 'zh').map((r) => r.id)).toEqual(['G2', 'G4', 'G1']);
  });

  it('does not change the rows it is given', () => {
    const frozen = Object.freeze(rows.map((r) => Object.freeze({ ...r })));
    expect(() => cellsBelowTarget(frozen, { target: 1, sort: 'name', dir: 'desc' }, 'zh')).not.toThrow();
  });
});
