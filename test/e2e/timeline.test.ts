/**
 * The programme over time in Chromium: dragging the date bar shows the map, the counts and
 * the dashboard as of that day; playing moves the day on month by month; a link with
 * `date=` opens on that day; the public view says what changed that month; two dates side by
 * side with a swipe, a toggle on a phone. Expected figures are counted here from the raw
 * features' own dates, not read back from the app's code.
 */
import type { GeoJSONSource } from 'maplibre-gl';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, mapIdle, showTab, waitForMapReady, watchPage, type PageLog } from './browser.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function open(path = '', viewport = { width: 1440, height: 900 }, locale = 'zh-CN'): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage({ viewport, locale, isMobile: viewport.width < 700, hasTouch: viewport.width < 700 });
  const log = watchPage(page);
  await page.goto(`${baseUrl}${path}`);
  await waitForMapReady(page);
  return { page, log };
}

/** The plots that had started, and those finished, by a day: from the features' own dates. */
const plotsOn = (page: Page, day: string) =>
  page.evaluate((d) => {
    const fs = window.__zs!.store.state.data['idle-plots']!.features;
    const on = (k: string) => fs.filter((f) => typeof f.properties?.[k] === 'string' && (f.properties[k]) <= d).length;
    return { started: on('started_on'), finished: on('completed_on') };
  }, day);

/** What the map's source for the plots holds: how many, and how many finished. */
const mapPlots = (page: Page) =>
  page.evaluate(async () => {
    const src = window.__zs!.map.getSource('layer-idle-plots') as GeoJSONSource;
    const fs = ((await src.getData()) as GeoJSON.FeatureCollection).features;
    return { started: fs.length, finished: fs.filter((f) => f.properties?.status === 'finished').length };
  });

const asOf = (page: Page) => page.evaluate(() => window.__zs!.store.state.asOf);
const plotsFigure = (page: Page) => page.locator('zs-dashboard-panel li[data-metric="plots-finished"] .value').textContent();
const bar = (page: Page) => page.locator('zs-timeline-bar');

describe('timeline', () => {
  it('dragging the date shows the map and the dashboard as of that day, and the link carries it', async () => {
    const { page, log } = await open();
    await showTab(page, 'dashboard');
    // The latest data first: the report's 52 finished plots (of all, the planned ones too).
    await expect.poll(() => plotsFigure(page)).toMatch(/^52 \/ 5\d$/);
    const latest = (await plotsFigure(page))!;
    const slider = bar(page).locator('input[type=range]');
    const box = (await slider.boundingBox())!;
    // Drag the thumb from where it stands (the data's day) to about a quarter of the year.
    const [min, max, value] = await slider.evaluate((el: HTMLInputElement) => [Number(el.min), Number(el.max), Number(el.value)]);
    const xAt = (v: number) => box.x + 8 + ((box.width - 16) * (v - min)) / (max - min);
    await page.mouse.move(xAt(value), box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(xAt(max * 0.45), box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(xAt(max * 0.25), box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const day = (await asOf(page))!;
    expect(day).toMatch(/^2024-0[34]-\d\d$/);
    const want = await plotsOn(page, day);
    expect(want.finished).toBeLessThan(52);
    expect(want.finished).toBeGreaterThan(0);
    // The dashboard, the bar, the map and the layer counts follow.
    await expect.poll(() => plotsFigure(page)).toBe(`${want.finished} / ${want.started}`);
    await expect.poll(() => bar(page).locator('output').getAttribute('data-as-of')).toBe(day);
    await mapIdle(page);
    expect(await mapPlots(page)).toEqual(want);
    expect(await page.evaluate(() => window.__zs!.selectors.shownCounts(window.__zs!.store.state)['idle-plots'])).toBe(want.started);
    await expect.poll(() => page.evaluate(() => location.hash)).toContain(`date=${day}`);
    // Back to the latest: the report again, and no date in the link.
    await bar(page).locator('button.latest').click();
    await expect.poll(() => plotsFigure(page)).toBe(latest);
    await expect.poll(() => page.evaluate(() => location.hash)).not.toContain('date=');
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('plays month by month and stops where it is paused', async () => {
    const { page, log } = await open('#date=2024-01-31');
    await showTab(page, 'dashboard');
    await bar(page).locator('button.play').click();
    await expect.poll(() => bar(page).locator('button.play').getAttribute('aria-pressed')).toBe('true');
    // Each month's end in turn, the dashboard following.
    await expect.poll(() => asOf(page), { timeout: 15_000 }).toBe('2024-02-29');
    await expect.poll(() => asOf(page), { timeout: 15_000 }).toBe('2024-03-31');
    await bar(page).locator('button.play').click();
    await expect.poll(() => bar(page).locator('button.play').getAttribute('aria-pressed')).toBe('false');
    // The click lands a month or more later on a busy machine: a month's end from March on.
    const stopped = (await asOf(page))!;
    expect(stopped >= '2024-03-31' && /-(29|30|31)$/.test(stopped), stopped).toBe(true);
    const want = await plotsOn(page, stopped);
    await expect.poll(() => plotsFigure(page)).toBe(`${want.finished} / ${want.started}`);
    expect(await page.evaluate(() => window.__zs!.store.state.timelinePlaying)).toBe(false);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('opens a link with a date on that day, staff and public, and the public view says what changed that month', async () => {
    const { page, log } = await open('#date=2024-03-31');
    await showTab(page, 'dashboard');
    const want = await plotsOn(page, '2024-03-31');
    await expect.poll(() => plotsFigure(page)).toBe(`${want.finished} / ${want.started}`);
    await mapIdle(page);
    expect(await mapPlots(page)).toEqual(want);
    await page.close();

    const pub = await open('?view=public#date=2024-03-31', { width: 390, height: 844 });
    const changes = pub.page.locator('zs-month-changes section');
    await expect.poll(() => changes.getAttribute('data-month')).toBe('2024-03');
    // Plots finished in March, counted from their dates.
    const march = await pub.page.evaluate(() =>
      window.__zs!.store.state.data['idle-plots']!.features.filter((f) => {
        const d = f.properties?.completed_on as string | null;
        return d !== null && d > '2024-02-29' && d <= '2024-03-31';
      }).length,
    );
    await expect.poll(() => changes.locator('li[data-layer="idle-plots"] [data-value="finished"] strong').textContent()).toBe(`+${march}`);
    await expect.poll(() => bar(pub.page).locator('output').getAttribute('data-as-of')).toBe('2024-03-31');
    expect(await pub.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect([...log.errors, ...pub.log.errors]).toEqual([]);
    await pub.page.close();
  });
});

describe('print and PNG', () => {
  it('say the day the map shows', async () => {
    const { page, log } = await open('#date=2024-03-31');
    await page.locator('#print-open').click();
    const layout = page.locator('zs-print-layout');
    await expect.poll(() => layout.locator('img').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await layout.locator('header p').last().textContent()).toContain('进展截至 2024年3月31日');
    const [png] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), layout.getByRole('button', { name: /PNG/ }).click()]);
    expect(png.suggestedFilename()).toMatch(/^zhoushan-map-as-of-2024-03-31-\d{4}-\d{2}-\d{2}\.png$/);
    // The saved page is drawn from the layout's labels, the day among them (print-page.ts).
    expect(await layout.evaluate((el: HTMLElementTagNameMap['zs-print-layout']) => el.labels.asOf)).toBe('进展截至 2024年3月31日');
    await page.keyboard.press('Escape');
    expect(log.errors).toEqual([]);
    await page.close();
  });
});

describe('before and after', () => {
  /** The other side's map: how many plots its source holds. */
  const afterPlots = (page: Page) =>
    page.evaluate(async () => {
      const src = window.__zs!.compareMap()!.getSource('layer-idle-plots') as GeoJSONSource;
      return ((await src.getData()) as GeoJSON.FeatureCollection).features.length;
    });
  const afterIdle = (page: Page) =>
    page.evaluate(() => new Promise<void>((resolve) => {
      const map = window.__zs!.compareMap()!;
      map.once('idle', () => resolve());
      map.triggerRepaint();
    }));

  it('swipes between the day shown and another, each map as of its own day, and goes back to one map', async () => {
    const { page, log } = await open('#date=2024-02-29');
    await bar(page).locator('button.compare').click();
    await page.locator('.zs-compare-after canvas').waitFor();
    await page.waitForFunction(() => window.__zs!.compareMap() !== null);
    await afterIdle(page);
    const before = await plotsOn(page, '2024-02-29');
    const all = await page.evaluate(() => window.__zs!.store.state.data['idle-plots']!.features.length);
    // Left the day shown, right the latest data; the swipe in the middle of the map.
    expect(await mapPlots(page)).toEqual(before);
    await expect.poll(() => afterPlots(page)).toBe(all);
    // The after map shows from the divide rightwards: rect(0, 999em, h, x).
    const divide = () => page.locator('.zs-compare-after').evaluate((el) => Number(/(\d+(?:\.\d+)?)px\)$/.exec(el.style.clip)?.[1]));
    const width = await page.locator('#map').evaluate((el) => el.clientWidth);
    expect(Math.abs((await divide()) - width / 2)).toBeLessThanOrEqual(2);
    // Each side's day is named beside the divide.
    expect(await page.locator('.zs-compare-label.before').textContent()).toBe(await bar(page).locator('button[data-side=before]').textContent());
    expect(await page.locator('.zs-compare-label.after').textContent()).toBe(await bar(page).locator('button[data-side=after]').textContent());
    // Another day on the right.
    await bar(page).locator('select.after').selectOption('2024-05-31');
    const may = await plotsOn(page, '2024-05-31');
    await expect.poll(() => afterPlots(page)).toBe(may.started);
    expect(await mapPlots(page)).toEqual(before);
    // The link carries both days: it opens the same comparison.
    await page.waitForFunction(() => location.hash.includes('date=2024-02-29') && location.hash.includes('vs=2024-05-31'));
    const linked = await open(new URL(page.url()).hash);
    await linked.page.waitForFunction(() => window.__zs!.compareMap() !== null);
    expect(await linked.page.evaluate(() => window.__zs!.store.state.compare?.asOf)).toBe('2024-05-31');
    await linked.page.close();
    // Dragging the swipe's handle moves the divide.
    const handle = page.locator('.compare-swiper-vertical');
    const hb = (await handle.boundingBox())!;
    await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await page.mouse.down();
    await page.mouse.move(hb.x + hb.width / 2 - 200, hb.y + hb.height / 2, { steps: 4 });
    await page.mouse.up();
    expect(Math.abs((await divide()) - (width / 2 - 200))).toBeLessThanOrEqual(4);
    await bar(page).locator('button.compare').click();
    await expect.poll(() => page.locator('.zs-compare-after').count()).toBe(0);
    expect(await page.evaluate(() => window.__zs!.compareMap())).toBeNull();
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('on a phone, turns between the two days instead of a swipe', async () => {
    const { page, log } = await open('?view=public#date=2024-02-29', { width: 390, height: 844 });
    await bar(page).locator('button.compare').click();
    await page.waitForFunction(() => window.__zs!.compareMap() !== null);
    await afterIdle(page);
    const after = page.locator('.zs-compare-after');
    const width = await page.locator('#map').evaluate((el) => el.clientWidth);
    // The after day fills the map; the swipe's handle is not there.
    await expect.poll(() => after.evaluate((el) => el.style.clip)).toMatch(/, 0px\)$/);
    expect(await page.locator('.compare-swiper-vertical').isVisible()).toBe(false);
    // The date bar holds the choice of day: none over the map.
    expect(await page.locator('.zs-compare-choice').isVisible()).toBe(false);
    await bar(page).locator('button[data-side=before]').click();
    await expect.poll(() => after.evaluate((el) => el.style.clip)).toMatch(new RegExp(`, ${width}px\\)$`));
    await bar(page).locator('button[data-side=after]').click();
    await expect.poll(() => after.evaluate((el) => el.style.clip)).toMatch(/, 0px\)$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(log.errors).toEqual([]);
    await page.close();
  });
});
