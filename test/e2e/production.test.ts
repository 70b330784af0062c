/**
 * The build served as in production: nginx with deploy/nginx.conf. Over plain HTTP: range
 * reads of the layers, gzip for text and never for .fgb, cache headers per kind of file,
 * CORS on the data, a 404, and the Content-Security-Policy header equal to the build's meta
 * tag. In Chromium: the app works under that policy through load, popup, coverage in the
 * worker, drawing, the table, an export, the print preview and its PNG, and the online
 * basemaps, without one policy violation.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Feature, Polygon } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cspDirectives, metaCsp, readCsp } from '../../deploy/csp.ts';
import { readFgb } from '../../src/data/fgb/read-fgb.ts';
import { launchBrowser, showTab, waitForMapReady, watchPage } from './browser.ts';

const nginxUrl = inject('nginxUrl');
const dist = inject('distDir');
const catalogue = JSON.parse(readFileSync(join(dist, 'catalogue.json'), 'utf8')) as { layers: { id: string; file: string; featureCount: number }[] };
const assets = readdirSync(join(dist, 'assets'));
const indexHtml = readFileSync(join(dist, 'index.html'), 'utf8');
/** The entry script or style sheet index.html links (the app's largest files). */
const entry = (kind: 'js' | 'css'): string => {
  const m = new RegExp(`"\\./(assets/[^"]+\\.${kind})"`).exec(indexHtml);
  if (!m) throw new Error(`index.html links no .${kind} in assets/`);
  return m[1]!;
};
const workerMjs = `assets/${assets.find((f) => f.endsWith('.mjs'))}`;
// A 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes on the wire, not decompressed. */
  body: Buffer;
}

/** One raw HTTP exchange: fetch() would add Accept-Encoding and undo the compression under test. */
function http(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(new URL(path, nginxUrl), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}

describe('nginx with deploy/nginx.conf', () => {
  const layer = 'layers/parks.fgb';
  const file = readFileSync(join(dist, layer));

  it('answers a range read of a layer with 206, Content-Range and exactly those bytes', async () => {
    const whole = await http(layer);
    expect(whole.status).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['content-type']).toBe('application/octet-stream');

    const part = await http(layer, { Range: 'bytes=8-1031', 'Accept-Encoding': 'gzip' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 8-1031/${file.length}`);
    expect(part.headers['content-length']).toBe('1024');
    expect(part.headers['content-encoding']).toBeUndefined();
    expect(part.body.equals(file.subarray(8, 1032))).toBe(true);

    const tail = await http(layer, { Range: 'bytes=-100' });
    expect(tail.status).toBe(206);
    expect(tail.body.equals(file.subarray(file.length - 100))).toBe(true);

    const beyond = await http(layer, { Range: `bytes=${file.length + 10}-` });
    expect(beyond.status).toBe(416);
  });

  it('gzips the app’s text when asked, and never a .fgb layer', async () => {
        for (const path of ['', entry('js'), entry('css'), workerMjs, 'catalogue.json']) {
      const res = await http(path, { 'Accept-Encoding': 'gzip' });
      expect(res.status, path).toBe(200);
      expect(res.headers['content-encoding'], path).toBe('gzip');
      expect(res.headers.vary, path).toMatch(/Accept-Encoding/);
      expect(gunzipSync(res.body).equals(readFileSync(join(dist, path || 'index.html'))), path).toBe(true);
    }
    expect((await http('catalogue.json')).headers['content-encoding']).toBeUndefined();
    for (const path of [layer, 'basemap/land.fgb']) {
      const res = await http(path, { 'Accept-Encoding': 'gzip, deflate, br' });
      expect(res.headers['content-encoding'], path).toBeUndefined();
      expect(res.body.equals(readFileSync(join(dist, path))), path).toBe(true);
    }
  });

  it('serves module scripts (the MapLibre worker is .mjs) as JavaScript', async () => {
    const mjs = await http(workerMjs);
    expect(mjs.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await http(entry('js'))).headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect((await http(entry('css'))).headers['content-type']).toMatch(/^text\/css/);
  });

  it('caches hashed assets for a year and makes index.html and the data revalidate', async () => {
    for (const path of [entry('js'), entry('css')]) {
      expect((await http(path)).headers['cache-control'], path).toBe('public, max-age=31536000, immutable');
    }
    for (const path of ['', 'index.html', 'catalogue.json', layer, 'basemap/roads.fgb']) {
      const res = await http(path);
      expect(res.headers['cache-control'], path).toBe('no-cache');
      expect(res.headers.etag, path).toBeTruthy();
      expect(res.headers['last-modified'], path).toBeTruthy();
      // The revalidation no-cache asks for costs a 304 and no body.
      const again = await http(path, { 'If-None-Match': String(res.headers.etag) });
      expect(again.status, path).toBe(304);
      expect(again.body.length, path).toBe(0);
    }
  });

  it('lets other sites read the data files and their byte ranges, and only those', async () => {
    for (const path of ['catalogue.json', layer]) {
      const res = await http(path, { Origin: 'https://example.org', Range: 'bytes=0-7' });
      expect(res.headers['access-control-allow-origin'], path).toBe('*');
      expect(res.headers['access-control-allow-headers'], path).toBe('Range');
      const exposed = String(res.headers['access-control-expose-headers']).split(/,\s*/).sort();
      expect(exposed, path).toEqual(['Accept-Ranges', 'Content-Length', 'Content-Range', 'ETag']);
    }
    const preflight = await http(layer, { Origin: 'https://example.org', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' }, 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-headers']).toBe('Range');
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
    for (const path of ['', entry('js')]) {
      expect((await http(path, { Origin: 'https://example.org' })).headers['access-control-allow-origin'], path).toBeUndefined();
    }
  });

  it('answers 404 for a missing file, with the security headers', async () => {
    for (const path of ['layers/no-such-layer.fgb', 'assets/no-such-chunk.js', 'nothing/here']) {
      const res = await http(path);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-security-policy'], path).toBe(readCsp());
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
    }
  });

  it('sends the deployed Content-Security-Policy and security headers, and the build carries the same policy in a meta tag', async () => {
    const res = await http('');
    const header = String(res.headers['content-security-policy']);
    expect(header).toBe(readCsp());
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    const directives = new Map(cspDirectives(header));
    for (const d of ['script-src', 'style-src', 'default-src', 'worker-src']) {
      // 'wasm-unsafe-eval' (SQLite's WebAssembly for GeoPackage) compiles wasm only; it is not eval.
      expect(directives.get(d), d).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*/);
    }
    // WebAssembly may compile (GeoPackage import runs SQLite as wasm); nothing else is relaxed.
    expect(directives.get('script-src')).toBe("'self' 'wasm-unsafe-eval'");
    expect(directives.get('object-src')).toBe("'none'");
    // The embed view (?embed=1) is for other sites' iframes.
    expect(directives.get('frame-ancestors')).toBe('*');

    const html = indexHtml;
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/g)].map((m) => m[1]);
    expect(metas).toHaveLength(1);
    expect(cspDirectives(metas[0]!)).toEqual(cspDirectives(metaCsp(header)));
    expect(cspDirectives(header).filter(([d]) => !new Map(cspDirectives(metas[0]!)).has(d)).map(([d]) => d)).toEqual(['frame-ancestors']);
    // A meta policy covers only what follows it: it must come before every script and style sheet.
    expect(html.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(Math.min(html.indexOf('<script'), html.indexOf('<link rel="stylesheet"')));
  });
});

describe('the app under its Content-Security-Policy', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  interface Violation {
    directive: string;
    blocked: string;
    source: string;
    line: number;
    sample: string;
  }
  type CspWindow = { __csp: Violation[] };

  /** A page that records every CSP violation from its first script on, and whatever else goes wrong. */
  async function open(hash = ''): Promise<{ page: Page; log: ReturnType<typeof watchPage>; violations: () => Promise<Violation[]> }> {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    await page.addInitScript(() => {
      const seen: Violation[] = ((window as unknown as CspWindow).__csp = []);
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample }),
      );
    });
    const log = watchPage(page);
    page.on('console', (m) => {
      // Policy messages that are warnings, not errors (e.g. a directive ignored in a meta tag).
      if (m.type() === 'warning' && /Content.Security.Policy/i.test(m.text())) log.errors.push(m.text());
    });
    page.on('requestfailed', (r) => {
      if (/BLOCKED_BY_CSP/i.test(r.failure()?.errorText ?? '')) log.errors.push(`blocked by CSP: ${r.url()}`);
    });
    const response = await page.goto(`${nginxUrl}${hash}`);
    expect(response?.headers()['content-security-policy']).toBe(readCsp());
    await waitForMapReady(page);
    return { page, log, violations: () => page.evaluate(() => (window as unknown as CspWindow).__csp) };
  }

  it('loads, draws every layer, opens a popup, runs coverage in the worker, draws an area, opens the table, exports, prints and saves a PNG without a violation', async () => {
    const plot = (await readFgb(new Uint8Array(readFileSync(join(dist, 'layers/idle-plots.fgb')))).next()).value as Feature<Polygon>;
    const ring = plot.geometry.coordinates[0]!;
    const lon = ring.slice(0, 4).reduce((s, p) => s + p[0]!, 0) / 4;
    const lat = ring.slice(0, 4).reduce((s, p) => s + p[1]!, 0) / 4;
    const { page, log, violations } = await open(`#map=17.5/${lat.toFixed(6)}/${lon.toFixed(6)}`);

    // Every layer loaded with its count (all on the map, whatever is visible).
    for (const l of catalogue.layers) {
      await expect.poll(() => page.locator(`li[data-layer="${l.id}"] .state`).getAttribute('data-count'), { message: l.id }).toBe(String(l.featureCount));
    }

    // Template styles arrive through CSSOM (cssProps), not as a style attribute the policy refuses.
    const swatch = page.locator('li[data-layer="idle-plots"] .sw').first();
    expect(await swatch.evaluate((el) => (el as HTMLElement).style.getPropertyValue('--c'))).not.toBe('');

    // A popup.
    const xy = await page.evaluate(([x, y]) => {
      const { map } = window.__zs!;
      const p = map.project([x!, y!]);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }, [lon, lat]);
    await page.mouse.click(xy.x, xy.y);
    await expect.poll(() => page.locator('.maplibregl-popup zs-feature-popup h2').textContent()).toBe(String(plot.properties!.name));
    await page.keyboard.press('Escape');

    // Search: its index code and the pinyin worker load on the first query, under the policy.
    await page.locator('zs-search-box input').fill('sjm');
    await expect.poll(() => page.locator('zs-search-box [role=option] .name').first().textContent(), { timeout: 30_000 }).toBe('沈家门');

    // The attribute table (a virtualised list) and a GeoJSON export (a blob: download).
    await page.locator('li[data-layer="parks"] button[data-action=table]').click();
    await expect.poll(() => page.locator('zs-attribute-table [role=row][aria-rowindex]').count()).toBeGreaterThan(0);
    // Set before the virtualizer would give itself min-height 150px, so the drawer can shrink.
    expect(await page.locator('zs-attribute-table lit-virtualizer').evaluate((el) => (el as HTMLElement).style.minHeight)).toBe('0px');
    await showTab(page, 'data');
    const io = page.locator('zs-data-io-panel');
    // The popup's feature is picked, so the scope starts on it: the whole layer is wanted here.
    await io.locator('#export-scope').selectOption('layer');
    await io.locator('#export-layer').selectOption('idle-plots');
    await io.locator('#export-format').selectOption('geojson');
    const [geojson] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), io.locator('#export-run').click()]);
    expect((JSON.parse(readFileSync((await geojson.path()), 'utf8')) as { features: unknown[] }).features).toHaveLength(58);

    // Coverage runs in the analysis worker; its panel draws bars and a legend.
    await page.evaluate(() => window.__zs!.map.jumpTo({ center: [122.205, 29.996], zoom: 14.5 }));
    await page.locator('[role=tab]#tab-analysis').click();
    await expect.poll(() => page.locator('#city-share').getAttribute('data-share'), { timeout: 60_000 }).not.toBeNull();
    expect(Number(await page.locator('#city-share').getAttribute('data-share'))).toBeGreaterThan(0);
    expect(await page.locator('zs-analysis-panel .fill').first().evaluate((el) => (el as HTMLElement).style.width)).toMatch(/%$/);

    // terra-draw (loaded on first use): draw a study area.
    await page.locator('zs-analysis-panel button[data-tool=draw-area]').click();
    await page.waitForSelector('#map[data-draw-mode=polygon]');
    const box = (await page.locator('#map canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 3;
    const corners: [number, number][] = [[cx - 150, cy - 100], [cx + 150, cy - 100], [cx + 150, cy + 100], [cx - 150, cy + 100], [cx - 150, cy - 100]];
    for (const [x, y] of corners) {
      await page.mouse.click(x, y);
      // terra-draw ignores a click that follows the previous one too closely (a double click).
      await page.waitForTimeout(150);
    }
    await expect.poll(() => page.locator('zs-analysis-panel #study tr[data-layer="communities"] td[data-count]').count(), { timeout: 30_000 }).toBe(1);

    // The print preview (its @page rules live outside the shadow root) and the map image download.
    await page.locator('#print-open').click();
    const layout = page.locator('zs-print-layout');
    await expect.poll(() => layout.locator('img').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const pageRule = await page.evaluate(() =>
      [...document.styleSheets, ...document.adoptedStyleSheets].flatMap((s) => [...s.cssRules]).some((r) => r instanceof CSSPageRule && /size:/.test(r.cssText)),
    );
    expect(pageRule).toBe(true);
    const [png] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), layout.getByRole('button', { name: /PNG/ }).click()]);
    expect(readFileSync((await png.path())).subarray(1, 4).toString()).toBe('PNG');
    await page.keyboard.press('Escape');
    await expect.poll(() => layout.isVisible()).toBe(false);

    expect(await violations()).toEqual([]);
    expect(log.errors).toEqual([]);

    // The policy is live (so "no violations" means something): an inline script is refused and reported.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
    });
    await expect.poll(async () => (await violations()).map((v) => v.directive)).toContain('script-src-elem');
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
    await page.close();
  });

  it('lets the opt-in online basemaps fetch their tiles', async () => {
    const { page, log, violations } = await open();
    const tiles: string[] = [];
    // Stubs, as the machine has no network. The browser applies the policy before a request
    // reaches these, so a tile that arrives here was allowed.
    for (const host of ['https://tile.openstreetmap.org/**', 'https://*.tianditu.gov.cn/**']) {
      await page.route(host, (route) => {
        tiles.push(new URL(route.request().url()).host);
        return route.fulfill({ status: 200, contentType: 'image/png', headers: { 'Access-Control-Allow-Origin': '*' }, body: PNG });
      });
    }
    await page.locator('zs-basemap-switcher input[value=osm]').check();
    await expect.poll(() => tiles.filter((h) => h === 'tile.openstreetmap.org').length, { timeout: 20_000 }).toBeGreaterThan(0);
    const key = page.locator('zs-basemap-switcher input[type=text]');
    await key.fill('test-key-123');
    await key.press('Enter');
    await key.blur();
    await page.locator('zs-basemap-switcher input[value=tianditu]').check();
    await expect.poll(() => tiles.filter((h) => h.endsWith('.tianditu.gov.cn')).length, { timeout: 20_000 }).toBeGreaterThan(0);
    await page.evaluate(() => new Promise((r) => window.__zs!.map.once('idle', r)));
    expect(await violations()).toEqual([]);
    expect(log.errors).toEqual([]);
    await page.close();
  });
});
