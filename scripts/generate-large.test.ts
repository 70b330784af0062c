import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import booleanClockwise from '@turf/boolean-clockwise';
import type { Feature, Point, Polygon } from 'geojson';
import { loadsByViewport, parseCatalogue } from '../src/data/catalogue.ts';
import { readFgb } from '../src/data/fgb/read-fgb.ts';
import { createLandIndex } from './data/land-index.ts';
import { LARGE_CATALOGUE, generateLarge, parseArgs } from './generate-large.ts';

const data = join(import.meta.dirname, '..', 'data');
const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zs-large-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'basemap'));
  copyFileSync(join(data, 'catalogue.json'), join(dir, 'catalogue.json'));
  copyFileSync(join(data, 'basemap', 'land.fgb'), join(dir, 'basemap', 'land.fgb'));
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function features(file: string): Promise<Feature[]> {
  const out: Feature[] = [];
  for await (const f of readFgb(new Uint8Array(readFileSync(file)))) out.push(f);
  return out;
}

describe('generate-large', () => {
  it('writes the asked-for counts as indexed FlatGeobuf, on land, byte for byte the same each run', async () => {
    const a = scratch();
    const b = scratch();
    const opts = { points: 3000, polygons: 600, thresholdBytes: 1000, geojson: true, ifMissing: false };
    await generateLarge({ ...opts, dataDir: a }, () => {});
    await generateLarge({ ...opts, dataDir: b }, () => {});
    for (const f of ['large/manholes.fgb', 'large/buildings.fgb', 'large/manholes.geojson', LARGE_CATALOGUE]) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
    }
    const cat = parseCatalogue(JSON.parse(readFileSync(join(a, LARGE_CATALOGUE), 'utf8')));
    expect(cat.viewport).toEqual({ thresholdBytes: 1000 });
    const [mh, bd] = cat.layers;
    expect(mh).toMatchObject({ id: 'manholes', featureCount: 3000 });
    expect(bd).toMatchObject({ id: 'buildings', featureCount: 600 });
    expect(mh!.bytes).toBe(readFileSync(join(a, mh!.file)).length);
    expect(cat.layers.every((l) => loadsByViewport(l, cat))).toBe(true);

    const land = createLandIndex({ type: 'FeatureCollection', features: (await features(join(a, 'basemap', 'land.fgb'))) as Feature<Polygon>[] });
    const points = await features(join(a, mh!.file));
    expect(points).toHaveLength(3000);
    for (const p of points) expect(land.isOnLand((p.geometry as Point).coordinates)).toBe(true);
    expect(new Set(points.map((p) => p.properties!.id as unknown)).size).toBe(3000);
    const polygons = await features(join(a, bd!.file));
    expect(polygons).toHaveLength(600);
    for (const p of polygons) {
      const ring = (p.geometry as Polygon).coordinates[0]!;
      expect(ring).toHaveLength(5);
      expect(ring[0]).toEqual(ring[4]);
      expect(booleanClockwise(ring)).toBe(false);
    }
    // The GeoJSON copy holds the same features (the benchmark's baseline).
    const gj = JSON.parse(readFileSync(join(a, 'large/manholes.geojson'), 'utf8')) as { features: Feature[] };
    expect(gj.features).toHaveLength(3000);
  });

  it('leaves an existing set alone with --if-missing', async () => {
    const dir = scratch();
    await generateLarge({ points: 100, polygons: 10, thresholdBytes: 0, geojson: false, ifMissing: false, dataDir: dir }, () => {});
    const before = readFileSync(join(dir, LARGE_CATALOGUE), 'utf8');
    const lines: string[] = [];
    expect(await generateLarge({ points: 500, polygons: 50, thresholdBytes: 0, geojson: false, ifMissing: true, dataDir: dir }, (l) => lines.push(l))).toBeNull();
    expect(readFileSync(join(dir, LARGE_CATALOGUE), 'utf8')).toBe(before);
    expect(lines.join('\n')).toMatch(/nothing to do/);
  });

  it('reads its options and refuses nonsense', () => {
    expect(parseArgs(['--points', '10', '--polygons', '2', '--geojson', '--if-missing'], '/d')).toMatchObject({ points: 10, polygons: 2, geojson: true, ifMissing: true, dataDir: '/d' });
    expect(parseArgs([], '/d')).toMatchObject({ points: 1_000_000, polygons: 200_000 });
    expect(() => parseArgs(['--points', 'many'], '/d')).toThrow(/--points needs a whole number/);
    expect(() => parseArgs(['--nope'], '/d')).toThrow(/unknown option --nope/);
  });
});
