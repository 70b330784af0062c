/**
 * Fuzzing with fast-check: the URL state decoder, every import parser, the range reader of
 * large layers, the catalogue and the stored settings, fed random and
 * mutated input, must return a result or throw one of our LoadError family with a message —
 * never another exception, never hang. CI runs a few thousand cases; `npm run fuzz` runs
 * many more (FUZZ_RUNS).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUrlState, encodeUrlState, type UrlState } from '../../src/app/url-state.ts';
import { LoadError } from '../../src/data/errors.ts';
import { readFgb } from '../../src/data/fgb/read-fgb.ts';
import { importFile } from '../../src/data/import/import-file.ts';
import { FgbRangeReader } from '../../src/data/fgb/range-reader.ts';
import { parseCatalogue } from '../../src/data/catalogue.ts';
import { readSettings, readStudyArea } from '../../src/app/session.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
// CI runs a fixed seed so that main stays green or red for a reason, not by luck; `npm run
// fuzz` (FUZZ_RUNS set) draws a new seed each time to look further. FUZZ_SEED replays one.
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? undefined : 20241124;
if (SEED !== undefined) fc.configureGlobal({ seed: SEED });
const root = join(import.meta.dirname, '..', '..');
const plots = new Uint8Array(readFileSync(join(root, 'data', 'layers', 'idle-plots.fgb')));
const geojson = new TextEncoder().encode(JSON.stringify({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { id: 'a', name: '甲' }, geometry: { type: 'Polygon', coordinates: [[[122.2, 30], [122.21, 30], [122.21, 30.01], [122.2, 30]]] } }],
}));
const csv = new TextEncoder().encode('name,x,y\n甲,423089.9,3319050.5\n乙,423189.9,3319150.5\n');

/** Our errors only: anything else escaping a parser is a bug. */
async function settles(p: () => Promise<unknown>): Promise<void> {
  try {
    await p();
  } catch (err) {
    if (!(err instanceof LoadError)) throw err;
    expect(err.message.length).toBeGreaterThan(0);
  }
}

/** A copy of `bytes` with some bytes flipped, a slice cut or garbage appended. */
const mutated = (bytes: Uint8Array) =>
  fc.oneof(
    fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
      const out = bytes.slice();
      for (const [i, v] of flips) out[i] = v;
      return out;
    }),
    fc.nat(bytes.length).map((n) => bytes.slice(0, n)),
    fc.uint8Array({ maxLength: 64 }).map((tail) => {
      const out = new Uint8Array(bytes.length + tail.length);
      out.set(bytes);
      out.set(tail, bytes.length);
      return out;
    }),
  );

describe(`fuzzing (${RUNS} runs per property)`, () => {
  it('the URL state decoder never throws and re-encodes what it decodes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.webUrl().map((u) => `#${u}`), fc.constantFrom('#map=', '#f=', '#sel=', '#layers=', '#cov=', '#study=', '#pop=', '#date=').chain((k) => fc.string().map((s) => k + s))), (hash) => {
        const s = decodeUrlState(hash);
        // Whatever survives decoding must round-trip.
        expect(decodeUrlState(encodeUrlState(s))).toEqual(s);
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('the URL state decoder keeps a date exactly when it is a real day, and round-trips it', () => {
    const pad = (n: number, w: number): string => String(n).padStart(w, '0');
    fc.assert(
      fc.property(fc.integer({ min: 1800, max: 2300 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.constantFrom('', '&tab=data', 'x', '%00', '&date=1'), (y, m, d, tail) => {
        const date = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
        const s = decodeUrlState(`#date=${date}${tail}`);
        const real = y >= 1900 && y < 2200 && new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === date && m >= 1;
        // A later broken `date=` is dropped like any broken part; the good one stays.
        expect(s.asOf).toBe(real && !['x', '%00'].includes(tail) ? date : undefined);
        expect(decodeUrlState(encodeUrlState(s))).toEqual(s);
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('the analysis a link carries (coverage, study area, popup) is decoded as it was written, or dropped whole', () => {
    const id = fc.string({ minLength: 1, maxLength: 140 });
    const coord = (min: number, max: number) => fc.double({ min, max, noNaN: true });
    const ring = fc.array(fc.tuple(coord(121, 123), coord(29, 31)), { minLength: 3, maxLength: 40 }).map((ps) => [...ps, ps[0]!]);
    const outline = fc.oneof(
      ring.map((r): GeoJSON.Polygon => ({ type: 'Polygon', coordinates: [r] })),
      fc.array(ring, { minLength: 1, maxLength: 3 }).map((rs): GeoJSON.MultiPolygon => ({ type: 'MultiPolygon', coordinates: rs.map((r) => [r]) })),
    );
    const radius = fc.oneof(fc.integer({ min: -10, max: 60_000 }), fc.double({ noNaN: false }));
    const state = fc.record({
      coverage: fc.record({
        kind: fc.constantFrom('parks', 'ebike', 'parking', 'water'),
        parkRules: fc.array(fc.record({ minArea: radius, radius }), { maxLength: 22 }),
        ebikeRadius: radius,
        parkingRadius: radius,
      }),
      study: fc.oneof(
        fc.record({ kind: fc.constantFrom('district', 'cell'), id }),
        outline.map((geometry) => ({ kind: 'polygon', geometry })),
      ),
      popup: fc.record({ layerId: fc.oneof(fc.constantFrom('parks', 'ebike-stations'), fc.string()), featureId: id, lngLat: fc.tuple(coord(-200, 200), coord(-100, 100)) }),
    }, { requiredKeys: [] });
    fc.assert(
      fc.property(state, (s) => {
        const hash = encodeUrlState(s as UrlState);
        const back = decodeUrlState(hash);
        // Whatever was written comes back, and comes back the same on a second trip.
        expect(decodeUrlState(encodeUrlState(back))).toEqual(back);
        if (back.study?.kind === 'district' || back.study?.kind === 'cell') expect(back.study).toEqual(s.study);
        if (back.coverage) expect(back.coverage).toEqual(s.coverage);
        if (back.popup) expect(back.popup.featureId).toBe(s.popup?.featureId);
        // An outline comes back with as many polygons (a multipolygon of one is a polygon).
        const parts = (g: GeoJSON.Polygon | GeoJSON.MultiPolygon): number => (g.type === 'Polygon' ? 1 : g.coordinates.length);
        if (back.study?.kind === 'polygon') expect(parts(back.study.geometry)).toBe(parts((s.study as { geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon }).geometry));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('readFgb on mutated FlatGeobuf gives features or a FormatError', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(plots), async (bytes) => {
        await settles(async () => {
          for await (const _ of readFgb(bytes, { sourceName: 'x.fgb' })) void _;
        });
      }),
      { numRuns: RUNS },
    );
  });

  it.each([
    ['a.geojson', geojson],
    ['a.csv', csv],
    ['a.fgb', plots],
    ['a.kml', new TextEncoder().encode('<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>甲</name><Point><coordinates>122.2,30</coordinates></Point></Placemark></Document></kml>')],
  ])('importFile on mutated %s gives a layer or one of our errors', async (name, bytes) => {
    await fc.assert(
      fc.asyncProperty(mutated(bytes), async (b) => {
        await settles(() => importFile(b, name));
      }),
      { numRuns: RUNS },
    );
  });

  it('the range reader on a mutated file, served by range, gives features or one of our errors', async () => {
    // A server that answers ranges of whatever bytes it holds: a damaged layer on a CDN.
    const serve = (bytes: Uint8Array): typeof fetch => async (_input, init) => {
      const m = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers).get('range') ?? '');
      const start = Number(m?.[1] ?? 0);
      if (start >= bytes.length) return new Response(null, { status: 416 });
      const part = bytes.slice(start, Math.min(Number(m?.[2] ?? bytes.length), bytes.length - 1) + 1);
      return new Response(part, { status: 206, headers: { 'Content-Range': `bytes ${start}-${start + part.length - 1}/${bytes.length}` } });
    };
    await fc.assert(
      fc.asyncProperty(mutated(plots), fc.tuple(fc.double({ min: 121, max: 123, noNaN: true }), fc.double({ min: 29, max: 31, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), async (b, [x, y, r]) => {
        await settles(async () => {
          const reader = await FgbRangeReader.open('http://fuzz/plots.fgb', { fetch: serve(b) });
          reader.estimate({ minX: x, minY: y, maxX: x + r, maxY: y + r });
          reader.overview();
          for await (const batch of reader.query({ minX: x, minY: y, maxX: x + r, maxY: y + r })) expect(Array.isArray(batch)).toBe(true);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('the catalogue parser on mutated and random JSON gives a catalogue or a FormatError', () => {
    const text = readFileSync(join(root, 'data', 'catalogue.json'), 'utf8');
    const json = JSON.parse(text) as Record<string, unknown>;
    const tweak = fc.tuple(fc.constantFrom(...Object.keys(json)), fc.jsonValue()).map(([k, v]) => ({ ...json, [k]: v }));
    fc.assert(
      fc.property(fc.oneof(tweak, fc.jsonValue()), (value) => {
        try {
          parseCatalogue(value);
        } catch (err) {
          if (!(err instanceof LoadError)) throw err;
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('stored settings and study areas, whatever IndexedDB hands back, are read or reported, never thrown', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ v: fc.constant(1), coverageSettings: fc.jsonValue(), label: fc.string(), packed: fc.jsonValue(), layer: fc.jsonValue() }, { requiredKeys: ['v'] })), (raw) => {
        const a = readSettings(raw);
        const b = readStudyArea(raw);
        expect(Array.isArray(a.problems) && Array.isArray(b.problems)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('importFile on random bytes under any name gives one of our errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), fc.constantFrom('x.geojson', 'x.json', 'x.csv', 'x.fgb', 'x.kml', 'x.zip', 'x.txt', 'x'), async (b, name) => {
        await settles(() => importFile(b, name));
      }),
      { numRuns: RUNS },
    );
  });
});
