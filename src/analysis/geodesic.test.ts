/**
 * Accuracy of the ellipsoidal measures against references that share no code with
 * GeographicLib: the closed-form area of a latitude/longitude quadrangle (authalic
 * latitude), Vincenty's inverse formula for distances and Helmert's series for the
 * meridian arc, all written out here from the textbook formulas. The references are
 * themselves checked against published figures first, so a slip in this file cannot
 * make a wrong geodesic.ts pass.
 */
import turfArea from '@turf/area';
import turfLength from '@turf/length';
import type { Feature, Geometry, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { geodesicArea, geodesicLength } from './geodesic.ts';
import { deepFreeze } from './test/fixtures.ts';

// ---------- references ----------

interface Ellipsoid {
  a: number;
  f: number;
}
const GRS80: Ellipsoid = { a: 6378137, f: 1 / 298.257222101 };
const WGS84: Ellipsoid = { a: 6378137, f: 1 / 298.257223563 };
const RAD = Math.PI / 180;

/**
 * The authalic function q(φ) (Snyder, Map Projections: A Working Manual, eq. 3-12):
 * q = (1−e²)·[sinφ/(1−e²sin²φ) − 1/(2e)·ln((1−e·sinφ)/(1+e·sinφ))].
 * The area between the equator and latitude φ over Δλ radians is a²·Δλ·q(φ)/2, because
 * dA = M·N·cosφ·dφ·dλ = a²(1−e²)cosφ/(1−e²sin²φ)²·dφ·dλ and d/dφ of q/2 is exactly
 * (1−e²)cosφ/(1−e²sin²φ)². (Written with b: b²/(1−e²) = a², the form in the brief.)
 */
function authalicQ(phi: number, { f }: Ellipsoid): number {
  const e2 = f * (2 - f);
  const e = Math.sqrt(e2);
  const s = Math.sin(phi);
  return (1 - e2) * (s / (1 - e2 * s * s) - (1 / (2 * e)) * Math.log((1 - e * s) / (1 + e * s)));
}

/** Exact ellipsoidal area of the quadrangle [lon1, lon2] × [lat1, lat2] bounded by meridians and parallels. */
function quadrangleArea(lon1: number, lat1: number, lon2: number, lat2: number, ell: Ellipsoid = GRS80): number {
  return ((ell.a * ell.a * (lon2 - lon1) * RAD) / 2) * (authalicQ(lat2 * RAD, ell) - authalicQ(lat1 * RAD, ell));
}

/** The same area by Simpson's rule on dA = a²(1−e²)cosφ/(1−e²sin²φ)² dφ dλ: a second route, to catch cancellation. */
function quadrangleAreaSimpson(lon1: number, lat1: number, lon2: number, lat2: number, ell: Ellipsoid = GRS80): number {
  const e2 = ell.f * (2 - ell.f);
  const g = (phi: number): number => (ell.a * ell.a * (1 - e2) * Math.cos(phi)) / (1 - e2 * Math.sin(phi) ** 2) ** 2;
  const n = 64;
  const p1 = lat1 * RAD;
  const h = ((lat2 - lat1) * RAD) / n;
  let s = g(p1) + g(p1 + n * h);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * g(p1 + i * h);
  return ((s * h) / 3) * (lon2 - lon1) * RAD;
}

/** Vincenty (1975) inverse formula: geodesic distance in metres, good to about 0.5 mm. */
function vincenty(p: Position, q: Position, { a, f }: Ellipsoid = GRS80): number {
  const b = a * (1 - f);
  const L = (q[0]! - p[0]!) * RAD;
  const U1 = Math.atan((1 - f) * Math.tan(p[1]! * RAD));
  const U2 = Math.atan((1 - f) * Math.tan(q[1]! * RAD));
  const [sinU1, cosU1, sinU2, cosU2] = [Math.sin(U1), Math.cos(U1), Math.sin(U2), Math.cos(U2)];
  let lambda = L;
  let sinSigma = 0;
  let cosSigma = 1;
  let sigma = 0;
  let cos2Alpha = 1;
  let cos2SigmaM = 0;
  for (let iter = 0; iter < 200; iter++) {
    const sinL = Math.sin(lambda);
    const cosL = Math.cos(lambda);
    sinSigma = Math.hypot(cosU2 * sinL, cosU1 * sinU2 - sinU1 * cosU2 * cosL);
    if (sinSigma === 0) return 0;
    cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
    sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinL) / sinSigma;
    cos2Alpha = 1 - sinAlpha * sinAlpha;
    cos2SigmaM = cos2Alpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha;
    const C = (f / 16) * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha));
    const prev = lambda;
    lambda = L + (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM ** 2)));
    if (Math.abs(lambda - prev) < 1e-13) break;
  }
  const u2 = (cos2Alpha * (a * a - b * b)) / (b * b);
  const A = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
  const B = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
  const dSigma =
    B *
    sinSigma *
    (cos2SigmaM + (B / 4) * (cosSigma * (-1 + 2 * cos2SigmaM ** 2) - (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma ** 2) * (-3 + 4 * cos2SigmaM ** 2)));
  return b * A * (sigma - dSigma);
}

/** Meridian arc from the equator to φ (Helmert's series in n = f/(2−f); truncation error ~n⁵, below 1e-13 relative). */
function meridianArc(latDeg: number, { a, f }: Ellipsoid = GRS80): number {
  const n = f / (2 - f);
  const phi = latDeg * RAD;
  const [n2, n3, n4] = [n * n, n ** 3, n ** 4];
  return (
    (a / (1 + n)) *
    ((1 + n2 / 4 + n4 / 64) * phi -
      1.5 * (n - n3 / 8) * Math.sin(2 * phi) +
      (15 / 16) * (n2 - n4 / 4) * Math.sin(4 * phi) -
      (35 / 48) * n3 * Math.sin(6 * phi) +
      (315 / 512) * n4 * Math.sin(8 * phi))
  );
}

// ---------- helpers ----------

const rel = (value: number, reference: number): number => (value - reference) / reference;
/** The brief's requirement. */
const REQUIRED = 1e-4;

const feature = <G extends Geometry>(geometry: G): Feature<G> => deepFreeze({ type: 'Feature', properties: {}, geometry });
const quad = (lon1: number, lat1: number, lon2: number, lat2: number): Polygon =>
  deepFreeze({
    type: 'Polygon',
    coordinates: [[[lon1, lat1], [lon2, lat1], [lon2, lat2], [lon1, lat2], [lon1, lat1]]],
  });
/** A quadrangle of about w × h metres with its south-west corner at (lon, lat). */
function metricQuad(lon: number, lat: number, w: number, h: number): [number, number, number, number] {
  // Degrees per metre from the radii of curvature; the exact size does not matter, the
  // reference is computed for the same corners.
  const e2 = GRS80.f * (2 - GRS80.f);
  const s2 = Math.sin(lat * RAD) ** 2;
  const N = GRS80.a / Math.sqrt(1 - e2 * s2);
  const M = (GRS80.a * (1 - e2)) / (1 - e2 * s2) ** 1.5;
  return [lon, lat, lon + w / (N * Math.cos(lat * RAD) * RAD), lat + h / (M * RAD)];
}

// ---------- the references themselves ----------

describe('the independent references', () => {
  it('authalic formula gives the published area of the WGS84 ellipsoid (510,065,621.7 km²)', () => {
    const whole = quadrangleArea(-180, -90, 180, 90, WGS84);
    expect(whole / 1e6).toBeCloseTo(510_065_621.7, 0);
    // GRS80 differs from WGS84 only in the 9th digit of f.
    expect(Math.abs(quadrangleArea(-180, -90, 180, 90) / whole - 1)).toBeLessThan(1e-9);
  });

  it('authalic formula and direct integration agree for a small quadrangle', () => {
    const q = metricQuad(122.2, 30, 200, 150);
    expect(Math.abs(rel(quadrangleArea(...q), quadrangleAreaSimpson(...q)))).toBeLessThan(1e-10);
  });

  it('Vincenty reproduces his own test line (a) and the meridian arc series its published value', () => {
    // Vincenty 1975, line (a), Bessel ellipsoid: φ1 55°45′ N, φ2 33°26′ S, L 108°13′ → 14,110,526.170 m.
    const bessel = { a: 6377397.155, f: 1 / 299.1528128 };
    const s = vincenty([0, 55 + 45 / 60], [108 + 13 / 60, -(33 + 26 / 60)], bessel);
    expect(s).toBeCloseTo(14_110_526.17, 2);
    // Quarter meridian of GRS80: 10,001,965.7293 m (Moritz, Geodetic Reference System 1980).
    expect(meridianArc(90)).toBeCloseTo(10_001_965.7293, 3);
  });
});

// ---------- geodesicArea ----------

describe('geodesicArea against the exact quadrangle area', () => {
  // A quadrangle's east and west edges are meridians, i.e. geodesics; its north and south
  // edges are parallels, which geodesics between the same corners bow poleward from by
  // about L²·tanφ/(8N) (2 cm over 200 m, 2 m over 2 km). The lune between the two is
  // about L³·tanφ/(12N): it adds to the area on the north edge and takes it away on the
  // south edge, so the two nearly cancel: what is left is the lune's change from one
  // edge to the other, ≈ 60 m² × 1.8e-4 ≈ 0.011 m² for 2 km × 2 km (2.8e-9 of the area,
  // which is what the test measures), and 1e-11 for 200 m × 150 m.
  const cases: [string, number, number][] = [
    ['200 m × 150 m at Xincheng', 200, 150],
    ['2 km × 2 km at Xincheng', 2000, 2000],
  ];
  for (const [name, w, h] of cases) {
    it(`${name}: within 0.01% (in fact within 1e-8)`, () => {
      const q = metricQuad(122.2, 30, w, h);
      const ref = quadrangleArea(...q);
      const ours = geodesicArea(quad(...q));
      expect(Math.abs(rel(ours, ref))).toBeLessThan(REQUIRED);
      expect(Math.abs(rel(ours, ref))).toBeLessThan(1e-8);
    });

    it(`${name}: plain @turf/area is off by more than 0.05% (the test can tell)`, () => {
      const q = metricQuad(122.2, 30, w, h);
      const turf = turfArea(feature(quad(...q)));
      // Turf's sphere of radius 6,371,008.8 m against a²(1−e²)… here: about +0.11%.
      expect(rel(turf, quadrangleArea(...q))).toBeGreaterThan(5e-4);
    });
  }

  it('subtracts holes', () => {
    const outer = metricQuad(122.2, 30, 2000, 2000);
    const hole = metricQuad(122.205, 30.005, 300, 300);
    const ring = (q: number[], reverse = false): Position[] => {
      const [x1, y1, x2, y2] = q as [number, number, number, number];
      const r = [[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]];
      return reverse ? r.reverse() : r;
    };
    const ref = quadrangleArea(...outer) - quadrangleArea(...hole);
    const poly: Polygon = deepFreeze({ type: 'Polygon', coordinates: [ring(outer), ring(hole, true)] });
    expect(Math.abs(rel(geodesicArea(poly), ref))).toBeLessThan(1e-8);
    // A hole given with the same winding as the shell still subtracts.
    const sameWinding: Polygon = deepFreeze({ type: 'Polygon', coordinates: [ring(outer), ring(hole)] });
    expect(geodesicArea(sameWinding)).toBeCloseTo(geodesicArea(poly), 6);
  });

  it('sums the parts of a MultiPolygon', () => {
    const a = metricQuad(122.2, 30, 200, 150);
    const b = metricQuad(122.3, 29.95, 500, 400);
    const mp: MultiPolygon = deepFreeze({ type: 'MultiPolygon', coordinates: [quad(...a).coordinates, quad(...b).coordinates] });
    expect(Math.abs(rel(geodesicArea(mp), quadrangleArea(...a) + quadrangleArea(...b)))).toBeLessThan(1e-8);
  });

  it('does not depend on orientation', () => {
    const q = quad(...metricQuad(122.2, 30, 200, 150));
    const cw: Polygon = { type: 'Polygon', coordinates: [q.coordinates[0]!.slice().reverse()] };
    expect(geodesicArea(cw)).toBe(geodesicArea(q));
  });

  it('gives 0 for null, empty and non-areal geometry', () => {
    expect(geodesicArea(null)).toBe(0);
    expect(geodesicArea({ type: 'Polygon', coordinates: [] })).toBe(0);
    expect(geodesicArea({ type: 'MultiPolygon', coordinates: [] })).toBe(0);
    expect(geodesicArea({ type: 'Point', coordinates: [122.2, 30] })).toBe(0);
    expect(geodesicArea({ type: 'LineString', coordinates: [[122.2, 30], [122.3, 30]] })).toBe(0);
  });
});

// ---------- geodesicLength ----------

/** A polyline from Xincheng roughly north by north-east, as a main road runs: about 5.8 km. */
const XINCHENG_ROAD: LineString = deepFreeze({
  type: 'LineString',
  coordinates: [
    [122.203, 29.988],
    [122.2052, 30.0015],
    [122.2081, 30.0142],
    [122.2096, 30.0268],
    [122.2127, 30.0397],
  ],
});

function vincentyPath(path: readonly Position[]): number {
  let s = 0;
  for (let i = 1; i < path.length; i++) s += vincenty(path[i - 1]!, path[i]!);
  return s;
}

describe('geodesicLength against Vincenty and the meridian arc', () => {
  const [x1, y1, x2] = metricQuad(122.2, 30, 200, 200);
  const lines: [string, LineString][] = [
    ['a 5.8 km road at Xincheng', XINCHENG_ROAD],
    ['a 200 m east–west line', deepFreeze({ type: 'LineString', coordinates: [[x1, y1], [x2, y1]] })],
  ];

  it('the road fixture is about 5.8 km long', () => {
    expect(vincentyPath(XINCHENG_ROAD.coordinates)).toBeGreaterThan(5700);
    expect(vincentyPath(XINCHENG_ROAD.coordinates)).toBeLessThan(5900);
  });

  for (const [name, line] of lines) {
    it(`${name}: within 0.01% of Vincenty (in fact within 1e-9)`, () => {
      const ref = vincentyPath(line.coordinates);
      const ours = geodesicLength(line);
      expect(Math.abs(rel(ours, ref))).toBeLessThan(REQUIRED);
      expect(Math.abs(rel(ours, ref))).toBeLessThan(1e-9);
    });

    it(`${name}: plain @turf/length is off by more than 0.05%`, () => {
      // Turf's sphere is 0.3% too big north–south (M = 6,351 km at 30° N) and 0.2% too
      // small east–west (N = 6,383 km).
      const turf = turfLength(feature(line), { units: 'meters' });
      expect(Math.abs(rel(turf, vincentyPath(line.coordinates)))).toBeGreaterThan(5e-4);
    });
  }

  it('a north–south line equals the meridian arc between its ends', () => {
    const line: LineString = deepFreeze({ type: 'LineString', coordinates: [[122.2, 29.95], [122.2, 30.0]] });
    const ref = meridianArc(30.0) - meridianArc(29.95);
    expect(Math.abs(rel(geodesicLength(line), ref))).toBeLessThan(1e-9);
    expect(Math.abs(rel(vincentyPath(line.coordinates), ref))).toBeLessThan(1e-9);
    expect(rel(turfLength(feature(line), { units: 'meters' }), ref)).toBeGreaterThan(5e-4);
  });

  it('sums the parts of a MultiLineString and gives 0 for empty or other geometry', () => {
    const mls = deepFreeze({ type: 'MultiLineString' as const, coordinates: lines.map(([, l]) => l.coordinates) });
    expect(geodesicLength(mls)).toBeCloseTo(lines.reduce((s, [, l]) => s + geodesicLength(l), 0), 6);
    expect(geodesicLength(null)).toBe(0);
    expect(geodesicLength({ type: 'LineString', coordinates: [] })).toBe(0);
    expect(geodesicLength({ type: 'LineString', coordinates: [[122.2, 30]] })).toBe(0);
    expect(geodesicLength({ type: 'Point', coordinates: [122.2, 30] })).toBe(0);
    expect(geodesicLength(quad(122.2, 30, 122.3, 30.1))).toBe(0);
  });
});
