/**
 * OGC WKT (WKT1, as GDAL writes it) for the EPSG systems offered for export, so that a reader
 * which does not know the code can still interpret a FlatGeobuf file. proj4 cannot write WKT,
 * hence a table. Esri-style readers accept this form too.
 */
const GEOGCS_CGCS2000 =
  'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],' +
  'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]]';

const GEOGCS_WGS84 =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],' +
  'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]';

function gaussKruger(name: string, lon0: number, x0: number, epsg: number): string {
  return (
    `PROJCS["${name}",${GEOGCS_CGCS2000},PROJECTION["Transverse_Mercator"],` +
    `PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",${lon0}],PARAMETER["scale_factor",1],` +
    `PARAMETER["false_easting",${x0}],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],` +
    `AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","${epsg}"]]`
  );
}

/** EPSG code → [name, WKT]. */
export const EPSG_WKT: Readonly<Record<number, readonly [string, string]>> = {
  4326: ['WGS 84', GEOGCS_WGS84],
  4490: ['China Geodetic Coordinate System 2000', GEOGCS_CGCS2000],
  4550: ['CGCS2000 / 3-degree Gauss-Kruger CM 123E', gaussKruger('CGCS2000 / 3-degree Gauss-Kruger CM 123E', 123, 500000, 4550)],
  4529: ['CGCS2000 / 3-degree Gauss-Kruger zone 41', gaussKruger('CGCS2000 / 3-degree Gauss-Kruger zone 41', 123, 41500000, 4529)],
  4549: ['CGCS2000 / 3-degree Gauss-Kruger CM 120E', gaussKruger('CGCS2000 / 3-degree Gauss-Kruger CM 120E', 120, 500000, 4549)],
  4528: ['CGCS2000 / 3-degree Gauss-Kruger zone 40', gaussKruger('CGCS2000 / 3-degree Gauss-Kruger zone 40', 120, 40500000, 4528)],
};

const ESRI_GEOGCS_CGCS2000 =
  'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],' +
  'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

function esriGaussKruger(name: string, lon0: number, x0: number): string {
  return (
    `PROJCS["${name}",${ESRI_GEOGCS_CGCS2000},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${x0.toFixed(1)}],` +
    `PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${lon0.toFixed(1)}],PARAMETER["Scale_Factor",1.0],` +
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
  );
}

/**
 * ESRI-style WKT for a Shapefile's .prj, as ArcGIS (and GDAL's Shapefile driver) writes it:
 * ArcGIS matches these names to its own systems, and GDAL and QGIS identify the EPSG code.
 */
export const ESRI_WKT: Readonly<Record<number, string>> = {
  4326: 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  4490: ESRI_GEOGCS_CGCS2000,
  4550: esriGaussKruger('CGCS2000_3_Degree_GK_CM_123E', 123, 500000),
  4529: esriGaussKruger('CGCS2000_3_Degree_GK_Zone_41', 123, 41500000),
  4549: esriGaussKruger('CGCS2000_3_Degree_GK_CM_120E', 120, 500000),
  4528: esriGaussKruger('CGCS2000_3_Degree_GK_Zone_40', 120, 40500000),
};
