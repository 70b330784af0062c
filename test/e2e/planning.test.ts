/**
 * Planning in the browser: a planner places an e-bike station and turns an idle plot into a
 * pocket park, reads the gains (equal to the coverage engine run in Node on the merged
 * layers), finds the scenarios again after a reload, and asks for 10 suggested sites,
 * graded against the exact optimum (HiGHS in a worker), and compares the scenario with
 * today side by side: a table, and a swipe between two maps (on a phone, a toggle).
 */
import { readFileSync } from 'node:fs';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { strFromU8, unzipSync } from 'fflate';
import type { GeoJSONSource } from 'maplibre-gl';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serviceCoverage } from '../../src/analysis/coverage/coverage.ts';
import { DEFAULT_PARK_RADIUS_RULES, parkRadiusFn } from '../../src/analysis/coverage/park-radius.ts';
import { readLayer } from '../../src/analysis/coverage/test/support.ts';
import { launchBrowser, showTab, waitForMapReady, watchPage } from './browser.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** How many proposed sites a map draws: the app's (left) or, comparing, the other (right). */
const sitesOn = (page: Page, side: 'left' | 'right') =>
  page.evaluate(async (right) => {
    const map = right ? window.__zs!.compareMap()! : window.__zs!.map;
    if (map.getLayoutProperty('plan-site-point', 'visibility') === 'none') return 0;
    const src = map.getSource('plan-sites') as GeoJSONSource;
    return ((await src.getData()) as GeoJSON.FeatureCollection).features.length;
  }, side === 'right');

/** Where the swipe divides the map: the other map shows from there rightwards, rect(0, 999em, h, x). */
const divide = (page: Page) => page.locator('.zs-compare-after').evaluate((el) => Number(/(\d+(?:\.\d+)?)px\)$/.exec(el.style.clip)?.[1]));

const active = (page: Page) => page.evaluate(() => {
  const s = window.__zs!.store.state;
  return s.scenarios.find((x) => x.id === s.scenarioId) ?? null;
});

describe('planning in Chromium', () => {
  it('places a station, converts an idle plot, reads the gains, finds the scenarios after a reload, suggests 10 sites, and swipes between today and the scenario', { timeout: 180_000 }, async () => {
    const [communities, parks, grid, plots] = await Promise.all([readLayer('communities'), readLayer('parks'), readLayer('grid-cells'), readLayer('idle-plots')]);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const log = watchPage(page);
    await page.goto(baseUrl);
    await waitForMapReady(page);
    await showTab(page, 'planning');
    await page.locator('zs-planning-panel #plan-none').waitFor();

    // A new e-bike scenario; a station placed by a click on the map, on a community.
    await page.locator('zs-planning-panel #plan-new-kind').selectOption('ebike');
    await page.locator('zs-planning-panel #plan-new').click();
    await page.locator('zs-planning-panel li[data-scenario][aria-current=true]').waitFor();
    await page.locator('zs-planning-panel #plan-tool').click();
    await page.waitForFunction(() => window.__zs!.store.state.tool === 'place-site');
    const target = communities.features[0]!.geometry as Polygon;
    const ring = target.coordinates[0]!;
    const at = [ring.reduce((a, p) => a + p[0]!, 0) / ring.length, ring.reduce((a, p) => a + p[1]!, 0) / ring.length] as [number, number];
    await page.evaluate((c) => new Promise((r) => {
      const map = window.__zs!.map;
      map.once('idle', r);
      map.jumpTo({ center: c, zoom: 15 });
    }), at);
    const px = await page.evaluate((c) => window.__zs!.map.project(c), at);
    const box = (await page.locator('#map canvas').boundingBox())!;
    await page.mouse.click(box.x + px.x, box.y + px.y);
    await page.locator('zs-planning-panel #plan-sites li[data-origin=placed]').waitFor();
    const city = page.locator('zs-planning-panel #plan-city');
    await expect.poll(async () => Number(await city.getAttribute('data-after')) - Number(await city.getAttribute('data-before')), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.locator('zs-planning-panel #plan-tool-done').click();

    // An idle plot made a pocket park from its table row: a parks scenario of its own.
    await page.evaluate(() => window.__zs!.store.openTable('idle-plots'));
    await page.locator('zs-attribute-table button.convert').first().click();
    await expect.poll(async () => (await active(page))?.kind).toBe('parks');
    const scenario = (await active(page))!;
    expect(scenario.added.map((x) => x.origin)).toEqual(['converted']);
    const plot = plots.features.find((f) => String(f.properties?.id) === scenario.added[0]!.from!.featureId)!;

    // The gains are the coverage engine's, run on today's parks plus the plot.
    const radius = parkRadiusFn(DEFAULT_PARK_RADIUS_RULES);
    const zones = grid.features as Feature<Polygon | MultiPolygon>[];
    const before = serviceCoverage(communities, parks, { radius, zones, groupField: 'district' });
    const after = serviceCoverage(communities, { type: 'FeatureCollection', features: [...parks.features, { ...plot, properties: { id: 'p1' } }] }, { radius, zones, groupField: 'district' });
    await expect.poll(async () => Number(await city.getAttribute('data-after')), { timeout: 30_000 }).toBeCloseTo(after.total.share, 9);
    expect(Number(await city.getAttribute('data-before'))).toBeCloseTo(before.total.share, 9);
    for (const [d, t] of Object.entries(after.byGroup)) {
      const gain = await page.locator(`zs-planning-panel #plan-gains tr[data-district="${d}"] td[data-gain]`).getAttribute('data-gain');
      expect(Number(gain), d).toBeCloseTo(t.share - before.byGroup[d]!.share, 9);
    }
    // The gain per grid cell is on the map; the job line says what the last run found.
    await expect.poll(() => page.evaluate(() => window.__zs!.map.getLayoutProperty('plan-gain-fill', 'visibility'))).toBe('visible');
    await showTab(page, 'layers');
    await expect.poll(() => page.locator('#job-status p[data-job=plan-scenario]').getAttribute('data-status')).toBe('done');
    await page.waitForFunction(() => window.__zs!.planning.written.then(() => true));

    // A reload: both scenarios are listed again.
    await page.reload();
    await waitForMapReady(page);
    await showTab(page, 'planning');
    await expect.poll(() => page.locator('zs-planning-panel li[data-scenario]').count()).toBe(2);

    // "Suggest 10" for the e-bike scenario: 10 sites, coverage up, graded against the optimum.
    await page.locator('zs-planning-panel li[data-scenario] button.open').first().click();
    await expect.poll(async () => (await active(page))?.kind).toBe('ebike');
    await page.locator('zs-planning-panel #plan-count').fill('10');
    await page.locator('zs-planning-panel #plan-count').press('Enter');
    await page.locator('zs-planning-panel #plan-run').click();
    const result = page.locator('zs-planning-panel #plan-result');
    await expect.poll(() => result.getAttribute('data-sites'), { timeout: 60_000 }).toBe('10');
    const gap = page.locator('zs-planning-panel #plan-gap');
    await expect.poll(() => gap.getAttribute('data-status'), { timeout: 90_000 }).toMatch(/^(optimal|limit|lp)$/);
    expect(Number(await gap.getAttribute('data-gap'))).toBeGreaterThanOrEqual(0);
    await page.locator('zs-planning-panel #plan-accept').click();
    await expect.poll(async () => (await active(page))?.added.filter((x) => x.origin === 'suggested').length).toBe(10);

    // Today and the scenario side by side.
    await page.locator('zs-planning-panel #plan-compare').click();
    const cityRow = page.locator('zs-planning-panel #plan-compare-table tr[data-row=city] td');
    await expect.poll(() => cityRow.count(), { timeout: 60_000 }).toBe(4);
    expect(await cityRow.nth(3).textContent()).toMatch(/^\+\d/);

    // The same two on the map: today on the left, the scenario's 11 sites and gain on the right, named over each side.
    await page.locator('zs-planning-panel #plan-swipe').click();
    await page.waitForFunction(() => window.__zs!.compareMap() !== null);
    await expect.poll(() => sitesOn(page, 'right')).toBe(11);
    expect(await sitesOn(page, 'left')).toBe(0);
    await expect.poll(() => page.evaluate(() => window.__zs!.compareMap()!.getLayoutProperty('plan-gain-fill', 'visibility'))).toBe('visible');
    expect(await page.locator('.zs-compare-label.before').textContent()).toBe('现状');
    expect(await page.locator('.zs-compare-label.after').textContent()).toBe(await page.locator('zs-planning-panel #plan-compare-table thead th').nth(2).textContent());
    const width = await page.locator('#map').evaluate((el) => el.clientWidth);
    expect(Math.abs((await divide(page)) - width / 2)).toBeLessThanOrEqual(2);
    // Another tab: one map; the swipe's button turns it off for good.
    await showTab(page, 'layers');
    await expect.poll(() => page.locator('.zs-compare-after').count()).toBe(0);
    await showTab(page, 'planning');
    await page.waitForFunction(() => window.__zs!.compareMap() !== null);
    await page.locator('zs-planning-panel #plan-swipe').click();
    await expect.poll(() => page.locator('.zs-compare-after').count()).toBe(0);
    await expect.poll(() => sitesOn(page, 'left')).toBe(11);
    expect(log.errors).toEqual([]);
    await context.close();
  });

  it('exports the proposed sites in a chosen coordinate system and the grid cells before and after as CSV and XLSX; a link carries the scenario; on a phone the two compared take turns', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    const log = watchPage(page);
    await page.goto(baseUrl);
    await waitForMapReady(page);
    await showTab(page, 'planning');
    await page.locator('zs-planning-panel #plan-new-kind').selectOption('ebike');
    await page.locator('zs-planning-panel #plan-new').click();
    await page.locator('zs-planning-panel li[data-scenario][aria-current=true]').waitFor();
    await page.evaluate(() => {
      window.__zs!.planning.placeAt([122.204, 29.985]);
      window.__zs!.planning.placeAt([122.3, 29.95]);
    });
    await page.locator('zs-planning-panel #plan-city').waitFor({ timeout: 30_000 });
    const panel = page.locator('zs-planning-panel');
    // An earlier day on the map: the panel says planning starts from the latest data all the same.
    expect(await panel.locator('#plan-baseline').count()).toBe(0);
    await page.evaluate(() => window.__zs!.store.setAsOf('2024-03-31'));
    expect(await panel.locator('#plan-baseline').textContent()).toBe('Planning starts from the latest data (21 Jun 2024), not from the day the map shows.');
    await page.evaluate(() => window.__zs!.store.setAsOf(null));
    await expect.poll(() => panel.locator('#plan-baseline').count()).toBe(0);
    await panel.locator('#plan-format').selectOption('csv');
    await panel.locator('#plan-crs').selectOption('EPSG:4549');
    const [sites] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), panel.locator('#plan-export').click()]);
    expect(sites.suggestedFilename()).toMatch(/^scenario-ebike-sites_.*EPSG-4549\.csv$/);
    const text = readFileSync((await sites.path()), 'utf8');
    const [head, ...rows] = text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(head).toMatch(/origin/);
    expect(rows).toHaveLength(2);
    // CGCS2000 / 3° Gauss–Krüger CM 120°E (EPSG:4549): Zhoushan lies some 210 km east of 500 km.
    const cols = head!.split(',');
    const x = Number(rows[0]!.split(',')[cols.findIndex((c) => /^(x|easting)$/i.test(c))]);
    expect(x).toBeGreaterThan(700_000);
    expect(x).toBeLessThan(730_000);
    await expect.poll(() => page.locator('#job-status p[data-job=export]').getAttribute('data-status')).toBe('done');

    const [gains] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), panel.locator('#plan-gains-export').click()]);
    const table = readFileSync((await gains.path()), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(table[0]).toBe('Cell ID,Name,District,Residential land (m²),Today (%),Scenario (%),Change (points)');
    expect(table.length).toBeGreaterThan(50);
    const changed = table.slice(1).filter((r) => Number(r.split(',').at(-1)) > 0);
    expect(changed.length).toBeGreaterThan(0);
    // The same table as a sheet for Excel, named by the scenario, a row per cell.
    const [sheet] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), panel.locator('#plan-gains-xlsx').click()]);
    expect(sheet.suggestedFilename()).toMatch(/^grid-before-after-ebike-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const xlsx = unzipSync(new Uint8Array(readFileSync(await sheet.path())));
    expect(strFromU8(xlsx['xl/workbook.xml']!)).toContain('name="Scenario 1"');
    expect(strFromU8(xlsx['xl/worksheets/sheet1.xml']!).match(/<row /g)).toHaveLength(table.length);
    await expect.poll(() => panel.locator('[data-export=gains]').getAttribute('data-status')).toBe('done');

    // The print layout shows the scenario with its figures.
    await page.locator('#print-open').click();
    const figures = page.locator('zs-print-layout #print-figures');
    await figures.waitFor();
    expect(await figures.locator('h2').textContent()).toMatch(/^Scenario: Scenario 1 \(Shared e-bike stations\)$/);
    expect(await figures.locator('tr').first().textContent()).toMatch(/City\s*\d+\.\d%\s*→\s*\d+\.\d%/);
    // All of it inside the legend's box, drawn smaller if need be, not cut off at the bottom.
    const legendBox = (await page.locator('zs-print-layout .legend').boundingBox())!;
    const lastRow = (await figures.locator('tr').last().boundingBox())!;
    expect(lastRow.y + lastRow.height).toBeLessThanOrEqual(legendBox.y + legendBox.height + 1);
    expect(Number(await page.locator('zs-print-layout .legend .fit').getAttribute('data-zoom'))).toBeGreaterThanOrEqual(0.55);
    // The saved picture has the figures too (drawn by print-page.ts from the same rows).
    const [png] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.locator('zs-print-layout').getByRole('button', { name: /PNG/ }).click()]);
    expect(readFileSync(await png.path()).length).toBeGreaterThan(50_000);
    await page.keyboard.press('Escape');
    await page.locator('zs-print-layout').waitFor({ state: 'hidden' });

    // The link carries the small scenario: a browser that never saw it opens it.
    await page.waitForFunction(() => location.hash.includes('plan='));
    const link = page.url();
    const other = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    const second = await other.newPage();
    await second.goto(link);
    await waitForMapReady(second);
    await second.locator('zs-planning-panel li[data-scenario][aria-current=true]').waitFor();
    await expect.poll(() => second.locator('zs-planning-panel #plan-sites li').count()).toBe(2);
    await expect.poll(async () => Number(await second.locator('zs-planning-panel #plan-city').getAttribute('data-after')), { timeout: 30_000 })
      .toBeCloseTo(Number(await page.locator('zs-planning-panel #plan-city').getAttribute('data-after')), 9);
    await other.close();

    // On a phone, today and the scenario take turns filling the map instead of a swipe.
    await page.setViewportSize({ width: 390, height: 844 });
    await panel.locator('#plan-compare').click();
    await panel.locator('#plan-compare-table').waitFor({ timeout: 60_000 });
    await panel.locator('#plan-swipe').click();
    await page.waitForFunction(() => window.__zs!.compareMap() !== null);
    const after = page.locator('.zs-compare-after');
    await expect.poll(() => after.evaluate((el) => el.style.clip)).toMatch(/, 0px\)$/);
    expect(await page.locator('.compare-swiper-vertical').isVisible()).toBe(false);
    // The choice of side is over the map (the panel may be folded away) and in the panel.
    const choice = page.locator('.zs-compare-choice');
    expect(await choice.getAttribute('aria-label')).toBe('The map shows');
    expect(await choice.locator('button[aria-pressed=true]').textContent()).toBe('Scenario 1');
    const today = choice.locator('button[data-side=before]');
    expect(await today.textContent()).toBe('Today');
    expect((await today.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await today.click();
    const phoneWidth = await page.locator('#map').evaluate((el) => el.clientWidth);
    await expect.poll(() => after.evaluate((el) => el.style.clip)).toMatch(new RegExp(`, ${phoneWidth}px\\)$`));
    expect(await panel.locator('.side button[data-side=before]').getAttribute('aria-pressed')).toBe('true');
    await panel.locator('.side button[data-side=after]').click();
    await expect.poll(() => after.evaluate((el) => el.style.clip)).toMatch(/, 0px\)$/);
    expect(await choice.locator('button[aria-pressed=true]').textContent()).toBe('Scenario 1');
    // Nothing of the map's choice hides under the demo notice or the zoom buttons.
    const cb = (await choice.boundingBox())!;
    for (const sel of ['#demo-badge', '.maplibregl-ctrl-zoom-in']) {
      const ob = (await page.locator(sel).first().boundingBox())!;
      expect(cb.x + cb.width <= ob.x || ob.x + ob.width <= cb.x || cb.y + cb.height <= ob.y || ob.y + ob.height <= cb.y, sel).toBe(true);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(log.errors).toEqual([]);
    await context.close();
  });
});
