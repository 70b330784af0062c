import type { FeatureCollection, Point } from 'geojson';
import { describe, expect, it, vi } from 'vitest';
import { CrsError, FormatError, LoadError } from './errors.ts';
import { writeFgb } from './fgb/write-fgb.ts';
import { loadFgbLayer } from './load-fgb-layer.ts';

const points = (coords: [number, number][]): FeatureCollection<Point> => ({
  type: 'FeatureCollection',
  features: coords.map((c, i) => ({ type: 'Feature', properties: { id: `p${i}`, name: `点${i}` }, geometry: { type: 'Point', coordinates: c } })),
});

/** A fetch that answers with these bytes, streamed in small chunks like a slow network. */
function fakeFetch(body: Uint8Array | null, status = 200): typeof fetch {
  return vi.fn(async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        if (body) for (let i = 0; i < body.length; i += 64) controller.enqueue(body.slice(i, i + 64));
        controller.close();
      },
    });
    return new Response(status === 200 ? stream : 'nope', { status, headers: body ? { 'content-length': String(body.length) } : {} });
  });
}

describe('loadFgbLayer', () => {
  const good = writeFgb(points([[122.2, 30], [122.3, 29.95], [122.1, 30.02]]));

  it('loads every feature with its properties and reports progress up to 1', async () => {
    const progress: (number | null)[] = [];
    const r = await loadFgbLayer('http://x/layers/a.fgb', { fetch: fakeFetch(good), onProgress: (p) => progress.push(p) });
    expect(r.data.features).toHaveLength(3);
    expect(r.data.features.map((f) => f.properties!.name as string).sort()).toEqual(['点0', '点1', '点2']);
    expect(r.crs).toBe('EPSG:4326');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(1);
  });

  it('reprojects a file in CGCS2000 Gauss–Krüger (EPSG:4550) to longitude/latitude', async () => {
    // Xincheng: 122.203 E 29.988 N is E 423,089.93 N 3,319,050.54 in EPSG:4550 (proj4).
    const bytes = writeFgb(points([[423089.934, 3319050.544]]), { crs: { org: 'EPSG', code: 4550 } });
    const r = await loadFgbLayer('http://x/gk.fgb', { fetch: fakeFetch(bytes) });
    const [lon, lat] = (r.data.features[0]!.geometry as Point).coordinates;
    expect(r.crs).toBe('EPSG:4550');
    expect(lon).toBeCloseTo(122.203, 7);
    expect(lat).toBeCloseTo(29.988, 7);
  });

  it('skips features with unusable coordinates, counts them and keeps the rest', async () => {
    const bytes = writeFgb(points([[122.2, 30], [500, 30], [122.3, 29.9]]));
    const r = await loadFgbLayer('http://x/b.fgb', { fetch: fakeFetch(bytes) });
    expect(r.data.features).toHaveLength(2);
    expect(r.skipped).toBe(1);
    expect(r.firstProblem).toMatch(/outside longitude\/latitude range/);
  });

  it.each([
    ['wrong magic bytes', new TextEncoder().encode('{"type":"FeatureCollection"}'), FormatError, /c\.fgb is not a FlatGeobuf file/],
    ['a truncated file', good.slice(0, good.length - 30), FormatError, /c\.fgb is truncated/],
    ['an empty file', new Uint8Array(0), FormatError, /c\.fgb is empty/],
  ])('rejects %s with a message naming the file', async (_, bytes, type, message) => {
    const err = await loadFgbLayer('http://x/c.fgb', { fetch: fakeFetch(bytes) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toMatch(message);
  });

  it('rejects an unknown coordinate system', async () => {
    const bytes = writeFgb(points([[1, 2]]), { crs: { org: 'EPSG', code: 32651 } });
    const err = await loadFgbLayer('http://x/utm.fgb', { fetch: fakeFetch(bytes) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrsError);
    expect((err as Error).message).toMatch(/utm\.fgb uses coordinate system EPSG:32651/);
  });

  it('reports HTTP errors and network failures as LoadError', async () => {
    await expect(loadFgbLayer('http://x/missing.fgb', { fetch: fakeFetch(null, 404) })).rejects.toThrow(/missing\.fgb could not be loaded \(HTTP 404: file not found\)/);
    const failing = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    const err = await loadFgbLayer('http://x/d.fgb', { fetch: failing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    expect((err as Error).message).toMatch(/d\.fgb could not be downloaded: Failed to fetch/);
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const abortingFetch = vi.fn(async (_u: string, init?: RequestInit) => {
      init?.signal?.throwIfAborted();
      return new Response(new Uint8Array(good));
    }) as unknown as typeof fetch;
    await expect(loadFgbLayer('http://x/e.fgb', { fetch: abortingFetch, signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
