import { describe, expect, it } from 'vitest';
import { dataUrlToBlob } from './data-url.ts';

describe('dataUrlToBlob', () => {
  it('decodes the bytes and keeps the type', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const blob = dataUrlToBlob(`data:image/png;base64,${Buffer.from(png).toString('base64')}`);
    expect(blob.type).toBe('image/png');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(png);
  });

  it('accepts parameters before ;base64', async () => {
    const blob = dataUrlToBlob(`data:text/plain;charset=utf-8;base64,${Buffer.from('舟山').toString('base64')}`);
    expect(blob.type).toBe('text/plain');
    expect(await blob.text()).toBe('舟山');
  });

  it('refuses what is not a base64 data: URL', () => {
    expect(() => dataUrlToBlob('data:,')).toThrow(/base64 data: URLs/);
    expect(() => dataUrlToBlob('https://example.test/a.png')).toThrow(/base64 data: URLs/);
    expect(() => dataUrlToBlob('data:text/plain,hello')).toThrow(/base64 data: URLs/);
  });
});
