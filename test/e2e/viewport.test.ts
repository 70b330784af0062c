/**
 * Large layers read by viewport, in the built app: only the features in view are fetched
 * (HTTP range requests, a small share of the file), panning fetches only what is new, a
 * burst of moves leaves only the last query running, a city-wide view shows density instead
 * of a million features, and the features drawn are clickable like any other.
 *
 * Needs the generated scale layers (`npm run data:large`; `npm test` makes a smaller set
 * when none exists) in the build.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, waitForMapReady, watchPage } from './browser.ts';

const root = join(import.meta.dirname, '..', '..');
const dist = resolve(root, process.env.ZS_DIST ?? 'dist');
const catalogueFile = join(dist, 'catalogue-large.json');
if (!existsSync(catalogueFile)) {
  throw new Error(`${catalogueFile} is missing: run \`npm run data:large\` (npm test makes a small set) and build again`);
}
const catalogue = JSON.parse(readFileSync(catalogueFile, 'utf8')) as { layers: Array<{ id: string; file: string; featureCount: number; bytes: number }> };
const manholes = catalogue.layers.find((l) => l.id === 'manholes')!;
const manholeBytes = statSync(join(dist, manholes.file)).size;

// Xincheng at street zoom: thousands of features of a million-feature file.
const STREET = '#map=16/29.988/122.203&layers=manholes,buildings';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Traffic {
  /** Range requests to .fgb files: URL, Range header, status. */
  ranges: Array<{ url: string; range: string | undefined; status: number; bytes: number }>;
  /** Requests the page dropped (aborted queries). */
  aborted: string[];
  whole: string[];
  /**
   * Resolves once every request seen so far is in the lists above. Recording a request waits
   * for its headers and sizes, which can arrive after the page has finished with it.
   */
  recorded(): Promise<void>;
}

function watchTraffic(page: Page): Traffic {
  const recording = new Map<Request, { done: Promise<void>; finish: () => void }>();
  const t: Traffic = {
    ranges: [],
    aborted: [],
    whole: [],
    recorded: async () => {
      await Promise.all([...recording.values()].map((r) => r.done));
    },
  };
  const large = (r: Request): boolean => r.url().includes('/large/');
  page.on('request', (r) => {
    if (!large(r)) return;
    let finish = (): void => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    recording.set(r, { done, finish });
  });
  page.on('requestfinished', async (r: Request) => {
    if (!large(r)) return;
    try {
      const response = await r.response();
      const sizes = await r.sizes();
      const range = await r.headerValue('range');
      if (!range) t.whole.push(r.url());
      t.ranges.push({ url: r.url(), range: range ?? undefined, status: response?.status() ?? 0, bytes: sizes.responseBodySize });
    } finally {
      recording.get(r)?.finish();
    }
  });
  page.on('requestfailed', (r) => {
    if (!large(r)) return;
    t.aborted.push(r.failure()?.errorText ?? '');
    recording.get(r)?.finish();
  });
  return t;
}

/** How many viewport queries each layer has started so far (its `zs:viewport:<id>:query` marks). */
async function queriesStarted(page: Page, ids: string[]): Promise<Record<string, number>> {
  return page.evaluate((ids) => {
    const names = performance.getEntriesByType('mark').map((m) => m.name);
    return Object.fromEntries(ids.map((id) => [id, names.filter((n) => n === `zs:viewport:${id}:query`).length]));
  }, ids);
}

/**
 * Waits for the queries a move causes: every layer in `before` (its count of queries started
 * then) has started at least `moves` more, and its newest one has finished (a `:done` mark
 * follows its last `:query` mark; a dropped query never marks done) or failed. "Not loading"
 * alone cannot tell a query that has not started yet from one that has finished. Then waits
 * for the map to draw the result and for `traffic` to hold every request made meanwhile.
 */
async function queried(page: Page, traffic: Traffic, before: Record<string, number>, moves = 1): Promise<void> {
  const errors = await page.waitForFunction(({ before, moves }) => {
    const { store } = window.__zs!;
    const names = performance.getEntriesByType('mark').map((m) => m.name);
    const errors: Record<string, string> = {};
    for (const [id, count] of Object.entries(before)) {
      const error = store.state.layers[id]?.error;
      if (error) {
        errors[id] = error;
        continue;
      }
      const mine = names.filter((n) => n === `zs:viewport:${id}:query` || n === `zs:viewport:${id}:done`);
      const started = mine.filter((n) => n.endsWith(':query')).length;
      if (started < count + moves || !mine.at(-1)!.endsWith(':done')) return false;
    }
    return errors;
  }, { before, moves }, { timeout: 60_000 }).then((h) => h.jsonValue());
  expect(errors).toEqual({});
  // The map has drawn what it was given.
  await page.evaluate(() => new Promise<void>((resolve) => {
    const { map } = window.__zs!;
    if (map.loaded()) resolve();
    else map.once('idle', () => resolve());
  }));
  await traffic.recorded();
}

async function openStreet(hash = STREET, base = inject('baseUrl')): Promise<{ page: Page; traffic: Traffic; log: ReturnType<typeof watchPage> }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-GB' });
  const log = watchPage(page);
  const traffic = watchTraffic(page);
  await page.goto(`${base}?catalogue=large${hash}`);
  await waitForMapReady(page);
  await queried(page, traffic, { manholes: 0, buildings: 0 });
  return { page, traffic, log };
}

const sum = (xs: Array<{ bytes: number }>): number => xs.reduce((s, x) => s + x.bytes, 0);

describe('layers read by viewport', () => {
  // The same reading through Vite's preview server and through nginx with the deployed config.
  it.each([['vite preview', 'baseUrl'], ['nginx', 'nginxUrl']] as const)('fetches only the features in a street view, by range requests, and draws them (%s)', async (_, server) => {
    const { page, traffic, log } = await openStreet(STREET, inject(server));
    const state = await page.evaluate(() => {
      const { store, map } = window.__zs!;
      const b = map.getBounds();
      const points = store.state.data.manholes!.features.map((f) => (f.geometry as GeoJSON.Point).coordinates);
      return {
        viewport: store.state.layers.manholes!.viewport!,
        buildings: store.state.layers.buildings!.viewport!,
        outside: points.filter(([x, y]) => !(x! >= b.getWest() && x! <= b.getEast() && y! >= b.getSouth() && y! <= b.getNorth())).length,
        drawn: map.queryRenderedFeatures({ layers: ['manholes-circle'] }).length,
      };
    });
    expect(state.viewport.mode).toBe('features');
    expect(state.viewport.inView).toBeGreaterThan(100);
    expect(state.viewport.inView).toBeLessThan(manholes.featureCount / 10);
    expect(state.buildings.inView).toBeGreaterThan(10);
    // Everything fetched is in view (points: their bbox is the point).
    expect(state.outside).toBe(0);
    expect(state.drawn).toBeGreaterThan(0);
    // Only ranges, never the whole file, and a small share of it.
    expect(traffic.whole).toEqual([]);
    const mh = traffic.ranges.filter((r) => r.url.endsWith('manholes.fgb'));
    expect(mh.length).toBeGreaterThan(1);
    for (const r of mh) expect(r.status).toBe(206);
    expect(sum(mh)).toBeLessThan(manholeBytes / 10);
    expect(log.errors).toEqual([]);
    // The layer list says what the view holds.
    const text = await page.locator('zs-layer-list li[data-layer="manholes"] .viewport').textContent();
    expect(text).toMatch(/in view/);
    await page.close();
  });

  it('panning fetches only the new strip, and a burst of moves leaves one query to finish', async () => {
    const { page, traffic } = await openStreet();
    const before = sum(traffic.ranges);
    const started = await queriesStarted(page, ['manholes', 'buildings']);
    // Moves are made in callbacks that return nothing: `() => map.panBy(...)` hands back the
    // map itself, and Playwright serialises its whole object graph, seconds on a loaded
    // machine, while the query the move started runs and finishes unobserved.
    await page.evaluate(() => {
      window.__zs!.map.panBy([300, 0], { animate: false });
    });
    await queried(page, traffic, started);
    const panned = sum(traffic.ranges) - before;
    // A third of the view is new: well under what the first view cost.
    expect(panned).toBeGreaterThan(0);
    expect(panned).toBeLessThan(before * 0.8);

    // Ten jumps to far-apart places without waiting: every query but the last is dropped.
    const marks = await page.evaluate(async () => {
      const { map } = window.__zs!;
      performance.clearMarks();
      for (let i = 0; i < 10; i++) {
        map.jumpTo({ center: [122.1 + i * 0.02, 29.99 + (i % 3) * 0.02], zoom: 16 });
        await new Promise((r) => setTimeout(r, 15));
      }
      return null;
    });
    expect(marks).toBeNull();
    // The marks were cleared before the jumps: all ten queries of each layer are counted from 0.
    await queried(page, traffic, { manholes: 0, buildings: 0 }, 10);
    const result = await page.evaluate(() => {
      const { store, map } = window.__zs!;
      const names = performance.getEntriesByType('mark').map((m) => m.name);
      const b = map.getBounds();
      const points = store.state.data.manholes!.features.map((f) => (f.geometry as GeoJSON.Point).coordinates);
      return {
        queries: names.filter((n) => n === 'zs:viewport:manholes:query').length,
        done: names.filter((n) => n === 'zs:viewport:manholes:done').length,
        outside: points.filter(([x, y]) => !(x! >= b.getWest() && x! <= b.getEast() && y! >= b.getSouth() && y! <= b.getNorth())).length,
        inView: store.state.layers.manholes!.viewport!.inView,
        error: store.state.layers.manholes!.error,
      };
    });
    expect(result.queries).toBe(10);
    expect(result.done).toBeLessThan(result.queries);
    // What is drawn is the last view's, not a stale one's.
    expect(result.outside).toBe(0);
    expect(result.inView).toBeGreaterThan(0);
    expect(result.error).toBeNull();
    await page.close();
  });

  it('a city-wide view shows density from the index instead of fetching every feature', async () => {
    const { page, traffic } = await openStreet();
    const manholeRanges = (): Array<{ bytes: number }> => traffic.ranges.filter((r) => r.url.endsWith('manholes.fgb'));
    const before = sum(manholeRanges());
    const city = await queriesStarted(page, ['manholes']);
    await page.evaluate(() => {
      window.__zs!.map.jumpTo({ center: [122.15, 30.05], zoom: 9.5 });
    });
    await queried(page, traffic, city);
    const state = await page.evaluate(() => {
      const { store, map } = window.__zs!;
      return {
        viewport: store.state.layers.manholes!.viewport!,
        features: store.state.data.manholes!.features.length,
        heatmap: map.getLayoutProperty('manholes-overview', 'visibility'),
      };
    });
    expect(state.viewport.mode).toBe('overview');
    expect(state.viewport.inView).toBeGreaterThan(60_000);
    expect(state.features).toBe(0);
    expect(state.heatmap).toBe('visible');
    // The overview came from the index top read at start: no new request.
    expect(sum(manholeRanges())).toBe(before);
    expect(await page.locator('zs-layer-list li[data-layer="manholes"] .viewport').getAttribute('data-mode')).toBe('overview');
    // Back to the street: features again, the heatmap hidden.
    const street = await queriesStarted(page, ['manholes']);
    await page.evaluate(() => {
      window.__zs!.map.jumpTo({ center: [122.203, 29.988], zoom: 16 });
    });
    await queried(page, traffic, street);
    expect(await page.evaluate(() => window.__zs!.map.getLayoutProperty('manholes-overview', 'visibility'))).toBe('none');
    await page.close();
  });

  it('a feature read by viewport opens its popup like any other, a hidden layer stops fetching, and one shown again catches up', async () => {
    const { page, traffic } = await openStreet();
    const hit = await page.evaluate(() => {
      const { map } = window.__zs!;
      const f = map.queryRenderedFeatures({ layers: ['manholes-circle'] })[0]!;
      const p = map.project((f.geometry as GeoJSON.Point).coordinates as [number, number]);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y, id: String(f.properties.id) };
    });
    await page.mouse.click(hit.x, hit.y);
    const popup = page.locator('.maplibregl-popup zs-feature-popup');
    await expect.poll(() => popup.count()).toBe(1);
    await expect.poll(() => popup.locator('table').textContent()).toContain(hit.id);
    await page.locator('zs-layer-list li[data-layer="manholes"] input[type="checkbox"]').uncheck();
    await page.locator('zs-layer-list li[data-layer="buildings"] input[type="checkbox"]').uncheck();
    await traffic.recorded();
    const before = traffic.ranges.length;
    const hidden = await queriesStarted(page, ['manholes', 'buildings']);
    await page.evaluate(async () => {
      const zs = window.__zs!;
      zs.map.panBy([600, 300], { animate: false });
      await Promise.all([...zs.viewportLoaders.values()].map((l) => l.settled));
    });
    // Showing manholes again queries the panned view: once that query is done, anything the
    // pan had started would have been seen too, so no waiting for a quiet moment.
    await page.locator('zs-layer-list li[data-layer="manholes"] input[type="checkbox"]').check();
    await queried(page, traffic, { manholes: hidden.manholes! });
    // One query since the layers were hidden, the one showing manholes again started.
    expect(await queriesStarted(page, ['manholes', 'buildings'])).toEqual({ manholes: hidden.manholes! + 1, buildings: hidden.buildings });
    const since = traffic.ranges.slice(before);
    expect(since.filter((r) => r.url.endsWith('buildings.fgb'))).toEqual([]);
    expect(since.filter((r) => r.url.endsWith('manholes.fgb')).length).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.__zs!.store.state.layers.manholes!.viewport!.inView)).toBeGreaterThan(0);
    await page.close();
  });
});
