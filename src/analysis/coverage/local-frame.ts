/**
 * The planar frame coverage is computed in: CGCS2000 3° Gauss–Krüger, central meridian 123° E
 * (EPSG:4550), which holds all of Zhoushan. It is conformal, so a ground circle stays a circle
 * at the scale of a service radius; only its size changes, by the point scale factor k
 * (≈ 1.00007 at 122.2° E). Radii are multiplied by k so that they are ground metres, and areas
 * are only ever used as ratios (covered / total), in which k² cancels.
 *
 * The frame is a value built per call, not a module singleton, so a worker and a test can each
 * own one, and another conformal CRS could be passed in.
 */
import type { Position } from 'geojson';
import { projector } from '../../crs/project.ts';

/** GRS80 (CGCS2000); WGS84 differs by 0.1 mm in the semi-minor axis, which does not show here. */
const A = 6378137;
const F = 1 / 298.257222101;
const E2 = F * (2 - F);

/** Half the longitude step (degrees) of the central difference that measures k: about 10 m. */
const DLON = 1e-4;

export interface LocalFrame {
  /** EPSG code of the planar frame. */
  readonly crs: string;
  /** Longitude/latitude (GeoJSON, EPSG:4326) to planar metres. */
  forward(lon: number, lat: number): [number, number];
  /** Planar metres back to longitude/latitude. */
  inverse(x: number, y: number): Position;
  /** Point scale factor at a longitude/latitude: planar length / ground length. */
  scaleAt(lon: number, lat: number): number;
}

/**
 * A planar frame for coverage. `crs` must be a conformal projected CRS known to
 * `crs/definitions.ts` whose scale varies slowly over a service radius (any Gauss–Krüger zone).
 */
export function createLocalFrame(crs = 'EPSG:4550'): LocalFrame {
  const fwd = projector('EPSG:4326', crs);
  const inv = projector(crs, 'EPSG:4326');
  const forward = (lon: number, lat: number): [number, number] => {
    const p = fwd([lon, lat]);
    return [p[0]!, p[1]!];
  };
  // Scale is measured rather than taken from a Gauss–Krüger formula so that the frame works for
  // any conformal CRS: project a short stretch of the parallel and compare it with its ground
  // length on the ellipsoid, N·cosφ·Δλ. Conformal means k is the same in every direction.
  const scaleAt = (lon: number, lat: number): number => {
    const phi = (lat * Math.PI) / 180;
    const sin = Math.sin(phi);
    const n = A / Math.sqrt(1 - E2 * sin * sin);
    const ground = n * Math.cos(phi) * ((2 * DLON * Math.PI) / 180);
    const [x0, y0] = forward(lon - DLON, lat);
    const [x1, y1] = forward(lon + DLON, lat);
    return Math.hypot(x1 - x0, y1 - y0) / ground;
  };
  return { crs, forward, inverse: (x, y) => inv([x, y]), scaleAt };
}
