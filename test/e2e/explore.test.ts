/**
 * Explore and share, in Chromium: filters change the map and the counts, the table and
 * the map select each other, search finds a feature by part of its Chinese name and a town
 * by its pinyin initials and zooms to a district (keyboard only, both languages), a link
 * reproduces filters and selection, the public view fits a phone with no staff tools,
 * the language switch leaves no Chinese (or raw keys) behind, and axe finds no serious
 * accessibility problem in any view.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { GeoJSONSource } from 'maplibre-gl';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, waitForMapReady, watchPage } from './browser.ts';

const baseUrl = inject('baseUrl');
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});


async function open(path = '', viewport = { width: 1366, height: 768 }, locale = 'zh-CN'): Promise<{ page: Page; log: ReturnType<typeof watchPage> }> {
  const page = await browser.newPage({ viewport, locale });
  const log = watchPage(page);
  await page.goto(`${baseUrl}${path}`);
  await waitForMapReady(page);
  return { page, log };
}

const sourceCount = (page: Page, id: string) =>
  page.evaluate(async (layer) => {
    const src = window.__zs!.map.getSource(`layer-${layer}`) as GeoJSONSource;
    return ((await src.getData()) as GeoJSON.FeatureCollection).features.length;
  }, id);

const picked = (page: Page) => page.evaluate(() => window.__zs!.store.state.picked);

describe('explore and share', () => {
  it('filters change the map, the counts and the dashboard, and the link reproduces them with the selection', async () => {
    const { page, log } = await open();
    const row = page.locator('li[data-layer="idle-plots"]');
    await row.locator('button[data-action=filter]').click();
    await row.locator('zs-filter-editor input[data-field=status][data-value=in_progress]').uncheck();
    await expect.poll(() => sourceCount(page, 'idle-plots')).toBe(52);
    await expect.poll(() => row.locator('.state').getAttribute('data-shown')).toBe('52');
    expect(await row.locator('.state').textContent()).toContain('52 / 58');
    // A numeric range on another layer: e-bike stations with room for at least 25 bikes.
    const eb = page.locator('li[data-layer="ebike-stations"]');
    await eb.locator('button[data-action=filter]').click();
    await eb.locator('zs-filter-editor input[data-field=capacity][data-bound=lo]').fill('25');
    await eb.locator('zs-filter-editor input[data-field=capacity][data-bound=lo]').press('Enter');
    const bigStations = Number(await eb.locator('.state').getAttribute('data-shown'));
    expect(bigStations).toBeGreaterThan(0);
    expect(bigStations).toBeLessThan(320);
    expect(await sourceCount(page, 'ebike-stations')).toBe(bigStations);

    await page.locator('#tab-dashboard').click();
    await expect.poll(() => page.locator('li[data-metric="plots-finished"] .value').textContent()).toBe('52 / 52');

    // Pick two waterlogging points from the table (click, shift-click), then reload.
    await page.locator('#tab-layers').click();
    await page.locator('li[data-layer="waterlogging"] button[data-action=table]').click();
    const rows = page.locator('zs-attribute-table [role=row][aria-rowindex]');
    await expect.poll(() => rows.count()).toBeGreaterThan(3);
    // Let the virtualised rows settle; each pick re-renders and may scroll the table.
    await page.waitForTimeout(500);
    await rows.nth(1).click();
    await expect.poll(async () => (await picked(page))?.ids.length).toBe(1);
    await page.waitForTimeout(500);
    await rows.nth(3).click({ modifiers: ['Shift'] });
    await expect.poll(async () => (await picked(page))?.ids.length).toBe(2);
    const before = await picked(page);
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(new RegExp(`sel=waterlogging~[^&]*\\|`));
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toMatch(/f=idle-plots~status~values~s\.finished/);
    expect(hash).toMatch(/table=waterlogging/);

    const again = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await again.goto(`${baseUrl}${hash}`);
    await waitForMapReady(again);
    await expect.poll(() => sourceCount(again, 'idle-plots')).toBe(52);
    expect(await sourceCount(again, 'ebike-stations')).toBe(bigStations);
    await expect.poll(async () => (await picked(again))?.ids.slice().sort()).toEqual(before!.ids.slice().sort());
    await expect.poll(() => again.locator('zs-attribute-table [role=row][aria-selected=true]').count()).toBeGreaterThan(0);
    expect(log.errors).toEqual([]);
    await again.close();
    await page.close();
  });

  it('a table row click flies to and highlights the feature; a map click selects its row', async () => {
    const { page } = await open();
    await page.locator('li[data-layer="parks"] button[data-action=table]').click();
    const rows = page.locator('zs-attribute-table [role=row][aria-rowindex]');
    await expect.poll(() => rows.count()).toBeGreaterThan(3);
    await page.waitForTimeout(500);
    await rows.nth(2).click();
    await expect.poll(() => page.evaluate(() => window.__zs!.store.state.selection)).not.toBeNull();
    const sel = await page.evaluate(() => window.__zs!.store.state.selection);
    await expect.poll(() => page.locator('.maplibregl-popup zs-feature-popup').count()).toBe(1);
    await expect.poll(() => page.evaluate(() => window.__zs!.map.getZoom()), { timeout: 10_000 }).toBeGreaterThanOrEqual(15.9);
    const filter = await page.evaluate(() => JSON.stringify(window.__zs!.map.getFilter('parks-selected')));
    expect(filter).toContain(sel!.featureId);

    // Now click another park on the map: its row becomes the selected one. Centre the map
    // on it first; the table drawer covers the lower part of the map, not the centre.
    const target = await page.evaluate(async () => {
      const { map, store } = window.__zs!;
      const current = store.state.selection?.featureId;
      const parks = ((store.state.data as Record<string, GeoJSON.FeatureCollection>).parks)!.features;
      const other = parks.find((f) => String(f.properties?.id) !== current && f.properties?.park_type === 'community')!;
      const ring = (other.geometry as GeoJSON.Polygon).coordinates[0]!;
      const lon = ring.slice(0, -1).reduce((s, p) => s + p[0]!, 0) / (ring.length - 1);
      const lat = ring.slice(0, -1).reduce((s, p) => s + p[1]!, 0) / (ring.length - 1);
      map.jumpTo({ center: [lon, lat], zoom: 16 });
      await new Promise((r) => map.once('idle', r));
      const p = map.project([lon, lat]);
      const r = map.getCanvas().getBoundingClientRect();
      return { id: String(other.properties?.id), x: r.left + p.x, y: r.top + p.y };
    });
    expect(target).not.toBeNull();
    await page.mouse.click(target.x, target.y);
    await expect.poll(async () => (await picked(page))?.ids).toEqual([target.id]);
    await expect.poll(() => page.locator('zs-attribute-table [role=row][aria-selected=true]').count()).toBe(1);
    await page.close();
  });

  it('search finds a feature by part of its Chinese name, from the keyboard', async () => {
    const { page } = await open();
    const input = page.locator('zs-search-box input[role=combobox]');
    await input.fill('纵三路电单车');
    const options = page.locator('zs-search-box [role=option]');
    // The first query builds the index.
    await expect.poll(() => options.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const first = await options.first().textContent();
    expect(first).toMatch(/纵三路电单车停放点/);
    await input.press('ArrowDown');
    await input.press('Enter');
    await expect.poll(() => page.locator('.maplibregl-popup zs-feature-popup h2').textContent()).toMatch(/纵三路电单车停放点/);
    await input.fill('没有这个地方xyz');
    await expect.poll(() => page.locator('zs-search-box p.none').textContent()).toMatch(/没有|No /);
    await page.close();
  });

  it.each([
    ['zh-CN', '沈家门', '地名', '普陀', '普陀区', '行政区'],
    ['en-US', 'Shenjiamen', 'Place', 'putuo', 'Putuo District', 'District'],
  ])('search, keyboard only (%s): "sjm" flies to Shenjiamen, a district result zooms to the district', async (locale, town, placeKind, districtQuery, district, districtKind) => {
    const { page, log } = await open('', { width: 1366, height: 768 }, locale);
    const input = page.locator('zs-search-box input[role=combobox]');
    const options = page.locator('zs-search-box [role=option]');
    // The search code and its pinyin worker load on the first query, not with the page.
    const searchCode = () => log.requests.filter((u) => /search-index|pinyin\.worker/.test(u));
    expect(searchCode()).toEqual([]);
    const searchFocused = () => page.evaluate(() => document.activeElement?.tagName === 'ZS-SIDE-PANEL' && document.querySelector('zs-side-panel')!.shadowRoot!.activeElement?.tagName === 'ZS-SEARCH-BOX');
    for (let i = 0; i < 40 && !(await searchFocused()); i++) await page.keyboard.press('Tab');
    expect(await searchFocused()).toBe(true);
    // Whether the box ever said it was preparing, however briefly.
    await page.evaluate(() => {
      const w = window as Window & { __preparing?: boolean };
      const root = document.querySelector('zs-side-panel')!.shadowRoot!.querySelector('zs-search-box')!.shadowRoot!;
      new MutationObserver(() => {
        if (root.querySelector('p.none[data-state=preparing]')) w.__preparing = true;
      }).observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    });

    await page.keyboard.type('sjm');
    await expect.poll(() => options.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as Window & { __preparing?: boolean }).__preparing)).toBe(true);
    expect(searchCode().length).toBe(2);
    expect(await options.first().locator('.name').textContent()).toBe(town);
    expect(await options.first().locator('.layer').textContent()).toBe(placeKind);
    await page.keyboard.press('ArrowDown');
    expect(await input.getAttribute('aria-activedescendant')).toBe('opt-0');
    await page.keyboard.press('Enter');
    // The map settles on Shenjiamen (122.295 E, 29.945 N), zoomed in to the town.
    const view = () => page.evaluate(() => window.__zs!.store.state.view);
    await expect.poll(async () => {
      const v = await view();
      return Math.abs(v.center[0] - 122.295) < 0.002 && Math.abs(v.center[1] - 29.945) < 0.002 && v.zoom >= 13;
    }, { timeout: 15_000 }).toBe(true);
    expect(await input.inputValue()).toBe(town);

    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(districtQuery);
    await expect.poll(() => options.first().locator('.name').textContent()).toBe(district);
    expect(await options.first().locator('.layer').textContent()).toBe(districtKind);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    // The view fits the district's grid cells: it holds them all and little else.
    const cells = await page.evaluate(() => {
      const b = [Infinity, Infinity, -Infinity, -Infinity];
      for (const f of window.__zs!.store.state.data['grid-cells']!.features) {
        if (f.properties!.district !== 'putuo' || f.geometry.type !== 'Polygon') continue;
        for (const [x, y] of f.geometry.coordinates[0]!) {
          b[0] = Math.min(b[0]!, x!); b[1] = Math.min(b[1]!, y!); b[2] = Math.max(b[2]!, x!); b[3] = Math.max(b[3]!, y!);
        }
      }
      return b as [number, number, number, number];
    });
    await expect.poll(async () => {
      const b = (await view()).bounds;
      if (!b) return false;
      const holds = b[0] <= cells[0] && b[1] <= cells[1] && b[2] >= cells[2] && b[3] >= cells[3];
      const snug = (cells[2] - cells[0]) / (b[2] - b[0]) > 0.5 || (cells[3] - cells[1]) / (b[3] - b[1]) > 0.5;
      return holds && snug;
    }, { timeout: 15_000 }).toBe(true);
    expect(await page.evaluate(() => window.__zs!.store.state.selection)).toBeNull();
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('search whose code cannot load says so, and the next query tries again', async () => {
    const { page } = await open();
    const input = page.locator('zs-search-box input[role=combobox]');
    await page.route('**/search-index-*.js', (r) => r.abort());
    await input.fill('sjm');
    await expect.poll(() => page.locator('zs-search-box p.none[data-state=failed]').textContent(), { timeout: 20_000 }).toMatch(/搜索未能加载/);
    await page.unroute('**/search-index-*.js');
    await input.fill('sjm ');
    await expect.poll(() => page.locator('zs-search-box [role=option] .name').first().textContent(), { timeout: 20_000 }).toBe('沈家门');
    await page.close();
  });

  it('the public view fits a phone, with no staff tools and no horizontal scroll', async () => {
    const { page, log } = await open('?view=public', { width: 390, height: 844 });
    await page.locator('#panel-toggle').click();
    await expect.poll(() => page.locator('zs-public-summary article').count()).toBe(6);
    expect(await page.locator('[role=tablist]').count()).toBe(0);
    expect(await page.locator('button[data-action=filter], button[data-action=table], zs-analysis-panel, zs-basemap-switcher').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.locator('#demo-badge').isVisible()).toBe(true);
    await page.screenshot({ path: 'test-results/public-390x844.png' });
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('the embed view is the map alone', async () => {
    const { page } = await open('?embed=1', { width: 800, height: 500 });
    expect(await page.locator('#panel').isVisible()).toBe(false);
    expect(await page.locator('#panel-toggle').isVisible()).toBe(false);
    expect(await page.locator('#demo-badge').isVisible()).toBe(true);
    expect(await page.locator('.maplibregl-ctrl-attrib').isVisible()).toBe(true);
    await page.close();
  });

  it('switching to English changes every visible string, and back', async () => {
    const { page } = await open();
    await page.locator('zs-side-panel button.lang').click();
    const visibleText = () =>
      page.evaluate(() => {
        // Text of every visible element, through open shadow roots, except the language button's own label.
        const out: string[] = [];
        const walk = (root: Document | ShadowRoot | Element): void => {
          for (const el of Array.from(root.querySelectorAll('*'))) {
            if (el.shadowRoot) walk(el.shadowRoot);
            if (el.matches('button.lang, script, style')) continue;
            for (const n of Array.from(el.childNodes)) {
              if (n.nodeType !== Node.TEXT_NODE || !n.textContent?.trim()) continue;
              const r = (el as HTMLElement).getBoundingClientRect?.();
              if (r && r.width > 0 && r.height > 0) out.push(n.textContent.trim());
            }
          }
        };
        walk(document);
        return out;
      });
    // The English strings are fetched on the first switch: the page changes once they are here.
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    for (const tab of ['layers', 'dashboard', 'analysis', 'data']) {
      await page.locator(`#tab-${tab}`).click();
      await expect.poll(() => page.locator(`#tab-${tab}`).getAttribute('aria-selected')).toBe('true');
      // A panel loads on its first opening: wait until it shows, then until nothing Chinese is left.
      await expect.poll(() => page.evaluate(() => {
        const shown = Array.from(document.querySelector('#panel')!.children);
        return shown.length > 0 && shown.every((c) => !c.tagName.includes('-') || customElements.get(c.tagName.toLowerCase()) !== undefined);
      })).toBe(true);
      await expect.poll(async () => (await visibleText()).filter((x) => /[\u3400-\u9fff]/.test(x)), { message: tab }).toEqual([]);
      expect((await visibleText()).filter((x) => /^[a-z]+(\.[a-zA-Z0-9]+)+$/.test(x)), `${tab}: raw message keys`).toEqual([]);
    }
    // The choice is remembered.
    await page.reload();
    await waitForMapReady(page);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.locator('zs-side-panel button.lang').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.close();
  });

  it.each([
    ['staff, layers', ''],
    ['staff, dashboard', '#tab=dashboard'],
    ['staff, analysis', '#tab=analysis'],
    ['staff, table open', '#table=idle-plots'],
    ['public', '?view=public'],
    ['embed', '?embed=1'],
  ])('axe finds no serious or critical violations: %s', async (_, path) => {
    const { page } = await open(path);
    await page.waitForTimeout(path.includes('analysis') ? 2500 : 300);
    // Evaluated rather than added as a <script>: the app's Content-Security-Policy refuses inline scripts.
    await page.evaluate(readFileSync(axePath, 'utf8'));
    const violations = (await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target) }));
    })) as unknown[];
    expect(violations).toEqual([]);
    await page.close();
  });
});

describe('print', () => {
  it('lays out an A4 landscape page with title, legend, scale bar, north arrow, date and attribution', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const log = watchPage(page);
    await page.goto(`${baseUrl}#map=13.5/29.99600/122.20500`);
    await waitForMapReady(page);
    await page.locator('#print-open').click();
    const layout = page.locator('zs-print-layout');
    await expect.poll(() => layout.isVisible()).toBe(true);
    // The map image is rendered off screen; wait for it.
    await expect.poll(() => layout.locator('img').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const text = (await layout.evaluate((el) => el.shadowRoot?.textContent ?? '')) ?? '';
    expect(text).toContain('舟山城市治理一张图');
    expect(text).toContain('闲置地块');
    expect(text).toContain('OpenStreetMap');
    expect(text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    expect(text).toMatch(/\d+(\.\d+)?\s*(m|km)/);
    expect(await layout.locator('svg').count()).toBeGreaterThan(1);
    await page.screenshot({ path: 'test-results/print-a4-landscape.png' });
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    await page.keyboard.press('Escape');
    await expect.poll(() => layout.isVisible()).toBe(false);
    expect(log.errors).toEqual([]);
    await page.close();
  });
});

describe('selection and theme', () => {
  it('shift-drag box-selects features of one layer', async () => {
    const { page } = await open('#map=15/29.99600/122.20500&layers=ebike-stations');
    const box = (await page.locator('#map canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const expected = await page.evaluate(([x0, y0, x1, y1]) => {
      const { map } = window.__zs!;
      const r = map.getCanvas().getBoundingClientRect();
      const hits = map.queryRenderedFeatures([[x0! - r.left, y0! - r.top], [x1! - r.left, y1! - r.top]], { layers: ['ebike-stations-circle'] });
      return [...new Set(hits.map((h) => String(h.properties.id)))].sort();
    }, [cx - 200, cy - 150, cx + 200, cy + 150]);
    expect(expected.length).toBeGreaterThan(1);
    await page.keyboard.down('Shift');
    await page.mouse.move(cx - 200, cy - 150);
    await page.mouse.down();
    await page.mouse.move(cx, cy, { steps: 5 });
    await page.mouse.move(cx + 200, cy + 150, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect.poll(async () => (await picked(page))?.ids.slice().sort()).toEqual(expected);
    expect((await picked(page))?.layerId).toBe('ebike-stations');
    // The map did not move: box select replaced shift-drag zoom.
    expect(await page.evaluate(() => window.__zs!.map.getZoom())).toBeCloseTo(15, 5);
    await page.close();
  });

  it('follows a dark system colour scheme, panel and basemap alike', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark' });
    await page.goto(baseUrl);
    await waitForMapReady(page);
    const bg = await page.locator('#panel').evaluate((el) => getComputedStyle(el).getPropertyValue('--zs-bg').trim());
    expect(bg).toBe('#171b1f');
    const sea = await page.evaluate(() => window.__zs!.map.getPaintProperty('sea', 'background-color'));
    expect(sea).toBe('#0e1a24');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.evaluate(() => window.__zs!.map.getPaintProperty('sea', 'background-color'))).toBe('#c9dde8');
    await page.close();
  });
});
