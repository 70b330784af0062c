/**
 * Benchmark rows measured in headless Chromium on the built app: the analysis worker's
 * round trip (a no-op, and a full park-coverage run with the drawn geometry coming back),
 * and the time from navigation to every layer drawn. The app is built and served with
 * Vite's preview server for the run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build, preview } from 'vite';
import { CHROMIUM_PATH, launchBrowser, waitForMapReady } from '../../test/e2e/browser.ts';

export interface BrowserFigures {
  /** Median ms of a no-op call to the worker and back. */
  pingMs: number | null;
  /** Median ms of park coverage through the worker, covered geometry included. */
  coverageMs: number | null;
  /** Coverage time spent inside the worker, as it reports it. */
  coverageInWorkerMs: number | null;
  /** Median ms from navigation start to all layers drawn. */
  loadToDrawnMs: number | null;
  note: string;
}

const median = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export async function measureInBrowser(root: string): Promise<BrowserFigures> {
  if (!existsSync(CHROMIUM_PATH)) {
    return { pingMs: null, coverageMs: null, coverageInWorkerMs: null, loadToDrawnMs: null, note: `Chromium not found at ${CHROMIUM_PATH}` };
  }
  await build({ root, logLevel: 'error' });
  const server = await preview({ root, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  const url = server.resolvedUrls?.local[0];
  const browser = await launchBrowser();
  try {
    const loads: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      await page.goto(url!);
      await waitForMapReady(page);
      loads.push(await page.evaluate<number>(`performance.getEntriesByName('zs:layers-drawn')[0].startTime`));
      await page.close();
    }
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(url!);
    await waitForMapReady(page);
    // Strings, not functions: tsx's helpers do not exist in the page.
    const r = await page.evaluate<{ pings: number[]; cov: number[]; inside: number[] }>(`(async () => {
      const a = window.__zs.analysis;
      const settings = window.__zs.store.state.coverageSettings;
      const pings = [];
      for (let i = 0; i < 60; i++) { const t = performance.now(); await a.ping(i); pings.push(performance.now() - t); }
      const cov = []; const inside = [];
      for (let i = 0; i < 5; i++) { const t = performance.now(); const res = await a.coverage({ ...settings, kind: 'parks' }, window.__zs.store.state.catalogue.analysis); cov.push(performance.now() - t); inside.push(res.ms); }
      return { pings: pings.slice(10), cov: cov.slice(1), inside: inside.slice(1) };
    })()`);
    await page.close();
    return { pingMs: median(r.pings), coverageMs: median(r.cov), coverageInWorkerMs: median(r.inside), loadToDrawnMs: median(loads), note: 'headless Chromium, SwiftShader WebGL' };
  } finally {
    await browser.close();
    await server.close();
  }
}

export const ROOT = join(import.meta.dirname, '..', '..');
