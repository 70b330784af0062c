/**
 * A (multi)polygon in the planar frame, as flat coordinate rings for the scanline: the shape
 * that targets, zones and polygon services all share. All rings of all parts are kept in one
 * list and read by the even–odd rule, so holes and the parts of a valid MultiPolygon need no
 * bookkeeping.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { LocalFrame } from './local-frame.ts';

export interface PlanarRegion {
  /** Rings as [x0, y0, x1, y1, …] without the closing vertex; each ring closes on itself. */
  readonly rings: readonly Float64Array[];
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

/** Project one ring; null when it has fewer than three distinct positions (it encloses nothing). */
export function projectRing(ring: readonly Position[], frame: LocalFrame, what: string): Float64Array | null {
  let n = ring.length;
  // GeoJSON repeats the first position at the end; the scanline closes rings itself.
  if (n > 1 && ring[0]![0] === ring[n - 1]![0] && ring[0]![1] === ring[n - 1]![1]) n--;
  if (n < 3) return null;
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [x, y] = projectPosition(ring[i]!, frame, what);
    out[2 * i] = x;
    out[2 * i + 1] = y;
  }
  return out;
}

/** One position in the frame; throws a message naming `what` when it has no planar image. */
export function projectPosition(p: Position, frame: LocalFrame, what: string): [number, number] {
  let q: [number, number] | null = null;
  try {
    q = frame.forward(p[0]!, p[1]!);
  } catch {
    // proj4 throws its own message on NaN; ours names the feature.
  }
  if (!q || !Number.isFinite(q[0]) || !Number.isFinite(q[1])) {
    throw new Error(`${what} has a position that cannot be projected: [${p.join(', ')}]`);
  }
  return q;
}

/** The planar region of a Polygon or MultiPolygon; `what` names it in error messages. */
export function projectRegion(geometry: Polygon | MultiPolygon, frame: LocalFrame, what: string): PlanarRegion {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const rings: Float64Array[] = [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      const flat = projectRing(ring, frame, what);
      if (flat) rings.push(flat);
    }
  }
  return regionOf(rings);
}

/** Bounds of flat rings; an empty region has inverted (infinite) bounds and is never scanned. */
export function regionOf(rings: readonly Float64Array[]): PlanarRegion {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i += 2) {
      const x = ring[i]!;
      const y = ring[i + 1]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return { rings, minX, minY, maxX, maxY };
}
