/**
 * GeoPackage export (OGC 12-128r18, version 1.2), QGIS's default format: one SQLite file
 * written with sql.js, holding
 * - `gpkg_spatial_ref_sys` with the spec's three required rows and the export CRS (EPSG code
 *   and OGC WKT, so a reader without an EPSG database still knows it);
 * - `gpkg_contents` (identifier = the layer's title, extent) and `gpkg_geometry_columns`;
 * - the feature table: `fid`, `geom` as GeoPackage geometry blobs (header with srs_id and
 *   envelope, then WKB) and one typed column per property (TEXT, MEDIUMINT/INTEGER, REAL,
 *   BOOLEAN, DATE, DATETIME; JSON as TEXT with mime type application/json);
 * - the schema extension: column titles in `gpkg_data_columns` and the catalogue's coded
 *   values as enum constraints in `gpkg_data_column_constraints` (GDAL reads those as coded
 *   field domains).
 *
 * No R-tree spatial index: sql.js is built without SQLite's R*Tree module, so the virtual
 * table cannot be created; readers fall back to a scan (QGIS offers to add the index).
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Database, SqlValue } from 'sql.js';
import { loadSqlJs } from '../sqlite.ts';
import { findExportCrs, toExportCrs } from './crs-transform.ts';
import { EPSG_WKT } from './crs-wkt.ts';
import { asText, exportColumns, toDate, type ColumnKind, type ExportColumn, type ExportLang, type ExportLayerInfo } from './export-schema.ts';
import { toWkb, type Envelope } from './wkb.ts';
import { ownValue } from '../../geo/own-value.ts';

export interface GpkgExportOptions {
  /** Export CRS code with an EPSG code (see `exportCrsList`). Default EPSG:4326. */
  crs?: string;
  /** Table name (ASCII; other characters become `_`). Default "layer". */
  layerName?: string;
  /** Identifier in gpkg_contents (the layer's title). Default the table name. */
  title?: string;
  /** The catalogue's entry: column types, titles and coded values. */
  layer?: ExportLayerInfo;
  /** Language of titles and labels. Default zh. */
  lang?: ExportLang;
}

const GPKG_APPLICATION_ID = 0x47504b47; // "GPKG"
const GPKG_VERSION = 10200;
const SCHEMA_EXTENSION = 'http://www.geopackage.org/spec120/#extension_schema';

/** `fc` (WGS84 lon/lat) as GeoPackage bytes in `options.crs`; `fc` is not changed. */
export async function exportGpkg(fc: FeatureCollection, options: GpkgExportOptions = {}): Promise<Uint8Array> {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error('features must be a GeoJSON FeatureCollection');
  }
  const code = options.crs ?? 'EPSG:4326';
  const crs = findExportCrs(code);
  if (!crs) throw new Error(`cannot export to coordinate system ${code}`);
  if (crs.epsg === null) throw new Error(`GeoPackage needs a coordinate system with an EPSG code, not ${crs.code}`);
  const data = toExportCrs(fc, crs.code);
  const table = tableName(options.layerName);
  const columns = exportColumns(fc, options.layer, options.lang);
  const sqlNames = columnNames(columns);

  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.run(`PRAGMA application_id = ${GPKG_APPLICATION_ID}`);
    db.run(`PRAGMA user_version = ${GPKG_VERSION}`);
    createCoreTables(db);
    const wkt = EPSG_WKT[crs.epsg];
    if (crs.epsg !== 4326) db.run('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)', [wkt?.[0] ?? crs.name.en, crs.epsg, 'EPSG', crs.epsg, wkt?.[1] ?? 'undefined', crs.name.en]);

    const geomType = geometryTypeName(data.features);
    const columnSql = columns.map((c, i) => `${quote(sqlNames[i]!)} ${sqlType(c)}`);
    db.run(`CREATE TABLE ${quote(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ${geomType}${columnSql.map((c) => `, ${c}`).join('')})`);

    let extent: [number, number, number, number] = [Infinity, -Infinity, Infinity, -Infinity];
    const insert = db.prepare(`INSERT INTO ${quote(table)} VALUES (NULL, ?${', ?'.repeat(columns.length)})`);
    try {
      for (const f of data.features) {
        const g = f.geometry ? promote(f.geometry, geomType) : null;
        const blob = g ? gpkgGeometry(g, crs.epsg) : null;
        if (blob?.envelope) {
          const e = blob.envelope;
          extent = [Math.min(extent[0], e[0]), Math.max(extent[1], e[1]), Math.min(extent[2], e[2]), Math.max(extent[3], e[3])];
        }
        insert.run([blob?.bytes ?? null, ...columns.map((c) => sqlValue(c.kind, ownValue(f.properties, c.name)))]);
      }
    } finally {
      insert.free();
    }
    const has = extent[0] <= extent[1];
    db.run('INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      table,
      'features',
      options.title ?? table,
      options.layer?.name.en ?? '',
      has ? extent[0] : null,
      has ? extent[2] : null,
      has ? extent[1] : null,
      has ? extent[3] : null,
      crs.epsg,
    ]);
    db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)', [table, 'geom', geomType, crs.epsg]);
    writeSchema(db, table, columns, sqlNames);
    return db.export();
  } finally {
    db.close();
  }
}

function createCoreTables(db: Database): void {
  db.run(`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
    organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`);
  db.run(`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
    description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
    CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`);
  db.run(`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
    srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
    CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
    CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
    CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`);
  db.run(`CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
    scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))`);
  // The three rows the spec requires whatever the data's CRS (§1.1.2.1.2).
  const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
  try {
    srs.run(['Undefined Cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined Cartesian coordinate reference system']);
    srs.run(['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system']);
    srs.run(['WGS 84 geodetic', 4326, 'EPSG', 4326, EPSG_WKT[4326]![1], 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid']);
  } finally {
    srs.free();
  }
}

/** Titles and coded values (the schema extension), so QGIS shows titles and value lists. */
function writeSchema(db: Database, table: string, columns: readonly ExportColumn[], sqlNames: readonly string[]): void {
  if (columns.length === 0) return;
  db.run(`CREATE TABLE gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, name TEXT, title TEXT, description TEXT,
    mime_type TEXT, constraint_name TEXT, CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name),
    CONSTRAINT gdc_tn UNIQUE (table_name, name))`);
  db.run(`CREATE TABLE gpkg_data_column_constraints (constraint_name TEXT NOT NULL, constraint_type TEXT NOT NULL, value TEXT,
    min NUMERIC, min_is_inclusive BOOLEAN, max NUMERIC, max_is_inclusive BOOLEAN, description TEXT,
    CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))`);
  db.run('INSERT INTO gpkg_extensions VALUES (?, NULL, ?, ?, ?)', ['gpkg_data_columns', 'gpkg_schema', SCHEMA_EXTENSION, 'read-write']);
  db.run('INSERT INTO gpkg_extensions VALUES (?, NULL, ?, ?, ?)', ['gpkg_data_column_constraints', 'gpkg_schema', SCHEMA_EXTENSION, 'read-write']);
  const titles = new Set<string>();
  const col = db.prepare('INSERT INTO gpkg_data_columns VALUES (?, ?, ?, ?, ?, ?, ?)');
  const enumValue = db.prepare("INSERT INTO gpkg_data_column_constraints (constraint_name, constraint_type, value, description) VALUES (?, 'enum', ?, ?)");
  try {
    columns.forEach((c, i) => {
      const column = sqlNames[i]!;
      // `name` is unique per table; two columns may share a catalogue title.
      let name = c.title;
      for (let k = 2; titles.has(name.toLowerCase()); k++) name = `${c.title} (${k})`;
      titles.add(name.toLowerCase());
      const constraint = c.labels ? `${table}_${column}` : null;
      col.run([table, column, name, c.title, c.unit ?? null, c.kind === 'json' ? 'application/json' : null, constraint]);
      if (constraint) for (const [value, label] of c.labels!) enumValue.run([constraint, value, label]);
    });
  } finally {
    col.free();
    enumValue.free();
  }
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

function tableName(layerName: string | undefined): string {
  const t = (layerName ?? 'layer').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  // Not "gpkg_…" (reserved) or "sqlite_…", and starting with a letter.
  return /^[A-Za-z]/.test(t) && !/^(gpkg|sqlite|rtree)_/i.test(t) ? t : `layer_${t || '1'}`;
}

/** Column names SQLite accepts together: unique without regard to case, none of fid and geom. */
function columnNames(columns: readonly ExportColumn[]): string[] {
  const taken = new Set(['fid', 'geom']);
  return columns.map((c) => {
    let n = c.name;
    for (let k = 1; taken.has(n.toLowerCase()); k++) n = `${c.name}_${k}`;
    taken.add(n.toLowerCase());
    return n;
  });
}

function sqlType(c: ExportColumn): string {
  const byKind: Record<ColumnKind, string> = {
    string: 'TEXT',
    // GDAL reads MEDIUMINT as a 32-bit integer and INTEGER as 64-bit.
    integer: c.range && (c.range[0] < -2147483648 || c.range[1] > 2147483647) ? 'INTEGER' : 'MEDIUMINT',
    number: 'REAL',
    boolean: 'BOOLEAN',
    date: 'DATE',
    datetime: 'DATETIME',
    json: 'TEXT',
  };
  return byKind[c.kind];
}

function sqlValue(kind: ColumnKind, v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'boolean':
      return v ? 1 : 0;
    case 'integer':
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    case 'date':
      return asText(v);
    case 'datetime':
      // The format the spec requires: ISO 8601 in UTC with milliseconds.
      return toDate(asText(v)).toISOString();
    case 'json':
      return JSON.stringify(v);
    default:
      return asText(v);
  }
}

const MULTI: Partial<Record<Geometry['type'], string>> = {
  Point: 'MULTIPOINT',
  MultiPoint: 'MULTIPOINT',
  LineString: 'MULTILINESTRING',
  MultiLineString: 'MULTILINESTRING',
  Polygon: 'MULTIPOLYGON',
  MultiPolygon: 'MULTIPOLYGON',
};

/**
 * One type for the column: the features' own when they share it, the multi type when they
 * mix single and multi parts of one kind (as GDAL promotes), else GEOMETRY.
 */
function geometryTypeName(features: readonly Feature[]): string {
  const types = new Set(features.flatMap((f) => (f.geometry ? [f.geometry.type] : [])));
  if (types.size === 0) return 'GEOMETRY';
  if (types.size === 1) {
    const [t] = types;
    return t === 'GeometryCollection' ? 'GEOMETRYCOLLECTION' : t!.toUpperCase();
  }
  const multi = new Set([...types].map((t) => MULTI[t] ?? 'GEOMETRY'));
  return multi.size === 1 ? [...multi][0]! : 'GEOMETRY';
}

function promote(g: Geometry, columnType: string): Geometry {
  if (columnType === 'MULTIPOLYGON' && g.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [g.coordinates] };
  if (columnType === 'MULTILINESTRING' && g.type === 'LineString') return { type: 'MultiLineString', coordinates: [g.coordinates] };
  if (columnType === 'MULTIPOINT' && g.type === 'Point') return { type: 'MultiPoint', coordinates: [g.coordinates] };
  return g;
}

/** A GeoPackage geometry blob (§2.1.3): "GP", version, flags, srs_id, envelope, WKB. */
export function gpkgGeometry(g: Geometry, srsId: number): { bytes: Uint8Array; envelope: Envelope } {
  const { bytes: wkb, envelope } = toWkb(g);
  // Points carry no envelope (it would repeat the point), as GDAL writes them.
  const withEnvelope = envelope !== null && g.type !== 'Point';
  const out = new Uint8Array(8 + (withEnvelope ? 32 : 0) + wkb.length);
  const view = new DataView(out.buffer);
  out[0] = 0x47; // G
  out[1] = 0x50; // P
  out[2] = 0; // version 1
  // Bit 0 little-endian, bits 1–3 envelope [minx, maxx, miny, maxy], bit 4 empty.
  out[3] = 0x01 | (withEnvelope ? 0x02 : 0) | (envelope === null ? 0x10 : 0);
  view.setInt32(4, srsId, true);
  if (withEnvelope) envelope.forEach((v, i) => view.setFloat64(8 + i * 8, v, true));
  out.set(wkb, 8 + (withEnvelope ? 32 : 0));
  return { bytes: out, envelope };
}
