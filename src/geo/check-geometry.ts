/**
 * Cheap structural checks on a GeoJSON geometry in longitude/latitude: the shape of the
 * coordinate arrays, finite numbers within range, closed rings with at least 4 positions.
 * Returns a reason when the geometry cannot be drawn or measured, else null: as a code with
 * parameters (`geometryIssue`, which the import turns into a message in the UI's language)
 * or as an English sentence (`geometryProblem`).
 *
 * Arrays are walked only as deep as the geometry type says, and collections only so deep,
 * so a hostile file of deeply nested arrays gets a reason, not a stack overflow.
 */
import type { Geometry, Position } from 'geojson';

/** English templates of the reasons; `src/data/messages.ts` lists them with its own. */
export const GEOMETRY_PROBLEMS_EN = {
  noGeometry: 'no geometry',
  notPosition: 'a position is not [x, y]',
  notNumber: 'a coordinate is not a number',
  outOfRange: 'coordinate {x}, {y} is outside longitude/latitude range',
  shortLine: 'a line has fewer than 2 positions',
  shortRing: 'a ring has fewer than 4 positions',
  openRing: 'a ring is not closed',
  noRings: 'a polygon has no rings',
  emptyMultiPoint: 'an empty multipoint',
  emptyMultiLineString: 'an empty multilinestring',
  emptyMultiPolygon: 'an empty multipolygon',
  emptyCollection: 'an empty geometry collection',
  collectionTooDeep: 'geometry collections nested more than {limit} deep',
  unknownGeometryType: 'unknown geometry type {type}',
  malformed: 'the geometry is malformed',
} as const;

type GeometryProblemCode = keyof typeof GEOMETRY_PROBLEMS_EN;

export interface GeometryIssue {
  code: GeometryProblemCode;
  params: Record<string, string | number>;
}

/** Deeper collections than this are refused: nobody draws them, and walking them risks the stack. */
export const MAX_COLLECTION_DEPTH = 16;

const issue = (code: GeometryProblemCode, params: Record<string, string | number> = {}): GeometryIssue => ({ code, params });

function badPosition(p: unknown): GeometryIssue | null {
  if (!Array.isArray(p) || p.length < 2) return issue('notPosition');
  const [x, y] = p as unknown[];
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) return issue('notNumber');
  if (x < -180 || x > 180 || y < -90 || y > 90) return issue('outOfRange', { x, y });
  return null;
}

function badLine(line: unknown, ring: boolean): GeometryIssue | null {
  if (!Array.isArray(line) || line.length < (ring ? 4 : 2)) return issue(ring ? 'shortRing' : 'shortLine');
  for (const p of line) {
    const r = badPosition(p);
    if (r) return r;
  }
  return null;
}

function badRing(ring: unknown): GeometryIssue | null {
  const r = badLine(ring, true);
  if (r) return r;
  const a = (ring as Position[])[0]!;
  const b = (ring as Position[])[(ring as Position[]).length - 1]!;
  return a[0] === b[0] && a[1] === b[1] ? null : issue('openRing');
}

function badPolygon(rings: unknown): GeometryIssue | null {
  if (!Array.isArray(rings) || rings.length === 0) return issue('noRings');
  for (const ring of rings) {
    const r = badRing(ring);
    if (r) return r;
  }
  return null;
}

function firstBad<T>(items: unknown, check: (x: T) => GeometryIssue | null, empty: GeometryProblemCode): GeometryIssue | null {
  if (!Array.isArray(items) || items.length === 0) return issue(empty);
  for (const it of items) {
    const r = check(it as T);
    if (r) return r;
  }
  return null;
}

export function geometryIssue(g: Geometry | null | undefined, depth = 0): GeometryIssue | null {
  if (!g) return issue('noGeometry');
  if (typeof g !== 'object') return issue('malformed');
  switch (g.type) {
    case 'Point':
      return badPosition(g.coordinates);
    case 'MultiPoint':
      return firstBad(g.coordinates, badPosition, 'emptyMultiPoint');
    case 'LineString':
      return badLine(g.coordinates, false);
    case 'MultiLineString':
      return firstBad(g.coordinates, (l) => badLine(l, false), 'emptyMultiLineString');
    case 'Polygon':
      return badPolygon(g.coordinates);
    case 'MultiPolygon':
      return firstBad(g.coordinates, badPolygon, 'emptyMultiPolygon');
    case 'GeometryCollection':
      if (depth >= MAX_COLLECTION_DEPTH) return issue('collectionTooDeep', { limit: MAX_COLLECTION_DEPTH });
      return firstBad(g.geometries, (x: Geometry) => geometryIssue(x, depth + 1), 'emptyCollection');
    default:
      return issue('unknownGeometryType', { type: String((g as { type: unknown }).type) });
  }
}

/** The reason in English, or null when the geometry is fine. */
export function geometryProblem(g: Geometry | null | undefined): string | null {
  const r = geometryIssue(g);
  return r ? GEOMETRY_PROBLEMS_EN[r.code].replace(/\{(\w+)\}/g, (w, k: string) => (k in r.params ? String(r.params[k]) : w)) : null;
}
