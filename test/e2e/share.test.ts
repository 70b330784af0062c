/**
 * Share, in Chromium: a link copied with the Share button carries the analysis (coverage
 * kind and radius, the picked district) and the open popup, and a fresh page opened on it
 * shows the same settings, the same study area with the same figures, and the popup; where
 * the clipboard refuses, the link is offered selected in a field to copy by hand.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

const studyCounts = (page: Page) => page.locator('zs-analysis-panel #study td[data-count]').evaluateAll((tds) => tds.map((td) => td.closest('tr')!.getAttribute('data-layer') + ':' + td.getAttribute('data-count')));

/** Clicks the e-bike station nearest the map's centre; its id. */
async function clickStation(page: Page): Promise<string> {
  const target = await page.evaluate(() => {
    const { map, store } = window.__zs!;
    const c = map.getCenter();
    const stations = (store.state.data as Record<string, GeoJSON.FeatureCollection>)['ebike-stations']!.features;
    const d = (f: GeoJSON.Feature): number => {
      const [x, y] = (f.geometry as GeoJSON.Point).coordinates as [number, number];
      return (x - c.lng) ** 2 + (y - c.lat) ** 2;
    };
    const f = stations.slice().sort((a, b) => d(a) - d(b))[0]!;
    const p = map.project((f.geometry as GeoJSON.Point).coordinates as [number, number]);
    const r = map.getCanvas().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  });
  await page.mouse.click(target.x, target.y);
  await expect.poll(() => page.evaluate(() => window.__zs!.store.state.selection?.featureId ?? null)).not.toBeNull();
  await expect.poll(() => page.locator('.maplibregl-popup zs-feature-popup').count()).toBe(1);
  return (await page.evaluate(() => window.__zs!.store.state.selection!.featureId));
}

describe('share', () => {
  it('copies a link that reopens the coverage settings, the picked district with its figures, and the popup', async () => {
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseUrl).origin });
    const page = await context.newPage();
    const log = watchPage(page);
    await page.goto(`${baseUrl}#tab=analysis`);
    await waitForMapReady(page);
    const panel = page.locator('zs-analysis-panel');

    // Coverage of e-bike stations, 400 m.
    await panel.locator('input[name=kind][value=ebike]').check();
    await panel.locator('#radius').fill('400');
    await panel.locator('#radius').dispatchEvent('change');
    await expect.poll(() => page.evaluate(() => window.__zs!.store.state.coverageSettings)).toMatchObject({ kind: 'ebike', ebikeRadius: 400 });

    // Picking a district makes it the study area and shows it whole on the map.
    await panel.locator('select').first().selectOption('putuo');
    await expect.poll(() => panel.locator('#study h3').first().textContent()).toContain('普陀区');
    await expect.poll(() => page.evaluate(() => {
      const { store } = window.__zs!;
      const [x, y] = store.state.view.center;
      const ring = JSON.stringify(store.state.studyArea!.feature.geometry.coordinates).match(/-?\d+\.\d+/g)!.map(Number);
      const xs = ring.filter((_, i) => i % 2 === 0);
      const ys = ring.filter((_, i) => i % 2 === 1);
      return x >= Math.min(...xs) && x <= Math.max(...xs) && y >= Math.min(...ys) && y <= Math.max(...ys);
    }), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => studyCounts(page), { timeout: 30_000 }).not.toEqual([]);
    const counts = await studyCounts(page);
    const coverage = await panel.locator('#study td[data-coverage=ebike]').textContent();

    // A popup, then Share.
    const featureId = await clickStation(page);
    const popupName = await page.locator('.maplibregl-popup zs-feature-popup h2').textContent();
    await page.locator('zs-side-panel #share').click();
    await expect.poll(() => page.locator('zs-share-button .bubble').textContent()).toContain('链接已复制');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toContain('cov=ebike~');
    expect(link).toContain('~400~');
    expect(link).toContain('study=d~putuo');
    expect(link).toContain(`pop=ebike-stations~${featureId}~`);
    await page.screenshot({ path: 'test-results/share-copied.png' });

    // A fresh visit on the link.
    const again = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const log2 = watchPage(again);
    await again.goto(link);
    await waitForMapReady(again);
    const panel2 = again.locator('zs-analysis-panel');
    await expect.poll(() => panel2.locator('input[name=kind][value=ebike]').isChecked()).toBe(true);
    expect(await panel2.locator('#radius').inputValue()).toBe('400');
    await expect.poll(() => panel2.locator('#study h3').first().textContent(), { timeout: 30_000 }).toContain('普陀区');
    await expect.poll(() => studyCounts(again), { timeout: 30_000 }).toEqual(counts);
    expect(await panel2.locator('#study td[data-coverage=ebike]').textContent()).toBe(coverage);
    await expect.poll(() => again.locator('.maplibregl-popup zs-feature-popup h2').textContent()).toBe(popupName);
    expect(await again.evaluate(() => window.__zs!.store.state.selection?.featureId)).toBe(featureId);
    expect(log.errors).toEqual([]);
    expect(log2.errors).toEqual([]);
    await again.close();
    await context.close();
  });

  it('offers the link selected in a field where the clipboard refuses, in the public view too', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } });
    });
    await page.goto(`${baseUrl}?view=public`);
    await waitForMapReady(page);
    await page.locator('#panel-toggle').click();
    await page.locator('zs-side-panel #share').click();
    const field = page.locator('zs-share-button input#share-link');
    await expect.poll(() => field.isVisible()).toBe(true);
    const link = new URL(await field.inputValue());
    expect(link.searchParams.get('view')).toBe('public');
    expect(link.hash).toMatch(/^#map=/);
    // Selected, ready to copy.
    expect(await field.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd, el.value.length])).toEqual([0, link.href.length, link.href.length]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.keyboard.press('Escape');
    await expect.poll(() => field.count()).toBe(0);
    await page.close();
  });
});
