/**
 * The figures a measuring tool writes on the map: the total (ellipsoidal length of a line,
 * ellipsoidal area of a polygon), each segment's length at its middle, and where the total
 * goes (the line's last point; inside the polygon). Used both while the shape is drawn,
 * with the stretch to the pointer included, and for the finished shape.
 *
 * Repeated vertices (a drawing tool repeats the last point under the pointer) make no
 * segment, so no "0 m" label sits on a corner.
 */
import type { LineString, Polygon, Position } from 'geojson';
import { geodesicArea, geodesicLength } from './geodesic.ts';

export interface SketchMeasure {
  kind: 'line' | 'area';
  /** m for a line, m² for a polygon, on the GRS80 ellipsoid. */
  value: number;
  /** Each segment's geodesic length in m, labelled at its middle (in lon/lat, where the map draws it). */
  segments: { length: number; at: [number, number] }[];
  /** Where the total is written. */
  labelAt: [number, number];
}

const same = (a: Position, b: Position): boolean => a[0] === b[0] && a[1] === b[1];

/** The path without repeated consecutive vertices. */
function distinct(path: readonly Position[]): Position[] {
  const out: Position[] = [];
  for (const p of path) if (!out.length || !same(out[out.length - 1]!, p)) out.push(p);
  return out;
}

function segmentsOf(path: readonly Position[]): SketchMeasure['segments'] {
  const out: SketchMeasure['segments'] = [];
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1]!;
    const b = path[i]!;
    out.push({ length: geodesicLength({ type: 'LineString', coordinates: [a, b] }), at: [(a[0]! + b[0]!) / 2, (a[1]! + b[1]!) / 2] });
  }
  return out;
}

/** Whether `p` is inside `ring` (even–odd rule, in lon/lat). */
function inside(p: readonly number[], ring: readonly Position[]): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > p[1]! !== yj > p[1]! && p[0]! < ((xj - xi) * (p[1]! - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/**
 * A point inside the ring for its label: the area centroid when it lies inside, else the
 * middle of the widest inside stretch of the horizontal line through it (as GEOS's
 * InteriorPoint does), so a U-shaped area is not labelled in its gap.
 */
function labelPoint(ring: readonly Position[]): [number, number] {
  // Relative to the first corner: products of 122-degree longitudes would lose the digits that matter.
  const [x0, y0] = ring[0] as [number, number];
  let a2 = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]! - x0;
    const yi = ring[i]![1]! - y0;
    const xj = ring[j]![0]! - x0;
    const yj = ring[j]![1]! - y0;
    const f = xj * yi - xi * yj;
    a2 += f;
    cx += (xi + xj) * f;
    cy += (yi + yj) * f;
  }
  const mean = (k: 0 | 1): number => ring.reduce((s, p) => s + p[k]!, 0) / ring.length;
  const c: [number, number] = a2 === 0 ? [mean(0), mean(1)] : [x0 + cx / (3 * a2), y0 + cy / (3 * a2)];
  if (inside(c, ring)) return c;
  const xs: number[] = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > c[1] !== yj > c[1]) xs.push(xi + ((c[1] - yi) * (xj - xi)) / (yj - yi));
  }
  xs.sort((p, q) => p - q);
  let best: [number, number] = [ring[0]![0]!, ring[0]![1]!];
  let width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1]! - xs[i]! > width) {
      width = xs[i + 1]! - xs[i]!;
      best = [(xs[i]! + xs[i + 1]!) / 2, c[1]];
    }
  }
  return best;
}

/** The figures of a line or polygon being measured. Throws on another geometry type. */
export function measureSketch(geometry: LineString | Polygon): SketchMeasure {
  if (geometry?.type === 'LineString') {
    const path = distinct(geometry.coordinates);
    if (path.length === 0) throw new Error('the line has no points');
    const end = path[path.length - 1]!;
    return { kind: 'line', value: geodesicLength({ type: 'LineString', coordinates: path }), segments: segmentsOf(path), labelAt: [end[0]!, end[1]!] };
  }
  if (geometry?.type === 'Polygon') {
    const ring = distinct(geometry.coordinates[0] ?? []);
    if (ring.length === 0) throw new Error('the polygon has no points');
    // Closed for the segments (the closing side is a side too), open for the label point.
    const closed = same(ring[0]!, ring[ring.length - 1]!) ? ring : [...ring, ring[0]!];
    const open = closed.slice(0, -1);
    return {
      kind: 'area',
      value: open.length >= 3 ? geodesicArea({ type: 'Polygon', coordinates: [closed] }) : 0,
      segments: segmentsOf(closed),
      labelAt: open.length >= 3 ? labelPoint(open) : [ring[0]![0]!, ring[0]![1]!],
    };
  }
  throw new Error('a line or a polygon is required');
}
