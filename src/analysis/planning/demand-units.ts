/**
 * Residential land cut into small demand units for the covering models: each community
 * polygon is clipped to the squares of a grid (in the coverage engine's planar frame,
 * aligned to multiples of the cell size so units do not move between runs), and each
 * piece becomes a unit at its centroid, weighted by its area.
 *
 * A unit counts as within a site's reach when its centroid is: the classic discretisation
 * of the maximal covering location problem. With 25 m cells and radii of 300–500 m the
 * error is a thin band at the edge of each circle, and the app never reports it: the
 * final figures of any suggestion come from the exact coverage engine. Weights are
 * ellipsoidal m² (each piece's planar area scaled by its community's geodesic/planar
 * ratio), so they add up to the engine's residential area.
 */
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { LocalFrame } from '../coverage/local-frame.ts';
import { projectRing } from '../coverage/planar-region.ts';
import { geodesicArea } from '../geodesic.ts';

export interface DemandUnits {
  readonly count: number;
  /**
   * Units are sorted by grid row, then by x: row r's units are rowStart[r − row0] up to
   * rowStart[r − row0 + 1], which is what `unitsWithin` searches.
   */
  readonly row0: number;
  readonly rowStart: Int32Array;
  /** Planar centroid of each unit. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Ellipsoidal m² of each unit. */
  readonly weight: Float64Array;
  /** Index of the target feature each unit is part of. */
  readonly target: Int32Array;
  /** Σ weight: the residential land's area, m². */
  readonly total: number;
  /** Cell side, metres. */
  readonly cell: number;
}

export interface DemandUnitOptions {
  /** Cell side in planar metres (default 25). */
  cell?: number;
  /** Checked between targets. */
  signal?: AbortSignal;
}

const DEFAULTS = { cell: 25 } as const;

/** A polygon part in the frame: rings flat, the first the outer one. */
type Part = Float64Array[];

/** Units of every polygon of `targets`; other geometries are skipped. */
export function buildDemandUnits(targets: FeatureCollection, frame: LocalFrame, options: DemandUnitOptions = {}): DemandUnits {
  const cell = options.cell ?? DEFAULTS.cell;
  if (typeof cell !== 'number' || !Number.isFinite(cell) || cell <= 0) throw new Error(`cell must be a positive number of metres, got ${String(cell)}`);
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  const ts: number[] = [];
  const rs: number[] = [];
  targets.features.forEach((feature, i) => {
    options.signal?.throwIfAborted();
    const g = feature?.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return;
    const parts = projectParts(g, frame, `target ${i}`);
    const planar = parts.reduce((s, p) => s + partArea(p), 0);
    if (!(planar > 0)) return;
    const scale = geodesicArea(g) / planar;
    // Pieces of different parts in one cell stay separate units: harmless, and rare.
    for (const part of parts) cutPart(part, cell, scale, i, { xs, ys, ws, rs, ts });
  });
  // Sorted by row, then x.
  const n = xs.length;
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => rs[a]! - rs[b]! || xs[a]! - xs[b]!);
  const row0 = n > 0 ? rs[order[0]!]! : 0;
  const rows = n > 0 ? rs[order[n - 1]!]! - row0 + 1 : 0;
  const rowStart = new Int32Array(rows + 1);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const weight = new Float64Array(n);
  const target = new Int32Array(n);
  order.forEach((k, at) => {
    x[at] = xs[k]!;
    y[at] = ys[k]!;
    weight[at] = ws[k]!;
    target[at] = ts[k]!;
    rowStart[rs[k]! - row0 + 1]!++;
  });
  for (let r = 0; r < rows; r++) rowStart[r + 1]! += rowStart[r]!;
  let total = 0;
  for (const w of weight) total += w;
  return { count: n, row0, rowStart, x, y, weight, target, total, cell };
}

/** Where cutPart puts each piece: centroid, weight, grid row and target. */
interface Sink {
  xs: number[];
  ys: number[];
  ws: number[];
  rs: number[];
  ts: number[];
}

function projectParts(g: Polygon | MultiPolygon, frame: LocalFrame, what: string): Part[] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const parts: Part[] = [];
  for (const poly of polys) {
    const rings: Float64Array[] = [];
    for (const ring of poly) {
      const flat = projectRing(ring, frame, what);
      // A degenerate outer ring drops its holes with it.
      if (flat) rings.push(flat);
      else if (rings.length === 0) break;
    }
    if (rings.length > 0) parts.push(rings);
  }
  return parts;
}

/** Area of a part: its outer ring less its holes, whatever their winding. */
function partArea(part: Part): number {
  let a = 0;
  part.forEach((ring, k) => {
    const r = Math.abs(ringMoments(ring, ring.length / 2)[0]);
    a += k === 0 ? r : -r;
  });
  return a;
}

/** Signed area and its first moments [A, A·cx, A·cy] of a flat ring of n vertices. */
function ringMoments(ring: ArrayLike<number>, n: number): [number, number, number] {
  let a = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    const j = i + 1 === n ? 0 : i + 1;
    const x0 = ring[2 * i]!;
    const y0 = ring[2 * i + 1]!;
    const x1 = ring[2 * j]!;
    const y1 = ring[2 * j + 1]!;
    const c = x0 * y1 - x1 * y0;
    a += c;
    mx += (x0 + x1) * c;
    my += (y0 + y1) * c;
  }
  return [a / 2, mx / 6, my / 6];
}

/**
 * Clips the part to each grid cell it meets and reports each non-empty piece's area and
 * centroid. Each ring is clipped to a row's band (Sutherland–Hodgman, exact for area and
 * centroid even for concave rings: the zero-width edges it may leave enclose nothing);
 * the band's columns then come from Green's theorem: the area and first moments of a
 * region are integrals along its boundary in dx (A = −∮ y dx, Mx = −∮ xy dx,
 * My = −½∮ y² dx), and the sides a column adds to the region are vertical, where dx is 0.
 * So each column's figures are the integrals of the ring's edges over that column's x
 * range alone: no cell is clipped.
 */
function cutPart(part: Part, cell: number, scale: number, target: number, sink: Sink): void {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const outer = part[0]!;
  for (let i = 0; i < outer.length; i += 2) {
    minX = Math.min(minX, outer[i]!);
    maxX = Math.max(maxX, outer[i]!);
    minY = Math.min(minY, outer[i + 1]!);
    maxY = Math.max(maxY, outer[i + 1]!);
  }
  const row0 = Math.floor(minY / cell);
  const row1 = Math.ceil(maxY / cell);
  const col0 = Math.floor(minX / cell);
  const cols = Math.ceil(maxX / cell) - col0;
  if (cols <= 0) return;
  // Outer ring counts, holes subtract, whatever the winding: one sign per ring.
  const signs = part.map((ring, k) => (k === 0 ? 1 : -1) * Math.sign(ringMoments(ring, ring.length / 2)[0]));
  // Plain loops below, no closures: this runs for every row of every community.
  const A = new Float64Array(cols);
  const MX = new Float64Array(cols);
  const MY = new Float64Array(cols);
  for (let r = row0; r < row1; r++) {
    const y0 = r * cell;
    const y1 = y0 + cell;
    A.fill(0);
    MX.fill(0);
    MY.fill(0);
    for (let k = 0; k < part.length; k++) {
      const band = clip(clip(part[k]!, 1, y0, 1), 1, y1, -1);
      const n = band.length / 2;
      if (n < 3) continue;
      const sign = signs[k]!;
      for (let i = 0; i < n; i++) {
        const j = i + 1 === n ? 0 : i + 1;
        const xa = band[2 * i]!;
        const ya = band[2 * i + 1]!;
        const xb = band[2 * j]!;
        const yb = band[2 * j + 1]!;
        if (xa === xb) continue;
        const dir = xb > xa ? -sign : sign;
        const lo = Math.min(xa, xb);
        const hi = Math.max(xa, xb);
        const slope = (yb - ya) / (xb - xa);
        const c1 = Math.min(cols - 1, Math.floor(hi / cell) - col0);
        for (let c = Math.max(0, Math.floor(lo / cell) - col0); c <= c1; c++) {
          const u0 = Math.max(lo, (col0 + c) * cell);
          const u1 = Math.min(hi, (col0 + c + 1) * cell);
          if (!(u1 > u0)) continue;
          const v0 = ya + slope * (u0 - xa);
          const v1 = ya + slope * (u1 - xa);
          const w = u1 - u0;
          A[c]! += dir * w * (v0 + v1) / 2;
          MX[c]! += dir * w * (u0 * (2 * v0 + v1) + u1 * (v0 + 2 * v1)) / 6;
          MY[c]! += dir * w * (v0 * v0 + v0 * v1 + v1 * v1) / 6;
        }
      }
    }
    for (let c = 0; c < cols; c++) {
      const a = A[c]!;
      // Below a square millimetre a piece is rounding, not land.
      if (a > 1e-6) {
        sink.xs.push(MX[c]! / a);
        sink.ys.push(MY[c]! / a);
        sink.ws.push(a * scale);
        sink.rs.push(r);
        sink.ts.push(target);
      }
    }
  }
}

/**
 * The part of a flat ring on one side of an axis-parallel line: axis 0 is x = at, 1 is
 * y = at; dir 1 keeps coordinates ≥ at, −1 keeps ≤ at.
 */
function clip(ring: Float64Array | number[], axis: 0 | 1, at: number, dir: 1 | -1): number[] {
  const out: number[] = [];
  const n = ring.length / 2;
  if (n === 0) return out;
  let prev = n - 1;
  let prevIn = dir * (ring[2 * prev + axis]! - at) >= 0;
  for (let i = 0; i < n; i++) {
    const curIn = dir * (ring[2 * i + axis]! - at) >= 0;
    if (curIn !== prevIn) {
      const ax = ring[2 * prev]!;
      const ay = ring[2 * prev + 1]!;
      const bx = ring[2 * i]!;
      const by = ring[2 * i + 1]!;
      const t = ((axis === 0 ? ax : ay) - at) / ((axis === 0 ? ax : ay) - (axis === 0 ? bx : by));
      if (axis === 0) out.push(at, ay + t * (by - ay));
      else out.push(ax + t * (bx - ax), at);
    }
    if (curIn) out.push(ring[2 * i]!, ring[2 * i + 1]!);
    prev = i;
    prevIn = curIn;
  }
  return out;
}
