import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { cell, csvText, exportCsv, formatNumber } from './export-csv.ts';
import { deepFreeze } from './test-support.ts';

/** `test/in/*.geojson` inputs, `test/out/*.json` expected outputs; REGEN=1 rewrites them. */
const FIXTURES = join(import.meta.dirname, 'test');

const points = deepFreeze({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { id: 'P1', 名称: '新城公园', 面积: 1200.5 }, geometry: { type: 'Point', coordinates: [122.203, 29.988] } },
    { type: 'Feature', properties: { id: 'P2', note: '=1+1', 名称: null }, geometry: { type: 'Point', coordinates: [122.1, 30.0] } },
    { type: 'Feature', properties: { id: 'P3' }, geometry: null },
  ],
}) as unknown as FeatureCollection;

describe('exportCsv', () => {
  it('starts with a UTF-8 BOM, ends lines with CRLF and keeps Chinese', () => {
    const bytes = exportCsv(points);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(text.split('\r\n')).toEqual([
      '\uFEFFid,名称,面积,note,x,y',
      'P1,新城公园,1200.5,,122.203,29.988',
      "P2,,,'=1+1,122.1,30",
      'P3,,,,,',
      '',
    ]);
  });

  it('writes projected coordinates to the millimetre', () => {
    const lines = csvText(points, { crs: 'EPSG:4550' }).split('\r\n');
    expect(lines[1]).toBe('P1,新城公园,1200.5,,423089.934,3319050.544');
  });

  it('uses a wkt column when any geometry is not a point, and renames it around a clash', () => {
    const input: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { wkt: 'mine' }, geometry: { type: 'LineString', coordinates: [[122.1, 30], [122.2, 30.1]] } },
        { type: 'Feature', properties: { wkt: 'x' }, geometry: { type: 'Point', coordinates: [122.1, 30] } },
      ],
    };
    const lines = csvText(input).split('\r\n');
    expect(lines[0]).toBe('\uFEFFwkt,_wkt');
    expect(lines[1]).toBe('mine,"LINESTRING (122.1 30, 122.2 30.1)"');
    expect(lines[2]).toBe('x,POINT (122.1 30)');
  });

  it('quotes per RFC 4180 and papaparse reads it back', () => {
    const tricky = '他说："好，行"\n第二行, 还有 "引号"';
    const input: FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { 'a,b': tricky, n: -3, t: true, o: { k: [1] } }, geometry: { type: 'Point', coordinates: [122, 30] } }],
    };
    const text = csvText(input);
    const parsed = Papa.parse<Record<string, string>>(text.slice(0, -2), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual([{ 'a,b': tricky, n: '-3', t: 'true', o: '{"k":[1]}', x: '122', y: '30' }]);
  });

  it('guards text that a spreadsheet would run as a formula, but not numbers', () => {
    // CSV formula injection (OWASP): =, +, -, @, tab and CR at the start of a cell.
    for (const s of ['=HYPERLINK("http://x")', '+A1', '-1+1', '@SUM(A1)', '\tx', '\rx', '-', '+', '-1-', '- 1']) expect(cell(s).replace(/^"/, '').startsWith(`'`)).toBe(true);
    expect(cell('=1,2')).toBe(`"'=1,2"`);
    expect(cell(-5)).toBe('-5');
    // Text that is only a number is a number to the sheet, not a formula: left as it is.
    for (const s of ['-12.5', '+3', '-1.5e3', '-.5', '-7.']) expect(cell(s)).toBe(s);
    expect(cell(-Infinity)).toBe(`'-Infinity`);
    expect(cell('a=b')).toBe('a=b');
    expect(cell(null)).toBe('');
    expect(cell(undefined)).toBe('');
    expect(cell(' padded ')).toBe('" padded "');
  });

  it('quotes control characters and keeps them, so a reader gets the text back', () => {
    const ctl = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f';
    expect(cell(`a${ctl}b`)).toBe(`"a${ctl}b"`);
    expect(cell('a\u0000b')).toBe('"a\u0000b"');
    expect(cell('\u202eabc\u200b')).toBe('\u202eabc\u200b');
  });

  it('writes the hostile fixture as expected, and papaparse reads back the guarded text', () => {
    const input = JSON.parse(readFileSync(join(FIXTURES, 'in', 'csv-hostile.geojson'), 'utf8')) as FeatureCollection;
    deepFreeze(input);
    const text = csvText(input);
    // Lines rather than one string, so the expected output reads in a diff.
    const lines = text.split('\r\n');
    const expected = join(FIXTURES, 'out', 'csv-hostile.json');
    if (process.env.REGEN) writeFileSync(expected, `${JSON.stringify(lines, null, 1)}\n`);
    expect(lines).toEqual(JSON.parse(readFileSync(expected, 'utf8')));

    // Rows as arrays: papaparse's header mode assigns keys, and `__proto__` would vanish.
    const parsed = Papa.parse<string[]>(text.slice(1, -2), { newline: '\r\n' });
    expect(parsed.errors).toEqual([]);
    const [header, ...rows] = parsed.data;
    const record = (cells: string[]): Record<string, string | undefined> => Object.fromEntries(header!.map((h, i) => [h, cells[i]]));
    const row = record(rows[0]!);
    const props = input.features[0]!.properties!;
    for (const [k, v] of Object.entries(props)) {
      const key = k.startsWith('=') ? `'${k}` : k;
      const shown = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
      const guarded = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) && !/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(v);
      expect(row[key], k).toBe(guarded ? `'${shown}` : shown);
    }
    expect(Object.hasOwn(row, '__proto__')).toBe(true);
    // A feature without a key named like an Object.prototype member gets an empty cell.
    expect(record(rows[1]!)['__proto__']).toBe('');
  });

  it('formats numbers with fixed decimals and no trailing zeros', () => {
    expect(formatNumber(1.5, 3)).toBe('1.5');
    expect(formatNumber(2, 8)).toBe('2');
    expect(formatNumber(-0.0000001, 3)).toBe('0');
    expect(formatNumber(423089.93397745, 3)).toBe('423089.934');
  });

  it('refuses an unknown CRS', () => {
    expect(() => exportCsv(points, { crs: 'EPSG:3857' })).toThrow(/EPSG:3857/);
  });
});
