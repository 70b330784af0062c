/** Shared types of the import formats (one file per format, listed in `formats.ts`). */
import type { Feature } from 'geojson';

/** Where the CRS of imported coordinates came from, so the UI can show it and offer a change. */
type CrsSource = 'header' | 'prj' | 'crs-member' | 'format' | 'coordinates' | 'user';

export interface DetectedCrs {
  /** `EPSG:nnnn`, one of `CRS_DEFINITIONS`. */
  code: string;
  source: CrsSource;
  confidence: 'high' | 'medium' | 'low';
  /** One plain sentence saying why. */
  note: string;
}

/** A CRS the file itself declares; `detectCrs` falls back to the coordinates without one. */
export type CrsHint = Omit<DetectedCrs, 'confidence'>;

/** What a format parser hands back: features in the file's own coordinates. */
export interface ParsedFile {
  features: Feature[];
  crs: CrsHint | null;
  /** Records the parser could not turn into features (bad CSV rows, say). */
  skipped: number;
  problems: string[];
}

export type FormatId = 'geojson' | 'fgb' | 'csv' | 'kml' | 'shapefile';

export interface ImportFormat {
  id: FormatId;
  /** Lower-case extensions with the dot. */
  extensions: readonly string[];
  /** True when the first bytes identify the format regardless of the name. */
  sniff(bytes: Uint8Array): boolean;
  /** Loads the parser lazily and parses; throws LoadError/FormatError/CrsError naming `fileName`. */
  parse(bytes: Uint8Array, fileName: string, signal?: AbortSignal): Promise<ParsedFile>;
}

export const MAX_PROBLEMS = 5;
