/**
 * The attribute table of a shapefile (dBase III/IV), read here rather than by `parsedbf`
 * (shpjs's reader), which reads past a cut-off file, shifts dates by the time zone (it makes
 * local `Date`s), turns "unknown" logicals into false and empty numbers into NaN, and knows
 * only the encodings the browser's TextDecoder does.
 *
 * The text encoding: the .cpg file, else the dBase language-driver byte (LDID, offset 29),
 * else the bytes: UTF-8 when valid, GBK when every high byte pairs as GB2312 does, else
 * Windows-1252. LDID 0x57 says only "the writer's ANSI code page", which is 1252 in Europe
 * and GBK on Chinese Windows; the same byte test decides. DOS code pages (437, 850, 866 …)
 * that TextDecoder lacks come from npm `iconv-lite`'s single-byte tables, loaded on demand.
 */
import { msg, type DataMessage } from '../messages.ts';
import { encodingLabel } from './decode-text.ts';

/** dBase language driver IDs → Windows/DOS code page (the common ones; GDAL and ESRI list the same). */
const LDID_CODEPAGE: Readonly<Record<number, number>> = {
  0x01: 437, 0x02: 850, 0x03: 1252, 0x04: 10000, 0x08: 865, 0x09: 437, 0x0a: 850, 0x0b: 437, 0x0d: 437, 0x0e: 850,
  0x0f: 437, 0x10: 850, 0x11: 437, 0x12: 850, 0x13: 932, 0x14: 850, 0x15: 437, 0x16: 850, 0x17: 865, 0x18: 437,
  0x19: 437, 0x1a: 850, 0x1b: 437, 0x1c: 863, 0x1d: 850, 0x1f: 852, 0x22: 852, 0x23: 852, 0x24: 860, 0x25: 850,
  0x26: 866, 0x37: 850, 0x40: 852, 0x4d: 936, 0x4e: 949, 0x4f: 950, 0x50: 874, 0x58: 1252, 0x59: 1252, 0x64: 852,
  0x65: 866, 0x66: 865, 0x67: 861, 0x6a: 737, 0x6b: 857, 0x6c: 863, 0x78: 950, 0x79: 949, 0x7a: 936, 0x7b: 932,
  0x7c: 874, 0x7d: 1255, 0x7e: 1256, 0x86: 737, 0x87: 852, 0x88: 857, 0x96: 10007, 0x97: 10029, 0x98: 10006,
  0xc8: 1250, 0xc9: 1251, 0xca: 1254, 0xcb: 1253, 0xcc: 1257,
};
/** "ANSI": the code page of whichever machine wrote the file. */
const LDID_ANSI = 0x57;

type Decode = (bytes: Uint8Array) => string;

interface Field {
  name: string;
  type: string;
  length: number;
  offset: number;
}

export interface DbfTable {
  /** One per record present, in order; null for a record marked deleted. */
  rows: (Record<string, unknown> | null)[];
  /** Records the header declares. */
  declared: number;
  /** Records marked deleted. */
  deleted: number;
  /** The encoding used, for messages ("GBK", "windows-1252"). */
  encoding: string;
  /** Said when the encoding was not declared but read from the bytes. */
  note: DataMessage | null;
}

const isUtf8 = (b: Uint8Array): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
};

/** Every byte ≥ 0x80 starts a pair in the GB2312 area (both bytes 0xA1–0xFE): Chinese text, not Latin. */
function looksGb2312(b: Uint8Array): boolean {
  let high = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i]! < 0x80) continue;
    const next = b[i + 1] ?? 0;
    if (b[i]! < 0xa1 || b[i]! > 0xfe || next < 0xa1 || next > 0xfe) return false;
    high++;
    i++;
  }
  return high > 0;
}

const hasHigh = (b: Uint8Array): boolean => b.some((x) => x >= 0x80);

async function decoderFor(codepage: string): Promise<{ decode: Decode; name: string } | null> {
  const label = encodingLabel(codepage);
  if (label) {
    const d = new TextDecoder(label);
    return { decode: (b) => d.decode(b), name: label === 'gb18030' ? 'GBK' : label };
  }
  // DOS code pages: iconv-lite's tables give the 128 characters above ASCII.
  const { default: tables } = await import('iconv-lite/encodings/sbcs-data-generated.js');
  let t: unknown = tables[codepage.replace(/^(cp|ibm|windows-?)/i, '')] ?? tables[`cp${codepage}`];
  for (let hops = 0; typeof t === 'string' && hops < 4; hops++) t = tables[t];
  const chars = (t as { chars?: string } | undefined)?.chars;
  if (!chars) return null;
  const high = chars.length === 256 ? chars.slice(128) : chars;
  return { decode: (b) => Array.from(b, (x) => (x < 0x80 ? String.fromCharCode(x) : high[x - 0x80]!)).join(''), name: `CP${codepage}` };
}

/** The decoder for the table's text, and a note when it was chosen from the bytes. */
async function chooseEncoding(records: Uint8Array, ldid: number, cpg: string | null, fileName: string): Promise<{ decode: Decode; name: string; note: DataMessage | null }> {
  if (cpg) {
    const d = await decoderFor(cpg.trim());
    if (d) return { ...d, note: null };
  }
  const page = LDID_CODEPAGE[ldid];
  if (page) {
    const d = await decoderFor(String(page));
    if (d) return { ...d, note: null };
  }
  if (!hasHigh(records) || isUtf8(records)) {
    const d = new TextDecoder('utf-8');
    return { decode: (b) => d.decode(b), name: 'UTF-8', note: null };
  }
  const name = looksGb2312(records) ? 'gb18030' : 'windows-1252';
  const d = new TextDecoder(name);
  const shown = name === 'gb18030' ? 'GBK' : 'Windows-1252';
  return {
    decode: (b) => d.decode(b),
    name: shown,
    note: msg(ldid === LDID_ANSI ? 'dbfAnsi' : 'dbfGuessed', { file: fileName, encoding: shown }),
  };
}

function value(raw: Uint8Array, field: Field, decode: Decode): unknown {
  const ascii = (): string => String.fromCharCode(...raw).trim();
  switch (field.type) {
    case 'N':
    case 'F': {
      const s = ascii();
      if (s === '' || /^\*+$/.test(s) || /^\.+$/.test(s)) return null;
      const n = Number(s.replace(',', '.'));
      return Number.isFinite(n) ? n : null;
    }
    case 'L': {
      const c = ascii().toUpperCase();
      return 'TY'.includes(c) && c !== '' ? true : 'FN'.includes(c) && c !== '' ? false : null;
    }
    case 'D': {
      const s = ascii();
      if (!/^\d{8}$/.test(s) || s === '00000000') return null;
      return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
    }
    case 'I':
    case '+': {
      if (raw.length !== 4) return null;
      return new DataView(raw.buffer, raw.byteOffset, 4).getInt32(0, true);
    }
    case 'O': {
      if (raw.length !== 8) return null;
      return new DataView(raw.buffer, raw.byteOffset, 8).getFloat64(0, true);
    }
    case 'M':
    case 'G':
    case 'B':
    case 'P':
      // Memo, OLE and picture fields point into a .dbt/.fpt file, which shapefiles do not carry.
      return null;
    default: {
      // Character fields (and unknown types, as text): trailing blanks and NULs are padding.
      let end = raw.length;
      while (end > 0 && (raw[end - 1] === 0x20 || raw[end - 1] === 0)) end--;
      const s = decode(raw.subarray(0, end));
      return s.replace(/\0/g, '');
    }
  }
}

/**
 * Reads the table; never reads past the bytes it has (a cut-off file gives the records it
 * holds, and `rows.length < declared` says so). Throws a plain Error when the header itself
 * is unreadable.
 */
export async function readDbf(dbf: Uint8Array, cpg: string | null, fileName: string): Promise<DbfTable> {
  if (dbf.length < 32) throw new Error('the dBase header is cut short');
  const view = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  const declared = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  if (headerLength < 33 || recordLength < 1 || headerLength > dbf.length + 1) throw new Error('the dBase header is damaged');
  const available = Math.max(0, Math.min(declared, Math.floor((dbf.length - headerLength) / recordLength)));
  const records = dbf.subarray(headerLength, headerLength + available * recordLength);
  const { decode, name: encoding, note } = await chooseEncoding(records, dbf[29]!, cpg, fileName);

  const fields: Field[] = [];
  let offset = 1;
  for (let at = 32; at + 32 <= headerLength && dbf[at] !== 0x0d; at += 32) {
    let nameEnd = at;
    while (nameEnd < at + 11 && dbf[nameEnd] !== 0) nameEnd++;
    const type = String.fromCharCode(dbf[at + 11]!).toUpperCase();
    // FoxPro and GDAL write character fields over 255 long with the high byte in "decimals".
    const length = dbf[at + 16]! + (type === 'C' ? dbf[at + 17]! * 256 : 0);
    fields.push({ name: decode(dbf.subarray(at, nameEnd)).trim(), type, length, offset });
    offset += length;
  }
  const rows: (Record<string, unknown> | null)[] = [];
  let deleted = 0;
  for (let r = 0; r < available; r++) {
    const start = headerLength + r * recordLength;
    if (dbf[start] === 0x2a) {
      deleted++;
      rows.push(null);
      continue;
    }
    const row: Record<string, unknown> = {};
    for (const f of fields) {
      if (f.offset + f.length > recordLength) break;
      row[f.name] = value(dbf.subarray(start + f.offset, start + f.offset + f.length), f, decode);
    }
    rows.push(row);
  }
  return { rows, declared, deleted, encoding, note };
}
