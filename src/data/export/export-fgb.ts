/**
 * FlatGeobuf export: an indexed file (`writeFgb`) whose header declares the CRS by code, name
 * and OGC WKT. GCJ-02 has no EPSG code: it is written as code 0 ("unknown") with a
 * description saying what it is.
 */
import type { FeatureCollection } from 'geojson';
import { writeFgb } from '../fgb/write-fgb.ts';
import type { FgbCrs } from '../fgb/write-fgb.ts';
import { GCJ02, findExportCrs, toExportCrs } from './crs-transform.ts';
import { EPSG_WKT } from './crs-wkt.ts';

export interface FgbExportOptions {
  /** Export CRS code (see `exportCrsList`). Default EPSG:4326. */
  crs?: string;
  /** Layer name stored in the header. */
  layerName?: string;
  /** Dataset title stored in the header. */
  title?: string;
}

export const GCJ02_DESCRIPTION = 'GCJ-02 (offset, not a standard CRS)';

/** `fc` (WGS84 lon/lat) as FlatGeobuf bytes in `options.crs`; `fc` is not changed. */
export function exportFgb(fc: FeatureCollection, options: FgbExportOptions = {}): Uint8Array {
  const code = options.crs ?? 'EPSG:4326';
  const crs = findExportCrs(code);
  if (!crs) throw new Error(`cannot export to coordinate system ${code}`);
  return writeFgb(toExportCrs(fc, crs.code), {
    crs: fgbCrs(crs.code),
    ...(options.layerName !== undefined ? { name: options.layerName } : {}),
    ...(options.title !== undefined ? { title: options.title } : {}),
  });
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
