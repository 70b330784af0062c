import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import Config from 'flatgeobuf/lib/mjs/config.js';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { Feature } from 'geojson';
import { FormatError, LoadError, isAbortError } from '../errors.ts';
import { calcTreeSize } from './packed-rtree.ts';
import { readFgb, readFgbHeader } from './read-fgb.ts';
import type { FgbHeader } from './read-fgb.ts';
import { bruteForce, collect, mulberry32, ns, randomFeatures, randomRects, serveFiles } from './test-fixtures.ts';
import type { RangeServer } from './test-fixtures.ts';
import { writeFgb } from './write-fgb.ts';

const fc = randomFeatures(mulberry32(2024), 400);
const bytes = writeFgb(fc, { crs: { org: 'EPSG', code: 4490 }, title: '整改点位' });
const plain = writeFgb(fc, { indexNodeSize: 0 });
const empty = writeFgb({ type: 'FeatureCollection', features: [] });

const view = new DataView(bytes.buffer);
const headerEnd = 12 + view.getUint32(8, true);
const featuresStart = headerEnd + calcTreeSize(400, 16);
const featureStarts: number[] = [];
for (let at = featuresStart; at < bytes.length; at += 4 + view.getUint32(at, true)) featureStarts.push(at);

// flatgeobuf logs every step of a bbox read with console.debug.
beforeEach(() => void vi.spyOn(console, 'debug').mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

// Nothing here may leave a promise rejected with no one listening.
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

/** The error `promise` rejects with (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

function cut(at: number): Uint8Array {
  return bytes.slice(0, at);
}

describe('readFgbHeader', () => {
  it('reads what writeFgb wrote', () => {
    const header = readFgbHeader(bytes);
    expect(header).toMatchObject({
      featuresCount: 400,
      indexNodeSize: 16,
      crs: { org: 'EPSG', code: 4490, wkt: null },
      title: '整改点位',
      geometryType: 'Unknown',
    });
    expect(header.columns.map((c) => c.name)).toEqual(['n', 'name', 'flag', 'area', 'households', 'note']);
  });

  it('needs only the bytes up to the end of the header', () => {
    expect(readFgbHeader(cut(headerEnd))).toEqual(readFgbHeader(bytes));
  });

  it('names the source in its errors', () => {
    expect(() => readFgbHeader(cut(headerEnd - 1), { sourceName: 'x.fgb' })).toThrow(
      `x.fgb is truncated: it ends inside the header (${headerEnd - 1} of ${headerEnd} bytes)`,
    );
    expect(() => readFgbHeader(new TextEncoder().encode('{"type":"FeatureCollection"}'))).toThrow(
      'FlatGeobuf data is not a FlatGeobuf file: it does not start with the FlatGeobuf signature ("fgb")',
    );
  });
});

describe('readFgb from bytes', () => {
  it('yields every feature in file order, numbered from 0', async () => {
    const read = await collect(readFgb(bytes));
    expect(read.map((f) => f.id)).toEqual(read.map((_, i) => i));
    expect(ns(read)).toEqual(fc.features.map((f) => f.properties!.n as unknown));
  });

  it('yields by rect exactly the features a brute-force bbox filter finds', async () => {
    let empties = 0;
    for (const rect of randomRects(mulberry32(9), 120)) {
      const read = await collect(readFgb(bytes, { rect }));
      const want = bruteForce(fc, rect);
      expect(ns(read)).toEqual(want);
      if (want.length === 0) empties++;
    }
    expect(empties).toBeGreaterThan(0);
  });

  it('reads a Uint8Array that is a view at an odd offset of a larger buffer', async () => {
    // flatgeobuf alone misreads this: its ArrayReader reads `bytes.buffer` from offset 0.
    const padded = new Uint8Array(bytes.length + 5);
    padded.set(bytes, 3);
    const shifted = padded.subarray(3, 3 + bytes.length);
    const rect = { minX: 122, minY: 29.9, maxX: 122.3, maxY: 30.1 };
    expect(ns(await collect(readFgb(shifted, { rect })))).toEqual(bruteForce(fc, rect));
    expect(await collect(readFgb(shifted))).toEqual(await collect(readFgb(bytes)));
  });

  it('ignores bytes after the last feature', async () => {
    const longer = new Uint8Array(bytes.length + 16).fill(7);
    longer.set(bytes);
    expect(await collect(readFgb(longer))).toHaveLength(400);
  });

  it('reports the header once, before the first feature', async () => {
    const events: string[] = [];
    let seen: FgbHeader | undefined;
    for await (const f of readFgb(bytes, { onHeader: (h) => ((seen = h), events.push('header')) })) {
      events.push(`feature ${String(f.id)}`);
      if (events.length === 3) break;
    }
    expect(events).toEqual(['header', 'feature 0', 'feature 1']);
    expect(seen).toEqual(readFgbHeader(bytes));
  });

  it('stops between features when the signal aborts', async () => {
    const controller = new AbortController();
    const read: Feature[] = [];
    const err = await failure(
      (async () => {
        for await (const f of readFgb(bytes, { signal: controller.signal })) {
          read.push(f);
          if (read.length === 5) controller.abort();
        }
      })(),
    );
    expect(isAbortError(err)).toBe(true);
    expect(read).toHaveLength(5);
    const before = AbortSignal.abort();
    expect(isAbortError(await failure(collect(readFgb(bytes, { signal: before }))))).toBe(true);
  });

  it('refuses a bbox read of a file without index, naming it', async () => {
    const err = await failure(collect(readFgb(plain, { rect: { minX: 0, minY: 0, maxX: 1, maxY: 1 }, sourceName: 'plain.fgb' })));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toBe('plain.fgb has no spatial index, so it cannot be read by bounding box');
    expect((err as FormatError).source).toBe('plain.fgb');
    expect(await collect(readFgb(plain))).toHaveLength(400);
  });

  it('checks its arguments', async () => {
    await expect(collect(readFgb(42 as unknown as Uint8Array))).rejects.toThrow('input must be a Uint8Array or a URL');
    await expect(collect(readFgb(bytes, { rect: { minX: 0, minY: 0, maxX: 1 } as never }))).rejects.toThrow('rect.maxY must be a number');
  });
});

describe('readFgb errors', () => {
  const source = 'x.fgb';

  async function formatError(input: Uint8Array, rect?: boolean): Promise<FormatError> {
    const options = rect ? { sourceName: source, rect: { minX: -180, minY: -90, maxX: 180, maxY: 90 } } : { sourceName: source };
    const err = await failure(collect(readFgb(input, options)));
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).source).toBe(source);
    return err as FormatError;
  }

  it('says when the magic bytes are wrong', async () => {
    const geojson = new TextEncoder().encode(JSON.stringify(fc));
    expect((await formatError(geojson)).message).toBe('x.fgb is not a FlatGeobuf file: it does not start with the FlatGeobuf signature ("fgb")');
    expect((await formatError(geojson, true)).message).toBe('x.fgb is not a FlatGeobuf file: it does not start with the FlatGeobuf signature ("fgb")');
    const v2 = bytes.slice();
    v2[3] = 2;
    expect((await formatError(v2)).message).toBe('x.fgb is FlatGeobuf version 2; only version 3 can be read');
    expect((await formatError(new Uint8Array(0))).message).toBe('x.fgb is empty');
  });

  const last = featureStarts[featureStarts.length - 1]!;
  const cuts: Array<[string, number, string]> = [
    ['inside the magic bytes', 5, 'it ends inside the header (5 of 12 bytes)'],
    ['inside the header length', 10, 'it ends inside the header (10 of 12 bytes)'],
    ['inside the header', 12 + 20, `it ends inside the header (32 of ${headerEnd} bytes)`],
    ['just before the end of the header', headerEnd - 1, `it ends inside the header (${headerEnd - 1} of ${headerEnd} bytes)`],
    ['inside the index', headerEnd + 1000, `it ends inside the spatial index (1000 of ${featuresStart - headerEnd} bytes)`],
    ['at the end of the index', featuresStart, 'it holds 0 of 400 features'],
    ['inside the first size prefix', featuresStart + 2, 'it ends inside feature 1 of 400'],
    ['inside the first feature', featuresStart + 30, 'it ends inside feature 1 of 400'],
    ['between features', featureStarts[200]!, 'it holds 200 of 400 features'],
    ['inside feature 201', featureStarts[200]! + 9, 'it ends inside feature 201 of 400'],
    ['inside the last feature', bytes.length - 1, 'it ends inside feature 400 of 400'],
    ['inside the last size prefix', last + 3, 'it ends inside feature 400 of 400'],
  ];
  it.each(cuts)('says a file cut %s is truncated, with or without rect', async (_, at, detail) => {
    expect((await formatError(cut(at))).message).toBe(`x.fgb is truncated: ${detail}`);
    expect((await formatError(cut(at), true)).message).toBe(`x.fgb is truncated: ${detail}`);
  });

  it('says when the header length or header table is impossible', async () => {
    const huge = bytes.slice();
    new DataView(huge.buffer).setUint32(8, 0xffffffff, true);
    expect((await formatError(huge)).message).toBe('x.fgb is corrupt: its header length (4294967295 bytes) is impossible');
    const scrambled = bytes.slice();
    scrambled.fill(0xff, 12, headerEnd);
    expect((await formatError(scrambled)).message).toMatch(/^x\.fgb is corrupt: its header cannot be read/);
  });

  it('says when the index points outside the file', async () => {
    const corrupt = bytes.slice();
    const leaf = featuresStart - 40; // last leaf
    new DataView(corrupt.buffer).setBigUint64(leaf + 32, 10n ** 9n, true);
    const err = await formatError(corrupt, true);
    expect(err.message).toMatch(/^x\.fgb is truncated or corrupt: /);
  });
});

describe('over HTTP range requests', () => {
  let server: RangeServer;
  const files = new Map<string, Uint8Array>([
    ['indexed.fgb', bytes],
    ['plain.fgb', plain],
    ['empty.fgb', empty],
    ['not-fgb.fgb', new TextEncoder().encode(JSON.stringify(fc))],
    ['cut.fgb', cut(featureStarts[300]! + 20)],
    ['舟山 点位.fgb', bytes],
  ]);

  beforeAll(async () => void (server = await serveFiles(files)));
  afterAll(async () => server.close());
  beforeEach(() => {
    server.log.length = 0;
    // flatgeobuf's HTTP reader also console.errors the bytes of a file with wrong magic.
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });

  it('flatgeobuf reads our index by bbox: same features as a brute-force filter, by Range requests only', async () => {
    const url = server.url('indexed.fgb');
    let empties = 0;
    for (const rect of randomRects(mulberry32(77), 40)) {
      const read = await collect(deserialize(url, { rect }));
      const ids = read.map((f) => f.properties!.n as number);
      expect(new Set(ids).size).toBe(ids.length);
      const want = bruteForce(fc, rect);
      expect(ns(read)).toEqual(want);
      if (want.length === 0) empties++;
    }
    expect(empties).toBeGreaterThan(0);
    expect(server.log.every((r) => r.status === 206 && r.range !== undefined)).toBe(true);
  });

  it('fetches a fraction of the file for a small rect', async () => {
    const rect = { minX: 122.1, minY: 29.95, maxX: 122.14, maxY: 29.99 };
    const read = await collect(deserialize(server.url('indexed.fgb'), { rect }));
    expect(ns(read)).toEqual(bruteForce(fc, rect));
    expect(read.length).toBeGreaterThan(0);
    const fetched = server.log.reduce((sum, r) => sum + r.bytes, 0);
    expect(fetched).toBeLessThan(bytes.length / 2);
  });

  it('still agrees when flatgeobuf splits the read into many small requests', async () => {
    // Below ~640 bytes (one node's children) flatgeobuf's own search breaks; 2 KiB is valid.
    Config.global.setExtraRequestThreshold(2048);
    try {
      for (const rect of randomRects(mulberry32(78), 15)) {
        expect(ns(await collect(deserialize(server.url('indexed.fgb'), { rect })))).toEqual(bruteForce(fc, rect));
      }
    } finally {
      Config.global.setExtraRequestThreshold(256 * 1024);
    }
    expect(server.log.length).toBeGreaterThan(15 * 3);
  });

  it('flatgeobuf cannot read a file without index by bbox (so the test above can fail)', async () => {
    await expect(collect(deserialize(server.url('plain.fgb'), { rect: { minX: 0, minY: 0, maxX: 1, maxY: 1 } }))).rejects.toThrow(
      'No index found',
    );
  });

  it('readFgb by rect from a URL equals the brute-force filter and reports the header', async () => {
    let header: FgbHeader | undefined;
    for (const rect of randomRects(mulberry32(79), 20)) {
      const read = await collect(readFgb(server.url('indexed.fgb'), { rect, onHeader: (h) => (header = h) }));
      expect(ns(read)).toEqual(bruteForce(fc, rect));
    }
    expect(header).toEqual(readFgbHeader(bytes));
  });

  it('readFgb without rect downloads the whole file once', async () => {
    const read = await collect(readFgb(server.url('舟山 点位.fgb')));
    expect(read).toEqual(await collect(readFgb(bytes)));
    expect(server.log).toHaveLength(1);
  });

  it('reads an empty file by rect as no features', async () => {
    let header: FgbHeader | undefined;
    const read = await collect(readFgb(server.url('empty.fgb'), { rect: { minX: 0, minY: 0, maxX: 1, maxY: 1 }, onHeader: (h) => (header = h) }));
    expect(read).toEqual([]);
    expect(header?.featuresCount).toBe(0);
  });

  it('turns HTTP and format failures into LoadError and FormatError naming the file', async () => {
    const rect = { minX: -180, minY: -90, maxX: 180, maxY: 90 };
    const cases: Array<[string, { rect?: typeof rect }, typeof LoadError, string | RegExp]> = [
      ['plain.fgb', { rect }, FormatError, 'plain.fgb has no spatial index, so it cannot be read by bounding box'],
      ['not-fgb.fgb', { rect }, FormatError, 'not-fgb.fgb is not a FlatGeobuf file: it does not start with the FlatGeobuf signature ("fgb")'],
      ['not-fgb.fgb', {}, FormatError, 'not-fgb.fgb is not a FlatGeobuf file: it does not start with the FlatGeobuf signature ("fgb")'],
      ['missing.fgb', { rect }, LoadError, 'could not load missing.fgb: HTTP 404 Not Found'],
      ['missing.fgb', {}, LoadError, 'could not load missing.fgb: HTTP 404 Not Found'],
      ['cut.fgb', {}, FormatError, 'cut.fgb is truncated: it ends inside feature 301 of 400'],
      ['cut.fgb', { rect }, FormatError, /^cut\.fgb is truncated/],
    ];
    for (const [name, options, type, message] of cases) {
      const err = await failure(collect(readFgb(server.url(name), options)));
      expect(err, `${name} ${JSON.stringify(options)}`).toBeInstanceOf(type);
      if (type === LoadError) expect(err).not.toBeInstanceOf(FormatError);
      expect(err.message).toMatch(message);
      expect((err as LoadError).source).toBe(name);
    }
  });

  it('says when the server cannot be reached', async () => {
    const gone = await serveFiles(new Map());
    const url = gone.url('gone.fgb');
    await gone.close();
    for (const options of [{}, { rect: { minX: 0, minY: 0, maxX: 1, maxY: 1 } }]) {
      const err = await failure(collect(readFgb(url, options)));
      expect(err).toBeInstanceOf(LoadError);
      expect(err.message).toMatch(/^could not load gone\.fgb: /);
    }
  });

  it('stops a URL read when the signal aborts', async () => {
    const controller = new AbortController();
    let count = 0;
    const err = await failure(
      (async () => {
        for await (const _ of readFgb(server.url('indexed.fgb'), { rect: { minX: 121, minY: 29, maxX: 123, maxY: 31 }, signal: controller.signal })) {
          if (++count === 3) controller.abort();
        }
      })(),
    );
    expect(isAbortError(err)).toBe(true);
    expect(count).toBe(3);
    const before = AbortSignal.abort();
    expect(isAbortError(await failure(collect(readFgb(server.url('indexed.fgb'), { signal: before }))))).toBe(true);
  });
});
