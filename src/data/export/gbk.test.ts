import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { encodeGbk } from './gbk.ts';

describe('encodeGbk', () => {
  it('gives the same bytes as iconv-lite for every character GBK has', () => {
    // Every two-byte code, decoded: all of GBK's characters once. Left out: the ~80 codes
    // that ICU (Node) decodes to private-use characters where GB18030-2005 (iconv-lite,
    // browsers) has real but obscure ones (ḿ, ideographic description characters).
    const codes: number[] = [];
    for (let lead = 0x81; lead <= 0xfe; lead++) for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) codes.push(lead, trail);
    const all = new TextDecoder('gbk').decode(new Uint8Array(codes)).replace(/[\uE000-\uF8FF\uFFFD]/g, '');
    expect(all.length).toBeGreaterThan(21_000);
    const text = `ASCII 123 ,"\n舟山市定海区 沈家门 €·—“”《》①${all}`;
    const { bytes, unmappable } = encodeGbk(text);
    expect(unmappable).toBe(0);
    expect(Buffer.from(bytes).equals(iconv.encode(text, 'gbk'))).toBe(true);
  });

  it('replaces what GBK lacks and counts it, or escapes it as asked', () => {
    expect(encodeGbk('a😀b')).toEqual({ bytes: new Uint8Array([0x61, 0x3f, 0x62]), unmappable: 1 });
    const escaped = encodeGbk('地😀', (ch) => `\\U+${ch.codePointAt(0)!.toString(16).toUpperCase()}`);
    expect(new TextDecoder('gbk').decode(escaped.bytes)).toBe('地\\U+1F600');
  });
});
