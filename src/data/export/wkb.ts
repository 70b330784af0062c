/**
 * A small WKB writer for GeoJSON geometries (little-endian, 2D: any Z is dropped, as the
 * CSV's WKT does), with the envelope the GeoPackage geometry header carries.
 */
import type { Geometry, Position } from 'geojson';

const TYPE_CODE: Record<Geometry['type'], number> = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
  GeometryCollection: 7,
};

/** [minX, maxX, minY, maxY], or null for an empty geometry. */
export type Envelope = [number, number, number, number] | null;

/** Bytes needed for `g`. */
function size(g: Geometry): number {
  const ring = (ps: Position[]): number => 4 + ps.length * 16;
  switch (g.type) {
    case 'Point':
      return 5 + 16;
    case 'LineString':
      return 5 + ring(g.coordinates);
    case 'Polygon':
      return 9 + g.coordinates.reduce((n, r) => n + ring(r), 0);
    case 'MultiPoint':
      return 9 + g.coordinates.length * 21;
    case 'MultiLineString':
      return 9 + g.coordinates.reduce((n, l) => n + 5 + ring(l), 0);
    case 'MultiPolygon':
      return 9 + g.coordinates.reduce((n, p) => n + 9 + p.reduce((m, r) => m + ring(r), 0), 0);
    case 'GeometryCollection':
      return 9 + g.geometries.reduce((n, m) => n + size(m), 0);
  }
}

/** WKB of `g` and its envelope. An empty point is written as POINT(NaN NaN), as GEOS and GDAL do. */
export function toWkb(g: Geometry): { bytes: Uint8Array; envelope: Envelope } {
  const bytes = new Uint8Array(size(g));
  const view = new DataView(bytes.buffer);
  let at = 0;
  let env: [number, number, number, number] = [Infinity, -Infinity, Infinity, -Infinity];
  const u8 = (v: number): void => void view.setUint8(at++, v);
  const u32 = (v: number): void => {
    view.setUint32(at, v, true);
    at += 4;
  };
  const pos = (p: Position): void => {
    const x = p[0] ?? Number.NaN;
    const y = p[1] ?? Number.NaN;
    view.setFloat64(at, x, true);
    view.setFloat64(at + 8, y, true);
    at += 16;
    if (!Number.isNaN(x) && !Number.isNaN(y)) env = [Math.min(env[0], x), Math.max(env[1], x), Math.min(env[2], y), Math.max(env[3], y)];
  };
  const list = (ps: Position[]): void => {
    u32(ps.length);
    ps.forEach(pos);
  };
  const head = (t: Geometry['type']): void => {
    u8(1);
    u32(TYPE_CODE[t]);
  };
  const write = (m: Geometry): void => {
    head(m.type);
    switch (m.type) {
      case 'Point':
        return pos(m.coordinates);
      case 'LineString':
        return list(m.coordinates);
      case 'Polygon':
        u32(m.coordinates.length);
        return m.coordinates.forEach(list);
      case 'MultiPoint':
        u32(m.coordinates.length);
        return m.coordinates.forEach((p) => write({ type: 'Point', coordinates: p }));
      case 'MultiLineString':
        u32(m.coordinates.length);
        return m.coordinates.forEach((l) => write({ type: 'LineString', coordinates: l }));
      case 'MultiPolygon':
        u32(m.coordinates.length);
        return m.coordinates.forEach((p) => write({ type: 'Polygon', coordinates: p }));
      case 'GeometryCollection':
        u32(m.geometries.length);
        return m.geometries.forEach(write);
    }
  };
  write(g);
  return { bytes, envelope: env[0] <= env[1] ? env : null };
}
