/**
 * Zipped shapefile: the zip is read by `read-zip.ts` (what is unpacked is bounded: bytes,
 * entries, time), the records of the .shp are found through its index (`shp-records.ts`)
 * and decoded with `shpjs`'s parser, the attributes read by `read-dbf.ts`. The CRS comes
 * from `.prj`.
 *
 * A damaged shapefile is read as far as it goes, and each missing part is named, per file
 * of the set (shapes cut off, attributes cut off, a record count that disagrees, a missing
 * .dbf or .prj): the layer keeps what could be read and the import result says what is not
 * there, so the user can decide whether to keep it.
 */
import type { Feature, Geometry } from 'geojson';
import { FormatError } from '../errors.ts';
import { msg, type DataMessage } from '../messages.ts';
import { crsFromPrj } from './detect-crs.ts';
import { IMPORT_EXTENSIONS } from './extensions.ts';
import { readZip } from './read-zip.ts';
import { compactShp, shpRecords } from './shp-records.ts';
import type { ImportFormat, ParsedFile } from './types.ts';

/** The keywords a WKT coordinate system definition (WKT 1 or 2) starts with. */
const WKT_START = /^\s*(PROJCS|GEOGCS|GEOCCS|LOCAL_CS|COMPD_CS|VERT_CS|PROJCRS|GEOGCRS|GEODCRS|BOUNDCRS|COMPOUNDCRS|ENGCRS|VERTCRS)\s*\[/i;
const utf8 = (b: Uint8Array): string => new TextDecoder().decode(b).replace(/^\uFEFF/, '').trim();
const isShp = (n: string): boolean => /\.shp$/i.test(n) && !/(^|\/)__MACOSX\//.test(n) && !/(^|\/)\._/.test(n);

/** The geometries of `records`, one each (null for a null shape or one that cannot be decoded). */
async function geometries(shp: Uint8Array, records: [number, number][], fileName: string, member: string): Promise<(Geometry | null)[]> {
  const { parseShp } = await import('shpjs');
  try {
    return parseShp(compactShp(shp, records));
  } catch (err) {
    if (records.length === 0) throw new FormatError(msg('shpUnreadable', { file: fileName, member }), fileName, { cause: err });
    // One bad record should not cost the others: decode them one by one.
    return records.map((r) => {
      try {
        return parseShp(compactShp(shp, [r]))[0] ?? null;
      } catch {
        return null;
      }
    });
  }
}

async function parseShapefileZip(bytes: Uint8Array, fileName: string): Promise<ParsedFile> {
  // Only the parts of the first shapefile are unpacked; the names of the rest are enough.
  const { names, files } = readZip(bytes, fileName, (all) => {
    const first = all.find(isShp);
    const stem = first?.slice(0, -4).toLowerCase();
    return new Set(all.filter((n) => stem !== undefined && ['.shp', '.shx', '.dbf', '.prj', '.cpg'].some((e) => n.toLowerCase() === stem + e)));
  });
  const shpName = names.find(isShp);
  if (!shpName) throw new FormatError(msg('noShp', { file: fileName, names: names.slice(0, 6).join(', ') || '—' }), fileName);
  const stem = shpName.slice(0, -4).toLowerCase();
  const find = (ext: string): [string, Uint8Array] | undefined => [...files].find(([n]) => n.toLowerCase() === stem + ext);
  const member = (ext: string): string => find(ext)?.[0].split('/').pop() ?? `${shpName.split('/').pop()!.slice(0, -4)}${ext}`;
  const problems: DataMessage[] = [];
  const others = names.filter((n) => isShp(n) && n !== shpName);
  if (others.length) problems.push(msg('severalShp', { file: fileName, count: others.length + 1, member: member('.shp') }));

  const shp = find('.shp')![1];
  const shx = find('.shx')?.[1];
  let found;
  try {
    found = shpRecords(shp, shx);
  } catch (err) {
    throw new FormatError(msg('shpUnreadable', { file: fileName, member: member('.shp') }), fileName, { cause: err });
  }
  const { records, listed } = found;
  const cut = found.actualBytes < found.declaredBytes;
  if (cut) {
    problems.push(
      listed !== null && listed > records.length
        ? msg('shpCut', { file: fileName, member: member('.shp'), read: records.length, expected: listed })
        : msg('shpCutBytes', { file: fileName, member: member('.shp'), have: found.actualBytes, need: found.declaredBytes, read: records.length }),
    );
  } else if (listed !== null && listed > records.length) {
    problems.push(msg('shpCut', { file: fileName, member: member('.shp'), read: records.length, expected: listed }));
  }
  if (found.indexCut) problems.push(msg('shxCut', { file: fileName, member: member('.shx'), listed: listed ?? 0, found: records.length }));
  if (found.beyondIndex > 0) problems.push(msg('shpTrailing', { file: fileName, member: member('.shp'), extra: found.beyondIndex, listed: records.length }));
  const shapes = await geometries(shp, records, fileName, member('.shp'));

  const dbfEntry = find('.dbf');
  let rows: (Record<string, unknown> | null)[] = [];
  if (dbfEntry) {
    const { readDbf } = await import('./read-dbf.ts');
    const cpg = find('.cpg');
    let table;
    try {
      table = await readDbf(dbfEntry[1], cpg ? utf8(cpg[1]) : null, fileName);
    } catch (err) {
      throw new FormatError(msg('dbfUnreadable', { file: fileName, member: member('.dbf') }), fileName, { cause: err });
    }
    rows = table.rows;
    if (table.note) problems.push(table.note);
    if (rows.length < table.declared) {
      problems.push(msg('dbfCut', { file: fileName, member: member('.dbf'), read: rows.length, expected: table.declared }));
    }
    // The header's count against the shapes the index lists: a mismatch means rows and shapes may not pair up.
    const shapesListed = listed ?? shapes.length;
    if (table.declared !== shapesListed && !(cut && listed === null)) {
      problems.push(msg('dbfCount', { file: fileName, member: member('.dbf'), rows: table.declared, shapes: shapesListed }));
    }
    if (table.deleted > 0) problems.push(msg('dbfDeleted', { file: fileName, member: member('.dbf'), count: table.deleted }));
  } else {
    problems.push(msg('noDbf', { file: fileName }));
  }
  // A .prj that is no WKT at all (a web page saved in its place, say) declares nothing: say so and guess.
  const prjText = find('.prj') ? utf8(find('.prj')![1]) : null;
  const wkt = prjText !== null && WKT_START.test(prjText) ? prjText : null;
  const crs = wkt ? crsFromPrj(wkt, fileName) : null;
  if (prjText === null) problems.push(msg('noPrj', { file: fileName }));
  else if (!wkt) problems.push(msg('prjIgnored', { file: fileName, member: member('.prj') }));
  const features: Feature[] = [];
  let skipped = 0;
  shapes.forEach((geometry, i) => {
    const row = i < rows.length ? rows[i] : {};
    // A record marked deleted in the table is gone, as in GDAL and ArcGIS.
    if (row === null) {
      skipped++;
      return;
    }
    features.push({ type: 'Feature', properties: { ...(row ?? {}) }, geometry: geometry as Geometry });
  });
  return { features, crs, skipped, problems };
}

export const shapefileFormat: ImportFormat = {
  id: 'shapefile',
  extensions: IMPORT_EXTENSIONS.shapefile,
  sniff: (bytes) => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04,
  async parse(bytes, fileName) {
    if (!shapefileFormat.sniff(bytes)) throw new FormatError(msg('notZip', { file: fileName }), fileName);
    return parseShapefileZip(bytes, fileName);
  },
};
