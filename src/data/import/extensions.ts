/**
 * The file endings each import format accepts, in one place: the format modules use them
 * to recognise a file, and the UI's file picker offers them. No parser code, so the UI can
 * read it without loading any.
 */
import type { FormatId } from './types.ts';

export const IMPORT_EXTENSIONS: Readonly<Record<FormatId, readonly string[]>> = Object.freeze({
  fgb: ['.fgb'],
  shapefile: ['.zip'],
  geojson: ['.geojson', '.json'],
  kml: ['.kml'],
  csv: ['.csv', '.txt', '.tsv'],
  gpkg: ['.gpkg'],
});
