import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateProgramme } from '../src/analysis/programme.ts';
import { entriesFor, layerOn } from '../src/analysis/timeline/status-on.ts';
import { loadData, main, parseArgs } from './report.ts';
import type { Report } from './report.ts';

/** Runs the report as the command line would, capturing what it prints. */
async function run(...argv: string[]): Promise<{ text: string; report: Report | null }> {
  let text = '';
  const report = await main(argv, { write: (s) => (text += s) });
  return { text, report };
}

describe('npm run report', () => {
  // Loading the layers and three coverage runs take a few seconds: do it once per format.
  let json: Awaited<ReturnType<typeof run>>;
  let plain: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    json = await run('--json', '--radius-ebike', '250');
    plain = await run();
  });

  it('prints the programme figures with their targets', async () => {
    const { text } = plain;
    expect(text).toMatch(/闲置地块提质优化完成 Idle plots finished\s+52 \/ 58\s+52\s+0/);
    expect(text).toMatch(/新增收费泊位 New paid berths\s+369 个\s+369 个\s+0/);
    expect(text).toContain('开放共享公园绿地 Park green space opened for sharing');
    expect(text).toContain('GB 55014-2021');
    expect(text).toContain('GB/T 51346-2019');
    expect(text).toMatch(/低于 80 % below 80 %: \d+/);
  });

  it('prints one JSON document with metrics, layer totals, coverage and per-feature measures', async () => {
    const { text, report } = json;
    const doc = JSON.parse(text) as Report;
    expect(doc).toEqual(JSON.parse(JSON.stringify(report)));
    const metric = (id: string) => doc.metrics.find((m) => m.id === id)!;
    expect(metric('plots-finished')).toMatchObject({ value: 52, total: 58, target: 52, difference: 0 });
    expect(metric('berths-new')).toMatchObject({ value: 369, target: 369, difference: 0 });

    expect(doc.options).toEqual({ radiusEbike: 250, radiusParking: 300 });
    expect(doc.layers['idle-plots']!.total.count).toBe(58);
    expect(doc.layers['idle-plots']!.byGroup.finished!.count).toBe(52);
    expect(Object.values(doc.layers['communities']!.byDistrict).reduce((s, t) => s + t.count, 0)).toBe(610);

    // Polygons carry both areas and no length, lines a length and no area, points nothing.
    expect(Object.keys(doc.features['idle-plots']!)).toHaveLength(58);
    expect(Object.keys(doc.features['idle-plots']!['IP-001']!).sort()).toEqual(['area_gk_m2', 'area_m2']);
    expect(Object.keys(doc.features['parking-berths']!['PB-001']!)).toEqual(['length_m']);
    expect(doc.features['waterlogging']).toBeUndefined();
    // GK area ≈ k² ≈ 1.00015 times the ellipsoidal area at Zhoushan.
    const plot = doc.features['idle-plots']!['IP-001']!;
    expect(plot.area_gk_m2! / plot.area_m2!).toBeGreaterThan(1.0001);
    expect(plot.area_gk_m2! / plot.area_m2!).toBeLessThan(1.0002);

    for (const kind of ['parks', 'ebike', 'parking'] as const) {
      const c = doc.coverage[kind];
      expect(c.total.share).toBeGreaterThanOrEqual(0);
      expect(c.total.share).toBeLessThanOrEqual(1);
      expect(c.gridCells.cells).toBe(96);
      expect(Object.keys(c.byZone)).toHaveLength(96);
      expect(c.gridCells.min).toBeLessThanOrEqual(c.gridCells.median);
      expect(c.gridCells.median).toBeLessThanOrEqual(c.gridCells.max);
      expect(Object.keys(c.byDistrict).sort()).toEqual(['dinghai', 'putuo', 'xincheng']);
    }
    expect(doc.coverage.ebike.radius).toBe(250);
    expect(doc.coverage.parks.targets!.map((t) => t.share)).toEqual([0.8, 0.9]);
  });

  it('prints help, and rejects unknown options and bad radii with a message saying what to do', async () => {
    const { text, report } = await run('--help');
    expect(report).toBeNull();
    expect(text).toContain('--radius-parking N');
    await expect(run('--jsn')).rejects.toThrow('unknown option "--jsn". Options: --json, --as-of YYYY-MM-DD, --radius-ebike N, --radius-parking N, --help');
    expect(() => parseArgs(['--as-of', '2024-02-30'])).toThrow('--as-of needs a date written YYYY-MM-DD, got "2024-02-30"');
    expect(() => parseArgs(['--as-of'])).toThrow('--as-of needs a date written YYYY-MM-DD, got nothing');
    expect(parseArgs(['--as-of=2024-03-31'])).toMatchObject({ asOf: '2024-03-31' });
    expect(text).toContain('--as-of YYYY-MM-DD');
    expect(() => parseArgs(['--radius-ebike'])).toThrow('--radius-ebike needs a number of metres greater than 0, got nothing');
    expect(() => parseArgs(['--radius-parking=-3'])).toThrow('--radius-parking needs a number of metres greater than 0, got "-3"');
    expect(parseArgs(['--radius-parking=200', '--json'])).toMatchObject({ radiusParking: 200, json: true });
  });

  it('--as-of gives the same metrics as they stood on that date, from the catalogue’s timeline', async () => {
    const { text, report } = await run('--as-of', '2024-03-31', '--json');
    const doc = JSON.parse(text) as Report;
    expect(doc.asOf).toBe('2024-03-31');
    expect(json.report!.asOf).toBeNull();
    // The same metrics, in the same order and shape, as without the option.
    expect(doc.metrics.map((m) => m.id)).toEqual(json.report!.metrics.map((m) => m.id));
    expect(Object.keys(doc.metrics[0]!).sort()).toEqual(Object.keys(json.report!.metrics[0]!).sort());
    // Computed as the app does: each layer as it stood on the date, then the dashboard's figures.
    const data = await loadData(join(import.meta.dirname, '..', 'data'));
    const tl = data.catalogue.timeline!;
    const asOf = Object.fromEntries(Object.entries(data.layers).map(([id, fc]) => [id, layerOn(fc, entriesFor(tl, id), '2024-03-31')]));
    const expected = evaluateProgramme(data.catalogue.programme!, asOf);
    expect(doc.metrics.map((m) => [m.id, m.value, m.total])).toEqual(JSON.parse(JSON.stringify(expected.map((m) => [m.id, m.value, m.total]))));
    const finished = doc.metrics.find((m) => m.id === 'plots-finished')!;
    expect(finished.value).toBeGreaterThan(0);
    expect(finished.value).toBeLessThan(52);
    expect(finished.difference).toBe(finished.value - 52);
    expect(doc.layers['idle-plots']!.total.count).toBe(finished.total);
    expect(report!.coverage.ebike.services).toBeLessThan(json.report!.coverage.ebike.services);
    // On the report's date the figures are the report's.
    const onReport = await run('--as-of', '2024-06-21');
    expect(onReport.report!.metrics.map((m) => m.value)).toEqual(plain.report!.metrics.map((m) => m.value));
    expect(onReport.text).toContain('As of 2024-06-21');
  }, 60_000);
});
