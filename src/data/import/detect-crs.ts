/**
 * Decides the CRS of imported coordinates, with the reason: a CRS the file declares (FlatGeobuf
 * header, shapefile `.prj`, GeoJSON `crs` member) wins; without one the coordinate range is
 * matched against the systems used around Zhoushan. WKT is matched by its projection
 * parameters, not its name, since ArcGIS, QGIS and Chinese GIS tools name the same system
 * differently ("Gauss_Kruger", "Transverse_Mercator", "CGCS2000_3_Degree_GK_CM_123E").
 */
import proj4 from 'proj4';
import { CRS_DEFINITIONS, findCrs } from '../../crs/definitions.ts';
import { projector } from '../../crs/project.ts';
import { CrsError } from '../errors.ts';
import type { CrsHint, DetectedCrs } from './types.ts';

/** Bounding box of the coordinates: [minX, minY, maxX, maxY]. */
export type Bbox = [number, number, number, number];

const ZHOUSHAN = { minLon: 121, maxLon: 124, minLat: 29, maxLat: 31.5 };
/** Wider box for CM 120° data: the rest of Zhejiang and its neighbours. */
const ZHEJIANG = { minLon: 117, maxLon: 124, minLat: 26.5, maxLat: 32 };

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

interface ProjParams {
  projName?: string;
  long0?: number;
  lat0?: number;
  x0?: number;
  y0?: number;
  k0?: number;
  a?: number;
  rf?: number;
  to_meter?: number;
  units?: string;
}

function params(def: string): ProjParams {
  return proj4.Proj(def);
}

const TMERC_NAMES = new Set(['tmerc', 'transverse_mercator', 'gauss_kruger', 'gauss-kruger', 'transverse mercator']);

function near(a: number | undefined, b: number | undefined, tol: number): boolean {
  return Math.abs((a ?? 0) - (b ?? 0)) <= tol;
}

/** The known definition whose projection parameters match `wkt`, or null. */
export function matchWkt(wkt: string): string | null {
  let p: ProjParams;
  try {
    p = params(wkt);
  } catch {
    return null;
  }
  const name = (p.projName ?? '').toLowerCase();
  // GRS80 and WGS84 differ by 0.1 mm in the semi-minor axis: not worth telling apart here.
  if (!near(p.a, 6378137, 1) || !near(p.rf, 298.257, 0.01)) return null;
  if (name === 'longlat' || name === 'lonlat') return 'EPSG:4490';
  if (!TMERC_NAMES.has(name)) return null;
  if (p.units && !/^(m|meter|metre)s?$/i.test(p.units)) return null;
  for (const d of CRS_DEFINITIONS) {
    if (d.kind !== 'projected') continue;
    const q = params(d.proj4);
    if (
      near(p.long0, q.long0, 1e-9) &&
      near(p.lat0, q.lat0, 1e-9) &&
      near(p.x0, q.x0, 0.01) &&
      near(p.y0, q.y0, 0.01) &&
      near(p.k0 ?? 1, q.k0 ?? 1, 1e-9)
    ) {
      return d.code;
    }
  }
  return null;
}

/** The CRS named by a `.prj` file; CrsError when it is not one the map knows. */
export function crsFromPrj(wkt: string, fileName: string): CrsHint {
  const code = matchWkt(wkt);
  const label = /^\s*\w+\s*\[\s*"([^"]+)"/.exec(wkt)?.[1] ?? 'an unreadable definition';
  if (!code) {
    throw new CrsError(
      `${fileName}: the .prj file names the coordinate system "${label}", which the map does not know; export the data in CGCS2000 (EPSG:4490, 4549 or 4550) or WGS 84 (EPSG:4326)`,
      fileName,
    );
  }
  return { code, source: 'prj', note: `The .prj file defines "${label}", whose parameters match ${code}.` };
}

/** The CRS of a GeoJSON `crs` member (GeoJSON 2008), e.g. `urn:ogc:def:crs:EPSG::4550`. */
export function crsFromMember(member: unknown, fileName: string): CrsHint | null {
  if (member === null || member === undefined || typeof member !== 'object') return null;
  const name = (member as { properties?: { name?: unknown } }).properties?.name;
  if (typeof name !== 'string') return null;
  if (/CRS84$/i.test(name)) return { code: 'EPSG:4326', source: 'crs-member', note: `The file declares ${name}.` };
  const m = /EPSG:{1,2}(?:[\d.]*:)?(\d+)$/i.exec(name);
  const code = m ? `EPSG:${m[1]}` : null;
  if (!code || !findCrs(code)) {
    throw new CrsError(
      `${fileName} declares the coordinate system "${name}", which the map does not know; export it as EPSG:4326, 4490, 4549 or 4550`,
      fileName,
    );
  }
  return { code, source: 'crs-member', note: `The file declares ${name}.` };
}

/** The CRS of a FlatGeobuf header's `crs` table, or null when the file records none. */
export function crsFromFgbHeader(
  crs: { org: string | null; code: number; wkt: string | null } | null,
  fileName: string,
): CrsHint | null {
  if (!crs || (crs.code === 0 && !crs.wkt)) return null;
  const org = (crs.org ?? 'EPSG').toUpperCase();
  if (crs.code !== 0) {
    const code = `${org}:${crs.code}`;
    if (org === 'EPSG' && findCrs(code)) return { code, source: 'header', note: `The FlatGeobuf header says ${code}.` };
    if (!crs.wkt) {
      throw new CrsError(`${fileName} uses coordinate system ${code}, which the map does not know`, fileName);
    }
  }
  const hint = crsFromPrj(crs.wkt!, fileName);
  return { ...hint, source: 'header', note: `The FlatGeobuf header's WKT matches ${hint.code}.` };
}

function centreIn(code: string, bbox: Bbox, box: typeof ZHOUSHAN): [number, number] | null {
  const [lon, lat] = projector(code, 'EPSG:4326')([(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2]);
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  return lon! >= box.minLon && lon! <= box.maxLon && lat! >= box.minLat && lat! <= box.maxLat ? [lon!, lat!] : null;
}

/** Guesses the CRS from the coordinate range alone; CrsError naming the range when nothing fits. */
export function crsFromCoordinates(bbox: Bbox, fileName: string): DetectedCrs {
  const [minX, minY, maxX, maxY] = bbox;
  const range = `x ${fmt(minX)} to ${fmt(maxX)}, y ${fmt(minY)} to ${fmt(maxY)}`;
  if (Math.abs(minX) <= 180 && Math.abs(maxX) <= 180 && Math.abs(minY) <= 90 && Math.abs(maxY) <= 90) {
    return {
      code: 'EPSG:4326',
      source: 'coordinates',
      confidence: 'medium',
      note: 'No coordinate system declared; the coordinates look like longitude/latitude.',
    };
  }
  const northingOk = minY >= 2_000_000 && maxY <= 6_000_000;
  const candidates: { code: string; fits: boolean; box: typeof ZHOUSHAN }[] = [
    { code: 'EPSG:4550', fits: minX >= 200_000 && maxX <= 800_000 && northingOk, box: ZHOUSHAN },
    { code: 'EPSG:4549', fits: minX >= 200_000 && maxX <= 900_000 && northingOk, box: ZHEJIANG },
    { code: 'EPSG:4529', fits: minX >= 41_000_000 && maxX < 42_000_000 && northingOk, box: ZHEJIANG },
    { code: 'EPSG:4528', fits: minX >= 40_000_000 && maxX < 41_000_000 && northingOk, box: ZHEJIANG },
  ];
  for (const c of candidates) {
    if (!c.fits) continue;
    const at = centreIn(c.code, bbox, c.box);
    if (!at) continue;
    const def = findCrs(c.code)!;
    return {
      code: c.code,
      source: 'coordinates',
      confidence: c.box === ZHOUSHAN ? 'high' : 'medium',
      note: `No coordinate system declared; the coordinates (${range}) fit ${c.code} ${def.name.en}, centred at ${at[0].toFixed(3)}° E ${at[1].toFixed(3)}° N.`,
    };
  }
  throw new CrsError(
    `${fileName}: the coordinate system could not be recognised from the coordinates (${range}); they are not longitude/latitude and do not fall near Zhoushan in CGCS2000 Gauss–Krüger (EPSG:4549, 4550, 4528, 4529). Choose the coordinate system by hand.`,
    fileName,
  );
}

/** Final decision: the user's choice, else what the file declares, else the coordinates. */
export function detectCrs(input: { userCrs?: string; hint: CrsHint | null; bbox: Bbox; fileName: string }): DetectedCrs {
  const { userCrs, hint, bbox, fileName } = input;
  if (userCrs) {
    const def = findCrs(userCrs);
    if (!def) throw new CrsError(`${fileName}: the chosen coordinate system ${userCrs} is not one the map knows`, fileName);
    return { code: def.code, source: 'user', confidence: 'high', note: `Chosen by hand: ${def.code} ${def.name.en}.` };
  }
  if (hint) return { ...hint, confidence: 'high' };
  return crsFromCoordinates(bbox, fileName);
}
