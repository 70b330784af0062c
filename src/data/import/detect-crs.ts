/**
 * Decides the CRS of imported coordinates, with the reason: a CRS the file declares (FlatGeobuf
 * header, shapefile `.prj`, GeoJSON `crs` member, GeoPackage) wins when its coordinates can
 * be in it; without one the coordinate range is matched against the systems used around
 * Zhoushan. WKT is matched by its projection parameters, not its name, since ArcGIS, QGIS
 * and Chinese GIS tools name the same system differently ("Gauss_Kruger",
 * "Transverse_Mercator", "CGCS2000_3_Degree_GK_CM_123E"); a geographic system is named by
 * its datum (WGS 84 and CGCS2000 share an ellipsoid to 0.1 mm, so only the datum tells them
 * apart).
 *
 * Every reason and error is a message code with parameters (`../messages.ts`).
 */
import proj4 from 'proj4';
import { CRS_DEFINITIONS, findCrs } from '../../crs/definitions.ts';
import { projector } from '../../crs/project.ts';
import { CrsError } from '../errors.ts';
import { msg, type DataMessage } from '../messages.ts';
import type { CrsHint, DetectedCrs } from './types.ts';

/** Bounding box of the coordinates: [minX, minY, maxX, maxY]. */
export type Bbox = [number, number, number, number];

const ZHOUSHAN = { minLon: 121, maxLon: 124, minLat: 29, maxLat: 31.5 };
/** Wider box for CM 120° data: the rest of Zhejiang and its neighbours. */
const ZHEJIANG = { minLon: 117, maxLon: 124, minLat: 26.5, maxLat: 32 };
/** Where CGCS2000 Gauss–Krüger coordinates can lie at all: China and its seas. */
const CHINA = { minLat: 3, maxLat: 54 };

/** Metres to the metre, degrees to three decimals (about 100 m): enough to tell the systems apart. */
const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: Math.abs(n) < 1000 ? 3 : 0 });
const rangeParams = ([minX, minY, maxX, maxY]: Bbox): Record<string, string> => ({
  minX: fmt(minX),
  maxX: fmt(maxX),
  minY: fmt(minY),
  maxY: fmt(maxY),
});

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
  datumCode?: string;
}

function params(def: string): ProjParams {
  return proj4.Proj(def);
}

const TMERC_NAMES = new Set(['tmerc', 'transverse_mercator', 'gauss_kruger', 'gauss-kruger', 'transverse mercator']);

function near(a: number | undefined, b: number | undefined, tol: number): boolean {
  return Math.abs((a ?? 0) - (b ?? 0)) <= tol;
}

/** The datum a WKT names (`D_WGS_1984`, `China_2000`, `North American Datum 1983`), or ''. */
function datumName(wkt: string): string {
  return /DATUM\s*\[\s*"([^"]*)"/i.exec(wkt)?.[1] ?? '';
}

/** How a matched WKT relates to the map's definitions. */
interface WktMatch {
  code: string;
  /** For geographic systems: the datum, in words. */
  datum?: string;
  /** A geographic datum other than WGS 84 and CGCS2000, read as WGS 84. */
  nearWgs84?: boolean;
}

function matchWktDetail(wkt: string): WktMatch | null {
  let p: ProjParams;
  try {
    p = params(wkt);
  } catch {
    return null;
  }
  const name = (p.projName ?? '').toLowerCase();
  // GRS80 and WGS84 differ by 0.1 mm in the semi-minor axis: one test covers both.
  if (!near(p.a, 6378137, 1) || !near(p.rf, 298.257, 0.01)) return null;
  if (name === 'longlat' || name === 'lonlat') {
    const datum = datumName(wkt);
    const d = datum.replace(/^D_/i, '').toLowerCase();
    if (/china.*2000|cgcs.?2000/.test(d) || p.datumCode === 'china_2000') return { code: 'EPSG:4490', datum: 'CGCS2000' };
    if (/^wgs.?(19)?84$|^world geodetic system 1984/.test(d) || (d === '' && p.datumCode === 'wgs84')) {
      return { code: 'EPSG:4326', datum: 'WGS 84' };
    }
    // NAD83, GDA94, ETRS89, ITRF…: on GRS80 and within a few metres of WGS 84.
    return { code: 'EPSG:4326', datum: datum.replace(/^D_/i, '').replace(/_/g, ' ') || 'GRS 1980', nearWgs84: true };
  }
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
      return { code: d.code };
    }
  }
  return null;
}

/** The known definition whose parameters match `wkt`, or null. */
export function matchWkt(wkt: string): string | null {
  return matchWktDetail(wkt)?.code ?? null;
}

/** The name a WKT gives its system (`PROJCS["name", …`), or null. */
function wktName(wkt: string): string | null {
  return /^\s*\w+\s*\[\s*"([^"]+)"/.exec(wkt)?.[1] ?? null;
}

/** The CRS named by a `.prj` file (or any WKT); CrsError when it is not one the map knows. */
export function crsFromPrj(wkt: string, fileName: string): CrsHint {
  const m = matchWktDetail(wkt);
  const name = wktName(wkt);
  if (!m) {
    throw new CrsError(name ? msg('prjUnknown', { file: fileName, name }) : msg('prjUnreadable', { file: fileName }), fileName);
  }
  let note: DataMessage;
  if (m.nearWgs84) note = msg('notePrjNearWgs84', { name: name ?? m.datum!, datum: m.datum!, crs: m.code });
  else if (m.datum) note = msg('notePrjGeographic', { name: name ?? m.datum, datum: m.datum, crs: m.code });
  else note = msg('notePrj', { name: name ?? m.code, crs: m.code });
  return { code: m.code, source: 'prj', note };
}

/** The CRS of a GeoJSON `crs` member (GeoJSON 2008), e.g. `urn:ogc:def:crs:EPSG::4550`. */
export function crsFromMember(member: unknown, fileName: string): CrsHint | null {
  if (member === null || member === undefined || typeof member !== 'object') return null;
  const name = (member as { properties?: { name?: unknown } }).properties?.name;
  if (typeof name !== 'string') return null;
  if (/CRS84$/i.test(name)) return { code: 'EPSG:4326', source: 'crs-member', note: msg('noteMember', { name }) };
  const m = /EPSG:{1,2}(?:[\d.]*:)?(\d+)$/i.exec(name);
  const code = m ? `EPSG:${m[1]}` : null;
  if (!code || !findCrs(code)) throw new CrsError(msg('memberUnknown', { file: fileName, name }), fileName);
  return { code, source: 'crs-member', note: msg('noteMember', { name }) };
}

/**
 * The CRS of a FlatGeobuf header's `crs` table, or null when the file records none. The
 * app's own GCJ-02 exports name no EPSG code (there is none) but say "GCJ-02" in the CRS
 * name or description, over WGS 84 longitude/latitude: read back, the offset is removed.
 */
export function crsFromFgbHeader(
  crs: { org: string | null; code: number; wkt: string | null; name?: string | null; description?: string | null } | null,
  fileName: string,
): CrsHint | null {
  if (!crs) return null;
  const said = `${crs.name ?? ''} ${crs.description ?? ''} ${crs.wkt ?? ''}`;
  if (/GCJ[-_ ]?02/i.test(said)) {
    return { code: 'EPSG:4326', source: 'header', note: msg('noteFgbGcj02'), offset: 'gcj02' };
  }
  if (crs.code === 0 && !crs.wkt) return null;
  const org = (crs.org ?? 'EPSG').toUpperCase();
  if (crs.code !== 0) {
    const code = `${org}:${crs.code}`;
    if (org === 'EPSG' && findCrs(code)) return { code, source: 'header', note: msg('noteFgbHeader', { crs: code }) };
    if (!crs.wkt) throw new CrsError(msg('headerUnknown', { file: fileName, code }), fileName);
  }
  const hint = crsFromPrj(crs.wkt!, fileName);
  return { ...hint, source: 'header', note: msg('noteFgbWkt', { crs: hint.code }) };
}

function centreIn(code: string, bbox: Bbox, box: typeof ZHOUSHAN): [number, number] | null {
  const [lon, lat] = projector(code, 'EPSG:4326')([(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2]);
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  return lon! >= box.minLon && lon! <= box.maxLon && lat! >= box.minLat && lat! <= box.maxLat ? [lon!, lat!] : null;
}

const isLonLat = ([minX, minY, maxX, maxY]: Bbox): boolean =>
  Math.abs(minX) <= 180 && Math.abs(maxX) <= 180 && Math.abs(minY) <= 90 && Math.abs(maxY) <= 90;

/** Guesses the CRS from the coordinate range alone; CrsError naming the range when nothing fits. */
export function crsFromCoordinates(bbox: Bbox, fileName: string): DetectedCrs {
  const [minX, minY, maxX, maxY] = bbox;
  if (isLonLat(bbox)) return { code: 'EPSG:4326', source: 'coordinates', confidence: 'medium', note: msg('noteLonLat') };
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
    return {
      code: c.code,
      source: 'coordinates',
      confidence: c.box === ZHOUSHAN ? 'high' : 'medium',
      note: msg('noteFits', { ...rangeParams(bbox), crs: c.code, lon: at[0].toFixed(3), lat: at[1].toFixed(3) }),
    };
  }
  throw new CrsError(msg('crsUnrecognised', { file: fileName, ...rangeParams(bbox) }), fileName);
}

/**
 * Whether coordinates spanning `bbox` can be in `code` at all: longitude/latitude within
 * range for a geographic system; for a Gauss–Krüger zone, a place in China within a few
 * degrees of the zone's central meridian. Longitude/latitude numbers read as metres land
 * at the equator and fail; so do metres read as degrees.
 */
function plausible(code: string, bbox: Bbox): boolean {
  const def = findCrs(code);
  if (!def) return false;
  if (def.kind === 'geographic') return isLonLat(bbox);
  const cm = params(def.proj4).long0 ?? 0;
  const toLonLat = projector(code, 'EPSG:4326');
  const corners: [number, number][] = [
    [bbox[0], bbox[1]],
    [bbox[2], bbox[3]],
    [bbox[0], bbox[3]],
    [bbox[2], bbox[1]],
  ];
  return corners.every((c) => {
    const [lon, lat] = toLonLat(c);
    return Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon! - (cm * 180) / Math.PI) <= 6 && lat! >= CHINA.minLat && lat! <= CHINA.maxLat;
  });
}

/**
 * Final decision: the user's choice, else what the file declares (when its coordinates can
 * be in it), else the coordinates. A declaration the coordinates contradict is overruled by
 * the system they fit, with a note saying so at low confidence, or refused when none fits.
 */
export function detectCrs(input: { userCrs?: string; hint: CrsHint | null; bbox: Bbox; fileName: string }): DetectedCrs {
  const { userCrs, hint, bbox, fileName } = input;
  if (userCrs) {
    const def = findCrs(userCrs);
    if (!def) throw new CrsError(msg('userCrsUnknown', { file: fileName, crs: userCrs }), fileName);
    return { code: def.code, source: 'user', confidence: 'high', note: msg('noteUser', { crs: def.code }) };
  }
  if (!hint) return crsFromCoordinates(bbox, fileName);
  if (plausible(hint.code, bbox)) return { ...hint, confidence: 'high' };
  let fit: DetectedCrs;
  try {
    fit = crsFromCoordinates(bbox, fileName);
  } catch {
    throw new CrsError(msg('declaredImpossible', { file: fileName, declared: hint.code, ...rangeParams(bbox) }), fileName);
  }
  return { code: fit.code, source: 'coordinates', confidence: 'low', note: msg('noteMismatch', { declared: hint.code, fit: fit.code, ...rangeParams(bbox) }) };
}
