/**
 * The built app in real headless Chromium: every layer reaches the map with the
 * catalogue's count, nothing leaves the origin, clicks open popups, the hash restores the
 * view, a broken layer reports itself while the rest render, and screenshots for review.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeoJSONSource } from 'maplibre-gl';
import type { Browser, Page } from 'playwright-core';
import type { Feature, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { writeFgb } from '../../src/data/fgb/write-fgb.ts';
import { readFgb } from '../../src/data/fgb/read-fgb.ts';
import { launchBrowser, waitForMapReady, watchPage } from './browser.ts';

const root = join(import.meta.dirname, '..', '..');
const results = join(root, 'test-results');
const catalogue = JSON.parse(readFileSync(join(root, 'data', 'catalogue.json'), 'utf8')) as {
  layers: { id: string; file: string; featureCount: number; name: { zh: string; en: string } }[];
};
const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  mkdirSync(results, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function openPage(hash = '', viewport = { width: 1366, height: 768 }): Promise<{ page: Page; log: ReturnType<typeof watchPage> }> {
  const page = await browser.newPage({ viewport, locale: 'zh-CN' });
  const log = watchPage(page);
  await page.goto(`${baseUrl}${hash}`);
  await waitForMapReady(page);
  return { page, log };
}

/** Feature counts of every thematic source, as MapLibre holds them. */
async function sourceCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async (ids) => {
    const { map } = window.__zs!;
    const out: Record<string, number> = {};
    for (const id of ids) {
      const src = map.getSource<GeoJSONSource>(`layer-${id}`);
      const data = src ? ((await src.getData()) as GeoJSON.FeatureCollection) : null;
      out[id] = data ? data.features.length : -1;
    }
    return out;
  }, catalogue.layers.map((l) => l.id));
}

async function firstFeature(file: string): Promise<Feature> {
  for await (const f of readFgb(new Uint8Array(readFileSync(join(root, 'data', file))))) return f;
  throw new Error(`${file} is empty`);
}

describe('the map in Chromium', () => {
  it('draws every catalogue layer with its feature count, with no console errors and no request off the origin', async () => {
    const { page, log } = await openPage();
    const counts = await sourceCounts(page);
    for (const l of catalogue.layers) expect(counts[l.id], l.id).toBe(l.featureCount);
    for (const l of catalogue.layers) {
      await expect.poll(() => page.locator(`li[data-layer="${l.id}"] .state`).getAttribute('data-count')).toBe(String(l.featureCount));
    }
    const timing = await page.evaluate(() => {
      const drawn = performance.getEntriesByName('zs:layers-drawn')[0];
      const loaded = performance.getEntriesByName('zs:layers-loaded')[0];
      return { layersLoadedMs: Math.round(loaded?.startTime ?? -1), layersDrawnMs: Math.round(drawn?.startTime ?? -1) };
    });
    writeFileSync(join(results, 'timing.json'), `${JSON.stringify(timing, null, 2)}\n`);
    console.log(`page load → all layers drawn: ${timing.layersDrawnMs} ms (loaded ${timing.layersLoadedMs} ms)`);
    expect(timing.layersDrawnMs).toBeGreaterThan(0);
    expect(log.errors).toEqual([]);
    const origin = new URL(baseUrl).origin;
    expect(log.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
    await page.close();
  });

  it('shows the demo-data notice and the OpenStreetMap attribution', async () => {
    const { page } = await openPage();
    await expect.poll(() => page.locator('#demo-notice').textContent()).toMatch(/演示数据/);
    await expect.poll(() => page.locator('.maplibregl-ctrl-attrib').textContent()).toMatch(/OpenStreetMap contributors/);
    await expect.poll(() => page.locator('.maplibregl-ctrl-scale').count()).toBe(1);
    await page.close();
  });

  it('opens a popup with the catalogue’s labels when a known feature is clicked', async () => {
    const plot = (await firstFeature('layers/idle-plots.fgb')) as Feature<Polygon>;
    const ring = plot.geometry.coordinates[0]!;
    const lon = ring.slice(0, 4).reduce((s, p) => s + p[0]!, 0) / 4;
    const lat = ring.slice(0, 4).reduce((s, p) => s + p[1]!, 0) / 4;
    const { page } = await openPage(`#map=17.5/${lat.toFixed(6)}/${lon.toFixed(6)}&layers=idle-plots`);
    const xy = await page.evaluate(([x, y]) => {
      const { map } = window.__zs!;
      const p = map.project([x!, y!]);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }, [lon, lat]);
    await page.mouse.click(xy.x, xy.y);
    const popup = page.locator('.maplibregl-popup zs-feature-popup');
    await expect.poll(() => popup.count()).toBe(1);
    const text = await popup.locator('h2').textContent();
    expect(text).toBe(String(plot.properties!.name));
    await expect.poll(() => popup.locator('table').textContent()).toMatch(/清理垃圾/);
    expect(await popup.locator('table').textContent()).toContain(String(plot.properties!.id));
    await page.close();
  });

  it('restores the view and the visible layers from the URL hash after a reload', async () => {
    const { page } = await openPage('#map=15.25/29.99500/122.20500&layers=parks,waterlogging');
    const read = () =>
      page.evaluate(() => {
        const { map, store } = window.__zs!;
        const c = map.getCenter();
        const visible = Object.entries(store.state.layers).filter(([, l]) => l.visible).map(([id]) => id).sort();
        return { zoom: map.getZoom(), lng: c.lng, lat: c.lat, visible, parks: map.getLayoutProperty('parks-fill', 'visibility'), plots: map.getLayoutProperty('idle-plots-fill', 'visibility') };
      });
    const first = await read();
    expect(first.zoom).toBeCloseTo(15.25, 2);
    expect(first.visible).toEqual(['parks', 'waterlogging']);
    expect(first.plots).toBe('none');
    // Move the map: the hash follows, and a reload comes back to the same place.
    await page.evaluate(() => window.__zs!.map.jumpTo({ center: [122.1, 30.02], zoom: 13.5 }));
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#map=13\.50\/30\.02000\/122\.10000&layers=waterlogging,parks$/);
    await page.reload();
    await waitForMapReady(page);
    const second = await read();
    expect(second.zoom).toBeCloseTo(13.5, 2);
    expect(second.lng).toBeCloseTo(122.1, 4);
    expect(second.lat).toBeCloseTo(30.02, 4);
    expect(second.visible).toEqual(['parks', 'waterlogging']);
    await page.close();
  });

  it('hides a layer when its toggle is unchecked and puts that in the hash', async () => {
    const { page } = await openPage();
    await page.locator('li[data-layer="waterlogging"] input[type=checkbox]').uncheck();
    await expect.poll(() => page.evaluate(() => window.__zs!.map.getLayoutProperty('waterlogging-circle', 'visibility'))).toBe('none');
    await expect.poll(() => page.evaluate(() => location.hash)).not.toMatch(/waterlogging/);
    await page.close();
  });

  it.each([
    ['corrupt bytes', () => ({ status: 200, body: Buffer.from('this is not a flatgeobuf file at all') }), /parks\.fgb is not a FlatGeobuf file/],
    ['a missing file', () => ({ status: 404, body: 'not found' }), /parks\.fgb could not be loaded \(HTTP 404: file not found\)/],
    ['a truncated file', () => ({ status: 200, body: Buffer.from(readFileSync(join(root, 'data/layers/parks.fgb')).subarray(0, 9000)) }), /parks\.fgb is (truncated|damaged)/],
    ['an unknown coordinate system', () => {
      const fc = { type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, properties: { id: 'x' }, geometry: { type: 'Point' as const, coordinates: [500000, 3300000] } }] };
      return { status: 200, body: Buffer.from(writeFgb(fc, { crs: { org: 'EPSG', code: 32651 } })) };
    }, /parks\.fgb uses coordinate system EPSG:32651/],
  ])('reports %s in the layer list while every other layer renders', async (_, respond, message) => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.route('**/layers/parks.fgb', (route) => route.fulfill({ ...respond(), contentType: 'application/octet-stream' }));
    await page.goto(baseUrl);
    await waitForMapReady(page);
    const row = page.locator('li[data-layer="parks"]');
    await expect.poll(() => row.getAttribute('data-status')).toBe('error');
    expect(await row.locator('[role=alert]').textContent()).toMatch(message);
    const counts = await sourceCounts(page);
    for (const l of catalogue.layers) expect(counts[l.id], l.id).toBe(l.id === 'parks' ? 0 : l.featureCount);
    await page.close();
  });

  it.each([
    [1366, 768, 'desktop'],
    [390, 844, 'phone'],
  ])('renders at %d×%d (screenshot saved)', async (width, height, name) => {
    const { page } = await openPage('', { width, height });
    const path = join(results, `map-${name}-${width}x${height}.png`);
    await page.screenshot({ path });
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(width);
    // The demo notice is on screen on every size.
    expect(await page.locator('#demo-badge').isVisible()).toBe(true);
    await page.close();
  });
});
