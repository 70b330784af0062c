/** What is unpacked is bounded — bytes out, entries, time — not the packing ratio. */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { LoadError } from '../errors.ts';
import { ZIP_LIMITS, readZip } from './read-zip.ts';

const all = (names: readonly string[]): ReadonlySet<string> => new Set(names);
const zeros = (n: number): Uint8Array => new Uint8Array(n);

describe('readZip', () => {
  it('unpacks what packs 1000× when it stays within the limits', () => {
    const z = zipSync({ 'a.dbf': zeros(1_000_000) }, { level: 9 });
    expect(z.length * 100).toBeLessThan(1_000_000);
    const { names, files } = readZip(z, 'a.zip', all);
    expect(names).toEqual(['a.dbf']);
    expect(files.get('a.dbf')).toHaveLength(1_000_000);
  });

  it('refuses an honest giant by what its directory declares, before unpacking', () => {
    const z = zipSync({ 'a.dbf': zeros(300_000), 'b.dbf': zeros(300_000) }, { level: 9 });
    const limits = { ...ZIP_LIMITS, maxBytes: 500_000 };
    expect(() => readZip(z, 'big.zip', all, limits)).toThrow(LoadError);
    expect(() => readZip(z, 'big.zip', all, limits)).toThrow('big.zip was refused: its contents unpack to more than 488 KB (it may be a zip bomb)');
    expect(readZip(z, 'big.zip', () => new Set(['a.dbf']), limits).files.get('a.dbf')).toHaveLength(300_000);
  });

  it('refuses an entry as soon as it unpacks to more than its directory declares', () => {
    // A bomb that says 10 bytes of what is 20 MB: refused after the first chunk out, not at the byte limit.
    const z = zipSync({ 'a.dbf': zeros(20_000_000), 'b.txt': new TextEncoder().encode('hello') }, { level: 9 });
    const view = new DataView(z.buffer);
    for (let i = 0; i + 4 <= z.length; i++) {
      if (view.getUint32(i, true) === 0x02014b50 && view.getUint32(i + 24, true) === 20_000_000) view.setUint32(i + 24, 10, true);
    }
    let reads = 0;
    const limits = { ...ZIP_LIMITS, now: () => (reads++, 0) };
    expect(() => readZip(z, 'liar.zip', all, limits)).toThrow(LoadError);
    expect(() => readZip(z, 'liar.zip', all, limits)).toThrow('liar.zip was refused: a.dbf unpacks to more than the 10 bytes its directory declares (the zip is damaged, or may be a zip bomb)');
    // The clock is read once a chunk in: it stopped within the first few of the bomb's ~300.
    expect(reads).toBeLessThan(10);
    // The honest entry beside it still reads.
    expect(new TextDecoder().decode(readZip(z, 'liar.zip', () => new Set(['b.txt'])).files.get('b.txt'))).toBe('hello');
  });

  it('refuses a stored entry longer than declared', () => {
    const z = zipSync({ 'a.txt': new TextEncoder().encode('hello world') }, { level: 0 });
    const view = new DataView(z.buffer);
    for (let i = 0; i + 4 <= z.length; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 5, true);
    expect(() => readZip(z, 'stored.zip', all)).toThrow('stored.zip was refused: a.txt unpacks to more than the 5 bytes its directory declares');
  });

  it('refuses too many entries before unpacking any', () => {
    const z = zipSync(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.txt`, zeros(1)])));
    expect(() => readZip(z, 'many.zip', all, { ...ZIP_LIMITS, maxEntries: 20 })).toThrow('many.zip was refused: it holds more than 20 files (it may be a zip bomb)');
  });

  it('gives up when unpacking takes too long', () => {
    const z = zipSync({ 'a.dbf': zeros(2_000_000) }, { level: 9 });
    let t = 0;
    // Each reading of the clock is a minute later.
    const limits = { ...ZIP_LIMITS, maxMillis: 30_000, now: () => (t += 60_000) };
    expect(() => readZip(z, 'slow.zip', all, limits)).toThrow('slow.zip was refused: unpacking it took longer than 30 seconds (it may be a zip bomb)');
  });

  it('reads names written in GBK by Chinese zip tools, and says what is wrong with a broken zip', () => {
    const z = zipSync({ 'ABCD.shp': zeros(4) });
    // Rename "ABCD" to 公园 in GBK (the same four bytes) in the local header and the directory.
    for (let i = 0; i + 4 <= z.length; i++) {
      if (z[i] === 0x41 && z[i + 1] === 0x42 && z[i + 2] === 0x43 && z[i + 3] === 0x44) z.set([0xb9, 0xab, 0xd4, 0xb0], i);
    }
    expect(readZip(z, 'gbk.zip', all).names[0]).toBe('公园.shp');
    expect(() => readZip(z.slice(0, z.length - 30), 'cut.zip', all)).toThrow(
      'cut.zip is not a complete zip file: its table of contents (the central directory) is missing; it may be cut short',
    );
  });
});
