/**
 * Cheap structural checks on a GeoJSON geometry in longitude/latitude: the shape of the
 * coordinate arrays, finite numbers within range, closed rings with at least 4 positions.
 * Returns a reason when the geometry cannot be drawn or measured, else null.
 */
import type { Geometry, Position } from 'geojson';

function badPosition(p: unknown): string | null {
  if (!Array.isArray(p) || p.length < 2) return 'a position is not [x, y]';
  const [x, y] = p as number[];
  if (!Number.isFinite(x) || !Number.isFinite(y)) return 'a coordinate is not a number';
  if (x! < -180 || x! > 180 || y! < -90 || y! > 90) return `coordinate ${x}, ${y} is outside longitude/latitude range`;
  return null;
}

function badLine(line: unknown, min: number): string | null {
  if (!Array.isArray(line) || line.length < min) return `a line has fewer than ${min} positions`;
  for (const p of line) {
    const r = badPosition(p);
    if (r) return r;
  }
  return null;
}

function badRing(ring: unknown): string | null {
  const r = badLine(ring, 4);
  if (r) return r.replace('a line', 'a ring');
  const a = (ring as Position[])[0]!;
  const b = (ring as Position[])[(ring as Position[]).length - 1]!;
  return a[0] === b[0] && a[1] === b[1] ? null : 'a ring is not closed';
}

function badPolygon(rings: unknown): string | null {
  if (!Array.isArray(rings) || rings.length === 0) return 'a polygon has no rings';
  for (const ring of rings) {
    const r = badRing(ring);
    if (r) return r;
  }
  return null;
}

function firstBad<T>(items: unknown, check: (x: T) => string | null, what: string): string | null {
  if (!Array.isArray(items) || items.length === 0) return `an empty ${what}`;
  for (const it of items) {
    const r = check(it as T);
    if (r) return r;
  }
  return null;
}

export function geometryProblem(g: Geometry | null | undefined): string | null {
  if (!g) return 'no geometry';
  switch (g.type) {
    case 'Point':
      return badPosition(g.coordinates);
    case 'MultiPoint':
      return firstBad(g.coordinates, badPosition, 'multipoint');
    case 'LineString':
      return badLine(g.coordinates, 2);
    case 'MultiLineString':
      return firstBad(g.coordinates, (l) => badLine(l, 2), 'multilinestring');
    case 'Polygon':
      return badPolygon(g.coordinates);
    case 'MultiPolygon':
      return firstBad(g.coordinates, badPolygon, 'multipolygon');
    case 'GeometryCollection':
      return firstBad(g.geometries, geometryProblem, 'geometry collection');
    default:
      return `unknown geometry type ${(g as { type: unknown }).type as string}`;
  }
}
