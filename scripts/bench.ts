/**
 * Benchmarks: `npm run bench` prints a table, `npm run bench -- --json` the same figures as
 * JSON only. `--naive-budget=SECONDS` (default 60) caps a naive Turf run that may not finish.
 * `--scale-only` runs just the scale rows (a million points by viewport against whole GeoJSON,
 * several minutes, data generated on first use); `--no-scale` skips them. `--load-only` runs
 * just the load rows (navigation to all layers drawn, the app against a bare MapLibre page
 * showing the same map, desktop and phone; two minutes or so); `--load-runs=N` (default 3)
 * takes the median of more runs of each page. `--planning-only` runs just the "suggest sites"
 * rows (lazy against plain greedy, and the exact solve's gap).
 *
 * Every row is a named measurement in MEASUREMENTS: append one to add a row. Fast cases are
 * warmed up once and timed as the median of several runs; a case whose first run takes over
 * a second is timed as the median of 3 runs, that one included. A naive run that could take
 * minutes runs in a child process (this file with --naive-child) that is killed at the budget,
 * and is reported as "> N s (stopped)". Peak memory is measured in child processes too
 * (--memory-child), one per engine, so that neither's garbage is counted against the other.
 *
 * Machines are noisy (2 shared cores here): read ratios, not single figures.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { area as turfArea } from '@turf/area';
import type { Feature, FeatureCollection, Polygon, Position } from 'geojson';
import { serviceCoverage } from '../src/analysis/coverage/coverage.ts';
import { naiveCoverage } from '../src/analysis/coverage/naive-coverage.ts';
import { ROOT, measureInBrowser, type BrowserFigures } from './bench/browser-rows.ts';
import { measureScale, type ScaleCase, type ScaleFigures } from './bench/scale-rows.ts';
import { LOAD_PROFILES, measureLoad, medianOf, type LoadFigures, type LoadProfile, type LoadSide } from './bench/load-rows.ts';
import { extentOf, mulberry32, randomStations, readLayer } from '../src/analysis/coverage/test/support.ts';
import { geodesicArea } from '../src/analysis/geodesic.ts';
import loadHighs from 'highs';
import { createLocalFrame } from '../src/analysis/coverage/local-frame.ts';
import { roadCandidates } from '../src/analysis/planning/candidates.ts';
import { lazyGreedy, plainGreedy } from '../src/analysis/planning/greedy.ts';
import { exactFigure, suggestSites, type SuggestInput, type SuggestOutcome } from '../src/analysis/planning/suggest.ts';
import { readFgb } from '../src/data/fgb/read-fgb.ts';

/** Service radius of the station rows, metres, unless a row says otherwise. */
const RADIUS = 300;
/** Seed of the random stations: the same stations in every run and in the tests. */
const SEED = 1000;
/** Candidates the planning rows choose from. */
const PLAN_CANDIDATES = 2000;

/** One measured figure: a median time, or a memory high-water mark. */
interface Cell {
  /** What was measured. */
  label: string;
  /** null when the run was stopped or failed. */
  value: number | null;
  unit: 'ms' | 'MiB';
  /** Runs the median was taken over. */
  runs: number;
  /** Set when the run was stopped at this many seconds. */
  stoppedAfterS?: number;
  /** What happened instead of a figure (e.g. the tab crashed). */
  failure?: string;
}

interface Row {
  name: string;
  ours: Cell;
  baseline: Cell | null;
  /** baseline / ours: how many times faster (or smaller) ours is; below 1, ours is slower. */
  ratio: number | null;
  /** The answers side by side, as text for the table. */
  answer: string;
  /** The same, as numbers for --json. */
  figures: Record<string, number | null>;
}

interface Context {
  communities: FeatureCollection;
  naiveBudgetS: number;
  /** Records memory after each timed run. */
  sample(): void;
}

interface Measurement {
  name: string;
  run(ctx: Context): Promise<Row>;
}

/** Names of the load rows start with this; `--load-only` picks them. */
const LOAD_ROW = 'navigation to all layers drawn: app vs bare MapLibre page';
/** What we aim for: the app within this factor of the bare page's time. */
const LOAD_TARGET = 1.25;

const MEASUREMENTS: Measurement[] = [
  stationsRow(100),
  stationsRow(1000),
  stationsRow(1000, { steps: 16, note: 'Turf at 16 steps: the same answer' }),
  stationsRow(10000, { naive: 'child' }),
  // At 300 m, 10,000 stations cover every community whole; 100 m keeps the scan busy.
  stationsRow(10000, { radius: 100, naive: 'skip' }),
  {
    name: 'ellipsoidal area, 10,000 polygons',
    async run(ctx) {
      const polygons = randomPolygons(10000, extentOf(ctx.communities), 7);
      let ours = 0;
      let turf = 0;
      const t1 = await time('geodesicArea', () => void (ours = polygons.reduce((s, p) => s + geodesicArea(p.geometry), 0)), ctx);
      const t2 = await time('@turf/area', () => void (turf = polygons.reduce((s, p) => s + turfArea(p), 0)), ctx);
      const diff = (turf / ours - 1) * 100;
      return {
        name: this.name,
        ours: t1,
        baseline: t2,
        ratio: ratioOf(t1, t2),
        answer: `${fmtKm2(ours)} vs ${fmtKm2(turf)} (Turf ${signed(diff, 3)}%)`,
        figures: { oursM2: ours, turfM2: turf, turfDiffPercent: diff },
      };
    },
  },
  memoryRow(10000, 1000),
  ...planningRows(),
  ...browserRows(),
  ...loadRows(),
  ...scaleRows(),
];

/**
 * The planning rows: "suggest N sites" from 2,000 candidates along the roads (every 50 m,
 * on the pavement, on land, thinned evenly to 2,000) over the demo communities, for e-bike
 * stations at 300 m with none there yet (with today's 320 stations 96.6 % is covered
 * already and the question is small). Ours: the lazy greedy (CELF) on the covering model;
 * baseline: the plain greedy that recomputes every candidate's gain at every step, same
 * model, same answer. The answer column has the whole suggestion's time (demand model,
 * greedy, swaps) and the exact solve (HiGHS, the same integer programme) with the gap.
 */
function planningRows(): Measurement[] {
  let input: Promise<SuggestInput> | null = null;
  const get = (ctx: Context): Promise<SuggestInput> => (input ??= (async () => {
    const read = async (file: string): Promise<FeatureCollection> => {
      const features: Feature[] = [];
      for await (const f of readFgb(new Uint8Array((await import('node:fs')).readFileSync(new URL(`../data/basemap/${file}.fgb`, import.meta.url))), { sourceName: file })) features.push(f);
      return { type: 'FeatureCollection', features };
    };
    const [roads, land] = await Promise.all([read('roads'), read('land')]);
    const all = roadCandidates(roads, { spacing: 50, offset: 8 }, createLocalFrame());
    const step = all.length / PLAN_CANDIDATES;
    const candidates = Array.from({ length: Math.min(PLAN_CANDIDATES, all.length) }, (_, i) => ({ feature: all[Math.floor(i * step)]! }));
    const grid = await readLayer('grid-cells');
    return {
      targets: ctx.communities,
      zones: grid.features as SuggestInput['zones'],
      groupField: 'district',
      services: { type: 'FeatureCollection', features: [] },
      radius: RADIUS,
      candidates,
      land,
      request: { kind: 'ebike', goal: { sites: 1 }, candidates: { from: 'roads', spacing: 50, offset: 8 }, minDistance: 0, onLand: true, exactSeconds: 60 },
    } satisfies SuggestInput;
  })());
  return [20, 50].map((n): Measurement => ({
    name: `suggest ${n} sites from ${PLAN_CANDIDATES.toLocaleString('en')} road candidates (e-bike, ${RADIUS} m, greenfield): lazy greedy (CELF) vs plain greedy`,
    async run(ctx) {
      const base = await get(ctx);
      const input: SuggestInput = { ...base, request: { ...base.request, goal: { sites: n } } };
      let out!: SuggestOutcome;
      const whole = await time('suggest (model, greedy, swaps, exact coverage)', () => void (out = suggestSites(input)), ctx);
      const model = out.exact.model;
      let lazy = 0;
      let plain = 0;
      const ours = await time('lazy greedy', () => void (lazy = lazyGreedy(model, { count: n }).value), ctx);
      const baseline = await time('plain greedy', () => void (plain = plainGreedy(model, { count: n }).value), ctx);
      const highs = await loadHighs();
      const t = performance.now();
      const figure = exactFigure(highs, out.exact);
      const exactMs = performance.now() - t;
      const r = out.response;
      const gap = figure.gap;
      return {
        name: this.name,
        ours,
        baseline,
        ratio: ratioOf(ours, baseline),
        answer: `same value: ${Math.abs(lazy - plain) < 1e-6 * plain ? 'yes' : `no (${lazy.toFixed(0)} vs ${plain.toFixed(0)} m²)`}; `
          + `whole suggestion ${fmtMs(whole.value)} (fast answer ${fmtMs(r.fast.ms)}: ${r.model.units.toLocaleString('en')} demand units, ${r.model.rows.toLocaleString('en')} rows, ${r.candidates.kept.toLocaleString('en')} candidates kept, ${r.fast.swaps} swaps); `
          + `coverage ${pct(r.before.total.share)} → ${pct(r.after.total.share)}; exact (HiGHS, ${figure.exact.status}) ${fmtMs(exactMs)}, gap ${gap === null ? '?' : `${(gap * 100).toFixed(3)}%`}`,
        figures: {
          lazyMs: ours.value, plainMs: baseline.value, suggestMs: whole.value, fastMs: r.fast.ms, exactMs, gap,
          greedyValue: r.fast.greedyValue, value: r.fast.value, bound: figure.exact.bound, units: r.model.units, rows: r.model.rows, candidates: r.candidates.kept,
          shareBefore: r.before.total.share, shareAfter: r.after.total.share,
        },
      };
    },
  }));
}

/**
 * The load rows, one per screen (desktop; phone with a slowed CPU): navigation start to all
 * layers drawn, the app against a bare MapLibre page that draws the same map. One session
 * measures both; each row reads its figures.
 */
function loadRows(): Measurement[] {
  let figures: Promise<LoadFigures> | null = null;
  const get = (): Promise<LoadFigures> => (figures ??= measureLoad(ROOT, (s) => process.stderr.write(`${s}\n`), loadRuns()));
  const kib = (bytes: number | null): string => (bytes === null ? '?' : `${Math.round(bytes / 1024).toLocaleString('en')} KiB`);
  return LOAD_PROFILES.map((profile: LoadProfile): Measurement => ({
    name: `${LOAD_ROW}, ${profile.label} (Chromium)`,
    async run() {
      const f = await get();
      const c = f.cases.find((x) => x.profile.id === profile.id);
      const side = (label: string, s: LoadSide | undefined): Cell => {
        const cell: Cell = { label, value: s ? medianOf(s, 'drawnMs') : null, unit: 'ms', runs: s?.runs.length ?? 0 };
        if (s && s.runs.length === 0 && s.failures.length) cell.failure = `failed: ${s.failures[0]}`;
        return cell;
      };
      const ours = side('app', c?.app);
      const baseline = side('bare MapLibre page', c?.bare);
      const factor = ours.value !== null && baseline.value ? ours.value / baseline.value : null;
      const appJs = c ? medianOf(c.app, 'jsBytes') : null;
      const bareJs = c ? medianOf(c.bare, 'jsBytes') : null;
      const appFiles = c ? medianOf(c.app, 'jsFiles') : null;
      const bareFiles = c ? medianOf(c.bare, 'jsFiles') : null;
      const appLoaded = c ? medianOf(c.app, 'loadedMs') : null;
      const bareLoaded = c ? medianOf(c.bare, 'loadedMs') : null;
      const failed = c ? [...c.app.failures.map((x) => `app: ${x}`), ...c.bare.failures.map((x) => `bare: ${x}`)] : [];
      const runsOf = (x: LoadSide | undefined): string => x?.runs.map((r) => (r.drawnMs / 1000).toFixed(2)).join(', ') ?? '';
      return {
        name: this.name,
        ours,
        baseline,
        ratio: ratioOf(ours, baseline),
        answer: c
          ? `app = ${factor === null ? '?' : factor.toFixed(2)}× bare page (target ≤ ${LOAD_TARGET.toFixed(2)}×); all data in hand ${fmtMs(appLoaded)} vs ${fmtMs(bareLoaded)}; `
            + `JS received by then ${kib(appJs)} in ${appFiles} files vs ${kib(bareJs)} in ${bareFiles} (gzipped); `
            + `main chunk gzip ${kib(f.appMain?.gzipBytes ?? null)} vs ${kib(f.bareMain?.gzipBytes ?? null)} (raw ${kib(f.appMain?.bytes ?? null)} vs ${kib(f.bareMain?.bytes ?? null)})`
            + `; runs (s, in order): app ${runsOf(c.app)}, bare ${runsOf(c.bare)}`
            + `${failed.length ? `; ${failed.length} run(s) failed: ${failed[0]}` : ''}; ${f.note}`
          : f.note,
        figures: {
          appDrawnMs: ours.value,
          bareDrawnMs: baseline.value,
          appOverBare: factor,
          appLoadedMs: appLoaded,
          bareLoadedMs: bareLoaded,
          appJsBytes: appJs,
          bareJsBytes: bareJs,
          appJsDecodedBytes: c ? medianOf(c.app, 'jsDecodedBytes') : null,
          bareJsDecodedBytes: c ? medianOf(c.bare, 'jsDecodedBytes') : null,
          appJsFiles: appFiles,
          bareJsFiles: bareFiles,
          appMainChunkBytes: f.appMain?.bytes ?? null,
          appMainChunkGzipBytes: f.appMain?.gzipBytes ?? null,
          bareMainChunkBytes: f.bareMain?.bytes ?? null,
          bareMainChunkGzipBytes: f.bareMain?.gzipBytes ?? null,
          failedRuns: failed.length,
          ...Object.fromEntries(c?.app.runs.map((r, i) => [`appDrawnMsRun${i + 1}`, r.drawnMs]) ?? []),
          ...Object.fromEntries(c?.bare.runs.map((r, i) => [`bareDrawnMsRun${i + 1}`, r.drawnMs]) ?? []),
        },
      };
    },
  }));
}

/** `--load-runs=N`: runs of each page per screen for the load rows (default 3). */
function loadRuns(): number {
  const arg = process.argv.find((a) => a.startsWith('--load-runs='));
  if (!arg) return 3;
  const n = Number(arg.split('=')[1]);
  if (!Number.isInteger(n) || n < 1) throw new Error('--load-runs must be a whole number of runs, 1 or more');
  return n;
}

/**
 * The scale rows: a million points and 200,000 polygons read by viewport against the same
 * features as GeoJSON loaded whole, in Chromium. One session measures them all; each row
 * reads its figures.
 */
function scaleRows(): Measurement[] {
  let figures: Promise<ScaleFigures> | null = null;
  const get = (): Promise<ScaleFigures> => (figures ??= measureScale(ROOT, (s) => process.stderr.write(`${s}\n`)));
  const median = (xs: Array<number | null>): number | null => {
    const v = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
    return v.length ? v[Math.floor(v.length / 2)]! : null;
  };
  const ms = (label: string, value: number | null, runs: number): Cell => ({ label, value, unit: 'ms', runs });
  const mib = (label: string, value: number | null, runs: number): Cell => ({ label, value, unit: 'MiB', runs });
  const rows: Measurement[] = [];
  const caseRows = (layer: ScaleCase['layer'], view: ScaleCase['view'], what: string): void => {
    const find = async (): Promise<ScaleCase | undefined> => (await get()).cases.find((c) => c.layer === layer && c.view === view);
    const name = `${what}, ${view} zoom (Chromium)`;
    rows.push({
      name: `${name}: request to first features drawn`,
      async run() {
        const c = await find();
        const ours = ms('by viewport', median(c?.viewport.map((r) => r.firstMs) ?? []), c?.viewport.length ?? 0);
        const base = ms('whole GeoJSON', median(c?.whole.map((r) => r.firstMs) ?? []), c?.whole.length ?? 0);
        const failure = c?.whole.find((r) => r.failure)?.failure;
        if (failure) base.failure = failure;
        const shown = c?.viewport[0]?.shown;
        const all = median(c?.viewport.map((r) => r.allMs) ?? []);
        const nav = median(c?.viewport.map((r) => r.navToFirstMs) ?? []);
        const inHand = median(c?.viewport.map((r) => r.dataMs) ?? []);
        return {
          name: this.name, ours, baseline: base, ratio: ratioOf(ours, base),
          answer: c ? `${shown === 'overview' ? 'density overview from the index' : `${shown?.toLocaleString('en')} features in view`}; in hand ${fmtMs(inHand)}; all drawn ${fmtMs(all)}; navigation to first drawn ${fmtMs(nav)} (the map itself is ready ~2.5 s after navigation)` : 'not measured',
          figures: { firstMs: ours.value, wholeMs: base.value, dataMs: inHand, allMs: all, navToFirstMs: nav, featuresInView: typeof shown === 'number' ? shown : null, wholeFailed: failure ? 1 : 0 },
        };
      },
    });
    rows.push({
      name: `${name}: bytes transferred`,
      async run() {
        const c = await find();
        const ours = mib('by viewport', median(c?.viewport.map((r) => r.bytes / 2 ** 20) ?? []), c?.viewport.length ?? 0);
        // A crashed whole load still downloaded its bytes first.
        const base = mib('whole GeoJSON', median(c?.whole.map((r) => (r.bytes > 0 ? r.bytes / 2 ** 20 : null)) ?? []), c?.whole.length ?? 0);
        const requests = median(c?.viewport.map((r) => r.requests) ?? []);
        return {
          name: this.name, ours, baseline: base, ratio: ratioOf(ours, base),
          answer: c ? `${requests} range requests; the FlatGeobuf file is ${(c.fileBytes / 2 ** 20).toFixed(0)} MiB (${((c.fileBytes / 2 ** 20) / (ours.value ?? 1)).toFixed(0)}× what was fetched)` : 'not measured',
          figures: { bytes: ours.value === null ? null : ours.value * 2 ** 20, wholeBytes: base.value === null ? null : base.value * 2 ** 20, requests, fileBytes: c?.fileBytes ?? null, geojsonBytes: c?.geojsonBytes ?? null },
        };
      },
    });
    rows.push({
      name: `${name}: peak JS heap, main thread`,
      async run() {
        const c = await find();
        const ours = mib('by viewport', median(c?.viewport.map((r) => r.peakHeapMiB) ?? []), c?.viewport.length ?? 0);
        const base = mib('whole GeoJSON', median(c?.whole.map((r) => r.peakHeapMiB) ?? []), c?.whole.length ?? 0);
        const rssOurs = median(c?.viewport.map((r) => r.peakRssMiB) ?? []);
        const rssBase = median(c?.whole.map((r) => r.peakRssMiB) ?? []);
        return {
          name: this.name, ours, baseline: base, ratio: ratioOf(ours, base),
          answer: `renderer process (workers included) peak RSS ${rssOurs?.toFixed(0) ?? '?'} vs ${rssBase?.toFixed(0) ?? '?'} MiB`,
          figures: { peakHeapMiB: ours.value, wholePeakHeapMiB: base.value, peakRendererRssMiB: rssOurs, wholePeakRendererRssMiB: rssBase },
        };
      },
    });
  };
  caseRows('manholes', 'street', '1,000,000 points');
  rows.push({
    name: '1,000,000 points, street zoom (Chromium): a move in the open map to first features drawn',
    async run() {
      const f = await get();
      const ours = ms('by viewport', median(f.moves.map((m) => m.firstMs)), f.moves.length);
      const data = median(f.moves.map((m) => m.dataMs));
      const all = median(f.moves.map((m) => m.allMs));
      const kib = median(f.moves.map((m) => m.bytes / 1024));
      return {
        name: this.name, ours, baseline: null, ratio: null,
        answer: f.moves.length ? `Dinghai to Xincheng at z16: ${f.moves[0]!.shown.toLocaleString('en')} features, in hand ${fmtMs(data)}, all drawn ${fmtMs(all)}, ${kib?.toFixed(0)} KiB fetched (the whole GeoJSON never loaded)` : f.note,
        figures: { firstMs: ours.value, dataMs: data, allMs: all, kib },
      };
    },
  });
  caseRows('manholes', 'city', '1,000,000 points');
  caseRows('buildings', 'street', '200,000 polygons');
  rows.push({
    name: '1,000,000 points, panning at street zoom (Chromium): p95 frame time',
    async run() {
      const f = await get();
      const v = f.panning.viewport;
      const w = f.panning.whole;
      const n = f.panning.none;
      const ours = ms('by viewport', v?.p95Ms ?? null, 1);
      const base = ms('whole GeoJSON', w?.p95Ms ?? null, 1);
      return {
        name: this.name, ours, baseline: base, ratio: ratioOf(ours, base),
        answer: v
          ? `median ${v.medianMs.toFixed(0)} vs ${w?.medianMs.toFixed(0) ?? '?'} ms, max ${v.maxMs.toFixed(0)} vs ${w?.maxMs.toFixed(0) ?? '?'} ms, frames over 100 ms ${v.longFrames}/${v.frames} vs ${w ? `${w.longFrames}/${w.frames}` : '?'}; `
            + `the same map without the layer: p95 ${n?.p95Ms.toFixed(0) ?? '?'} ms, median ${n?.medianMs.toFixed(0) ?? '?'} ms (software WebGL's floor); ${f.note}`
          : f.note,
        figures: { ...prefixed('viewport', v), ...prefixed('whole', w), ...prefixed('noLayer', n) },
      };
    },
  });
  return rows;
}

function prefixed(prefix: string, o: object | null): Record<string, number | null> {
  return Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [`${prefix}${k[0]!.toUpperCase()}${k.slice(1)}`, typeof v === 'number' ? v : null]));
}

function fmtMs(v: number | null): string {
  if (v === null) return '?';
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`;
}

/**
 * Rows measured in headless Chromium on the built app. They share one browser session,
 * so the first row runs it and the second reads its figures.
 */
function browserRows(): Measurement[] {
  let figures: Promise<BrowserFigures> | null = null;
  const get = (): Promise<BrowserFigures> => (figures ??= measureInBrowser(ROOT));
  const cell = (label: string, value: number | null, runs: number): Cell => ({ label, value, unit: 'ms', runs });
  return [
    {
      name: 'worker round trip, no-op (Chromium)',
      async run() {
        const f = await get();
        return { name: this.name, ours: cell('Comlink ping', f.pingMs, 50), baseline: null, ratio: null, answer: f.note, figures: { pingMs: f.pingMs } };
      },
    },
    {
      name: 'worker round trip, park coverage + covered geometry (Chromium)',
      async run() {
        const f = await get();
        return {
          name: this.name,
          ours: cell('request to answer', f.coverageMs, 4),
          baseline: null,
          ratio: null,
          answer: f.coverageInWorkerMs === null ? f.note : `${f.coverageInWorkerMs.toFixed(0)} ms of it inside the worker`,
          figures: { coverageMs: f.coverageMs, coverageInWorkerMs: f.coverageInWorkerMs },
        };
      },
    },
    {
      name: 'suggest 50 e-bike stations in the planning worker, as the panel runs it (Chromium)',
      async run() {
        const f = await get();
        const g = f.suggest;
        return {
          name: this.name,
          ours: cell('request to answer', g?.ms ?? null, 3),
          baseline: null,
          ratio: null,
          answer: g === null ? f.note : `${g.inWorkerMs.toFixed(0)} ms inside the worker (fast answer ${g.fastMs.toFixed(0)} ms); ${g.sites} sites from ${g.candidates.toLocaleString('en')} candidates kept of ${g.total.toLocaleString('en')} along the roads; exact ${g.exact}, gap ${g.gap === null ? '?' : `${(g.gap * 100).toFixed(3)}%`}`,
          figures: g === null ? {} : { ...g },
        };
      },
    },
    {
      name: 'page load to all layers drawn (Chromium)',
      async run() {
        const f = await get();
        return { name: this.name, ours: cell('navigation to drawn', f.loadToDrawnMs, 3), baseline: null, ratio: null, answer: f.note, figures: { loadToDrawnMs: f.loadToDrawnMs } };
      },
    },
  ];
}

interface StationsRowOptions {
  radius?: number;
  /** @turf/buffer steps of the naive run (default 8, Turf's own). */
  steps?: number;
  /** Where the naive run goes: this process (default), a child killed at the budget, or nowhere. */
  naive?: 'in-process' | 'child' | 'skip';
  note?: string;
}

/** Coverage of the communities by n seeded random stations: ours against the naive Turf pipeline. */
function stationsRow(n: number, opts: StationsRowOptions = {}): Measurement {
  const { radius = RADIUS, steps = 8, naive = 'in-process' } = opts;
  const name = `coverage, ${n.toLocaleString('en')} stations (${radius} m)${opts.note ? `, ${opts.note}` : ''}`;
  return {
    name,
    async run(ctx) {
      const stations = randomStations(n, extentOf(ctx.communities), SEED);
      let share = 0;
      const ours = await time('serviceCoverage', () => void (share = serviceCoverage(ctx.communities, stations, { radius }).total.share), ctx);
      const label = `naive Turf (steps ${steps})`;
      let baseline: Cell | null = null;
      let naiveShare: number | null = null;
      if (naive === 'child') {
        const r = await naiveInChild(n, radius, steps, ctx.naiveBudgetS);
        baseline = r ? { label, value: r.ms, unit: 'ms', runs: 1 } : { label, value: null, unit: 'ms', runs: 1, stoppedAfterS: ctx.naiveBudgetS };
        naiveShare = r?.share ?? null;
      } else if (naive === 'in-process') {
        baseline = await time(label, () => void (naiveShare = naiveCoverage(ctx.communities, stations, { radius, steps }).total.share), ctx);
      }
      const diff = naiveShare === null ? null : (share - naiveShare) * 100;
      return {
        name,
        ours,
        baseline,
        ratio: baseline ? ratioOf(ours, baseline) : null,
        answer: naiveShare === null ? `${pct(share)}${baseline ? ' vs –' : ''}` : `${pct(share)} vs ${pct(naiveShare)} (${signed(diff!, 3)} pp)`,
        figures: { share, naiveShare, diffPp: diff },
      };
    },
  };
}

/** Median wall time of fn: warmed up once and run 5 times, or 3 runs in all if a run takes over 1 s. */
async function time(label: string, fn: () => void, ctx: Context): Promise<Cell> {
  const once = (): number => {
    const t = performance.now();
    fn();
    const ms = performance.now() - t;
    ctx.sample();
    return ms;
  };
  const first = once();
  const times = first > 1000 ? [first, once(), once()] : [once(), once(), once(), once(), once()];
  times.sort((a, b) => a - b);
  // Lets a pending child process's output be read between runs.
  await new Promise((resolve) => setImmediate(resolve));
  return { label, value: times[times.length >> 1]!, unit: 'ms', runs: times.length };
}

function ratioOf(ours: Cell, baseline: Cell): number | null {
  return baseline.value !== null && ours.value ? baseline.value / ours.value : null;
}

/** One naive run in a child process, killed after budgetS; null if stopped or failed. */
function naiveInChild(n: number, radius: number, steps: number, budgetS: number): Promise<{ ms: number; share: number } | null> {
  return inChild<{ ms: number; share: number }>(['--naive-child', String(n), String(radius), String(steps)], budgetS);
}

/** Runs this file with `args` in a fresh Node process; its last stdout line as JSON, or null. */
function inChild<T>(args: string[], budgetS: number): Promise<T | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), budgetS * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return resolve(null);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as T);
      } catch {
        resolve(null);
      }
    });
  });
}

async function runNaiveChild(n: number, radius: number, steps: number): Promise<void> {
  const communities = await readLayer('communities');
  const stations = randomStations(n, extentOf(communities), SEED);
  const t = performance.now();
  const r = naiveCoverage(communities, stations, { radius, steps });
  console.log(JSON.stringify({ ms: performance.now() - t, share: r.total.share }));
}

/**
 * Peak memory of one coverage run in a process of its own, so that neither engine's garbage
 * counts against the other: the OS high-water mark of the process (RSS) and heap in use
 * right after the run. `engine` 'none' only loads the data: the floor both start from.
 */
async function runMemoryChild(engine: string, n: number): Promise<void> {
  const communities = await readLayer('communities');
  const stations = randomStations(n, extentOf(communities), SEED);
  if (engine === 'ours') serviceCoverage(communities, stations, { radius: RADIUS });
  else if (engine === 'naive') naiveCoverage(communities, stations, { radius: RADIUS });
  const heapUsedMiB = process.memoryUsage().heapUsed / 2 ** 20;
  console.log(JSON.stringify({ rssMiB: process.resourceUsage().maxRSS / 1024, heapUsedMiB }));
}

function memoryRow(oursN: number, naiveN: number): Measurement {
  const name = `peak memory, own process: ours at ${oursN.toLocaleString('en')} stations, naive at ${naiveN.toLocaleString('en')}`;
  return {
    name,
    async run(ctx) {
      type Mem = { rssMiB: number; heapUsedMiB: number };
      const floor = await inChild<Mem>(['--memory-child', 'none', '0'], ctx.naiveBudgetS);
      const ours = await inChild<Mem>(['--memory-child', 'ours', String(oursN)], ctx.naiveBudgetS);
      const naive = await inChild<Mem>(['--memory-child', 'naive', String(naiveN)], ctx.naiveBudgetS);
      const cell = (label: string, m: Mem | null): Cell => ({ label, value: m?.rssMiB ?? null, unit: 'MiB', runs: 1 });
      const a = cell('serviceCoverage RSS', ours);
      const b = cell('naive Turf RSS', naive);
      const heap = (m: Mem | null): string => (m ? `${m.heapUsedMiB.toFixed(0)} MiB` : '–');
      return {
        name,
        ours: a,
        baseline: b,
        ratio: ratioOf(a, b),
        answer: `heap after run ${heap(ours)} vs ${heap(naive)}; data loaded, nothing run: RSS ${floor ? floor.rssMiB.toFixed(0) : '–'} MiB`,
        figures: {
          oursRssMiB: ours?.rssMiB ?? null,
          naiveRssMiB: naive?.rssMiB ?? null,
          oursHeapUsedMiB: ours?.heapUsedMiB ?? null,
          naiveHeapUsedMiB: naive?.heapUsedMiB ?? null,
          floorRssMiB: floor?.rssMiB ?? null,
        },
      };
    },
  };
}

/** Seeded star-shaped polygons, 50–300 m across with 4–12 vertices, over the extent. */
function randomPolygons(n: number, extent: readonly [number, number, number, number], seed: number): Feature<Polygon>[] {
  const rand = mulberry32(seed);
  const mPerDegLat = 110850;
  const mPerDegLon = 111320 * Math.cos((30 * Math.PI) / 180);
  const out: Feature<Polygon>[] = [];
  for (let i = 0; i < n; i++) {
    const lon = extent[0] + rand() * (extent[2] - extent[0]);
    const lat = extent[1] + rand() * (extent[3] - extent[1]);
    const size = 25 + rand() * 125;
    const k = 4 + Math.floor(rand() * 9);
    const ring: Position[] = [];
    for (let j = 0; j < k; j++) {
      const t = (2 * Math.PI * (j + rand() * 0.5)) / k;
      const r = size * (0.6 + 0.4 * rand());
      ring.push([lon + (r * Math.cos(t)) / mPerDegLon, lat + (r * Math.sin(t)) / mPerDegLat]);
    }
    ring.push(ring[0]!.slice());
    out.push({ type: 'Feature', properties: { id: i }, geometry: { type: 'Polygon', coordinates: [ring] } });
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const childAt = args.indexOf('--naive-child');
  if (childAt >= 0) return runNaiveChild(Number(args[childAt + 1]), Number(args[childAt + 2]), Number(args[childAt + 3]));
  const memoryAt = args.indexOf('--memory-child');
  if (memoryAt >= 0) return runMemoryChild(args[memoryAt + 1] ?? 'none', Number(args[memoryAt + 2]));
  const json = args.includes('--json');
  const budgetArg = args.find((a) => a.startsWith('--naive-budget='));
  const naiveBudgetS = budgetArg ? Number(budgetArg.split('=')[1]) : 60;
  if (!(naiveBudgetS > 0)) throw new Error('--naive-budget must be a positive number of seconds');

  let heapPeak = 0;
  const ctx: Context = {
    communities: await readLayer('communities'),
    naiveBudgetS,
    sample: () => void (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)),
  };
  const rows: Row[] = [];
  // --scale-only: just the scale rows (minutes); --no-scale: everything but them; --load-only: just the load rows.
  const isScale = (m: Measurement): boolean => m.name.includes('(Chromium):');
  const chosen = MEASUREMENTS.filter((m) => {
    if (args.includes('--load-only')) return m.name.startsWith(LOAD_ROW);
    if (args.includes('--planning-only')) return m.name.startsWith('suggest ');
    if (args.includes('--scale-only')) return isScale(m);
    return !args.includes('--no-scale') || !isScale(m);
  });
  for (const m of chosen) {
    if (!json) process.stderr.write(`${m.name}…\n`);
    rows.push(await m.run(ctx));
  }
  const memory = {
    // maxRSS is the operating system's high-water mark for this process (KiB); heap is sampled after each run.
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    peakHeapUsedMiB: heapPeak / 2 ** 20,
  };
  const machine = { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '' };
  if (json) {
    console.log(JSON.stringify({ machine, communities: ctx.communities.features.length, radius: RADIUS, seed: SEED, rows, memory }, null, 2));
    return;
  }
  console.log(`\n${ctx.communities.features.length} communities; Node ${machine.node}, ${machine.cpus} CPUs (${machine.cpu})\n`);
  printTable(
    ['measurement', 'ours', 'baseline', 'baseline / ours', 'answer (ours vs baseline)'],
    rows.map((r) => [r.name, fmtCell(r.ours), r.baseline ? `${fmtCell(r.baseline)}, ${r.baseline.label}` : 'not run', fmtRatio(r.ratio), r.answer]),
  );
  console.log(`\npeak memory of this bench process (both engines, children excluded): RSS ${memory.peakRssMiB.toFixed(0)} MiB, heap used ${memory.peakHeapUsedMiB.toFixed(0)} MiB`);
}

function fmtCell(c: Cell): string {
  if (c.value === null) return c.failure ?? (c.stoppedAfterS ? `> ${c.stoppedAfterS} s (stopped)` : 'failed');
  if (c.unit === 'MiB') {
    const v = `${c.value.toFixed(c.value < 10 ? 2 : 0)} MiB`;
    return c.runs > 1 ? `${v} (median of ${c.runs})` : v;
  }
  const v = c.value >= 1000 ? `${(c.value / 1000).toFixed(2)} s` : `${c.value.toFixed(c.value < 10 ? 2 : 1)} ms`;
  return c.runs > 1 ? `${v} (median of ${c.runs})` : v;
}

function fmtRatio(r: number | null): string {
  if (r === null) return '–';
  return r >= 10 ? `${r.toFixed(0)}×` : `${r.toPrecision(2)}×`;
}

function printTable(head: string[], body: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of body) console.log(line(r));
}

const pct = (share: number): string => `${(share * 100).toFixed(3)}%`;
const signed = (v: number, digits: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;
const fmtKm2 = (m2: number): string => `${(m2 / 1e6).toFixed(4)} km²`;

await main();
