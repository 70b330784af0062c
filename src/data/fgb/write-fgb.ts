/**
 * Write a GeoJSON FeatureCollection as a FlatGeobuf file with a packed Hilbert R-tree, so the
 * file can be read by bounding box over HTTP range requests (flatgeobuf 4.5's own `serialize`
 * writes no index, and infers its schema from the first feature only).
 *
 * flatgeobuf's generated flatbuffer tables and its GeoJSON geometry parser/builder are reused;
 * the header, the properties and the index are written here because flatgeobuf's versions
 * drop the envelope, title and CRS details (`buildHeader`) and encode a property that is
 * absent from a feature as false/0/"" instead of leaving it out (`buildFeature`).
 */
import * as flatbuffers from 'flatbuffers';
import { magicbytes } from 'flatgeobuf/lib/mjs/constants.js';
import { Column } from 'flatgeobuf/lib/mjs/flat-geobuf/column.js';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import { Crs } from 'flatgeobuf/lib/mjs/flat-geobuf/crs.js';
import { Feature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { Header } from 'flatgeobuf/lib/mjs/flat-geobuf/header.js';
import { buildGeometry } from 'flatgeobuf/lib/mjs/generic/geometry.js';
import { parseGC, parseGeometry } from 'flatgeobuf/lib/mjs/geojson/geometry.js';
import { hilbertValue } from './hilbert.ts';
import { buildPackedRTree } from './packed-rtree.ts';
import type { IndexItem, Rect } from './packed-rtree.ts';
import type {
  FeatureCollection,
  GeometryCollection,
  LineString,
  MultiLineString,
  MultiPoint,
  MultiPolygon,
  Point,
  Polygon,
} from 'geojson';

/** Column types of the FlatGeobuf schema, by their names in the spec. */
export type FgbColumnType = keyof typeof ColumnType;

/** One attribute column of a FlatGeobuf file. */
export interface FgbColumn {
  /** Property name. */
  name: string;
  /** Storage type. */
  type: FgbColumnType;
  /** Human-readable name (GDAL shows it as the field's alternative name). */
  title?: string;
  /** Free text about the column. */
  description?: string;
}

/** Coordinate reference system written into the header. */
export interface FgbCrs {
  /** Authority, e.g. "EPSG". */
  org: string;
  /** Code within the authority, e.g. 4326 or 4550. */
  code: number;
  /** Name, e.g. "CGCS2000 / 3-degree Gauss-Kruger CM 123E". */
  name?: string;
  /** WKT definition, for readers that do not know the code. */
  wkt?: string;
  /** Free text. */
  description?: string;
}

/** The geometry types writeFgb accepts. */
type FgbWritableGeometry = Point | LineString | Polygon | MultiPoint | MultiLineString | MultiPolygon | GeometryCollection;

export interface WriteFgbOptions {
  /** CRS of the coordinates; the data is not reprojected. Default EPSG:4326. */
  crs?: FgbCrs;
  /** Layer name; GDAL shows it as the layer's name, and "unknown" without one. Default none. */
  name?: string;
  /** Dataset title stored in the header. Default none. */
  title?: string;
  /** Dataset description stored in the header. Default none. */
  description?: string;
  /**
   * Children per R-tree node. Default 16, what GDAL and flatgeobuf write and what their HTTP
   * readers prefetch for; 0 writes no index (the file then cannot be read by bounding box).
   */
  indexNodeSize?: number;
  /**
   * Explicit schema, in column order. Properties not listed are left out of the file, and a
   * value that does not fit its column's type is an error. Default: inferred from the union
   * of all features' properties (see `inferColumns`).
   */
  columns?: readonly FgbColumn[];
}

const DEFAULTS: Readonly<WriteFgbOptions> = {
  crs: { org: 'EPSG', code: 4326 },
  indexNodeSize: 16,
};

const GEOMETRY_DEPTH = {
  Point: 0,
  MultiPoint: 1,
  LineString: 1,
  Polygon: 2,
  MultiLineString: 2,
  MultiPolygon: 3,
} as const satisfies Record<Exclude<FgbWritableGeometry['type'], 'GeometryCollection'>, number>;

type WritableType = keyof typeof GEOMETRY_DEPTH;

/** What the first pass learns about one feature. */
interface CheckedFeature {
  geometry: FgbWritableGeometry;
  properties: Readonly<Record<string, unknown>>;
  bbox: Rect;
}

/** Serialize `fc` as FlatGeobuf bytes. Throws a plain Error naming the first bad input. */
export function writeFgb(fc: FeatureCollection, options: WriteFgbOptions = {}): Uint8Array {
  if (!isRecord(fc) || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error('features must be a FeatureCollection');
  }
  if (!isRecord(options)) throw new Error('options must be an object');
  // Drop explicit `undefined`s so that `{ crs: undefined }` means the default, not "no CRS".
  const opts = { ...DEFAULTS, ...withoutUndefined(options) };
  const indexNodeSize = checkIndexNodeSize(opts.indexNodeSize);
  const crs = checkCrs(opts.crs);
  const name = checkOptionalString(opts.name, 'name');
  const title = checkOptionalString(opts.title, 'title');
  const description = checkOptionalString(opts.description, 'description');

  const features: CheckedFeature[] = [];
  let hasZ: boolean | undefined;
  fc.features.forEach((feature: unknown, i) => {
    const checked = checkFeature(feature, i);
    hasZ ??= checked.hasZ;
    // The header's has_z speaks for every feature: GDAL fails on a feature without the Z it promises.
    if (checked.hasZ !== hasZ) throw new Error(`feature ${i} mixes 2D and 3D coordinates with earlier features`);
    features.push(checked);
  });

  const columns = opts.columns ? checkColumns(opts.columns) : inferColumns(features);
  const geometryType = commonGeometryType(features);
  const extent = features.reduce(expand, emptyRect());

  const encoded = encodeFeatures(features, columns);

  // The index needs at least one feature (flatgeobuf's JS reader loops forever computing the
  // size of an empty tree), so an empty collection is written without one, as GDAL does.
  const indexed = indexNodeSize > 0 && features.length > 0;
  const order = features.map((_, i) => i);
  if (indexed) {
    // Descending Hilbert value, as flatgeobuf's C++/Rust `hilbertSort` (`ha > hb`). Array#sort
    // is stable, so ties keep input order.
    const h = features.map((f) => hilbertValue(f.bbox, extent));
    order.sort((a, b) => h[b]! - h[a]!);
  }

  const items: IndexItem[] = [];
  let offset = 0;
  for (const i of order) {
    items.push({ ...features[i]!.bbox, offset });
    offset += encoded[i]!.length;
  }
  const featuresLength = offset;

  const header = buildHeader({
    columns,
    geometryType,
    hasZ: hasZ ?? false,
    featuresCount: features.length,
    extent: features.length > 0 ? extent : undefined,
    indexNodeSize: indexed ? indexNodeSize : 0,
    crs,
    name,
    title,
    description,
  });
  const tree = indexed ? buildPackedRTree(items, indexNodeSize) : new Uint8Array(0);

  const out = new Uint8Array(magicbytes.length + header.length + tree.length + featuresLength);
  out.set(magicbytes, 0);
  out.set(header, magicbytes.length);
  out.set(tree, magicbytes.length + header.length);
  let at = magicbytes.length + header.length + tree.length;
  for (const i of order) {
    out.set(encoded[i]!, at);
    at += encoded[i]!.length;
  }
  return out;
}

/**
 * The schema writeFgb infers when no `columns` are given, in order of first appearance:
 * booleans → Bool, integers within int32 → Int, other safe integers → Long, other numbers →
 * Double, strings → String, objects and arrays → Json. Int and Long widen to Long, and either
 * mixed with Double to Double; a column whose values are all null becomes String. Any other
 * mix (say strings and numbers) is an error rather than a silent conversion.
 */
export function inferColumns(features: readonly { properties: Readonly<Record<string, unknown>> }[]): FgbColumn[] {
  const seen = new Map<string, { type: FgbColumnType | undefined; feature: number }>();
  features.forEach(({ properties }, i) => {
    for (const name of Object.keys(properties)) {
      const value = properties[name];
      const type = isAbsent(value) ? undefined : valueType(value, name, i);
      const prev = seen.get(name);
      if (!prev) {
        seen.set(name, { type, feature: i });
        continue;
      }
      if (type === undefined || prev.type === type) continue;
      if (prev.type === undefined) {
        seen.set(name, { type, feature: i });
        continue;
      }
      const widened = widen(prev.type, type);
      if (!widened) {
        throw new Error(
          `property "${name}" is ${describeType(prev.type)} in feature ${prev.feature} but ${describeType(type)} in feature ${i}; ` +
            'give it one type, or pass options.columns (type "Json" keeps any value)',
        );
      }
      seen.set(name, { type: widened, feature: prev.feature });
    }
  });
  return [...seen].map(([name, { type }]) => ({ name, type: type ?? 'String' }));
}

const NUMERIC_RANK: Partial<Record<FgbColumnType, number>> = { Int: 0, Long: 1, Double: 2 };

function widen(a: FgbColumnType, b: FgbColumnType): FgbColumnType | undefined {
  const ra = NUMERIC_RANK[a];
  const rb = NUMERIC_RANK[b];
  if (ra === undefined || rb === undefined) return undefined;
  return ra >= rb ? a : b;
}

function describeType(type: FgbColumnType): string {
  switch (type) {
    case 'Bool':
      return 'a boolean';
    case 'Int':
    case 'Long':
    case 'Double':
      return 'a number';
    case 'String':
      return 'a string';
    default:
      return 'an object or array';
  }
}

function valueType(value: unknown, name: string, feature: number): FgbColumnType {
  switch (typeof value) {
    case 'boolean':
      return 'Bool';
    case 'number':
      // -0 as an integer would come back as 0, so keep it (and NaN, ±Infinity) as Double.
      if (!Number.isInteger(value) || Object.is(value, -0)) return 'Double';
      if (value >= -2147483648 && value <= 2147483647) return 'Int';
      return Number.isSafeInteger(value) ? 'Long' : 'Double';
    case 'string':
      return 'String';
    case 'object':
      return 'Json';
    default:
      throw new Error(`feature ${feature} property "${name}" is a ${typeof value}, which FlatGeobuf cannot store`);
  }
}

function isAbsent(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function checkFeature(feature: unknown, i: number): CheckedFeature & { hasZ: boolean } {
  if (!isRecord(feature) || feature.type !== 'Feature') throw new Error(`feature ${i} is not a GeoJSON Feature`);
  const geometry = feature.geometry;
  if (geometry === null || geometry === undefined) throw new Error(`feature ${i} has no geometry`);
  if (!isRecord(geometry) || typeof geometry.type !== 'string') throw new Error(`feature ${i} has an invalid geometry`);
  const bbox = emptyRect();
  const dims = new Set<number>();
  checkGeometry(geometry, bbox, dims, i);
  // flatgeobuf's parser writes z per position, so one geometry must not mix [x, y] and [x, y, z].
  if (dims.size > 1) throw new Error(`feature ${i} mixes 2D and 3D positions`);

  const properties = feature.properties;
  if (properties !== null && properties !== undefined && (!isRecord(properties) || Array.isArray(properties))) {
    throw new Error(`feature ${i} properties must be an object or null`);
  }
  return {
    geometry: geometry as unknown as FgbWritableGeometry,
    properties: properties ?? {},
    bbox,
    hasZ: dims.has(3),
  };
}

/** A geometry's type and coordinates; a GeometryCollection's members each (the spec's `parts`, each with its own type). */
function checkGeometry(geometry: Record<string, unknown>, bbox: Rect, dims: Set<number>, i: number): void {
  if (geometry.type === 'GeometryCollection') {
    const members = geometry.geometries;
    if (!Array.isArray(members) || members.length === 0) throw new Error(`feature ${i} GeometryCollection is empty`);
    for (const g of members) {
      if (!isRecord(g) || typeof g.type !== 'string') throw new Error(`feature ${i} has an invalid geometry in its GeometryCollection`);
      checkGeometry(g, bbox, dims, i);
    }
    return;
  }
  if (typeof geometry.type !== 'string' || !Object.hasOwn(GEOMETRY_DEPTH, geometry.type)) {
    throw new Error(`feature ${i} has unsupported geometry type "${String(geometry.type)}"`);
  }
  const type = geometry.type as WritableType;
  checkCoordinates(geometry.coordinates, GEOMETRY_DEPTH[type], bbox, dims, i, type);
}

function checkCoordinates(c: unknown, depth: number, bbox: Rect, dims: Set<number>, i: number, type: string): void {
  if (!Array.isArray(c)) throw new Error(`feature ${i} ${type} has invalid coordinates`);
  if (depth === 0) {
    if (c.length !== 2 && c.length !== 3) {
      throw new Error(`feature ${i} has a position with ${c.length} values; only [x, y] and [x, y, z] are supported`);
    }
    for (const v of c) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`feature ${i} has a non-finite coordinate`);
    }
    const [x, y] = c as [number, number];
    if (x < bbox.minX) bbox.minX = x;
    if (y < bbox.minY) bbox.minY = y;
    if (x > bbox.maxX) bbox.maxX = x;
    if (y > bbox.maxY) bbox.maxY = y;
    dims.add(c.length);
    return;
  }
  // An empty part cannot be indexed, and flatgeobuf reads an empty ring back as [[]].
  if (c.length === 0) throw new Error(`feature ${i} ${type} is empty or has an empty part`);
  for (const part of c) checkCoordinates(part, depth - 1, bbox, dims, i, type);
}

function commonGeometryType(features: readonly CheckedFeature[]): GeometryType {
  const first = features[0]?.geometry.type;
  if (first === undefined || features.some((f) => f.geometry.type !== first)) return GeometryType.Unknown;
  return GeometryType[first as keyof typeof GeometryType];
}

function checkIndexNodeSize(n: unknown): number {
  if (n === 0) return 0;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 2 || n > 65535) {
    throw new Error('indexNodeSize must be 0 (no index) or an integer from 2 to 65535');
  }
  return n;
}

function checkCrs(crs: unknown): FgbCrs {
  if (!isRecord(crs)) throw new Error('crs must be an object like { org: "EPSG", code: 4326 }');
  if (typeof crs.org !== 'string' || crs.org === '') throw new Error('crs.org must be a non-empty string');
  if (typeof crs.code !== 'number' || !Number.isInteger(crs.code) || crs.code < 0 || crs.code > 2147483647) {
    throw new Error('crs.code must be a non-negative integer');
  }
  return {
    org: crs.org,
    code: crs.code,
    name: checkOptionalString(crs.name, 'crs.name'),
    wkt: checkOptionalString(crs.wkt, 'crs.wkt'),
    description: checkOptionalString(crs.description, 'crs.description'),
  };
}

function checkColumns(columns: unknown): FgbColumn[] {
  if (!Array.isArray(columns)) throw new Error('columns must be an array');
  // Properties refer to columns by a uint16 index.
  if (columns.length > 65536) throw new Error('FlatGeobuf allows at most 65536 columns');
  const names = new Set<string>();
  return columns.map((c: unknown, k) => {
    if (!isRecord(c) || typeof c.name !== 'string' || c.name === '') throw new Error(`column ${k} needs a name`);
    if (names.has(c.name)) throw new Error(`column "${c.name}" is listed twice`);
    names.add(c.name);
    if (typeof c.type !== 'string' || typeof ColumnType[c.type as FgbColumnType] !== 'number') {
      throw new Error(`column "${c.name}" has unknown type ${JSON.stringify(c.type)}`);
    }
    return {
      name: c.name,
      type: c.type as FgbColumnType,
      title: checkOptionalString(c.title, `column "${c.name}" title`),
      description: checkOptionalString(c.description, `column "${c.name}" description`),
    };
  });
}

function checkOptionalString(value: unknown, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Error(`${what} must be a string`);
  return value;
}

function encodeFeatures(features: readonly CheckedFeature[], columns: readonly FgbColumn[]): Uint8Array[] {
  // One builder reused for every feature; `asUint8Array` is a view into it, hence the slice.
  const builder = new flatbuffers.Builder(1024);
  const sink = new ByteSink();
  return features.map((feature, i) => {
    builder.clear();
    sink.reset();
    encodeProperties(sink, feature.properties, columns, i);
    const g = feature.geometry;
    const geometryOffset = buildGeometry(builder, g.type === 'GeometryCollection' ? parseGC(g) : parseGeometry(g));
    const propertiesOffset = sink.length > 0 ? Feature.createPropertiesVector(builder, sink.bytes()) : 0;
    Feature.startFeature(builder);
    Feature.addGeometry(builder, geometryOffset);
    if (propertiesOffset) Feature.addProperties(builder, propertiesOffset);
    builder.finishSizePrefixed(Feature.endFeature(builder));
    return builder.asUint8Array().slice();
  });
}

const INT_RANGES: Partial<Record<FgbColumnType, [number, number]>> = {
  Byte: [-128, 127],
  UByte: [0, 255],
  Short: [-32768, 32767],
  UShort: [0, 65535],
  Int: [-2147483648, 2147483647],
  UInt: [0, 4294967295],
  Long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ULong: [0, Number.MAX_SAFE_INTEGER],
};

const utf8 = new TextEncoder();

/**
 * The spec's property encoding: for each present value, the column index as uint16, then the
 * value (little-endian numbers; strings, JSON and binary as uint32 byte length + bytes).
 */
function encodeProperties(
  sink: ByteSink,
  properties: Readonly<Record<string, unknown>>,
  columns: readonly FgbColumn[],
  feature: number,
): void {
  columns.forEach((column, k) => {
    // hasOwn: a property called "constructor" or "toString" must not find Object.prototype's.
    const value = Object.hasOwn(properties, column.name) ? properties[column.name] : undefined;
    if (isAbsent(value)) return;
    const fail = (expected: string): never => {
      throw new Error(
        `feature ${feature} property "${column.name}" is ${JSON.stringify(value) ?? typeof value}, ` +
          `but column "${column.name}" (${column.type}) needs ${expected}`,
      );
    };
    sink.u16(k);
    const range = INT_RANGES[column.type];
    if (range) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < range[0] || value > range[1]) {
        fail(`an integer from ${range[0]} to ${range[1]}`);
      }
      sink.integer(column.type, value as number);
      return;
    }
    switch (column.type) {
      case 'Bool':
        if (typeof value !== 'boolean') fail('a boolean');
        sink.u8(value ? 1 : 0);
        return;
      case 'Float':
        if (typeof value !== 'number') fail('a number');
        sink.f32(value as number);
        return;
      case 'Double':
        if (typeof value !== 'number') fail('a number');
        sink.f64(value as number);
        return;
      case 'String':
      case 'DateTime':
        if (typeof value !== 'string') fail('a string');
        sink.blob(utf8.encode(value as string));
        return;
      case 'Json': {
        const json = JSON.stringify(value);
        if (json === undefined) fail('a JSON value');
        sink.blob(utf8.encode(json));
        return;
      }
      case 'Binary':
        if (!(value instanceof Uint8Array)) fail('a Uint8Array');
        sink.blob(value as Uint8Array);
        return;
      default:
        fail('a supported type');
    }
  });
}

/** A growable little-endian byte buffer for one feature's properties. */
class ByteSink {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /**
   * Makes room for `n` more bytes and gives the view to write them through. The view is
   * taken after growing: `this.view.setX(this.ensure(n), …)` would read the old view first
   * and write past its end once the buffer grew.
   */
  private at(n: number): DataView {
    this.ensure(n);
    return this.view;
  }

  private ensure(n: number): number {
    const at = this.length;
    if (at + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, at + n));
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.length = at + n;
    return at;
  }

  u8(v: number): void {
    this.at(1).setUint8(this.length - 1, v);
  }

  u16(v: number): void {
    this.at(2).setUint16(this.length - 2, v, true);
  }

  f32(v: number): void {
    this.at(4).setFloat32(this.length - 4, v, true);
  }

  f64(v: number): void {
    this.at(8).setFloat64(this.length - 8, v, true);
  }

  integer(type: FgbColumnType, v: number): void {
    switch (type) {
      case 'Byte':
        return this.at(1).setInt8(this.length - 1, v);
      case 'UByte':
        return this.at(1).setUint8(this.length - 1, v);
      case 'Short':
        return this.at(2).setInt16(this.length - 2, v, true);
      case 'UShort':
        return this.at(2).setUint16(this.length - 2, v, true);
      case 'Int':
        return this.at(4).setInt32(this.length - 4, v, true);
      case 'UInt':
        return this.at(4).setUint32(this.length - 4, v, true);
      case 'Long':
        return this.at(8).setBigInt64(this.length - 8, BigInt(v), true);
      default:
        return this.at(8).setBigUint64(this.length - 8, BigInt(v), true);
    }
  }

  blob(bytes: Uint8Array): void {
    this.at(4).setUint32(this.length - 4, bytes.length, true);
    const at = this.ensure(bytes.length);
    this.buf.set(bytes, at);
  }
}

interface HeaderFields {
  columns: readonly FgbColumn[];
  geometryType: GeometryType;
  hasZ: boolean;
  featuresCount: number;
  extent: Rect | undefined;
  indexNodeSize: number;
  crs: FgbCrs;
  name: string | undefined;
  title: string | undefined;
  description: string | undefined;
}

/** The size-prefixed header flatbuffer (without the magic bytes). */
function buildHeader(h: HeaderFields): Uint8Array {
  const builder = new flatbuffers.Builder(1024);
  const str = (s: string | undefined): number => (s === undefined ? 0 : builder.createString(s));

  // Flatbuffers forbids building strings and vectors while a table is open, so children first.
  const columnOffsets = h.columns.map((c) => {
    const name = str(c.name);
    const title = str(c.title);
    const description = str(c.description);
    Column.startColumn(builder);
    Column.addName(builder, name);
    Column.addType(builder, ColumnType[c.type]);
    if (title) Column.addTitle(builder, title);
    if (description) Column.addDescription(builder, description);
    return Column.endColumn(builder);
  });
  const columns = columnOffsets.length > 0 ? Header.createColumnsVector(builder, columnOffsets) : 0;
  const envelope = h.extent
    ? Header.createEnvelopeVector(builder, [h.extent.minX, h.extent.minY, h.extent.maxX, h.extent.maxY])
    : 0;

  const org = str(h.crs.org);
  const crsName = str(h.crs.name);
  const crsDescription = str(h.crs.description);
  const wkt = str(h.crs.wkt);
  Crs.startCrs(builder);
  Crs.addOrg(builder, org);
  Crs.addCode(builder, h.crs.code);
  if (crsName) Crs.addName(builder, crsName);
  if (crsDescription) Crs.addDescription(builder, crsDescription);
  if (wkt) Crs.addWkt(builder, wkt);
  const crs = Crs.endCrs(builder);

  const name = str(h.name);
  const title = str(h.title);
  const description = str(h.description);

  Header.startHeader(builder);
  if (name) Header.addName(builder, name);
  if (envelope) Header.addEnvelope(builder, envelope);
  Header.addGeometryType(builder, h.geometryType);
  if (h.hasZ) Header.addHasZ(builder, true);
  if (columns) Header.addColumns(builder, columns);
  Header.addFeaturesCount(builder, BigInt(h.featuresCount));
  // The schema default is 16, so flatbuffers leaves 16 out and writes 0 explicitly.
  Header.addIndexNodeSize(builder, h.indexNodeSize);
  Header.addCrs(builder, crs);
  if (title) Header.addTitle(builder, title);
  if (description) Header.addDescription(builder, description);
  builder.finishSizePrefixed(Header.endHeader(builder));
  return builder.asUint8Array().slice();
}

function emptyRect(): Rect {
  return { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
}

function expand(acc: Rect, f: { bbox: Rect }): Rect {
  return {
    minX: Math.min(acc.minX, f.bbox.minX),
    minY: Math.min(acc.minY, f.bbox.minY),
    maxX: Math.max(acc.maxX, f.bbox.maxX),
    maxY: Math.max(acc.maxY, f.bbox.maxY),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
