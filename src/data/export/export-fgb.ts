/**
 * FlatGeobuf export: an indexed file (`writeFgb`) whose header declares the CRS by code, name
 * and OGC WKT, and whose columns keep the catalogue's types (dates as DateTime, counts as
 * Int, flags as Bool) and titles (GDAL shows them as alternative names). GCJ-02 has no EPSG
 * code: it is written as code 0 ("unknown") with a description saying what it is.
 */
import type { FeatureCollection } from 'geojson';
import { mapCoordinates } from '../../crs/map-coordinates.ts';
import { msg, type DataMessage } from '../messages.ts';
import { writeFgb } from '../fgb/write-fgb.ts';
import type { FgbColumn, FgbColumnType, FgbCrs } from '../fgb/write-fgb.ts';
import { ownValue } from '../../geo/own-value.ts';
import { GCJ02, findExportCrs, toExportCrs } from './crs-transform.ts';
import { EPSG_WKT } from './crs-wkt.ts';
import { asText, exportColumns, type ColumnKind, type ExportColumn, type ExportLang, type ExportLayerInfo } from './export-schema.ts';

export interface FgbExportOptions {
  /** Export CRS code (see `exportCrsList`). Default EPSG:4326. */
  crs?: string;
  /** Layer name stored in the header. */
  layerName?: string;
  /** Dataset title stored in the header. */
  title?: string;
  /** The catalogue's entry: column types and titles. Default: types inferred from the values. */
  layer?: ExportLayerInfo;
  /** Told what the file could not hold as it was (heights some positions lack, measures), so nothing is lost silently. */
  onNote?: (note: DataMessage) => void;
  /** Language of the column titles. Default zh. */
  lang?: ExportLang;
}

export const GCJ02_DESCRIPTION = 'GCJ-02 (offset, not a standard CRS)';

/** `fc` (WGS84 lon/lat) as FlatGeobuf bytes in `options.crs`; `fc` is not changed. */
export function exportFgb(fc: FeatureCollection, options: FgbExportOptions = {}): Uint8Array {
  const code = options.crs ?? 'EPSG:4326';
  const crs = findExportCrs(code);
  if (!crs) throw new Error(`cannot export to coordinate system ${code}`);
  const columns = exportColumns(fc, options.layer, options.lang);
  const data = oneDimension(toExportCrs(fc, crs.code), (dropped) => options.onNote?.(msg(dropped === 'z' ? 'fgbHeightsDropped' : 'fgbMeasuresDropped', { file: options.layerName ?? 'layer' })));
  return writeFgb(textInTextColumns(data, columns), {
    crs: fgbCrs(crs.code),
    columns: columns.map(fgbColumn),
    ...(options.layerName !== undefined ? { name: options.layerName } : {}),
    ...(options.title !== undefined ? { title: options.title } : {}),
  });
}

/**
 * FlatGeobuf holds x, y and a height (z) for every position of a file or for none, and this
 * writer no measures (m): a layer read from a file that mixes [x, y] and [x, y, z] (a KML
 * with heights on some placemarks), or gives a fourth value, is written in two dimensions
 * (heights dropped unless every position has a numeric one; measures always), and `dropped`
 * is told what went. What else a position holds past its numbers is ignored likewise.
 */
function oneDimension(fc: FeatureCollection, dropped: (what: 'z' | 'm') => void): FeatureCollection {
  let all3d = true;
  let any3d = false;
  let anyM = false;
  for (const f of fc.features) {
    if (!f.geometry) continue;
    mapCoordinates(f.geometry, (p) => {
      all3d &&= typeof p[2] === 'number' && Number.isFinite(p[2]);
      any3d ||= p.length > 2;
      anyM ||= p.length > 3;
      return p;
    });
  }
  const keepZ = all3d && any3d;
  if (!anyM && (keepZ || !any3d)) return fc;
  if (any3d && !keepZ) dropped('z');
  if (anyM) dropped('m');
  const size = keepZ ? 3 : 2;
  return { ...fc, features: fc.features.map((f) => (f.geometry ? { ...f, geometry: mapCoordinates(f.geometry, (p) => p.slice(0, size)) } : f)) };
}

/**
 * A column whose values mix types (a code "A1" here, 7 there) is a text column: its other
 * values are written as their text, as GeoPackage and Excel get them, instead of refusing the file.
 */
function textInTextColumns(fc: FeatureCollection, columns: readonly ExportColumn[]): FeatureCollection {
  const text = columns.filter((c) => c.kind === 'string').map((c) => c.name);
  const mixed = text.filter((name) => fc.features.some((f) => {
    const v = ownValue(f.properties, name);
    return v !== null && v !== undefined && typeof v !== 'string';
  }));
  if (!mixed.length) return fc;
  return {
    ...fc,
    features: fc.features.map((f) => {
      if (!f.properties) return f;
      const properties = { ...f.properties };
      for (const name of mixed) {
        const v = ownValue(properties, name);
        if (v !== null && v !== undefined && typeof v !== 'string') properties[name] = asText(v);
      }
      return { ...f, properties };
    }),
  };
}

const FGB_TYPE: Record<ColumnKind, FgbColumnType> = {
  string: 'String',
  integer: 'Int',
  number: 'Double',
  boolean: 'Bool',
  date: 'DateTime',
  datetime: 'DateTime',
  json: 'Json',
};

function fgbColumn(c: ExportColumn): FgbColumn {
  // Int is 32-bit; the column kind only says "whole number".
  const type = c.kind === 'integer' && c.range && (c.range[0] < -2147483648 || c.range[1] > 2147483647) ? 'Long' : FGB_TYPE[c.kind];
  return { name: c.name, type, ...(c.title !== c.name ? { title: c.title } : {}), ...(c.unit ? { description: c.unit } : {}) };
}

/** The header CRS record for an export CRS code. */
export function fgbCrs(code: string): FgbCrs {
  const crs = findExportCrs(code);
  if (!crs) throw new Error(`cannot export to coordinate system ${code}`);
  if (crs.code === GCJ02 || crs.epsg === null) {
    return { org: 'EPSG', code: 0, name: 'GCJ-02', description: GCJ02_DESCRIPTION };
  }
  const known = EPSG_WKT[crs.epsg];
  return known ? { org: 'EPSG', code: crs.epsg, name: known[0], wkt: known[1] } : { org: 'EPSG', code: crs.epsg, name: crs.name.en };
}
