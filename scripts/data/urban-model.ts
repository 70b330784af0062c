/**
 * A schematic city model for the demo data: for each urban area a slightly rotated grid
 * of arterial roads, the blocks between them, and the parcels inside the blocks. The
 * thematic layers are carved out of these parcels, so plots sit along roads, parks and
 * residential communities do not overlap, and everything stays on land.
 *
 * Geometry is built in CGCS2000 Gauss–Krüger (EPSG:4550, metres) in a local frame per
 * area and only converted to longitude/latitude at the end.
 */
import type { Position } from 'geojson';
import { projector } from '../../src/crs/project.ts';
import type { LandIndex } from './land-index.ts';
import type { Rng } from './random.ts';

type DistrictId = 'dinghai' | 'putuo' | 'xincheng';

export interface UrbanAreaSpec {
  key: string;
  district: DistrictId;
  name: { zh: string; en: string };
  /** lon, lat of the area's centre */
  centre: [number, number];
  /** half extent in metres along the grid's u and v axes */
  half: [number, number];
  /** grid rotation, degrees counter-clockwise from east */
  angle: number;
  /** mean road spacing in metres */
  spacing: number;
}

/** The urban areas of Zhoushan Island named in the report (FIGURES.md, "Places"). */
export const URBAN_AREAS: readonly UrbanAreaSpec[] = [
  { key: 'dinghai', district: 'dinghai', name: { zh: '定海', en: 'Dinghai' }, centre: [122.103, 30.02], half: [2000, 1500], angle: 6, spacing: 430 },
  { key: 'lincheng', district: 'xincheng', name: { zh: '临城', en: 'Lincheng' }, centre: [122.205, 29.996], half: [2800, 1500], angle: -4, spacing: 480 },
  { key: 'shenjiamen', district: 'putuo', name: { zh: '沈家门', en: 'Shenjiamen' }, centre: [122.297, 29.952], half: [2400, 1300], angle: 14, spacing: 420 },
  { key: 'baiquan', district: 'dinghai', name: { zh: '白泉', en: 'Baiquan' }, centre: [122.19, 30.058], half: [1100, 850], angle: 0, spacing: 400 },
];

export type Side = 'S' | 'N' | 'W' | 'E';

interface RoadLine {
  id: string;
  name: { zh: string; en: string };
  cls: 'main' | 'secondary';
  /** runs of the line that lie on land, in local (u, v) metres */
  runs: [number, number][][];
}

export interface Rect {
  u0: number;
  v0: number;
  u1: number;
  v1: number;
  /** the side facing an arterial road, if any */
  roadSide: Side | null;
  road: RoadLine | null;
}

export interface Block extends Rect {
  sides: Record<Side, RoadLine>;
}

export interface UrbanArea {
  spec: UrbanAreaSpec;
  toLonLat(u: number, v: number): Position;
  roads: RoadLine[];
  blocks: Block[];
  /** free parcels, consumed by the layer generators */
  parcels: Rect[];
}

const ZH_NUM = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];

/** Half the road corridor: block edges sit this far from a road's centre line. */
export const ROAD_SETBACK = 16;
/** Width of the local streets between parcels. */
const LANE = 12;

function gridPositions(half: number, spacing: number, rng: Rng): number[] {
  const n = Math.max(2, Math.round((2 * half) / spacing));
  const step = (2 * half) / n;
  const out: number[] = [];
  for (let i = 0; i <= n; i++) {
    const jitter = i === 0 || i === n ? 0 : rng.uniform(-0.15, 0.15) * step;
    out.push(-half + i * step + jitter);
  }
  return out;
}

export function buildUrbanArea(spec: UrbanAreaSpec, land: LandIndex, rng: Rng): UrbanArea {
  const toGk = projector('EPSG:4326', 'EPSG:4550');
  const toGeo = projector('EPSG:4550', 'EPSG:4326');
  const [ox, oy] = toGk(spec.centre) as [number, number];
  const th = (spec.angle * Math.PI) / 180;
  const cos = Math.cos(th);
  const sin = Math.sin(th);
  const toLonLat = (u: number, v: number): Position => toGeo([ox + u * cos - v * sin, oy + u * sin + v * cos]);
  const onLand = (u: number, v: number): boolean => land.isOnLand(toLonLat(u, v));

  const U = gridPositions(spec.half[0], spec.spacing, rng);
  const V = gridPositions(spec.half[1], spec.spacing, rng);
  const overrun = spec.spacing * 0.6;

  // Towns are not rectangles: keep the blocks inside a wobbly ellipse, so the built-up
  // edge looks grown rather than ruled.
  const ph1 = rng.uniform(0, 2 * Math.PI);
  const ph2 = rng.uniform(0, 2 * Math.PI);
  const footprint = (u: number, v: number, slack = 1): boolean => {
    const x = u / spec.half[0];
    const y = v / spec.half[1];
    const th = Math.atan2(y, x);
    const r = 0.92 + 0.16 * Math.sin(2 * th + ph1) + 0.1 * Math.sin(3 * th + ph2);
    return x * x + y * y <= r * r * slack * slack;
  };

  const line = (id: string, zh: string, en: string, cls: RoadLine['cls'], pts: [number, number][]): RoadLine => {
    // Keep only the stretches on land: the grid is laid over a real, irregular coast.
    const runs: [number, number][][] = [];
    let run: [number, number][] = [];
    for (const p of pts) {
      if (footprint(p[0], p[1], 1.18) && onLand(p[0], p[1])) run.push(p);
      else {
        if (run.length >= 8) runs.push(run);
        run = [];
      }
    }
    if (run.length >= 8) runs.push(run);
    return { id, name: { zh, en }, cls, runs };
  };
  const sample = (a: [number, number], b: [number, number]): [number, number][] => {
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const n = Math.max(1, Math.ceil(len / 20));
    return Array.from({ length: n + 1 }, (_, k) => [a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
  };

  const cls = (i: number, n: number): RoadLine['cls'] => (i % 2 === 0 || i === n ? 'main' : 'secondary');
  const vertical = U.map((u, i) =>
    line(`${spec.key}-ns-${i + 1}`, `${spec.name.zh}纵${ZH_NUM[i + 1]}路`, `${spec.name.en} N–S Road ${i + 1}`, cls(i, U.length - 1),
      sample([u, V[0]! - overrun], [u, V[V.length - 1]! + overrun])),
  );
  const horizontal = V.map((v, j) =>
    line(`${spec.key}-ew-${j + 1}`, `${spec.name.zh}横${ZH_NUM[j + 1]}路`, `${spec.name.en} E–W Road ${j + 1}`, cls(j, V.length - 1),
      sample([U[0]! - overrun, v], [U[U.length - 1]! + overrun, v])),
  );

  const blocks: Block[] = [];
  for (let i = 0; i + 1 < U.length; i++) {
    for (let j = 0; j + 1 < V.length; j++) {
      const b = { u0: U[i]! + ROAD_SETBACK, u1: U[i + 1]! - ROAD_SETBACK, v0: V[j]! + ROAD_SETBACK, v1: V[j + 1]! - ROAD_SETBACK };
      if (!footprint((b.u0 + b.u1) / 2, (b.v0 + b.v1) / 2)) continue;
      let inside = true;
      for (let a = 0; a <= 6 && inside; a++) {
        for (let c = 0; c <= 6 && inside; c++) {
          inside = onLand(b.u0 + ((b.u1 - b.u0) * a) / 6, b.v0 + ((b.v1 - b.v0) * c) / 6);
        }
      }
      if (!inside) continue;
      blocks.push({ ...b, roadSide: null, road: null, sides: { W: vertical[i]!, E: vertical[i + 1]!, S: horizontal[j]!, N: horizontal[j + 1]! } });
    }
  }

  const parcels: Rect[] = [];
  for (const b of blocks) {
    const nx = rng.int(2, 3);
    const ny = rng.int(2, 3);
    const us = splits(b.u0, b.u1, nx, rng);
    const vs = splits(b.v0, b.v1, ny, rng);
    for (let a = 0; a < nx; a++) {
      for (let c = 0; c < ny; c++) {
        const touching: Side[] = [];
        if (a === 0) touching.push('W');
        if (a === nx - 1) touching.push('E');
        if (c === 0) touching.push('S');
        if (c === ny - 1) touching.push('N');
        // Prefer facing a main road: that is where the report's plots and berths are.
        const main = touching.filter((s) => b.sides[s].cls === 'main');
        const side = main.length > 0 ? rng.pick(main) : touching.length > 0 ? rng.pick(touching) : null;
        parcels.push({
          u0: us[a]! + (a === 0 ? 0 : LANE / 2),
          u1: us[a + 1]! - (a === nx - 1 ? 0 : LANE / 2),
          v0: vs[c]! + (c === 0 ? 0 : LANE / 2),
          v1: vs[c + 1]! - (c === ny - 1 ? 0 : LANE / 2),
          roadSide: side,
          road: side ? b.sides[side] : null,
        });
      }
    }
  }
  return { spec, toLonLat, roads: [...vertical, ...horizontal].filter((r) => r.runs.length > 0), blocks, parcels };
}

function splits(a: number, b: number, n: number, rng: Rng): number[] {
  const out = [a];
  for (let k = 1; k < n; k++) out.push(a + ((b - a) * k) / n + rng.uniform(-0.12, 0.12) * ((b - a) / n));
  out.push(b);
  return out;
}

export const rectArea = (r: Rect): number => (r.u1 - r.u0) * (r.v1 - r.v0);

/** Maps (along, across) measured from a rect's road side to a rect in (u, v). */
function sideRect(r: Rect, side: Side, a0: number, a1: number, c0: number, c1: number): Rect {
  switch (side) {
    case 'S':
      return { u0: r.u0 + a0, u1: r.u0 + a1, v0: r.v0 + c0, v1: r.v0 + c1, roadSide: null, road: null };
    case 'N':
      return { u0: r.u0 + a0, u1: r.u0 + a1, v0: r.v1 - c1, v1: r.v1 - c0, roadSide: null, road: null };
    case 'W':
      return { u0: r.u0 + c0, u1: r.u0 + c1, v0: r.v0 + a0, v1: r.v0 + a1, roadSide: null, road: null };
    case 'E':
      return { u0: r.u1 - c1, u1: r.u1 - c0, v0: r.v0 + a0, v1: r.v0 + a1, roadSide: null, road: null };
  }
}

export interface Carved {
  piece: Rect;
  rest: Rect[];
}

/**
 * Cuts a rectangle of about `area` m² out of a parcel's corner on its road side, frontage
 * `aspect` times its depth, and returns what is left as up to two rectangles.
 * Returns null when the parcel is too small.
 */
export function carve(r: Rect, area: number, aspect: number, gap = 6): Carved | null {
  const side: Side = r.roadSide ?? 'S';
  const alongLen = side === 'S' || side === 'N' ? r.u1 - r.u0 : r.v1 - r.v0;
  const acrossLen = side === 'S' || side === 'N' ? r.v1 - r.v0 : r.u1 - r.u0;
  let f = Math.sqrt(area * aspect);
  let d = area / f;
  if (f > alongLen) {
    f = alongLen;
    d = area / f;
  }
  if (d > acrossLen) return null;
  const piece = { ...sideRect(r, side, 0, f, 0, d), roadSide: r.roadSide, road: r.road };
  const rest: Rect[] = [];
  if (alongLen - f - gap > 20) rest.push({ ...sideRect(r, side, f + gap, alongLen, 0, acrossLen), roadSide: r.roadSide, road: r.road });
  if (acrossLen - d - gap > 20) rest.push(sideRect(r, side, 0, f, d + gap, acrossLen));
  return { piece, rest };
}

/** Corners of a rect, counter-clockwise, closed; optional chamfer for softer park outlines. */
export function rectRing(r: Rect, chamfer = 0): [number, number][] {
  if (chamfer <= 0) return [[r.u0, r.v0], [r.u1, r.v0], [r.u1, r.v1], [r.u0, r.v1], [r.u0, r.v0]];
  const c = Math.min(chamfer, (r.u1 - r.u0) / 3, (r.v1 - r.v0) / 3);
  return [
    [r.u0 + c, r.v0], [r.u1 - c, r.v0], [r.u1, r.v0 + c], [r.u1, r.v1 - c],
    [r.u1 - c, r.v1], [r.u0 + c, r.v1], [r.u0, r.v1 - c], [r.u0, r.v0 + c], [r.u0 + c, r.v0],
  ];
}

export function inset(r: Rect, d: number): Rect {
  return { ...r, u0: r.u0 + d, v0: r.v0 + d, u1: r.u1 - d, v1: r.v1 - d };
}

/** Point on a rect's road side, `t` (0–1) along it, `off` metres out towards the road. */
export function roadsidePoint(r: Rect, side: Side, t: number, off: number): [number, number] {
  switch (side) {
    case 'S':
      return [r.u0 + (r.u1 - r.u0) * t, r.v0 - off];
    case 'N':
      return [r.u0 + (r.u1 - r.u0) * t, r.v1 + off];
    case 'W':
      return [r.u0 - off, r.v0 + (r.v1 - r.v0) * t];
    case 'E':
      return [r.u1 + off, r.v0 + (r.v1 - r.v0) * t];
  }
}

export function sideLength(r: Rect, side: Side): number {
  return side === 'S' || side === 'N' ? r.u1 - r.u0 : r.v1 - r.v0;
}
