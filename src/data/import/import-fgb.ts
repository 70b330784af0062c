/** FlatGeobuf through `read-fgb.ts`, which checks magic bytes and truncation before decoding. */
import type { Feature } from 'geojson';
import { FormatError } from '../errors.ts';
import { msg, type DataMessage } from '../messages.ts';
import { crsFromFgbHeader } from './detect-crs.ts';
import { IMPORT_EXTENSIONS } from './extensions.ts';
import type { ImportFormat } from './types.ts';

const MAGIC = [0x66, 0x67, 0x62, 0x03]; // "fgb" + major version 3

export const fgbFormat: ImportFormat = {
  id: 'fgb',
  extensions: IMPORT_EXTENSIONS.fgb,
  sniff: (bytes) => MAGIC.every((b, i) => bytes[i] === b),
  async parse(bytes, fileName, signal) {
    if (!MAGIC.every((b, i) => bytes[i] === b)) throw new FormatError(msg('fgbNotFgb', { file: fileName }), fileName);
    const { readFgb, readFgbHeader } = await import('../fgb/read-fgb.ts');
    const header = readFgbHeader(bytes, { sourceName: fileName });
    const crs = crsFromFgbHeader(header.crs, fileName);
    const features: Feature[] = [];
    // One note per column whose values had to be kept as text, naming the first feature.
    const problems = new Map<string, DataMessage>();
    const onProblem = (p: DataMessage): void => {
      const key = `${p.code}:${JSON.stringify(p.params.column)}`;
      if (!problems.has(key)) problems.set(key, p);
    };
    for await (const f of readFgb(bytes, { sourceName: fileName, onProblem, keepColumns: true, ...(signal ? { signal } : {}) })) features.push(f);
    return { features, crs, skipped: 0, problems: [...problems.values()] };
  },
};
