/** Shared types of the import formats (one file per format, listed in `formats.ts`). */
import type { Feature } from 'geojson';
import type { DataMessage } from '../messages.ts';

/** Where the CRS of imported coordinates came from, so the UI can show it and offer a change. */
type CrsSource = 'header' | 'prj' | 'crs-member' | 'format' | 'coordinates' | 'user';

export interface DetectedCrs {
  /** `EPSG:nnnn`, one of `CRS_DEFINITIONS`. */
  code: string;
  source: CrsSource;
  /** `low` when the file declares a CRS its coordinates cannot be in, and another was used. */
  confidence: 'high' | 'medium' | 'low';
  /** One plain sentence saying why. */
  note: DataMessage;
  /**
   * The file says its longitude/latitude carry the GCJ-02 offset (a FlatGeobuf this app
   * wrote for Amap): the import removes it, as if the user had chosen it.
   */
  offset?: 'gcj02';
}

/** A CRS the file itself declares; `detectCrs` falls back to the coordinates without one. */
export type CrsHint = Omit<DetectedCrs, 'confidence'>;

/** What a format parser hands back: features in the file's own coordinates. */
export interface ParsedFile {
  features: Feature[];
  crs: CrsHint | null;
  /** Records the parser could not turn into features (bad CSV rows, say). */
  skipped: number;
  /**
   * What the reader should know: records left out, parts of the file missing or cut short,
   * text that had to be guessed. Most important first.
   */
  problems: DataMessage[];
}

export type FormatId = 'geojson' | 'fgb' | 'csv' | 'kml' | 'shapefile' | 'gpkg';

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
