/**
 * The views for residents, in Chromium: the public view gives the programme's own figures
 * with their units (the report's 369 and 456 berths, not the 30 + 30 curb segments they
 * are drawn as), in Chinese and English; the embed view lets the host page scroll past it,
 * and carries a compact legend, the title and a link to the full map.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
