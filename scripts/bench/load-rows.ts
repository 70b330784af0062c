/**
 * Load benchmark, in headless Chromium: navigation start to every layer drawn, the app
 * against a bare MapLibre page that draws the same map (scripts/bench/bare/), on a desktop
 * screen and on an emulated phone with its CPU slowed down.
 *
 * Both pages mark the same moment: the map's first 'idle' once every source has its data
 * (the app's `zs:layers-drawn`, the bare page's `bare:layers-drawn`), read as the mark's
 * `startTime`, i.e. milliseconds since navigation start. Every run is a fresh browser context
 * (cold HTTP cache); app and bare page alternate which goes first from run to run, so that
 * drift on a noisy machine hits both. One uncounted load of each warms the browser process
 * and the servers first.
 *
 * The app is built with its own config (index.html its only input) and the bare page with
 * Vite's JS API from scripts/bench/bare/, each into a temporary folder (not dist/, which the
 * browser tests may be serving), and each is served by its own `vite preview` (gzip on the
 * fly, as for the other browser rows). The bare page gets copies of data/basemap and
 * data/layers beside it, under the paths the app uses.
 *
 * Also counted per run: the JavaScript received by the time the map was drawn (response
 * bodies as sent, i.e. gzipped: the page's scripts and its workers' scripts), and per build
 * the main chunk's size, raw and gzipped.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContextOptions, Request } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { CHROMIUM_PATH, launchBrowser } from '../../test/e2e/browser.ts';

export interface LoadProfile {
  id: 'desktop' | 'phone';
  /** For the row's name, e.g. "desktop 1440×900". */
  label: string;
  context: BrowserContextOptions;
  /** CPU slow-down through the DevTools protocol; 1 for none. */
  cpuRate: number;
}

export const LOAD_PROFILES: readonly LoadProfile[] = [
  { id: 'desktop', label: 'desktop 1440×900', context: { viewport: { width: 1440, height: 900 } }, cpuRate: 1 },
  {
    id: 'phone',
    label: 'phone 390×844 @3×, CPU 4× slower',
    context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
    cpuRate: 4,
  },
];

export interface LoadRun {
  /** Navigation start to every layer drawn, ms. */
  drawnMs: number;
  /** Navigation start to every layer's data in hand (given to the map), ms. */
  loadedMs: number;
  /** JavaScript response bodies received by the time the map was drawn, bytes as sent (gzipped). */
  jsBytes: number;
  /** The same scripts uncompressed (those on the page's own timeline: workers' imports excepted). */
  jsDecodedBytes: number;
  jsFiles: number;
}

export interface LoadSide {
  runs: LoadRun[];
  /** What went wrong in runs that gave no figure. */
  failures: string[];
}

interface LoadCase {
  profile: LoadProfile;
  app: LoadSide;
  bare: LoadSide;
}

interface MainChunk {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface LoadFigures {
  cases: LoadCase[];
  appMain: MainChunk | null;
  bareMain: MainChunk | null;
  note: string;
}

const BARE_ROOT = join(import.meta.dirname, 'bare');
/** A phone at a quarter speed on a loaded 2-core machine draws in well under this. */
const RUN_TIMEOUT_MS = 180_000;

/**
 * The page's marks for the two moments, by prefix ('zs' for the app, 'bare' for the
 * baseline), and the scripts it fetched by the time the map was drawn, from Resource Timing:
 * Playwright sees worker scripts' requests but not their sizes, the page's timeline has both.
 */
const PAGE_SCRIPT = (prefix: string): string => `(() => {
  const drawn = performance.getEntriesByName('${prefix}:layers-drawn')[0].startTime;
  const loaded = performance.getEntriesByName('${prefix}:layers-loaded')[0].startTime;
  const all = performance.getEntriesByType('resource').filter((e) => /\\.m?js$/.test(new URL(e.name).pathname));
  const scripts = all.filter((e) => e.responseEnd <= drawn).map((e) => ({ url: e.name, bytes: e.encodedBodySize, decoded: e.decodedBodySize }));
  return { drawn, loaded, scripts, seen: all.map((e) => e.name) };
})()`;

interface PageFigures {
  drawn: number;
  loaded: number;
  scripts: Array<{ url: string; bytes: number; decoded: number }>;
  /** Every script on the page's timeline, drawn or not by then. */
  seen: string[];
}

const isScript = (r: Request): boolean => r.resourceType() === 'script' || /\.m?js$/.test(new URL(r.url()).pathname);

async function loadRun(browser: Browser, url: string, side: 'app' | 'bare', profile: LoadProfile): Promise<LoadRun> {
  const context = await browser.newContext(profile.context);
  try {
    const page = await context.newPage();
    if (profile.cpuRate !== 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuRate });
    }
    // A script fetched inside a worker (a chunk a module worker imports) is on the worker's
    // timeline, not the page's: Playwright's record of it is the fallback.
    const requested: Array<Promise<{ url: string; bytes: number }>> = [];
    page.on('requestfinished', (r) => {
      if (isScript(r)) requested.push(r.sizes().then((s) => ({ url: r.url(), bytes: s.responseBodySize }), () => ({ url: r.url(), bytes: 0 })));
    });
    await page.goto(url);
    // The page records the moment itself; the polling only has to notice it, so it can be lazy.
    await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: RUN_TIMEOUT_MS, polling: 250 });
    const f = await page.evaluate<PageFigures>(PAGE_SCRIPT(side === 'app' ? 'zs' : 'bare'));
    const timed = new Set(f.seen);
    const others = (await Promise.all(requested)).filter((r) => !timed.has(r.url));
    return {
      drawnMs: f.drawn,
      loadedMs: f.loaded,
      jsBytes: f.scripts.reduce((s, x) => s + x.bytes, 0) + others.reduce((s, x) => s + x.bytes, 0),
      jsDecodedBytes: f.scripts.reduce((s, x) => s + x.decoded, 0),
      jsFiles: f.scripts.length + others.length,
    };
  } finally {
    await context.close();
  }
}

/** The entry chunk a built index.html loads, raw and gzipped at zlib's default level (what the preview server sends). */
function mainChunk(outDir: string): MainChunk | null {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const src = /<script type="module"[^>]*\ssrc="([^"]+)"/.exec(html)?.[1];
  if (!src) return null;
  const file = src.replace(/^\.?\//, '');
  const bytes = readFileSync(join(outDir, file));
  return { file, bytes: statSync(join(outDir, file)).size, gzipBytes: gzipSync(bytes).length };
}

interface CatalogueLayer {
  id: string;
  group: string;
  file: string;
  geometry: string;
  visible: boolean;
  style: { color: string; fillOpacity?: number; radius?: number; width?: number };
}

/** The catalogue's layers in the app's draw order (reference polygons, polygons, lines, points), as the bare page takes them. */
function bareLayers(root: string): unknown[] {
  const cat = JSON.parse(readFileSync(join(root, 'data', 'catalogue.json'), 'utf8')) as { layers: CatalogueLayer[] };
  const rank = (l: CatalogueLayer): number => (l.group === 'reference' ? 0 : 10) + (l.geometry.includes('Polygon') ? 0 : l.geometry.includes('Line') ? 1 : 2);
  return cat.layers
    .slice()
    .sort((a, b) => rank(a) - rank(b))
    .map((l) => ({ id: l.id, file: l.file, geometry: l.geometry, visible: l.visible, ...l.style }));
}

async function buildBare(root: string, outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: BARE_ROOT,
    base: './',
    publicDir: false,
    logLevel: 'error',
    define: { __BARE_LAYERS__: JSON.stringify(bareLayers(root)) },
    // The app's target, so that neither bundle is smaller for being transpiled differently.
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  for (const dir of ['basemap', 'layers']) cpSync(join(root, 'data', dir), join(outDir, dir), { recursive: true });
}

const median = (xs: number[]): number | null => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : null;
};

/** Median of one figure over a side's runs; null when no run gave one. */
export function medianOf(side: LoadSide, key: keyof LoadRun): number | null {
  return median(side.runs.map((r) => r[key]));
}

export async function measureLoad(root: string, log: (s: string) => void, runs = 3): Promise<LoadFigures> {
  const none = (note: string): LoadFigures => ({ cases: [], appMain: null, bareMain: null, note });
  if (!statSync(CHROMIUM_PATH, { throwIfNoEntry: false })) return none(`Chromium not found at ${CHROMIUM_PATH}`);
  const tmp = mkdtempSync(join(os.tmpdir(), 'zs-bench-load-'));
  const appOut = join(tmp, 'app');
  const bareOut = join(tmp, 'bare');
  const servers: PreviewServer[] = [];
  let browser: Browser | null = null;
  try {
    log('  building the app and the bare page');
    await build({ root, logLevel: 'error', build: { outDir: appOut, emptyOutDir: true } });
    await buildBare(root, bareOut);
    const appServer = await preview({ root, build: { outDir: appOut }, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'error' });
    servers.push(appServer);
    const bareServer = await preview({ configFile: false, root: BARE_ROOT, build: { outDir: bareOut }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
    servers.push(bareServer);
    const urls = { app: appServer.resolvedUrls!.local[0]!, bare: bareServer.resolvedUrls!.local[0]! };
    browser = await launchBrowser();
    log('  warm-up: one uncounted load of each');
    for (const side of ['app', 'bare'] as const) await loadRun(browser, urls[side], side, LOAD_PROFILES[0]!).catch(() => undefined);
    const cases: LoadCase[] = [];
    for (const profile of LOAD_PROFILES) {
      const c: LoadCase = { profile, app: { runs: [], failures: [] }, bare: { runs: [], failures: [] } };
      for (let i = 0; i < runs; i++) {
        const order = i % 2 === 0 ? (['app', 'bare'] as const) : (['bare', 'app'] as const);
        for (const side of order) {
          log(`  ${profile.id}, ${side === 'app' ? 'app' : 'bare page'}, run ${i + 1}/${runs}`);
          try {
            c[side].runs.push(await loadRun(browser, urls[side], side, profile));
          } catch (err) {
            c[side].failures.push(err instanceof Error ? err.message.split('\n')[0]! : String(err));
          }
        }
      }
      cases.push(c);
    }
    return {
      cases,
      appMain: mainChunk(appOut),
      bareMain: mainChunk(bareOut),
      note: 'headless Chromium, SwiftShader WebGL, vite preview on loopback, cold HTTP cache per run',
    };
  } finally {
    await browser?.close();
    for (const s of servers) await s.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
