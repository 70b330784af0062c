/**
 * Test-only helpers shared by the FlatGeobuf tests: a seeded PRNG, random features around
 * Zhoushan, the brute-force bbox filter the index must agree with, and a tiny HTTP server
 * that answers Range requests the way static hosts (and `vite preview`) do.
 * Nothing in the app imports this file.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { Rect } from './packed-rtree.ts';
import { createRng } from '../../../scripts/data/random.ts';

/** The generator's seeded PRNG (mulberry32) as a bare function, so failures reproduce. */
export const mulberry32 = (seed: number): (() => number) => createRng(seed).next;

/** Roughly Zhoushan Island and its neighbours. */
export const EXTENT: Rect = { minX: 121.9, minY: 29.8, maxX: 122.5, maxY: 30.2 };

const NAMES = ['新城', '沈家门', '定海老城', '普陀山', '朱家尖', '岱山', 'Xincheng', 'Dinghai "old" town'];

export const GEOMETRY_TYPES = ['Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon'] as const;
export type TestGeometryType = (typeof GEOMETRY_TYPES)[number];

function randomPoint(rand: () => number, near?: Position, spread = 0.02): Position {
  if (near) return [near[0]! + (rand() - 0.5) * spread, near[1]! + (rand() - 0.5) * spread];
  return [EXTENT.minX + rand() * (EXTENT.maxX - EXTENT.minX), EXTENT.minY + rand() * (EXTENT.maxY - EXTENT.minY)];
}

function randomLine(rand: () => number, start: Position): Position[] {
  const line = [start];
  const n = 2 + Math.floor(rand() * 5);
  for (let i = 1; i < n; i++) line.push(randomPoint(rand, line[i - 1], 0.01));
  return line;
}

/** A square ring around `c`, counter-clockwise, closed; optionally with a square hole. */
function randomPolygon(rand: () => number, c: Position, withHole: boolean): Position[][] {
  const r = 0.001 + rand() * 0.01;
  const [x, y] = c as [number, number];
  const outer = [
    [x - r, y - r],
    [x + r, y - r],
    [x + r, y + r],
    [x - r, y + r],
    [x - r, y - r],
  ];
  if (!withHole) return [outer];
  const h = r / 3;
  const hole = [
    [x - h, y - h],
    [x - h, y + h],
    [x + h, y + h],
    [x + h, y - h],
    [x - h, y - h],
  ];
  return [outer, hole];
}

function randomGeometry(rand: () => number, type: TestGeometryType): Geometry {
  const c = randomPoint(rand);
  const parts = 2 + Math.floor(rand() * 3);
  switch (type) {
    case 'Point':
      return { type, coordinates: c };
    case 'LineString':
      return { type, coordinates: randomLine(rand, c) };
    case 'Polygon':
      return { type, coordinates: randomPolygon(rand, c, rand() < 0.5) };
    case 'MultiPoint':
      return { type, coordinates: Array.from({ length: parts }, () => randomPoint(rand, c, 0.05)) };
    case 'MultiLineString':
      return { type, coordinates: Array.from({ length: parts }, () => randomLine(rand, randomPoint(rand, c, 0.05))) };
    case 'MultiPolygon':
      return {
        type,
        coordinates: Array.from({ length: parts }, () => randomPolygon(rand, randomPoint(rand, c, 0.05), rand() < 0.4)),
      };
  }
}

/**
 * `count` features with a unique integer `n`, Chinese names, booleans, doubles, ints that are
 * sometimes null and a note that is sometimes missing.
 */
export function randomFeatures(rand: () => number, count: number, types: readonly TestGeometryType[] = GEOMETRY_TYPES): FeatureCollection {
  const features: Feature[] = [];
  for (let n = 0; n < count; n++) {
    const type = types[n % types.length]!;
    const properties: Record<string, unknown> = {
      n,
      name: `${NAMES[Math.floor(rand() * NAMES.length)]!}${n}`,
      flag: rand() < 0.5,
      area: rand() * 10000,
      households: rand() < 0.2 ? null : Math.floor(rand() * 500),
    };
    if (rand() < 0.3) properties.note = '整改完成，待复查';
    features.push({ type: 'Feature', geometry: randomGeometry(rand, type), properties });
  }
  return { type: 'FeatureCollection', features };
}

/** Rectangles of many sizes inside and around EXTENT, plus the whole extent and a miss. */
export function randomRects(rand: () => number, count: number): Rect[] {
  const rects: Rect[] = [
    { ...EXTENT },
    { minX: -180, minY: -90, maxX: 180, maxY: 90 },
    { minX: 0, minY: 0, maxX: 1, maxY: 1 },
  ];
  while (rects.length < count) {
    const [x, y] = randomPoint(rand) as [number, number];
    const w = rand() ** 3 * 0.5;
    const h = rand() ** 3 * 0.5;
    rects.push({ minX: x - w / 2, minY: y - h / 2, maxX: x + w / 2, maxY: y + h / 2 });
  }
  return rects;
}

export function bboxOf(geometry: Geometry): Rect {
  const r = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  const visit = (c: unknown): void => {
    if (typeof (c as unknown[])[0] === 'number') {
      const [x, y] = c as [number, number];
      r.minX = Math.min(r.minX, x);
      r.minY = Math.min(r.minY, y);
      r.maxX = Math.max(r.maxX, x);
      r.maxY = Math.max(r.maxY, y);
    } else for (const p of c as unknown[]) visit(p);
  };
  if (geometry.type === 'GeometryCollection') throw new Error('not in these tests');
  visit(geometry.coordinates);
  return r;
}

export function intersects(a: Rect, b: Rect): boolean {
  return !(a.maxX < b.minX || a.maxY < b.minY || a.minX > b.maxX || a.minY > b.maxY);
}

/** The `n` of every feature whose bbox touches `rect`, ascending: what an index must return. */
export function bruteForce(fc: FeatureCollection, rect: Rect): number[] {
  return fc.features
    .filter((f) => f.geometry && intersects(bboxOf(f.geometry), rect))
    .map((f) => f.properties!.n as number)
    .sort((a, b) => a - b);
}

/** The `n` of the given features, ascending. */
export function ns(features: readonly Feature[]): number[] {
  return features.map((f) => f.properties!.n as number).sort((a, b) => a - b);
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export interface RangeServer {
  /** URL of a served file. */
  url(name: string): string;
  /** Every request seen: path, Range header, status and body bytes sent. */
  log: Array<{ path: string; range: string | undefined; status: number; bytes: number }>;
  close(): Promise<void>;
}

/**
 * Serve `files` on 127.0.0.1 (a free port) with single-range support: 206 + Content-Range,
 * the end clamped to the file size, 416 past the end, 404 for unknown names.
 */
export async function serveFiles(files: ReadonlyMap<string, Uint8Array>): Promise<RangeServer> {
  const log: RangeServer['log'] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!.slice(1));
    const body = files.get(path);
    const range = req.headers.range;
    const send = (status: number, headers: Record<string, string | number>, data?: Uint8Array): void => {
      log.push({ path, range, status, bytes: data?.length ?? 0 });
      res.writeHead(status, headers);
      res.end(data);
    };
    if (!body) return send(404, { 'Content-Type': 'text/plain' });
    if (!range) return send(200, { 'Content-Length': body.length, 'Accept-Ranges': 'bytes' }, body);
    const m = /^bytes=(\d+)-(\d*)$/.exec(range);
    if (!m) return send(416, { 'Content-Range': `bytes */${body.length}` });
    const start = Number(m[1]);
    const end = Math.min(m[2] ? Number(m[2]) : body.length - 1, body.length - 1);
    if (start >= body.length || end < start) return send(416, { 'Content-Range': `bytes */${body.length}` });
    const part = body.subarray(start, end + 1);
    send(206, { 'Content-Range': `bytes ${start}-${end}/${body.length}`, 'Content-Length': part.length, 'Accept-Ranges': 'bytes' }, part);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${encodeURIComponent(name)}`,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // fetch keeps connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
