/**
 * Staff tools in Chromium: filters reach the map (zoom to and emphasise what they let
 * through) and every view that counts says it is filtered; import and export live in a Data
 * tab whose export scope follows the pick or the filter and shows each scope's count; a file
 * dropped on the map while another tab is open still shows its job on the job line; layers
 * can be reordered and made translucent, and that is kept for the next visit.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, showTab, waitForMapReady, watchPage, type PageLog } from './browser.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function open(context: BrowserContext, hash = ''): Promise<{ page: Page; log: PageLog }> {
  const page = await context.newPage();
  const log = watchPage(page);
  await page.goto(`${baseUrl}${hash}`);
  await waitForMapReady(page);
  return { page, log };
}

const newContext = (locale = 'zh-CN'): Promise<BrowserContext> => browser.newContext({ viewport: { width: 1440, height: 900 }, locale, acceptDownloads: true });

/** Resolves on the map's next settled view. */
const moved = (page: Page) => page.evaluate(() => new Promise<void>((r) => window.__zs!.map.once('moveend', () => r())));

describe('staff tools', () => {
  it('zooms to and emphasises the filtered features, and says the figures are filtered', async () => {
    const context = await newContext();
    const { page, log } = await open(context);
    const row = page.locator('li[data-layer="idle-plots"]');
    await row.locator('button[data-action=filter]').click();
    await row.locator('zs-filter-editor input[data-field=status][data-value=in_progress]').uncheck();
    const banner = page.locator('zs-side-panel > .zs-filtered');
    await expect.poll(() => banner.textContent()).toContain('闲置地块');
    // The whole town view first, so the zoom has somewhere to go.
    await page.evaluate(() => window.__zs!.map.jumpTo({ center: [122.2, 30.0], zoom: 10 }));
    const settled = moved(page);
    await row.locator('button[data-action=filter-zoom]').click();
    await settled;
    const check = await page.evaluate(() => {
      const { store, map } = window.__zs!;
      const shown = store.state.data['idle-plots']!.features.filter((f) => f.properties!.status === 'finished');
      const b = map.getBounds();
      const inside = shown.every((f) => {
        const ring = (f.geometry as GeoJSON.Polygon).coordinates[0]!;
        return ring.every(([x, y]) => b.contains([x!, y!]));
      });
      return { highlighted: store.state.highlight?.ids.length, inside, zoom: map.getZoom(), filter: JSON.stringify(map.getFilter('idle-plots-selected')), first: String(shown[0]!.properties!.id) };
    });
    expect(check.highlighted).toBe(52);
    expect(check.inside).toBe(true);
    expect(check.zoom).toBeGreaterThan(10);
    expect(check.filter).toContain(JSON.stringify(check.first));
    // The dashboard marks the figures that follow the filter.
    await showTab(page, 'dashboard');
    await page.locator('zs-dashboard-panel [data-filtered="idle-plots"]').waitFor();
    expect(await page.locator('zs-side-panel > .zs-filtered').count()).toBe(1);
    await page.locator('zs-side-panel > .zs-filtered button').click();
    await expect.poll(() => page.locator('zs-side-panel > .zs-filtered').count()).toBe(0);
    expect(await page.evaluate(() => window.__zs!.store.state.highlight)).toBeNull();
    expect(log.errors).toEqual([]);
    await context.close();
  });

  it('keeps import and export in a Data tab whose scope follows the pick and the filter, with counts', async () => {
    const context = await newContext('en-US');
    const { page, log } = await open(context);
    // Nothing picked or filtered: the whole layer.
    await showTab(page, 'data');
    const scope = page.locator('zs-data-io-panel #export-scope');
    expect(await scope.inputValue()).toBe('layer');
    expect(await scope.locator('option[value=layer]').textContent()).toMatch(/\(58\)$/);
    // A filter on parks: the parks layer, filtered.
    await showTab(page, 'layers');
    const parks = page.locator('li[data-layer="parks"]');
    await parks.locator('button[data-action=filter]').click();
    await parks.locator('zs-filter-editor input[data-field=status][data-value=existing]').uncheck();
    await showTab(page, 'data');
    await expect.poll(() => scope.inputValue()).toBe('filtered');
    expect(await page.locator('zs-data-io-panel #export-layer').inputValue()).toBe('parks');
    const counts = await page.evaluate(() => {
      const d = window.__zs!.store.state.data.parks!.features;
      return { all: d.length, shown: d.filter((f) => f.properties!.status !== 'existing').length };
    });
    expect(await scope.locator('option[value=filtered]').textContent()).toContain(`(${counts.shown})`);
    expect(await scope.locator('option[value=view]').textContent()).toMatch(/\(about \d+\)/);
    // A pick wins: its layer and its count.
    await page.evaluate(() => {
      const { store } = window.__zs!;
      const [a, b] = store.state.data['ebike-stations']!.features;
      store.pick('ebike-stations', [String(a!.properties!.id), String(b!.properties!.id)]);
    });
    await expect.poll(() => scope.inputValue()).toBe('picked');
    expect(await scope.locator('option[value=picked]').textContent()).toContain('(2)');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('zs-data-io-panel #export-run').click()]);
    expect(dl.suggestedFilename()).toMatch(/^ebike-stations_/);
    await expect.poll(() => page.locator('zs-data-io-panel #export-status').textContent()).toContain('(2 features)');
    expect(log.errors).toEqual([]);
    await context.close();
  });

  it('shows a file dropped on the map on the job line, whatever tab is open', async () => {
    const context = await newContext();
    const { page, log } = await open(context);
    await showTab(page, 'analysis');
    await page.evaluate(() => {
      const text = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'a' }, geometry: { type: 'Point', coordinates: [122.2, 30] } }] });
      const data = new DataTransfer();
      data.items.add(new File([text], '测点.geojson', { type: 'application/geo+json' }));
      const target = document.querySelector('#map')!;
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    const line = page.locator('zs-job-status p[data-job=import]');
    await expect.poll(() => line.getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    expect(await line.textContent()).toContain('测点.geojson');
    await line.locator('button[data-dismiss=import]').click();
    await expect.poll(() => line.count()).toBe(0);
    expect(log.errors).toEqual([]);
    await context.close();
  });

  it('reorders layers and makes them translucent on the map, and keeps that for the next visit', async () => {
    const context = await newContext();
    const { page, log } = await open(context);
    const styleIndex = (id: string) => page.evaluate((layer) => window.__zs!.map.getStyle().layers.findIndex((l) => l.id === layer), id);
    // E-bike stations are drawn over the waterlogging points (the list's order: points of the
    // programme in catalogue order); moving waterlogging below them changes nothing, so move
    // e-bike stations up twice, over parking and car parks, then check it is over waterlogging.
    const names = () => page.locator('zs-layer-list li[data-layer]').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-layer')));
    const before = await names();
    const i = before.indexOf('ebike-stations');
    await page.locator('li[data-layer="ebike-stations"] button[data-action=up]').click();
    await expect.poll(async () => (await names()).indexOf('ebike-stations')).toBe(i - 1);
    // Moved over the layer above it in the list; on the map too.
    const above = before[i - 1]!;
    const ours = await styleIndex('ebike-stations-circle');
    const theirs = await page.evaluate((id) => window.__zs!.map.getStyle().layers.filter((l) => 'source' in l && l.source === `layer-${id}`).map((l) => l.id), above);
    for (const id of theirs) expect(ours).toBeGreaterThan(await styleIndex(id));

    const slider = page.locator('li[data-layer="ebike-stations"] input[data-action=opacity]');
    await slider.fill('40');
    await expect.poll(() => page.evaluate(() => window.__zs!.map.getPaintProperty('ebike-stations-circle', 'circle-opacity'))).toBeCloseTo(0.4, 5);
    await page.evaluate(() => window.__zs!.session!.flush());

    await page.reload();
    await waitForMapReady(page);
    await expect.poll(async () => (await names()).indexOf('ebike-stations')).toBe(i - 1);
    await expect.poll(() => page.evaluate(() => window.__zs!.map.getPaintProperty('ebike-stations-circle', 'circle-opacity'))).toBeCloseTo(0.4, 5);
    expect(await slider.inputValue()).toBe('40');
    expect(log.errors).toEqual([]);
    await context.close();
  });
});
