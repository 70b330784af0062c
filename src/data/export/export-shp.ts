/**
 * Shapefile export (ESRI Shapefile Technical Description, 1998; dBase III+ attributes): a zip
 * of .shp, .shx, .dbf, .prj (ESRI WKT, as ArcGIS writes it) and .cpg.
 *
 * Written here rather than with @mapbox/shp-write, which encodes attributes only as UTF-8
 * (no GBK, no language-driver byte), writes one file per geometry type only for its own
 * fixed names, drops the .cpg, types every number as a float field and does not shorten
 * field names to dBase's 10 bytes without collisions. What this writer does:
 * - one geometry type per file: points, multipoints, lines and polygons of a layer go to
 *   files of their own (`parks.shp` when there is one type, `parks_point.shp`,
 *   `parks_polygon.shp`, … when there are several); a feature without geometry is a Null
 *   shape in the first;
 * - polygon rings in the spec's order: outer rings clockwise, holes counter-clockwise;
 * - attributes in GBK (code page 936: language-driver byte 0x4D, .cpg "936") or UTF-8
 *   (.cpg "UTF-8"), as chosen; field names cut to 10 bytes in that encoding and made unique;
 * - typed fields: N for integers (width of the longest) and numbers (the decimals they need),
 *   L for booleans, D for dates, C for text (up to dBase's 254 bytes).
 */
import { LoadError } from '../errors.ts';
import { zipSync } from 'fflate';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { findExportCrs, toExportCrs } from './crs-transform.ts';
import { ESRI_WKT } from './crs-wkt.ts';
import { ringArea } from './export-geojson.ts';
import { asText, exportColumns, type ExportColumn, type ExportLang, type ExportLayerInfo } from './export-schema.ts';
import type { ExportPart, TextEncodingId } from './formats.ts';
import { encodeGbk } from './gbk.ts';
import { msg, type DataMessage } from '../messages.ts';
import { ownValue } from '../../geo/own-value.ts';

export interface ShpExportOptions {
  /** Export CRS code (see `exportCrsList`). Default EPSG:4326. */
  crs?: string;
  /** Base name of the files (ASCII). Default "layer". */
  layerName?: string;
  /** The catalogue's entry: column types. */
  layer?: ExportLayerInfo;
  lang?: ExportLang;
  /** Attribute encoding. Default GBK, what Chinese ArcGIS, SuperMap and MapGIS read. */
  encoding?: TextEncodingId;
  /** Told when text had to be changed to fit the encoding. */
  onNote?: (note: DataMessage) => void;
}

type ShapeKind = 'point' | 'multipoint' | 'line' | 'polygon';

const SHAPE_TYPE: Record<ShapeKind, number> = { point: 1, line: 3, polygon: 5, multipoint: 8 };
const KIND_OF: Record<Exclude<Geometry['type'], 'GeometryCollection'>, ShapeKind> = {
  Point: 'point',
  MultiPoint: 'multipoint',
  LineString: 'line',
  MultiLineString: 'line',
  Polygon: 'polygon',
  MultiPolygon: 'polygon',
};
const ORDER: readonly ShapeKind[] = ['point', 'multipoint', 'line', 'polygon'];

/** The zip of the shapefile(s) of `fc` (WGS84 lon/lat) in `options.crs`. */
export async function exportShpZip(fc: FeatureCollection, options: ShpExportOptions = {}): Promise<Uint8Array> {
  const parts = await exportShp(fc, options);
  return zipSync(Object.fromEntries(parts.map((p) => [p.name, p.bytes])));
}

/** The files of the shapefile(s) of `fc`, one set per geometry type. */
export async function exportShp(fc: FeatureCollection, options: ShpExportOptions = {}): Promise<ExportPart[]> {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error('features must be a GeoJSON FeatureCollection');
  }
  const code = options.crs ?? 'EPSG:4326';
  const crs = findExportCrs(code);
  if (!crs) throw new Error(`cannot export to coordinate system ${code}`);
  const encoding = options.encoding ?? 'gbk';
  const base = (options.layerName ?? 'layer').replace(/[^A-Za-z0-9_-]+/g, '_') || 'layer';
  const data = toExportCrs(fc, crs.code);
  const columns = exportColumns(fc, options.layer, options.lang);
  // Characters GBK lacks (rare hanzi, emoji, other scripts) become "?": the user is told which.
  const lost = new Set<string>();
  const encode = encoder(encoding, lost);
  const fields = dbfFields(columns, data.features, encode);

  // Features by shape kind; a GeometryCollection's members go to their kinds' files.
  const groups = new Map<ShapeKind, { feature: Feature; geometry: Geometry | null }[]>();
  const nulls: Feature[] = [];
  for (const f of data.features) {
    const members = f.geometry ? (f.geometry.type === 'GeometryCollection' ? f.geometry.geometries : [f.geometry]) : [];
    const byKind = new Map<ShapeKind, Geometry[]>();
    for (const g of members) {
      if (g.type === 'GeometryCollection') continue;
      const k = KIND_OF[g.type];
      byKind.set(k, [...(byKind.get(k) ?? []), g]);
    }
    if (byKind.size === 0) nulls.push(f);
    for (const [k, gs] of byKind) {
      const list = groups.get(k) ?? [];
      list.push({ feature: f, geometry: gs.length === 1 ? gs[0]! : merge(k, gs) });
      groups.set(k, list);
    }
  }
  const kinds = ORDER.filter((k) => groups.has(k));
  if (kinds.length === 0) kinds.push('point');
  const first = kinds[0]!;
  groups.set(first, [...(groups.get(first) ?? []), ...nulls.map((feature) => ({ feature, geometry: null }))]);

  const prj = crs.epsg === null ? undefined : ESRI_WKT[crs.epsg];
  const cpg = encoding === 'gbk' ? '936' : 'UTF-8';
  const parts: ExportPart[] = [];
  for (const kind of kinds) {
    const rows = groups.get(kind)!;
    const name = kinds.length === 1 ? base : `${base}_${kind}`;
    const { shp, shx } = writeShp(SHAPE_TYPE[kind], rows.map((r) => r.geometry));
    parts.push({ name: `${name}.shp`, bytes: shp }, { name: `${name}.shx`, bytes: shx });
    parts.push({ name: `${name}.dbf`, bytes: writeDbf(fields, rows.map((r) => r.feature), encode, encoding) });
    if (prj) parts.push({ name: `${name}.prj`, bytes: new TextEncoder().encode(prj) });
    parts.push({ name: `${name}.cpg`, bytes: new TextEncoder().encode(cpg) });
  }
  if (lost.size) options.onNote?.(msg('gbkUnmappable', { file: `${base}.dbf`, count: lost.size, examples: [...lost].slice(0, 5).join(' ') }));
  if (columns.length > MAX_FIELDS) {
    const left = columns.slice(MAX_FIELDS).map((c) => c.name);
    options.onNote?.(msg('shpTooManyFields', { file: `${base}.dbf`, count: left.length, examples: left.slice(0, 5).join(', ') }));
  }
  return parts;
}

function merge(kind: ShapeKind, gs: Geometry[]): Geometry {
  switch (kind) {
    case 'point':
    case 'multipoint':
      return { type: 'MultiPoint', coordinates: gs.flatMap((g) => (g.type === 'Point' ? [g.coordinates] : g.type === 'MultiPoint' ? g.coordinates : [])) };
    case 'line':
      return { type: 'MultiLineString', coordinates: gs.flatMap((g) => (g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [])) };
    case 'polygon':
      return { type: 'MultiPolygon', coordinates: gs.flatMap((g) => (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [])) };
  }
}

// ---------- .shp and .shx ----------

/** Parts (rings or lines) and points of a geometry, rings wound as the spec wants. */
function partsOf(g: Geometry): Position[][] {
  switch (g.type) {
    case 'LineString':
      return [g.coordinates];
    case 'MultiLineString':
      return g.coordinates;
    case 'Polygon':
      return windPolygon(g.coordinates);
    case 'MultiPolygon':
      return g.coordinates.flatMap(windPolygon);
    case 'MultiPoint':
      return [g.coordinates];
    case 'Point':
      return [[g.coordinates]];
    default:
      return [];
  }
}

/** Outer ring clockwise, holes counter-clockwise, each ring closed. */
function windPolygon(rings: Position[][]): Position[][] {
  return rings
    .filter((r) => r.length > 0)
    .map((ring, i) => {
      const closed = samePosition(ring[0]!, ring[ring.length - 1]!) ? ring : [...ring, ring[0]!];
      const ccw = ringArea(closed) > 0;
      return ccw === (i !== 0) ? closed : closed.slice().reverse();
    });
}

const samePosition = (a: Position, b: Position): boolean => a[0] === b[0] && a[1] === b[1];

function writeShp(shapeType: number, geometries: readonly (Geometry | null)[]): { shp: Uint8Array; shx: Uint8Array } {
  const records = geometries.map((g) => (g ? shapeRecord(shapeType, g) : nullRecord()));
  const shpLength = 100 + records.reduce((n, r) => n + 8 + r.length, 0);
  const shp = new Uint8Array(shpLength);
  const shx = new Uint8Array(100 + 8 * records.length);
  const sv = new DataView(shp.buffer);
  const xv = new DataView(shx.buffer);
  const bbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of geometries) {
    if (!g) continue;
    for (const part of partsOf(g)) {
      for (const p of part) {
        bbox[0] = Math.min(bbox[0]!, p[0]!);
        bbox[1] = Math.min(bbox[1]!, p[1]!);
        bbox[2] = Math.max(bbox[2]!, p[0]!);
        bbox[3] = Math.max(bbox[3]!, p[1]!);
      }
    }
  }
  const box = bbox[0]! <= bbox[2]! ? bbox : [0, 0, 0, 0];
  for (const [view, length] of [[sv, shpLength], [xv, shx.length]] as const) {
    view.setInt32(0, 9994, false);
    view.setInt32(24, length / 2, false);
    view.setInt32(28, 1000, true);
    view.setInt32(32, shapeType, true);
    box.forEach((v, i) => view.setFloat64(36 + i * 8, v, true));
  }
  let at = 100;
  records.forEach((r, i) => {
    xv.setInt32(100 + i * 8, at / 2, false);
    xv.setInt32(104 + i * 8, r.length / 2, false);
    sv.setInt32(at, i + 1, false);
    sv.setInt32(at + 4, r.length / 2, false);
    shp.set(r, at + 8);
    at += 8 + r.length;
  });
  return { shp, shx };
}

function nullRecord(): Uint8Array {
  return new Uint8Array(4); // shape type 0
}

function shapeRecord(shapeType: number, g: Geometry): Uint8Array {
  const parts = partsOf(g);
  const points = parts.flat();
  if (shapeType === 1) {
    const p = points[0];
    if (!p) return nullRecord();
    const r = new Uint8Array(20);
    const v = new DataView(r.buffer);
    v.setInt32(0, 1, true);
    v.setFloat64(4, p[0]!, true);
    v.setFloat64(12, p[1]!, true);
    return r;
  }
  if (points.length === 0) return nullRecord();
  const multipoint = shapeType === 8;
  const head = 4 + 32 + 4 + (multipoint ? 0 : 4 + 4 * parts.length);
  const r = new Uint8Array(head + points.length * 16);
  const v = new DataView(r.buffer);
  v.setInt32(0, shapeType, true);
  const box = points.reduce((b, p) => [Math.min(b[0]!, p[0]!), Math.min(b[1]!, p[1]!), Math.max(b[2]!, p[0]!), Math.max(b[3]!, p[1]!)], [Infinity, Infinity, -Infinity, -Infinity]);
  box.forEach((b, i) => v.setFloat64(4 + i * 8, b, true));
  let at = 36;
  if (!multipoint) {
    v.setInt32(at, parts.length, true);
    at += 4;
  }
  v.setInt32(at, points.length, true);
  at += 4;
  if (!multipoint) {
    let start = 0;
    for (const part of parts) {
      v.setInt32(at, start, true);
      at += 4;
      start += part.length;
    }
  }
  for (const p of points) {
    v.setFloat64(at, p[0]!, true);
    v.setFloat64(at + 8, p[1]!, true);
    at += 16;
  }
  return r;
}

// ---------- .dbf ----------

type Encode = (s: string) => Uint8Array;

function encoder(encoding: TextEncodingId, lost: Set<string>): Encode {
  if (encoding === 'gbk') {
    return (s) => encodeGbk(s, (ch) => {
      lost.add(ch);
      return '?';
    }).bytes;
  }
  const utf8 = new TextEncoder();
  return (s) => utf8.encode(s);
}

interface DbfField {
  column: ExportColumn;
  /** Name bytes, at most 10. */
  name: Uint8Array;
  type: 'C' | 'N' | 'L' | 'D';
  width: number;
  decimals: number;
}

const MAX_TEXT = 254;
const MAX_FIELDS = 255;

/** The leading bytes of `s` that fit in `max` bytes without splitting a character. */
function cut(s: string, max: number, encode: Encode): Uint8Array {
  let bytes = encode(s);
  if (bytes.length <= max) return bytes;
  const chars = [...s];
  while (chars.length > 0 && bytes.length > max) {
    chars.pop();
    bytes = encode(chars.join(''));
  }
  return bytes;
}

function dbfFields(columns: readonly ExportColumn[], features: readonly Feature[], encode: Encode): DbfField[] {
  const taken = new Set<string>();
  // dBase compares names without regard to ASCII case.
  const key = (b: Uint8Array): string => Array.from(b, (x) => (x >= 0x61 && x <= 0x7a ? x - 0x20 : x)).join(',');
  const longest = (xs: readonly number[]): number => xs.reduce((m, x) => Math.max(m, x), 1);
  return columns.slice(0, MAX_FIELDS).map((column) => {
    // GDAL's rule: cut to 10 bytes, then replace the end with _1, _2, … until unique.
    let name = cut(column.name, 10, encode);
    for (let k = 1; taken.has(key(name)) || name.length === 0; k++) {
      const suffix = `_${k}`;
      const stem = cut(column.name, 10 - suffix.length, encode);
      name = new Uint8Array([...stem, ...new TextEncoder().encode(suffix)]);
    }
    taken.add(key(name));
    const values = features.map((f) => ownValue(f.properties, column.name)).filter((v) => v !== null && v !== undefined);
    switch (column.kind) {
      case 'boolean':
        return { column, name, type: 'L', width: 1, decimals: 0 };
      case 'date':
        return { column, name, type: 'D', width: 8, decimals: 0 };
      case 'integer': {
        const width = longest(values.map((v) => asText(v).length));
        return { column, name, type: 'N', width, decimals: 0 };
      }
      case 'number': {
        const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
        // At least one decimal: a column of whole areas is still a Real, not an Integer, to GDAL.
        const decimals = finite.reduce((m, v) => Math.max(m, decimalsOf(v)), 1);
        const width = longest(finite.map((v) => v.toFixed(decimals).length));
        return { column, name, type: 'N', width, decimals };
      }
      default: {
        const width = Math.min(MAX_TEXT, longest(values.map((v) => encode(asText(v)).length)));
        return { column, name, type: 'C', width, decimals: 0 };
      }
    }
  });
}

/** The fewest decimals (at most 15) that give `v` back. */
function decimalsOf(v: number): number {
  for (let d = 0; d < 15; d++) if (Number(v.toFixed(d)) === v) return d;
  return 15;
}

function writeDbf(fields: readonly DbfField[], features: readonly Feature[], encode: Encode, encoding: TextEncodingId): Uint8Array {
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((n, f) => n + f.width, 0);
  // A user's layer of many long text fields can get here: said in the UI's language, with what to do.
  if (recordLength > 65535) throw new LoadError(msg('dbfTooWide', { width: recordLength }), 'dbf');
  const out = new Uint8Array(headerLength + recordLength * features.length + 1);
  const view = new DataView(out.buffer);
  const today = new Date();
  out[0] = 0x03;
  out[1] = today.getFullYear() - 1900;
  out[2] = today.getMonth() + 1;
  out[3] = today.getDate();
  view.setUint32(4, features.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  // Language driver: 0x4D is code page 936 (GBK); UTF-8 has none, the .cpg says it.
  out[29] = encoding === 'gbk' ? 0x4d : 0x00;
  fields.forEach((f, i) => {
    const at = 32 + 32 * i;
    out.set(f.name, at);
    out[at + 11] = f.type.charCodeAt(0);
    out[at + 16] = f.width;
    out[at + 17] = f.decimals;
  });
  out[headerLength - 1] = 0x0d;
  const space = 0x20;
  let at = headerLength;
  for (const feature of features) {
    out.fill(space, at, at + recordLength);
    let p = at + 1;
    for (const f of fields) {
      const bytes = cell(f, ownValue(feature.properties, f.column.name), encode);
      // Numbers are right-aligned, everything else left-aligned.
      out.set(bytes, f.type === 'N' ? p + f.width - bytes.length : p);
      p += f.width;
    }
    at += recordLength;
  }
  out[at] = 0x1a;
  return out;
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

function cell(f: DbfField, v: unknown, encode: Encode): Uint8Array {
  if (v === null || v === undefined) return new Uint8Array(0);
  switch (f.type) {
    case 'L':
      return ascii(v ? 'T' : 'F');
    case 'D':
      return ascii(asText(v).slice(0, 10).replaceAll('-', ''));
    case 'N':
      return typeof v === 'number' && Number.isFinite(v) ? ascii(v.toFixed(f.decimals)) : new Uint8Array(0);
    default:
      return cut(asText(v), f.width, encode);
  }
}
