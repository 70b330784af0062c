import { describe, expect, it } from 'vitest';
import { englishMessage } from '../messages.ts';
import { crsFromCoordinates, crsFromFgbHeader, crsFromMember, crsFromPrj, detectCrs, matchWkt } from './detect-crs.ts';

const gk = (cm: number, fe: number, name = 'Some_Name'): string =>
  `PROJCS["${name}",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",${fe}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${cm}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
const XIAN80 =
  'PROJCS["Xian_1980_3_Degree_GK_CM_123E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

const WGS84_ESRI = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const WGS84_OGC = 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]';
const CGCS2000_ESRI = 'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const GDA94 = 'GEOGCS["GCS_GDA_1994",DATUM["D_GDA_1994",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

describe('defect 5: a geographic .prj is named by its datum', () => {
  it('WGS 84 is EPSG:4326, in the ESRI and the OGC spelling', () => {
    for (const wkt of [WGS84_ESRI, WGS84_OGC]) {
      const hint = crsFromPrj(wkt, 'a.zip');
      expect(hint.code).toBe('EPSG:4326');
      expect(englishMessage(hint.note)).toMatch(/longitude\/latitude on the WGS 84 datum: EPSG:4326/);
    }
  });
  it('CGCS2000 is EPSG:4490; another GRS80 datum is read as WGS 84 and named', () => {
    expect(crsFromPrj(CGCS2000_ESRI, 'a.zip').code).toBe('EPSG:4490');
    const gda = crsFromPrj(GDA94, 'a.zip');
    expect(gda.code).toBe('EPSG:4326');
    expect(englishMessage(gda.note)).toBe(
      'The .prj file defines "GCS_GDA_1994", longitude/latitude on the GDA 1994 datum, which the map reads as EPSG:4326 (WGS 84 geographic) (the two differ by a few metres at most).',
    );
  });
});

describe('defect 7: a declared CRS is checked against the coordinates', () => {
  const lonlat: [number, number, number, number] = [121.9, 29.8, 122.4, 30.2];
  it('longitude/latitude under a .prj saying EPSG:4550: said, and the system they fit used', () => {
    const r = detectCrs({ hint: crsFromPrj(gk(123, 500000), 'a.zip'), bbox: lonlat, fileName: 'a.zip' });
    expect(r).toMatchObject({ code: 'EPSG:4326', confidence: 'low', source: 'coordinates' });
    expect(englishMessage(r.note)).toMatch(/^The file declares EPSG:4550 .*, but its coordinates \(x 121\.9 to 122\.4, y 29\.8 to 30\.2\) cannot be in it; they fit EPSG:4326/);
  });
  it('metres under a WGS 84 .prj: the Gauss–Krüger zone they fit', () => {
    const r = detectCrs({ hint: crsFromPrj(WGS84_ESRI, 'a.zip'), bbox: [420_000, 3_315_000, 430_000, 3_325_000], fileName: 'a.zip' });
    expect(r).toMatchObject({ code: 'EPSG:4550', confidence: 'low' });
  });
  it('coordinates that fit nothing: refused, naming the declaration', () => {
    expect(() => detectCrs({ hint: crsFromPrj(gk(123, 500000), 'a.zip'), bbox: [13_603_446, 3_501_870, 13_605_120, 3_503_100], fileName: 'a.zip' })).toThrow(
      /^a\.zip declares EPSG:4550 .*, but its coordinates .* cannot be in it, and they fit no coordinate system the map knows/,
    );
  });
  it('coordinates that can be in the declared CRS keep it, with high confidence', () => {
    expect(detectCrs({ hint: crsFromPrj(gk(123, 500000), 'a.zip'), bbox: [420_000, 3_315_000, 430_000, 3_325_000], fileName: 'a.zip' })).toMatchObject({ code: 'EPSG:4550', confidence: 'high' });
    expect(detectCrs({ hint: crsFromPrj(gk(120, 500000), 'a.zip'), bbox: [710_000, 3_318_000, 715_000, 3_322_000], fileName: 'a.zip' })).toMatchObject({ code: 'EPSG:4549', confidence: 'high' });
    expect(detectCrs({ hint: crsFromPrj(WGS84_ESRI, 'a.zip'), bbox: [-120, 30, -100, 40], fileName: 'a.zip' })).toMatchObject({ code: 'EPSG:4326', confidence: 'high' });
  });
});

describe('matchWkt: by parameters, not by name', () => {
  it.each([
    [123, 500000, 'EPSG:4550'],
    [123, 41500000, 'EPSG:4529'],
    [120, 500000, 'EPSG:4549'],
    [120, 40500000, 'EPSG:4528'],
  ])('CM %d, false easting %d → %s', (cm, fe, code) => {
    expect(matchWkt(gk(cm, fe))).toBe(code);
  });
  it('knows CGCS2000 geographic and refuses other datums and meridians', () => {
    expect(matchWkt('GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]')).toBe('EPSG:4490');
    expect(matchWkt(CGCS2000_ESRI)).toBe('EPSG:4490');
    expect(matchWkt(XIAN80)).toBeNull();
    expect(matchWkt(gk(117, 500000))).toBeNull();
    expect(matchWkt('not wkt')).toBeNull();
  });
  it('names the file and the system in the .prj error', () => {
    expect(() => crsFromPrj(XIAN80, 'a.zip')).toThrow(
      'a.zip: the .prj file names the coordinate system "Xian_1980_3_Degree_GK_CM_123E", which the map does not know; export the data in CGCS2000 (EPSG:4490, 4549 or 4550) or WGS 84 (EPSG:4326)',
    );
  });
});

describe('crsFromMember and crsFromFgbHeader', () => {
  it('reads URN, short and CRS84 forms', () => {
    expect(crsFromMember({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4550' } }, 'a')?.code).toBe('EPSG:4550');
    expect(crsFromMember({ type: 'name', properties: { name: 'EPSG:4490' } }, 'a')?.code).toBe('EPSG:4490');
    expect(crsFromMember({ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, 'a')?.code).toBe('EPSG:4326');
    expect(crsFromMember(undefined, 'a')).toBeNull();
    expect(() => crsFromMember({ type: 'name', properties: { name: 'EPSG:2385' } }, 'a.json')).toThrow(/a\.json declares .*EPSG:2385/);
  });
  it('reads the header code, or its WKT when the code is 0', () => {
    expect(crsFromFgbHeader({ org: 'EPSG', code: 4529, wkt: null }, 'a')?.code).toBe('EPSG:4529');
    expect(crsFromFgbHeader({ org: null, code: 0, wkt: gk(123, 500000) }, 'a')).toMatchObject({ code: 'EPSG:4550', source: 'header' });
    // The app's own GCJ-02 export: code 0, the name says so.
    expect(crsFromFgbHeader({ org: 'EPSG', code: 0, wkt: null, name: 'GCJ-02', description: 'GCJ-02 (offset, not a standard CRS)' }, 'a')).toMatchObject({ code: 'EPSG:4326', offset: 'gcj02' });
    expect(crsFromFgbHeader(null, 'a')).toBeNull();
  });
});

describe('crsFromCoordinates', () => {
  it('recognises lon/lat and the Gauss–Krüger variants around Zhoushan', () => {
    expect(crsFromCoordinates([122, 29.9, 122.4, 30.1], 'f').code).toBe('EPSG:4326');
    expect(crsFromCoordinates([420_000, 3_315_000, 430_000, 3_325_000], 'f')).toMatchObject({ code: 'EPSG:4550', confidence: 'high' });
    expect(crsFromCoordinates([710_000, 3_318_000, 715_000, 3_322_000], 'f').code).toBe('EPSG:4549');
    expect(crsFromCoordinates([41_420_000, 3_315_000, 41_430_000, 3_325_000], 'f').code).toBe('EPSG:4529');
    expect(crsFromCoordinates([40_710_000, 3_318_000, 40_715_000, 3_322_000], 'f').code).toBe('EPSG:4528');
  });
  it('fails with the file name and the range seen', () => {
    expect(() => crsFromCoordinates([-5_000, 10, 2_000, 20], 'odd.csv')).toThrow(
      /^odd\.csv: the coordinate system could not be recognised from the coordinates \(x -5,000 to 2,000, y 10 to 20\)/,
    );
  });
});
