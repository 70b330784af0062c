/** A small OGC WKT writer for GeoJSON geometries (2D: any Z is dropped). */
import type { Geometry, Position } from 'geojson';

/** WKT of `g`, each coordinate written by `num` (e.g. fixed decimals). */
export function toWkt(g: Geometry, num: (v: number) => string = String): string {
  const pos = (p: Position): string => `${num(p[0]!)} ${num(p[1]!)}`;
  const list = (ps: Position[]): string => `(${ps.map(pos).join(', ')})`;
  const rings = (rs: Position[][]): string => `(${rs.map(list).join(', ')})`;
  const tagged = (tag: string, empty: boolean, body: () => string): string => (empty ? `${tag} EMPTY` : `${tag} ${body()}`);
  switch (g.type) {
    case 'Point':
      return tagged('POINT', g.coordinates.length < 2, () => `(${pos(g.coordinates)})`);
    case 'MultiPoint':
      return tagged('MULTIPOINT', g.coordinates.length === 0, () => `(${g.coordinates.map((p) => `(${pos(p)})`).join(', ')})`);
    case 'LineString':
      return tagged('LINESTRING', g.coordinates.length === 0, () => list(g.coordinates));
    case 'MultiLineString':
      return tagged('MULTILINESTRING', g.coordinates.length === 0, () => rings(g.coordinates));
    case 'Polygon':
      return tagged('POLYGON', g.coordinates.length === 0, () => rings(g.coordinates));
    case 'MultiPolygon':
      return tagged('MULTIPOLYGON', g.coordinates.length === 0, () => `(${g.coordinates.map(rings).join(', ')})`);
    case 'GeometryCollection':
      return tagged('GEOMETRYCOLLECTION', g.geometries.length === 0, () => `(${g.geometries.map((m) => toWkt(m, num)).join(', ')})`);
  }
}
