/**
 * The covered parts of the targets (target ∩ union of service buffers) as polygons, for
 * drawing on the map. Figures come from serviceCoverage; this only has to look right, so
 * circles are polygons here (`steps` vertices each) and clipping is polyclip-ts's.
 *
 * To stay fast, each target is first classified by the exact scanline (scanline.ts): targets
 * with nothing in range are skipped, fully covered ones are returned whole, and only the
 * partly covered ones are clipped, each against the few buffers near it. Clipping is done
 * in the planar frame, relative to the target's corner, and the result projected back.
 * Pure like serviceCoverage, so it can run in the same worker.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { intersection, union } from 'polyclip-ts';
import type { Geom } from 'polyclip-ts';
import { checkServices, checkTargets } from './check-input.ts';
import { createLocalFrame } from './local-frame.ts';
import type { LocalFrame } from './local-frame.ts';
import { projectRegion } from './planar-region.ts';
import type { PlanarRegion } from './planar-region.ts';
import { createScanWorkspace, scanRegion } from './scanline.ts';
import { buildServiceShapes, checkRadius, findCandidates } from './service-shapes.ts';
import type { Candidates, RadiusOption, ServiceShapes } from './service-shapes.ts';

export interface CoveredGeometryOptions {
  /** As serviceCoverage's radius: ground metres, one for all or per feature. */
  radius: RadiusOption;
  /** Vertices of a full circle (default 48). */
  steps?: number;
}

const DEFAULTS = { steps: 48 } as const;

/** Shares this close to 0 or 1 are drawn as nothing or the whole target (1 mm² in 100 ha). */
const WHOLE = 1e-12;

/** Strip height (m) of the scan that tells uncovered, covered and partly covered targets apart. */
const CLASSIFY_STEP = 5;

type Ring = [number, number][];

/**
 * One feature per target that is at least partly covered, with the target's `id` and
 * `district`, in target order.
 */
export function coveredGeometry(
  targets: FeatureCollection,
  services: FeatureCollection,
  options: CoveredGeometryOptions,
): FeatureCollection<Polygon | MultiPolygon> {
  checkTargets(targets);
  checkServices(services);
  checkRadius(options?.radius);
  const { radius } = options;
  const steps = options.steps ?? DEFAULTS.steps;
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 4) {
    throw new Error(`steps must be a whole number ≥ 4, got ${String(steps)}`);
  }

  const frame = createLocalFrame();
  const shapes = buildServiceShapes(services.features, radius, frame);
  const workspace = createScanWorkspace();
  const features: Feature<Polygon | MultiPolygon>[] = [];
  targets.features.forEach((feature, i) => {
    const geometry = feature.geometry;
    const region = projectRegion(geometry, frame, `target ${i}`);
    const candidates = findCandidates(shapes, region.minX, region.minY, region.maxX, region.maxY);
    // A coarse scan is enough to tell none / all / some (curved ends are still integrated exactly).
    const { share } = scanRegion(region, shapes, candidates, [], CLASSIFY_STEP, workspace);
    if (share <= WHOLE) return;
    const props: Record<string, unknown> = feature.properties ?? {};
    const properties = { id: props.id ?? feature.id ?? String(i), district: props.district ?? null };
    if (share >= 1 - WHOLE) {
      features.push({ type: 'Feature', properties, geometry: cloneGeometry(geometry) });
      return;
    }
    const clipped = clipTarget(geometry, shapes, candidates, frame, region, steps);
    if (clipped) features.push({ type: 'Feature', properties, geometry: clipped });
  });
  return { type: 'FeatureCollection', features };
}

/**
 * target ∩ union(buffers near it), in planar metres relative to the target's corner, back in
 * lon/lat.
 * Capsules are drawn as a disc per distinct segment end plus a rectangle per segment rather
 * than as stadiums: neighbouring stadiums of a line or a park outline repeat the same arc at
 * their shared vertex, and near-identical edges are what makes polygon clippers fail. Convex
 * pieces are cut to the target's box first (exact for convex shapes, and most of a circle
 * lies outside a small target), and all coordinates are snapped to a millimetre grid.
 */
function clipTarget(
  geometry: Polygon | MultiPolygon,
  shapes: ServiceShapes,
  candidates: Candidates,
  frame: LocalFrame,
  region: PlanarRegion,
  steps: number,
): Polygon | MultiPolygon | null {
  const ox = region.minX;
  const oy = region.minY;
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const target: Ring[][] = parts.map((rings) =>
    rings.map((ring) => ring.map((p) => {
      const [x, y] = frame.forward(p[0]!, p[1]!);
      return [snap(x - ox), snap(y - oy)] as [number, number];
    })),
  );
  const clip: Box = [-1, -1, region.maxX - ox + 1, region.maxY - oy + 1];

  const pieces: Geom[] = [];
  const addConvex = (ring: Ring): void => {
    const cut = clipConvex(ring, clip);
    if (cut.length >= 3) pieces.push([closeRing(cut.map(([x, y]) => [snap(x), snap(y)] as [number, number]))]);
  };
  const discs = new Set<string>();
  const addDisc = (x: number, y: number, r: number): void => {
    const key = `${x},${y},${r}`;
    if (discs.has(key)) return;
    discs.add(key);
    addConvex(discRing(x - ox, y - oy, r, steps));
  };
  // A convex polygon served with a radius buffers to the convex hull of its vertex discs: one
  // piece instead of its interior plus a disc and a rectangle per edge.
  const hulled = new Set<number>();
  const owners = new Set<number>(candidates.polygons);
  for (const i of candidates.capsules) if (shapes.owner[i]! >= 0) owners.add(shapes.owner[i]!);
  for (const p of owners) {
    const { rings } = shapes.polygons[p]!;
    const r = shapes.polygonRadius[p]!;
    if (!(r > 0) || rings.length !== 1 || !isConvex(rings[0]!)) continue;
    hulled.add(p);
    const ring = rings[0]!;
    const points: Ring = [];
    for (let k = 0; k < ring.length; k += 2) points.push(...discRing(ring[k]! - ox, ring[k + 1]! - oy, r, steps));
    addConvex(convexHull(points));
  }
  // Likewise a straight line (a kerbside row of berths) is one stadium.
  const lines = new Map<number, number[]>();
  for (const i of candidates.capsules) {
    const id = shapes.path[i]!;
    if (id < 0) continue;
    const list = lines.get(id);
    if (list) list.push(i);
    else lines.set(id, [i]);
  }
  const straight = new Set<number>();
  for (const [id, caps] of lines) {
    if (!isStraight(shapes, caps)) continue;
    straight.add(id);
    const points: Ring = [];
    for (const i of caps) {
      points.push(...discRing(shapes.ax[i]! - ox, shapes.ay[i]! - oy, shapes.r[i]!, steps));
      points.push(...discRing(shapes.bx[i]! - ox, shapes.by[i]! - oy, shapes.r[i]!, steps));
    }
    addConvex(convexHull(points));
  }
  for (const i of candidates.capsules) {
    if (hulled.has(shapes.owner[i]!) || straight.has(shapes.path[i]!)) continue;
    const r = shapes.r[i]!;
    addDisc(shapes.ax[i]!, shapes.ay[i]!, r);
    if (!(shapes.len[i]! > 0)) continue;
    addDisc(shapes.bx[i]!, shapes.by[i]!, r);
    const nx = -shapes.uy[i]! * r;
    const ny = shapes.ux[i]! * r;
    const ax = shapes.ax[i]! - ox;
    const ay = shapes.ay[i]! - oy;
    const bx = shapes.bx[i]! - ox;
    const by = shapes.by[i]! - oy;
    addConvex([[ax - nx, ay - ny], [bx - nx, by - ny], [bx + nx, by + ny], [ax + nx, ay + ny]]);
  }
  for (const p of candidates.polygons) {
    if (hulled.has(p)) continue;
    pieces.push(shapes.polygons[p]!.rings.map((flat) => closeRing(flatToRing(flat, ox, oy))));
  }
  if (pieces.length === 0) return null;
  const cut = clipRobustly(target, pieces);
  if (!cut || cut.length === 0) return null;
  const lonLat = cut.map((poly) => poly.map((ring) => ring.map(([x, y]) => frame.inverse(x + ox, y + oy))));
  return lonLat.length === 1 ? { type: 'Polygon', coordinates: lonLat[0]! } : { type: 'MultiPolygon', coordinates: lonLat };
}

/**
 * target ∩ ∪ pieces. polyclip can still fail on nearly coincident edges; then the pieces are
 * cut to the target one by one and merged one at a time, leaving out any that will not merge,
 * so one awkward piece costs a sliver of the drawing rather than the whole target.
 */
function clipRobustly(target: Geom, pieces: Geom[]): Ring[][] | null {
  try {
    return intersection(target, pieces.length === 1 ? pieces[0]! : union(pieces[0]!, ...pieces.slice(1)));
  } catch {
    let merged: Ring[][] | null = null;
    for (const piece of pieces) {
      try {
        const part = intersection(target, piece);
        if (part.length === 0) continue;
        merged = merged ? union(merged, part) : part;
      } catch {
        // Left out: see above.
      }
    }
    return merged;
  }
}

/** A circle as a ring of `steps` vertices, counter-clockwise, not closed. */
function discRing(x: number, y: number, r: number, steps: number): Ring {
  const ring: Ring = [];
  for (let k = 0; k < steps; k++) {
    const t = (2 * Math.PI * k) / steps;
    ring.push([x + r * Math.cos(t), y + r * Math.sin(t)]);
  }
  return ring;
}

/**
 * Whether capsules of one line lie on one straight line (within 1 cm), with one radius: then
 * their union is the hull of their end discs. Only the capsules near the target are given,
 * which is enough: the rest of the line is outside the clip box.
 */
function isStraight(s: ServiceShapes, caps: readonly number[]): boolean {
  const first = caps[0]!;
  const ux = s.ux[first]!;
  const uy = s.uy[first]!;
  const ax = s.ax[first]!;
  const ay = s.ay[first]!;
  for (const i of caps) {
    if (s.r[i] !== s.r[first] || !(s.len[i]! > 0)) return false;
    // Distance of both ends from the first capsule's line, and the same direction.
    if (Math.abs((s.ax[i]! - ax) * uy - (s.ay[i]! - ay) * ux) > 0.01) return false;
    if (Math.abs((s.bx[i]! - ax) * uy - (s.by[i]! - ay) * ux) > 0.01) return false;
    if (s.ux[i]! * ux + s.uy[i]! * uy < 0) return false;
  }
  return true;
}

/** Whether a flat ring turns one way only (collinear vertices allowed). */
function isConvex(ring: Float64Array): boolean {
  const n = ring.length / 2;
  let sign = 0;
  for (let i = 0; i < n; i++) {
    const a = 2 * i;
    const b = 2 * ((i + 1) % n);
    const c = 2 * ((i + 2) % n);
    const cross = (ring[b]! - ring[a]!) * (ring[c + 1]! - ring[b + 1]!) - (ring[b + 1]! - ring[a + 1]!) * (ring[c]! - ring[b]!);
    if (cross === 0) continue;
    if (sign === 0) sign = Math.sign(cross);
    else if (Math.sign(cross) !== sign) return false;
  }
  return sign !== 0;
}

/** Andrew's monotone chain: the convex hull, counter-clockwise, not closed. */
function convexHull(points: Ring): Ring {
  const p = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const turn = (o: [number, number], a: [number, number], b: [number, number]): number =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Ring = [];
  for (const q of p) {
    while (lower.length >= 2 && turn(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Ring = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && turn(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/** [minX, minY, maxX, maxY] */
type Box = [number, number, number, number];

/** Sutherland–Hodgman: a convex ring (not closed) cut to a box; exact for convex input. */
function clipConvex(ring: Ring, box: Box): Ring {
  let out = ring;
  for (let side = 0; side < 4; side++) {
    const input = out;
    out = [];
    const inside = (p: [number, number]): boolean =>
      side === 0 ? p[0] >= box[0] : side === 1 ? p[1] >= box[1] : side === 2 ? p[0] <= box[2] : p[1] <= box[3];
    const cross = (p: [number, number], q: [number, number]): [number, number] => {
      if (side === 0 || side === 2) {
        const x = side === 0 ? box[0] : box[2];
        return [x, p[1] + ((x - p[0]) * (q[1] - p[1])) / (q[0] - p[0])];
      }
      const y = side === 1 ? box[1] : box[3];
      return [p[0] + ((y - p[1]) * (q[0] - p[0])) / (q[1] - p[1]), y];
    };
    for (let i = 0; i < input.length; i++) {
      const p = input[i]!;
      const q = input[(i + 1) % input.length]!;
      const pIn = inside(p);
      const qIn = inside(q);
      if (pIn) out.push(p);
      if (pIn !== qIn) out.push(cross(p, q));
    }
    if (out.length === 0) return out;
  }
  return out;
}

/** A millimetre grid: exactly equal coordinates where pieces meet, well below what a map shows. */
function snap(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function flatToRing(flat: Float64Array, ox: number, oy: number): Ring {
  const ring: Ring = [];
  for (let i = 0; i < flat.length; i += 2) ring.push([snap(flat[i]! - ox), snap(flat[i + 1]! - oy)]);
  return ring;
}

function closeRing(ring: Ring): Ring {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push([first[0], first[1]]);
  return ring;
}

function cloneGeometry(g: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const ring = (r: Position[]): Position[] => r.map((p) => p.slice());
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(ring)) };
}

