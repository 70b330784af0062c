import type { FeatureCollection, Point, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  GCJ02,
  exportCrsList,
  findExportCrs,
  fromExportCrs,
  gcoordGcjToWgs,
  positionFromExportCrs,
  positionToExportCrs,
  toExportCrs,
} from './crs-transform.ts';
import { krugerForward } from './test-kruger.ts';
import { deepFreeze, groundDistance } from './test-support.ts';

const XINCHENG: Position = [122.203, 29.988];

const TM = {
  'EPSG:4550': { lon0: 123, x0: 500000 },
  'EPSG:4529': { lon0: 123, x0: 41500000 },
  'EPSG:4549': { lon0: 120, x0: 500000 },
  'EPSG:4528': { lon0: 120, x0: 40500000 },
} as const;

describe('exportCrsList', () => {
  it('offers WGS84, CGCS2000, the four Gauss–Krüger systems and GCJ-02 (marked as offset)', () => {
    expect(exportCrsList.map((c) => c.code)).toEqual(['EPSG:4326', 'EPSG:4490', 'EPSG:4550', 'EPSG:4529', 'EPSG:4549', 'EPSG:4528', 'GCJ02']);
    expect(exportCrsList.filter((c) => c.offset).map((c) => c.code)).toEqual([GCJ02]);
    expect(findExportCrs('gcj-02')?.code).toBe(GCJ02);
    expect(findExportCrs(' epsg:4550 ')?.epsg).toBe(4550);
    expect(findExportCrs('EPSG:3857')).toBeUndefined();
  });
});

describe('toExportCrs: Gauss–Krüger against an independent Krüger series', () => {
  for (const [code, p] of Object.entries(TM)) {
    it(`${code} agrees with the n⁶ Krüger series to 1 cm over Zhoushan`, () => {
      const to = positionToExportCrs(code);
      for (const [lon, lat] of [XINCHENG, [121.7, 29.6], [122.8, 30.7], [122.1, 30.2]] as const) {
        const [e, n] = to([lon, lat]);
        const [ke, kn] = krugerForward(lon, lat, p);
        expect(Math.abs(e! - ke)).toBeLessThan(0.01);
        expect(Math.abs(n! - kn)).toBeLessThan(0.01);
      }
    });
  }

  it('Xincheng 122.203 E 29.988 N → EPSG:4550 E 423,089.93 N 3,319,050.54', () => {
    const [ke, kn] = krugerForward(XINCHENG[0]!, XINCHENG[1]!, TM['EPSG:4550']);
    expect(ke).toBeCloseTo(423089.934, 2);
    expect(kn).toBeCloseTo(3319050.544, 2);
    const [e, n] = positionToExportCrs('EPSG:4550')(XINCHENG);
    expect(Math.hypot(e! - ke, n! - kn)).toBeLessThan(0.01);
  });

  it('the REFERENCE.md figures belong to a point ≈ 20 m east and ≈ 45 m south of 122.203/29.988', () => {
    // REFERENCE.md quotes "Xincheng: 4550 → E 423,109 N 3,319,006; 4549 → E 712,631 N 3,320,783".
    // The Krüger series and proj4 agree (to < 1 mm) that exactly 122.203 E 29.988 N is
    // 4550 E 423,089.93 N 3,319,050.54 and 4549 E 712,611.25 N 3,320,826.77, so proj4 is right
    // and the quoted pair is not for that point. Inverting the quoted figures gives
    // ≈ 122.20320 E 29.98760 N for both zones (consistent with each other to < 1 m), i.e. a
    // slightly different Xincheng point, 19 m east and 44 m south of 122.203/29.988.
    const back4550 = positionFromExportCrs('EPSG:4550')([423109, 3319006]);
    const back4549 = positionFromExportCrs('EPSG:4549')([712631, 3320783]);
    expect(back4550[0]).toBeCloseTo(122.2032, 4);
    expect(back4550[1]).toBeCloseTo(29.9876, 4);
    expect(groundDistance(back4550, back4549)).toBeLessThan(1);
    // The independent series maps that point back onto the quoted figures.
    const [ke, kn] = krugerForward(back4550[0]!, back4550[1]!, TM['EPSG:4550']);
    expect(Math.abs(ke - 423109)).toBeLessThan(0.01);
    expect(Math.abs(kn - 3319006)).toBeLessThan(0.01);
    const [ke49, kn49] = krugerForward(back4550[0]!, back4550[1]!, TM['EPSG:4549']);
    expect(Math.abs(ke49 - 712631)).toBeLessThan(1);
    expect(Math.abs(kn49 - 3320783)).toBeLessThan(1);
    // and 122.203/29.988 itself is 40–50 m from the quoted figures.
    const gap = groundDistance(back4550, XINCHENG);
    expect(gap).toBeGreaterThan(40);
    expect(gap).toBeLessThan(55);
  });

  it('zone-prefixed systems differ only by the false easting', () => {
    const a = positionToExportCrs('EPSG:4550')(XINCHENG);
    const b = positionToExportCrs('EPSG:4529')(XINCHENG);
    expect(b[0]! - a[0]!).toBeCloseTo(41000000, 6);
    expect(b[1]).toBeCloseTo(a[1]!, 6);
  });

  it('EPSG:4490 stays within a millimetre of WGS84 (same ellipsoid axes, no datum shift in proj4)', () => {
    const p = positionToExportCrs('EPSG:4490')(XINCHENG);
    expect(groundDistance(p, XINCHENG)).toBeLessThan(0.001);
  });
});

describe('GCJ-02', () => {
  const tm = (p: Position): Position => krugerForward(p[0]!, p[1]!, TM['EPSG:4550']);

  it('shifts Xincheng about +402 m east and −267 m north (REFERENCE.md), within a few metres', () => {
    const g = positionToExportCrs(GCJ02)(XINCHENG);
    const [e0, n0] = tm(XINCHENG);
    const [e1, n1] = tm(g);
    // Measured here: +400.2 m east, −268.5 m north.
    expect(e1! - e0!).toBeGreaterThan(402 - 4);
    expect(e1! - e0!).toBeLessThan(402 + 4);
    expect(n1! - n0!).toBeGreaterThan(-267 - 4);
    expect(n1! - n0!).toBeLessThan(-267 + 4);
  });

  it("gcoord's own inverse is only good to ≈ 15 cm; the refined inverse round-trips within 1 mm", () => {
    const to = positionToExportCrs(GCJ02);
    const back = positionFromExportCrs(GCJ02);
    let rawMax = 0;
    let refinedMax = 0;
    for (let i = 0; i <= 40; i++) {
      for (let j = 0; j <= 40; j++) {
        const p: Position = [121.6 + (1.3 * i) / 40, 29.55 + (1.2 * j) / 40];
        const g = to(p);
        rawMax = Math.max(rawMax, groundDistance(p, gcoordGcjToWgs(g)));
        refinedMax = Math.max(refinedMax, groundDistance(p, back(g)));
      }
    }
    // Measured on this grid: gcoord alone ≈ 0.10–0.15 m worst case, so not 1 cm.
    expect(rawMax).toBeGreaterThan(0.01);
    expect(rawMax).toBeLessThan(0.2);
    expect(refinedMax).toBeLessThan(0.001);
  });
});

describe('toExportCrs / fromExportCrs', () => {
  const input: FeatureCollection = deepFreeze({
    type: 'FeatureCollection',
    bbox: [122.203, 29.988, 122.203, 29.988],
    features: [{ type: 'Feature', properties: { 名称: '新城' }, geometry: { type: 'Point', coordinates: [122.203, 29.988, 5] } }],
  });

  it('returns a new collection and leaves the (frozen) input alone', () => {
    const out = toExportCrs(input, 'EPSG:4550');
    expect(out).not.toBe(input);
    expect(out.bbox).toBeUndefined();
    const pt = out.features[0]!.geometry as Point;
    expect(pt.coordinates[0]).toBeCloseTo(423089.934, 2);
    expect(pt.coordinates[2]).toBe(5);
    expect(out.features[0]!.properties).toEqual({ 名称: '新城' });
    expect((input.features[0]!.geometry as Point).coordinates).toEqual([122.203, 29.988, 5]);
  });

  it('round-trips every CRS within 1 mm', () => {
    for (const { code } of exportCrsList) {
      const back = fromExportCrs(toExportCrs(input, code), code);
      const p = (back.features[0]!.geometry as Point).coordinates;
      expect(groundDistance(p, XINCHENG), code).toBeLessThan(0.001);
    }
  });

  it('refuses unknown systems and non-collections with plain messages', () => {
    expect(() => toExportCrs(input, 'EPSG:3857')).toThrow(/cannot export to coordinate system EPSG:3857/);
    expect(() => toExportCrs({} as FeatureCollection, 'EPSG:4326')).toThrow(/FeatureCollection/);
  });
});
