/**
 * Text that is not UTF-8 (GBK from Chinese tools) in GeoJSON and KML, by declaration and by
 * detection, and JSON errors located by our own scan wherever the engine gives no position.
 */
import { describe, expect, it } from 'vitest';
import { englishMessage } from '../messages.ts';
import { importFile } from './import-file.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
/** 舟山新城 in GBK. */
const XINCHENG_GBK = [0xd6, 0xdb, 0xc9, 0xbd, 0xd0, 0xc2, 0xb3, 0xc7];
const bytes = (...parts: (string | number[])[]): Uint8Array => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...enc(p)] : p)));
const messages = (r: { problems: Parameters<typeof englishMessage>[0][] }): string[] => r.problems.map(englishMessage);

describe('defect 3: GBK text in GeoJSON and KML', () => {
  it('reads GBK GeoJSON as Chinese and says it guessed the encoding', async () => {
    const r = await importFile(bytes('{"type":"Feature","properties":{"name":"', XINCHENG_GBK, '"},"geometry":{"type":"Point","coordinates":[122.2,29.98]}}'), 'gbk.geojson');
    expect(r.data.features[0]!.properties).toEqual({ name: '舟山新城' });
    expect(messages(r)).toEqual(['gbk.geojson declares no text encoding and is not UTF-8; it was read as GBK']);
  });

  const kml = (declared: string | null, name: number[]): Uint8Array =>
    bytes(
      `<?xml version="1.0"${declared ? ` encoding="${declared}"` : ''}?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>`,
      name,
      '</name><Point><coordinates>122.2,29.98</coordinates></Point></Placemark></Document></kml>',
    );

  it('reads KML declaring GB2312 or GBK as declared, without a word', async () => {
    for (const declared of ['GB2312', 'GBK', 'gb18030']) {
      const r = await importFile(kml(declared, XINCHENG_GBK), 'a.kml');
      expect(r.data.features[0]!.properties!.name, declared).toBe('舟山新城');
      expect(r.problems).toEqual([]);
    }
  });

  it('reads GBK KML that declares UTF-8 (a copied template) and says so', async () => {
    const r = await importFile(kml('UTF-8', XINCHENG_GBK), 'b.kml');
    expect(r.data.features[0]!.properties!.name).toBe('舟山新城');
    expect(messages(r)).toEqual(['b.kml declares the text encoding UTF-8 but is not written in it; it was read as GBK']);
  });

  it('says how many characters could not be decoded rather than showing "�" without a word', async () => {
    // 0x80 and 0xFF are neither UTF-8 nor GBK.
    const r = await importFile(bytes('{"type":"Feature","properties":{"name":"a', [0x80, 0xff], '"},"geometry":{"type":"Point","coordinates":[122.2,29.98]}}'), 'bad.geojson');
    expect(messages(r)[0]).toMatch(/^bad\.geojson: \d+ characters could not be decoded as (UTF-8|GBK) and show as "�"$/);
    expect(r.incomplete).toBe(true);
  });

  it('leaves UTF-8 alone', async () => {
    const r = await importFile(enc('{"type":"Feature","properties":{"name":"舟山新城"},"geometry":{"type":"Point","coordinates":[122.2,29.98]}}'), 'u.geojson');
    expect(r.data.features[0]!.properties).toEqual({ name: '舟山新城' });
    expect(r.problems).toEqual([]);
  });
});

describe('defect 9: JSON errors say where, in every case', () => {
  it.each([
    ['{"type": x}', 'x.geojson is not valid JSON: the text cannot be read at line 1, column 10'],
    ['{"type":"Point",\n "coordinates": [1, 2,]}', 'x.geojson is not valid JSON: the text cannot be read at line 2, column 23'],
    ['{"type":"Point"}}', 'x.geojson is not valid JSON: the text cannot be read at line 1, column 17'],
    ['{"type":"Feature",\n"properties": {"a": "b', 'x.geojson is not valid JSON: it ends before the JSON is complete (line 2)'],
    ['{"a":\n\n', 'x.geojson is not valid JSON: it ends before the JSON is complete (line 3)'],
  ])('%j', async (text, message) => {
    await expect(importFile(enc(text), 'x.geojson')).rejects.toThrow(message);
  });
});
