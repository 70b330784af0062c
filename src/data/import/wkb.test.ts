/** GeoPackage geometry blobs, hand-built: both byte orders, each envelope size, Z and M, empty. */
import { describe, expect, it } from 'vitest';
import { WkbCurveError, parseGpkgBlob, parseWkb } from './wkb.ts';

/** Bytes from numbers written with the given byte order. */
function bytes(parts: ([number, 'u8' | 'u32' | 'i32' | 'f64'] )[], le: boolean): Uint8Array {
  const size = parts.reduce((n, [, t]) => n + (t === 'u8' ? 1 : t === 'f64' ? 8 : 4), 0);
  const view = new DataView(new ArrayBuffer(size));
  let at = 0;
  for (const [v, t] of parts) {
    if (t === 'u8') view.setUint8(at, v);
    else if (t === 'u32') view.setUint32(at, v, le);
    else if (t === 'i32') view.setInt32(at, v, le);
    else view.setFloat64(at, v, le);
    at += t === 'u8' ? 1 : t === 'f64' ? 8 : 4;
  }
  return new Uint8Array(view.buffer);
}
const concat = (...a: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(a.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of a) {
    out.set(x, o);
    o += x.length;
  }
  return out;
};
/** The GP header: magic, version 0, flags (byte order of the header, envelope kind, empty), SRS id, envelope. */
function header(le: boolean, envelope: number, empty = false): Uint8Array {
  const flags = (le ? 1 : 0) | (envelope << 1) | (empty ? 0b10000 : 0);
  const doubles = [0, 4, 6, 6, 8][envelope]!;
  return concat(new Uint8Array([0x47, 0x50, 0, flags]), bytes([[4326, 'i32'], ...Array.from({ length: doubles }, (): [number, 'f64'] => [0, 'f64'])], le));
}
const point = (le: boolean, type = 1, extra: number[] = []): Uint8Array =>
  bytes([[le ? 1 : 0, 'u8'], [type, 'u32'], [122.2, 'f64'], [29.98, 'f64'], ...extra.map((v): [number, 'f64'] => [v, 'f64'])], le);

describe('GeoPackage geometry blobs', () => {
  it.each([
    ['little-endian, no envelope', true, 0],
    ['big-endian, xy envelope', false, 1],
    ['little-endian, xyz envelope', true, 2],
    ['big-endian, xym envelope', false, 3],
    ['little-endian, xyzm envelope', true, 4],
  ])('%s', (_, le, envelope) => {
    expect(parseGpkgBlob(concat(header(le, envelope), point(!le)))).toEqual({ type: 'Point', coordinates: [122.2, 29.98] });
  });

  it('keeps Z and drops M, in the ISO and the EWKB spelling', () => {
    expect(parseWkb(point(true, 1001, [5]))).toEqual({ type: 'Point', coordinates: [122.2, 29.98, 5] });
    expect(parseWkb(point(true, 2001, [9]))).toEqual({ type: 'Point', coordinates: [122.2, 29.98] });
    expect(parseWkb(point(false, 3001, [5, 9]))).toEqual({ type: 'Point', coordinates: [122.2, 29.98, 5] });
    expect(parseWkb(point(true, 0x80000001, [5]))).toEqual({ type: 'Point', coordinates: [122.2, 29.98, 5] });
  });

  it('reads an empty geometry as none, and a polygon with its rings', () => {
    expect(parseGpkgBlob(concat(header(true, 0, true), point(true)))).toBeNull();
    const ring = [[0, 0], [1, 0], [1, 1], [0, 0]];
    const polygon = bytes([[1, 'u8'], [3, 'u32'], [1, 'u32'], [4, 'u32'], ...ring.flat().map((v): [number, 'f64'] => [v, 'f64'])], true);
    expect(parseWkb(polygon)).toEqual({ type: 'Polygon', coordinates: [ring] });
  });

  it('names a curve, and says when the bytes end too soon', () => {
    expect(() => parseWkb(bytes([[1, 'u8'], [8, 'u32'], [0, 'u32']], true))).toThrow(WkbCurveError);
    expect(() => parseWkb(point(true).subarray(0, 12))).toThrow('the geometry ends too soon');
    expect(() => parseGpkgBlob(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow('not a GeoPackage geometry');
  });
});
