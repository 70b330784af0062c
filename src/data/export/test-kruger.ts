/**
 * An independent transverse Mercator (Krüger n-series to n⁶, Karney 2011 eqs. 35–36), used
 * by the tests to check proj4's Gauss–Krüger results. Test support only.
 */
const A_GRS80 = 6378137;
const F_GRS80 = 1 / 298.257222101;

export interface TmParams {
  lon0: number;
  k0?: number;
  x0?: number;
  y0?: number;
  a?: number;
  f?: number;
}

/** [easting, northing] of lon/lat degrees. */
export function krugerForward(lon: number, lat: number, p: TmParams): [number, number] {
  const a = p.a ?? A_GRS80;
  const f = p.f ?? F_GRS80;
  const k0 = p.k0 ?? 1;
  const n = f / (2 - f);
  const n2 = n * n, n3 = n2 * n, n4 = n3 * n, n5 = n4 * n, n6 = n5 * n;
  const A = (a / (1 + n)) * (1 + n2 / 4 + n4 / 64 + n6 / 256);
  const alpha = [
    n / 2 - (2 * n2) / 3 + (5 * n3) / 16 + (41 * n4) / 180 - (127 * n5) / 288 + (7891 * n6) / 37800,
    (13 * n2) / 48 - (3 * n3) / 5 + (557 * n4) / 1440 + (281 * n5) / 630 - (1983433 * n6) / 1935360,
    (61 * n3) / 240 - (103 * n4) / 140 + (15061 * n5) / 26880 + (167603 * n6) / 181440,
    (49561 * n4) / 161280 - (179 * n5) / 168 + (6601661 * n6) / 7257600,
    (34729 * n5) / 80640 - (3418889 * n6) / 1995840,
    (212378941 * n6) / 319334400,
  ];
  const e = (2 * Math.sqrt(n)) / (1 + n);
  const phi = (lat * Math.PI) / 180;
  const dl = ((lon - p.lon0) * Math.PI) / 180;
  const s = Math.sin(phi);
  const t = Math.sinh(Math.atanh(s) - e * Math.atanh(e * s));
  const xi1 = Math.atan2(t, Math.cos(dl));
  const eta1 = Math.atanh(Math.sin(dl) / Math.sqrt(1 + t * t));
  let xi = xi1;
  let eta = eta1;
  alpha.forEach((c, i) => {
    const j = 2 * (i + 1);
    xi += c * Math.sin(j * xi1) * Math.cosh(j * eta1);
    eta += c * Math.cos(j * xi1) * Math.sinh(j * eta1);
  });
  return [(p.x0 ?? 0) + k0 * A * eta, (p.y0 ?? 0) + k0 * A * xi];
}
