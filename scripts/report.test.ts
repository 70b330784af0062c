import { beforeAll, describe, expect, it } from 'vitest';
import { main, parseArgs } from './report.ts';
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
    await expect(run('--jsn')).rejects.toThrow('unknown option "--jsn". Options: --json, --radius-ebike N, --radius-parking N, --help');
    expect(() => parseArgs(['--radius-ebike'])).toThrow('--radius-ebike needs a number of metres greater than 0, got nothing');
    expect(() => parseArgs(['--radius-parking=-3'])).toThrow('--radius-parking needs a number of metres greater than 0, got "-3"');
    expect(parseArgs(['--radius-parking=200', '--json'])).toMatchObject({ radiusParking: 200, json: true });
  });
});
