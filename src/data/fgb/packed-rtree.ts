/**
 * The packed Hilbert R-tree of the FlatGeobuf spec, byte for byte as flatgeobuf's Rust and
 * C++ writers (and GDAL) lay it out, so that flatgeobuf's own readers can search it.
 *
 * Layout: `numNodes` node items of 40 bytes each (minX, minY, maxX, maxY as little-endian
 * float64, then a little-endian uint64 `offset`), stored level by level from the root down,
 * with the leaves (one per feature, in file order) last. A leaf's offset is the byte offset
 * of its feature from the start of the features section; a parent's offset is the node
 * index of its first child. Parents group `nodeSize` consecutive children.
 */

/** An axis-aligned rectangle; touching edges count as intersecting, as in flatgeobuf. */
export interface Rect {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** One leaf of the tree: a feature's bbox and the byte offset of the feature. */
export interface IndexItem extends Rect {
  /** Byte offset of the feature from the start of the features section. */
  offset: number;
}

/** A feature found by `searchIndex`. */
export interface IndexHit {
  /** Position of the feature in the file (0-based), the `id` flatgeobuf's readers assign. */
  index: number;
  /** Byte offset of the feature from the start of the features section. */
  offset: number;
}

/** Bytes per node item: four float64 and one uint64. */
export const NODE_ITEM_BYTE_LENGTH = 40;

/** Children per node unless told otherwise; GDAL and flatgeobuf always write 16. */
const DEFAULT_NODE_SIZE = 16;

/** [first, end) node indices of each level, leaves first, root last (as the C++ code). */
export function levelBounds(numItems: number, nodeSize: number): Array<[number, number]> {
  const levelNumNodes = [numItems];
  let n = numItems;
  let numNodes = n;
  // A single item still gets a root above it: flatgeobuf's readers expect at least two levels.
  do {
    n = Math.ceil(n / nodeSize);
    numNodes += n;
    levelNumNodes.push(n);
  } while (n !== 1);
  const bounds: Array<[number, number]> = [];
  let end = numNodes;
  for (const size of levelNumNodes) {
    bounds.push([end - size, end]);
    end -= size;
  }
  return bounds;
}

function checkTreeArgs(numItems: number, nodeSize: number): void {
  if (!Number.isSafeInteger(numItems) || numItems < 1) {
    // flatgeobuf's JS calcTreeSize loops forever on 0 items, so refuse before it gets the chance.
    throw new Error(`a spatial index needs at least one item, got ${numItems}`);
  }
  if (!Number.isInteger(nodeSize) || nodeSize < 2 || nodeSize > 65535) {
    throw new Error(`index node size must be an integer from 2 to 65535, got ${nodeSize}`);
  }
}

/** Size in bytes of the index for `numItems` features. */
export function calcTreeSize(numItems: number, nodeSize: number = DEFAULT_NODE_SIZE): number {
  checkTreeArgs(numItems, nodeSize);
  const bounds = levelBounds(numItems, nodeSize);
  return bounds[0]![1] * NODE_ITEM_BYTE_LENGTH;
}

/**
 * Build the index bytes from leaf items that are already in file order (Hilbert-sorted by
 * the writer) and carry their features' byte offsets.
 */
export function buildPackedRTree(items: readonly IndexItem[], nodeSize: number = DEFAULT_NODE_SIZE): Uint8Array {
  checkTreeArgs(items.length, nodeSize);
  const bounds = levelBounds(items.length, nodeSize);
  const numNodes = bounds[0]![1];
  const minX = new Float64Array(numNodes);
  const minY = new Float64Array(numNodes);
  const maxX = new Float64Array(numNodes);
  const maxY = new Float64Array(numNodes);
  const offsets = new Array<number>(numNodes);

  const firstLeaf = numNodes - items.length;
  items.forEach((item, i) => {
    const k = firstLeaf + i;
    minX[k] = item.minX;
    minY[k] = item.minY;
    maxX[k] = item.maxX;
    maxY[k] = item.maxY;
    offsets[k] = item.offset;
  });

  // Bottom-up: each run of `nodeSize` nodes on a level becomes one node on the level above.
  for (let level = 0; level < bounds.length - 1; level++) {
    let pos = bounds[level]![0];
    const end = bounds[level]![1];
    let parent = bounds[level + 1]![0];
    while (pos < end) {
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      offsets[parent] = pos;
      for (let j = 0; j < nodeSize && pos < end; j++, pos++) {
        x0 = Math.min(x0, minX[pos]!);
        y0 = Math.min(y0, minY[pos]!);
        x1 = Math.max(x1, maxX[pos]!);
        y1 = Math.max(y1, maxY[pos]!);
      }
      minX[parent] = x0;
      minY[parent] = y0;
      maxX[parent] = x1;
      maxY[parent] = y1;
      parent++;
    }
  }

  const bytes = new Uint8Array(numNodes * NODE_ITEM_BYTE_LENGTH);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < numNodes; k++) {
    const at = k * NODE_ITEM_BYTE_LENGTH;
    view.setFloat64(at, minX[k]!, true);
    view.setFloat64(at + 8, minY[k]!, true);
    view.setFloat64(at + 16, maxX[k]!, true);
    view.setFloat64(at + 24, maxY[k]!, true);
    view.setBigUint64(at + 32, BigInt(offsets[k]!), true);
  }
  return bytes;
}

/** Options of `searchIndex`: what the file header says about the tree. */
export interface SearchIndexOptions {
  /** Number of features (the header's features_count). */
  numItems: number;
  /** Children per node (the header's index_node_size). */
  nodeSize?: number;
}

/**
 * Features whose bbox intersects `rect`, found by walking the index bytes (just the tree,
 * without magic bytes or header), in file order.
 */
export function searchIndex(bytes: Uint8Array, rect: Rect, options: SearchIndexOptions): IndexHit[] {
  const { numItems, nodeSize = DEFAULT_NODE_SIZE } = options;
  checkTreeArgs(numItems, nodeSize);
  for (const key of ['minX', 'minY', 'maxX', 'maxY'] as const) {
    if (typeof rect[key] !== 'number' || Number.isNaN(rect[key])) throw new Error(`rect.${key} must be a number`);
  }
  const bounds = levelBounds(numItems, nodeSize);
  const numNodes = bounds[0]![1];
  if (bytes.length < numNodes * NODE_ITEM_BYTE_LENGTH) {
    throw new Error(`index of ${numItems} items needs ${numNodes * NODE_ITEM_BYTE_LENGTH} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const firstLeaf = numNodes - numItems;
  const hits: IndexHit[] = [];
  // Depth-first with an explicit stack of [first node, level]; the root level is last in `bounds`.
  const stack: Array<[number, number]> = [[0, bounds.length - 1]];
  while (stack.length > 0) {
    const [first, level] = stack.pop()!;
    const end = Math.min(first + nodeSize, bounds[level]![1]);
    for (let k = first; k < end; k++) {
      const at = k * NODE_ITEM_BYTE_LENGTH;
      if (rect.maxX < view.getFloat64(at, true)) continue;
      if (rect.maxY < view.getFloat64(at + 8, true)) continue;
      if (rect.minX > view.getFloat64(at + 16, true)) continue;
      if (rect.minY > view.getFloat64(at + 24, true)) continue;
      const offset = Number(view.getBigUint64(at + 32, true));
      if (k >= firstLeaf) {
        hits.push({ index: k - firstLeaf, offset });
        continue;
      }
      // A child pointer outside the level below means corrupt bytes; following it would read
      // arbitrary nodes or run off the level table.
      const below = bounds[level - 1]!;
      if (!(offset >= below[0] && offset < below[1])) {
        throw new Error(`index is corrupt: node ${k} points to node ${offset}, outside level ${level - 1}`);
      }
      stack.push([offset, level - 1]);
    }
  }
  return hits.sort((a, b) => a.index - b.index);
}
