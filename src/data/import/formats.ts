/** The import formats, in sniffing order. Each module loads its heavy parser lazily. */
import { csvFormat } from './import-csv.ts';
import { fgbFormat } from './import-fgb.ts';
import { geojsonFormat } from './import-geojson.ts';
import { gpkgFormat } from './import-gpkg.ts';
import { kmlFormat } from './import-kml.ts';
import { shapefileFormat } from './import-shapefile.ts';
import type { ImportFormat } from './types.ts';

export const IMPORT_FORMATS: readonly ImportFormat[] = [fgbFormat, shapefileFormat, gpkgFormat, geojsonFormat, kmlFormat, csvFormat];
