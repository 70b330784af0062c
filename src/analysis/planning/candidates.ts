/**
 * Candidate sites for "suggest": points along the road network at a set spacing, on the
 * pavement either side of the centreline (where stations and berths go), or the features
 * of a layer (idle plots to convert into pocket parks, any imported layer); and the
 * exclusions: candidates off the land, and those within a distance of a site already there.
 */
import Flatbush from 'flatbush';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { LocalFrame } from '../coverage/local-frame.ts';
import { projectPosition } from '../coverage/planar-region.ts';
import { distanceSquared, insideRings, isEmptySite, planarSite, type PlanarSite } from './planar-site.ts';

export interface RoadCandidateOptions {
  /** Metres between candidates along a road. */
  spacing: number;
  /** Metres from the centreline to the candidate, either side; 0 puts one on the centreline. */
  offset: number;
}

/**
 * Points every `spacing` m along each line of `roads` (from half a spacing in, so a short
 * road still gets one), `offset` m to its left and right. Each has an `id` (`R1`, `R2`…),
 * the `road` name when the road has one, and its `side`.
 */
export function roadCandidates(roads: FeatureCollection, options: RoadCandidateOptions, frame: LocalFrame): Feature<Point>[] {
  const { spacing, offset } = options;
  if (!(typeof spacing === 'number' && Number.isFinite(spacing) && spacing > 0)) throw new Error(`spacing must be a positive number of metres, got ${String(spacing)}`);
  if (!(typeof offset === 'number' && Number.isFinite(offset) && offset >= 0)) throw new Error(`offset must be a number of metres ≥ 0, got ${String(offset)}`);
  const out: Feature<Point>[] = [];
  roads.features.forEach((road, i) => {
    const g = road?.geometry;
    if (!g || (g.type !== 'LineString' && g.type !== 'MultiLineString')) return;
    const name = typeof road.properties?.name === 'string' ? road.properties.name : null;
    for (const line of g.type === 'LineString' ? [g.coordinates] : g.coordinates) {
      const xy = line.map((p) => projectPosition(p, frame, `road ${i}`));
      let along = spacing / 2;
      let start = 0;
      for (let k = 0; k + 1 < xy.length; k++) {
        const [ax, ay] = xy[k]!;
        const [bx, by] = xy[k + 1]!;
        const len = Math.hypot(bx - ax, by - ay);
        if (len === 0) continue;
        // Normal to the left of the direction of travel.
        const nx = -(by - ay) / len;
        const ny = (bx - ax) / len;
        while (along <= start + len) {
          const t = (along - start) / len;
          const px = ax + t * (bx - ax);
          const py = ay + t * (by - ay);
          const sides = offset > 0 ? ([['left', 1], ['right', -1]] as const) : ([['centre', 0]] as const);
          for (const [side, s] of sides) {
            const [lon, lat] = frame.inverse(px + s * offset * nx, py + s * offset * ny);
            out.push({
              type: 'Feature',
              properties: { id: `R${out.length + 1}`, ...(name !== null ? { road: name } : {}), side },
              geometry: { type: 'Point', coordinates: [round7(lon!), round7(lat!)] },
            });
          }
          along += spacing;
        }
        start += len;
      }
    }
  });
  return out;
}

export interface CandidateFilter {
  /** Land polygons: candidates not on them are left out. Null keeps every candidate. */
  land: FeatureCollection | null;
  /** Sites already there (existing, proposed): candidates within `minDistance` m of one are left out. */
  sites: readonly Feature[];
  minDistance: number;
}

export interface FilteredCandidates {
  kept: Feature[];
  offLand: number;
  nearExisting: number;
}

/**
 * The candidates left once those off the land and those too near a site are taken out. A
 * candidate stands at its first position for the land test (a point is its position; a
 * plot on the coast whose corner is in the sea is left out as well, which is what a
 * planner would want).
 */
export function filterCandidates(candidates: readonly Feature[], filter: CandidateFilter, frame: LocalFrame): FilteredCandidates {
  const land = filter.land ? indexSites(filter.land.features.filter((f) => f?.geometry?.type === 'Polygon' || f?.geometry?.type === 'MultiPolygon'), frame, 'land') : null;
  const near = filter.minDistance > 0 ? indexSites(filter.sites, frame, 'site') : null;
  const d2 = filter.minDistance * filter.minDistance;
  const kept: Feature[] = [];
  let offLand = 0;
  let nearExisting = 0;
  candidates.forEach((c, i) => {
    const site = planarSite(c?.geometry ?? null, frame, `candidate ${i}`);
    if (isEmptySite(site)) return;
    const [x, y] = site.points.length >= 2 ? [site.points[0]!, site.points[1]!] : [site.segments[0]!, site.segments[1]!];
    if (land && !land.index.search(x, y, x, y, (k) => insideRings(land.sites[k]!.rings, x, y)).length) {
      offLand++;
      return;
    }
    if (near) {
      const r = filter.minDistance;
      const hit = near.index.search(site.minX - r, site.minY - r, site.maxX + r, site.maxY + r, (k) => minDistanceSquared(site, near.sites[k]!) < d2);
      if (hit.length) {
        nearExisting++;
        return;
      }
    }
    kept.push(c);
  });
  return { kept, offLand, nearExisting };
}

/** Shortest squared distance between two sites, measured from each one's vertices to the other. */
function minDistanceSquared(a: PlanarSite, b: PlanarSite): number {
  let best = Infinity;
  const from = (s: PlanarSite, other: PlanarSite): void => {
    for (const xs of [s.points, s.segments]) {
      for (let i = 0; i < xs.length && best > 0; i += 2) best = Math.min(best, distanceSquared(other, xs[i]!, xs[i + 1]!));
    }
  };
  from(a, b);
  from(b, a);
  return best;
}

function indexSites(features: readonly Feature[], frame: LocalFrame, what: string): { index: Flatbush; sites: PlanarSite[] } | null {
  const sites = features.map((f, i) => planarSite(f?.geometry ?? null, frame, `${what} ${i}`)).filter((s) => !isEmptySite(s));
  if (sites.length === 0) return null;
  const index = new Flatbush(sites.length);
  for (const s of sites) index.add(s.minX, s.minY, s.maxX, s.maxY);
  index.finish();
  return { index, sites };
}

const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;
