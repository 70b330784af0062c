/**
 * What the data code tells people, as a code and parameters rather than a sentence, so the
 * UI can say it in the reader's language (src/ui/i18n.ts has a `data.<code>` message for
 * each, in Chinese and English) while the CLI, logs and tests read the English here.
 *
 * A parameter is a string, a number, or another message (a feature's geometry problem
 * inside "feature 12: …"). By convention `file` is the file name, and `crs`, `declared` and
 * `fit` hold `EPSG:nnnn` codes, which readers may show with the system's name.
 */
import { findCrs } from '../crs/definitions.ts';
import { GEOMETRY_PROBLEMS_EN } from '../geo/check-geometry.ts';

const IMPORT_MESSAGES_EN = {
  /** An English sentence from code that has no code of its own (catalogue and network errors). */
  plain: '{text}',

  /** Something failed in the app itself, not in the file. */
  unexpected: '{file} could not be read because of an error in the app; try again, and report it if it happens again',

  // Before any format is chosen.
  fileTooLarge: '{file} is {size}, over the {limit} limit for imported files',
  fileEmpty: '{file} is empty (0 bytes)',
  bareShp: '{file} is a bare .shp file; zip it together with its .shx, .dbf, .prj and .cpg files and import the zip',
  unknownType: '{file}: the file type is not recognised; import GeoJSON, FlatGeobuf, CSV, KML, GeoPackage or a zipped shapefile',

  // After parsing, whatever the format.
  noFeatures: '{file} contains no features',
  noCoordinates: '{file} contains {count} features but none has coordinates',
  nothingDrawable: '{file} has no features that can be drawn: all {count} were skipped ({reason})',
  skippedSummary: '{file}: {skipped} of {total} features skipped',
  featureProblem: 'feature {n}: {problem}',
  offsetNeedsLonLat: '{file}: the {offset} offset applies to longitude/latitude, but the coordinates are in {crs}',
  propertyTooDeep: '{file}: feature {n}: the value of "{name}" is nested more than {limit} levels deep; it was kept as text',

  // Text encodings.
  textGuessed: '{file} declares no text encoding and is not UTF-8; it was read as {encoding}',
  textNotAsDeclared: '{file} declares the text encoding {declared} but is not written in it; it was read as {encoding}',
  textUndecodable: '{file}: {count} characters could not be decoded as {encoding} and show as "�"',

  // GeoJSON.
  notJsonAt: '{file} is not valid JSON: the text cannot be read at line {line}, column {column}',
  notJsonEnd: '{file} is not valid JSON: it ends before the JSON is complete (line {line})',
  notGeoJsonObject: '{file} is JSON but not GeoJSON: expected an object with a "type"',
  notGeoJsonType: '{file} is JSON but not GeoJSON: its "type" is {type}, not FeatureCollection, Feature or a geometry',
  notGeoJsonNoType: '{file} is JSON but not GeoJSON: it has no "type"',
  noFeaturesArray: '{file}: the FeatureCollection has no "features" array',
  notAFeature: 'feature {n} is not a GeoJSON Feature',

  // CSV.
  noCoordinateColumns:
    '{file}: no coordinate columns found; name them {names}, or give geometry as WKT in a "wkt" column (columns seen: {columns})',
  swappedColumns: '{file}: columns {x}/{y} hold northing/easting (the surveying convention); swapped them',
  decimalComma: '{file}: the coordinates use a decimal comma ({example}); read them so',
  rowNotNumbers: 'row {row}: {x}/{y} is not a pair of numbers',
  rowBadWkt: 'row {row}: the {column} column is not readable WKT',
  rowTooFewFields: 'row {row}: fewer fields than the header has',
  rowTooManyFields: 'row {row}: more fields than the header has',
  rowBadQuotes: 'row {row}: a quoted field is not closed',

  // KML.
  kmlXmlAt: '{file} is not valid KML: the XML cannot be read (line {line}, column {column})',
  kmlUnclosed: '{file} is not valid KML: the XML ends before these elements are closed: {tags}',
  kmlXml: '{file} is not valid KML: the XML cannot be read ({detail})',
  notKml: '{file} is XML but not KML: its root element is <{root}>',

  // Zipped shapefiles.
  notZip: '{file} is not a zip file: it does not start with the zip signature ("PK")',
  badZip: '{file} is not a readable zip file ({detail})',
  zipNoDirectory: '{file} is not a complete zip file: its table of contents (the central directory) is missing; it may be cut short',
  zipEntryCut: '{file} is cut short: {member} has {have} of its {need} packed bytes',
  zipEncrypted: '{file} is encrypted (password-protected); unzip it and import the files inside',
  zipTooBig: '{file} was refused: its contents unpack to more than {limit} (it may be a zip bomb)',
  zipSizeLie: '{file} was refused: {member} unpacks to more than the {size} its directory declares (the zip is damaged, or may be a zip bomb)',
  zipTooManyEntries: '{file} was refused: it holds more than {limit} files (it may be a zip bomb)',
  zipTooSlow: '{file} was refused: unpacking it took longer than {seconds} seconds (it may be a zip bomb)',
  noShp: '{file} contains no shapefile: there is no .shp file in the zip (found {names})',
  severalShp: '{file} holds {count} shapefiles; only {member} was read',
  shpUnreadable: '{file}: {member} cannot be read; it is damaged or cut short',
  dbfUnreadable: '{file}: the attribute table {member} cannot be read',
  noDbf: '{file} has no .dbf file, so the features have no attributes',
  noPrj: '{file} has no .prj file; the coordinate system was guessed from the coordinates',
  prjIgnored: '{file}: {member} is not a coordinate system definition (it holds other text); the coordinate system was guessed from the coordinates',
  shpCut: '{file}: {member} is cut short: {read} of {expected} shapes could be read; the rest are missing',
  shpCutBytes: '{file}: {member} is cut short ({have} of {need} bytes): {read} shapes could be read; the rest are missing',
  shxCut: '{file}: {member} (the shape index) is cut short: it lists {listed} of the {found} shapes in the .shp',
  shpTrailing: '{file}: {member} holds {extra} records after the {listed} its index lists; only those were read',
  dbfCut: '{file}: {member} is cut short: attributes for {read} of {expected} records; the rest have none',
  dbfCount: '{file}: {member} has {rows} records but the shapes number {shapes}; attributes may sit on the wrong shapes',
  dbfDeleted: '{file}: {member} marks {count} records as deleted; they were left out',
  dbfGuessed: '{file}: the attribute table names no text encoding; it was read as {encoding}',
  dbfAnsi: '{file}: the attribute table says only "ANSI" (the code page of the computer that wrote it); it was read as {encoding}',

  // GeoPackage.
  gpkgUnreadable: '{file} is not a readable GeoPackage ({detail})',
  gpkgNotGpkg: '{file} is a SQLite database but not a GeoPackage (it has no gpkg_contents table)',
  gpkgNoTables: '{file} holds no feature tables',
  gpkgSeveralTables: '{file} holds {count} feature tables; "{table}" was read, the others ({others}) were not',
  gpkgUnknownSrs: '{file}: table "{table}" uses spatial reference {srs}, which the map does not know',
  gpkgBadBlob: 'the geometry cannot be read ({detail})',
  gpkgCurves: 'a {type} geometry, which GeoJSON cannot represent',

  // FlatGeobuf.
  fgbNotFgb: '{file} is not a FlatGeobuf file: it does not start with the FlatGeobuf signature ("fgb")',
  fgbVersion: '{file} is FlatGeobuf version {version}; only version 3 can be read',
  fgbEmpty: '{file} is empty',
  fgbEndsInHeader: '{file} is truncated: it ends inside the header ({have} of {need} bytes)',
  fgbEndsInIndex: '{file} is truncated: it ends inside the spatial index ({have} of {need} bytes)',
  fgbEndsInFeature: '{file} is truncated: it ends inside feature {n} of {total}',
  fgbEndsInFeatureOpen: '{file} is truncated: it ends inside feature {n}',
  fgbTooFew: '{file} is truncated: it holds {count} of {total} features',
  fgbBadHeaderLength: '{file} is corrupt: its header length ({length} bytes) is impossible',
  fgbBadHeader: '{file} is corrupt: its header cannot be read ({detail})',
  fgbBadCount: '{file} is corrupt: its feature count ({count}) is impossible',
  fgbIndexNoFeatures: '{file} is corrupt: it has a spatial index but a feature count of 0',
  fgbCorrupt: '{file} is truncated or corrupt: {detail}',
  fgbCurves: '{file} holds {type} geometries, which GeoJSON cannot represent',
  fgbJsonText: '{file}: the {column} column holds text that is not JSON (feature {n}); it was kept as text',

  // Coordinate systems: errors.
  prjUnknown:
    '{file}: the .prj file names the coordinate system "{name}", which the map does not know; export the data in CGCS2000 (EPSG:4490, 4549 or 4550) or WGS 84 (EPSG:4326)',
  prjUnreadable:
    '{file}: the .prj file is not a coordinate system definition the map can read; export the data in CGCS2000 (EPSG:4490, 4549 or 4550) or WGS 84 (EPSG:4326)',
  memberUnknown: '{file} declares the coordinate system "{name}", which the map does not know; export it as EPSG:4326, 4490, 4549 or 4550',
  headerUnknown: '{file} uses coordinate system {code}, which the map does not know',
  crsUnrecognised:
    '{file}: the coordinate system could not be recognised from the coordinates (x {minX} to {maxX}, y {minY} to {maxY}); they are not longitude/latitude and do not fall near Zhoushan in CGCS2000 Gauss–Krüger (EPSG:4549, 4550, 4528, 4529). Choose the coordinate system by hand.',
  userCrsUnknown: '{file}: the chosen coordinate system {crs} is not one the map knows',
  declaredImpossible:
    '{file} declares {declared}, but its coordinates (x {minX} to {maxX}, y {minY} to {maxY}) cannot be in it, and they fit no coordinate system the map knows. Choose the coordinate system by hand.',

  // Coordinate systems: why the one used was chosen.
  notePrj: 'The .prj file defines "{name}", whose parameters match {crs}.',
  notePrjGeographic: 'The .prj file defines "{name}", longitude/latitude on the {datum} datum: {crs}.',
  notePrjNearWgs84:
    'The .prj file defines "{name}", longitude/latitude on the {datum} datum, which the map reads as {crs} (the two differ by a few metres at most).',
  noteMember: 'The file declares {name}.',
  noteFgbHeader: 'The FlatGeobuf header says {crs}.',
  noteFgbWkt: "The FlatGeobuf header's WKT matches {crs}.",
  noteFgbGcj02: 'The FlatGeobuf header says the coordinates are GCJ-02 (Amap/Tencent); the offset was removed.',
  noteGpkg: 'The GeoPackage gives table "{table}" the spatial reference {crs}.',
  noteKml: 'KML coordinates are always WGS 84 longitude/latitude.',
  noteLonLat: 'No coordinate system declared; the coordinates look like longitude/latitude.',
  noteFits: 'No coordinate system declared; the coordinates (x {minX} to {maxX}, y {minY} to {maxY}) fit {crs}, centred at {lon}° E {lat}° N.',
  noteUser: 'Chosen by hand: {crs}.',
  // Export
  fgbHeightsDropped: '{file}: heights (z) were left out of the FlatGeobuf: not every position has one, and the format keeps them for all or none',
  fgbMeasuresDropped: '{file}: measures (the fourth value of a position) were left out of the FlatGeobuf',
  dbfTooWide: 'the attributes are too wide for a Shapefile: {width} bytes a record, over the dBase limit of 65,535; export GeoPackage, FlatGeobuf or CSV to keep them all',
  shpTooManyFields: '{file}: a Shapefile holds at most 255 attribute columns; {count} more were left out ({examples}). Export GeoPackage, FlatGeobuf or CSV to keep them',
  gbkUnmappable: '{file}: the text holds {count} characters GBK has no code for ({examples}); they were written as "?". Choose UTF-8 to keep them',
  noteMismatch:
    'The file declares {declared}, but its coordinates (x {minX} to {maxX}, y {minY} to {maxY}) cannot be in it; they fit {fit}, which was used instead. Change it below if that is wrong.',
} as const;

export const DATA_MESSAGES_EN = { ...GEOMETRY_PROBLEMS_EN, ...IMPORT_MESSAGES_EN } as const;

export type DataMessageCode = keyof typeof DATA_MESSAGES_EN;
export type MessageParam = string | number | DataMessage;

export interface DataMessage {
  readonly code: DataMessageCode;
  readonly params: Readonly<Record<string, MessageParam>>;
}

export function msg(code: DataMessageCode, params: Readonly<Record<string, MessageParam>> = {}): DataMessage {
  return { code, params };
}

/** Parameters that hold a CRS code; readers may add the system's name. */
const CRS_PARAMS: ReadonlySet<string> = new Set(['crs', 'declared', 'fit']);

/**
 * Fills a message's template: nested messages are rendered the same way, `format` may
 * decorate a parameter (a file name isolated from the sentence, a CRS with its name).
 */
function renderMessage(
  m: DataMessage,
  template: (code: DataMessageCode) => string,
  format: (name: string, value: string | number) => string = (_, v) => String(v),
): string {
  return template(m.code).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = m.params[name];
    if (v === undefined) return whole;
    return typeof v === 'object' ? renderMessage(v, template, format) : format(name, v);
  });
}

/** The message in English, for the CLI, logs and `Error.message`. */
export function englishMessage(m: DataMessage): string {
  return renderMessage(
    m,
    (code) => DATA_MESSAGES_EN[code] ?? code,
    (name, v) => {
      const def = CRS_PARAMS.has(name) && typeof v === 'string' ? findCrs(v) : undefined;
      return def ? `${def.code} (${def.name.en})` : String(v);
    },
  );
}

/** True for a value shaped like a DataMessage, as one that crossed from a worker is. */
export function isDataMessage(x: unknown): x is DataMessage {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as { code?: unknown }).code === 'string' &&
    typeof (x as { params?: unknown }).params === 'object' &&
    (x as { params?: unknown }).params !== null
  );
}
