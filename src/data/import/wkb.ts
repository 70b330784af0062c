/**
 * Well-known binary (ISO WKB, as GeoPackage stores it after its own header) to GeoJSON, both
 * byte orders, with Z, M and ZM variants (the ISO +1000/+2000/+3000 codes and the EWKB flag
 * bits); M values are dropped. Triangles, TINs and polyhedral surfaces become the polygons
 * they are made of; curves, which GeoJSON cannot hold, throw `WkbCurveError`. Throws a plain
 * Error when the bytes end too soon.
 */
import type { Geometry, Position } from 'geojson';

export class WkbCurveError extends Error {
  override name = 'WkbCurveError';
  constructor(readonly type: string) {
    super(`${type} geometries cannot be represented in GeoJSON`);
  }
}

const CURVES: Record<number, string> = {
  8: 'CircularString',
  9: 'CompoundCurve',
  10: 'CurvePolygon',
  11: 'MultiCurve',
  12: 'MultiSurface',
  13: 'Curve',
  14: 'Surface',
};

/** Collections nested deeper than this are refused rather than recursed into. */
const MAX_DEPTH = 16;

class Reader {
  at: number;
  constructor(
    readonly view: DataView,
    start: number,
  ) {
    this.at = start;
  }
  need(n: number): void {
    if (this.at + n > this.view.byteLength) throw new Error('the geometry ends too soon');
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.at++);
  }
  u32(le: boolean): number {
    this.need(4);
    const v = this.view.getUint32(this.at, le);
    this.at += 4;
    return v;
  }
  f64(le: boolean): number {
    this.need(8);
    const v = this.view.getFloat64(this.at, le);
    this.at += 8;
    return v;
  }
}

function geometry(r: Reader, depth: number): Geometry | null {
  if (depth > MAX_DEPTH) throw new Error(`collections nested more than ${MAX_DEPTH} deep`);
  const le = r.u8() === 1;
  const raw = r.u32(le);
  // EWKB flags (PostGIS) or ISO thousands (GeoPackage): which extra ordinates each position has.
  let z = (raw & 0x80000000) !== 0;
  let m = (raw & 0x40000000) !== 0;
  let type = raw & 0x0fffffff;
  if (type >= 1000) {
    const dims = Math.floor(type / 1000);
    type %= 1000;
    z ||= dims === 1 || dims === 3;
    m ||= dims === 2 || dims === 3;
  }
  const position = (): Position => {
    const x = r.f64(le);
    const y = r.f64(le);
    const p: Position = [x, y];
    if (z) p.push(r.f64(le));
    if (m) r.f64(le);
    return p;
  };
  const line = (): Position[] => {
    const n = r.u32(le);
    r.need(n * 8 * (2 + (z ? 1 : 0) + (m ? 1 : 0)));
    return Array.from({ length: n }, position);
  };
  const rings = (): Position[][] => Array.from({ length: r.u32(le) }, line);
  const parts = (): (Geometry | null)[] => {
    const n = r.u32(le);
    r.need(n * 5);
    return Array.from({ length: n }, () => geometry(r, depth + 1));
  };
  switch (type) {
    case 1: {
      const p = position();
      // An empty point is written as NaN coordinates.
      return Number.isNaN(p[0]) && Number.isNaN(p[1]) ? null : { type: 'Point', coordinates: p };
    }
    case 2:
      return { type: 'LineString', coordinates: line() };
    case 3:
    case 17:
      return { type: 'Polygon', coordinates: rings() };
    case 4:
      return { type: 'MultiPoint', coordinates: parts().flatMap((g) => (g?.type === 'Point' ? [g.coordinates] : [])) };
    case 5:
      return { type: 'MultiLineString', coordinates: parts().flatMap((g) => (g?.type === 'LineString' ? [g.coordinates] : [])) };
    case 6:
    case 15:
    case 16:
      return { type: 'MultiPolygon', coordinates: parts().flatMap((g) => (g?.type === 'Polygon' ? [g.coordinates] : [])) };
    case 7:
      return { type: 'GeometryCollection', geometries: parts().filter((g): g is Geometry => g !== null) };
    default:
      if (type in CURVES) throw new WkbCurveError(CURVES[type]!);
      throw new Error(`unknown geometry type ${type}`);
  }
}

/** The geometry at `offset` of `bytes`; null for an empty point. */
export function parseWkb(bytes: Uint8Array, offset = 0): Geometry | null {
  return geometry(new Reader(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset), 0);
}

/**
 * A GeoPackage geometry blob: the "GP" header (version, flags with the header's byte order,
 * the envelope's size and the empty flag, and the SRS id), then WKB. Null for an empty
 * geometry.
 */
export function parseGpkgBlob(blob: Uint8Array): Geometry | null {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('not a GeoPackage geometry (no "GP" header)');
  const flags = blob[3]!;
  const envelope = (flags >> 1) & 0b111;
  const sizes = [0, 32, 48, 48, 64];
  if (envelope >= sizes.length) throw new Error(`unknown envelope kind ${envelope}`);
  if (flags & 0b10000) return null;
  return parseWkb(blob, 8 + sizes[envelope]!);
}
