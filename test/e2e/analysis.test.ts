/**
 * Analysis in the browser: the dashboard shows the report's figures computed from the
 * data; coverage runs in the worker and equals the same computation in Node; changing a
 * radius updates it without a reload; a drawn study area gets its counts in the panel.
 */
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serviceCoverage } from '../../src/analysis/coverage/coverage.ts';
import { DEFAULT_PARK_RADIUS_RULES, parkRadiusFn } from '../../src/analysis/coverage/park-radius.ts';
import { featuresInArea } from '../../src/analysis/in-area.ts';
import { readLayer } from '../../src/analysis/coverage/test/support.ts';
import { launchBrowser, waitForMapReady, watchPage } from './browser.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function open(hash = ''): Promise<{ page: Page; log: ReturnType<typeof watchPage> }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const log = watchPage(page);
  await page.goto(`${baseUrl}${hash}`);
  await waitForMapReady(page);
  return { page, log };
}

describe('analysis in Chromium', () => {
  it('shows the programme figures computed from the data on the dashboard', async () => {
    const { page, log } = await open();
    await page.locator('[role=tab]#tab-dashboard').click();
    const value = (id: string) => page.locator(`li[data-metric="${id}"] .value`).textContent();
    await expect.poll(() => value('plots-finished')).toBe('52 / 58');
    expect(await value('park-upgrades')).toBe('3 / 6');
    expect(await value('berths-new')).toBe('369 个');
    expect(await value('ebike-stations')).toBe('320 个');
    expect(await value('shared-green')).toBe('3.55 公顷');
    expect(await value('ponding-remediation')).toBe('50%');
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('computes park coverage in the worker, equal to the same computation in Node, and updates when a radius changes', async () => {
    const [communities, parks, grid, ebikes] = await Promise.all([readLayer('communities'), readLayer('parks'), readLayer('grid-cells'), readLayer('ebike-stations')]);
    const zones = grid.features as Feature<Polygon | MultiPolygon>[];
    const expected = serviceCoverage(communities, parks, { radius: parkRadiusFn(DEFAULT_PARK_RADIUS_RULES), zones });
    const { page, log } = await open();
    await page.locator('[role=tab]#tab-analysis').click();
    const share = page.locator('#city-share');
    await expect.poll(() => share.getAttribute('data-share'), { timeout: 30_000 }).not.toBeNull();
    expect(Number(await share.getAttribute('data-share'))).toBeCloseTo(expected.total.share, 6);
    // The grid choropleth and the covered land are on the map.
    await expect.poll(() => page.evaluate(() => window.__zs!.map.getLayoutProperty('analysis-grid-fill', 'visibility'))).toBe('visible');

    // E-bike coverage at 300 m, then 500 m: no reload, a larger share.
    await page.locator('zs-analysis-panel input[value=ebike]').check();
    const e300 = serviceCoverage(communities, ebikes, { radius: 300 }).total.share;
    await expect.poll(async () => Number(await share.getAttribute('data-share')), { timeout: 30_000 }).toBeCloseTo(e300, 6);
    await page.locator('zs-analysis-panel #radius').fill('500');
    await page.locator('zs-analysis-panel #radius').press('Enter');
    const e500 = serviceCoverage(communities, ebikes, { radius: 500 }).total.share;
    expect(e500).toBeGreaterThan(e300);
    await expect.poll(async () => Number(await share.getAttribute('data-share')), { timeout: 30_000 }).toBeCloseTo(e500, 6);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('draws a study area and reads its counts from the panel', async () => {
    const { page, log } = await open('#map=14.5/29.99600/122.20500');
    await page.locator('[role=tab]#tab-analysis').click();
    await page.locator('zs-analysis-panel button[data-tool=draw-area]').click();
    await page.waitForSelector('#map[data-draw-mode=polygon]');
    const box = (await page.locator('#map canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const corners: [number, number][] = [[cx - 200, cy - 150], [cx + 200, cy - 150], [cx + 200, cy + 150], [cx - 200, cy + 150]];
    for (const [x, y] of corners) {
      await page.mouse.click(x, y);
      await page.waitForTimeout(150);
    }
    await page.mouse.click(corners[0]![0], corners[0]![1]);
    const study = page.locator('zs-analysis-panel #study');
    await expect.poll(() => study.locator('tr[data-layer="communities"] td[data-count]').count(), { timeout: 30_000 }).toBe(1);
    // The same polygon, measured in Node, gives the same counts (floating-point differences between
    // the engines stay far below a feature).
    const area = (await page.evaluate(() => window.__zs!.store.state.studyArea!.feature)) as Feature<Polygon>;
    expect(area.geometry.type).toBe('Polygon');
    for (const id of ['communities', 'ebike-stations', 'waterlogging', 'parks']) {
      const expected = featuresInArea(await readLayer(id), area).count;
      expect(Number(await study.locator(`tr[data-layer="${id}"] td[data-count]`).getAttribute('data-count')), id).toBe(expected);
    }
    expect(Number(await study.locator('tr[data-layer="communities"] td[data-count]').getAttribute('data-count'))).toBeGreaterThan(0);
    await expect.poll(() => study.locator('td[data-coverage=parks]').textContent()).toMatch(/%$/);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('measures a distance on the map', async () => {
    const { page } = await open('#map=15/29.99600/122.20500');
    await page.locator('[role=tab]#tab-analysis').click();
    await page.locator('zs-analysis-panel button[data-tool=measure-line]').click();
    await page.waitForSelector('#map[data-draw-mode=linestring]');
    const box = (await page.locator('#map canvas').boundingBox())!;
    const y = box.y + box.height / 2;
    const a = box.x + box.width / 2 - 150;
    const b = box.x + box.width / 2 + 150;
    const measurement = page.locator('zs-analysis-panel #measurement');
    await page.mouse.click(a, y);
    // The running total follows the pointer: once it shows a length, the first point is placed.
    await page.mouse.move(b, y, { steps: 5 });
    await expect.poll(async () => Number(await measurement.getAttribute('data-value', { timeout: 20_000 })), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.mouse.click(b, y);
    await page.mouse.click(b, y);
    // Wait for the finished measurement, not for the sketch drawn while the line is open.
    await page.waitForSelector('zs-analysis-panel #measurement[data-drawing=false]', { timeout: 20_000 });
    const expected = await page.evaluate(([x1, x2, yy]) => {
      const { map } = window.__zs!;
      const r = map.getCanvas().getBoundingClientRect();
      const p = map.unproject([x1! - r.left, yy! - r.top]);
      const q = map.unproject([x2! - r.left, yy! - r.top]);
      return p.distanceTo(q);
    }, [a, b, y]);
    const text = await measurement.textContent();
    const shown = Number(/([\d.,]+)\s*m/.exec(text ?? '')?.[1]?.replace(/,/g, ''));
    // MapLibre's distanceTo is spherical (~0.2% off at this latitude); ours is ellipsoidal.
    expect(Math.abs(shown - expected) / expected).toBeLessThan(0.005);
    await page.close();
  });
});
