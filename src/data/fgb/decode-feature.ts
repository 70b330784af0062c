/**
 * One FlatGeobuf feature as GeoJSON, more forgiving than flatgeobuf's own decoder where GDAL
 * is: a feature without geometry comes back with `geometry: null` (flatgeobuf throws
 * "Cannot read properties of null"), a Json column holding text that is not JSON keeps the
 * text (flatgeobuf throws the JSON error and loses the file), and the surface types GDAL
 * writes for 3D data (Triangle, TIN, PolyhedralSurface) become the polygons they are made
 * of. Curves still cannot be represented in GeoJSON; they throw a FormatError.
 */
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import type { Feature as FgbFeature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import type { Geometry as FgbGeometry } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { Feature, Geometry, Position } from 'geojson';
import { FormatError } from '../errors.ts';
import { msg, type DataMessage } from '../messages.ts';

const textDecoder = new TextDecoder();

function positions(xy: Float64Array | null, z: Float64Array | null, from = 0, to = (xy?.length ?? 0) / 2): Position[] {
  const out: Position[] = [];
  if (!xy) return out;
  for (let i = from; i < to; i++) out.push(z ? [xy[2 * i]!, xy[2 * i + 1]!, z[i]!] : [xy[2 * i]!, xy[2 * i + 1]!]);
  return out;
}

/** Rings or lines split at `ends` (one part when there are none). */
function parts(g: FgbGeometry): Position[][] {
  const xy = g.xyArray();
  const z = g.zArray();
  const ends = g.endsArray();
  if (!ends || ends.length === 0) return [positions(xy, z)];
  const out: Position[][] = [];
  let start = 0;
  for (const end of ends) {
    out.push(positions(xy, z, start, end));
    start = end;
  }
  return out;
}

function polygonsOf(g: FgbGeometry, source: string): Position[][][] {
  const n = g.partsLength();
  if (n === 0) return [parts(g)];
  const out: Position[][][] = [];
  for (let i = 0; i < n; i++) out.push(...polygonsOf(g.parts(i)!, source));
  return out;
}

function toGeoJson(g: FgbGeometry, type: GeometryType, source: string): Geometry {
  switch (type) {
    case GeometryType.Point:
      return { type: 'Point', coordinates: positions(g.xyArray(), g.zArray())[0] ?? [] };
    case GeometryType.MultiPoint:
      return { type: 'MultiPoint', coordinates: positions(g.xyArray(), g.zArray()) };
    case GeometryType.LineString:
      return { type: 'LineString', coordinates: positions(g.xyArray(), g.zArray()) };
    case GeometryType.MultiLineString:
      return { type: 'MultiLineString', coordinates: parts(g) };
    case GeometryType.Polygon:
    case GeometryType.Triangle:
      return { type: 'Polygon', coordinates: parts(g) };
    case GeometryType.MultiPolygon:
    case GeometryType.PolyhedralSurface:
    case GeometryType.TIN:
      return { type: 'MultiPolygon', coordinates: polygonsOf(g, source) };
    case GeometryType.GeometryCollection: {
      const geometries: Geometry[] = [];
      for (let i = 0; i < g.partsLength(); i++) {
        const part = g.parts(i)!;
        geometries.push(toGeoJson(part, part.type(), source));
      }
      return { type: 'GeometryCollection', geometries };
    }
    default:
      throw new FormatError(msg('fgbCurves', { file: source, type: GeometryType[type] ?? String(type) }), source);
  }
}

function properties(
  feature: FgbFeature,
  header: HeaderMeta,
  id: number,
  source: string,
  onProblem: (m: DataMessage) => void,
  keepColumns: boolean,
): Record<string, unknown> {
  const columns = header.columns;
  // FlatGeobuf writes no nulls: with keepColumns a value left out is null, so every feature has every column, as in GDAL.
  const out: Record<string, unknown> = keepColumns ? Object.fromEntries((columns ?? []).map((c) => [c.name, null])) : {};
  const array = feature.propertiesArray();
  if (!columns || columns.length === 0 || !array) return out;
  const view = new DataView(array.buffer, array.byteOffset, array.byteLength);
  let at = 0;
  const text = (): string => {
    const n = view.getUint32(at, true);
    at += 4;
    if (at + n > array.length) throw new RangeError('a text value runs past the feature');
    const s = textDecoder.decode(array.subarray(at, at + n));
    at += n;
    return s;
  };
  // Writers may pad the vector; a column index needs two bytes.
  while (at + 2 <= array.length) {
    const i = view.getUint16(at, true);
    at += 2;
    const column = columns[i];
    if (!column) throw new RangeError(`column ${i} does not exist`);
    const name = column.name;
    switch (column.type) {
      case ColumnType.Bool:
        out[name] = view.getUint8(at) !== 0;
        at += 1;
        break;
      case ColumnType.Byte:
        out[name] = view.getInt8(at);
        at += 1;
        break;
      case ColumnType.UByte:
        out[name] = view.getUint8(at);
        at += 1;
        break;
      case ColumnType.Short:
        out[name] = view.getInt16(at, true);
        at += 2;
        break;
      case ColumnType.UShort:
        out[name] = view.getUint16(at, true);
        at += 2;
        break;
      case ColumnType.Int:
        out[name] = view.getInt32(at, true);
        at += 4;
        break;
      case ColumnType.UInt:
        out[name] = view.getUint32(at, true);
        at += 4;
        break;
      case ColumnType.Long:
        out[name] = Number(view.getBigInt64(at, true));
        at += 8;
        break;
      case ColumnType.ULong:
        out[name] = Number(view.getBigUint64(at, true));
        at += 8;
        break;
      case ColumnType.Float:
        out[name] = view.getFloat32(at, true);
        at += 4;
        break;
      case ColumnType.Double:
        out[name] = view.getFloat64(at, true);
        at += 8;
        break;
      case ColumnType.DateTime:
      case ColumnType.String:
        out[name] = text();
        break;
      case ColumnType.Json: {
        const s = text();
        try {
          out[name] = JSON.parse(s) as unknown;
        } catch {
          // GDAL writes whatever a JSON-subtype string field held; keep what was there.
          out[name] = s;
          onProblem(msg('fgbJsonText', { file: source, column: name, n: id + 1 }));
        }
        break;
      }
      case ColumnType.Binary: {
        const n = view.getUint32(at, true);
        at += 4;
        if (at + n > array.length) throw new RangeError('a binary value runs past the feature');
        // As GDAL writes binary fields to GeoJSON: base64 text, which any table can hold.
        let bin = '';
        for (let k = at; k < at + n; k++) bin += String.fromCharCode(array[k]!);
        out[name] = btoa(bin);
        at += n;
        break;
      }
      default:
        throw new RangeError(`column ${name} has an unknown type`);
    }
  }
  return out;
}

/**
 * A `fromFeature` for flatgeobuf's generic reader; `onProblem` hears about values kept as
 * text; `keepColumns` gives every feature every column (null where the file has no value).
 */
export function featureDecoder(source: string, onProblem: (m: DataMessage) => void, keepColumns = false) {
  return (id: number, feature: FgbFeature, header: HeaderMeta): Feature => {
    const g = feature.geometry();
    const type = g ? (header.geometryType === GeometryType.Unknown ? g.type() : header.geometryType) : null;
    return {
      type: 'Feature',
      id,
      geometry: g && type !== null ? toGeoJson(g, type, source) : (null as unknown as Geometry),
      properties: properties(feature, header, id, source, onProblem, keepColumns),
    };
  };
}
