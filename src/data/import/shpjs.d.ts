// shpjs 6 ships no types; only the .shp parser used by import-shapefile.ts is declared.
declare module 'shpjs' {
  import type { Geometry } from 'geojson';
  export function parseShp(shp: ArrayBuffer | Uint8Array | DataView, prj?: string | false): (Geometry | null)[];
}

// iconv-lite's single-byte code page tables (CommonJS data, no types): code page → its
// characters, or the name of another entry.
declare module 'iconv-lite/encodings/sbcs-data-generated.js' {
  const tables: Record<string, string | { type: string; chars: string }>;
  export default tables;
}
