/**
 * A GBK (code page 936) encoder built from the platform's own GBK decoder: browsers and Node
 * decode GBK (`TextDecoder('gbk')`) but encode only UTF-8, and iconv-lite needs Node's
 * Buffer, which the browser build does not have. Decoding every two-byte code once gives
 * the reverse table (~22,000 characters, built on first use, a few milliseconds).
 */
let table: Map<number, number> | null = null;

function reverseTable(): Map<number, number> {
  if (table) return table;
  const pairs: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) pairs.push(lead, trail);
  }
  const text = new TextDecoder('gbk').decode(new Uint8Array(pairs));
  if (text.length !== pairs.length / 2) throw new Error('this platform’s GBK decoder is not the expected one');
  const map = new Map<number, number>();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0xfffd && !map.has(c)) map.set(c, (pairs[2 * i]! << 8) | pairs[2 * i + 1]!);
  }
  // Code page 936's one single-byte extra.
  map.set(0x20ac, 0x80);
  return (table = map);
}

/**
 * `text` in GBK. A character GBK lacks becomes `fallback(ch)` (ASCII, e.g. an escape), "?"
 * without one; either way it is counted.
 */
export function encodeGbk(text: string, fallback?: (ch: string) => string): { bytes: Uint8Array; unmappable: number } {
  const map = reverseTable();
  let out = new Uint8Array(text.length * 2 + 16);
  let n = 0;
  let unmappable = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    const code = c <= 0xffff ? map.get(c) : undefined;
    if (code === undefined) {
      unmappable++;
      const sub = fallback ? fallback(ch) : '?';
      if (n + sub.length > out.length) {
        const grown = new Uint8Array((n + sub.length) * 2);
        grown.set(out.subarray(0, n));
        out = grown;
      }
      for (let i = 0; i < sub.length; i++) out[n++] = sub.charCodeAt(i) & 0x7f;
    } else if (code <= 0xff) {
      out[n++] = code;
    } else {
      out[n++] = code >> 8;
      out[n++] = code & 0xff;
    }
  }
  return { bytes: out.slice(0, n), unmappable };
}
