/**
 * Benchmark rows measured in headless Chromium on the built app: the analysis worker's
 * round trip (a no-op, and a full park-coverage run with the drawn geometry coming back),
 * "suggest 50 sites" through the planning worker as the panel runs it, and the time from
 * navigation to every layer drawn. The app is built and served with
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
  /**
   * "Suggest 50 e-bike stations" as a planner runs it (the app's own candidates along the
   * roads, every 50 m, none within 100 m of a station), through the planning worker: median
   * ms from the request to the answer, the part inside the worker, and what was chosen from.
   */
  suggest: { ms: number; inWorkerMs: number; fastMs: number; candidates: number; total: number; sites: number; gap: number | null; exact: string } | null;
  note: string;
}

const median = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export async function measureInBrowser(root: string): Promise<BrowserFigures> {
  if (!existsSync(CHROMIUM_PATH)) {
    return { pingMs: null, coverageMs: null, coverageInWorkerMs: null, loadToDrawnMs: null, suggest: null, note: `Chromium not found at ${CHROMIUM_PATH}` };
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
    // Suggest 50 as the planning panel does: a new e-bike scenario, 50 sites, the default candidates.
    const runs = await page.evaluate<{ ms: number; inWorkerMs: number; fastMs: number; candidates: number; total: number; sites: number; gap: number | null; exact: string }[]>(`(async () => {
      const { planning, store } = window.__zs;
      await planning.create('ebike');
      planning.setSettings({ ...store.state.planning.settings, goal: 'sites', sites: 50 });
      const out = [];
      for (let i = 0; i < 4; i++) {
        const t = performance.now();
        let running = false;
        const answered = new Promise((resolve) => {
          const stop = store.subscribe((s) => {
            const job = s.planning.suggestion;
            if (job.status === 'running') running = true;
            else if (running && job.status !== 'running') { stop(); resolve(performance.now() - t); }
          });
        });
        const all = planning.suggest();
        const ms = await answered;
        await all;
        const s = store.state.planning;
        const r = s.suggestion.response;
        if (!r) throw new Error('no suggestion: ' + s.suggestion.error);
        out.push({ ms, inWorkerMs: r.ms, fastMs: r.fast.ms, candidates: r.candidates.kept, total: r.candidates.total, sites: r.sites.features.length, gap: s.exact.response?.gap ?? null, exact: s.exact.response?.exact.status ?? s.exact.status });
      }
      return out.slice(1);
    })()`);
    await page.close();
    const mid = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
    return {
      pingMs: median(r.pings), coverageMs: median(r.cov), coverageInWorkerMs: median(r.inside), loadToDrawnMs: median(loads),
      suggest: { ...mid, inWorkerMs: median(runs.map((x) => x.inWorkerMs)), fastMs: median(runs.map((x) => x.fastMs)) },
      note: 'headless Chromium, SwiftShader WebGL',
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

export const ROOT = join(import.meta.dirname, '..', '..');
