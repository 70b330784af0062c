/**
 * The page around the map, in Chromium at desktop and phone sizes, in both languages: the
 * table drawer scrolls inside itself and never the page; on a phone the bottom sheet does
 * not hide what was picked, nor the scale and attribution; the table and the popups work
 * from the keyboard; touch targets are large enough; the header is compact; no Chinese is
 * left in the English UI and no English sentences in the Chinese one; the opening view
 * frames the four towns; a basemap that cannot be reached says so.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, showTab, waitForMapReady, watchPage } from './browser.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
type Box = { x: number; y: number; width: number; height: number };

async function open(path: string, viewport = DESKTOP, locale = 'zh-CN', options: BrowserContextOptions = {}): Promise<{ page: Page; log: ReturnType<typeof watchPage> }> {
  const page = await browser.newPage({ viewport, locale, ...options });
  const log = watchPage(page);
  await page.goto(`${baseUrl}${path}`);
  await waitForMapReady(page);
  return { page, log };
}

/** Resolves once the map has stopped moving and drawn everything it has. */
const mapSettled = (page: Page) =>
  page.evaluate(() => new Promise<void>((resolve) => {
    const map = window.__zs!.map;
    const check = (): void => {
      if (!map.isMoving() && map.loaded()) resolve();
      else map.once('idle', check);
    };
    check();
  }));

const intersects = (a: Box | null, b: Box | null): boolean =>
  a !== null && b !== null && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const pageScroll = (page: Page) =>
  page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, scrollX: window.scrollX }));

/** What has focus, through shadow roots: its tag, role, class, and the components it sits in. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    const hosts: string[] = [];
    while (el?.shadowRoot?.activeElement) {
      hosts.push(el.tagName.toLowerCase());
      el = el.shadowRoot.activeElement;
    }
    const inPopup = Boolean(el?.closest('.maplibregl-popup'));
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      role: el?.getAttribute('role') ?? '',
      cls: el?.getAttribute('class') ?? '',
      field: el?.closest('[data-field]')?.getAttribute('data-field') ?? null,
      action: el?.getAttribute('data-action') ?? null,
      layer: el?.closest('li[data-layer]')?.getAttribute('data-layer') ?? null,
      hosts,
      inPopup,
    };
  });

/** The text of every visible element, through open shadow roots; the language button's own label is marked. */
const visibleTexts = (page: Page) =>
  page.evaluate(() => {
    const out: { text: string; lang: boolean }[] = [];
    const walk = (root: Document | ShadowRoot): void => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (el.shadowRoot) walk(el.shadowRoot);
        if (el.matches('script, style, title')) continue;
        for (const n of Array.from(el.childNodes)) {
          if (n.nodeType !== Node.TEXT_NODE || !n.textContent?.trim()) continue;
          const r = (el as HTMLElement).getBoundingClientRect();
          const style = getComputedStyle(el);
          if (r.width <= 1 || r.height <= 1 || style.visibility === 'hidden' || r.bottom < 0 || r.top > innerHeight || r.right < 0 || r.left > innerWidth) continue;
          out.push({ text: n.textContent.trim(), lang: Boolean(el.closest('button.lang')) });
        }
      }
    };
    walk(document);
    return out;
  });

/**
 * Every visible button, input, select, label and link, through shadow roots, with the box
 * a finger can hit: an input inside a label (or named by one) is hit through the label.
 */
const touchTargets = (page: Page) =>
  page.evaluate(() => {
    const out: { what: string; width: number; height: number }[] = [];
    const visible = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth
        && !el.closest('.vh');
    };
    const walk = (root: Document | ShadowRoot): void => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (el.shadowRoot) walk(el.shadowRoot);
        if (!el.matches('button, input, select, label, a[href], [role=option]') || !visible(el)) continue;
        let target: Element = el;
        if (el.matches('input')) {
          const id = el.getAttribute('id');
          target = el.closest('label') ?? (id ? root.querySelector(`label[for="${id}"]`) : null) ?? el;
          if (target !== el && !visible(target)) target = el;
        }
        const r = target.getBoundingClientRect();
        const name = `${el.tagName.toLowerCase()}${el.getAttribute('class') ? `.${el.getAttribute('class')!.split(/\s+/).join('.')}` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`;
        out.push({ what: name, width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 });
      }
    };
    walk(document);
    return out;
  });

async function searchPick(page: Page, query: string): Promise<void> {
  const input = page.locator('zs-search-box input[role=combobox]');
  await input.fill(query);
  const option = page.locator('zs-search-box [role=option]').first();
  await option.waitFor();
  await option.click();
  await page.locator('.maplibregl-popup zs-feature-popup').waitFor();
  await mapSettled(page);
}

describe('the attribute table drawer', () => {
  it.each([
    ['desktop', DESKTOP, 'zh-CN'],
    ['desktop', DESKTOP, 'en-US'],
    ['phone', PHONE, 'zh-CN'],
    ['phone', PHONE, 'en-US'],
  ])('scrolls inside itself: the page never scrolls sideways (%s, %s)', async (size, viewport, locale) => {
    const { page, log } = await open('#table=idle-plots', viewport, locale);
    const rows = page.locator('zs-attribute-table [role=row][aria-rowindex]');
    await expect.poll(() => rows.count()).toBeGreaterThan(3);
    expect(await pageScroll(page)).toEqual({ scrollWidth: viewport.width, clientWidth: viewport.width, scrollX: 0 });

    // Across every column header, with Tab and with the arrow keys: the table scrolls, the page does not.
    const headers = page.locator('zs-attribute-table [role=columnheader] button');
    const n = await headers.count();
    await headers.first().focus();
    for (let i = 0; i < n; i++) await page.keyboard.press('ArrowRight');
    expect(await pageScroll(page)).toEqual({ scrollWidth: viewport.width, clientWidth: viewport.width, scrollX: 0 });
    await headers.first().focus();
    for (let i = 0; i < n; i++) await page.keyboard.press('Tab');
    expect(await pageScroll(page)).toEqual({ scrollWidth: viewport.width, clientWidth: viewport.width, scrollX: 0 });
    // The last column was reached inside the table, which shows it (once the header and the
    // rows have caught up with each other's sideways scroll).
    await headers.last().focus();
    const drawer = (await page.locator('#table-drawer').boundingBox())!;
    await expect.poll(async () => {
      const last = (await headers.last().boundingBox())!;
      return last.x >= drawer.x - 1 && last.x + last.width <= drawer.x + drawer.width + 1;
    }).toBe(true);
    expect(await pageScroll(page)).toEqual({ scrollWidth: viewport.width, clientWidth: viewport.width, scrollX: 0 });

    // The drawer's close button and the map's zoom buttons are on screen, and the close button closes it.
    for (const sel of ['zs-attribute-table button.close', '.maplibregl-ctrl-zoom-in']) {
      const box = (await page.locator(sel).boundingBox())!;
      expect(box.x, sel).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, sel).toBeLessThanOrEqual(viewport.width);
      expect(box.y + box.height, sel).toBeLessThanOrEqual(viewport.height);
    }
    await page.locator('zs-attribute-table button.close').click();
    await expect.poll(() => page.evaluate(() => window.__zs!.store.state.table)).toBeNull();
    expect(await page.locator('#table-drawer').isVisible()).toBe(false);
    await page.screenshot({ path: `test-results/layout-table-${size}-${locale}.png` });
    expect(log.errors).toEqual([]);
    await page.close();
  });
});

describe('the bottom sheet on a phone', () => {
  it('keeps the scale and attribution above it, and a search pick shows the feature and its popup clear of it', async () => {
    const { page, log } = await open('?view=public', PHONE);
    await page.locator('#panel-toggle').click();
    await expect.poll(() => page.locator('#panel').isVisible()).toBe(true);
    await mapSettled(page);
    const sheet = await page.locator('#panel').boundingBox();
    expect(sheet!.height).toBeGreaterThan(200);
    for (const sel of ['.maplibregl-ctrl-scale', '.maplibregl-ctrl-attrib', '#panel-toggle']) {
      expect(intersects(await page.locator(sel).boundingBox(), sheet), sel).toBe(false);
    }

    await searchPick(page, '纵三路电单车');
    const popup = (await page.locator('.maplibregl-popup').boundingBox())!;
    const map = (await page.locator('#map').boundingBox())!;
    expect(intersects(popup, await page.locator('#panel').boundingBox())).toBe(false);
    // The popup is whole inside the map, and so is the feature it points at.
    expect(popup.y).toBeGreaterThanOrEqual(map.y - 1);
    expect(popup.y + popup.height).toBeLessThanOrEqual(map.y + map.height + 1);
    const at = await page.evaluate(() => {
      const { map: m, store } = window.__zs!;
      const p = m.project(store.state.selection!.lngLat);
      const r = m.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    expect(intersects({ ...at, width: 1, height: 1 }, await page.locator('#panel').boundingBox())).toBe(false);
    expect(at.y).toBeLessThan(map.y + map.height);
    for (const sel of ['.maplibregl-ctrl-scale', '.maplibregl-ctrl-attrib']) {
      expect(intersects(await page.locator(sel).boundingBox(), await page.locator('#panel').boundingBox()), sel).toBe(false);
    }
    await page.screenshot({ path: 'test-results/layout-phone-search-pick.png' });
    expect(log.errors).toEqual([]);
    await page.close();
  });
});

describe('keyboard', () => {
  it('the table takes focus when opened, its header row is one Tab stop, Enter keeps focus, Escape closes the popup and then the table', async () => {
    const { page, log } = await open('', DESKTOP);
    const opener = page.locator('li[data-layer="parks"] button[data-action=table]');
    await opener.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).hosts).toContain('zs-attribute-table');
    expect((await focused(page)).role).toBe('row');

    // Shift+Tab: the header row (one stop); the arrows move along it; Shift+Tab again leaves it.
    await page.keyboard.press('Shift+Tab');
    const first = await focused(page);
    expect(first.field).not.toBeNull();
    await page.keyboard.press('ArrowRight');
    const second = await focused(page);
    expect(second.field).not.toBeNull();
    expect(second.field).not.toBe(first.field);
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page)).cls).toContain('close');
    await page.keyboard.press('Tab');
    expect((await focused(page)).field).toBe(second.field);
    await page.keyboard.press('Tab');
    expect((await focused(page)).role).toBe('row');

    // Enter on a row selects it and opens its popup; the focus stays on the row.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('.maplibregl-popup zs-feature-popup').waitFor();
    await mapSettled(page);
    expect(await page.evaluate(() => window.__zs!.store.state.selection?.layerId)).toBe('parks');
    expect(await focused(page)).toMatchObject({ role: 'row', hosts: expect.arrayContaining(['zs-attribute-table']) as unknown });

    // Escape: the popup first, focus staying in the table; then the table, focus back on its button.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.maplibregl-popup').count()).toBe(0);
    expect(await page.evaluate(() => window.__zs!.store.state.selection)).toBeNull();
    expect((await focused(page)).role).toBe('row');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => window.__zs!.store.state.table)).toBeNull();
    expect(await focused(page)).toMatchObject({ action: 'table', layer: 'parks' });
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('Escape closes a popup opened on the map and gives focus back to the map', async () => {
    const { page } = await open('#map=16/29.99600/122.20500&layers=parks', DESKTOP);
    const target = await page.evaluate(async () => {
      const { map, store } = window.__zs!;
      const park = (store.state.data as Record<string, GeoJSON.FeatureCollection>).parks!.features[0]!;
      const ring = (park.geometry as GeoJSON.Polygon).coordinates[0]!;
      const lon = ring.slice(0, -1).reduce((s, p) => s + p[0]!, 0) / (ring.length - 1);
      const lat = ring.slice(0, -1).reduce((s, p) => s + p[1]!, 0) / (ring.length - 1);
      map.jumpTo({ center: [lon, lat], zoom: 16 });
      await new Promise((r) => map.once('idle', r));
      const p = map.project([lon, lat]);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    await page.mouse.click(target.x, target.y);
    await page.locator('.maplibregl-popup zs-feature-popup').waitFor();
    await expect.poll(async () => (await focused(page)).inPopup).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.maplibregl-popup').count()).toBe(0);
    expect((await focused(page)).cls).toContain('maplibregl-canvas');
    await page.close();
  });

  it('names the map controls in the UI language, and renames them when it changes', async () => {
    const { page } = await open('', DESKTOP);
    const labels = () => page.evaluate(() => ['.maplibregl-ctrl-zoom-in', '.maplibregl-ctrl-zoom-out', '.maplibregl-ctrl-geolocate', '.maplibregl-canvas']
      .map((s) => document.querySelector(s)?.getAttribute('aria-label') ?? null));
    expect(await labels()).toEqual(['放大', '缩小', '定位到我的位置', '地图']);
    await page.locator('zs-side-panel button.lang').click();
    await expect.poll(labels).toEqual(['Zoom in', 'Zoom out', 'Show my location', 'Map']);
    await page.close();
  });
});

describe('on a phone', () => {
  it('the staff panel’s tabs are tall enough for a finger (30 px, over WCAG’s 24) in a header that stays compact, in both languages', async () => {
    for (const locale of ['zh-CN', 'en-US']) {
      const { page, log } = await open('', PHONE, locale, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      await page.locator('#panel-toggle').tap();
      await expect.poll(() => page.locator('#panel').isVisible()).toBe(true);
      const tabs = page.locator('zs-side-panel [role=tab]');
      expect(await tabs.count()).toBe(5);
      for (const box of await tabs.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect))) {
        expect(box.height).toBeGreaterThanOrEqual(30);
        expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      }
      expect(await pageScroll(page)).toEqual({ scrollWidth: PHONE.width, clientWidth: PHONE.width, scrollX: 0 });
      expect(log.errors).toEqual([]);
      await page.close();
    }
  });

  it('every touch target of the public view is at least 44 × 44 px', async () => {
    const { page, log } = await open('?view=public', PHONE, 'zh-CN', { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const small = async () => (await touchTargets(page)).filter((t) => t.width < 44 || t.height < 44);
    expect(await small(), 'sheet closed').toEqual([]);
    await page.locator('#panel-toggle').tap();
    await expect.poll(() => page.locator('#panel').isVisible()).toBe(true);
    // The map's three buttons, the panel button, print, language and search at least.
    expect((await touchTargets(page)).length).toBeGreaterThanOrEqual(7);
    expect(await small(), 'sheet open').toEqual([]);
    // Scrolled to the end of the sheet, the layer rows and the source line.
    await page.locator('zs-side-panel').evaluate((el) => {
      const body = el.shadowRoot!.querySelector('.body')!;
      body.scrollTop = body.scrollHeight;
    });
    expect(await small(), 'sheet scrolled').toEqual([]);
    await searchPick(page, '纵三路电单车');
    expect(await page.locator('.maplibregl-popup-close-button').isVisible()).toBe(true);
    expect(await small(), 'popup open').toEqual([]);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('"near me" centres the map on the granted position with no request off the origin, and says so when the position is refused', async () => {
    const here = { latitude: 29.9452, longitude: 122.2951 };
    const { page, log } = await open('?view=public', PHONE, 'zh-CN', { permissions: ['geolocation'], geolocation: here });
    const button = page.locator('.maplibregl-ctrl-geolocate');
    await button.click();
    await expect.poll(async () => {
      const c = await page.evaluate(() => window.__zs!.map.getCenter());
      return Math.hypot(c.lng - here.longitude, c.lat - here.latitude);
    }, { timeout: 20_000 }).toBeLessThan(0.002);
    expect(await page.locator('.maplibregl-user-location-dot').count()).toBe(1);
    const origin = new URL(baseUrl).origin;
    expect(log.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
    expect(log.errors).toEqual([]);
    await page.close();

    // No permission: the button says the location is not available, nothing breaks.
    const denied = await open('?view=public', PHONE, 'zh-CN');
    await denied.page.context().clearPermissions();
    await denied.page.locator('.maplibregl-ctrl-geolocate').click();
    await expect.poll(() => denied.page.locator('.maplibregl-ctrl-geolocate').getAttribute('aria-label')).toBe('无法获取位置');
    expect(denied.log.errors).toEqual([]);
    await denied.page.close();
  });
});

describe('header and language', () => {
  it.each([
    ['staff', '', { width: 1280, height: 720 }, 'zh-CN'],
    ['staff', '', { width: 1280, height: 720 }, 'en-US'],
    ['staff', '', DESKTOP, 'en-US'],
    ['public', '?view=public', PHONE, 'zh-CN'],
    ['public', '?view=public', PHONE, 'en-US'],
    ['staff', '', PHONE, 'en-US'],
    ['staff', '', PHONE, 'zh-CN'],
  ])('the %s header is compact at %o in %s: one-line title, the language button whole', async (_, path, viewport, locale) => {
    const { page } = await open(path, viewport, locale);
    if (viewport.width < 700) await page.locator('#panel-toggle').click();
    const m = await page.locator('zs-side-panel').evaluate((el) => {
      const root = el.shadowRoot!;
      const header = root.querySelector('header')!.getBoundingClientRect();
      const h1 = root.querySelector('h1')!;
      const lang = root.querySelector<HTMLElement>('button.lang')!;
      const lr = lang.getBoundingClientRect();
      const panel = el.getBoundingClientRect();
      return {
        header: header.height,
        titleLines: Math.round(h1.getBoundingClientRect().height / parseFloat(getComputedStyle(h1).lineHeight)),
        titleClipped: h1.scrollWidth > h1.clientWidth + 1,
        langInside: lr.left >= panel.left && lr.right <= panel.right + 0.5 && lr.top >= panel.top,
        langClipped: lang.scrollWidth > lang.clientWidth + 1,
      };
    });
    expect(m.header).toBeLessThan(720 / 5);
    expect(m).toMatchObject({ titleLines: 1, titleClipped: false, langInside: true, langClipped: false });
    await page.screenshot({ path: `test-results/layout-header-${viewport.width}-${locale}${path ? '-public' : ''}.png` });
    await page.close();
  });

  it('English shows no Chinese (popup, layer list, roads and places included), and back in Chinese no English sentences', async () => {
    const { page, log } = await open('', DESKTOP, 'en-US');
    // An idle plot: its road has a Latin name in the basemap.
    await searchPick(page, 'IP-042');
    expect(await page.locator('.maplibregl-popup zs-feature-popup').evaluate((el) => el.shadowRoot!.textContent)).toContain('Shenjiamen N–S Road 9');
    const han = /[\u3400-\u9fff]/;
    const texts = await visibleTexts(page);
    expect(texts.filter((x) => !x.lang && han.test(x.text)).map((x) => x.text)).toEqual([]);
    // The map's place labels are in their Latin form too.
    expect(JSON.stringify(await page.evaluate(() => window.__zs!.map.getLayoutProperty('place-label', 'text-field')))).not.toContain('"name"');

    // Chinese: a projected CSV is imported; the CRS explanation is a Chinese sentence.
    await page.locator('zs-side-panel button.lang').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await showTab(page, 'data');
    await page.locator('#import-file').setInputFiles({ name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y,name\n423089.93,3319050.54,A\n423189.93,3319150.54,B\n') });
    const status = page.locator('zs-data-io-panel #import-status [role=status]');
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain('EPSG:4550');
    await page.locator('zs-data-io-panel #import-status').scrollIntoViewIfNeeded();
    // Four Latin words in a row is a sentence; codes (EPSG:4550, GeoJSON, OpenStreetMap) are not.
    const sentence = /[A-Za-z][a-z’']*(?:[\s,;]+[A-Za-z][a-z’']*){3,}/;
    const zh = await visibleTexts(page);
    expect(zh.filter((x) => !x.lang && sentence.test(x.text)).map((x) => x.text)).toEqual([]);
    // Why this CRS, in Chinese too.
    expect(await status.textContent()).toContain('文件未声明坐标系');
    expect(log.errors).toEqual([]);
    await page.close();
  });
});

describe('the opening view', () => {
  const TOWNS = ['Dinghai', 'Lincheng', 'Shenjiamen', 'Baiquan'];

  /** Town labels and the programme's extent, projected, against the part of the map nothing covers. */
  const framing = (page: Page) =>
    page.evaluate((towns) => {
      const { map, store } = window.__zs!;
      const s = store.state;
      const box = map.getContainer().getBoundingClientRect();
      const covers = ['#panel', '#table-drawer'].map((sel) => document.querySelector(sel)!.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0);
      const at = (lngLat: [number, number]) => {
        const p = map.project(lngLat);
        return { x: box.left + p.x, y: box.top + p.y };
      };
      const shown = (p: { x: number; y: number }): boolean =>
        p.x >= box.left + 8 && p.x <= box.right - 8 && p.y >= box.top + 8 && p.y <= box.bottom - 8 && p.x >= 8 && p.x <= innerWidth - 8 && p.y <= innerHeight - 8
        && !covers.some((r) => p.x >= r.left && p.x <= r.right && p.y >= r.top && p.y <= r.bottom);
      const places = s.basemapData.places!.features.filter((f) => towns.includes(String(f.properties?.name_en)));
      const result: Record<string, boolean> = {};
      for (const f of places) result[String(f.properties?.name_en)] = shown(at((f.geometry as GeoJSON.Point).coordinates as [number, number]));
      // Every feature of the programme's layers.
      let w = Infinity, so = Infinity, e = -Infinity, n = -Infinity;
      const visit = (c: unknown): void => {
        if (typeof (c as number[])[0] === 'number') {
          const [x, y] = c as [number, number];
          w = Math.min(w, x); e = Math.max(e, x); so = Math.min(so, y); n = Math.max(n, y);
        } else for (const d of c as unknown[]) visit(d);
      };
      for (const entry of s.catalogue!.layers.filter((l) => l.group === 'programme')) {
        for (const f of s.data[entry.id]?.features ?? []) visit((f.geometry as GeoJSON.Point).coordinates);
      }
      result.west = shown(at([w, (so + n) / 2]));
      result.east = shown(at([e, (so + n) / 2]));
      result.south = shown(at([(w + e) / 2, so]));
      result.north = shown(at([(w + e) / 2, n]));
      return result;
    }, TOWNS);

  const everywhere = { Dinghai: true, Lincheng: true, Shenjiamen: true, Baiquan: true, west: true, east: true, south: true, north: true };

  it('frames the four towns beside the side panel at 1440 × 900', async () => {
    const { page } = await open('', DESKTOP);
    await mapSettled(page);
    expect(await framing(page)).toEqual(everywhere);
    await page.screenshot({ path: 'test-results/layout-opening-desktop.png' });
    await page.close();
  });

  it('frames the four towns above the sheet on a phone', async () => {
    const { page } = await open('?view=public', PHONE);
    await mapSettled(page);
    expect(await framing(page)).toEqual(everywhere);
    await page.locator('#panel-toggle').click();
    await expect.poll(() => page.locator('#panel').isVisible()).toBe(true);
    await mapSettled(page);
    await expect.poll(() => framing(page)).toEqual(everywhere);
    await page.screenshot({ path: 'test-results/layout-opening-phone.png' });
    await page.close();
  });

  it('says in the panel, in both languages, when the online basemap cannot be reached, and shows the offline land meanwhile', async () => {
    const { page } = await open('', DESKTOP);
    await page.route('https://tile.openstreetmap.org/**', (route) => route.abort('failed'));
    await page.locator('zs-basemap-switcher input[value=osm]').check();
    const alert = page.locator('zs-basemap-switcher [role=alert]');
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toMatch(/无法连接/);
    expect(await page.evaluate(() => window.__zs!.map.getLayoutProperty('land', 'visibility'))).not.toBe('none');
    await page.locator('zs-side-panel button.lang').click();
    await expect.poll(() => alert.textContent()).toMatch(/cannot be reached/);
    await page.locator('zs-basemap-switcher input[value=offline]').check();
    await expect.poll(() => alert.count()).toBe(0);
    await page.close();
  });
});
