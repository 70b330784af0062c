/**
 * Reads the entries of a zip that the caller wants, bounding what is actually unpacked —
 * bytes out, entries, time — rather than the ratio of declared to packed size: a .dbf of
 * 254-character text fields packs 30–50×, and a zip bomb can declare any size it likes (an
 * entry that unpacks to more than it declares is refused as soon as it does).
 * The central directory is read here (names in UTF-8, or GBK as Chinese Windows zip tools
 * write them); each wanted entry is inflated in chunks with npm `fflate`'s streaming
 * `Inflate`, counting as it goes.
 */
import { Inflate } from 'fflate';
import { FormatError, LoadError } from '../errors.ts';
import { msg } from '../messages.ts';
import { formatBytes } from './format-bytes.ts';

export interface ZipLimits {
  /** Most bytes unpacked in all (what the wanted entries inflate to, counted as they do). */
  maxBytes: number;
  /** Most entries the zip may list. */
  maxEntries: number;
  /** Longest time unpacking may take, in milliseconds. */
  maxMillis: number;
  /** The clock, for tests. */
  now: () => number;
}

export const ZIP_LIMITS: ZipLimits = { maxBytes: 1024 ** 3, maxEntries: 10_000, maxMillis: 60_000, now: () => Date.now() };

interface Entry {
  name: string;
  method: number;
  flags: number;
  packed: number;
  size: number;
  offset: number;
}

const CHUNK = 1 << 16;

function decodeName(bytes: Uint8Array, utf8Flag: boolean): string {
  if (!utf8Flag) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return new TextDecoder('gbk').decode(bytes);
    }
  }
  return new TextDecoder().decode(bytes);
}

/** The central directory's entries; FormatError when there is none to be found. */
function listEntries(bytes: Uint8Array, fileName: string): Entry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (detail: string): FormatError => new FormatError(msg('badZip', { file: fileName, detail }), fileName);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new FormatError(msg('zipNoDirectory', { file: fileName }), fileName);
  let count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  // Zip64: the real count and offset sit in a record the locator before the end record points at.
  if ((count === 0xffff || at === 0xffffffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50) {
    const rec = Number(view.getBigUint64(eocd - 12, true));
    if (rec + 56 > bytes.length || view.getUint32(rec, true) !== 0x06064b50) throw bad('damaged zip64 directory');
    count = Number(view.getBigUint64(rec + 32, true));
    at = Number(view.getBigUint64(rec + 48, true));
  }
  const entries: Entry[] = [];
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) throw bad('damaged central directory');
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const flags = view.getUint16(at + 8, true);
    const entry: Entry = {
      name: decodeName(bytes.subarray(at + 46, at + 46 + nameLength), (flags & 0x800) !== 0),
      method: view.getUint16(at + 10, true),
      flags,
      packed: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      offset: view.getUint32(at + 42, true),
    };
    // Zip64 sizes and offset, in that order, for the fields that overflowed.
    let x = at + 46 + nameLength;
    const extraEnd = x + extraLength;
    while (x + 4 <= extraEnd) {
      const id = view.getUint16(x, true);
      const len = view.getUint16(x + 2, true);
      if (id === 0x0001) {
        let y = x + 4;
        const next = (): number => {
          const v = y + 8 <= x + 4 + len ? Number(view.getBigUint64(y, true)) : 0;
          y += 8;
          return v;
        };
        if (entry.size === 0xffffffff) entry.size = next();
        if (entry.packed === 0xffffffff) entry.packed = next();
        if (entry.offset === 0xffffffff) entry.offset = next();
      }
      x += 4 + len;
    }
    entries.push(entry);
    at = extraEnd + commentLength;
  }
  return entries;
}

export interface ZipContents {
  /** Every entry's name, in the order listed. */
  names: string[];
  /** The wanted entries' bytes, by name as listed. */
  files: Map<string, Uint8Array>;
}

/**
 * The names of all entries and the bytes of those `pick` chooses from the names. LoadError
 * when the limits are passed, FormatError when the zip cannot be read.
 */
export function readZip(
  bytes: Uint8Array,
  fileName: string,
  pick: (names: readonly string[]) => ReadonlySet<string>,
  limits: ZipLimits = ZIP_LIMITS,
): ZipContents {
  const entries = listEntries(bytes, fileName);
  if (entries.length > limits.maxEntries) {
    throw new LoadError(msg('zipTooManyEntries', { file: fileName, limit: limits.maxEntries }), fileName);
  }
  const chosen = pick(entries.map((e) => e.name));
  const wanted = entries.filter((e) => chosen.has(e.name));
  const tooBig = (): LoadError => new LoadError(msg('zipTooBig', { file: fileName, limit: formatBytes(limits.maxBytes) }), fileName);
  // What the directory declares is checked first, so an honest giant fails before any work.
  if (wanted.reduce((n, e) => n + e.size, 0) > limits.maxBytes) throw tooBig();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const started = limits.now();
  let total = 0;
  const files = new Map<string, Uint8Array>();
  for (const e of wanted) {
    if (e.flags & 1) throw new FormatError(msg('zipEncrypted', { file: fileName }), fileName);
    if (e.offset + 30 > bytes.length || view.getUint32(e.offset, true) !== 0x04034b50) {
      throw new FormatError(msg('badZip', { file: fileName, detail: `damaged entry ${e.name}` }), fileName);
    }
    const start = e.offset + 30 + view.getUint16(e.offset + 26, true) + view.getUint16(e.offset + 28, true);
    if (start + e.packed > bytes.length) {
      throw new FormatError(msg('zipEntryCut', { file: fileName, member: e.name, have: Math.max(0, bytes.length - start), need: e.packed }), fileName);
    }
    const packed = bytes.subarray(start, start + e.packed);
    if (e.method === 0) {
      if (packed.length > e.size) throw new LoadError(msg('zipSizeLie', { file: fileName, member: e.name, size: formatBytes(e.size) }), fileName);
      total += packed.length;
      if (total > limits.maxBytes) throw tooBig();
      files.set(e.name, packed.slice());
      continue;
    }
    if (e.method !== 8) throw new FormatError(msg('badZip', { file: fileName, detail: `compression method ${e.method}` }), fileName);
    const parts: Uint8Array[] = [];
    let size = 0;
    const inflate = new Inflate((chunk) => {
      size += chunk.length;
      total += chunk.length;
      // An entry never unpacks to more than its directory says: one that does is refused at
      // once, not after the byte limit (a gigabyte and some seconds later).
      if (size > e.size) throw new LoadError(msg('zipSizeLie', { file: fileName, member: e.name, size: formatBytes(e.size) }), fileName);
      if (total > limits.maxBytes) throw tooBig();
      parts.push(chunk);
    });
    try {
      for (let i = 0; i < packed.length; i += CHUNK) {
        inflate.push(packed.subarray(i, i + CHUNK), i + CHUNK >= packed.length);
        if (limits.now() - started > limits.maxMillis) {
          throw new LoadError(msg('zipTooSlow', { file: fileName, seconds: Math.round(limits.maxMillis / 1000) }), fileName);
        }
      }
      if (packed.length === 0) inflate.push(new Uint8Array(0), true);
    } catch (err) {
      if (err instanceof LoadError) throw err;
      throw new FormatError(msg('badZip', { file: fileName, detail: `${e.name}: ${err instanceof Error ? err.message : String(err)}` }), fileName, { cause: err });
    }
    const out = new Uint8Array(size);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    files.set(e.name, out);
  }
  return { names: entries.map((e) => e.name), files };
}
