import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { calcTreeSize as fgbCalcTreeSize, streamSearch } from 'flatgeobuf/lib/mjs/packedrtree.js';
import { hilbertValue } from './hilbert.ts';
import { NODE_ITEM_BYTE_LENGTH, buildPackedRTree, calcTreeSize, searchIndex } from './packed-rtree.ts';
import type { IndexItem, Rect } from './packed-rtree.ts';
import { EXTENT, intersects, mulberry32, randomRects } from './test-fixtures.ts';

/** Leaf items with random bboxes, Hilbert-sorted like the writer does, offsets 100 bytes apart. */
function randomItems(seed: number, count: number): IndexItem[] {
  const rand = mulberry32(seed);
  const boxes: Rect[] = Array.from({ length: count }, () => {
    const x = EXTENT.minX + rand() * (EXTENT.maxX - EXTENT.minX);
    const y = EXTENT.minY + rand() * (EXTENT.maxY - EXTENT.minY);
    const w = rand() < 0.3 ? 0 : rand() * 0.05; // some points
    return { minX: x, minY: y, maxX: x + w, maxY: y + rand() * 0.05 };
  });
  const extent = {
    minX: Math.min(...boxes.map((b) => b.minX)),
    minY: Math.min(...boxes.map((b) => b.minY)),
    maxX: Math.max(...boxes.map((b) => b.maxX)),
    maxY: Math.max(...boxes.map((b) => b.maxY)),
  };
  boxes.sort((a, b) => hilbertValue(b, extent) - hilbertValue(a, extent));
  return boxes.map((b, i) => ({ ...b, offset: i * 100 }));
}

function bruteForce(items: readonly IndexItem[], rect: Rect): number[] {
  return items.flatMap((item, i) => (intersects(item, rect) ? [i] : []));
}

function readNode(bytes: Uint8Array, k: number): IndexItem {
  const view = new DataView(bytes.buffer, bytes.byteOffset + k * NODE_ITEM_BYTE_LENGTH, NODE_ITEM_BYTE_LENGTH);
  return {
    minX: view.getFloat64(0, true),
    minY: view.getFloat64(8, true),
    maxX: view.getFloat64(16, true),
    maxY: view.getFloat64(24, true),
    offset: Number(view.getBigUint64(32, true)),
  };
}

describe('calcTreeSize', () => {
  it('agrees with flatgeobuf for 1 to 300 items and several node sizes', () => {
    for (const nodeSize of [2, 3, 16, 100]) {
      for (let n = 1; n <= 300; n++) expect(calcTreeSize(n, nodeSize), `${n} items, node size ${nodeSize}`).toBe(fgbCalcTreeSize(n, nodeSize));
    }
  });

  it('counts a root above a single item, as flatgeobuf and GDAL do', () => {
    expect(calcTreeSize(1)).toBe(2 * NODE_ITEM_BYTE_LENGTH);
    expect(calcTreeSize(16)).toBe(17 * NODE_ITEM_BYTE_LENGTH);
    expect(calcTreeSize(17)).toBe((17 + 2 + 1) * NODE_ITEM_BYTE_LENGTH);
  });

  it('refuses zero items (flatgeobuf loops forever) and impossible node sizes', () => {
    expect(() => calcTreeSize(0)).toThrow('at least one item');
    expect(() => calcTreeSize(10, 1)).toThrow('node size');
    expect(() => calcTreeSize(10, 65536)).toThrow('node size');
  });
});

describe('buildPackedRTree', () => {
  it('lays out root first, leaves last, parents pointing at their first child', () => {
    const items: IndexItem[] = [
      { minX: 0, minY: 0, maxX: 1, maxY: 1, offset: 0 },
      { minX: 2, minY: 2, maxX: 3, maxY: 3, offset: 50 },
      { minX: 10, minY: -5, maxX: 11, maxY: -4, offset: 120 },
    ];
    const bytes = buildPackedRTree(items, 2);
    // levels: 3 leaves → 2 parents → 1 root = 6 nodes
    expect(bytes.length).toBe(6 * NODE_ITEM_BYTE_LENGTH);
    expect(bytes.length).toBe(calcTreeSize(3, 2));
    expect(readNode(bytes, 0)).toEqual({ minX: 0, minY: -5, maxX: 11, maxY: 3, offset: 1 });
    expect(readNode(bytes, 1)).toEqual({ minX: 0, minY: 0, maxX: 3, maxY: 3, offset: 3 });
    expect(readNode(bytes, 2)).toEqual({ minX: 10, minY: -5, maxX: 11, maxY: -4, offset: 5 });
    expect(readNode(bytes, 3)).toEqual(items[0]);
    expect(readNode(bytes, 4)).toEqual(items[1]);
    expect(readNode(bytes, 5)).toEqual(items[2]);
  });

  it('builds a two-node tree for one item', () => {
    const bytes = buildPackedRTree([{ minX: 1, minY: 2, maxX: 3, maxY: 4, offset: 0 }]);
    expect(readNode(bytes, 0)).toEqual({ minX: 1, minY: 2, maxX: 3, maxY: 4, offset: 1 });
    expect(readNode(bytes, 1)).toEqual({ minX: 1, minY: 2, maxX: 3, maxY: 4, offset: 0 });
  });
});

describe('searchIndex', () => {
  const cases = [
    { count: 1, nodeSize: 16 },
    { count: 2, nodeSize: 2 },
    { count: 17, nodeSize: 16 },
    { count: 300, nodeSize: 16 },
    { count: 300, nodeSize: 3 },
    { count: 1000, nodeSize: 16 },
  ];

  for (const { count, nodeSize } of cases) {
    it(`equals a brute-force filter: ${count} items, node size ${nodeSize}`, () => {
      const items = randomItems(count * 31 + nodeSize, count);
      const bytes = buildPackedRTree(items, nodeSize);
      const rects = randomRects(mulberry32(count + nodeSize), 300);
      let empty = 0;
      for (const rect of rects) {
        const expected = bruteForce(items, rect);
        const hits = searchIndex(bytes, rect, { numItems: count, nodeSize });
        expect(hits.map((h) => h.index)).toEqual(expected);
        expect(hits.map((h) => h.offset)).toEqual(expected.map((i) => items[i]!.offset));
        if (expected.length === 0) empty++;
      }
      expect(searchIndex(bytes, EXTENT, { numItems: count, nodeSize })).toHaveLength(count);
      expect(empty).toBeGreaterThan(0);
    });
  }

  it('counts touching edges and zero-size rects as hits', () => {
    const items = [{ minX: 0, minY: 0, maxX: 1, maxY: 1, offset: 0 }];
    const bytes = buildPackedRTree(items);
    expect(searchIndex(bytes, { minX: 1, minY: 1, maxX: 2, maxY: 2 }, { numItems: 1 })).toEqual([{ index: 0, offset: 0 }]);
    expect(searchIndex(bytes, { minX: 0.5, minY: 0.5, maxX: 0.5, maxY: 0.5 }, { numItems: 1 })).toHaveLength(1);
    expect(searchIndex(bytes, { minX: 1.01, minY: 0, maxX: 2, maxY: 2 }, { numItems: 1 })).toEqual([]);
  });

  it('reads an index that sits inside a larger buffer at an odd offset', () => {
    const items = randomItems(7, 50);
    const tree = buildPackedRTree(items);
    const padded = new Uint8Array(tree.length + 3);
    padded.set(tree, 3);
    const rect = { minX: 122, minY: 29.9, maxX: 122.2, maxY: 30.1 };
    expect(searchIndex(padded.subarray(3), rect, { numItems: 50 })).toEqual(searchIndex(tree, rect, { numItems: 50 }));
  });

  it('rejects short buffers, bad rects and corrupt child pointers', () => {
    const items = randomItems(3, 40);
    const tree = buildPackedRTree(items);
    expect(() => searchIndex(tree.subarray(0, 80), EXTENT, { numItems: 40 })).toThrow('needs');
    expect(() => searchIndex(tree, { ...EXTENT, minX: Number.NaN }, { numItems: 40 })).toThrow('rect.minX');
    const corrupt = tree.slice();
    new DataView(corrupt.buffer).setBigUint64(32, 9999n, true); // root's first child
    expect(() => searchIndex(corrupt, EXTENT, { numItems: 40 })).toThrow('index is corrupt');
  });
});

describe('flatgeobuf streamSearch over our tree', () => {
  // flatgeobuf logs every step with console.debug.
  beforeEach(() => void vi.spyOn(console, 'debug').mockImplementation(() => {}));
  afterEach(() => vi.restoreAllMocks());

  it('finds the same features as searchIndex and brute force', async () => {
    for (const [count, nodeSize] of [
      [1, 16],
      [300, 16],
      [700, 4],
    ] as const) {
      const items = randomItems(count, count);
      const tree = buildPackedRTree(items, nodeSize);
      const readNode = async (offset: number, size: number): Promise<ArrayBuffer> => tree.slice(offset, offset + size).buffer;
      for (const rect of randomRects(mulberry32(count * 7), 60)) {
        const found: number[] = [];
        for await (const [offset, index] of streamSearch(count, nodeSize, rect, readNode)) {
          expect(offset).toBe(items[index]!.offset);
          found.push(index);
        }
        expect(found.sort((a, b) => a - b)).toEqual(bruteForce(items, rect));
      }
    }
  });
});
