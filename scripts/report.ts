/**
 * `npm run report`: the programme's figures, the layers' totals and the service-radius
 * coverage, printed from data/ with the same modules the browser uses (programme.ts,
 * measure.ts, coverage/). For checking the map against the report, and for staff who want
 * the numbers without opening a browser.
 *
 *   npm run report [-- --json] [--as-of YYYY-MM-DD] [--radius-ebike N] [--radius-parking N] [--help]
 *
 * `main` does the work and is what the test runs; the wrapper at the end only passes
 * process.argv in and turns a thrown error into a message and exit code 2.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Feature, FeatureCollection } from 'geojson';
import type { CoverageResult, CoverageTally } from '../src/analysis/coverage/coverage.ts';
import { DEFAULT_COVERAGE_SETTINGS } from '../src/analysis/coverage-settings.ts';
import { analysisInputs, type CoverageKind } from '../src/analysis/roles.ts';
import { AnalysisApi } from '../src/analysis/worker/analysis-api.ts';
import { measureFeature, summarize } from '../src/analysis/measure.ts';
import type { FeatureMeasures, Totals } from '../src/analysis/measure.ts';
import { evaluateProgramme } from '../src/analysis/programme.ts';
import type { MetricValue, ProgrammeMetric } from '../src/analysis/programme.ts';
import { isIsoDate } from '../src/analysis/timeline/calendar.ts';
import { entriesFor, layerOn } from '../src/analysis/timeline/status-on.ts';
import { parseCatalogue, valueLabel } from '../src/data/catalogue.ts';
import type { Catalogue, FieldDef, LayerEntry, Localized } from '../src/data/catalogue.ts';
import { readFgb } from '../src/data/fgb/read-fgb.ts';

// ---------- options ----------

export interface ReportOptions {
  /** One JSON document instead of tables. */
  json: boolean;
  /** Service radius of an e-bike station, m (GB/T 51328-2018 practice: 300–500 m station spacing). */
  radiusEbike: number;
  /** Service radius of a berth or car park, m (GB/T 51149-2016: about 300 m). */
  radiusParking: number;
  /** The figures as they stood on this date (YYYY-MM-DD), from the catalogue's timeline; null: as the files are. */
  asOf: string | null;
  help: boolean;
}

const DEFAULTS: ReportOptions = { json: false, radiusEbike: 300, radiusParking: 300, asOf: null, help: false };

/** Coverage targets for park green space, share of residential land. */
export const PARK_TARGETS = [
  { share: 0.8, standard: 'GB 55014-2021 §2.1.3' },
  { share: 0.9, standard: 'GB/T 51346-2019 §4.3.4' },
] as const;

export const USAGE = `Usage: npm run report -- [options]
       npm run -s report -- --json > report.json   (-s keeps npm's own lines out of the JSON)

Prints the programme figures, layer totals and service-radius coverage from data/.
打印工作成效指标、图层统计和服务半径覆盖率。

Options:
  --json               one JSON document (metrics, layer totals, coverage, per-feature measures)
  --as-of YYYY-MM-DD   everything as it stood on that date (the catalogue's timeline), e.g. 2024-03-31
                       截至某日的数据（按图层目录的时间线）
  --radius-ebike N     e-bike station service radius in metres (default ${DEFAULTS.radiusEbike})
  --radius-parking N   berth and car-park service radius in metres (default ${DEFAULTS.radiusParking})
  --help               this text
`;

/** Parses command-line arguments; throws a plain Error naming what is wrong. */
export function parseArgs(argv: readonly string[]): ReportOptions {
  const opts = { ...DEFAULTS };
  const radius = (name: string, value: string | undefined): number => {
    const n = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} needs a number of metres greater than 0, got ${value === undefined ? 'nothing' : `"${value}"`}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const [name, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (name) {
      case '--json':
        opts.json = true;
        break;
      case '--help':
      case '-h':
        opts.help = true;
        break;
      case '--radius-ebike':
        opts.radiusEbike = radius(name, value());
        break;
      case '--radius-parking':
        opts.radiusParking = radius(name, value());
        break;
      case '--as-of': {
        const d = value();
        if (d === undefined || !isIsoDate(d)) throw new Error(`--as-of needs a date written YYYY-MM-DD, got ${d === undefined ? 'nothing' : `"${d}"`}`);
        opts.asOf = d;
        break;
      }
      default:
        throw new Error(`unknown option "${arg}". Options: --json, --as-of YYYY-MM-DD, --radius-ebike N, --radius-parking N, --help`);
    }
  }
  return opts;
}

// ---------- data ----------

export interface Data {
  catalogue: Catalogue;
  layers: Record<string, FeatureCollection>;
}

/** Reads the catalogue and every layer it lists from `dataDir`. */
export async function loadData(dataDir: string): Promise<Data> {
  const catalogue = parseCatalogue(JSON.parse(readFileSync(join(dataDir, 'catalogue.json'), 'utf8')), join(dataDir, 'catalogue.json'));
  const layers: Record<string, FeatureCollection> = {};
  for (const l of catalogue.layers) {
    const features: Feature[] = [];
    for await (const f of readFgb(new Uint8Array(readFileSync(join(dataDir, l.file))))) features.push(f);
    layers[l.id] = { type: 'FeatureCollection', features };
  }
  return { catalogue, layers };
}

// ---------- the report ----------

export interface MetricRow extends MetricValue {
  label: Localized;
  unit: ProgrammeMetric['unit'] | null;
  /** value − target, in the value's own unit (m², m, count…); null without a target. */
  difference: number | null;
}

export interface LayerTotals {
  name: Localized;
  /** The field grouped by besides district: `status`, else the layer's style field. */
  groupField: string | null;
  total: Totals;
  byGroup: Record<string, Totals>;
  byDistrict: Record<string, Totals>;
}

export interface CoverageSummary {
  label: Localized;
  /** Describes the radius: a number of metres, or the park rules. */
  radius: number | readonly { minArea: number; radius: number }[];
  total: CoverageTally;
  byDistrict: Record<string, CoverageTally>;
  gridCells: {
    cells: number;
    /** Cells with residential land; the statistics below are over these. */
    withResidential: number;
    min: number;
    median: number;
    max: number;
    below80: number;
  };
  byZone: CoverageResult['byZone'];
  perTarget: CoverageResult['perTarget'];
  services: number;
  /** Parks only: the standards' targets and whether the city meets them. */
  targets?: { share: number; standard: string; met: boolean }[];
}

export interface Report {
  title: Localized;
  demo: boolean;
  /** The date the figures are as of (the catalogue's timeline applied); null: the files as they are. */
  asOf: string | null;
  options: Omit<ReportOptions, 'help' | 'json' | 'asOf'>;
  metrics: MetricRow[];
  layers: Record<string, LayerTotals>;
  coverage: { parks: CoverageSummary; ebike: CoverageSummary; parking: CoverageSummary };
  /** Per feature, by layer then id: only the measures that apply (area for polygons, length for lines). */
  features: Record<string, Record<string, Partial<FeatureMeasures>>>;
}

function requireLayer(data: Data, id: string): FeatureCollection {
  const l = data.layers[id];
  if (!l) throw new Error(`layer "${id}" is missing from the catalogue`);
  return l;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function coverageSummary(label: Localized, radius: CoverageSummary['radius'], r: CoverageResult): CoverageSummary {
  const cells = Object.values(r.byZone);
  const withLand = cells.filter((z) => z.area > 0).map((z) => z.share);
  return {
    label,
    radius,
    total: r.total,
    byDistrict: r.byGroup,
    gridCells: {
      cells: cells.length,
      withResidential: withLand.length,
      min: withLand.length ? Math.min(...withLand) : Number.NaN,
      median: median(withLand),
      max: withLand.length ? Math.max(...withLand) : Number.NaN,
      below80: withLand.filter((s) => s < 0.8).length,
    },
    byZone: r.byZone,
    perTarget: r.perTarget,
    services: r.services,
  };
}

/**
 * The layers as they stood on `date`, by the catalogue's timeline (features not yet in the
 * programme left out, statuses as they were); the same data for null.
 */
export function dataAsOf(data: Data, date: string | null): Data {
  if (date === null) return data;
  const timeline = data.catalogue.timeline;
  if (!timeline) throw new Error('--as-of needs the catalogue to declare a timeline (its "timeline" section)');
  const layers = Object.fromEntries(Object.entries(data.layers).map(([id, fc]) => [id, layerOn(fc, entriesFor(timeline, id), date)]));
  return { catalogue: data.catalogue, layers };
}

/** Everything the report shows, computed from the data: pure, no printing. With `asOf`, as it stood on that date. */
export function buildReport(source: Data, options: Pick<ReportOptions, 'radiusEbike' | 'radiusParking'> & Partial<Pick<ReportOptions, 'asOf'>> = DEFAULTS): Report {
  const asOf = options.asOf ?? null;
  const data = dataAsOf(source, asOf);
  const { catalogue } = data;
  const metrics: MetricRow[] = evaluateProgramme(catalogue.programme ?? [], data.layers).map((v, i) => {
    const m = catalogue.programme![i]!;
    // Rounded to millionths of the unit: sums of decimal figures leave float dust (−3e-14 t).
    const difference = v.target === null ? null : Math.round((v.value - v.target) * 1e6) / 1e6 || 0;
    return { ...v, label: m.label, unit: m.unit ?? null, difference };
  });

  const layers: Record<string, LayerTotals> = {};
  const features: Report['features'] = {};
  for (const l of catalogue.layers) {
    const fc = requireLayer(data, l.id);
    const groupField = l.fields.some((f) => f.name === 'status') ? 'status' : (l.styleField ?? null);
    const byGroup = groupField ? summarize(fc, { groupBy: groupField }) : null;
    const byDistrict = summarize(fc, { groupBy: 'district' });
    layers[l.id] = { name: l.name, groupField, total: byDistrict.total, byGroup: byGroup?.byGroup ?? {}, byDistrict: byDistrict.byGroup };

    // By id (IP-2 before IP-10), not in file order, which is the spatial index's.
    const measured = fc.features
      .map((f, i) => [String(f.properties?.id ?? f.id ?? i), measureFeature(f)] as const)
      .map(([id, m]) => [id, Object.fromEntries(Object.entries(m).filter(([, v]) => v !== null)) as Partial<FeatureMeasures>] as const)
      .filter(([, m]) => Object.keys(m).length > 0)
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
    if (measured.length > 0) features[l.id] = Object.fromEntries(measured);
  }

  // The same computation as the app's analysis worker, on the layers the catalogue's
  // analysis roles name.
  const roles = catalogue.analysis;
  if (!roles) throw new Error('the catalogue declares no analysis layers (its "analysis" section)');
  for (const id of analysisInputs(roles)) requireLayer(data, id);
  const api = new AnalysisApi();
  api.setLayers(data.layers);
  const name = (kind: CoverageKind): Localized => {
    const names = roles.services[kind].map((id) => catalogue.layers.find((l) => l.id === id)?.name ?? { zh: id, en: id });
    return names.length === 1 ? names[0]! : { zh: names.map((n) => n.zh).join('与'), en: names.map((n, i) => (i ? n.en.toLowerCase() : n.en)).join(' and ') };
  };
  const settings = { ...DEFAULT_COVERAGE_SETTINGS, ebikeRadius: options.radiusEbike, parkingRadius: options.radiusParking };
  const run = (kind: CoverageKind) => api.coverage({ ...settings, kind }, roles).result;
  const parks = coverageSummary(name('parks'), settings.parkRules, run('parks'));
  parks.targets = PARK_TARGETS.map((t) => ({ ...t, met: parks.total.share >= t.share }));
  const ebike = coverageSummary(name('ebike'), options.radiusEbike, run('ebike'));
  const parking = coverageSummary(name('parking'), options.radiusParking, run('parking'));

  return {
    title: catalogue.title,
    demo: catalogue.demo,
    asOf,
    options: { radiusEbike: options.radiusEbike, radiusParking: options.radiusParking },
    metrics,
    layers,
    coverage: { parks, ebike, parking },
    features,
  };
}

// ---------- text ----------

/** Terminal columns a string takes: CJK and full-width characters take two. */
function columns(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return w;
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => columns(r[c] ?? ''))));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c]! - columns(cell));
        return c === 0 ? cell + pad : pad + cell;
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const num = (x: number, digits = 0): string =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—';
const pct = (share: number): string => (Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : '—');
const both = (l: Localized): string => (l.zh === l.en ? l.zh : `${l.zh} ${l.en}`);

/** A metric value in its display unit (areas in ha where the catalogue says so). */
function metricText(m: MetricRow, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const u = m.unit;
  if (u === 'ha') return `${num(value / 10_000, 2)} ha`;
  if (u === 'km') return `${num(value / 1000, 2)} km`;
  if (u === 'm2') return `${num(value)} m²`;
  if (u === 'm') return `${num(value, m.kind === 'length' ? 1 : 0)} m`;
  if (u === '%') return `${num(value, 1)} %`;
  if (u === 't') return `${num(value, 1)} t`;
  const decimals = Number.isInteger(value) ? 0 : 1;
  return typeof u === 'object' && u ? `${num(value, decimals)} ${u.zh}` : num(value, decimals);
}

function field(l: LayerEntry | undefined, name: string | null): FieldDef | undefined {
  return name ? l?.fields.find((f) => f.name === name) : undefined;
}

/** Group keys in the catalogue's order of values, then any others. */
function ordered(keys: readonly string[], f: FieldDef | undefined): string[] {
  const order = f?.values?.map((v) => v.value) ?? [];
  return [...keys].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib) || a.localeCompare(b);
  });
}

function label(f: FieldDef | undefined, value: string): string {
  const zh = valueLabel(f, value, 'zh');
  const en = valueLabel(f, value, 'en');
  return zh === en ? zh : `${zh} ${en}`;
}

/** The report as plain-text tables, Chinese and English labels. */
export function formatReport(report: Report, catalogue: Catalogue): string {
  const out: string[] = [];
  out.push(`${report.title.zh} · ${report.title.en}`);
  if (report.demo) out.push('演示数据：专题图层为合成数据。 Demo data: the thematic layers are synthetic.');
  if (report.asOf) out.push(`截至 ${report.asOf} 的数据（按时间线）。 As of ${report.asOf} (from the timeline).`);

  out.push('', '== 工作成效 Programme ==', '');
  out.push(
    table(
      ['指标 Metric', '数值 Value', '目标 Target', '差值 Difference'],
      report.metrics.map((m) => [
        both(m.label),
        m.kind === 'progress' ? `${num(m.value)} / ${num(m.total ?? Number.NaN)}` : metricText(m, m.value),
        m.kind === 'progress' ? (m.target === null ? '—' : num(m.target)) : metricText(m, m.target),
        m.difference === null ? '—' : m.difference === 0 ? '0' : m.kind === 'progress' ? num(m.difference) : metricText(m, m.difference),
      ]),
    ),
  );

  out.push('', '== 图层统计 Layer totals ==', '椭球面积为 CGCS2000 椭球面积；平面面积为高斯–克吕格 3° 带（EPSG:4550）平面面积。', 'Area: on the CGCS2000 ellipsoid; GK area: planar, Gauss–Krüger 3° zone (EPSG:4550).');
  const districtField = (l: LayerEntry | undefined): FieldDef | undefined => field(l, 'district');
  for (const [id, t] of Object.entries(report.layers)) {
    const entry = catalogue.layers.find((l) => l.id === id);
    const areal = t.total.area_m2 > 0;
    const linear = t.total.length_m > 0;
    const header = ['', '数量 Count', ...(areal ? ['面积 Area (m²)', '平面面积 GK area (m²)'] : []), ...(linear ? ['长度 Length (m)'] : [])];
    const row = (name: string, x: Totals): string[] => [
      name,
      num(x.count),
      ...(areal ? [num(x.area_m2, 1), num(x.area_gk_m2, 1)] : []),
      ...(linear ? [num(x.length_m, 1)] : []),
    ];
    const gf = field(entry, t.groupField);
    const rows = [
      row('合计 Total', t.total),
      ...ordered(Object.keys(t.byGroup), gf).map((k) => row(`  ${label(gf, k)}`, t.byGroup[k]!)),
      ...ordered(Object.keys(t.byDistrict), districtField(entry)).map((k) => row(`  ${label(districtField(entry), k)}`, t.byDistrict[k]!)),
    ];
    header[0] = `${both(t.name)} (${id})`;
    out.push('', table(header, rows));
  }

  out.push('', '== 服务半径覆盖率 Service-radius coverage of residential land ==');
  const districts = districtField(catalogue.layers.find((l) => l.id === catalogue.analysis?.residential));
  for (const c of [report.coverage.parks, report.coverage.ebike, report.coverage.parking]) {
    const radius = typeof c.radius === 'number' ? `${num(c.radius)} m` : c.radius.map((r) => `≥ ${num(r.minArea)} m² → ${num(r.radius)} m`).join(', ');
    out.push('', `${both(c.label)} — 服务半径 radius ${radius}; ${num(c.services)} 个设施计入 services counted`);
    const rows = [
      ['全市 City', num(c.total.area / 10_000, 2), num(c.total.covered / 10_000, 2), pct(c.total.share)],
      ...ordered(Object.keys(c.byDistrict), districts).map((k) => {
        const d = c.byDistrict[k]!;
        return [`  ${label(districts, k)}`, num(d.area / 10_000, 2), num(d.covered / 10_000, 2), pct(d.share)];
      }),
    ];
    out.push(table(['', '居住用地 Residential (ha)', '覆盖 Covered (ha)', '覆盖率 Share'], rows));
    for (const t of c.targets ?? [])
      out.push(`目标 Target ≥ ${pct(t.share)} (${t.standard}): ${t.met ? '达标 met' : '未达标 not met'}`);
    const g = c.gridCells;
    out.push(
      `网格 Grid cells: ${g.cells} 个，其中 ${g.withResidential} 个有居住用地 with residential land — ` +
        `最低 min ${pct(g.min)}, 中位 median ${pct(g.median)}, 最高 max ${pct(g.max)}; 低于 80 % below 80 %: ${g.below80}`,
    );
  }
  return `${out.join('\n')}\n`;
}

// ---------- main ----------

export interface MainIo {
  /** Where data/ is. Default: the project's data/. */
  dataDir?: string;
  /** Where output goes. Default: process.stdout. */
  write?: (text: string) => void;
}

/** Runs the report with command-line arguments; rejects with a plain Error on bad arguments. */
export async function main(argv: readonly string[], io: MainIo = {}): Promise<Report | null> {
  const opts = parseArgs(argv);
  const write = io.write ?? ((s: string) => void process.stdout.write(s));
  if (opts.help) {
    write(USAGE);
    return null;
  }
  const data = await loadData(io.dataDir ?? resolve(import.meta.dirname, '..', 'data'));
  const report = buildReport(data, opts);
  write(opts.json ? `${JSON.stringify(report, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n` : formatReport(report, data.catalogue));
  return report;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`report: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}
