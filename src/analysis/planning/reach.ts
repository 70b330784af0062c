/**
 * Which demand units a site reaches: those whose centroid lies within the site's service
 * radius (for a park, of its boundary, or inside it). Radii are ground metres, scaled by
 * the frame's point scale factor as the coverage engine scales them.
 */
import type { Feature } from 'geojson';
import type { LocalFrame } from '../coverage/local-frame.ts';
import { resolveRadius, type RadiusOption } from '../coverage/service-shapes.ts';
import type { DemandUnits } from './demand-units.ts';
import { anchorOf, distanceSquared, isEmptySite, planarSite, type PlanarSite } from './planar-site.ts';

/**
 * The units within planar distance `r` of a site, ascending. Rows of units are searched by
 * binary search on x over the site's box grown by r; a lone point (a station) is tested
 * inline, anything else by its distance function.
 */
export function unitsWithin(units: DemandUnits, site: PlanarSite, r: number): Int32Array {
  if (units.count === 0 || isEmptySite(site) || !(r >= 0)) return new Int32Array(0);
  const r2 = r * r;
  const { x, y, rowStart, row0, cell } = units;
  const point = site.segments.length === 0 && site.rings.length === 0 && site.points.length === 2;
  const px = site.points[0] ?? 0;
  const py = site.points[1] ?? 0;
  const out: number[] = [];
  const rows = rowStart.length - 1;
  const first = Math.max(0, Math.floor((site.minY - r) / cell) - row0);
  const last = Math.min(rows - 1, Math.floor((site.maxY + r) / cell) - row0);
  const xMin = site.minX - r;
  const xMax = site.maxX + r;
  for (let row = first; row <= last; row++) {
    let lo = rowStart[row]!;
    let hi = rowStart[row + 1]!;
    const end = hi;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x[mid]! < xMin) lo = mid + 1;
      else hi = mid;
    }
    for (let u = lo; u < end && x[u]! <= xMax; u++) {
      if (point) {
        const dx = x[u]! - px;
        const dy = y[u]! - py;
        if (dx * dx + dy * dy <= r2) out.push(u);
      } else if (distanceSquared(site, x[u]!, y[u]!) <= r2) out.push(u);
    }
  }
  return Int32Array.from(out);
}

/** A feature's planar site and its planar radius, or null when it does not serve (a park too small to count). */
export function siteReach(feature: Feature, index: number, radius: RadiusOption, frame: LocalFrame): { site: PlanarSite; r: number; ground: number } | null {
  const ground = resolveRadius(radius, feature, index);
  if (ground === null || !feature?.geometry) return null;
  const site = planarSite(feature.geometry, frame, `site ${index}`);
  const anchor = anchorOf(site);
  if (!anchor) return null;
  const [lon, lat] = frame.inverse(anchor[0], anchor[1]);
  return { site, r: ground * frame.scaleAt(lon!, lat!), ground };
}

/** Marks the units within reach of any of `features`. */
export function coveredUnits(units: DemandUnits, features: readonly Feature[], radius: RadiusOption, frame: LocalFrame, signal?: AbortSignal): Uint8Array {
  const covered = new Uint8Array(units.count);
  features.forEach((f, i) => {
    signal?.throwIfAborted();
    const reach = siteReach(f, i, radius, frame);
    if (reach) for (const u of unitsWithin(units, reach.site, reach.r)) covered[u] = 1;
  });
  return covered;
}
