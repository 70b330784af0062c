/**
 * A site (a station, a berth line, a park) in the coverage engine's planar frame, for the
 * one question planning asks of it over and over: how far is this point from the site?
 * Inside a polygon the distance is 0, as a park serves its own interior. Pure geometry.
 */
import type { Geometry, Position } from 'geojson';
import type { LocalFrame } from '../coverage/local-frame.ts';
import { projectPosition } from '../coverage/planar-region.ts';

export interface PlanarSite {
  /** Isolated points, flat [x0, y0, x1, y1, …]. */
  readonly points: Float64Array;
  /** Segments of lines and polygon boundaries, flat [ax, ay, bx, by, …]. */
  readonly segments: Float64Array;
  /** Polygon rings (all parts, holes too, read even–odd), each flat and not closed. */
  readonly rings: readonly Float64Array[];
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

/** The site of a geometry; `what` names it in error messages. An empty geometry gives an empty site. */
export function planarSite(geometry: Geometry | null, frame: LocalFrame, what: string): PlanarSite {
  const points: number[] = [];
  const segments: number[] = [];
  const rings: Float64Array[] = [];
  const line = (coords: readonly Position[], closed: boolean): number[] => {
    const flat: number[] = [];
    for (const p of coords) {
      const [x, y] = projectPosition(p, frame, what);
      const n = flat.length;
      if (n >= 2 && flat[n - 2] === x && flat[n - 1] === y) continue;
      flat.push(x, y);
    }
    // GeoJSON repeats a ring's first position at its end.
    if (closed && flat.length >= 4 && flat[0] === flat[flat.length - 2] && flat[1] === flat[flat.length - 1]) flat.length -= 2;
    const n = flat.length / 2;
    if (n === 1) points.push(flat[0]!, flat[1]!);
    for (let i = 0; i + 1 < n; i++) segments.push(flat[2 * i]!, flat[2 * i + 1]!, flat[2 * i + 2]!, flat[2 * i + 3]!);
    if (closed && n >= 3) segments.push(flat[2 * n - 2]!, flat[2 * n - 1]!, flat[0]!, flat[1]!);
    return flat;
  };
  const visit = (g: Geometry): void => {
    switch (g.type) {
      case 'Point':
        if (g.coordinates.length >= 2) line([g.coordinates], false);
        return;
      case 'MultiPoint':
        for (const p of g.coordinates) line([p], false);
        return;
      case 'LineString':
        line(g.coordinates, false);
        return;
      case 'MultiLineString':
        for (const l of g.coordinates) line(l, false);
        return;
      case 'Polygon':
      case 'MultiPolygon':
        for (const part of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
          for (const ring of part) {
            const flat = line(ring, true);
            if (flat.length >= 6) rings.push(Float64Array.from(flat));
          }
        }
        return;
      case 'GeometryCollection':
        g.geometries.forEach(visit);
        return;
    }
  };
  if (geometry) visit(geometry);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const grow = (xs: ArrayLike<number>): void => {
    for (let i = 0; i < xs.length; i += 2) {
      const x = xs[i]!;
      const y = xs[i + 1]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  };
  grow(points);
  grow(segments);
  return { points: Float64Array.from(points), segments: Float64Array.from(segments), rings, minX, minY, maxX, maxY };
}

/** True when the site has nothing to measure from. */
export function isEmptySite(site: PlanarSite): boolean {
  return !(site.maxX >= site.minX);
}

/** Whether (x, y) lies inside the rings, even–odd. */
export function insideRings(rings: readonly Float64Array[], x: number, y: number): boolean {
  let inside = false;
  for (const ring of rings) {
    const n = ring.length;
    let x0 = ring[n - 2]!;
    let y0 = ring[n - 1]!;
    for (let i = 0; i < n; i += 2) {
      const x1 = ring[i]!;
      const y1 = ring[i + 1]!;
      if (y0 > y !== y1 > y && x < x0 + ((y - y0) * (x1 - x0)) / (y1 - y0)) inside = !inside;
      x0 = x1;
      y0 = y1;
    }
  }
  return inside;
}

/** Squared distance from (x, y) to the site; 0 inside a polygon of it. */
export function distanceSquared(site: PlanarSite, x: number, y: number): number {
  let best = Infinity;
  const p = site.points;
  for (let i = 0; i < p.length; i += 2) {
    const dx = x - p[i]!;
    const dy = y - p[i + 1]!;
    const d = dx * dx + dy * dy;
    if (d < best) best = d;
  }
  const s = site.segments;
  for (let i = 0; i < s.length; i += 4) {
    const ax = s[i]!;
    const ay = s[i + 1]!;
    const vx = s[i + 2]! - ax;
    const vy = s[i + 3]! - ay;
    const wx = x - ax;
    const wy = y - ay;
    const len2 = vx * vx + vy * vy;
    const t = len2 > 0 ? Math.max(0, Math.min(1, (wx * vx + wy * vy) / len2)) : 0;
    const dx = wx - t * vx;
    const dy = wy - t * vy;
    const d = dx * dx + dy * dy;
    if (d < best) best = d;
  }
  if (best > 0 && site.rings.length > 0 && insideRings(site.rings, x, y)) return 0;
  return best;
}

/** A point of the site to stand for it (its first position), for the frame's scale factor. */
export function anchorOf(site: PlanarSite): [number, number] | null {
  if (site.points.length >= 2) return [site.points[0]!, site.points[1]!];
  if (site.segments.length >= 2) return [site.segments[0]!, site.segments[1]!];
  return null;
}
