/**
 * Bytes to text for files from Chinese desktop tools. A byte-order mark wins; then what the
 * file declares (an XML `encoding`, a shapefile's .cpg), when the bytes bear it out; then
 * UTF-8 when the bytes are valid UTF-8, else GBK (Excel on Chinese Windows saves CSV as
 * GBK/CP936, many tools write GeoJSON and KML so). What could not be decoded either way is
 * counted, so the import can say so instead of showing "���" without a word.
 */
import { msg, type DataMessage } from '../messages.ts';

export interface DecodedText {
  text: string;
  /** The WHATWG label used: `utf-8`, `gb18030` (for GBK too), `windows-1252` … */
  encoding: string;
  /** What the reader should be told: an encoding guessed or overruled, characters lost. */
  problem: DataMessage | null;
}

/** WHATWG label for what files call their encoding (`GB2312`, `CP936`, `ANSI 1252`, `UTF8`), or null. */
export function encodingLabel(name: string | null | undefined): string | null {
  if (!name) return null;
  const n = name.trim().toLowerCase().replace(/^ansi[\s_]*/, '');
  let label: string;
  // GBK is read with the GB18030 decoder, its superset: WHATWG decodes both so, while Node's
  // ICU "gbk" lets bytes through that are not GBK at all.
  if (/^(gb2312|gbk|cp936|936|ms936|windows-936|gb_2312-80|euc-cn|x-gbk|gb18030|54936)$/.test(n)) label = 'gb18030';
  else if (/^(utf-?8|65001)$/.test(n)) label = 'utf-8';
  else if (/^\d{3,4}$/.test(n)) label = `windows-${n}`;
  else if (/^cp\d{3,4}$/.test(n)) label = `windows-${n.slice(2)}`;
  else label = n;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null;
  }
}

const strict = (label: string, bytes: Uint8Array): string | null => {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
};

const countBad = (s: string): number => {
  let n = 0;
  for (let i = s.indexOf('\uFFFD'); i >= 0; i = s.indexOf('\uFFFD', i + 1)) n++;
  return n;
};

const nice = (label: string): string => (label === 'gb18030' ? 'GBK' : label.toUpperCase());

/**
 * `bytes` as text. `declared` is the encoding the file names (null when it names none);
 * `fileName` goes into the problem.
 */
export function decodeText(bytes: Uint8Array, fileName: string, declared: string | null = null): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return loose('utf-8', bytes.subarray(3), fileName, null);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return loose('utf-16le', bytes.subarray(2), fileName, null);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return loose('utf-16be', bytes.subarray(2), fileName, null);
  const label = encodingLabel(declared);
  if (label) {
    const text = strict(label, bytes);
    if (text !== null) return { text, encoding: label, problem: null };
    // A declaration is often copied from a template: "UTF-8" on a GBK file is the usual lie.
    const other = label === 'utf-8' ? 'gb18030' : 'utf-8';
    const again = strict(other, bytes);
    if (again !== null) {
      return { text: again, encoding: other, problem: msg('textNotAsDeclared', { file: fileName, declared: declared!, encoding: nice(other) }) };
    }
    return loose(label, bytes, fileName, null);
  }
  const utf8 = strict('utf-8', bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8', problem: null };
  const gbk = strict('gb18030', bytes);
  if (gbk !== null) return { text: gbk, encoding: 'gb18030', problem: msg('textGuessed', { file: fileName, encoding: 'GBK' }) };
  // Neither: keep whichever loses fewer characters, and say how many were lost.
  const a = loose('utf-8', bytes, fileName, null);
  const b = loose('gb18030', bytes, fileName, null);
  return countBad(b.text) < countBad(a.text) ? b : a;
}

function loose(label: string, bytes: Uint8Array, fileName: string, problem: DataMessage | null): DecodedText {
  const text = new TextDecoder(label, { ignoreBOM: true }).decode(bytes);
  const bad = strict(label, bytes) === null ? countBad(text) : 0;
  return {
    text,
    encoding: label,
    problem: bad > 0 ? msg('textUndecodable', { file: fileName, count: bad, encoding: nice(label) }) : problem,
  };
}
