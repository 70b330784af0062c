import { describe, expect, it } from 'vitest';
import { HILBERT_MAX, hilbertValue, hilbertXY } from './hilbert.ts';

// Expected values were produced by compiling flatgeobuf's C++ `hilbert()` (src/cpp/packedrtree.cpp)
// with gcc and feeding it these inputs; 4,000 such pairs matched when this file was written.
const XY_REFERENCE: Array<[number, number, number]> = [
  [0, 0, 0],
  [65535, 65535, 2863311530],
  [65535, 0, 4294967295],
  [0, 65535, 1431655765],
  [55927, 58675, 2816326170],
  [44228, 7087, 3988069477],
  [7858, 24374, 939739698],
  [4969, 28825, 1040570242],
  [31003, 27846, 700053881],
  [65000, 4135, 4233712341],
  [17515, 47104, 1970279663],
  [45593, 40267, 2264380206],
  [2321, 17247, 980292348],
  [30190, 2418, 366537208],
];

// Same C code, bbox centre → grid with `floor(hilbertMax * (centre - min) / width)`, extent below.
const EXTENT = { minX: 121.9, minY: 29.8, maxX: 122.5, maxY: 30.2 };
const BBOX_REFERENCE: Array<[number, number, number, number, number]> = [
  [122.06203361705171, 30.034293588918295, 122.07101774403584, 30.041990780615485, 2038381754],
  [122.31576539589443, 30.078727606513603, 122.32099860712765, 30.087860695646693, 2317209687],
  [122.36034761461984, 29.839270819922277, 122.37004480631703, 29.848777535428994, 4091812277],
  [122.24947314212146, 30.184049591111748, 122.25148046812879, 30.188476941539097, 2519519098],
  [122.27542321722338, 30.180969983072263, 122.28394824774841, 30.182825904928183, 2570666300],
];

describe('hilbertXY', () => {
  it('matches flatgeobuf C++ values, as unsigned 32-bit integers', () => {
    for (const [x, y, expected] of XY_REFERENCE) expect(hilbertXY(x, y), `(${x}, ${y})`).toBe(expected);
  });

  it('visits every cell of a small grid exactly once', () => {
    // Cells 0..3 on each axis of the full-resolution curve are the first 16 values, each once.
    const values = new Set<number>();
    for (let x = 0; x < 4; x++) for (let y = 0; y < 4; y++) values.add(hilbertXY(x, y));
    expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('moves one cell per step along the curve', () => {
    const cells = new Map<number, [number, number]>();
    for (let x = 0; x < 4; x++) for (let y = 0; y < 4; y++) cells.set(hilbertXY(x, y), [x, y]);
    for (let i = 1; i < 16; i++) {
      const [ax, ay] = cells.get(i - 1)!;
      const [bx, by] = cells.get(i)!;
      expect(Math.abs(ax - bx) + Math.abs(ay - by)).toBe(1);
    }
  });
});

describe('hilbertValue', () => {
  it('matches flatgeobuf C++ values for bbox centres, rounding included', () => {
    for (const [minX, minY, maxX, maxY, expected] of BBOX_REFERENCE) {
      expect(hilbertValue({ minX, minY, maxX, maxY }, EXTENT)).toBe(expected);
    }
  });

  it('maps the extent corners to the grid corners', () => {
    // Binary-exact numbers: with 121.9..122.5 the far corner lands on 65534 by rounding, as in C.
    const extent = { minX: -8, minY: 2, maxX: 8, maxY: 6 };
    const at = (x: number, y: number): number => hilbertValue({ minX: x, minY: y, maxX: x, maxY: y }, extent);
    expect(at(-8, 2)).toBe(hilbertXY(0, 0));
    expect(at(8, 6)).toBe(hilbertXY(HILBERT_MAX, HILBERT_MAX));
    expect(at(8, 2)).toBe(hilbertXY(HILBERT_MAX, 0));
    expect(at(0, 4)).toBe(hilbertXY(Math.floor(HILBERT_MAX / 2), Math.floor(HILBERT_MAX / 2)));
  });

  it('puts a flat extent on the 0 line instead of dividing by zero', () => {
    const line = { minX: 122, minY: 30, maxX: 122, maxY: 30.5 };
    const v = hilbertValue({ minX: 122, minY: 30.25, maxX: 122, maxY: 30.25 }, line);
    expect(v).toBe(hilbertXY(0, Math.floor(HILBERT_MAX / 2)));
    const point = { minX: 122, minY: 30, maxX: 122, maxY: 30 };
    expect(hilbertValue(point, point)).toBe(0);
  });
});
