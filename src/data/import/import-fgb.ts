/** FlatGeobuf through `read-fgb.ts`, which checks magic bytes and truncation before decoding. */
import type { Feature } from 'geojson';
import { FormatError } from '../errors.ts';
import { crsFromFgbHeader } from './detect-crs.ts';
import { IMPORT_EXTENSIONS } from './extensions.ts';
import type { ImportFormat } from './types.ts';

const MAGIC = [0x66, 0x67, 0x62, 0x03]; // "fgb" + major version 3

export const fgbFormat: ImportFormat = {
  id: 'fgb',
  extensions: IMPORT_EXTENSIONS.fgb,
  sniff: (bytes) => MAGIC.every((b, i) => bytes[i] === b),
  async parse(bytes, fileName, signal) {
    if (!MAGIC.every((b, i) => bytes[i] === b)) {
      throw new FormatError(
        `${fileName} is not a FlatGeobuf file: it does not start with the FlatGeobuf signature ("fgb")`,
        fileName,
      );
    }
    const { readFgb, readFgbHeader } = await import('../fgb/read-fgb.ts');
    const header = readFgbHeader(bytes, { sourceName: fileName });
    const crs = crsFromFgbHeader(header.crs, fileName);
    const features: Feature[] = [];
    for await (const f of readFgb(bytes, { sourceName: fileName, ...(signal ? { signal } : {}) })) features.push(f);
    return { features, crs, skipped: 0, problems: [] };
  },
};
