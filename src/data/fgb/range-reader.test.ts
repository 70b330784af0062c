import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { LoadError, isAbortError } from '../errors.ts';
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
    const noRanges: typeof fetch = async () => {
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

/**
 * One file served by range from memory, replaceable between requests (an update landing on
 * the server), each version with the validators `validators` gives it.
 */
function changingFile(first: Uint8Array, validators: (version: number) => Record<string, string>) {
  const file = {
    bytes: first,
    version: 1,
    /** Every request: where it started, which version answered, its status. */
    log: [] as Array<{ start: number; version: number; status: number }>,
    /** Called before each request is answered, with how many came before it. */
    beforeAnswer: (_seen: number): void => undefined,
    /** Answer with this status instead, once. */
    failOnce: 0,
    replace(bytes: Uint8Array): void {
      file.bytes = bytes;
      file.version++;
    },
    fetch: (async (_input, init) => {
      file.beforeAnswer(file.log.length);
      init?.signal?.throwIfAborted();
      const [, a, b] = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers).get('range')!)!;
      const start = Number(a);
      const headers = validators(file.version);
      if (file.failOnce) {
        const status = file.failOnce;
        file.failOnce = 0;
        file.log.push({ start, version: file.version, status });
        return new Response(null, { status, headers });
      }
      if (start >= file.bytes.length) {
        file.log.push({ start, version: file.version, status: 416 });
        return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${file.bytes.length}` } });
      }
      const part = file.bytes.slice(start, Math.min(Number(b), file.bytes.length - 1) + 1);
      file.log.push({ start, version: file.version, status: 206 });
      return new Response(part, { status: 206, headers: { ...headers, 'Content-Range': `bytes ${start}-${start + part.length - 1}/${file.bytes.length}` } });
    }) as typeof fetch,
    /** Requests that read the file from its start (an open or a re-read) since `from`. */
    opens(from = 0): number {
      return file.log.slice(from).filter((r) => r.start === 0).length;
    },
  };
  return file;
}

// The update: other points in other places, told apart by `n` (100,000 up).
const updated = randomFeatures(mulberry32(80), 2000, ['Point']);
for (const f of updated.features) f.properties!.n = (f.properties!.n as number) + 100_000;
const updatedBytes = writeFgb(updated, { crs: { org: 'EPSG', code: 4490 } });
const lastModified = (v: number): string => new Date(Date.UTC(2025, 0, 1, 8, 0, v)).toUTCString();

describe('FgbRangeReader on a file that changes on the server', () => {
  it.each([
    ['a strong ETag', (v: number) => ({ ETag: `"v${v}"` })],
    ['a weak ETag', (v: number) => ({ ETag: `W/"v${v}"` })],
    ['Last-Modified only', (v: number) => ({ 'Last-Modified': lastModified(v) })],
  ])('with %s, the next query drops the caches, re-reads the file once and returns the new features', async (_name, validators) => {
    const file = changingFile(pointBytes, validators);
    const changes: number[] = [];
    const reader = await FgbRangeReader.open('http://x/points.fgb', { fetch: file.fetch, featureCacheSize: 500, onChange: (r) => changes.push(r.generation) });
    // The whole index read and 500 features cached: the next query has cached features and
    // no index request, so the first thing to tell of the update is a feature range.
    expect(ns(flat(await collect(reader.query(EXTENT))))).toEqual(bruteForce(points, EXTENT));
    expect(reader.cachedFeatures).toBe(500);
    file.replace(updatedBytes);
    const seen = file.log.length;
    const batches = await collect(reader.query(EXTENT));
    // Not one of the old features, not even those cached: the view is the new file's alone.
    expect(ns(flat(batches))).toEqual(bruteForce(updated, EXTENT));
    expect(reader.header.featuresCount).toBe(2000);
    expect(reader.generation).toBe(1);
    expect(changes).toEqual([1]);
    expect(file.opens(seen)).toBe(1);
    // From now on the caches serve the new version, with no further check or re-read.
    const rect = { minX: 122.1, minY: 29.95, maxX: 122.2, maxY: 30.05 };
    expect(ns(flat(await collect(reader.query(rect))))).toEqual(bruteForce(updated, rect));
    const requests = reader.stats.requests;
    expect(ns(flat(await collect(reader.query(rect))))).toEqual(bruteForce(updated, rect));
    expect(reader.stats.requests).toBe(requests);
    expect(reader.generation).toBe(1);
    expect(reader.overview().reduce((s, c) => s + c.count, 0)).toBe(2000);
  });

  it('a change found by the first request of a query, before anything was handed out, is retried on the new file', async () => {
    const file = changingFile(pointBytes, (v) => ({ ETag: `"v${v}"` }));
    const reader = await FgbRangeReader.open('http://x/points.fgb', { fetch: file.fetch });
    const opened = file.log.length;
    // Replaced just before the query's first (index) request is answered.
    file.beforeAnswer = (n) => {
      if (n === opened) file.replace(updatedBytes);
    };
    const rect = { minX: 122.0, minY: 29.9, maxX: 122.2, maxY: 30.1 };
    expect(ns(flat(await collect(reader.query(rect))))).toEqual(bruteForce(updated, rect));
    expect(reader.generation).toBe(1);
    expect(file.opens(opened)).toBe(1);
  });

  it('a re-read stopped by the abort signal is done by the next query, and nothing stale is served meanwhile', async () => {
    const file = changingFile(pointBytes, (v) => ({ ETag: `"v${v}"` }));
    const reader = await FgbRangeReader.open('http://x/points.fgb', { fetch: file.fetch, featureCacheSize: 500 });
    await collect(reader.query(EXTENT));
    file.replace(updatedBytes);
    const controller = new AbortController();
    const seen = file.log.length;
    // The first answer is the mismatch; the re-read that follows is stopped before it is answered.
    file.beforeAnswer = (n) => {
      if (n === seen + 1) controller.abort();
    };
    await expect(collect(reader.query(EXTENT, controller.signal))).rejects.toSatisfy(isAbortError);
    expect(reader.generation).toBe(0);
    file.beforeAnswer = () => undefined;
    expect(ns(flat(await collect(reader.query(EXTENT))))).toEqual(bruteForce(updated, EXTENT));
    expect(reader.generation).toBe(1);
  });

  it('a 412 is a change too', async () => {
    const file = changingFile(pointBytes, (v) => ({ ETag: `"v${v}"` }));
    const reader = await FgbRangeReader.open('http://x/points.fgb', { fetch: file.fetch });
    file.replace(updatedBytes);
    file.failOnce = 412;
    expect(ns(flat(await collect(reader.query(EXTENT))))).toEqual(bruteForce(updated, EXTENT));
    expect(reader.generation).toBe(1);
  });

  it('a file that keeps changing fails with an error naming it, after one retry, and is read afresh once it settles', async () => {
    const file = changingFile(pointBytes, (v) => ({ ETag: `"v${v}"` }));
    const reader = await FgbRangeReader.open('http://x/points.fgb', { fetch: file.fetch, featureCacheSize: 500 });
    await collect(reader.query(EXTENT));
    const opened = file.log.length;
    // A new version before every answer: nothing two requests read belongs together.
    let flip = false;
    file.beforeAnswer = () => {
      flip = !flip;
      file.replace(flip ? updatedBytes : pointBytes);
    };
    const error = await collect(reader.query(EXTENT)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadError);
    expect((error as Error).message).toMatch(/points\.fgb.*changed on the server while it was being read/);
    expect(file.opens(opened)).toBe(1);
    // Nothing of a version found stale is served from the caches afterwards.
    file.beforeAnswer = () => undefined;
    const now = file.bytes === updatedBytes ? updated : points;
    expect(ns(flat(await collect(reader.query(EXTENT))))).toEqual(bruteForce(now, EXTENT));
  });

  it('a file replaced while it is being opened is opened again once; one that keeps changing is refused by name', async () => {
    // A short header guess and no index budget: three requests to open, so an update can land between them.
    const small = { headerGuess: 16, topIndexBytes: 0 };
    const once = changingFile(pointBytes, (v) => ({ ETag: `"v${v}"` }));
    once.beforeAnswer = (n) => {
      if (n === 1) once.replace(updatedBytes);
    };
    const reader = await FgbRangeReader.open('http://x/points.fgb', { fetch: once.fetch, ...small });
    expect(reader.header.featuresCount).toBe(2000);
    expect(reader.generation).toBe(0);
    expect(once.opens()).toBe(2);
    const always = changingFile(pointBytes, (v) => ({ ETag: `"v${v}"` }));
    always.beforeAnswer = () => always.replace(always.version % 2 ? updatedBytes : pointBytes);
    await expect(FgbRangeReader.open('http://x/points.fgb', { fetch: always.fetch, ...small })).rejects.toThrow(/points\.fgb.*changed on the server while it was being read/);
    expect(always.opens()).toBe(2);
  });

  it('a change found after batches were handed out is an error, not a mix of both files; the next query reads the new one', async () => {
    const file = changingFile(pointBytes, (v) => ({ ETag: `"v${v}"` }));
    const changes: number[] = [];
    const reader = await FgbRangeReader.open('http://x/points.fgb', { fetch: file.fetch, maxRangeBytes: 2_000, concurrency: 1, onChange: (r) => changes.push(r.generation) });
    const got: Feature[] = [];
    let error: unknown;
    try {
      for await (const batch of reader.query(EXTENT)) {
        got.push(...batch);
        if (file.version === 1) file.replace(updatedBytes);
      }
    } catch (err) {
      error = err;
    }
    expect((error as Error).message).toMatch(/points\.fgb.*changed on the server while it was being read/);
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((f) => (f.properties!.n as number) < 100_000)).toBe(true);
    expect(changes).toEqual([1]);
    expect(ns(flat(await collect(reader.query(EXTENT))))).toEqual(bruteForce(updated, EXTENT));
  });

  it('a weak and a strong ETag with the same opaque tag are the same file', async () => {
    const file = changingFile(pointBytes, (v) => ({ ETag: v % 2 ? 'W/"same"' : '"same"' }));
    file.beforeAnswer = () => file.version++;
    const reader = await FgbRangeReader.open('http://x/points.fgb', { fetch: file.fetch });
    expect(ns(flat(await collect(reader.query(EXTENT))))).toEqual(bruteForce(points, EXTENT));
    expect(reader.generation).toBe(0);
  });

  it('a server without ETag or Last-Modified is not checked: the caches are trusted as before', async () => {
    const file = changingFile(pointBytes, () => ({}));
    const changes: number[] = [];
    const reader = await FgbRangeReader.open('http://x/points.fgb', { fetch: file.fetch, onChange: (r) => changes.push(r.generation) });
    const rect = { minX: 122.1, minY: 29.95, maxX: 122.15, maxY: 30.0 };
    expect(ns(flat(await collect(reader.query(rect))))).toEqual(bruteForce(points, rect));
    const requests = reader.stats.requests;
    const batches = await collect(reader.query(rect));
    // The cached batch comes at once, with no request to confirm it.
    expect(batches).toHaveLength(1);
    expect(reader.stats.requests).toBe(requests);
    // An update cannot be seen: the view served from the caches is the one read before.
    file.replace(updatedBytes);
    expect(ns(flat(await collect(reader.query(rect))))).toEqual(bruteForce(points, rect));
    expect(reader.stats.requests).toBe(requests);
    expect(reader.generation).toBe(0);
    expect(changes).toEqual([]);
    expect(file.opens()).toBe(1);
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
