/**
 * Synthetic city-scale asset inventories for the scale tests and the benchmark: manhole
 * covers (points) and building footprints (polygons) over Zhoushan's islands. Half of them
 * cluster around the towns, half are spread over the land, so a street-level view of a town
 * holds thousands of features and the whole file a million. Deterministic per seed.
 */
import type { Feature, Point, Polygon, Position } from 'geojson';
import type { LandIndex } from './land-index.ts';
import { createRng, type Rng } from './random.ts';

/** Town centres and their share of the clustered features (lon, lat, weight, spread km). */
const CENTRES: ReadonlyArray<readonly [number, number, number, number]> = [
  [122.103, 30.018, 3, 1.6], // Dinghai old town
  [122.203, 29.988, 3, 1.8], // Xincheng
  [122.295, 29.945, 3, 1.5], // Shenjiamen
  [122.245, 29.975, 1, 1.2], // Lincheng east
  [122.13, 30.07, 1, 1.2], // Baiquan
  [122.205, 30.245, 2, 1.6], // Daishan
  [122.39, 29.9, 1, 1.2], // Zhujiajian
  [122.385, 30.0, 0.5, 0.8], // Putuoshan
  [121.9, 30.03, 1, 1.4], // Jintang
  [122.14, 29.73, 0.5, 1.0], // Liuheng
];

/** Where the spread-out half is drawn from: the main islands. */
const SPREAD_BBOX: readonly [number, number, number, number] = [121.85, 29.68, 122.45, 30.3];

const KM_PER_DEG_LAT = 110.95;
const KM_PER_DEG_LON = 96.2; // at 30° N

const MANHOLE_KINDS = ['rain', 'sewer', 'water', 'power', 'telecom', 'gas'] as const;
const MANHOLE_STATUS = ['normal', 'to_repair', 'repairing', 'repaired'] as const;
const BUILDING_USES = ['residential', 'commercial', 'public', 'industrial', 'mixed'] as const;

/** 1e-7 degrees is about 1 cm: the same rounding for the FlatGeobuf and GeoJSON copies. */
const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

function pickCentre(rng: Rng): readonly [number, number, number, number] {
  const total = CENTRES.reduce((s, c) => s + c[2], 0);
  let r = rng.next() * total;
  for (const c of CENTRES) {
    r -= c[2];
    if (r < 0) return c;
  }
  return CENTRES[0]!;
}

/** A point on land: clustered around a town or spread over the islands. */
function landPoint(rng: Rng, land: LandIndex): Position {
  for (;;) {
    let p: Position;
    if (rng.next() < 0.5) {
      const [lon, lat, , km] = pickCentre(rng);
      p = [lon + (gaussian(rng) * km) / KM_PER_DEG_LON, lat + (gaussian(rng) * km) / KM_PER_DEG_LAT];
    } else {
      const [w, s, e, n] = SPREAD_BBOX;
      p = [rng.uniform(w, e), rng.uniform(s, n)];
    }
    if (land.isOnLand(p)) return [round7(p[0]!), round7(p[1]!)];
  }
}

function date(rng: Rng): string {
  const d = new Date(Date.UTC(2023, 0, 1) + rng.int(0, 540) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

export function manholes(count: number, land: LandIndex, seed = 1_000_001): Feature<Point>[] {
  const rng = createRng(seed);
  const out: Feature<Point>[] = new Array<Feature<Point>>(count);
  for (let i = 0; i < count; i++) {
    const status = rng.next() < 0.93 ? 'normal' : MANHOLE_STATUS[rng.int(1, 3)]!;
    out[i] = {
      type: 'Feature',
      properties: { id: `MH${String(i + 1).padStart(7, '0')}`, kind: rng.pick(MANHOLE_KINDS), status, inspected: date(rng) },
      geometry: { type: 'Point', coordinates: landPoint(rng, land) },
    };
  }
  return out;
}

export function buildings(count: number, land: LandIndex, seed = 2_000_002): Feature<Polygon>[] {
  const rng = createRng(seed);
  const out: Feature<Polygon>[] = new Array<Feature<Polygon>>(count);
  for (let i = 0; i < count; i++) {
    const [cx, cy] = landPoint(rng, land) as [number, number];
    // A rotated rectangle, 8–40 m by 8–20 m, anticlockwise as RFC 7946 asks.
    const w = rng.uniform(8, 40) / 2;
    const h = rng.uniform(8, 20) / 2;
    const a = rng.uniform(0, Math.PI);
    const corner = (dx: number, dy: number): Position => {
      const x = dx * Math.cos(a) - dy * Math.sin(a);
      const y = dx * Math.sin(a) + dy * Math.cos(a);
      return [round7(cx + x / 1000 / KM_PER_DEG_LON), round7(cy + y / 1000 / KM_PER_DEG_LAT)];
    };
    const ring = [corner(-w, -h), corner(w, -h), corner(w, h), corner(-w, h)];
    ring.push(ring[0]!);
    const use = rng.next() < 0.6 ? 'residential' : BUILDING_USES[rng.int(1, 4)]!;
    out[i] = {
      type: 'Feature',
      properties: { id: `BD${String(i + 1).padStart(6, '0')}`, use, floors: Math.max(1, Math.round(rng.logNormal(5, 0.6, 1, 40))), year: rng.int(1975, 2024) },
      geometry: { type: 'Polygon', coordinates: [ring] },
    };
  }
  return out;
}

