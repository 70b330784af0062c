/**
 * Online basemaps are opt-in: none is requested by default; choosing OpenStreetMap fetches
 * its tiles (answered here by a stub, the machine has no network), and going back to the
 * offline basemap stops that. The choice is kept in the URL.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, waitForMapReady } from './browser.ts';

const baseUrl = inject('baseUrl');
// A 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('basemap switcher', () => {
  it('requests online tiles only after the user picks an online basemap', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const tiles: string[] = [];
    await page.route('https://tile.openstreetmap.org/**', (route) => {
      tiles.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'image/png', body: PNG });
    });
    await page.goto(baseUrl);
    await waitForMapReady(page);
    expect(tiles).toEqual([]);
    const tianditu = page.locator('zs-basemap-switcher input[value=tianditu]');
    expect(await tianditu.isDisabled()).toBe(true);

    await page.locator('zs-basemap-switcher input[value=osm]').check();
    await expect.poll(() => tiles.length, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/base=osm/);
    expect(await page.locator('zs-basemap-switcher [role=note]').textContent()).toMatch(/第三方|third-party/);

    await page.locator('zs-basemap-switcher input[value=offline]').check();
    await expect.poll(() => page.evaluate(() => location.hash)).not.toMatch(/base=/);
    const hasOnline = await page.evaluate(() => Boolean(window.__zs!.map.getSource('online-basemap')));
    expect(hasOnline).toBe(false);

    // A Tianditu key enables Tianditu, whose tiles carry the key.
    const tdt: string[] = [];
    await page.route('https://*.tianditu.gov.cn/**', (route) => {
      tdt.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'image/png', body: PNG });
    });
    await page.locator('zs-basemap-switcher input[type=text]').fill('test-key-123');
    await page.locator('zs-basemap-switcher input[type=text]').press('Enter');
    await page.locator('zs-basemap-switcher input[type=text]').blur();
    await expect.poll(() => tianditu.isDisabled()).toBe(false);
    await tianditu.check();
    await expect.poll(() => tdt.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(tdt.every((u) => u.includes('tk=test-key-123'))).toBe(true);
    await page.close();
  });
});
