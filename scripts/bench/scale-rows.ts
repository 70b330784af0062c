/**
 * Scale benchmark, in headless Chromium on the built app: the million-point and
 * 200,000-polygon layers read by viewport (HTTP range requests through the spatial index)
 * against the same features as GeoJSON handed to MapLibre whole, the way a web map usually
 * loads a layer. Every run is a fresh browser context, so the HTTP cache is cold.
 *
 * Per run: time from the request to the first features drawn (viewport: the first query's
 * start; whole: `addSource` with the GeoJSON URL) and from navigation; bytes received for
 * the layer; peak JS heap of the page's main thread (CDP Runtime.getHeapUsage, sampled every
 * 100 ms); peak memory of the tab's renderer process (RSS, which includes MapLibre's workers,
 * where a whole GeoJSON is parsed); and frame times while panning.
 *
 * Contexts bypass the CSP only because Playwright evaluates string predicates with eval.
 *
 * The data is generated on first use (`npm run data:large -- --geojson`, about a minute).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_PATH, launchBrowser } from '../../test/e2e/browser.ts';
import { LARGE_CATALOGUE, generateLarge } from '../generate-large.ts';

const SCALE = { points: 1_000_000, polygons: 200_000 };

interface ScaleRun {
  /** Request (query start / addSource) to the first features drawn, ms; null if stopped. */
  firstMs: number | null;
  /** Navigation start to the first features drawn, ms. */
  navToFirstMs: number | null;
  /** Request to every feature of the view drawn, ms. */
  allMs: number | null;
  /** Request to every feature of the view decoded and given to the map, ms (viewport only). */
  dataMs: number | null;
  bytes: number;
  requests: number;
  peakHeapMiB: number;
  peakRssMiB: number | null;
  /** What the view showed: features drawn, or 'overview'. */
  shown: number | 'overview';
  /** Why there is no time: the tab crashed (out of memory) or the run was stopped. */
  failure?: string;
}

interface FrameStats {
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Frames longer than 100 ms: visible stutter. */
  longFrames: number;
  frames: number;
}

export interface ScaleCase {
  layer: 'manholes' | 'buildings';
  view: 'city' | 'street';
  viewport: ScaleRun[];
  whole: ScaleRun[];
  fileBytes: number;
  geojsonBytes: number;
}

/** A move within an open map to a street view not seen before (cold for that area's bytes). */
interface MoveRun {
  /** Move's end to the first of the new view's features drawn, ms. */
  firstMs: number;
  /** Move's end to the new view's features all in hand (decoded, given to the map), ms. */
  dataMs: number;
  /** Move's end to all of them drawn, ms. */
  allMs: number;
  bytes: number;
  shown: number;
}

export interface ScaleFigures {
  cases: ScaleCase[];
  moves: MoveRun[];
  /** Frame times while panning: by viewport, whole GeoJSON, and the same map without the layer (SwiftShader's floor). */
  panning: { viewport: FrameStats | null; whole: FrameStats | null; none: FrameStats | null };
  note: string;
}

const VIEWS = {
  city: { zoom: 11.3, center: [122.2, 29.995] },
  street: { zoom: 16, center: [122.203, 29.988] },
} as const;
const WHOLE_BUDGET_MS = 240_000;

/** Makes sure the million-feature set and its GeoJSON copies are there. */
async function ensureScaleData(root: string, log: (s: string) => void): Promise<void> {
  const dataDir = join(root, 'data');
  const file = join(dataDir, LARGE_CATALOGUE);
  if (existsSync(file)) {
    const cat = JSON.parse(readFileSync(file, 'utf8')) as { layers: Array<{ id: string; file: string; featureCount: number }> };
    const counts = Object.fromEntries(cat.layers.map((l) => [l.id, l.featureCount]));
    const geojson = cat.layers.every((l) => existsSync(join(dataDir, l.file.replace(/\.fgb$/, '.geojson'))));
    if (counts.manholes === SCALE.points && counts.buildings === SCALE.polygons && geojson) return;
  }
  log('generating 1,000,000 points and 200,000 polygons (npm run data:large -- --geojson)…');
  await generateLarge({ ...SCALE, thresholdBytes: 8 * 1024 * 1024, geojson: true, ifMissing: false, dataDir }, log);
}

/** `p`, or nothing after `ms`: a crashed tab may never answer a CDP call or a close. */
function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([p, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);
}

/** Resident memory of every renderer process under the browser this process launched, MiB. */
function rendererRssMiB(): number | null {
  if (process.platform !== 'linux') return null;
  const parent = new Map<number, number>();
  const isRenderer = new Set<number>();
  const rss = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const status = readFileSync(`/proc/${d}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      parent.set(Number(d), ppid);
      rss.set(Number(d), Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('--type=renderer')) isRenderer.add(Number(d));
    } catch {
      // The process ended while being read.
    }
  }
  const mine = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  let kib = 0;
  for (const pid of isRenderer) if (mine(pid)) kib += rss.get(pid) ?? 0;
  return kib / 1024;
}

/** Samples heap and renderer memory until stopped; returns the peaks. */
function sampler(page: Page): { stop(): Promise<{ heapMiB: number; rssMiB: number | null }> } {
  let heap = 0;
  let rss: number | null = null;
  let running = true;
  const loop = (async () => {
    const cdp = await page.context().newCDPSession(page);
    page.once('crash', () => (running = false));
    while (running) {
      try {
        // A crashed tab never answers: do not wait for it.
        const h = (await Promise.race([cdp.send('Runtime.getHeapUsage'), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer')), 1000))])) as { usedSize: number };
        heap = Math.max(heap, h.usedSize);
      } catch {
        // The page is busy navigating; the next sample will do.
      }
      const r = rendererRssMiB();
      if (r !== null) rss = Math.max(rss ?? 0, r);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await within(cdp.detach().catch(() => undefined), 2000);
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { heapMiB: heap / 2 ** 20, rssMiB: rss };
    },
  };
}

/**
 * Installed before the app runs: waits for the app's store, then records when the layer's
 * first features (or its density overview) and then all of the view's features are drawn,
 * i.e. the map's next 'idle' after the store has them.
 */
const WATCH_SCRIPT = (layer: string): string => `(() => {
  const bench = (window.__bench = { first: null, all: null });
  const drawn = ${JSON.stringify(layer === 'buildings' ? ['buildings-fill'] : ['manholes-circle'])};
  const timer = setInterval(() => {
    const zs = window.__zs;
    if (!zs) return;
    clearInterval(timer);
    let first = false, all = false;
    // First drawn: the first frame in which the map can hit one of the layer's features.
    const onRender = () => {
      if (bench.first !== null) return zs.map.off('render', onRender);
      if (zs.map.queryRenderedFeatures({ layers: drawn }).length > 0) bench.first = performance.now();
    };
    const check = (s) => {
      const v = s.layers[${JSON.stringify(layer)}]?.viewport;
      if (!v) return;
      const has = (s.data[${JSON.stringify(layer)}]?.features.length ?? 0) > 0;
      if (!first && v.mode === 'overview') { first = true; zs.map.once('idle', () => (bench.first = performance.now())); zs.map.triggerRepaint(); }
      else if (!first && has) { first = true; zs.map.on('render', onRender); zs.map.triggerRepaint(); }
      if (!all && first && !v.loading) { all = true; zs.map.once('idle', () => { bench.all = performance.now(); if (bench.first === null) bench.first = bench.all; }); zs.map.triggerRepaint(); }
    };
    zs.store.subscribe(check);
    check(zs.store.state);
  }, 2);
})()`;

async function viewportRun(browser: Browser, url: string, layer: string, view: keyof typeof VIEWS): Promise<ScaleRun> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
  const page = await context.newPage();
  const sizes: number[] = [];
  page.on('requestfinished', (r) => {
    if (r.url().includes('/large/')) void r.sizes().then((s) => sizes.push(s.responseBodySize));
  });
  await page.addInitScript(WATCH_SCRIPT(layer));
  const mem = sampler(page);
  const v = VIEWS[view];
  await page.goto(`${url}?catalogue=large#map=${v.zoom}/${v.center[1]}/${v.center[0]}&layers=${layer}`);
  await page.waitForFunction('window.__bench && window.__bench.all !== null', null, { timeout: 120_000 });
  const r = await page.evaluate<{ q: number; done: number; first: number; all: number; mode: string; inView: number }>(`(() => {
    const q = performance.getEntriesByName('zs:viewport:${layer}:query')[0].startTime;
    const done = performance.getEntriesByName('zs:viewport:${layer}:done').at(-1).startTime;
    const v = window.__zs.store.state.layers['${layer}'].viewport;
    return { q, done, first: window.__bench.first, all: window.__bench.all, mode: v.mode, inView: v.inView };
  })()`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const peaks = await mem.stop();
  await context.close();
  return {
    firstMs: r.first - r.q,
    navToFirstMs: r.first,
    allMs: r.all - r.q,
    dataMs: r.done - r.q,
    bytes: sizes.reduce((s, x) => s + x, 0),
    requests: sizes.length,
    peakHeapMiB: peaks.heapMiB,
    peakRssMiB: peaks.rssMiB,
    shown: r.mode === 'overview' ? 'overview' : r.inView,
  };
}

/** Opens a street view of Dinghai, then jumps to Xincheng, 10 km away: the jump's cost alone. */
async function moveRun(browser: Browser, url: string): Promise<MoveRun> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
  const page = await context.newPage();
  let bytes = 0;
  let counting = false;
  page.on('requestfinished', (r) => {
    if (counting && r.url().includes('/large/')) void r.sizes().then((s) => (bytes += s.responseBodySize));
  });
  await page.addInitScript(WATCH_SCRIPT('manholes'));
  await page.goto(`${url}?catalogue=large#map=16/30.018/122.103&layers=manholes`);
  await page.waitForFunction('window.__bench && window.__bench.all !== null', null, { timeout: 120_000 });
  counting = true;
  const r = await page.evaluate<{ first: number | null; data: number; all: number; shown: number }>(`new Promise((resolve) => {
    const { map, store } = window.__zs;
    const out = { first: null, data: null };
    let t0 = 0;
    const onRender = () => {
      if (out.first === null && map.queryRenderedFeatures({ layers: ['manholes-circle'] }).length > 0) out.first = performance.now() - t0;
    };
    const unsubscribe = store.subscribe((s, p) => {
      const v = s.layers.manholes.viewport;
      if (out.data === null && p.layers.manholes.viewport.loading && !v.loading) {
        out.data = performance.now() - t0;
        unsubscribe();
        map.once('idle', () => { map.off('render', onRender); resolve({ ...out, all: performance.now() - t0, shown: v.inView }); });
      }
    });
    map.once('moveend', () => { t0 = performance.now(); map.on('render', onRender); });
    map.jumpTo({ center: [122.203, 29.988], zoom: 16 });
  })`);
  await context.close();
  return { firstMs: r.first ?? r.all, dataMs: r.data, allMs: r.all, bytes, shown: r.shown };
}

/** The same features as one GeoJSON URL given to MapLibre, which fetches and parses it in its worker. */
async function wholeRun(browser: Browser, url: string, layer: string, view: keyof typeof VIEWS, geojsonBytes: number, pan: boolean): Promise<{ run: ScaleRun; frames: FrameStats | null }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
  const page = await context.newPage();
  const sizes: number[] = [];
  page.on('requestfinished', (r) => {
    if (r.url().includes('/large/')) void r.sizes().then((s) => sizes.push(s.responseBodySize));
  });
  const mem = sampler(page);
  const v = VIEWS[view];
  await page.goto(`${url}?catalogue=large#map=${v.zoom}/${v.center[1]}/${v.center[0]}&layers=`);
  await page.waitForFunction(`document.body.dataset.ready === 'true'`, null, { timeout: 120_000 });
  const polygon = layer === 'buildings';
  const started = Date.now();
  const crash = new Promise<'crash'>((resolve) => page.once('crash', () => resolve('crash')));
  let r: { t0: number; t1: number; t2: number } | null = null;
  let outcome: 'crash' | 'stopped' | 'ok' = 'ok';
  try {
    const result = await Promise.race([
      page.evaluate(`new Promise((resolve) => {
        const map = window.__zs.map;
        const t0 = performance.now();
        map.addSource('whole', { type: 'geojson', data: new URL('large/${layer}.geojson', document.baseURI).href });
        map.addLayer(${polygon
          ? `{ id: 'whole', type: 'fill', source: 'whole', paint: { 'fill-color': '#999999', 'fill-opacity': 0.45 } }`
          : `{ id: 'whole', type: 'circle', source: 'whole', paint: { 'circle-radius': 3, 'circle-color': '#0072B2' } }`});
        let first = null;
        const onRender = () => {
          if (first === null && map.getSource('whole') && map.queryRenderedFeatures({ layers: ['whole'] }).length > 0) first = performance.now();
        };
        map.on('render', onRender);
        const done = () => {
          if (map.isSourceLoaded('whole') && map.loaded()) { map.off('render', onRender); resolve({ t0, t1: first ?? performance.now(), t2: performance.now() }); }
          else map.once('idle', done);
        };
        map.once('idle', done);
      })`).catch(() => 'crash' as const) as Promise<{ t0: number; t1: number; t2: number } | 'crash'>,
      crash,
      new Promise<'stopped'>((resolve) => setTimeout(() => resolve('stopped'), WHOLE_BUDGET_MS)),
    ]);
    if (result === 'crash' || result === 'stopped') outcome = result;
    else r = result;
  } catch {
    outcome = 'crash';
  }
  const crashed = outcome === 'crash';
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  let frames: FrameStats | null = null;
  if (r && pan) frames = await panFrames(page);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const peaks = await mem.stop();
  await within(context.close().catch(() => undefined), 10_000);
  const bytes = sizes.reduce((s, x) => s + x, 0);
  return {
    run: {
      firstMs: r ? r.t1 - r.t0 : null,
      navToFirstMs: r ? r.t1 : null,
      allMs: r ? r.t2 - r.t0 : null,
      dataMs: null,
      // MapLibre fetches in its worker; should the page's network log miss it, the file is what it cost.
      bytes: bytes > 0 ? bytes : r ? geojsonBytes : 0,
      requests: sizes.length,
      peakHeapMiB: peaks.heapMiB,
      peakRssMiB: peaks.rssMiB,
      shown: r ? -1 : 0,
      ...(outcome === 'ok' ? {} : { failure: crashed ? `tab crashed (out of memory) after ${seconds} s` : `stopped after ${seconds} s` }),
    },
    frames,
  };
}

/** Six pans of 300 px over 400 ms each, with the map's queries running as they would. */
async function panFrames(page: Page): Promise<FrameStats> {
  const frames = await page.evaluate<number[]>(`(async () => {
    const map = window.__zs.map;
    const frames = [];
    let last = performance.now();
    let running = true;
    const loop = (t) => { frames.push(t - last); last = t; if (running) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
    const moves = [[300, 0], [0, 200], [-300, 0], [0, -200], [300, 150], [-300, -150]];
    for (const m of moves) {
      map.panBy(m, { duration: 400 });
      await new Promise((r) => map.once('moveend', r));
      await new Promise((r) => setTimeout(r, 150));
    }
    running = false;
    return frames.slice(1);
  })()`);
  const s = frames.slice().sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { medianMs: at(0.5), p95Ms: at(0.95), maxMs: s.at(-1) ?? 0, longFrames: frames.filter((f) => f > 100).length, frames: frames.length };
}

async function viewportPan(browser: Browser, url: string, withLayer: boolean): Promise<FrameStats> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
  const page = await context.newPage();
  await page.addInitScript(WATCH_SCRIPT('manholes'));
  const v = VIEWS.street;
  await page.goto(`${url}?catalogue=large#map=${v.zoom}/${v.center[1]}/${v.center[0]}&layers=${withLayer ? 'manholes' : ''}`);
  if (withLayer) await page.waitForFunction('window.__bench && window.__bench.all !== null', null, { timeout: 120_000 });
  else await page.waitForFunction(`document.body.dataset.ready === 'true'`, null, { timeout: 120_000 });
  const frames = await panFrames(page);
  await context.close();
  return frames;
}

export async function measureScale(root: string, log: (s: string) => void): Promise<ScaleFigures> {
  if (!existsSync(CHROMIUM_PATH)) return { cases: [], moves: [], panning: { viewport: null, whole: null, none: null }, note: `Chromium not found at ${CHROMIUM_PATH}` };
  await ensureScaleData(root, log);
  await build({ root, logLevel: 'error' });
  const server = await preview({ root, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  const url = server.resolvedUrls!.local[0]!;
  const browser = await launchBrowser();
  const cases: ScaleCase[] = [];
  let wholePan: FrameStats | null = null;
  try {
    const plan: Array<[ScaleCase['layer'], ScaleCase['view']]> = [['manholes', 'street'], ['manholes', 'city'], ['buildings', 'street']];
    // Loading a whole file does the same work at any zoom: one run per layer serves every view.
    const wholeRuns = new Map<string, ScaleRun>();
    for (const [layer, view] of plan) {
      const file = join(root, 'data', 'large', `${layer}.fgb`);
      const geojson = file.replace(/\.fgb$/, '.geojson');
      const c: ScaleCase = { layer, view, viewport: [], whole: [], fileBytes: statSync(file).size, geojsonBytes: statSync(geojson).size };
      for (let i = 0; i < 3; i++) {
        log(`  ${layer} ${view}, by viewport, run ${i + 1}/3`);
        c.viewport.push(await viewportRun(browser, url, layer, view));
      }
      if (!wholeRuns.has(layer)) {
        log(`  ${layer}, whole GeoJSON (${(c.geojsonBytes / 2 ** 20).toFixed(0)} MiB), street zoom`);
        const w = await wholeRun(browser, url, layer, 'street', c.geojsonBytes, layer === 'manholes');
        wholeRuns.set(layer, w.run);
        if (w.frames) wholePan = w.frames;
      }
      c.whole.push(wholeRuns.get(layer)!);
      cases.push(c);
    }
    const moves: MoveRun[] = [];
    for (let i = 0; i < 3; i++) {
      log(`  a jump within the open map to a new street view, run ${i + 1}/3`);
      moves.push(await moveRun(browser, url));
    }
    log('  panning at street zoom, by viewport');
    const viewportFrames = await viewportPan(browser, url, true);
    log('  panning at street zoom, the same map without the layer');
    const noneFrames = await viewportPan(browser, url, false);
    return { cases, moves, panning: { viewport: viewportFrames, whole: wholePan, none: noneFrames }, note: 'headless Chromium, SwiftShader WebGL, vite preview on loopback, cold HTTP cache per run' };
  } finally {
    await browser.close();
    await server.close();
  }
}
