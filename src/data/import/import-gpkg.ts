/**
 * GeoPackage (QGIS's default format): a SQLite database, opened with npm `sql.js` (SQLite
 * compiled to WebAssembly, loaded on first use; in the browser its .wasm is a file of the
 * app's own origin, so the Content-Security-Policy needs only 'wasm-unsafe-eval'). The
 * feature tables are those `gpkg_contents` lists as `features`; the first is read and the
 * others named in a note, so one file stays one layer, which the user can re-read in another
 * CRS or remove as a whole. The CRS comes from `gpkg_spatial_ref_sys` (its EPSG code, else
 * its WKT); geometries are GeoPackage blobs (`wkb.ts`).
 */
import type { Feature, Geometry } from 'geojson';
import { findCrs } from '../../crs/definitions.ts';
import { FormatError } from '../errors.ts';
import { loadSqlJs } from '../sqlite.ts';
import { msg, type DataMessage } from '../messages.ts';
import { crsFromPrj } from './detect-crs.ts';
import { IMPORT_EXTENSIONS } from './extensions.ts';
import type { CrsHint, ImportFormat, ParsedFile } from './types.ts';
import { MAX_PROBLEMS } from './types.ts';

const SQLITE_MAGIC = 'SQLite format 3\0';

/** SQL's quoting of an identifier: double quotes, doubled inside. */
const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

async function openDatabase(bytes: Uint8Array, fileName: string) {
  const SQL = await loadSqlJs();
  try {
    return new SQL.Database(bytes);
  } catch (err) {
    throw new FormatError(msg('gpkgUnreadable', { file: fileName, detail: err instanceof Error ? err.message : String(err) }), fileName, { cause: err });
  }
}

function base64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

async function parseGpkg(bytes: Uint8Array, fileName: string): Promise<ParsedFile> {
  const db = await openDatabase(bytes, fileName);
  try {
    const rows = (sql: string, params: (string | number)[] = []): (string | number | Uint8Array | null)[][] => {
      try {
        return db.exec(sql, params)[0]?.values ?? [];
      } catch (err) {
        throw new FormatError(msg('gpkgUnreadable', { file: fileName, detail: err instanceof Error ? err.message : String(err) }), fileName, { cause: err });
      }
    };
    if (rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents'").length === 0) {
      throw new FormatError(msg('gpkgNotGpkg', { file: fileName }), fileName);
    }
    const tables = rows("SELECT table_name, srs_id FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid");
    if (tables.length === 0) throw new FormatError(msg('gpkgNoTables', { file: fileName }), fileName);
    const table = String(tables[0]![0]);
    const problems: DataMessage[] = [];
    if (tables.length > 1) {
      const others = tables.slice(1).map((t) => String(t[0]));
      problems.push(msg('gpkgSeveralTables', { file: fileName, count: tables.length, table, others: others.slice(0, 5).join(', ') + (others.length > 5 ? ', …' : '') }));
    }
    const geomRow = rows('SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?', [table])[0];
    if (!geomRow) throw new FormatError(msg('gpkgUnreadable', { file: fileName, detail: `no geometry column for ${table}` }), fileName);
    const geomColumn = String(geomRow[0]);
    const srsId = Number(geomRow[1] ?? tables[0]![1]);
    const crs = srsHint(rows, srsId, table, fileName);

    // Declared column types: SQLite keeps BOOLEAN as 0/1 and dates as text.
    const info = rows(`PRAGMA table_info(${ident(table)})`);
    const types = new Map(info.map((c) => [String(c[1]), String(c[2] ?? '').toUpperCase()]));
    const pk = info.find((c) => Number(c[5]) === 1)?.[1];

    const stmt = db.prepare(`SELECT * FROM ${ident(table)}`);
    const features: Feature[] = [];
    let skipped = 0;
    try {
      const names = stmt.getColumnNames();
      const { parseGpkgBlob, WkbCurveError } = await import('./wkb.ts');
      while (stmt.step()) {
        const values = stmt.get();
        const properties: Record<string, unknown> = {};
        let geometry: Geometry | null = null;
        let id: number | string | undefined;
        let bad: DataMessage | null = null;
        names.forEach((name, i) => {
          const v = values[i];
          if (name === geomColumn) {
            if (v instanceof Uint8Array) {
              try {
                geometry = parseGpkgBlob(v);
              } catch (err) {
                bad = err instanceof WkbCurveError ? msg('gpkgCurves', { type: err.type }) : msg('gpkgBadBlob', { detail: err instanceof Error ? err.message : String(err) });
              }
            }
            return;
          }
          if (name === pk && typeof v === 'number') {
            id = v;
            return;
          }
          if (v instanceof Uint8Array) properties[name] = base64(v);
          else if (types.get(name) === 'BOOLEAN' && typeof v === 'number') properties[name] = v !== 0;
          else properties[name] = v;
        });
        if (bad) {
          skipped++;
          if (problems.length < MAX_PROBLEMS) problems.push(msg('featureProblem', { n: features.length + skipped, problem: bad }));
          continue;
        }
        features.push({ type: 'Feature', ...(id !== undefined ? { id } : {}), properties, geometry: geometry as unknown as Geometry });
      }
    } finally {
      stmt.free();
    }
    return { features, crs, skipped, problems };
  } finally {
    db.close();
  }
}

/** The CRS of the table's spatial reference: its EPSG code when the map knows it, else its WKT. */
function srsHint(
  rows: (sql: string, params?: (string | number)[]) => (string | number | Uint8Array | null)[][],
  srsId: number,
  table: string,
  fileName: string,
): CrsHint | null {
  // 0 and -1 are GeoPackage's "undefined geographic" and "undefined Cartesian": no declaration.
  if (!Number.isFinite(srsId) || srsId <= 0) return null;
  const srs = rows('SELECT organization, organization_coordsys_id, definition, srs_name FROM gpkg_spatial_ref_sys WHERE srs_id = ?', [srsId])[0];
  if (!srs) return null;
  const [org, code, definition, name] = srs;
  const epsg = String(org).toUpperCase() === 'EPSG' ? `EPSG:${Number(code)}` : null;
  if (epsg && findCrs(epsg)) return { code: epsg, source: 'header', note: msg('noteGpkg', { table, crs: epsg }) };
  if (typeof definition === 'string' && definition.trim() !== '' && definition.trim().toLowerCase() !== 'undefined') {
    try {
      const hint = crsFromPrj(definition, fileName);
      return { ...hint, source: 'header', note: msg('noteGpkg', { table, crs: hint.code }) };
    } catch {
      // Named below with the SRS's own name and code.
    }
  }
  throw new FormatError(msg('gpkgUnknownSrs', { file: fileName, table, srs: `${String(name ?? '')} (${epsg ?? srsId})`.trim() }), fileName);
}

export const gpkgFormat: ImportFormat = {
  id: 'gpkg',
  extensions: IMPORT_EXTENSIONS.gpkg,
  sniff: (bytes) => bytes.length >= 16 && new TextDecoder('latin1').decode(bytes.subarray(0, 16)) === SQLITE_MAGIC,
  parse: (bytes, fileName) => parseGpkg(bytes, fileName),
};
