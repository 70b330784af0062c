/** Test support for the export tests: a WKT reader, generators of Zhoushan features, distances. */
import fc from 'fast-check';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';

// ---------- WKT reader (the inverse of wkt.ts, 2D) ----------

/** Parse the WKT that `toWkt` writes. */
export function parseWkt(text: string): Geometry {
  const tokens = text.match(/[A-Za-z]+|\(|\)|,|[-+]?[0-9.]+(?:[eE][-+]?\d+)?/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const next = (): string => {
    const t = tokens[i++];
    if (t === undefined) throw new Error(`unexpected end of WKT: ${text}`);
    return t;
  };
  const expect = (t: string): void => {
    const got = next();
    if (got !== t) throw new Error(`expected ${t}, got ${got} in ${text}`);
  };
  const empty = (): boolean => {
    if (peek()?.toUpperCase() === 'EMPTY') {
      i++;
      return true;
    }
    return false;
  };
  const position = (): Position => [Number(next()), Number(next())];
  const list = <T>(item: () => T): T[] => {
    expect('(');
    const out = [item()];
    while (peek() === ',') {
      i++;
      out.push(item());
    }
    expect(')');
    return out;
  };
  const geometry = (): Geometry => {
    const tag = next().toUpperCase();
    switch (tag) {
      case 'POINT':
        return { type: 'Point', coordinates: empty() ? [] : list(position)[0]! };
      case 'MULTIPOINT':
        return { type: 'MultiPoint', coordinates: empty() ? [] : list(() => (peek() === '(' ? list(position)[0]! : position())) };
      case 'LINESTRING':
        return { type: 'LineString', coordinates: empty() ? [] : list(position) };
      case 'MULTILINESTRING':
        return { type: 'MultiLineString', coordinates: empty() ? [] : list(() => list(position)) };
      case 'POLYGON':
        return { type: 'Polygon', coordinates: empty() ? [] : list(() => list(position)) };
      case 'MULTIPOLYGON':
        return { type: 'MultiPolygon', coordinates: empty() ? [] : list(() => list(() => list(position))) };
      case 'GEOMETRYCOLLECTION':
        return { type: 'GeometryCollection', geometries: empty() ? [] : list(geometry) };
      default:
        throw new Error(`unknown WKT type ${tag}`);
    }
  };
  const g = geometry();
  if (i !== tokens.length) throw new Error(`trailing WKT: ${text}`);
  return g;
}

// ---------- distances ----------

/** Approximate ground distance in metres between two lon/lat positions near 30° N (fine at the cm level for cm-sized gaps). */
export function groundDistance(a: Position, b: Position): number {
  const lat = (a[1]! * Math.PI) / 180;
  const dx = (a[0]! - b[0]!) * 111412.8 * Math.cos(lat);
  const dy = (a[1]! - b[1]!) * 110852.4;
  return Math.hypot(dx, dy);
}

/** All positions of a geometry, in order. */
export function positionsOf(g: Geometry | null): Position[] {
  if (!g) return [];
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
    case 'GeometryCollection':
      return g.geometries.flatMap(positionsOf);
  }
}

/** Rings of a (multi)polygon, as [polygon index, ring index, ring]. */
export function ringsOf(g: Geometry | null): [number, number, Position[]][] {
  if (!g) return [];
  if (g.type === 'Polygon') return g.coordinates.map((r, k) => [0, k, r]);
  if (g.type === 'MultiPolygon') return g.coordinates.flatMap((p, j) => p.map((r, k): [number, number, Position[]] => [j, k, r]));
  return [];
}

/**
 * Largest gap in metres between the positions of two geometries of the same shape; rings
 * may come back reversed (GeoJSON export rewinds), which is compared as the same ring.
 * Infinity when the shapes differ.
 */
export function maxGap(expected: Geometry | null, actual: Geometry | null): number {
  if (!expected || !actual) return expected === actual ? 0 : Infinity;
  if (expected.type !== actual.type) return Infinity;
  const er = ringsOf(expected);
  if (er.length > 0) {
    const ar = ringsOf(actual);
    if (ar.length !== er.length) return Infinity;
    return Math.max(...er.map(([, , r], k) => Math.min(gapList(r, ar[k]![2]), gapList(r.slice().reverse(), ar[k]![2]))));
  }
  return gapList(positionsOf(expected), positionsOf(actual));
}

function gapList(a: Position[], b: Position[]): number {
  if (a.length !== b.length) return Infinity;
  return a.reduce((m, p, i) => Math.max(m, groundDistance(p, b[i]!)), 0);
}

// ---------- generators ----------

/** Zhoushan's extent, a little generous: Zhoushan Island, Daishan, Shengsi's south. */
const ZHOUSHAN = { west: 121.6, south: 29.55, east: 122.9, north: 30.75 } as const;

const lon = fc.double({ min: ZHOUSHAN.west + 0.05, max: ZHOUSHAN.east - 0.05, noNaN: true });
const lat = fc.double({ min: ZHOUSHAN.south + 0.05, max: ZHOUSHAN.north - 0.05, noNaN: true });
const position = fc.tuple(lon, lat).map(([x, y]): Position => [x, y]);

/** A convex ring: a regular-ish n-gon, clockwise or not, closed. */
function ring(c: Position, radius: number, n: number, phase: number, clockwise: boolean): Position[] {
  const pts: Position[] = [];
  for (let k = 0; k < n; k++) {
    const a = phase + ((clockwise ? -1 : 1) * 2 * Math.PI * k) / n;
    pts.push([c[0]! + radius * Math.cos(a), c[1]! + radius * 0.9 * Math.sin(a)]);
  }
  pts.push(pts[0]!.slice());
  return pts;
}

const polygonCoords = fc
  .record({
    c: position,
    r: fc.double({ min: 0.0005, max: 0.03, noNaN: true }),
    n: fc.integer({ min: 3, max: 9 }),
    phase: fc.double({ min: 0, max: 6.28, noNaN: true }),
    cw: fc.boolean(),
    hole: fc.option(fc.record({ n: fc.integer({ min: 3, max: 7 }), cw: fc.boolean(), scale: fc.double({ min: 0.1, max: 0.5, noNaN: true }) }), { nil: null }),
  })
  .map(({ c, r, n, phase, cw, hole }): Position[][] => {
    const rings = [ring(c, r, n, phase, cw)];
    // The hole's circumcircle fits inside the exterior's incircle (cos(π/3) = 0.5 ≥ scale).
    if (hole) rings.push(ring(c, r * hole.scale * 0.9, hole.n, phase, hole.cw));
    return rings;
  });

const lineCoords = fc.array(position, { minLength: 2, maxLength: 6 });

const geometryArb: fc.Arbitrary<Geometry> = fc.oneof(
  position.map((p): Geometry => ({ type: 'Point', coordinates: p })),
  lineCoords.map((c): Geometry => ({ type: 'LineString', coordinates: c })),
  polygonCoords.map((c): Geometry => ({ type: 'Polygon', coordinates: c })),
  fc.array(polygonCoords, { minLength: 1, maxLength: 3 }).map((c): Geometry => ({ type: 'MultiPolygon', coordinates: c })),
);

/** Text full of what breaks exporters: Chinese, CSV delimiters, quotes, newlines, formula starters. */
const trickyText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'舟山新城定海区治理，。“”"\',\n\r\t;=+-@ aZ09é😀'.split(/(?:)/u)), maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('=SUM(A1:A2)', '+86 580', '-1', '@cmd', '闲置地块 "北区", 第1号\r\n备注', ''),
);

const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).map((v) => (Object.is(v, -0) ? 0 : v));

/**
 * A FeatureCollection in WGS84 with one schema (each property keeps one type, any may be
 * null), as the export formats need; `_i` numbers the features so tests can match them after
 * FlatGeobuf's Hilbert reordering.
 */
export const featureCollectionArb: fc.Arbitrary<FeatureCollection> = fc
  .array(
    fc.record({
      geometry: geometryArb,
      name: fc.option(trickyText, { nil: null }),
      名称: fc.option(trickyText, { nil: null }),
      count: fc.option(fc.integer({ min: -2147483648, max: 2147483647 }), { nil: null }),
      ratio: fc.option(finiteDouble, { nil: null }),
      ok: fc.option(fc.boolean(), { nil: null }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((rows) => ({
    type: 'FeatureCollection',
    features: rows.map(({ geometry, ...props }, i): Feature => ({ type: 'Feature', geometry, properties: { _i: i, ...props } })),
  }));

/** Freeze deeply, to prove a function does not change its input. */
export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}
