/**
 * Reads the features of a large FlatGeobuf file that lie in a rectangle, over HTTP range
 * requests, without ever downloading the whole file: the header, then the spatial index
 * level by level (only the nodes whose boxes meet the rectangle), then the features' bytes.
 *
 * Why not flatgeobuf's own HTTP reader: it takes no AbortSignal (a stale query keeps its
 * requests running while the user pans on), it caches nothing between queries (every pan
 * re-reads the index from the root and every feature still in view), and it cannot say how
 * many features a view holds before fetching them. This reader does all three:
 * - every request takes the caller's signal;
 * - the index's upper levels are fetched once, lower index nodes and decoded features are
 *   kept in bounded LRU caches, so panning fetches only what is new;
 * - `estimate` counts the features under a rectangle from the cached upper levels, so a view
 *   of the whole city can show density (`overview`) instead of fetching a million features.
 *
 * Caches kept for the life of the tab must not outlive the file: a data update is published
 * by replacing it, and the README promises it is seen at once. As PMTiles does, every response
 * is checked against the ETag (else Last-Modified) of the one that opened the file; another
 * one drops every cache, re-reads the header and index top, and runs the query once more.
 *
 * Feature bytes are decoded with flatgeobuf's own decoder, one feature at a time.
 */
import * as flatbuffers from 'flatbuffers';
import { Feature as FgbFeature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import { fromFeature } from 'flatgeobuf/lib/mjs/geojson/feature.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { Feature } from 'geojson';
import { FormatError, LoadError, isAbortError } from '../errors.ts';
import { NODE_ITEM_BYTE_LENGTH, levelBounds, type Rect } from './packed-rtree.ts';
import { checkFeatureGeometry, checkGeometryType, parseHeader, type FgbHeader } from './read-fgb.ts';

export interface RangeReaderOptions {
  fetch?: typeof fetch;
  /** Name used in messages. */
  sourceName?: string;
  /** Bytes fetched with the header; most headers fit, a longer one costs one more request. */
  headerGuess?: number;
  /** Index bytes fetched once, from the root down, for the overview and estimates. */
  topIndexBytes?: number;
  /** Two byte ranges closer than this are fetched as one (fewer requests, a few more bytes). */
  mergeGap?: number;
  /** Largest single feature request: smaller ones let the first features be drawn sooner. */
  maxRangeBytes?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Decoded features kept between queries. */
  featureCacheSize?: number;
  /** Index node groups kept between queries. */
  nodeCacheSize?: number;
  /**
   * Called once the file was found changed on the server and read again (see `generation`):
   * what was drawn from it is stale, so the owner redraws. Called synchronously, before the
   * query that found the change runs again.
   */
  onChange?: (reader: FgbRangeReader) => void;
}

/** A cell of the density overview: one index node, the box of its features and how many. */
export interface OverviewCell {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  count: number;
}

export interface ReaderStats {
  /** Body bytes received, all requests. */
  bytes: number;
  requests: number;
}

const SIZE_PREFIX = 4;
/** Leaves under one top node read directly when there are at most this many (16 KiB of index). */
const DIRECT_LEAF_SPAN = 400;
const DEFAULTS = {
  headerGuess: 16 * 1024,
  topIndexBytes: 256 * 1024,
  mergeGap: 16 * 1024,
  maxRangeBytes: 512 * 1024,
  concurrency: 4,
  featureCacheSize: 250_000,
  nodeCacheSize: 40_000,
} as const;

type Opts = Required<Omit<RangeReaderOptions, 'fetch' | 'sourceName' | 'onChange'>>;

interface Hit {
  /** Position of the feature in the file: flatgeobuf's feature id, our cache key. */
  index: number;
  /** Byte offset from the start of the features section. */
  offset: number;
  /** Where the feature ends (the next feature's offset, or the end of the file). */
  end: number;
}

const intersects = (v: DataView, at: number, r: Rect): boolean =>
  !(r.maxX < v.getFloat64(at, true) || r.maxY < v.getFloat64(at + 8, true) || r.minX > v.getFloat64(at + 16, true) || r.minY > v.getFloat64(at + 24, true));

export class FgbRangeReader {
  readonly stats: ReaderStats;
  readonly #ctx: Ctx;
  readonly #onChange: ((reader: FgbRangeReader) => void) | undefined;
  /** The version of the file read last; replaced, with all its caches, when the file changes. */
  #version: FileVersion;
  #generation = 0;

  private constructor(ctx: Ctx, version: FileVersion, onChange: ((reader: FgbRangeReader) => void) | undefined) {
    this.#ctx = ctx;
    this.#version = version;
    this.#onChange = onChange;
    this.stats = ctx.stats;
  }

  /** Reads the header and the index's upper levels: two requests at most (again if the file changes meanwhile). */
  static async open(url: string, options: RangeReaderOptions & { signal?: AbortSignal } = {}): Promise<FgbRangeReader> {
    const { fetch: ownFetch, sourceName, onChange, signal, ...rest } = options;
    const ctx: Ctx = {
      url,
      source: sourceName ?? url.split(/[?#]/)[0]!.split('/').pop() ?? url,
      fetch: ownFetch ?? ((input, init) => fetch(input, init)),
      opts: { ...DEFAULTS, ...withoutUndefined(rest) },
      stats: { bytes: 0, requests: 0 },
    };
    let version: FileVersion;
    try {
      version = await readVersion(ctx, signal);
    } catch (err) {
      if (!(err instanceof FileChanged)) throw err;
      // Replaced between the header and the index: once is an update landing, read it again.
      try {
        version = await readVersion(ctx, signal);
      } catch (again) {
        if (again instanceof FileChanged) throw changedWhileRead(ctx.source);
        throw again;
      }
    }
    return new FgbRangeReader(ctx, version, onChange);
  }

  /** The header of the version of the file read last. */
  get header(): FgbHeader {
    return this.#version.header;
  }

  /**
   * How many times the file was found changed on the server and read again: 0 after `open`.
   * Whatever was drawn from an earlier generation is stale.
   */
  get generation(): number {
    return this.#generation;
  }

  /** Features the latest query found decoded already; they come as its first batch. */
  get lastCached(): number {
    return this.#version.lastCached;
  }

  /** How many features the caches hold (for tests and the layer's status). */
  get cachedFeatures(): number {
    return this.#version.cachedFeatures;
  }

  /** Nodes of the deepest cached level as density cells, each with its feature count. */
  overview(): OverviewCell[] {
    return this.#version.overview();
  }

  /**
   * At least as many features as meet `rect` (by bbox), counted from the cached upper
   * levels without a request: each node there that meets `rect` counts all its features.
   */
  estimate(rect: Rect): number {
    return this.#version.estimate(rect);
  }

  /**
   * The features whose bbox meets `rect`, in batches as their bytes arrive: first those
   * already decoded by earlier queries, then each range as it is fetched. Stops with the
   * signal's reason when it is aborted.
   *
   * A file found changed on the server (another ETag or Last-Modified) is read again, its
   * caches dropped, and the query run once more on the new version; a LoadError if it changes
   * again meanwhile, or if batches of the old version were handed out already. A view served
   * wholly from the caches makes no request, so it shows the version read last until a query
   * needs the network.
   */
  async *query(rect: Rect, signal?: AbortSignal): AsyncGenerator<Feature[]> {
    let version = this.#version;
    for (let retried = false; ; retried = true) {
      let yielded = false;
      try {
        for await (const batch of version.query(rect, signal)) {
          yielded = true;
          yield batch;
        }
        return;
      } catch (err) {
        if (!(err instanceof FileChanged)) throw err;
        version.forget();
        if (retried) throw changedWhileRead(this.#ctx.source);
        version = await this.#reread(version, signal);
        // Batches of the old version are with the caller already and cannot be taken back:
        // a mix of both would be drawn as one view. The new version is read by now, so the
        // caller's next query (or its onChange) shows it.
        if (yielded) throw changedWhileRead(this.#ctx.source);
      }
    }
  }

  /** The version after `stale`: read now, or already by a query that found the change first. */
  async #reread(stale: FileVersion, signal: AbortSignal | undefined): Promise<FileVersion> {
    if (this.#version !== stale) return this.#version;
    let fresh: FileVersion;
    try {
      fresh = await readVersion(this.#ctx, signal);
    } catch (err) {
      if (err instanceof FileChanged) throw changedWhileRead(this.#ctx.source);
      throw err;
    }
    if (this.#version === stale) {
      this.#version = fresh;
      this.#generation++;
      this.#onChange?.(this);
    }
    return this.#version;
  }
}

/** What every version of one file shares: where it is, how to fetch it, the options and counters. */
interface Ctx {
  url: string;
  source: string;
  fetch: typeof fetch;
  opts: Opts;
  stats: ReaderStats;
}

/** Reads the header and the index's upper levels; FileChanged if the file changes in between. */
async function readVersion(ctx: Ctx, signal: AbortSignal | undefined): Promise<FileVersion> {
  const { opts, source } = ctx;
  // Header and the index's upper levels in one request: a round trip saved on every open.
  const first = await fetchRange(ctx, 0, opts.headerGuess + opts.topIndexBytes, signal, null);
  // Later responses must be of the version this one is: a header of one and an index of
  // another would be read as corrupt, or worse, as other features.
  const validator = first.validator;
  let head = first.bytes;
  if (head.length >= 12) {
    const headerEnd = 12 + new DataView(head.buffer, head.byteOffset).getUint32(8, true);
    // A header longer than the guess: one more request for the rest.
    if (headerEnd > head.length && headerEnd <= first.size) {
      const rest = await fetchRange(ctx, head.length, headerEnd, signal, validator);
      const joined = new Uint8Array(headerEnd);
      joined.set(head);
      joined.set(rest.bytes, head.length);
      head = joined;
    }
  }
  const { header, meta, headerEnd } = parseHeader(head, source);
  checkGeometryType(header, source);
  if (header.indexNodeSize === 0) {
    throw new FormatError(`${source} has no spatial index, so it cannot be read by viewport; write it with an index (GDAL and this project's tools do)`, source);
  }
  if (header.featuresCount === 0) throw new FormatError(`${source} holds no features`, source);
  const levels = levelBounds(header.featuresCount, header.indexNodeSize);
  // The deepest level whose nodes, with all above, fit in the budget; at least the root's children.
  let topLevel = levels.length - 1;
  while (topLevel > 1 && levels[topLevel - 1]![1] * NODE_ITEM_BYTE_LENGTH <= opts.topIndexBytes) topLevel--;
  const topBytes = levels[topLevel]![1] * NODE_ITEM_BYTE_LENGTH;
  const indexEnd = headerEnd + levels[0]![1] * NODE_ITEM_BYTE_LENGTH;
  if (indexEnd > first.size) {
    throw new FormatError(`${source} is truncated: its index needs ${indexEnd} bytes but the file has ${first.size}`, source);
  }
  let top: Uint8Array;
  if (head.length >= headerEnd + topBytes) top = head.subarray(headerEnd, headerEnd + topBytes);
  else top = (await fetchRange(ctx, headerEnd, headerEnd + topBytes, signal, validator)).bytes;
  return new FileVersion(ctx, {
    header, meta, headerEnd, fileSize: first.size, validator,
    top: new DataView(top.buffer, top.byteOffset, top.byteLength), topLevel,
  });
}

/**
 * One version of the file as read: its header, index top and caches, all of which hold for
 * that version only. Every request checks that the server still has this version.
 */
class FileVersion {
  readonly header: FgbHeader;
  lastCached = 0;
  readonly #ctx: Ctx;
  readonly #meta: HeaderMeta;
  readonly #opts: Opts;
  readonly #validator: Validator | null;
  readonly #nodeSize: number;
  readonly #numItems: number;
  /** [first, end) node index of each level, leaves first, root last. */
  readonly #levels: Array<[number, number]>;
  readonly #indexStart: number;
  readonly #featuresStart: number;
  readonly #fileSize: number;
  /** Nodes [0, #topEnd) (the upper levels), fetched once when the version is read. */
  readonly #top: DataView;
  /** Deepest level held in #top (an index into #levels). */
  readonly #topLevel: number;
  /** Lower index nodes, keyed by the first node of a group of siblings. */
  readonly #groups = new Map<number, DataView>();
  readonly #features = new Map<number, Feature>();
  /** The server no longer has this version: its caches are dropped and stay empty. */
  #stale = false;
  /** Responses that matched the validator, so far. */
  #confirmed = 0;

  constructor(ctx: Ctx, init: {
    header: FgbHeader; meta: HeaderMeta; headerEnd: number; fileSize: number; validator: Validator | null;
    top: DataView; topLevel: number;
  }) {
    this.#ctx = ctx;
    this.#opts = ctx.opts;
    this.header = init.header;
    this.#meta = init.meta;
    this.#validator = init.validator;
    this.#nodeSize = init.header.indexNodeSize;
    this.#numItems = init.header.featuresCount;
    this.#levels = levelBounds(this.#numItems, this.#nodeSize);
    this.#indexStart = init.headerEnd;
    this.#featuresStart = init.headerEnd + this.#levels[0]![1] * NODE_ITEM_BYTE_LENGTH;
    this.#fileSize = init.fileSize;
    this.#top = init.top;
    this.#topLevel = init.topLevel;
  }

  get cachedFeatures(): number {
    return this.#features.size;
  }

  /** Drops the caches for good: the server has another version now. */
  forget(): void {
    this.#stale = true;
    this.#groups.clear();
    this.#features.clear();
  }

  overview(): OverviewCell[] {
    const [first, end] = this.#levels[this.#topLevel]!;
    const span = this.#nodeSize ** this.#topLevel;
    const cells: OverviewCell[] = [];
    for (let k = first; k < end; k++) {
      const at = k * NODE_ITEM_BYTE_LENGTH;
      const p = k - first;
      cells.push({
        minX: this.#top.getFloat64(at, true),
        minY: this.#top.getFloat64(at + 8, true),
        maxX: this.#top.getFloat64(at + 16, true),
        maxY: this.#top.getFloat64(at + 24, true),
        count: Math.min(this.#numItems, (p + 1) * span) - p * span,
      });
    }
    return cells;
  }

  estimate(rect: Rect): number {
    const [first, end] = this.#levels[this.#topLevel]!;
    const span = this.#nodeSize ** this.#topLevel;
    let n = 0;
    for (let k = first; k < end; k++) {
      if (!intersects(this.#top, k * NODE_ITEM_BYTE_LENGTH, rect)) continue;
      const p = k - first;
      n += Math.min(this.#numItems, (p + 1) * span) - p * span;
    }
    return n;
  }

  /** As FgbRangeReader.query, for this version only: FileChanged when the server has another. */
  async *query(rect: Rect, signal?: AbortSignal): AsyncGenerator<Feature[]> {
    if (this.#stale) throw new FileChanged();
    const confirmedBefore = this.#confirmed;
    const hits = await this.#search(rect, signal);
    const cached: Feature[] = [];
    const missing: Hit[] = [];
    for (const h of hits) {
      const f = this.#features.get(h.index);
      if (f) {
        // Touched: most recently used.
        this.#features.delete(h.index);
        this.#features.set(h.index, f);
        cached.push(f);
      } else missing.push(h);
    }
    this.lastCached = cached.length;
    // Cached features are only as current as the last response that matched the validator.
    // When this query goes to the network anyway, they wait for its first answer: had the file
    // changed since, they would be drawn and could not be taken back, whereas now the query
    // can be run again on the new version. (They still come first, before that answer's batch.)
    let held: Feature[] | null = cached.length ? cached : null;
    if (held && (!this.#validator || !missing.length || this.#confirmed > confirmedBefore)) {
      yield held;
      held = null;
    }
    const ranges = mergeRanges(missing, this.#opts.mergeGap, this.#opts.maxRangeBytes);
    // Up to `concurrency` requests in flight; results are queued as they land and handed out
    // in landing order. (Racing the in-flight promises instead loses any that settle while
    // the consumer is busy with an earlier batch.)
    const landed: Array<{ range: Range; bytes: Uint8Array } | { error: unknown }> = [];
    let wake: (() => void) | null = null;
    let active = 0;
    let next = 0;
    const start = (range: Range): void => {
      active++;
      this.#fetch(this.#featuresStart + range.start, this.#featuresStart + range.end, signal)
        .then((bytes) => landed.push({ range, bytes }), (error: unknown) => landed.push({ error }))
        .finally(() => {
          active--;
          wake?.();
        });
    };
    while (next < ranges.length || active > 0 || landed.length > 0) {
      while (next < ranges.length && active < this.#opts.concurrency) start(ranges[next++]!);
      if (!landed.length) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const result = landed.shift();
      if (!result) continue;
      if ('error' in result) throw result.error;
      signal?.throwIfAborted();
      if (held) {
        yield held;
        held = null;
      }
      yield this.#decode(result.range, result.bytes);
    }
  }

  /** Bytes [start, end) of this version; FileChanged if the server has another. */
  async #fetch(start: number, end: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const { bytes } = await fetchRange(this.#ctx, start, end, signal, this.#validator);
    this.#confirmed++;
    return bytes;
  }

  #decode(range: Range, bytes: Uint8Array): Feature[] {
    const out: Feature[] = [];
    for (const h of range.hits) {
      const at = h.offset - range.start;
      const length = h.end - h.offset;
      if (at + SIZE_PREFIX > bytes.length || length < SIZE_PREFIX + 4) throw this.#corrupt(`feature ${h.index + 1} lies outside its range`);
      const declared = new DataView(bytes.buffer, bytes.byteOffset + at, SIZE_PREFIX).getUint32(0, true);
      if (declared + SIZE_PREFIX > length || at + length > bytes.length) throw this.#corrupt(`feature ${h.index + 1} is longer than the index says`);
      // A copy of its own: flatgeobuf reads coordinates through Float64Array views, which
      // need the 8-byte alignment a feature has only relative to its own start.
      const own = bytes.slice(at, at + SIZE_PREFIX + declared);
      let feature: Feature;
      try {
        feature = fromFeature(h.index, FgbFeature.getSizePrefixedRootAsFeature(new flatbuffers.ByteBuffer(own)), this.#meta);
      } catch (err) {
        throw this.#corrupt(`feature ${h.index + 1} cannot be decoded (${err instanceof Error ? err.message : String(err)})`);
      }
      checkFeatureGeometry(feature, this.#ctx.source);
      // A query still running on a version found stale must not refill its caches.
      if (!this.#stale) this.#features.set(h.index, feature);
      out.push(feature);
    }
    evict(this.#features, this.#opts.featureCacheSize);
    return out;
  }

  /** Leaves whose boxes meet `rect`, walking the index level by level from the cached top. */
  async #search(rect: Rect, signal?: AbortSignal): Promise<Hit[]> {
    const levels = this.#levels;
    const leafStart = levels[0]![0];
    // The groups this search reads, its own: another query may clear the cache meanwhile.
    const views = new Map<number, DataView>();
    // Walk the cached top from the root down to its deepest level.
    let nodes: number[] = [];
    const stack: Array<[number, number]> = [[0, levels.length - 1]];
    while (stack.length) {
      const [k, level] = stack.pop()!;
      if (!intersects(this.#top, k * NODE_ITEM_BYTE_LENGTH, rect)) continue;
      if (level === this.#topLevel) {
        nodes.push(k);
        continue;
      }
      const child = this.#topPointer(k, level);
      const end = Math.min(child + this.#nodeSize, levels[level - 1]![1]);
      for (let c = child; c < end; c++) stack.push([c, level - 1]);
    }
    let level = this.#topLevel;
    // A node of the cached top covers a run of consecutive leaves (the tree is packed level by
    // level), so when that run is short the leaves are read straight away, skipping the
    // levels in between: one round trip instead of several, for a few more index bytes.
    const span = this.#nodeSize ** level;
    if (level > 1 && span <= DIRECT_LEAF_SPAN) {
      const [leafFirst, leafEnd] = levels[0]!;
      const topFirst = levels[level]![0];
      const groups: number[] = [];
      for (const k of nodes) {
        const from = leafFirst + (k - topFirst) * span;
        for (let g = from; g < Math.min(leafEnd, from + span); g += this.#nodeSize) groups.push(g);
      }
      await this.#loadGroups(groups, true, views, signal);
      const leaves: number[] = [];
      for (const g of groups) {
        const view = views.get(g)!;
        const end = Math.min(g + this.#nodeSize, leafEnd);
        for (let c = g; c < end; c++) if (intersects(view, (c - g) * NODE_ITEM_BYTE_LENGTH, rect)) leaves.push(c);
      }
      nodes = leaves;
      level = 0;
    }
    while (level > 0) {
      const [childFirst, childEnd] = levels[level - 1]!;
      const groups: number[] = [];
      for (const k of nodes) {
        const child = level === this.#topLevel ? this.#topPointer(k, level) : this.#nodeField(k, views);
        if (!(child >= childFirst && child < childEnd)) throw this.#corrupt(`index node ${k} points outside the level below`);
        groups.push(child);
      }
      await this.#loadGroups(groups, level - 1 === 0, views, signal);
      const next: number[] = [];
      for (const g of groups) {
        const view = views.get(g)!;
        const end = Math.min(g + this.#nodeSize, childEnd);
        for (let c = g; c < end; c++) if (intersects(view, (c - g) * NODE_ITEM_BYTE_LENGTH, rect)) next.push(c);
      }
      nodes = next;
      level--;
    }
    const featuresLength = this.#fileSize - this.#featuresStart;
    const hits: Hit[] = nodes.map((k) => {
      const offset = this.#nodeField(k, views);
      const end = this.#leafEnd(k, views, featuresLength);
      if (offset >= featuresLength || end > featuresLength) {
        throw new FormatError(`${this.#ctx.source} is truncated: feature ${k - leafStart + 1} lies beyond its ${this.#fileSize} bytes`, this.#ctx.source);
      }
      if (!(offset >= 0 && end > offset)) throw this.#corrupt(`index leaf ${k - leafStart + 1} has an impossible offset`);
      return { index: k - leafStart, offset, end };
    });
    evict(this.#groups, this.#opts.nodeCacheSize);
    return hits.sort((a, b) => a.offset - b.offset);
  }

  #topPointer(k: number, level: number): number {
    const child = Number(this.#top.getBigUint64(k * NODE_ITEM_BYTE_LENGTH + 32, true));
    const below = this.#levels[level - 1]!;
    if (!(child >= below[0] && child < below[1])) throw this.#corrupt(`index node ${k} points outside the level below`);
    return child;
  }

  /** The value of node k's offset field, from the top or the groups this search loaded. */
  #nodeField(k: number, views: ReadonlyMap<number, DataView>): number {
    if (k * NODE_ITEM_BYTE_LENGTH < this.#top.byteLength) return Number(this.#top.getBigUint64(k * NODE_ITEM_BYTE_LENGTH + 32, true));
    const g = this.#groupOf(k);
    const view = views.get(g);
    if (!view || (k - g + 1) * NODE_ITEM_BYTE_LENGTH > view.byteLength) throw new Error(`index node ${k} not loaded`);
    return Number(view.getBigUint64((k - g) * NODE_ITEM_BYTE_LENGTH + 32, true));
  }

  /** Where leaf k's feature ends: the next leaf's offset, kept as the extra node of k's group. */
  #leafEnd(k: number, views: ReadonlyMap<number, DataView>, featuresLength: number): number {
    const g = this.#groupOf(k);
    const view = views.get(g);
    if (!view) throw new Error(`index node ${k} not loaded`);
    const at = (k - g + 1) * NODE_ITEM_BYTE_LENGTH;
    return at < view.byteLength ? Number(view.getBigUint64(at + 32, true)) : featuresLength;
  }

  /** The first node of the sibling group holding node k (groups start at multiples of the node size within a level). */
  #groupOf(k: number): number {
    const [first] = this.#levels.find(([f, e]) => k >= f && k < e)!;
    return first + Math.floor((k - first) / this.#nodeSize) * this.#nodeSize;
  }

  /**
   * Puts the sibling groups into `views`, from the cache or fetched; leaf groups get one node
   * more, the next feature's offset.
   */
  async #loadGroups(groups: number[], leaves: boolean, views: Map<number, DataView>, signal?: AbortSignal): Promise<void> {
    const total = this.#levels[0]![1];
    const want: Array<{ group: number; start: number; end: number }> = [];
    for (const g of [...new Set(groups)].sort((a, b) => a - b)) {
      const hit = this.#groups.get(g);
      if (hit) {
        this.#groups.delete(g);
        this.#groups.set(g, hit);
        views.set(g, hit);
        continue;
      }
      const level = this.#levels.find(([f, e]) => g >= f && g < e)!;
      let end = Math.min(g + this.#nodeSize, level[1]);
      if (leaves && end < total) end++;
      want.push({ group: g, start: g * NODE_ITEM_BYTE_LENGTH, end: end * NODE_ITEM_BYTE_LENGTH });
    }
    if (!want.length) return;
    // Neighbouring groups are one request.
    const batches: Array<typeof want> = [];
    for (const w of want) {
      const last = batches.at(-1);
      const prev = last?.at(-1);
      if (last && prev && w.start - prev.end <= this.#opts.mergeGap && w.end - last[0]!.start <= this.#opts.maxRangeBytes) last.push(w);
      else batches.push([w]);
    }
    const queue = batches.slice();
    const worker = async (): Promise<void> => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) {
        const from = batch[0]!.start;
        const to = Math.max(...batch.map((b) => b.end));
        const bytes = await this.#fetch(this.#indexStart + from, this.#indexStart + to, signal);
        for (const b of batch) {
          const view = new DataView(bytes.buffer, bytes.byteOffset + b.start - from, b.end - b.start);
          views.set(b.group, view);
          if (!this.#stale) this.#groups.set(b.group, view);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#opts.concurrency, batches.length) }, worker));
  }

  #corrupt(detail: string): FormatError {
    return new FormatError(`${this.#ctx.source} is corrupt: ${detail}`, this.#ctx.source);
  }
}

interface Range {
  start: number;
  end: number;
  hits: Hit[];
}

/** Hits sorted by offset into byte ranges: neighbours within `gap` share a request, up to `max` bytes. */
export function mergeRanges(hits: readonly Hit[], gap: number, max: number): Range[] {
  const out: Range[] = [];
  for (const h of hits) {
    const last = out.at(-1);
    if (last && h.offset - last.end <= gap && h.end - last.start <= max) {
      last.end = Math.max(last.end, h.end);
      last.hits.push(h);
    } else out.push({ start: h.offset, end: h.end, hits: [h] });
  }
  return out;
}

function evict<K, V>(cache: Map<K, V>, max: number): void {
  // Maps iterate in insertion order and hits are re-inserted: the first keys are the stalest.
  for (const key of cache.keys()) {
    if (cache.size <= max) break;
    cache.delete(key);
  }
}

/**
 * What tells one version of the file from the next: the ETag of the response that opened it,
 * else its Last-Modified (a CORS-safelisted header, so it is readable even where a server does
 * not expose ETag; but only to the second). A server that sends neither cannot be checked:
 * the reader then trusts its caches for the life of the tab, as it did before it checked.
 */
interface Validator {
  header: 'etag' | 'last-modified';
  value: string;
}

function validatorOf(response: Response): Validator | null {
  const etag = response.headers.get('etag');
  if (etag) return { header: 'etag', value: etag };
  const modified = response.headers.get('last-modified');
  return modified ? { header: 'last-modified', value: modified } : null;
}

/** True when the response says it is of a version other than `expected`. */
function differs(expected: Validator, response: Response): boolean {
  const seen = response.headers.get(expected.header);
  // A response without the header (a proxy or CDN node that drops it) says nothing either way.
  if (!seen) return false;
  // Weak comparison (RFC 9110 8.8.3.2): a proxy that compresses weakens a tag ("x" → W/"x")
  // without the file changing, and a weak tag still changes when the file does.
  if (expected.header === 'etag') return opaqueTag(seen) !== opaqueTag(expected.value);
  return seen.trim() !== expected.value.trim();
}

const opaqueTag = (etag: string): string => etag.trim().replace(/^W\//, '');

/** The server has another version of the file than the one being read; never leaves this module. */
class FileChanged extends Error {
  override name = 'FileChanged';
}

function changedWhileRead(source: string): LoadError {
  return new LoadError(`could not load ${source}: the file changed on the server while it was being read; try again once the update is finished`, source);
}

/**
 * Bytes [start, end) of the file, checked: a server that ignores Range (200 with the whole
 * file) is refused before its body is read, a short answer is an error, not zeros, and an
 * answer from another version of the file than `expected` is FileChanged.
 *
 * No If-Match is sent: it is not a CORS-safelisted header, so every cross-origin request would
 * need a preflight, and servers compare it strongly, so a weak ETag would always fail it.
 * Comparing the response's own validator costs nothing; a 412 from a client or proxy that
 * adds If-Match itself still means the same.
 */
async function fetchRange(
  ctx: Ctx, start: number, end: number, signal: AbortSignal | undefined, expected: Validator | null,
): Promise<{ bytes: Uint8Array; size: number; validator: Validator | null }> {
  const { source, stats } = ctx;
  signal?.throwIfAborted();
  let response: Response;
  try {
    response = await ctx.fetch(ctx.url, { headers: { Range: `bytes=${start}-${end - 1}` }, signal });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (isAbortError(err)) throw err;
    throw new LoadError(`could not load ${source}: ${err instanceof Error ? err.message : String(err)}`, source, { cause: err });
  }
  stats.requests++;
  // Before the status: a file that shrank answers 416, and that is a change, not a truncation.
  if (response.status === 412 || (expected && (response.status === 206 || response.status === 416) && differs(expected, response))) {
    await response.body?.cancel().catch(() => undefined);
    throw new FileChanged(`${source} changed on the server`);
  }
  if (response.status === 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new LoadError(`could not load ${source} by viewport: the server does not answer HTTP range requests (it sent the whole file)`, source);
  }
  if (response.status === 416) throw new FormatError(`${source} is truncated: the server has fewer bytes than its index promises`, source);
  if (response.status !== 206) {
    await response.body?.cancel().catch(() => undefined);
    throw new LoadError(`could not load ${source}: HTTP ${response.status}${response.status === 404 ? ' (file not found)' : ''}`, source);
  }
  const total = /\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '')?.[1];
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw new LoadError(`could not load ${source}: ${err instanceof Error ? err.message : String(err)}`, source, { cause: err });
  }
  stats.bytes += bytes.length;
  const size = total ? Number(total) : start + bytes.length;
  const expectedLength = Math.min(end, size) - start;
  if (bytes.length !== expectedLength) throw new FormatError(`${source} is truncated: asked for ${expectedLength} bytes at ${start}, got ${bytes.length}`, source);
  return { bytes, size, validator: validatorOf(response) };
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
