/** CSV coordinates written with a decimal comma, as Excel does in many locales. */
import type { Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { englishMessage } from '../messages.ts';
import { importFile } from './import-file.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const first = (r: Awaited<ReturnType<typeof importFile>>): number[] => (r.data.features[0]!.geometry as Point).coordinates;

describe('defect 10: decimal commas', () => {
  it('reads "122,1" as 122.1, not 1221, in a semicolon file and a quoted comma file, and says so', async () => {
    for (const [name, text, example] of [
      ['semi.csv', 'name;lon;lat\nA;122,203;29,988\nB;122,21;29,99\n', '122,21'],
      // Every value could be a thousands separator too: as one, 29,988 would be no northing anywhere near.
      ['quoted.csv', 'name,lon,lat\nA,"122,203","29,988"\n', '122,203'],
    ] as const) {
      const r = await importFile(enc(text), name);
      expect(first(r), name).toEqual([122.203, 29.988]);
      expect(r.problems.map(englishMessage)[0], name).toBe(`${name}: the coordinates use a decimal comma (${example}); read them so`);
    }
  });

  it('still reads commas as thousands separators where they are', async () => {
    const r = await importFile(enc('name,x,y\nA,"423,089.93","3,319,050.54"\n'), 'gk.csv');
    expect(first(r)[0]).toBeCloseTo(122.203, 6);
    expect(r.problems).toEqual([]);
  });
});
