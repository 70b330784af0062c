/**
 * Coordinate reference systems the project knows, as proj4 definitions.
 * Zhoushan lies in CGCS2000 3° Gauss–Krüger zone 41 (central meridian 123° E); some
 * provincial data uses the 120° E meridian instead. The false easting tells them apart.
 */
export interface CrsDefinition {
  /** `EPSG:nnnn` */
  readonly code: string;
  readonly name: { readonly zh: string; readonly en: string };
  readonly proj4: string;
  /** Geographic (degrees) or projected (metres). */
  readonly kind: 'geographic' | 'projected';
}

export const CRS_DEFINITIONS: readonly CrsDefinition[] = [
  {
    code: 'EPSG:4326',
    name: { zh: 'WGS 84 经纬度', en: 'WGS 84 geographic' },
    proj4: '+proj=longlat +datum=WGS84 +no_defs',
    kind: 'geographic',
  },
  {
    code: 'EPSG:4490',
    name: { zh: 'CGCS2000 经纬度', en: 'CGCS2000 geographic' },
    proj4: '+proj=longlat +ellps=GRS80 +no_defs',
    kind: 'geographic',
  },
  {
    code: 'EPSG:4550',
    name: { zh: 'CGCS2000 3度带 中央经线123°E', en: 'CGCS2000 3° Gauss–Krüger CM 123°E' },
    proj4: '+proj=tmerc +lat_0=0 +lon_0=123 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
    kind: 'projected',
  },
  {
    code: 'EPSG:4529',
    name: { zh: 'CGCS2000 3度带 第41带（带号）', en: 'CGCS2000 3° Gauss–Krüger zone 41' },
    proj4: '+proj=tmerc +lat_0=0 +lon_0=123 +k=1 +x_0=41500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
    kind: 'projected',
  },
  {
    code: 'EPSG:4549',
    name: { zh: 'CGCS2000 3度带 中央经线120°E', en: 'CGCS2000 3° Gauss–Krüger CM 120°E' },
    proj4: '+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
    kind: 'projected',
  },
  {
    code: 'EPSG:4528',
    name: { zh: 'CGCS2000 3度带 第40带（带号）', en: 'CGCS2000 3° Gauss–Krüger zone 40' },
    proj4: '+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=40500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
    kind: 'projected',
  },
];

export function findCrs(code: string): CrsDefinition | undefined {
  const norm = code.trim().toUpperCase();
  return CRS_DEFINITIONS.find((d) => d.code === norm);
}
