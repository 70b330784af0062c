/**
 * The coordinate systems data can be exported in, and the pure transform into them from
 * WGS84 lon/lat (the layers' storage CRS). proj4 does the EPSG systems (`crs/project.ts`);
 * GCJ-02, the Amap/Tencent offset system, is not a CRS proj4 knows and goes through `gcoord`.
 */
import gcoord from 'gcoord';
import type { Feature, FeatureCollection, Position } from 'geojson';
import { mapCoordinates } from '../../crs/map-coordinates.ts';
import { projector } from '../../crs/project.ts';
import { GCJ02, exportCrsList, findExportCrs, type ExportCrs } from './export-crs.ts';

export { GCJ02, exportCrsList, findExportCrs,  } from './export-crs.ts';

function requireExportCrs(code: string): ExportCrs {
  const crs = findExportCrs(code);
  if (!crs) {
    throw new Error(`cannot export to coordinate system ${String(code)}; use one of ${exportCrsList.map((c) => c.code).join(', ')}`);
  }
  return crs;
}

/** Position transform from WGS84 lon/lat into `code`. */
export function positionToExportCrs(code: string): (p: Position) => Position {
  const crs = requireExportCrs(code);
  if (crs.code === GCJ02) return gcjTransform(gcoord.WGS84, gcoord.GCJ02);
  return projector('EPSG:4326', crs.code);
}

/**
 * Position transform from `code` back to WGS84 lon/lat. For GCJ-02, gcoord's inverse is a
 * one-step approximation (measured up to ≈ 15 cm off over Zhoushan, see the test), so it is
 * refined by fixed-point iteration on the exact forward transform until it reproduces the
 * input to ≈ 1e-10° (≈ 0.01 mm); the offset varies slowly, so two or three steps suffice.
 */
export function positionFromExportCrs(code: string): (p: Position) => Position {
  const crs = requireExportCrs(code);
  if (crs.code !== GCJ02) return projector(crs.code, 'EPSG:4326');
  const forward = gcjTransform(gcoord.WGS84, gcoord.GCJ02);
  const approx = gcjTransform(gcoord.GCJ02, gcoord.WGS84);
  return (p) => {
    let [x, y] = approx(p) as [number, number];
    for (let i = 0; i < 10; i++) {
      const [fx, fy] = forward([x, y]) as [number, number];
      const dx = p[0]! - fx;
      const dy = p[1]! - fy;
      x += dx;
      y += dy;
      if (Math.abs(dx) < 1e-10 && Math.abs(dy) < 1e-10) break;
    }
    return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
  };
}

/** gcoord's own GCJ-02 → WGS84 (approximate; kept for comparison). */
export function gcoordGcjToWgs(p: Position): Position {
  return gcjTransform(gcoord.GCJ02, gcoord.WGS84)(p);
}

type GcoordCrs = Parameters<typeof gcoord.transform>[1];

function gcjTransform(from: GcoordCrs, to: GcoordCrs): (p: Position) => Position {
  return (p) => {
    // gcoord transforms arrays in place: hand it a copy.
    const [x, y] = gcoord.transform([p[0]!, p[1]!] as [number, number], from, to);
    return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
  };
}

/** A new FeatureCollection with every coordinate taken from WGS84 lon/lat into `code`; `fc` is not changed. */
export function toExportCrs(fc: FeatureCollection, code: string): FeatureCollection {
  checkCollection(fc);
  return transformCollection(fc, positionToExportCrs(code));
}

/** The inverse of `toExportCrs`: from `code` back to WGS84 lon/lat. */
export function fromExportCrs(fc: FeatureCollection, code: string): FeatureCollection {
  checkCollection(fc);
  return transformCollection(fc, positionFromExportCrs(code));
}

function checkCollection(fc: FeatureCollection): void {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error('features must be a GeoJSON FeatureCollection');
  }
}

function transformCollection(fc: FeatureCollection, f: (p: Position) => Position): FeatureCollection {
  const { bbox: _bbox, ...rest } = fc; // a bbox would be stale in the new CRS
  return {
    ...rest,
    features: fc.features.map((feat): Feature => {
      const { bbox: _fb, ...frest } = feat;
      return {
        ...frest,
        properties: feat.properties ? { ...feat.properties } : feat.properties,
        geometry: feat.geometry ? mapCoordinates(feat.geometry, f) : feat.geometry,
      };
    }),
  };
}
