/**
 * Zipped shapefile: the zip is listed with npm `fflate` and its declared sizes checked before
 * anything is inflated (zip bombs), then `.shp` and `.dbf` are parsed with `shpjs`'s parsers.
 * The CRS comes from `.prj`; the attribute encoding from `.cpg`, else the dBase language
 * driver byte, else a UTF-8 check with GBK as the fallback (Chinese ArcGIS/SuperMap exports).
 */
import type { Feature } from 'geojson';
import { FormatError, LoadError } from '../errors.ts';
import { crsFromPrj } from './detect-crs.ts';
import { formatBytes } from './format-bytes.ts';
import { IMPORT_EXTENSIONS } from './extensions.ts';
import type { ImportFormat, ParsedFile } from './types.ts';

interface ZipLimits {
  /** Largest total uncompressed size, as a multiple of the zip's own size. */
  maxRatio: number;
  /** Largest total uncompressed size in bytes. */
  maxTotal: number;
}

const ZIP_LIMITS: ZipLimits = { maxRatio: 20, maxTotal: 1024 ** 3 };


/** Refuses the archive from its central directory alone, before any entry is inflated. */
async function checkZipSizes(bytes: Uint8Array, fileName: string, limits: ZipLimits = ZIP_LIMITS): Promise<string[]> {
  const { unzipSync } = await import('fflate');
  const names: string[] = [];
  let total = 0;
  try {
    unzipSync(bytes, {
      filter: (f) => {
        names.push(f.name);
        total += f.originalSize;
        return false;
      },
    });
  } catch (err) {
    throw new FormatError(`${fileName} is not a readable zip file (${err instanceof Error ? err.message : String(err)})`, fileName, {
      cause: err,
    });
  }
  const limit = Math.min(limits.maxTotal, limits.maxRatio * bytes.length);
  if (total > limit) {
    throw new LoadError(
      `${fileName} was refused: it declares ${formatBytes(total)} of contents, more than ${limits.maxRatio}× its own ${formatBytes(bytes.length)} or ${formatBytes(limits.maxTotal)} (it may be a zip bomb)`,
      fileName,
    );
  }
  return names;
}

const utf8 = (b: Uint8Array): string => new TextDecoder().decode(b).replace(/^\uFEFF/, '').trim();

/** A TextDecoder label for the attribute table. */
function dbfEncoding(dbf: Uint8Array, cpg: Uint8Array | undefined): string {
  if (cpg) {
    const c = utf8(cpg).toLowerCase();
    if (/936|gbk|gb2312|gb18030/.test(c)) return 'gbk';
    if (/utf-?8|65001/.test(c)) return 'utf-8';
    const ansi = /^(?:ansi\s*)?(\d+)$/.exec(c)?.[1];
    const label = ansi ? `windows-${ansi}` : c;
    try {
      new TextDecoder(label);
      return label;
    } catch {
      // An unknown label: fall through to guessing.
    }
  }
  // dBase language driver IDs 0x4D and 0x7A are code page 936 (GBK).
  if (dbf[29] === 0x4d || dbf[29] === 0x7a) return 'gbk';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbf);
    return 'utf-8';
  } catch {
    return 'gbk';
  }
}

async function parseShapefileZip(bytes: Uint8Array, fileName: string): Promise<ParsedFile> {
  const names = await checkZipSizes(bytes, fileName);
  const shpName = names.find((n) => /\.shp$/i.test(n) && !n.includes('__MACOSX'));
  if (!shpName) {
    throw new FormatError(
      `${fileName} contains no shapefile: there is no .shp file in the zip (found ${names.slice(0, 6).join(', ') || 'nothing'})`,
      fileName,
    );
  }
  const base = shpName.slice(0, -4).toLowerCase();
  const wanted = new Set(['.shp', '.dbf', '.prj', '.cpg'].map((e) => base + e));
  const { unzipSync } = await import('fflate');
  const files = unzipSync(bytes, { filter: (f) => wanted.has(f.name.toLowerCase()) });
  const get = (ext: string): Uint8Array | undefined =>
    Object.entries(files).find(([n]) => n.toLowerCase() === base + ext)?.[1];
  const problems: string[] = [];
  const others = names.filter((n) => /\.shp$/i.test(n) && n !== shpName && !n.includes('__MACOSX'));
  if (others.length) problems.push(`${fileName} holds ${others.length + 1} shapefiles; only ${shpName} was read`);

  const { parseShp, parseDbf } = await import('shpjs');
  let geometries;
  try {
    geometries = parseShp(get('.shp')!);
  } catch (err) {
    throw new FormatError(`${fileName}: ${shpName} cannot be read; it is damaged or cut short`, fileName, { cause: err });
  }
  const dbf = get('.dbf');
  let rows: Record<string, unknown>[] = [];
  if (dbf) {
    try {
      rows = parseDbf(dbf, dbfEncoding(dbf, get('.cpg'))) as Record<string, unknown>[];
    } catch (err) {
      throw new FormatError(`${fileName}: the attribute table (.dbf) cannot be read`, fileName, { cause: err });
    }
  } else {
    problems.push(`${fileName} has no .dbf file, so the features have no attributes`);
  }
  const prj = get('.prj');
  const crs = prj ? crsFromPrj(utf8(prj), fileName) : null;
  if (!prj) problems.push(`${fileName} has no .prj file; the coordinate system was guessed from the coordinates`);
  const features: Feature[] = geometries.map((geometry, i) => ({
    type: 'Feature',
    properties: { ...(rows[i] ?? {}) },
    geometry: geometry!,
  }));
  return { features, crs, skipped: 0, problems };
}

export const shapefileFormat: ImportFormat = {
  id: 'shapefile',
  extensions: IMPORT_EXTENSIONS.shapefile,
  sniff: (bytes) => bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04,
  async parse(bytes, fileName) {
    if (!shapefileFormat.sniff(bytes)) {
      throw new FormatError(`${fileName} is not a zip file: it does not start with the zip signature ("PK")`, fileName);
    }
    return parseShapefileZip(bytes, fileName);
  },
};
