/**
 * Coordinates typed or read by people: what a "go to" box accepts, and the pointer's
 * position in CGCS2000 Gauss–Krüger beside WGS84.
 *
 * Which system a pair is in is decided by magnitude, so neither the order nor a unit
 * needs typing: two numbers of at most 180 are degrees, and the one above 90 is the
 * longitude ("122.2 30.0" and "30.0, 122.2" are the same place); two numbers in the
 * thousands are Gauss–Krüger metres, the one in the millions the northing. An easting with
 * its zone number in front (41 423089) is in that zone (EPSG:4529 for 41, 4528 for 40);
 * without one it is zone 41's central meridian, 123° E (EPSG:4550), Zhoushan's. CGCS2000
 * and WGS84 agree within centimetres here, so degrees are taken as either.
 */
import { loadProjector, type Projector } from '../crs/load-projector.ts';

export type ParsedCoordinate =
  | { crs: 'EPSG:4326'; lngLat: [number, number]; /** Typed latitude first. */ swapped: boolean }
  | { crs: 'EPSG:4550' | 'EPSG:4529' | 'EPSG:4528'; easting: number; northing: number };

/** Zone-prefixed eastings: the zone number → its EPSG code. */
const PREFIXED: Readonly<Record<number, 'EPSG:4529' | 'EPSG:4528'>> = { 41: 'EPSG:4529', 40: 'EPSG:4528' };

/** Two numbers as a position, or null when they are not one (see the module comment). */
export function parseCoordinate(text: string): ParsedCoordinate | null {
  // Degree signs, hemisphere letters and full-width separators (a Chinese keyboard's ，；) are allowed.
  const parts = text.trim().replace(/[°ºENen]/g, ' ').split(/[\s,;，；]+/).filter(Boolean);
  if (parts.length !== 2) return null;
  const [a, b] = parts.map(Number) as [number, number];
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  if (aa <= 180 && ab <= 180) {
    if (aa > 90 && ab > 90) return null;
    const swapped = ab > 90;
    return { crs: 'EPSG:4326', lngLat: swapped ? [b, a] : [a, b], swapped };
  }
  if (a < 1000 || b < 1000) return null;
  const [easting, northing] = a < b ? [a, b] : [b, a];
  // A prefixed easting (8 digits) is larger than any northing here; the other is the northing.
  if (Math.max(a, b) >= 10_000_000) {
    const prefixed = Math.max(a, b);
    const crs = PREFIXED[Math.floor(prefixed / 1_000_000)];
    if (!crs) return null;
    return { crs, easting: prefixed, northing: Math.min(a, b) };
  }
  if (northing < 1_000_000 || easting >= 1_000_000) return null;
  return { crs: 'EPSG:4550', easting, northing };
}

/** Loads a projector (proj4 comes with it on first use). */
export type LoadProjector = (from: string, to: string) => Promise<Projector>;

/** Where a parsed coordinate is, in longitude and latitude; null when it is nowhere on Earth. */
export async function toLngLat(c: ParsedCoordinate, load: LoadProjector = loadProjector): Promise<[number, number] | null> {
  let p: [number, number];
  if (c.crs === 'EPSG:4326') p = c.lngLat;
  else {
    const q = (await load(c.crs, 'EPSG:4326'))([c.easting, c.northing]);
    p = [q[0]!, q[1]!];
  }
  return Number.isFinite(p[0]) && Number.isFinite(p[1]) && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90 ? p : null;
}

/**
 * The pointer's position in CGCS2000 3° Gauss–Krüger, central meridian 123° E (EPSG:4550),
 * for the coordinate readout. The first call starts loading proj4 and answers null; once it
 * has loaded the answer comes at once, as a pointer moving needs.
 */
export class GaussKrugerReadout {
  readonly #load: LoadProjector;
  #project: Projector | null = null;
  #loading: Promise<void> | null = null;

  constructor(load: LoadProjector = loadProjector) {
    this.#load = load;
  }

  /** Settles once positions can be projected. */
  ready(): Promise<void> {
    return (this.#loading ??= this.#load('EPSG:4326', 'EPSG:4550').then((p) => {
      this.#project = p;
    }));
  }

  /** Easting and northing in metres, or null until proj4 is here. */
  project(lngLat: readonly [number, number]): [number, number] | null {
    if (!this.#project) {
      void this.ready();
      return null;
    }
    const [e, n] = this.#project([lngLat[0], lngLat[1]]);
    return [e!, n!];
  }
}
