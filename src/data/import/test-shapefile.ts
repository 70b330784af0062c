/**
 * A minimal point-shapefile writer for tests: .shp, .shx and a dBase III .dbf of character
 * fields whose bytes the caller supplies (so GBK attributes can be written without an encoder).
 */
export interface TestPoint {
  x: number;
  y: number;
  /** Encoded attribute bytes, by field name (≤ 10 ASCII characters). */
  attributes: Record<string, Uint8Array>;
}

function header(view: DataView, lengthWords: number, points: readonly TestPoint[]): void {
  view.setInt32(0, 9994, false);
  view.setInt32(24, lengthWords, false);
  view.setInt32(28, 1000, true);
  view.setInt32(32, 1, true); // Point
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, i) => view.setFloat64(36 + i * 8, v, true));
}

export function writePointShapefile(points: readonly TestPoint[]): { shp: Uint8Array; shx: Uint8Array; dbf: Uint8Array } {
  const n = points.length;
  const shp = new Uint8Array(100 + n * 28);
  const shx = new Uint8Array(100 + n * 8);
  const sv = new DataView(shp.buffer);
  const xv = new DataView(shx.buffer);
  header(sv, shp.length / 2, points);
  header(xv, shx.length / 2, points);
  points.forEach((p, i) => {
    const off = 100 + i * 28;
    sv.setInt32(off, i + 1, false);
    sv.setInt32(off + 4, 10, false);
    sv.setInt32(off + 8, 1, true);
    sv.setFloat64(off + 12, p.x, true);
    sv.setFloat64(off + 20, p.y, true);
    xv.setInt32(100 + i * 8, off / 2, false);
    xv.setInt32(100 + i * 8 + 4, 10, false);
  });

  const names = Object.keys(points[0]?.attributes ?? {});
  const widths = names.map((k) => Math.max(1, ...points.map((p) => p.attributes[k]!.length)));
  const recordLength = 1 + widths.reduce((a, b) => a + b, 0);
  const headerLength = 32 + 32 * names.length + 1;
  const dbf = new Uint8Array(headerLength + n * recordLength + 1).fill(0x20, headerLength);
  const dv = new DataView(dbf.buffer);
  dbf[0] = 0x03;
  dbf.set([124, 1, 1], 1);
  dv.setUint32(4, n, true);
  dv.setUint16(8, headerLength, true);
  dv.setUint16(10, recordLength, true);
  names.forEach((name, i) => {
    const d = 32 + i * 32;
    dbf.fill(0, d, d + 32);
    dbf.set(new TextEncoder().encode(name), d);
    dbf[d + 11] = 0x43; // 'C'
    dbf[d + 16] = widths[i]!;
  });
  dbf[headerLength - 1] = 0x0d;
  points.forEach((p, r) => {
    let o = headerLength + r * recordLength + 1;
    names.forEach((name, i) => {
      dbf.set(p.attributes[name]!, o);
      o += widths[i]!;
    });
  });
  dbf[dbf.length - 1] = 0x1a;
  return { shp, shx, dbf };
}
