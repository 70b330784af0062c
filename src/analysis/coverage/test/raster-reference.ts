/**
 * A fine-raster reference for coverage, written independently of the engine: sample the
 * targets on a square grid (cell centres every `spacing` m in EPSG:4550) and count the samples
 * within the radius of any service by exact point-to-geometry distance (point, segment, or
 * inside/near a polygon). The scale factor comes from the Gauss–Krüger series, not from the
 * engine's numerical one, so that the radius correction is checked too. Slow and simple on
 * purpose; for tests only.
 */
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { projector } from '../../../crs/project.ts';

const A = 6378137;
const F = 1 / 298.257222101;
const E2 = F * (2 - F);
const FALSE_EASTING = 500000;

/** Gauss–Krüger point scale factor (k0 = 1) at easting x and latitude: 1 + x²/2R² + x⁴/24R⁴, R² = ρν. */
function gaussKrugerScale(easting: number, latDeg: number): number {
  const s = Math.sin((latDeg * Math.PI) / 180);
  const w = 1 - E2 * s * s;
  const rho = (A * (1 - E2)) / w ** 1.5;
  const nu = A / Math.sqrt(w);
  const q = (easting - FALSE_EASTING) ** 2 / (rho * nu);
  return 1 + q / 2 + (q * q) / 24;
}

interface Shape {
  /** Planar segments [ax, ay, bx, by]; a point is a zero-length one. */
  segments: number[][];
  /** Polygon rings (for inside tests), planar. */
  rings: number[][][];
  r: number;
  box: [number, number, number, number];
}

export interface RasterResult {
  samples: number;
  covered: number;
  share: number;
  /** Per target property `district`. */
  byGroup: Record<string, { samples: number; covered: number; share: number }>;
  /** Per zone (property `id`): target samples inside the zone. */
  byZone: Record<string, { samples: number; covered: number; share: number }>;
}

export function rasterCoverage(
  targets: FeatureCollection,
  services: FeatureCollection,
  radius: (f: Feature) => number | null,
  spacing = 2,
  zones: readonly Feature<Polygon | MultiPolygon>[] = [],
): RasterResult {
  const project = projector('EPSG:4326', 'EPSG:4550');
  const shapes: Shape[] = [];
  for (const f of services.features) {
    if (!f.geometry) continue;
    const ground = radius(f);
    if (ground === null || !(ground >= 0)) continue;
    const shape: Shape = { segments: [], rings: [], r: 0, box: [Infinity, Infinity, -Infinity, -Infinity] };
    collect(f.geometry, project, shape);
    const all = [...shape.segments.flatMap((s) => [[s[0]!, s[1]!], [s[2]!, s[3]!]]), ...shape.rings.flat()];
    if (all.length === 0) continue;
    const first = all[0]!;
    shape.r = ground * gaussKrugerScale(first[0]!, latOf(f.geometry));
    for (const [x, y] of all) {
      shape.box[0] = Math.min(shape.box[0], x! - shape.r);
      shape.box[1] = Math.min(shape.box[1], y! - shape.r);
      shape.box[2] = Math.max(shape.box[2], x! + shape.r);
      shape.box[3] = Math.max(shape.box[3], y! + shape.r);
    }
    shapes.push(shape);
  }

  const zoneShapes = zones.map((z) => {
    const polys = z.geometry.type === 'Polygon' ? [z.geometry.coordinates] : z.geometry.coordinates;
    const rings = polys.flat().map((ring) => ring.map((p) => [project(p)[0]!, project(p)[1]!]));
    const xs = rings.flat().map((p) => p[0]!);
    const ys = rings.flat().map((p) => p[1]!);
    const box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as [number, number, number, number];
    return { id: String(z.properties?.id), rings, box };
  });
  let samples = 0;
  let covered = 0;
  const byGroup: RasterResult['byGroup'] = {};
  const byZone: RasterResult['byZone'] = {};
  for (const z of zoneShapes) byZone[z.id] = { samples: 0, covered: 0, share: 0 };
  for (const t of targets.features) {
    const g = t.geometry as Polygon | MultiPolygon;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    const rings = polys.flat().map((ring) => ring.map((p) => project(p)));
    const ys = rings.flat().map((p) => p[1]!);
    const xs = rings.flat().map((p) => p[0]!);
    const box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as const;
    const near = shapes.filter((s) => s.box[0] <= box[2] && s.box[2] >= box[0] && s.box[1] <= box[3] && s.box[3] >= box[1]);
    const nearZones = zoneShapes.filter((z) => z.box[0] <= box[2] && z.box[2] >= box[0] && z.box[1] <= box[3] && z.box[3] >= box[1]);
    let n = 0;
    let c = 0;
    // Cell centres of a grid anchored at 0, so neighbouring targets share one lattice.
    for (let y = (Math.floor(box[1] / spacing) + 0.5) * spacing; y < box[3]; y += spacing) {
      const cuts: number[] = [];
      for (const ring of rings) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [x0, y0] = ring[j]! as [number, number];
          const [x1, y1] = ring[i]! as [number, number];
          if (y0 > y !== y1 > y) cuts.push(x0 + ((y - y0) * (x1 - x0)) / (y1 - y0));
        }
      }
      cuts.sort((a, b) => a - b);
      for (let k = 0; k + 1 < cuts.length; k += 2) {
        for (let x = (Math.ceil(cuts[k]! / spacing - 0.5) + 0.5) * spacing; x < cuts[k + 1]!; x += spacing) {
          n++;
          const hit = near.some((s) => within(s, x, y));
          if (hit) c++;
          const zone = nearZones.find((z) => insideRings(z.rings, x, y));
          if (zone) {
            byZone[zone.id]!.samples++;
            if (hit) byZone[zone.id]!.covered++;
          }
        }
      }
    }
    samples += n;
    covered += c;
    const key = String(t.properties?.district ?? '');
    const group = (byGroup[key] ??= { samples: 0, covered: 0, share: 0 });
    group.samples += n;
    group.covered += c;
  }
  for (const group of [...Object.values(byGroup), ...Object.values(byZone)]) group.share = group.samples > 0 ? group.covered / group.samples : 0;
  return { samples, covered, share: samples > 0 ? covered / samples : 0, byGroup, byZone };
}

function within(s: Shape, x: number, y: number): boolean {
  if (x < s.box[0] || x > s.box[2] || y < s.box[1] || y > s.box[3]) return false;
  const r2 = s.r * s.r;
  for (const [ax, ay, bx, by] of s.segments as [number, number, number, number][]) {
    const dx = bx - ax;
    const dy = by - ay;
    const l2 = dx * dx + dy * dy;
    const t = l2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / l2)) : 0;
    const ex = x - (ax + t * dx);
    const ey = y - (ay + t * dy);
    if (ex * ex + ey * ey <= r2) return true;
  }
  return s.rings.length > 0 && insideRings(s.rings, x, y);
}

/** Even–odd point in polygon. */
function insideRings(rings: readonly (readonly number[])[][], x: number, y: number): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [x0, y0] = ring[j]! as [number, number];
      const [x1, y1] = ring[i]! as [number, number];
      if (y0 > y !== y1 > y && x < x0 + ((y - y0) * (x1 - x0)) / (y1 - y0)) inside = !inside;
    }
  }
  return inside;
}

/** Planar segments of lines and polygon boundaries, points as zero-length segments, rings for inside tests. */
function collect(g: Geometry, project: (p: Position) => Position, out: Shape): void {
  const path = (coords: Position[], closed: boolean): void => {
    const xy = coords.map(project);
    if (xy.length === 1) out.segments.push([xy[0]![0]!, xy[0]![1]!, xy[0]![0]!, xy[0]![1]!]);
    for (let i = 1; i < xy.length; i++) out.segments.push([xy[i - 1]![0]!, xy[i - 1]![1]!, xy[i]![0]!, xy[i]![1]!]);
    if (closed) out.rings.push(xy.map((p) => [p[0]!, p[1]!]));
  };
  switch (g.type) {
    case 'Point':
      return path([g.coordinates], false);
    case 'MultiPoint':
      return g.coordinates.forEach((p) => path([p], false));
    case 'LineString':
      return path(g.coordinates, false);
    case 'MultiLineString':
      return g.coordinates.forEach((l) => path(l, false));
    case 'Polygon':
      return g.coordinates.forEach((r) => path(r, true));
    case 'MultiPolygon':
      return g.coordinates.forEach((p) => p.forEach((r) => path(r, true)));
    case 'GeometryCollection':
      return g.geometries.forEach((x) => collect(x, project, out));
  }
}

function latOf(g: Geometry): number {
  let p: unknown = g.type === 'GeometryCollection' ? null : g.coordinates;
  while (Array.isArray(p) && Array.isArray(p[0])) p = p[0];
  return Array.isArray(p) ? (p[1] as number) : 0;
}
