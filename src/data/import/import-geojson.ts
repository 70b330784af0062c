/**
 * GeoJSON: a FeatureCollection, a Feature or a bare geometry. Plain JSON.parse; a `crs` member
 * (GeoJSON 2008, still written by ArcGIS and many Chinese tools) is honoured.
 */
import type { Feature, Geometry } from 'geojson';
import { FormatError } from '../errors.ts';
import { crsFromMember } from './detect-crs.ts';
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

/** Line and column of a character offset, for "not JSON" messages. */
function lineColumn(text: string, pos: number): string {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function parseGeoJson(bytes: Uint8Array, fileName: string): ParsedFile {
  const text = new TextDecoder().decode(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(msg)?.[1];
    const where = pos !== undefined ? ` at ${lineColumn(text, Number(pos))}` : ' (it ends too early)';
    throw new FormatError(`${fileName} is not valid JSON: the text cannot be read${where}`, fileName, { cause: err });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new FormatError(`${fileName} is JSON but not GeoJSON: expected an object with a "type"`, fileName);
  }
  const obj = json as { type?: unknown; features?: unknown; crs?: unknown; geometry?: unknown };
  const crs = crsFromMember(obj.crs, fileName);
  let raw: unknown[];
  if (obj.type === 'FeatureCollection') {
    if (!Array.isArray(obj.features)) {
      throw new FormatError(`${fileName}: the FeatureCollection has no "features" array`, fileName);
    }
    raw = obj.features;
  } else if (obj.type === 'Feature') {
    raw = [obj];
  } else if (typeof obj.type === 'string' && GEOMETRY_TYPES.has(obj.type)) {
    raw = [{ type: 'Feature', properties: {}, geometry: obj }];
  } else {
    throw new FormatError(
      `${fileName} is JSON but not GeoJSON: its "type" is ${JSON.stringify(obj.type) ?? 'missing'}, not FeatureCollection, Feature or a geometry`,
      fileName,
    );
  }
  const features: Feature[] = [];
  const problems: string[] = [];
  let skipped = 0;
  raw.forEach((f, i) => {
    if (typeof f !== 'object' || f === null || (f as { type?: unknown }).type !== 'Feature') {
      skipped++;
      if (problems.length < MAX_PROBLEMS) problems.push(`feature ${i + 1} is not a GeoJSON Feature`);
      return;
    }
    const ft = f as { id?: string | number; properties?: unknown; geometry?: unknown };
    const props = typeof ft.properties === 'object' && ft.properties !== null ? { ...(ft.properties) } : {};
    features.push({
      type: 'Feature',
      ...(ft.id !== undefined ? { id: ft.id } : {}),
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
