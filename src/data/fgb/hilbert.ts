/**
 * Hilbert curve values used to order features before packing the R-tree.
 *
 * This is the same algorithm, grid size and rounding as flatgeobuf's Rust and C++ writers
 * (and GDAL's copy of them): the curve is what clusters nearby features into the same
 * index nodes and the same byte ranges, so matching it keeps our files laid out like
 * theirs. The bit twiddling is from the public-domain https://github.com/rawrunprotected/hilbert_curves.
 */
import type { Rect } from './packed-rtree.ts';

/** Largest grid coordinate on each axis: 16 bits, as `HILBERT_MAX` in flatgeobuf. */
export const HILBERT_MAX = (1 << 16) - 1;

/**
 * Position of the grid cell (x, y), each an integer in 0..HILBERT_MAX, along the Hilbert
 * curve: an unsigned 32-bit integer.
 */
export function hilbertXY(x: number, y: number): number {
  // JS bitwise operators work on signed 32-bit ints; every intermediate value here stays
  // within 16 bits until the final interleave, which `>>> 0` turns back into unsigned.
  let a = x ^ y;
  let b = 0xffff ^ a;
  let c = 0xffff ^ (x | y);
  let d = x & (y ^ 0xffff);

  let A = a | (b >> 1);
  let B = (a >> 1) ^ a;
  let C = (c >> 1) ^ (b & (d >> 1)) ^ c;
  let D = (a & (c >> 1)) ^ (d >> 1) ^ d;

  a = A;
  b = B;
  c = C;
  d = D;
  A = (a & (a >> 2)) ^ (b & (b >> 2));
  B = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2));
  C ^= (a & (c >> 2)) ^ (b & (d >> 2));
  D ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2));

  a = A;
  b = B;
  c = C;
  d = D;
  A = (a & (a >> 4)) ^ (b & (b >> 4));
  B = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4));
  C ^= (a & (c >> 4)) ^ (b & (d >> 4));
  D ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4));

  a = A;
  b = B;
  c = C;
  d = D;
  C ^= (a & (c >> 8)) ^ (b & (d >> 8));
  D ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8));

  a = C ^ (C >> 1);
  b = D ^ (D >> 1);

  let i0 = x ^ y;
  let i1 = b | (0xffff ^ (i0 | a));

  i0 = (i0 | (i0 << 8)) & 0x00ff00ff;
  i0 = (i0 | (i0 << 4)) & 0x0f0f0f0f;
  i0 = (i0 | (i0 << 2)) & 0x33333333;
  i0 = (i0 | (i0 << 1)) & 0x55555555;

  i1 = (i1 | (i1 << 8)) & 0x00ff00ff;
  i1 = (i1 | (i1 << 4)) & 0x0f0f0f0f;
  i1 = (i1 | (i1 << 2)) & 0x33333333;
  i1 = (i1 | (i1 << 1)) & 0x55555555;

  return ((i1 << 1) | i0) >>> 0;
}

/**
 * Hilbert value of the centre of `bbox` on a HILBERT_MAX × HILBERT_MAX grid spanning
 * `extent` (the envelope of all features).
 *
 * The arithmetic is written in the same order as flatgeobuf's
 * `floor(hilbertMax * ((minX + maxX) / 2 - extent.minX) / width)` so that floating-point
 * rounding, and therefore the feature order, matches theirs bit for bit. A zero-width or
 * zero-height extent (all features on one vertical or horizontal line) maps that axis to 0,
 * as the current C++ writer does, instead of dividing by zero.
 */
export function hilbertValue(bbox: Rect, extent: Rect): number {
  const width = extent.maxX - extent.minX;
  const height = extent.maxY - extent.minY;
  const x = width !== 0 ? Math.floor((HILBERT_MAX * ((bbox.minX + bbox.maxX) / 2 - extent.minX)) / width) : 0;
  const y = height !== 0 ? Math.floor((HILBERT_MAX * ((bbox.minY + bbox.maxY) / 2 - extent.minY)) / height) : 0;
  return hilbertXY(x, y);
}
