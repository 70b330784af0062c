/**
 * Read FlatGeobuf as GeoJSON features: a thin adapter over flatgeobuf's GeoJSON reader that
 * checks the bytes first and turns its bare `Error`s into our LoadError/FormatError, naming
 * the source.
 *
 * flatgeobuf's readers trust the file: a truncated array makes them read past the end
 * (garbage or a RangeError), a file with an index but no features makes them loop forever,
 * and `ArrayReader` ignores a Uint8Array's byteOffset. So for bytes, the layout is walked
 * before anything is handed to flatgeobuf. Imports come from `flatgeobuf/lib/mjs/*` because
 * the package's main entry also loads its OpenLayers adapter.
 */
import * as flatbuffers from 'flatbuffers';
import { magicbytes } from 'flatgeobuf/lib/mjs/constants.js';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { Header } from 'flatgeobuf/lib/mjs/flat-geobuf/header.js';
import { readMetadata } from 'flatgeobuf/lib/mjs/generic.js';
import { deserialize as deserializeFeatures, type FromFeatureFn } from 'flatgeobuf/lib/mjs/generic/featurecollection.js';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import { fromByteBuffer } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { Feature } from 'geojson';
import { FormatError, LoadError, isAbortError } from '../errors.ts';
import { msg, type DataMessage } from '../messages.ts';
import { featureDecoder } from './decode-feature.ts';
import { calcTreeSize } from './packed-rtree.ts';
import type { Rect } from './packed-rtree.ts';
import type { FgbColumn, FgbColumnType } from './write-fgb.ts';

/** Geometry type names of the FlatGeobuf spec ("Unknown" means mixed). */
type FgbGeometryType = keyof typeof GeometryType;

/** What a FlatGeobuf header says about the file. */
export interface FgbHeader {
  geometryType: FgbGeometryType;
  /** Number of features; 0 can also mean "not recorded" in a file written as a stream. */
  featuresCount: number;
  /** [minX, minY, maxX, maxY] of all features, if the writer recorded it. */
  envelope: [number, number, number, number] | null;
  crs: { org: string | null; code: number; wkt: string | null; name: string | null; description: string | null } | null;
  columns: FgbColumn[];
  /** Children per R-tree node; 0 means the file has no spatial index. */
  indexNodeSize: number;
  title: string | null;
  description: string | null;
}

export interface ReadFgbOptions {
  /**
   * Only features whose bbox intersects this rectangle (in the file's CRS). Needs a spatial
   * index; with a URL only the header, the index nodes visited and the matching features are
   * fetched, by HTTP range requests. Default: all features, in file order.
   */
  rect?: Rect;
  /**
   * Stops reading between features, and cancels the download of a whole file. Range
   * requests already started by flatgeobuf's HTTP reader cannot be cancelled (it takes no
   * signal); their results are dropped.
   */
  signal?: AbortSignal;
  /** Called once with the header, before the first feature. */
  onHeader?: (header: FgbHeader) => void;
  /** Name used in error messages. Default: the URL's file name, or "FlatGeobuf data" for bytes. */
  sourceName?: string;
  /** Hears what was read in a way the reader should know of (a Json value that is not JSON, kept as text). */
  onProblem?: (problem: DataMessage) => void;
  /** Give every feature read from bytes every column, null where the file has no value (as GDAL shows it). */
  keepColumns?: boolean;
}

/** Geometry types flatgeobuf can turn into GeoJSON; the curve types (8 and up) it cannot. */
const GEOJSON_TYPES = new Set<string>([
  'Point',
  'LineString',
  'Polygon',
  'MultiPoint',
  'MultiLineString',
  'MultiPolygon',
  'GeometryCollection',
]);

/** flatgeobuf refuses headers larger than this; so do we, before trusting the length. */
const HEADER_MAX_LENGTH = 10 * 1024 * 1024;
const SIZE_PREFIX = 4;

/**
 * Features of a FlatGeobuf file given as bytes or as a URL, as GeoJSON. Feature ids are
 * positions in the file (Hilbert order for an indexed file), as flatgeobuf numbers them;
 * features read by `rect` from a URL may arrive out of order.
 */
export async function* readFgb(input: Uint8Array | string, options: ReadFgbOptions = {}): AsyncGenerator<Feature> {
  const { rect, signal, onHeader, sourceName, onProblem, keepColumns = false } = options;
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new Error('input must be a Uint8Array or a URL');
  }
  if (rect !== undefined) checkRect(rect);
  const source = sourceName ?? defaultSourceName(input);
  signal?.throwIfAborted();

  if (typeof input === 'string' && rect) {
    yield* readUrlByRect(input, rect, source, signal, onHeader);
    return;
  }
  // Without a rect a URL is read whole: flatgeobuf's stream reader cannot tell a cut-off
  // download from a complete one, and reading the bytes lets them be checked first.
  const bytes = typeof input === 'string' ? await download(input, source, signal) : input;
  yield* readBytes(bytes, rect, source, signal, onHeader, onProblem ?? (() => {}), keepColumns);
}

/** The header of a FlatGeobuf file; `bytes` need only reach the end of the header. */
export function readFgbHeader(bytes: Uint8Array, options: { sourceName?: string } = {}): FgbHeader {
  if (!(bytes instanceof Uint8Array)) throw new Error('bytes must be a Uint8Array');
  return parseHeader(bytes, options.sourceName ?? 'FlatGeobuf data').header;
}

async function* readBytes(
  bytes: Uint8Array,
  rect: Rect | undefined,
  source: string,
  signal: AbortSignal | undefined,
  onHeader: ((header: FgbHeader) => void) | undefined,
  onProblem: (problem: DataMessage) => void,
  keepColumns: boolean,
): AsyncGenerator<Feature> {
  const { header, headerEnd } = parseHeader(bytes, source);
  checkGeometryType(header, source, true);
  const { count, end } = checkLayout(bytes, header, headerEnd, source);
  onHeader?.(header);
  // Also keeps an empty file away from flatgeobuf, whose tree-size loop never ends for 0 items.
  if (count === 0) return;
  if (rect && header.indexNodeSize === 0) throw noIndex(source);
  // Trimmed to the last feature so trailing bytes are not read as features. Copied when not at
  // the start of its buffer: flatgeobuf's ArrayReader reads `bytes.buffer` from offset 0, and
  // its Float64Array views need 8-byte alignment.
  const data = bytes.byteOffset === 0 ? bytes.subarray(0, end) : bytes.slice(0, end);
  // Our decoder, not flatgeobuf's: it keeps features without geometry and Json text that is not JSON.
  const fromFeature = featureDecoder(source, onProblem, keepColumns) as unknown as FromFeatureFn;
  const features = deserializeFeatures(data, { fromFeature, ...(rect ? { rect } : {}) }) as unknown as AsyncGenerator<Feature>;
  yield* adapt(features, source, signal, true);
}

async function* readUrlByRect(
  url: string,
  rect: Rect,
  source: string,
  signal: AbortSignal | undefined,
  onHeader: ((header: FgbHeader) => void) | undefined,
): AsyncGenerator<Feature> {
  const headerMetaFn = (meta: HeaderMeta): void => {
    const header = toFgbHeader(meta);
    checkGeometryType(header, source);
    onHeader?.(header);
  };
  try {
    yield* adapt(deserialize(url, { rect, headerMetaFn }), source, signal);
  } catch (err) {
    if (!(err instanceof FormatError) || !messageOf(err.cause).startsWith('No index found')) throw err;
    // An empty file has no index (a tree needs at least one item), so "no index" from an empty
    // file is just "no features". One extra request, only on this error path.
    let meta: HeaderMeta;
    try {
      meta = await readMetadata(url);
    } catch (metaErr) {
      throw toLoadError(metaErr, source, signal);
    }
    if (meta.featuresCount !== 0) throw err;
    headerMetaFn(meta);
  }
}

/** flatgeobuf's features as plain GeoJSON, with its errors translated and the signal honoured. */
async function* adapt(features: AsyncGenerator<Feature>, source: string, signal: AbortSignal | undefined, checked = false): AsyncGenerator<Feature> {
  try {
    for await (const feature of features) {
      signal?.throwIfAborted();
      // Bytes whose layout was checked hold what they hold; a null geometry there is the file's own.
      if (!checked) checkFeatureGeometry(feature, source);
      yield feature;
    }
  } catch (err) {
    throw toLoadError(err, source, signal);
  }
}

async function download(url: string, source: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
  try {
    const response = await fetch(url, { signal });
    if (!response.ok) {
      throw new LoadError(`could not load ${source}: HTTP ${response.status} ${response.statusText}`.trim(), source);
    }
    return new Uint8Array(await response.arrayBuffer());
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (err instanceof LoadError || isAbortError(err)) throw err;
    throw new LoadError(`could not load ${source}: ${messageOf(err)}`, source, { cause: err });
  }
}

/**
 * Magic bytes, header length and header table; everything else is left unread. `meta` is
 * flatgeobuf's own view of the header, which its feature decoder needs.
 */
export function parseHeader(bytes: Uint8Array, source: string): { header: FgbHeader; meta: HeaderMeta; headerEnd: number } {
  if (bytes.length === 0) throw new FormatError(msg('fgbEmpty', { file: source }), source);
  const prefix = bytes.subarray(0, magicbytes.length);
  const isFgb = (i: number): boolean => i >= prefix.length || prefix[i] === magicbytes[i];
  // "fgb", major version, "fgb", patch version: the patch byte may differ.
  if (![0, 1, 2, 4, 5, 6].every(isFgb)) {
    throw new FormatError(msg('fgbNotFgb', { file: source }), source);
  }
  if (prefix.length > 3 && prefix[3] !== magicbytes[3]) {
    throw new FormatError(msg('fgbVersion', { file: source, version: prefix[3]! }), source);
  }
  if (bytes.length < magicbytes.length + SIZE_PREFIX) {
    throw new FormatError(msg('fgbEndsInHeader', { file: source, have: bytes.length, need: magicbytes.length + SIZE_PREFIX }), source);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(magicbytes.length, true);
  if (headerLength < 8 || headerLength > HEADER_MAX_LENGTH) {
    throw new FormatError(msg('fgbBadHeaderLength', { file: source, length: headerLength }), source);
  }
  const headerEnd = magicbytes.length + SIZE_PREFIX + headerLength;
  if (bytes.length < headerEnd) {
    throw new FormatError(msg('fgbEndsInHeader', { file: source, have: bytes.length, need: headerEnd }), source);
  }
  // A fresh copy starts at offset 0, so the envelope's Float64Array view is 8-byte aligned.
  const headerBytes = bytes.slice(magicbytes.length, headerEnd);
  let header: FgbHeader;
  let meta: HeaderMeta;
  try {
    checkTableBounds(headerBytes);
    // A vector of n columns takes at least 4n bytes; a larger count is garbage, and
    // flatgeobuf would loop over up to 2^32 of them.
    const columns = Header.getSizePrefixedRootAsHeader(new flatbuffers.ByteBuffer(headerBytes)).columnsLength();
    if (columns > headerLength / 4) throw new Error(`${columns} columns do not fit in ${headerLength} bytes`);
    meta = fromByteBuffer(new flatbuffers.ByteBuffer(headerBytes));
    header = toFgbHeader(meta);
  } catch (err) {
    throw new FormatError(msg('fgbBadHeader', { file: source, detail: messageOf(err) }), source, { cause: err });
  }
  return { header, meta, headerEnd };
}

/**
 * flatbuffers reads whatever an offset points at, so a scrambled header decodes "fine" as an
 * empty one. Check that the root table and its vtable lie inside the header before trusting it.
 */
function checkTableBounds(sizePrefixed: Uint8Array): void {
  const view = new DataView(sizePrefixed.buffer, sizePrefixed.byteOffset, sizePrefixed.byteLength);
  const length = sizePrefixed.length - SIZE_PREFIX;
  const root = view.getUint32(SIZE_PREFIX, true);
  if (root < 4 || root + 4 > length) throw new Error('root table lies outside the header');
  const vtable = root - view.getInt32(SIZE_PREFIX + root, true);
  if (vtable < 0 || vtable + 4 > length) throw new Error('field table lies outside the header');
  const vtableSize = view.getUint16(SIZE_PREFIX + vtable, true);
  if (vtableSize < 4 || vtableSize % 2 !== 0 || vtable + vtableSize > length) {
    throw new Error('field table lies outside the header');
  }
}

/**
 * Walk index and feature size prefixes so that a cut-off file fails here, with a message,
 * rather than inside flatgeobuf. Returns the features found and where the last one ends.
 */
function checkLayout(bytes: Uint8Array, header: FgbHeader, headerEnd: number, source: string): { count: number; end: number } {
  const { featuresCount, indexNodeSize } = header;
  if (!Number.isSafeInteger(featuresCount)) {
    throw new FormatError(msg('fgbBadCount', { file: source, count: featuresCount }), source);
  }
  let at = headerEnd;
  if (indexNodeSize > 0 && featuresCount > 0) {
    const indexEnd = headerEnd + calcTreeSize(featuresCount, indexNodeSize);
    if (bytes.length < indexEnd) {
      throw new FormatError(msg('fgbEndsInIndex', { file: source, have: bytes.length - headerEnd, need: indexEnd - headerEnd }), source);
    }
    at = indexEnd;
  }
  if (indexNodeSize > 0 && featuresCount === 0 && bytes.length > headerEnd) {
    throw new FormatError(msg('fgbIndexNoFeatures', { file: source }), source);
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // features_count 0 without an index means "not recorded": read until the bytes run out.
  const expected = featuresCount > 0 ? featuresCount : Infinity;
  const endsInside = (n: number): FormatError =>
    new FormatError(
      featuresCount > 0 ? msg('fgbEndsInFeature', { file: source, n, total: featuresCount }) : msg('fgbEndsInFeatureOpen', { file: source, n }),
      source,
    );
  let count = 0;
  while (count < expected && at < bytes.length) {
    if (at + SIZE_PREFIX > bytes.length) throw endsInside(count + 1);
    const next = at + SIZE_PREFIX + view.getUint32(at, true);
    if (next > bytes.length) throw endsInside(count + 1);
    at = next;
    count++;
  }
  if (count < featuresCount) throw new FormatError(msg('fgbTooFew', { file: source, count, total: featuresCount }), source);
  return { count, end: at };
}

/** Surfaces our own decoder (`decode-feature.ts`) turns into polygons. */
const SURFACE_TYPES = new Set<string>(['Triangle', 'TIN', 'PolyhedralSurface']);

export function checkGeometryType(header: FgbHeader, source: string, surfaces = false): void {
  if (header.geometryType !== 'Unknown' && !GEOJSON_TYPES.has(header.geometryType) && !(surfaces && SURFACE_TYPES.has(header.geometryType))) {
    throw new FormatError(msg('fgbCurves', { file: source, type: header.geometryType }), source);
  }
}

export function checkFeatureGeometry(feature: Feature, source: string): void {
  const g = feature.geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
  const type = typeof g?.type === 'string' ? g.type : undefined;
  if (type === 'GeometryCollection' || (type && GEOJSON_TYPES.has(type) && g?.coordinates !== undefined)) return;
  // flatgeobuf returns `coordinates: undefined` for curve types in a file of mixed types...
  if (type && type in GeometryType && type !== 'Unknown' && !GEOJSON_TYPES.has(type)) {
    throw new FormatError(msg('fgbCurves', { file: source, type }), source);
  }
  // ...and decodes zero bytes when an HTTP range comes back short (it zero-fills, never checks).
  throw new FormatError(`${source} is truncated or corrupt: feature ${String(feature.id)} has no readable geometry`, source);
}

function toFgbHeader(meta: HeaderMeta): FgbHeader {
  const env = meta.envelope;
  return {
    geometryType: (GeometryType[meta.geometryType] as FgbGeometryType | undefined) ?? 'Unknown',
    featuresCount: meta.featuresCount,
    envelope: env && env.length >= 4 ? [env[0]!, env[1]!, env[2]!, env[3]!] : null,
    crs: meta.crs ? { org: meta.crs.org, code: meta.crs.code, wkt: meta.crs.wkt, name: meta.crs.name, description: meta.crs.description } : null,
    columns: (meta.columns ?? []).map((c) => {
      const column: FgbColumn = { name: c.name, type: ColumnType[c.type] as FgbColumnType };
      if (c.title !== null) column.title = c.title;
      if (c.description !== null) column.description = c.description;
      return column;
    }),
    indexNodeSize: meta.indexNodeSize,
    title: meta.title,
    description: meta.description,
  };
}

/** flatgeobuf throws bare Errors; classify them by message so the UI can say what went wrong. */
function toLoadError(err: unknown, source: string, signal: AbortSignal | undefined): unknown {
  // Whatever flatgeobuf was doing when the signal fired, the caller asked to stop: say that.
  if (signal?.aborted) return signal.reason;
  if (err instanceof LoadError || isAbortError(err)) return err;
  const message = messageOf(err);
  const options = { cause: err };
  if (message === 'Not a FlatGeobuf file') return new FormatError(msg('fgbNotFgb', { file: source }), source, options);
  if (message === 'Invalid header size') {
    return new FormatError(`${source} is corrupt: its header length is impossible`, source, options);
  }
  if (message.startsWith('No index found')) return noIndex(source, err);
  // 416: the header or index promises more bytes than the server has.
  if (message.startsWith('HTTP request failed: 416')) return truncated(source, 'the server has fewer bytes than it needs', err);
  if (message.startsWith('HTTP request failed')) {
    return new LoadError(`could not load ${source}: ${message.replace('HTTP request failed: ', 'HTTP ')}`, source, options);
  }
  // fetch's network failures are TypeErrors: "fetch failed" (Node), "Failed to fetch" (Chrome),
  // "NetworkError when attempting to fetch resource." (Firefox), "Load failed" (Safari).
  if (err instanceof TypeError && /fetch|network|load failed/i.test(message)) {
    return new LoadError(`could not load ${source}: ${message}`, source, options);
  }
  return new FormatError(msg('fgbCorrupt', { file: source, detail: message }), source, options);
}

function noIndex(source: string, cause?: unknown): FormatError {
  return new FormatError(`${source} has no spatial index, so it cannot be read by bounding box`, source, { cause });
}

function truncated(source: string, detail: string, cause?: unknown): FormatError {
  return new FormatError(`${source} is truncated: ${detail}`, source, { cause });
}

function checkRect(rect: Rect): void {
  if (typeof rect !== 'object' || rect === null) throw new Error('rect must be { minX, minY, maxX, maxY }');
  for (const key of ['minX', 'minY', 'maxX', 'maxY'] as const) {
    if (typeof rect[key] !== 'number' || Number.isNaN(rect[key])) throw new Error(`rect.${key} must be a number`);
  }
}

function defaultSourceName(input: Uint8Array | string): string {
  if (typeof input !== 'string') return 'FlatGeobuf data';
  const path = input.split(/[?#]/)[0] ?? input;
  const last = path.split('/').filter(Boolean).pop();
  if (!last) return input;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
