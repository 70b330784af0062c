import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as flatbuffers from 'flatbuffers';
import { Header } from 'flatgeobuf/lib/mjs/flat-geobuf/header.js';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { hilbertValue } from './hilbert.ts';
import { calcTreeSize, searchIndex } from './packed-rtree.ts';
import { readFgb, readFgbHeader } from './read-fgb.ts';
import {
  GEOMETRY_TYPES,
  bboxOf,
  bruteForce,
  collect,
  deepFreeze,
  mulberry32,
  randomFeatures,
  randomRects,
} from './test-fixtures.ts';
import { inferColumns, writeFgb } from './write-fgb.ts';
import type { FgbColumn, WriteFgbOptions } from './write-fgb.ts';

// flatgeobuf's bbox reader logs every step with console.debug.
beforeEach(() => void vi.spyOn(console, 'debug').mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

/** Write `fc` frozen, check it was not touched, and return the bytes. */
function writeFrozen(fc: FeatureCollection, options?: WriteFgbOptions): Uint8Array {
  const before = structuredClone(fc);
  const bytes = writeFgb(deepFreeze(fc), options && deepFreeze(options));
  expect(fc).toEqual(before);
  return bytes;
}

/** What reading should give back: same geometry, properties without null/undefined values. */
function expected(f: Feature): { geometry: Geometry | null; properties: Record<string, unknown> } {
  const properties = Object.fromEntries(Object.entries(f.properties ?? {}).filter(([, v]) => v !== null && v !== undefined));
  return { geometry: f.geometry, properties };
}

function byN(features: readonly Feature[]): Feature[] {
  return [...features].sort((a, b) => (a.properties!.n as number) - (b.properties!.n as number));
}

/** Byte positions of the index and of each feature, walked from the size prefixes. */
function layout(bytes: Uint8Array): { indexStart: number; featuresStart: number; offsets: number[] } {
  const header = readFgbHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const indexStart = 12 + view.getUint32(8, true);
  const featuresStart = indexStart + (header.indexNodeSize > 0 ? calcTreeSize(header.featuresCount, header.indexNodeSize) : 0);
  const offsets: number[] = [];
  for (let at = featuresStart; at < bytes.length; at += 4 + view.getUint32(at, true)) offsets.push(at - featuresStart);
  return { indexStart, featuresStart, offsets };
}

describe('writeFgb round trip', () => {
  for (const type of GEOMETRY_TYPES) {
    it(`reads back ${type} features exactly`, async () => {
      const fc = randomFeatures(mulberry32(type.length * 101), 60, [type]);
      const bytes = writeFrozen(fc);
      const header = readFgbHeader(bytes);
      expect(header.geometryType).toBe(type);
      const read = byN(await collect(readFgb(bytes)));
      expect(read.map(expected)).toEqual(fc.features.map(expected));
    });
  }

  it('reads back a mix of all types, polygons with holes included, with geometry type Unknown', async () => {
    const fc = randomFeatures(mulberry32(5), 120);
    expect(fc.features.some((f) => f.geometry.type === 'Polygon' && f.geometry.coordinates.length > 1)).toBe(true);
    expect(fc.features.some((f) => f.geometry.type === 'MultiPolygon' && f.geometry.coordinates.some((p) => p.length > 1))).toBe(true);
    const bytes = writeFrozen(fc);
    expect(readFgbHeader(bytes).geometryType).toBe('Unknown');
    const read = byN(await collect(readFgb(bytes)));
    expect(read.map(expected)).toEqual(fc.features.map(expected));
    // flatgeobuf's reader, without our adapter, agrees.
    const raw = byN(await collect(deserialize(bytes)));
    expect(raw.map(expected)).toEqual(fc.features.map(expected));
  });

  it('reads back GeometryCollections (each member its own part with its own type, a nested one too) among other features', async () => {
    const square: Geometry = { type: 'Polygon', coordinates: [[[122, 30], [122.01, 30], [122.01, 30.01], [122, 30.01], [122, 30]], [[122.002, 30.002], [122.004, 30.002], [122.004, 30.004], [122.002, 30.002]]] };
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { n: 0 }, geometry: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [122.1, 30.1] }, { type: 'LineString', coordinates: [[122, 30], [122.2, 30.2]] }, square] } },
        { type: 'Feature', properties: { n: 1 }, geometry: { type: 'Point', coordinates: [122.3, 30.3] } },
        { type: 'Feature', properties: { n: 2 }, geometry: { type: 'GeometryCollection', geometries: [{ type: 'MultiPoint', coordinates: [[121.9, 29.9], [122.5, 30.5]] }, { type: 'GeometryCollection', geometries: [{ type: 'MultiPolygon', coordinates: [square.coordinates] }] }] } },
      ],
    };
    const bytes = writeFrozen(fc);
    expect(readFgbHeader(bytes).geometryType).toBe('Unknown');
    const read = byN(await collect(readFgb(bytes)));
    expect(read.map(expected)).toEqual(fc.features.map(expected));
    // The index holds each collection by the box of all its members.
    const box = await collect(readFgb(bytes, { rect: { minX: 122.45, minY: 30.45, maxX: 122.55, maxY: 30.55 } }));
    expect(box.map((f) => Number(f.properties?.n))).toEqual([2]);
  });

  it('writes a feature whose properties outgrow the first buffer (a remark of 90 Chinese characters, 20 kB of text)', async () => {
    // The buffer starts small and doubles: a value written just as it grows must land in the new one.
    const remark = '舟'.repeat(90);
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: [1, 2, 3].map((n) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [122 + n / 100, 30] }, properties: { n, remark, long: 'x'.repeat(20_000 * n), count: n * 1000 } })),
    };
    const read = byN(await collect(readFgb(writeFrozen(fc))));
    expect(read.map((f) => f.properties)).toEqual(fc.features.map((f) => f.properties));
  });

  it('keeps every property type: Chinese text, booleans, ints, longs, doubles, JSON; nulls become absent', async () => {
    const point = (x: number): Geometry => ({ type: 'Point', coordinates: [122 + x / 100, 30] });
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: point(0),
          properties: {
            n: 0,
            name: '舟山市城市管理局',
            emoji: '🌊 海岛',
            empty: '',
            ok: true,
            count: -2147483648,
            big: 2 ** 40,
            ratio: 0.1,
            tiny: 1e-300,
            negZero: -0,
            tags: ['公园', '绿地'],
            meta: { 区: '定海', level: 3, nested: { a: null } },
            gone: null,
            missing: undefined,
          },
        },
        {
          type: 'Feature',
          geometry: point(1),
          properties: { n: 1, name: 'Xīnchéng "新城"\n', ok: false, count: 2147483647, big: -(2 ** 53) + 1, ratio: 3, constructor: 'x' },
        },
        { type: 'Feature', geometry: point(2), properties: { n: 2, ratio: Number.NaN, constructor: null } },
        { type: 'Feature', geometry: point(3), properties: null },
      ],
    };
    const bytes = writeFrozen(fc);
    expect(readFgbHeader(bytes).columns).toEqual([
      { name: 'n', type: 'Int' },
      { name: 'name', type: 'String' },
      { name: 'emoji', type: 'String' },
      { name: 'empty', type: 'String' },
      { name: 'ok', type: 'Bool' },
      { name: 'count', type: 'Int' },
      { name: 'big', type: 'Long' },
      { name: 'ratio', type: 'Double' },
      { name: 'tiny', type: 'Double' },
      { name: 'negZero', type: 'Double' },
      { name: 'tags', type: 'Json' },
      { name: 'meta', type: 'Json' },
      { name: 'gone', type: 'String' },
      { name: 'missing', type: 'String' },
      { name: 'constructor', type: 'String' },
    ]);
    const read = await collect(readFgb(bytes));
    const byName = new Map(read.map((f) => [f.properties?.n ?? 'none', f]));
    expect(byName.get(0)!.properties).toEqual(expected(fc.features[0]!).properties);
    expect(Object.is(byName.get(0)!.properties!.negZero, -0)).toBe(true);
    expect(byName.get(1)!.properties).toEqual(expected(fc.features[1]!).properties);
    expect(byName.get(2)!.properties).toEqual({ n: 2, ratio: Number.NaN });
    expect(byName.get('none')!.properties).toEqual({});
  });

  it('infers Double for a column mixing ints and doubles, Long for ints beyond int32, String when all null', () => {
    const props = (properties: Record<string, unknown>) => ({ properties });
    expect(inferColumns([props({ a: 1, b: 1, c: null }), props({ a: 1.5, b: 2 ** 31, c: null }), props({ a: 2 })])).toEqual([
      { name: 'a', type: 'Double' },
      { name: 'b', type: 'Long' },
      { name: 'c', type: 'String' },
    ]);
    expect(inferColumns([props({ a: 2 ** 31 }), props({ a: 1.5 })])).toEqual([{ name: 'a', type: 'Double' }]);
    expect(inferColumns([props({ a: 2 ** 60 })])).toEqual([{ name: 'a', type: 'Double' }]);
    expect(inferColumns([props({ a: null }), props({ a: true })])).toEqual([{ name: 'a', type: 'Bool' }]);
    expect(() => inferColumns([props({ a: 'x' }), props({ a: 1 })])).toThrow(
      'property "a" is a string in feature 0 but a number in feature 1',
    );
  });

  it('writes explicit columns with their types, leaving out unlisted properties', async () => {
    const columns: FgbColumn[] = [
      { name: 'id', type: 'UInt', title: '编号' },
      { name: 'level', type: 'Short', description: '整改等级' },
      { name: 'score', type: 'Float' },
      { name: 'checked', type: 'DateTime' },
      { name: 'any', type: 'Json' },
      { name: 'flag', type: 'Byte' },
      { name: 'huge', type: 'ULong' },
    ];
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [122, 30] },
          properties: { id: 4000000000, level: -3, score: 0.5, checked: '2024-05-01T08:00:00Z', any: 'text', flag: -1, huge: 2 ** 50, secret: 'dropped' },
        },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [122.1, 30] }, properties: { id: 1, any: [1, '二'] } },
      ],
    };
    const bytes = writeFrozen(fc, { columns });
    expect(readFgbHeader(bytes).columns).toEqual(columns);
    const read = await collect(readFgb(bytes));
    const props = read.map((f) => f.properties).sort((a, b) => (a!.id as number) - (b!.id as number));
    expect(props).toEqual([
      { id: 1, any: [1, '二'] },
      { id: 4000000000, level: -3, score: 0.5, checked: '2024-05-01T08:00:00Z', any: 'text', flag: -1, huge: 2 ** 50 },
    ]);
  });

  it('round-trips 3D coordinates', async () => {
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [122, 30, 12.5] }, properties: { n: 0 } },
        {
          type: 'Feature',
          geometry: { type: 'MultiPolygon', coordinates: [[[[122, 30, 1], [122.1, 30, 2], [122.1, 30.1, 3], [122, 30, 1]]]] },
          properties: { n: 1 },
        },
      ],
    };
    const read = byN(await collect(readFgb(writeFrozen(fc))));
    expect(read.map(expected)).toEqual(fc.features.map(expected));
  });

  it('writes a zero-feature collection that both readers accept', async () => {
    const bytes = writeFrozen({ type: 'FeatureCollection', features: [] });
    const header = readFgbHeader(bytes);
    expect(header).toMatchObject({ featuresCount: 0, indexNodeSize: 0, envelope: null, geometryType: 'Unknown', columns: [] });
    expect(await collect(readFgb(bytes))).toEqual([]);
    expect(await collect(readFgb(bytes, { rect: { minX: 0, minY: 0, maxX: 1, maxY: 1 } }))).toEqual([]);
    expect(await collect(deserialize(bytes))).toEqual([]);
  });

  it('writes a single-feature collection with a two-node index', async () => {
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[122, 30], [122.2, 30.1]] }, properties: { n: 0, name: '海天大道' } }],
    };
    const bytes = writeFrozen(fc);
    const header = readFgbHeader(bytes);
    expect(header).toMatchObject({ featuresCount: 1, indexNodeSize: 16, envelope: [122, 30, 122.2, 30.1], geometryType: 'LineString' });
    const { indexStart, featuresStart } = layout(bytes);
    expect(featuresStart - indexStart).toBe(80);
    expect((await collect(readFgb(bytes, { rect: { minX: 122.1, minY: 30.05, maxX: 123, maxY: 31 } }))).map(expected)).toEqual(
      fc.features.map(expected),
    );
    expect(await collect(readFgb(bytes, { rect: { minX: 122.3, minY: 30, maxX: 123, maxY: 31 } }))).toEqual([]);
  });
});

describe('writeFgb header', () => {
  const fc = randomFeatures(mulberry32(11), 50);

  it('records EPSG:4326 by default, with features count, envelope and node size 16', () => {
    const header = readFgbHeader(writeFrozen(fc));
    const boxes = fc.features.map((f) => bboxOf(f.geometry));
    expect(header).toEqual({
      geometryType: 'Unknown',
      featuresCount: 50,
      envelope: [
        Math.min(...boxes.map((b) => b.minX)),
        Math.min(...boxes.map((b) => b.minY)),
        Math.max(...boxes.map((b) => b.maxX)),
        Math.max(...boxes.map((b) => b.maxY)),
      ],
      crs: { org: 'EPSG', code: 4326, wkt: null, name: null, description: null },
      columns: inferColumns(fc.features.map((f) => ({ properties: f.properties ?? {} }))),
      indexNodeSize: 16,
      title: null,
      description: null,
    });
  });

  it('records the layer name GDAL shows', () => {
    const bytes = writeFrozen(fc, { name: 'parks' });
    // flatgeobuf's HeaderMeta leaves the name out, so read the table directly.
    const bb = new flatbuffers.ByteBuffer(bytes.subarray(8));
    expect(Header.getSizePrefixedRootAsHeader(bb).name()).toBe('parks');
    expect(Header.getSizePrefixedRootAsHeader(new flatbuffers.ByteBuffer(writeFgb(fc).subarray(8))).name()).toBeNull();
  });

  it('records the CRS, title and description it is given', () => {
    const wkt = 'PROJCRS["CGCS2000 / 3-degree Gauss-Kruger CM 123E", …]';
    const header = readFgbHeader(
      writeFrozen(fc, {
        crs: { org: 'EPSG', code: 4550, name: 'CGCS2000 / 3-degree Gauss-Kruger CM 123E', wkt },
        title: '舟山整改点位',
        description: 'Synthetic demo data',
      }),
    );
    expect(header.crs).toEqual({ org: 'EPSG', code: 4550, wkt, name: 'CGCS2000 / 3-degree Gauss-Kruger CM 123E', description: null });
    expect(header.title).toBe('舟山整改点位');
    expect(header.description).toBe('Synthetic demo data');
  });

  it('treats explicit undefined options as defaults', () => {
    const header = readFgbHeader(writeFrozen(fc, { crs: undefined, indexNodeSize: undefined }));
    expect(header.crs?.code).toBe(4326);
    expect(header.indexNodeSize).toBe(16);
  });

  it('writes another node size, or no index at all', () => {
    const withFour = writeFrozen(fc, { indexNodeSize: 4 });
    expect(readFgbHeader(withFour).indexNodeSize).toBe(4);
    const { indexStart, featuresStart } = layout(withFour);
    expect(featuresStart - indexStart).toBe(calcTreeSize(50, 4));

    const none = writeFrozen(fc, { indexNodeSize: 0 });
    expect(readFgbHeader(none).indexNodeSize).toBe(0);
    expect(none.length).toBe(writeFgb(fc).length - calcTreeSize(50, 16));
  });
});

describe('writeFgb index', () => {
  it('orders features by descending Hilbert value of their bbox centre, as GDAL does', async () => {
    const fc = randomFeatures(mulberry32(21), 200);
    const bytes = writeFrozen(fc);
    const [minX, minY, maxX, maxY] = readFgbHeader(bytes).envelope!;
    const values = (await collect(readFgb(bytes))).map((f) => hilbertValue(bboxOf(f.geometry), { minX, minY, maxX, maxY }));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
  });

  it('keeps input order without an index', async () => {
    const fc = randomFeatures(mulberry32(22), 30);
    const read = await collect(readFgb(writeFrozen(fc, { indexNodeSize: 0 })));
    expect(read.map((f) => f.properties!.n as unknown)).toEqual(fc.features.map((f) => f.properties!.n as unknown));
  });

  for (const types of [['Point'], ['LineString'], ['Polygon'], ['MultiPoint', 'MultiLineString', 'MultiPolygon'], GEOMETRY_TYPES] as const) {
    it(`answers bbox queries like a brute-force filter: ${types.join(', ')}`, async () => {
      const fc = randomFeatures(mulberry32(types.length * 7 + types[0].length), 400, types);
      const bytes = writeFrozen(fc);
      const { indexStart, featuresStart, offsets } = layout(bytes);
      const index = bytes.subarray(indexStart, featuresStart);
      const inFileOrder = (await collect(readFgb(bytes))).map((f) => f.properties!.n as number);
      let empty = 0;
      let all = 0;
      for (const rect of randomRects(mulberry32(types.length), 250)) {
        const hits = searchIndex(index, rect, { numItems: 400 });
        // Each hit's offset is where its feature starts.
        for (const hit of hits) expect(hit.offset).toBe(offsets[hit.index]);
        const found = hits.map((h) => inFileOrder[h.index]!).sort((a, b) => a - b);
        const want = bruteForce(fc, rect);
        expect(found).toEqual(want);
        if (want.length === 0) empty++;
        if (want.length === 400) all++;
      }
      expect(empty).toBeGreaterThan(0);
      expect(all).toBeGreaterThan(0);
    });
  }
});

describe('writeFgb arguments', () => {
  const point = { type: 'Point', coordinates: [122, 30] } as const;
  const fcOf = (...features: unknown[]): FeatureCollection => ({ type: 'FeatureCollection', features }) as FeatureCollection;
  const feature = (geometry: unknown, properties: unknown = {}): unknown => ({ type: 'Feature', geometry, properties });

  it.each([
    ['null', null, 'features must be a FeatureCollection'],
    ['an array', [], 'features must be a FeatureCollection'],
    ['a Feature', feature(point), 'features must be a FeatureCollection'],
    ['no features array', { type: 'FeatureCollection' }, 'features must be a FeatureCollection'],
    ['a non-feature', fcOf(feature(point), { type: 'Point' }), 'feature 1 is not a GeoJSON Feature'],
    ['a null geometry', fcOf(feature(point), feature(point), feature(null)), 'feature 2 has no geometry'],
    ['an empty GeometryCollection', fcOf(feature({ type: 'GeometryCollection', geometries: [] })), 'feature 0 GeometryCollection is empty'],
    ['a bad member of a GeometryCollection', fcOf(feature({ type: 'GeometryCollection', geometries: [point, { type: 'Point', coordinates: [1] }] })), 'feature 0 has a position with 1 values'],
    ['an unknown type', fcOf(feature({ type: 'Circle', coordinates: [0, 0] })), 'feature 0 has unsupported geometry type "Circle"'],
    ['a bad position', fcOf(feature({ type: 'Point', coordinates: [122] })), 'feature 0 has a position with 1 values'],
    ['a 4D position', fcOf(feature({ type: 'Point', coordinates: [1, 2, 3, 4] })), 'only [x, y] and [x, y, z]'],
    ['a NaN coordinate', fcOf(feature({ type: 'Point', coordinates: [Number.NaN, 1] })), 'feature 0 has a non-finite coordinate'],
    ['a string coordinate', fcOf(feature({ type: 'Point', coordinates: ['1', 2] })), 'feature 0 has a non-finite coordinate'],
    ['wrong nesting', fcOf(feature({ type: 'Polygon', coordinates: [[1, 2]] })), 'feature 0 Polygon has invalid coordinates'],
    ['an empty polygon', fcOf(feature({ type: 'Polygon', coordinates: [] })), 'feature 0 Polygon is empty'],
    ['an empty part', fcOf(feature({ type: 'MultiPolygon', coordinates: [[[[1, 2], [2, 2], [1, 2]]], []] })), 'feature 0 MultiPolygon is empty or has an empty part'],
    ['mixed 2D/3D in a feature', fcOf(feature({ type: 'LineString', coordinates: [[1, 2], [1, 2, 3]] })), 'feature 0 mixes 2D and 3D positions'],
    ['mixed 2D/3D across features', fcOf(feature(point), feature({ type: 'Point', coordinates: [1, 2, 3] })), 'feature 1 mixes 2D and 3D'],
    ['array properties', fcOf(feature(point, [1])), 'feature 0 properties must be an object or null'],
    ['a function property', fcOf(feature(point, { f: () => 1 })), 'feature 0 property "f" is a function'],
    ['mixed property types', fcOf(feature(point, { a: 1 }), feature(point, { a: '1' })), 'property "a" is a number in feature 0 but a string in feature 1'],
  ])('rejects %s', (_, fc, message) => {
    expect(() => writeFgb(fc as FeatureCollection)).toThrow(message);
  });

  const ok = fcOf(feature(point, { a: 1 }));
  it.each([
    ['a node size of 1', { indexNodeSize: 1 }, 'indexNodeSize must be 0 (no index) or an integer from 2 to 65535'],
    ['a fractional node size', { indexNodeSize: 2.5 }, 'indexNodeSize must be 0'],
    ['a CRS without org', { crs: { code: 4326 } }, 'crs.org must be a non-empty string'],
    ['a CRS with a string code', { crs: { org: 'EPSG', code: '4326' } }, 'crs.code must be a non-negative integer'],
    ['a numeric title', { title: 5 }, 'title must be a string'],
    ['a numeric name', { name: 5 }, 'name must be a string'],
    ['an unknown column type', { columns: [{ name: 'a', type: 'Text' }] }, 'column "a" has unknown type "Text"'],
    ['a duplicate column', { columns: [{ name: 'a', type: 'Int' }, { name: 'a', type: 'Int' }] }, 'column "a" is listed twice'],
    ['a nameless column', { columns: [{ type: 'Int' }] }, 'column 0 needs a name'],
    ['a value outside its column', { columns: [{ name: 'a', type: 'UByte' }] }, null],
  ])('rejects %s', (_, options, message) => {
    if (message === null) {
      const big = fcOf(feature(point, { a: 256 }));
      expect(() => writeFgb(big, options as WriteFgbOptions)).toThrow(
        'feature 0 property "a" is 256, but column "a" (UByte) needs an integer from 0 to 255',
      );
      expect(() => writeFgb(ok, { columns: [{ name: 'a', type: 'String' }] })).toThrow('needs a string');
      expect(() => writeFgb(ok, { columns: [{ name: 'a', type: 'Bool' }] })).toThrow('needs a boolean');
      return;
    }
    expect(() => writeFgb(ok, options as WriteFgbOptions)).toThrow(message);
  });

  it('throws plain Errors', () => {
    try {
      writeFgb(fcOf(feature(null)));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe('Error');
    }
  });
});
