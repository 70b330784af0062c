/**
 * Finds the records of a .shp file before any geometry is decoded, so that what is missing
 * can be said: the index (.shx) lists where each record is, as GDAL reads it; without one,
 * the records are walked from the header. A .shp cut short (its header declares more bytes
 * than it has) gives the records that are whole; zero padding after the last record (what
 * some writers leave, "phantom" records to a naive reader) is not a record.
 */

export interface ShpRecords {
  /** Whole records, as [offset, length] of their content (after the 8-byte record header). */
  records: [number, number][];
  /** Records the index lists, or null without an index. */
  listed: number | null;
  /** Bytes the .shp header declares, and bytes there are. */
  declaredBytes: number;
  actualBytes: number;
  /** Records found in the .shp after those the index lists (the index is cut short or stale). */
  beyondIndex: number;
  /** The index itself is cut short: it declares more entries than it has. */
  indexCut: boolean;
}

const HEADER = 100;

/** Throws a plain Error when the .shp header is not a shapefile header. */
export function shpRecords(shp: Uint8Array, shx: Uint8Array | undefined): ShpRecords {
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  if (shp.length < HEADER || view.getInt32(0, false) !== 9994) throw new Error('not a .shp file');
  const declaredBytes = view.getInt32(24, false) * 2;
  const end = Math.min(shp.length, declaredBytes > HEADER ? declaredBytes : shp.length);

  // Walking the .shp: record numbers and lengths in the 8-byte headers, until the bytes or a
  // zero-length "record" (padding) end it.
  const walked: [number, number][] = [];
  for (let at = HEADER; at + 8 <= end; ) {
    const length = view.getInt32(at + 4, false) * 2;
    if (length <= 0) break;
    if (at + 8 + length > shp.length) break;
    walked.push([at + 8, length]);
    at += 8 + length;
  }
  const result = { declaredBytes, actualBytes: shp.length, beyondIndex: 0, indexCut: false };
  if (!shx || shx.length < HEADER) return { ...result, records: walked, listed: null };

  const xv = new DataView(shx.buffer, shx.byteOffset, shx.byteLength);
  const shxDeclared = xv.getInt32(24, false) * 2;
  const entries = Math.floor((Math.min(shx.length, shxDeclared > HEADER ? shxDeclared : shx.length) - HEADER) / 8);
  const indexCut = shxDeclared > shx.length;
  const records: [number, number][] = [];
  for (let i = 0; i < entries; i++) {
    const offset = xv.getInt32(HEADER + i * 8, false) * 2;
    const length = xv.getInt32(HEADER + i * 8 + 4, false) * 2;
    if (offset < HEADER || length < 0 || offset + 8 + length > shp.length) break;
    records.push([offset + 8, length]);
  }
  const listed = indexCut ? Math.floor((shxDeclared - HEADER) / 8) : entries;
  // An index cut short or stale lists fewer records than the .shp holds: read the .shp then.
  if (walked.length > records.length && (indexCut || records.length < entries)) {
    return { ...result, records: walked, listed, indexCut };
  }
  return { ...result, records, listed, beyondIndex: Math.max(0, walked.length - entries), indexCut };
}

/**
 * A .shp holding only `records`, for a parser that reads records one after another to the
 * end of its bytes (shpjs).
 */
export function compactShp(shp: Uint8Array, records: readonly [number, number][]): Uint8Array {
  const size = HEADER + records.reduce((n, [, len]) => n + 8 + len, 0);
  const out = new Uint8Array(size);
  out.set(shp.subarray(0, HEADER));
  const view = new DataView(out.buffer);
  view.setInt32(24, size / 2, false);
  let at = HEADER;
  records.forEach(([offset, length], i) => {
    view.setInt32(at, i + 1, false);
    view.setInt32(at + 4, length / 2, false);
    out.set(shp.subarray(offset, offset + length), at + 8);
    at += 8 + length;
  });
  return out;
}
