// shpjs 6 ships no types; only the two parsers used by import-shapefile.ts are declared.
declare module 'shpjs' {
  import type { Geometry, GeoJsonProperties } from 'geojson';
  export function parseShp(shp: ArrayBuffer | Uint8Array | DataView, prj?: string | false): (Geometry | null)[];
  export function parseDbf(dbf: ArrayBuffer | Uint8Array | DataView, cpg?: string | Uint8Array): GeoJsonProperties[];
}
