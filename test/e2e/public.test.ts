/**
 * The views for residents, in Chromium: the public view gives the programme's own figures
 * with their units (the report's 369 and 456 berths, not the 30 + 30 curb segments they
 * are drawn as), in Chinese and English; the embed view lets the host page scroll past it,
 * and carries a compact legend, the title and a link to the full map.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeUrlState } from '../../src/app/url-state.ts';
import { launchBrowser, waitForMapReady, watchPage } from './browser.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function open(path: string, viewport: { width: number; height: number }, locale: string): Promise<{ page: Page; log: ReturnType<typeof watchPage> }> {
  const page = await browser.newPage({ viewport, locale });
  const log = watchPage(page);
  await page.goto(`${baseUrl}${path}`);
  await waitForMapReady(page);
  return { page, log };
}

describe('public view', () => {
  it.each([
    ['zh-CN', { berthsNew: '369 个', berthsRearranged: '456 个', stations: '320 个', plots: '52 / 58 块', parks: '3 / 6 个', rubbish: '143.3 吨' }],
    ['en-US', { berthsNew: '369 berths', berthsRearranged: '456 berths', stations: '320 stations', plots: '52 of 58 plots', parks: '3 of 6 parks', rubbish: '143.3 t' }],
  ])('gives the programme’s figures with their units (%s)', async (locale, want) => {
    const { page, log } = await open('?view=public', { width: 390, height: 844 }, locale);
    await page.locator('#panel-toggle').click();
    const summary = page.locator('zs-public-summary');
    const figure = (id: string) => summary.locator(`li[data-metric="${id}"] .value`);
    await expect.poll(() => figure('berths-new').textContent(), { timeout: 20_000 }).toBe(want.berthsNew);
    expect(await figure('berths-rearranged').textContent()).toBe(want.berthsRearranged);
    expect(await figure('ebike-stations').textContent()).toBe(want.stations);
    expect(await figure('plots-finished').textContent()).toBe(want.plots);
    expect(await figure('park-upgrades').textContent()).toBe(want.parks);
    expect(await figure('plots-rubbish').textContent()).toBe(want.rubbish);
    // The berths are drawn as 30 + 30 curb segments; no segment count is offered as a figure.
    const berths = await summary.locator('article[data-layer="parking-berths"]').textContent();
    expect(berths).not.toMatch(/\b30\b/);
    // Where the classes are the stages of reported progress, they are counted in the same noun.
    const plots = await summary.locator('article[data-layer="idle-plots"] .counts').textContent();
    expect(plots?.replace(/\s+/g, ' ')).toContain(locale === 'zh-CN' ? '6 块' : '6 plots');
    expect(log.errors).toEqual([]);
    await page.close();
  });
});

describe('embed view', () => {
  it('in another site’s iframe: the wheel scrolls the host page, not the map; Ctrl + wheel zooms; title, legend and a link to the full map at the same view', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const log = watchPage(page);
    const src = `${baseUrl}?embed=1#map=12.00/29.99500/122.20000`;
    await page.setContent(`<!doctype html><html><body style="margin:0"><h1>Host page</h1>
      <iframe title="map" src="${src}" style="width:800px;height:500px;border:0"></iframe>
      <div style="height:3000px">More of the host page</div></body></html>`);
    const frame = (await (await page.waitForSelector('iframe')).contentFrame())!;
    await frame.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 60_000 });
    const zoom = () => frame.evaluate(() => window.__zs!.map.getZoom());
    const before = await zoom();
    // MapLibre says when cooperative gestures kept a gesture from the map.
    await frame.evaluate(() => {
      const w = window as Window & { prevented?: number };
      w.prevented = 0;
      window.__zs!.map.on('cooperativegestureprevented', () => (w.prevented = (w.prevented ?? 0) + 1));
    });
    const box = (await page.locator('iframe').boundingBox())!;
    // Over the map, clear of the card at its top left.
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.6);
    await page.mouse.wheel(0, 300);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await expect.poll(() => frame.evaluate(() => (window as Window & { prevented?: number }).prevented)).toBeGreaterThan(0);
    expect(await frame.evaluate(() => window.__zs!.map.isZooming())).toBe(false);
    expect(await zoom()).toBe(before);
    // With Ctrl held the wheel is the map's.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.6);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await expect.poll(zoom).toBeGreaterThan(before);

    const card = frame.locator('zs-embed-card');
    await expect.poll(() => card.isVisible()).toBe(true);
    expect(await card.locator('h1').textContent()).toBe('舟山城市治理一张图');
    const legend = (await card.locator('details').textContent()) ?? '';
    for (const text of ['闲置地块', '提质优化完成', '整治中', '停车泊位', '新增收费泊位', '共享电单车停放点']) expect(legend).toContain(text);
    const link = card.locator('a#open-full');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toContain('noopener');
    // The link follows the map: the same view, in the residents' view.
    await expect.poll(async () => decodeUrlState(new URL((await link.getAttribute('href'))!).hash).view?.zoom).toBe(await frame.evaluate(() => window.__zs!.store.state.view.zoom));
    const href = new URL((await link.getAttribute('href'))!);
    expect(href.searchParams.get('view')).toBe('public');
    expect(href.searchParams.has('embed')).toBe(false);
    const view = await frame.evaluate(() => window.__zs!.store.state.view);
    expect(decodeUrlState(href.hash).view?.center).toEqual([Number(view.center[0].toFixed(5)), Number(view.center[1].toFixed(5))]);
    // The demo-data notice stays in view beside the card.
    expect(await frame.locator('#demo-badge').isVisible()).toBe(true);
    const badge = (await frame.locator('#demo-badge').boundingBox())!;
    const cardBox = (await card.boundingBox())!;
    expect(cardBox.x + cardBox.width).toBeLessThan(badge.x);
    expect(log.errors).toEqual([]);
    await page.close();
  });
});
