/**
 * The synthetic demo layers. They reproduce every figure of the bureau's 2024 H1 report
 * (../shared/seed/FIGURES.md) on the real coastline; positions, shapes, names and
 * per-feature values are invented. Deterministic: same land + same seed → same output.
 */
import intersect from '@turf/intersect';
import type { Feature, FeatureCollection, Geometry, LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { geodesicArea } from '../../src/analysis/geodesic.ts';
import { createLandIndex, type LandIndex } from './land-index.ts';
import { createRng, partitionInteger, type Rng } from './random.ts';
import { addTimelineDates } from './timeline-dates.ts';
import {
  buildUrbanArea, carve, inset, rectArea, rectRing, roadsidePoint, sideLength, ROAD_SETBACK, URBAN_AREAS,
  type Block, type Rect, type Side, type UrbanArea,
} from './urban-model.ts';

/** Every total the generator must hit, straight from FIGURES.md. */
export const FIGURES = {
  idlePlots: 58,
  idlePlotsFinished: 52,
  rubbishTenthsOfTonne: 1433, // 143.3 t
  wallOpenedM: 930,
  greeningM2: 64_400,
  householdsCleared: 11,
  waterloggingInspected: 403,
  hazardsFixed: 106,
  riskPoints: 15,
  newPondingPoints: 3,
  pondingRemediationPct: 50,
  newPaidBerths: 369,
  rearrangedBerths: 456,
  thirdPartyCarParks: 3,
  ebikeStations: 320,
  parkUpgrades: 6,
  parkUpgradesFinished: 3,
  sharedOpenM2: 35_500, // 3.55 ha
  gridCells: 96,
  communities: 610,
  sortingDemoCommunities: 35,
  aiBinCommunities: 28,
} as const;

export interface GeneratedData {
  land: FeatureCollection<Polygon>;
  roads: FeatureCollection<LineString>;
  places: FeatureCollection<Point>;
  layers: Record<string, FeatureCollection>;
}

const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;
const roundPos = (p: Position): Position => [round7(p[0]!), round7(p[1]!)];

function ringOf(a: UrbanArea, ring: [number, number][]): Position[] {
  return ring.map(([u, v]) => roundPos(a.toLonLat(u, v)));
}

function polygonOf(a: UrbanArea, r: Rect, chamfer = 0): Polygon {
  return { type: 'Polygon', coordinates: [ringOf(a, rectRing(r, chamfer))] };
}

function feature<G extends Geometry>(geometry: G, properties: Record<string, unknown>): Feature<G> {
  return { type: 'Feature', properties, geometry };
}

function isoDate(rng: Rng, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  const day = 86_400_000;
  return new Date(a + Math.floor(rng.next() * ((b - a) / day + 1)) * day).toISOString().slice(0, 10);
}

interface Slot {
  area: UrbanArea;
  rect: Rect;
}

/** Scales a rect about its centre until its ellipsoidal area is `target` m² (to 1 cm²). */
function fitArea(a: UrbanArea, r: Rect, target: number): Polygon {
  let rect = r;
  let poly = polygonOf(a, rect);
  for (let k = 0; k < 6; k++) {
    const f = Math.sqrt(target / geodesicArea(poly));
    const cu = (rect.u0 + rect.u1) / 2;
    const cv = (rect.v0 + rect.v1) / 2;
    rect = { ...rect, u0: cu + (rect.u0 - cu) * f, u1: cu + (rect.u1 - cu) * f, v0: cv + (rect.v0 - cv) * f, v1: cv + (rect.v1 - cv) * f };
    poly = polygonOf(a, rect);
  }
  return poly;
}

export function generateDemoData(land: FeatureCollection<Polygon>, seed = 20240621): GeneratedData {
  const rng = createRng(seed);
  const landIndex = createLandIndex(land);
  const areas = URBAN_AREAS.map((spec) => buildUrbanArea(spec, landIndex, rng));

  const roads = buildRoads(areas, landIndex);
  const places = buildPlaces(landIndex);

  // Parcels are consumed in a seeded order so every layer gets its share of each area.
  let pool: Slot[] = rng.shuffle(areas.flatMap((area) => area.parcels.map((rect) => ({ area, rect }))));
  const take = (accept: (s: Slot) => boolean): Slot => {
    const i = pool.findIndex(accept);
    if (i < 0) throw new Error('demo data: ran out of parcels; enlarge the urban areas');
    const [s] = pool.splice(i, 1);
    return s!;
  };
  const giveBack = (area: UrbanArea, rects: Rect[]): void => {
    for (const rect of rects) pool.push({ area, rect });
  };

  // ---- parks -------------------------------------------------------------------------
  const parks: Feature<Polygon>[] = [];
  const parkSeq = new Map<string, number>();
  const addPark = (a: UrbanArea, geometry: Polygon, type: keyof typeof PARK_TYPES, extra: Record<string, unknown> = {}): void => {
    const n = (parkSeq.get(a.spec.key + type) ?? 0) + 1;
    parkSeq.set(a.spec.key + type, n);
    const t = PARK_TYPES[type];
    parks.push(feature(geometry, {
      id: `PK-${String(parks.length + 1).padStart(3, '0')}`,
      name: `${a.spec.name.zh}${t.zh}${n}号`,
      name_en: `${a.spec.name.en} ${t.en} ${n}`,
      district: a.spec.district,
      park_type: type,
      status: 'existing',
      shared_open: false,
      shared_area_m2: null,
      opened_on: null,
      ...extra,
    }));
  };
  // Large parks take a whole block: drop that block's parcels from the pool.
  const largeParkBlocks: [UrbanArea, Block][] = [];
  for (const [key, count] of [['dinghai', 1], ['lincheng', 2], ['shenjiamen', 1]] as const) {
    const a = areas.find((x) => x.spec.key === key)!;
    for (const b of rng.shuffle(a.blocks).slice(0, count)) largeParkBlocks.push([a, b]);
  }
  for (const [a, b] of largeParkBlocks) {
    pool = pool.filter((s) => s.area !== a || !within(s.rect, b));
    addPark(a, polygonOf(a, inset(b, 4), 25), 'comprehensive');
  }
  for (let k = 0; k < 12; k++) {
    const s = take((x) => rectArea(x.rect) > 12_000);
    addPark(s.area, polygonOf(s.area, inset(s.rect, 3), 10), 'community');
  }
  // Shared-use parcels opened to the public: exact areas summing to 3.55 ha.
  const sharedTargets = [9_200, 8_100, 7_300, 6_400, 4_500];
  if (sharedTargets.reduce((x, y) => x + y, 0) !== FIGURES.sharedOpenM2) throw new Error('shared-open targets do not sum to 3.55 ha');
  for (const target of sharedTargets) {
    const s = take((x) => rectArea(x.rect) > target * 2);
    const c = carve(s.rect, target, rng.uniform(1, 1.6))!;
    giveBack(s.area, c.rest);
    addPark(s.area, fitArea(s.area, c.piece, target), target >= 5_000 ? 'community' : 'garden', {
      shared_open: true,
      shared_area_m2: target,
      opened_on: isoDate(rng, '2024-02-01', '2024-06-15'),
    });
  }
  const carvedParks: [number, number, number, keyof typeof PARK_TYPES][] = [
    [5, 5_000, 12_000, 'community'],
    [18, 2_000, 5_000, 'garden'],
    [20, 400, 2_000, 'pocket'],
  ];
  for (const [count, min, max, type] of carvedParks) {
    for (let k = 0; k < count; k++) {
      const target = rng.uniform(min, max);
      const s = take((x) => rectArea(x.rect) > target * 2.5);
      const c = carve(s.rect, target, rng.uniform(1, 1.8));
      if (!c) throw new Error('demo data: could not carve a park');
      giveBack(s.area, c.rest);
      addPark(s.area, polygonOf(s.area, c.piece, type === 'pocket' ? 0 : 4), type);
    }
  }
  // Greening upgrades: 6 of the larger parks, 3 finished.
  const upgradeable = rng.shuffle(parks.filter((p) => p.properties!.park_type !== 'pocket' && !p.properties!.shared_open)).slice(0, FIGURES.parkUpgrades);
  upgradeable.forEach((p, i) => {
    p.properties!.status = i < FIGURES.parkUpgradesFinished ? 'upgraded' : 'upgrading';
  });

  // ---- idle plots along main and secondary roads ---------------------------------------
  const plotSlots: { slot: Slot; geometry: Polygon; area: number }[] = [];
  for (let k = 0; k < FIGURES.idlePlots; k++) {
    const target = rng.logNormal(1_800, 0.95, 300, 20_000);
    const s = take((x) => x.rect.road !== null && rectArea(x.rect) > target * 1.6 && (x.rect.road.cls === 'main' || rng.next() < 0.4));
    const c = carve(s.rect, target, rng.uniform(1.2, 2.5));
    if (!c) throw new Error('demo data: could not carve an idle plot');
    giveBack(s.area, c.rest);
    plotSlots.push({ slot: { area: s.area, rect: c.piece }, geometry: polygonOf(s.area, c.piece), area: rectArea(c.piece) });
  }
  const idlePlots = buildIdlePlots(plotSlots, rng);

  // ---- third-party car parks ------------------------------------------------------------
  const carParks: Feature<Polygon>[] = [];
  for (let k = 0; k < FIGURES.thirdPartyCarParks; k++) {
    const target = rng.uniform(4_000, 9_000);
    const s = take((x) => x.rect.road !== null && rectArea(x.rect) > target * 1.8);
    const c = carve(s.rect, target, 1.5)!;
    giveBack(s.area, c.rest);
    const spaces = Math.round(target / 28);
    carParks.push(feature(polygonOf(s.area, c.piece), {
      id: `CP-${k + 1}`,
      name: `${s.area.spec.name.zh}第三方停车场${k + 1}`,
      name_en: `${s.area.spec.name.en} third-party car park ${k + 1}`,
      district: s.area.spec.district,
      road: s.rect.road!.name.zh,
      spaces,
      status: 'connected',
      connected_on: isoDate(rng, '2024-01-15', '2024-06-15'),
    }));
  }

  // ---- residential communities: the rest of the parcels ----------------------------------
  const communities = buildCommunities(pool, rng);

  // ---- curbside features along the block edges -----------------------------------------
  const curbs = rng.shuffle(areas.flatMap((a) => a.blocks.flatMap((b) => (['S', 'N', 'W', 'E'] as Side[]).map((side) => ({ a, b, side, used: [] as [number, number][] })))));
  const berths = buildBerths(curbs, landIndex, rng);
  const ebikes = buildEbikeStations(curbs, landIndex, rng);
  const waterlogging = buildWaterlogging(areas, landIndex, rng);
  const grid = buildGridCells(areas, landIndex);

  const fc = <G extends Geometry>(features: Feature<G>[]): FeatureCollection<G> => ({ type: 'FeatureCollection', features });
  const layers: Record<string, FeatureCollection> = {
    'idle-plots': fc(idlePlots),
    waterlogging: fc(waterlogging),
    'parking-berths': fc(berths),
    'car-parks': fc(carParks),
    'ebike-stations': fc(ebikes),
    parks: fc(parks),
    'grid-cells': fc(grid),
    communities: fc(communities),
  };
  // A stream of its own, so the dates leave everything drawn above as it was.
  addTimelineDates(layers, createRng(seed ^ 0x7153));
  return { land, roads, places, layers };
}

const PARK_TYPES = {
  comprehensive: { zh: '综合公园', en: 'City Park' },
  community: { zh: '社区公园', en: 'Community Park' },
  garden: { zh: '游园', en: 'Garden' },
  pocket: { zh: '口袋公园', en: 'Pocket Park' },
} as const;

function within(r: Rect, b: Rect): boolean {
  const cu = (r.u0 + r.u1) / 2;
  const cv = (r.v0 + r.v1) / 2;
  return cu > b.u0 && cu < b.u1 && cv > b.v0 && cv < b.v1;
}

function buildIdlePlots(slots: { slot: Slot; geometry: Polygon; area: number }[], rng: Rng): Feature<Polygon>[] {
  const n = slots.length;
  const finished = new Set(rng.shuffle([...Array(n).keys()]).slice(0, FIGURES.idlePlotsFinished));
  // Greening is replanted on part of each lot; rubbish and walls scale with the lot's size.
  const greening = partitionInteger(FIGURES.greeningM2, slots.map((s) => s.area * rng.uniform(0.25, 0.7)));
  greening.forEach((g, i) => {
    if (g > slots[i]!.area * 0.95) throw new Error(`demo data: plot ${i} has more greening than area`);
  });
  const rubbish = partitionInteger(FIGURES.rubbishTenthsOfTonne, slots.map((s) => Math.sqrt(s.area) * rng.uniform(0.5, 1.5)));
  const walled = new Set(rng.shuffle([...Array(n).keys()]).slice(0, 19));
  const walls = partitionInteger(FIGURES.wallOpenedM, slots.map((s, i) => (walled.has(i) ? Math.sqrt(s.area) * rng.uniform(0.6, 1.4) : 0)));
  const nailed = new Set(rng.shuffle([...Array(n).keys()]).slice(0, 5));
  const households = partitionInteger(FIGURES.householdsCleared, slots.map((_, i) => (nailed.has(i) ? rng.uniform(1, 3) : 0)));
  const seq = new Map<string, number>();
  return slots.map(({ slot, geometry }, i) => {
    const road = slot.rect.road!;
    const k = (seq.get(road.id) ?? 0) + 1;
    seq.set(road.id, k);
    const done = finished.has(i);
    return feature(geometry, {
      id: `IP-${String(i + 1).padStart(3, '0')}`,
      name: `${road.name.zh}沿线闲置地块${k}`,
      name_en: `Idle plot ${k}, ${road.name.en}`,
      district: slot.area.spec.district,
      road: road.name.zh,
      road_class: road.cls,
      status: done ? 'finished' : 'in_progress',
      rubbish_t: rubbish[i]! / 10,
      wall_opened_m: walls[i]!,
      greening_m2: greening[i]!,
      households_cleared: households[i]!,
      completed_on: done ? isoDate(rng, '2024-02-01', '2024-06-15') : null,
    });
  });
}

function buildCommunities(pool: Slot[], rng: Rng): Feature<Polygon>[] {
  let slots = pool.filter((s) => rectArea(s.rect) >= 2_500 && Math.min(s.rect.u1 - s.rect.u0, s.rect.v1 - s.rect.v0) >= 40);
  // Some parcels are schools, offices, shops: not residential.
  slots = slots.filter(() => rng.next() < 0.92);
  // Too many: drop the smallest. Too few: halve the largest along its long side.
  slots.sort((x, y) => rectArea(y.rect) - rectArea(x.rect));
  while (slots.length > FIGURES.communities) slots.pop();
  while (slots.length < FIGURES.communities) {
    const big = slots.shift()!;
    const r = big.rect;
    const halves: Rect[] = r.u1 - r.u0 > r.v1 - r.v0
      ? [{ ...r, u1: (r.u0 + r.u1) / 2 - 4 }, { ...r, u0: (r.u0 + r.u1) / 2 + 4 }]
      : [{ ...r, v1: (r.v0 + r.v1) / 2 - 4 }, { ...r, v0: (r.v0 + r.v1) / 2 + 4 }];
    for (const h of halves) slots.push({ area: big.area, rect: h });
    slots.sort((x, y) => rectArea(y.rect) - rectArea(x.rect));
  }
  // A stable, spatial order for ids: by area, then west to east.
  slots.sort((x, y) => x.area.spec.key.localeCompare(y.area.spec.key) || x.rect.u0 - y.rect.u0 || x.rect.v0 - y.rect.v0);
  const demo = new Set(rng.shuffle([...slots.keys()]).slice(0, FIGURES.sortingDemoCommunities));
  const ai = new Set(rng.shuffle([...slots.keys()]).slice(0, FIGURES.aiBinCommunities));
  const seq = new Map<string, number>();
  return slots.map((s, i) => {
    const k = (seq.get(s.area.spec.key) ?? 0) + 1;
    seq.set(s.area.spec.key, k);
    const r = inset(s.rect, 4);
    return feature(polygonOf(s.area, r), {
      id: `RC-${String(i + 1).padStart(3, '0')}`,
      name: `${s.area.spec.name.zh}${k}号小区`,
      name_en: `${s.area.spec.name.en} Community ${k}`,
      district: s.area.spec.district,
      // About 1.8 floor-area ratio and 95 m² per home.
      households: Math.max(20, Math.round((rectArea(r) * rng.uniform(1.2, 2.4)) / 95)),
      sorting_point: 'merged',
      sorting_demo: demo.has(i),
      ai_bins: ai.has(i),
    });
  });
}

interface Curb {
  a: UrbanArea;
  b: Block;
  side: Side;
  /** occupied intervals along the side, in metres */
  used: [number, number][];
}

function reserve(c: Curb, len: number, rng: Rng, margin = 25): [number, number] | null {
  const L = sideLength(c.b, c.side);
  for (let attempt = 0; attempt < 8; attempt++) {
    const s0 = rng.uniform(margin, L - margin - len);
    if (!(s0 >= margin)) return null;
    const s1 = s0 + len;
    if (c.used.some(([x, y]) => s0 < y + 10 && s1 > x - 10)) continue;
    c.used.push([s0, s1]);
    return [s0, s1];
  }
  return null;
}

/** Lengths per berth: parallel curbside parking is laid out at about 6 m a bay. */
const BAY_M = 6;

function buildBerths(curbs: Curb[], land: LandIndex, rng: Rng): Feature<LineString>[] {
  const out: Feature<LineString>[] = [];
  const counts = (total: number, min: number, max: number): number[] => {
    const parts: number[] = [];
    let left = total;
    while (left > 0) {
      const n = left <= max + min ? left : rng.int(min, max);
      parts.push(n);
      left -= n;
    }
    return parts;
  };
  const plan: ['new_paid' | 'rearranged', number][] = [
    ...counts(FIGURES.newPaidBerths, 6, 18).map((n) => ['new_paid', n] as ['new_paid', number]),
    ...counts(FIGURES.rearrangedBerths, 8, 24).map((n) => ['rearranged', n] as ['rearranged', number]),
  ];
  let ci = 0;
  const seq = new Map<string, number>();
  for (const [kind, n] of plan) {
    for (let tries = 0; ; tries++) {
      if (tries > curbs.length) throw new Error('demo data: no curb left for berths');
      const c = curbs[ci++ % curbs.length]!;
      const road = c.b.sides[c.side];
      if (road.cls !== 'main' && rng.next() < 0.5) continue;
      const iv = reserve(c, n * BAY_M, rng);
      if (!iv) continue;
      const L = sideLength(c.b, c.side);
      // The parking lane is about 6.5 m from the road's centre line, on the block's side.
      const off = ROAD_SETBACK - 6.5;
      const pts = [iv[0], (iv[0] + iv[1]) / 2, iv[1]].map((s) => roundPos(c.a.toLonLat(...roadsidePoint(c.b, c.side, s / L, off))));
      if (!pts.every((p) => land.isOnLand(p))) continue;
      const k = (seq.get(road.id) ?? 0) + 1;
      seq.set(road.id, k);
      out.push(feature({ type: 'LineString', coordinates: pts }, {
        id: `PB-${String(out.length + 1).padStart(3, '0')}`,
        name: `${road.name.zh}第${k}段泊位`,
        name_en: `${road.name.en} berths, section ${k}`,
        district: c.a.spec.district,
        road: road.name.zh,
        kind,
        berths: n,
        charge: 'paid',
        since: isoDate(rng, '2024-01-10', '2024-06-15'),
      }));
      break;
    }
  }
  return out;
}

function buildEbikeStations(curbs: Curb[], land: LandIndex, rng: Rng): Feature<Point>[] {
  const out: Feature<Point>[] = [];
  const placed: Position[] = [];
  const toGkDist = (p: Position, q: Position): number => {
    // Small-area equirectangular distance: enough to keep stations apart.
    const dx = (p[0]! - q[0]!) * 111_320 * Math.cos((30 * Math.PI) / 180);
    const dy = (p[1]! - q[1]!) * 110_574;
    return Math.hypot(dx, dy);
  };
  const candidates = rng.shuffle(curbs.flatMap((c) => [0.12, 0.5, 0.88].map((t) => ({ c, t }))));
  const seq = new Map<string, number>();
  for (const { c, t } of candidates) {
    if (out.length === FIGURES.ebikeStations) break;
    // On the pavement, between the block edge and the carriageway.
    const p = roundPos(c.a.toLonLat(...roadsidePoint(c.b, c.side, t, 4)));
    if (!land.isOnLand(p) || placed.some((q) => toGkDist(p, q) < 110)) continue;
    placed.push(p);
    const road = c.b.sides[c.side];
    const k = (seq.get(road.id) ?? 0) + 1;
    seq.set(road.id, k);
    out.push(feature({ type: 'Point', coordinates: p }, {
      id: `EB-${String(out.length + 1).padStart(3, '0')}`,
      name: `${road.name.zh}电单车停放点${k}`,
      name_en: `${road.name.en} e-bike station ${k}`,
      district: c.a.spec.district,
      road: road.name.zh,
      capacity: rng.int(2, 6) * 5,
      status: 'painted',
      painted_on: isoDate(rng, '2024-03-01', '2024-06-15'),
    }));
  }
  if (out.length !== FIGURES.ebikeStations) throw new Error(`demo data: only ${out.length} e-bike stations fit`);
  return out;
}

function buildWaterlogging(areas: UrbanArea[], land: LandIndex, rng: Rng): Feature<Point>[] {
  type Cand = { a: UrbanArea; road: UrbanArea['roads'][number]; p: Position; coastal: boolean };
  const cands: Cand[] = [];
  for (const a of areas) {
    for (const road of a.roads) {
      for (const run of road.runs) {
        for (let i = 2; i < run.length - 2; i += 3) {
          const [u, v] = run[i]!;
          // Low-lying ground near the shore ponds first: flag points with sea within 300 m.
          const coastal = [[300, 0], [-300, 0], [0, 300], [0, -300]].some(([du, dv]) => !land.isOnLand(a.toLonLat(u + du!, v + dv!)));
          cands.push({ a, road, p: roundPos(a.toLonLat(u + rng.uniform(-4, 4), v + rng.uniform(-4, 4))), coastal });
        }
      }
    }
  }
  const chosen: Cand[] = [];
  const far = (p: Position): boolean =>
    chosen.every((c) => Math.hypot((c.p[0]! - p[0]!) * 96_400, (c.p[1]! - p[1]!) * 110_900) > 55);
  for (const c of rng.shuffle(cands)) {
    if (chosen.length === FIGURES.waterloggingInspected) break;
    if (!c.coastal && rng.next() < 0.45) continue;
    if (land.isOnLand(c.p) && far(c.p)) chosen.push(c);
  }
  if (chosen.length !== FIGURES.waterloggingInspected) throw new Error(`demo data: only ${chosen.length} waterlogging points fit`);
  // Risk and new ponding points are the coastal ones; the rest split into fixed hazards and clear.
  const order = [...chosen.keys()].sort((x, y) => Number(chosen[y]!.coastal) - Number(chosen[x]!.coastal) || x - y);
  const coastalFirst = rng.shuffle(order.slice(0, 60));
  const ponding = new Set(coastalFirst.slice(0, FIGURES.newPondingPoints));
  const risk = new Set(coastalFirst.slice(FIGURES.newPondingPoints, FIGURES.newPondingPoints + FIGURES.riskPoints));
  const rest = rng.shuffle([...chosen.keys()].filter((i) => !ponding.has(i) && !risk.has(i)));
  const fixed = new Set(rest.slice(0, FIGURES.hazardsFixed));
  const pondingPct = [70, 50, 30]; // averages the report's 50%
  let pi = 0;
  const seq = new Map<string, number>();
  return chosen.map((c, i) => {
    const kind = ponding.has(i) ? 'ponding' : risk.has(i) ? 'risk' : 'inspection';
    const status = kind === 'ponding' ? 'remediating' : kind === 'risk' ? 'managed' : fixed.has(i) ? 'hazard_fixed' : 'inspected';
    const deep = kind !== 'inspection';
    const k = (seq.get(c.road.id) ?? 0) + 1;
    seq.set(c.road.id, k);
    const label = { ponding: ['易涝积水点', 'ponding point'], risk: ['内涝风险点', 'waterlogging risk point'], inspection: ['排查点', 'inspection point'] }[kind];
    return feature({ type: 'Point', coordinates: c.p }, {
      id: `WL-${String(i + 1).padStart(3, '0')}`,
      name: `${c.road.name.zh}${label[0]}${k}`,
      name_en: `${c.road.name.en} ${label[1]} ${k}`,
      district: c.a.spec.district,
      road: c.road.name.zh,
      kind,
      status,
      depth_cm: deep ? rng.int(15, 45) : rng.int(0, 14),
      last_inspected: isoDate(rng, '2024-03-01', '2024-06-20'),
      remediation_pct: kind === 'ponding' ? pondingPct[pi++]! : null,
    });
  });
}

/** 96 square management cells laid over the blocks, clipped to the coast. */
function buildGridCells(areas: UrbanArea[], land: LandIndex): Feature<Polygon | MultiPolygon>[] {
  const totalBlocks = areas.reduce((s, a) => s + a.blocks.length, 0);
  const targets = partitionInteger(FIGURES.gridCells, areas.map((a) => a.blocks.length / totalBlocks));
  const out: Feature<Polygon | MultiPolygon>[] = [];
  areas.forEach((a, ai) => {
    const target = targets[ai]!;
    const m = ROAD_SETBACK + 12;
    const u0 = Math.min(...a.blocks.map((b) => b.u0)) - m;
    const v0 = Math.min(...a.blocks.map((b) => b.v0)) - m;
    const u1 = Math.max(...a.blocks.map((b) => b.u1)) + m;
    const v1 = Math.max(...a.blocks.map((b) => b.v1)) + m;
    const cellsFor = (size: number): { r: Rect; cover: number }[] => {
      const cells: { r: Rect; cover: number }[] = [];
      for (let u = u0; u < u1 - 1; u += size) {
        for (let v = v0; v < v1 - 1; v += size) {
          const r: Rect = { u0: u, v0: v, u1: u + size, v1: v + size, roadSide: null, road: null };
          const cover = a.blocks.reduce((s, b) => s + Math.max(0, Math.min(r.u1, b.u1) - Math.max(r.u0, b.u0)) * Math.max(0, Math.min(r.v1, b.v1) - Math.max(r.v0, b.v0)), 0);
          if (cover > 0) cells.push({ r, cover });
        }
      }
      return cells;
    };
    // The largest cell size that still needs at least `target` cells to cover the blocks.
    let size = 2000;
    while (size > 100 && cellsFor(size).length < target) size -= 5;
    const cells = cellsFor(size).sort((x, y) => y.cover - x.cover).slice(0, target);
    cells.sort((x, y) => x.r.v0 - y.r.v0 || x.r.u0 - y.r.u0);
    const island = land.polygonAt(a.toLonLat(0, 0))!;
    cells.forEach((c, k) => {
      const cell = polygonOf(a, c.r);
      const clipped = intersect({ type: 'FeatureCollection', features: [feature(cell, {}), feature(island, {})] });
      if (!clipped) throw new Error('demo data: a grid cell lies in the sea');
      const geometry = roundGeometry(clipped.geometry);
      out.push(feature(geometry, {
        id: `G${String(out.length + 1).padStart(2, '0')}`,
        name: `${a.spec.name.zh}网格${String(k + 1).padStart(2, '0')}`,
        name_en: `${a.spec.name.en} grid ${String(k + 1).padStart(2, '0')}`,
        district: a.spec.district,
        review: k % 3 === 0 ? 'city_reviewed' : 'self_reviewed',
      }));
    });
  });
  return out;
}

function roundGeometry(g: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const ring = (r: Position[]): Position[] => r.map(roundPos);
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(ring)) };
}

function buildRoads(areas: UrbanArea[], land: LandIndex): FeatureCollection<LineString> {
  const features: Feature<LineString>[] = [];
  for (const a of areas) {
    for (const road of a.roads) {
      road.runs.forEach((run, k) => {
        features.push(feature({ type: 'LineString', coordinates: [run[0]!, run[run.length - 1]!].map(([u, v]) => roundPos(a.toLonLat(u, v))) }, {
          id: `${road.id}${road.runs.length > 1 ? `-${k + 1}` : ''}`,
          name: road.name.zh,
          name_en: road.name.en,
          class: road.cls,
        }));
      });
    }
  }
  // Schematic links between the towns, kept where they run over land.
  const byKey = (k: string): UrbanArea => areas.find((a) => a.spec.key === k)!;
  const links: [string, string, string, string][] = [
    ['dinghai', 'lincheng', '定临干线', 'Dinghai–Lincheng arterial'],
    ['lincheng', 'shenjiamen', '临沈干线', 'Lincheng–Shenjiamen arterial'],
    ['lincheng', 'baiquan', '临白干线', 'Lincheng–Baiquan arterial'],
    ['dinghai', 'baiquan', '定白干线', 'Dinghai–Baiquan arterial'],
  ];
  for (const [from, to, zh, en] of links) {
    const p = byKey(from).spec.centre;
    const q = byKey(to).spec.centre;
    const n = 200;
    let run: Position[] = [];
    const runs: Position[][] = [];
    for (let i = 0; i <= n; i++) {
      const pt = roundPos([p[0] + ((q[0] - p[0]) * i) / n, p[1] + ((q[1] - p[1]) * i) / n]);
      if (land.isOnLand(pt)) run.push(pt);
      else {
        if (run.length > 4) runs.push(run);
        run = [];
      }
    }
    if (run.length > 4) runs.push(run);
    runs.forEach((r, k) => {
      features.push(feature({ type: 'LineString', coordinates: [r[0]!, r[r.length - 1]!] }, {
        id: `link-${from}-${to}${runs.length > 1 ? `-${k + 1}` : ''}`,
        name: zh,
        name_en: en,
        class: 'main',
      }));
    });
  }
  return { type: 'FeatureCollection', features };
}

/** The towns named in FIGURES.md, plus the county seats of the outer islands. */
const PLACES: { zh: string; en: string; at: [number, number]; rank: number }[] = [
  { zh: '定海', en: 'Dinghai', at: [122.103, 30.018], rank: 1 },
  { zh: '临城', en: 'Lincheng', at: [122.203, 29.995], rank: 1 },
  { zh: '沈家门', en: 'Shenjiamen', at: [122.295, 29.945], rank: 1 },
  { zh: '白泉', en: 'Baiquan', at: [122.19, 30.06], rank: 2 },
  { zh: '岱山', en: 'Daishan', at: [122.205, 30.245], rank: 2 },
  { zh: '嵊泗', en: 'Shengsi', at: [122.452, 30.725], rank: 2 },
];

function buildPlaces(land: LandIndex): FeatureCollection<Point> {
  const features = PLACES.map((p, i) => {
    if (!land.isOnLand(p.at)) throw new Error(`place ${p.en} is not on land`);
    return feature({ type: 'Point', coordinates: p.at }, { id: `place-${i + 1}`, name: p.zh, name_en: p.en, rank: p.rank });
  });
  return { type: 'FeatureCollection', features };
}
