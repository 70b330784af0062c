/**
 * GeoJSON: a FeatureCollection, a Feature or a bare geometry. Plain JSON.parse; a `crs` member
 * (GeoJSON 2008, still written by ArcGIS and many Chinese tools) is honoured. A feature id
 * that is neither a string nor a number (GeoJSON allows only those) is left out.
 */
import type { Feature, Geometry } from 'geojson';
import { FormatError } from '../errors.ts';
import { msg, type DataMessage } from '../messages.ts';
import { decodeText } from './decode-text.ts';
import { crsFromMember } from './detect-crs.ts';
import { jsonErrorOffset, lineColumn } from './json-error.ts';
import { IMPORT_EXTENSIONS } from './extensions.ts';
import type { ImportFormat, ParsedFile } from './types.ts';
import { MAX_PROBLEMS } from './types.ts';

const GEOMETRY_TYPES = new Set([
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
]);

function firstNonSpace(bytes: Uint8Array): number {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] ?? -1;
}

function parseGeoJson(bytes: Uint8Array, fileName: string): ParsedFile {
  // RFC 8259 says UTF-8, but Chinese tools write GBK too: detect it and say so.
  const { text, problem: textProblem } = decodeText(bytes, fileName);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const at = jsonErrorOffset(text);
    const { line, column } = lineColumn(text, Math.max(0, Math.min(at, text.length)));
    const detail = at >= text.length || at < 0 ? msg('notJsonEnd', { file: fileName, line }) : msg('notJsonAt', { file: fileName, line, column });
    throw new FormatError(detail, fileName, { cause: err });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new FormatError(msg('notGeoJsonObject', { file: fileName }), fileName);
  }
  const obj = json as { type?: unknown; features?: unknown; crs?: unknown; geometry?: unknown };
  const crs = crsFromMember(obj.crs, fileName);
  let raw: unknown[];
  if (obj.type === 'FeatureCollection') {
    if (!Array.isArray(obj.features)) throw new FormatError(msg('noFeaturesArray', { file: fileName }), fileName);
    raw = obj.features;
  } else if (obj.type === 'Feature') {
    raw = [obj];
  } else if (typeof obj.type === 'string' && GEOMETRY_TYPES.has(obj.type)) {
    raw = [{ type: 'Feature', properties: {}, geometry: obj }];
  } else {
    if (obj.type === undefined) throw new FormatError(msg('notGeoJsonNoType', { file: fileName }), fileName);
    const type = JSON.stringify(obj.type);
    throw new FormatError(msg('notGeoJsonType', { file: fileName, type: type.length > 40 ? `${type.slice(0, 40)}…` : type }), fileName);
  }
  const features: Feature[] = [];
  const problems: DataMessage[] = textProblem ? [textProblem] : [];
  let skipped = 0;
  raw.forEach((f, i) => {
    if (typeof f !== 'object' || f === null || (f as { type?: unknown }).type !== 'Feature') {
      skipped++;
      if (problems.length < MAX_PROBLEMS) problems.push(msg('notAFeature', { n: i + 1 }));
      return;
    }
    const ft = f as { id?: string | number; properties?: unknown; geometry?: unknown };
    const props = typeof ft.properties === 'object' && ft.properties !== null && !Array.isArray(ft.properties) ? { ...ft.properties } : {};
    features.push({
      type: 'Feature',
      ...(typeof ft.id === 'string' || typeof ft.id === 'number' ? { id: ft.id } : {}),
      properties: props,
      geometry: (ft.geometry ?? null) as Geometry,
    });
  });
  return { features, crs, skipped, problems };
}

export const geojsonFormat: ImportFormat = {
  id: 'geojson',
  extensions: IMPORT_EXTENSIONS.geojson,
  sniff: (bytes) => firstNonSpace(bytes) === 0x7b /* { */,
  parse: async (bytes, fileName) => parseGeoJson(bytes, fileName),
};
