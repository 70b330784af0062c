import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './plan.ts';

const dir = mkdtempSync(join(tmpdir(), 'plan-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lines: string[] = [];
const io = { cwd: dir, write: (s: string) => void lines.push(s) };

describe('npm run plan', () => {
  it('--service ebike --add 20 --json: 20 sites in WGS84, coverage up city-wide, by district and by grid cell', async () => {
    lines.length = 0;
    const out = (await main(['--service', 'ebike', '--add', '20', '--spacing', '100', '--json'], io))!;
    const printed = JSON.parse(lines.join('')) as typeof out;
    expect(printed).toEqual(out);
    expect(out.sites.type).toBe('FeatureCollection');
    expect(out.sites.features).toHaveLength(20);
    for (const f of out.sites.features) {
      const [lon, lat] = (f.geometry as { coordinates: number[] }).coordinates as [number, number];
      expect(lon).toBeGreaterThan(121.5);
      expect(lon).toBeLessThan(123);
      expect(lat).toBeGreaterThan(29.5);
      expect(lat).toBeLessThan(30.5);
    }
    expect(out.after).toBeGreaterThan(out.before);
    expect(Object.keys(out.byDistrict).sort()).toEqual(['dinghai', 'putuo', 'xincheng']);
    expect(Object.keys(out.byZone).length).toBeGreaterThan(50);
    for (const d of Object.values(out.byDistrict)) expect(d.after).toBeGreaterThanOrEqual(d.before);
    expect(['optimal', 'limit', 'lp']).toContain(out.exact.status);
    expect(out.exact.gap).toBeGreaterThanOrEqual(0);
  });

  it('--target 99: the fewest sites that bring the city to 99 %', async () => {
    const out = (await main(['--service', 'ebike', '--target', '99', '--spacing', '100'], io))!;
    expect(out.unreachable).toBe(false);
    expect(out.after).toBeGreaterThanOrEqual(99);
    expect(out.sites.features.length).toBeGreaterThan(0);
  });

  it('--service parks --from idle-plots: idle plots chosen as pocket parks, each naming its plot', async () => {
    const out = (await main(['--service', 'parks', '--from', 'idle-plots', '--add', '3', '--min-distance', '0'], io))!;
    expect(out.sites.features.length).toBeGreaterThan(0);
    for (const f of out.sites.features) expect(f.properties?.from_layer).toBe('idle-plots');
    expect(out.after).toBeGreaterThanOrEqual(out.before);
  });

  it('--candidates FILE: candidates from a GeoJSON file', async () => {
    const file = join(dir, 'c.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [[122.204, 29.985], [122.30, 29.95]].map((c) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: c } })) }));
    const out = (await main(['--service', 'ebike', '--add', '1', '--candidates', 'c.geojson', '--min-distance', '0'], io))!;
    expect(out.sites.features).toHaveLength(1);
    expect(out.candidates.total).toBe(2);
  });

  it('says plainly what is wrong with the arguments', async () => {
    await expect(main(['--service', 'trams', '--add', '2'], io)).rejects.toThrow(/--service must be one of/);
    await expect(main(['--service', 'ebike'], io)).rejects.toThrow(/either --add N or --target/);
    await expect(main(['--service', 'ebike', '--add', 'x'], io)).rejects.toThrow(/--add must be a number/);
  });
});
