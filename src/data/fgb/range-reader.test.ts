import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { FormatError, LoadError, isAbortError } from '../errors.ts';
import { calcTreeSize } from './packed-rtree.ts';
import { FgbRangeReader, mergeRanges } from './range-reader.ts';
import { EXTENT, bruteForce, collect, mulberry32, ns, randomFeatures, randomRects, serveFiles, type RangeServer } from './test-fixtures.ts';
import { writeFgb } from './write-fgb.ts';

// Enough features for four index levels with node size 16 (5,000 → 313 → 20 → 2 → 1).
const fc = randomFeatures(mulberry32(77), 5000);
const bytes = writeFgb(fc);
const points = randomFeatures(mulberry32(78), 3000, ['Point']);
const pointBytes = writeFgb(points, { crs: { org: 'EPSG', code: 4490 } });
const pointFeaturesStart = 12 + new DataView(pointBytes.buffer).getUint32(8, true) + calcTreeSize(3000, 16);
const small = randomFeatures(mulberry32(79), 10, ['Polygon']);
const smallBytes = writeFgb(small);
const unindexed = writeFgb(small, { indexNodeSize: 0 });

let server: RangeServer;
beforeAll(async () => {
  server = await serveFiles(new Map([
    ['layer.fgb', bytes],
    ['points.fgb', pointBytes],
    ['small.fgb', smallBytes],
    ['plain.fgb', unindexed],
    ['cut.fgb', bytes.subarray(0, Math.floor(bytes.length * 0.7))],
    ['garbage.fgb', new TextEncoder().encode('<html>not found</html>'.repeat(100))],
  ]));
});
afterAll(() => server.close());

const flat = (batches: Feature[][]): Feature[] => batches.flat();

describe('FgbRangeReader', () => {
  it('returns exactly the features whose bbox meets the rectangle, for many rectangles', async () => {
    const reader = await FgbRangeReader.open(server.url('layer.fgb'), { topIndexBytes: 2_000 });
    for (const rect of randomRects(mulberry32(5), 40)) {
      expect(ns(flat(await collect(reader.query(rect))))).toEqual(bruteForce(fc, rect));
    }
  });

  it('works with every top-of-index budget, down to the root alone', async () => {
    const rect = { minX: 122.0, minY: 29.9, maxX: 122.2, maxY: 30.0 };
    for (const topIndexBytes of [0, 40 * 20, 40 * 400, 1e6]) {
      const reader = await FgbRangeReader.open(server.url('layer.fgb'), { topIndexBytes });
      expect(ns(flat(await collect(reader.query(rect))))).toEqual(bruteForce(fc, rect));
    }
  });

  it('reads a file small enough that the index is two levels', async () => {
    const reader = await FgbRangeReader.open(server.url('small.fgb'));
    expect(ns(flat(await collect(reader.query(EXTENT))))).toEqual(bruteForce(small, EXTENT));
  });

  it('fetches a small view with a fraction of the file, and nothing twice', async () => {
    const reader = await FgbRangeReader.open(server.url('points.fgb'));
    const opened = reader.stats.bytes;
    const rect = { minX: 122.1, minY: 29.95, maxX: 122.15, maxY: 30.0 };
    const first = flat(await collect(reader.query(rect)));
    expect(ns(first)).toEqual(bruteForce(points, rect));
    expect(first.length).toBeGreaterThan(10);
    const firstBytes = reader.stats.bytes;
    // Opening reads a fixed prefix (header and index top); the view itself costs a sliver.
    expect(firstBytes - opened).toBeLessThan(pointBytes.length / 10);
    // The same view again: everything from the caches, no request.
    const requests = reader.stats.requests;
    const again = flat(await collect(reader.query(rect)));
    expect(ns(again)).toEqual(ns(first));
    expect(reader.stats.requests).toBe(requests);
    // A view shifted by half: only the new half is fetched.
    const shifted = { ...rect, minX: 122.125, maxX: 122.175 };
    const next = flat(await collect(reader.query(shifted)));
    expect(ns(next)).toEqual(bruteForce(points, shifted));
    expect(reader.stats.bytes - firstBytes).toBeLessThan(firstBytes - opened);
    expect(opened).toBeLessThanOrEqual(16 * 1024 + 256 * 1024);
  });

  it('delivers cached features first, then each range as it arrives', async () => {
    const reader = await FgbRangeReader.open(server.url('points.fgb'), { maxRangeBytes: 4_000 });
    const rect = { minX: 122.0, minY: 29.9, maxX: 122.3, maxY: 30.1 };
    const batches = await collect(reader.query(rect));
    expect(batches.length).toBeGreaterThan(3);
    const inner = { minX: 122.1, minY: 29.95, maxX: 122.2, maxY: 30.05 };
    const again = await collect(reader.query(inner));
    expect(again).toHaveLength(1);
    expect(ns(again[0]!)).toEqual(bruteForce(points, inner));
  });

  it('a slow consumer still gets every range, however the requests interleave', async () => {
    const reader = await FgbRangeReader.open(server.url('points.fgb'), { maxRangeBytes: 3_000, concurrency: 4 });
    const got: Feature[] = [];
    for await (const batch of reader.query(EXTENT)) {
      got.push(...batch);
      // Long enough for every request in flight to land meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(ns(got)).toEqual(bruteForce(points, EXTENT));
  });

  it('counts at least the features in view from the index top, and its overview holds every feature once', async () => {
    const reader = await FgbRangeReader.open(server.url('layer.fgb'), { topIndexBytes: 40 * 400 });
    const cells = reader.overview();
    expect(cells.reduce((s, c) => s + c.count, 0)).toBe(5000);
    for (const rect of randomRects(mulberry32(6), 20)) {
      expect(reader.estimate(rect)).toBeGreaterThanOrEqual(bruteForce(fc, rect).length);
    }
    expect(reader.estimate({ minX: 0, minY: 0, maxX: 1, maxY: 1 })).toBe(0);
    expect(reader.estimate(EXTENT)).toBe(5000);
  });

  it('stops with the abort reason, and the reader still works afterwards', async () => {
    const reader = await FgbRangeReader.open(server.url('points.fgb'), { maxRangeBytes: 2_000 });
    const controller = new AbortController();
    const got: Feature[] = [];
    let error: unknown;
    try {
      for await (const batch of reader.query(EXTENT, controller.signal)) {
        got.push(...batch);
        controller.abort();
      }
    } catch (err) {
      error = err;
    }
    expect(isAbortError(error)).toBe(true);
    expect(got.length).toBeLessThan(3000);
    expect(flat(await collect(reader.query(EXTENT)))).toHaveLength(3000);
  });

  it('an aborted signal stops before any request', async () => {
    const controller = new AbortController();
    controller.abort();
    const before = server.log.length;
    await expect(FgbRangeReader.open(server.url('points.fgb'), { signal: controller.signal })).rejects.toSatisfy(isAbortError);
    expect(server.log.length).toBe(before);
  });

  it('keeps its caches bounded', async () => {
    const reader = await FgbRangeReader.open(server.url('layer.fgb'), { featureCacheSize: 100, nodeCacheSize: 10 });
    await collect(reader.query(EXTENT));
    expect(reader.cachedFeatures).toBeLessThanOrEqual(100);
    expect(ns(flat(await collect(reader.query(EXTENT))))).toEqual(bruteForce(fc, EXTENT));
  });

  it('refuses a file without an index, a cut-off file, a server without ranges and non-FlatGeobuf bytes, by name', async () => {
    await expect(FgbRangeReader.open(server.url('plain.fgb'))).rejects.toThrow(/plain\.fgb has no spatial index/);
    // A file cut inside its features opens (header and index are whole), then says so when read.
    const cut = await FgbRangeReader.open(server.url('cut.fgb'));
    await expect(collect(cut.query(EXTENT))).rejects.toThrow(/cut\.fgb is truncated/);
    await expect(FgbRangeReader.open(server.url('garbage.fgb'))).rejects.toThrow(/garbage\.fgb is not a FlatGeobuf file/);
    await expect(FgbRangeReader.open(server.url('missing.fgb'))).rejects.toThrow(/missing\.fgb.*404/);
    const noRanges: typeof fetch = async (input) => {
      const body = bytes.slice();
      return new Response(body, { status: 200, headers: { 'Content-Length': String(body.length) } });
    };
    const err = await FgbRangeReader.open('http://x/big.fgb', { fetch: noRanges }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    expect((err as Error).message).toMatch(/big\.fgb.*does not answer HTTP range requests/);
  });

  it('reports a feature range the server cuts short instead of decoding zeros', async () => {
    const short: typeof fetch = async (input, init) => {
      const range = new Headers(init?.headers).get('range')!;
      const [, a, b] = /bytes=(\d+)-(\d+)/.exec(range)!;
      const start = Number(a);
      // Header and index are served whole; feature ranges lose their last bytes.
      const end = start >= pointFeaturesStart ? Number(b) - 8 : Number(b);
      const part = pointBytes.slice(start, Math.min(end, pointBytes.length - 1) + 1);
      return new Response(part, { status: 206, headers: { 'Content-Range': `bytes ${start}-${start + part.length - 1}/${pointBytes.length}` } });
    };
    const reader = await FgbRangeReader.open('http://x/points.fgb', { fetch: short });
    await expect(collect(reader.query(EXTENT))).rejects.toThrow(/points\.fgb is truncated/);
  });
});

describe('mergeRanges', () => {
  const hit = (offset: number, end: number, index = 0) => ({ index, offset, end });
  it('joins neighbours within the gap and splits at the size limit', () => {
    const ranges = mergeRanges([hit(0, 10), hit(10, 20), hit(50, 60), hit(200, 210)], 30, 1000);
    expect(ranges.map((r) => [r.start, r.end, r.hits.length])).toEqual([[0, 60, 3], [200, 210, 1]]);
    expect(mergeRanges([hit(0, 10), hit(10, 20), hit(20, 30)], 30, 20).map((r) => [r.start, r.end])).toEqual([[0, 20], [20, 30]]);
    expect(mergeRanges([], 10, 10)).toEqual([]);
  });
});
