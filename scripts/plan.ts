/**
 * `npm run plan`: suggest sites for a service from the command line, with the same modules
 * the app's planning worker uses (src/analysis/planning/), on the catalogue's layers.
 *
 *   npm run plan -- --service ebike --add 20 [--spacing 50] [--candidates FILE] --json
 *   npm run plan -- --service ebike --target 90 --json
 *   npm run plan -- --service parks --from idle-plots --add 5
 *
 * With --json it prints `sites` (a GeoJSON FeatureCollection in WGS84), `before` and `after`
 * (city-wide percent of residential land within reach), `byDistrict` and `byZone` (before and
 * after, percent), the fast answer and the exact solve's gap. `main` does the work and is
 * what the test runs.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import loadHighs from 'highs';
import { DEFAULT_COVERAGE_SETTINGS } from '../src/analysis/coverage-settings.ts';
import { createLocalFrame } from '../src/analysis/coverage/local-frame.ts';
import { parkRadiusFn } from '../src/analysis/coverage/park-radius.ts';
import { roadCandidates } from '../src/analysis/planning/candidates.ts';
import { exactFigure, suggestSites, type Candidate } from '../src/analysis/planning/suggest.ts';
import type { CoverageSummary, SuggestRequest } from '../src/analysis/planning/types.ts';
import { COVERAGE_KINDS, type CoverageKind } from '../src/analysis/roles.ts';
import { parseCatalogue } from '../src/data/catalogue.ts';
import { readFgb } from '../src/data/fgb/read-fgb.ts';

export interface PlanMainIo {
  /** Folder holding catalogue.json, layers/ and basemap/. Default: the repository's data/. */
  dataDir?: string;
  /** Where a relative --candidates path is resolved. Default process.cwd(). */
  cwd?: string;
  /** Output. Default stdout. */
  write?: (s: string) => void;
}

/** What --json prints. */
export interface PlanOutput {
  service: CoverageKind;
  goal: SuggestRequest['goal'];
  sites: FeatureCollection;
  /** City-wide percent of residential land within reach. */
  before: number;
  after: number;
  byDistrict: Record<string, { before: number; after: number }>;
  byZone: Record<string, { before: number; after: number }>;
  candidates: { total: number; kept: number; offLand: number; nearExisting: number; tooSmall: number };
  /** The exact solve: its status and how far the answer may be from the optimum (share, or null). */
  exact: { status: string; gap: number | null; ms: number };
  unreachable: boolean;
}

const DEFAULT_DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');

export function helpText(): string {
  return [
    'Usage: npm run plan -- --service SERVICE (--add N | --target PERCENT) [options] [--json]',
    '',
    `  --service       ${COVERAGE_KINDS.join(', ')}`,
    '  --add N         choose N new sites covering the most residential land',
    '  --target P      the fewest new sites bringing coverage to P percent',
    '  --spacing M     candidates every M metres along the roads, on the pavement (default 50)',
    '  --candidates F  candidates from a GeoJSON file (WGS84) instead of the roads',
    '  --from LAYER    candidates from a catalogue layer (idle-plots: pocket parks)',
    '  --min-distance M  leave out candidates within M metres of a site there is (default 100; 0 keeps all)',
    '  --exact-seconds S  time the exact solve may take (default 20)',
    '  --json          print the result as JSON',
    '  --help          this text',
    '',
  ].join('\n');
}

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;
const percent = (share: number): number => round(share * 100);

function pairs(before: CoverageSummary, after: CoverageSummary, key: 'byGroup' | 'byZone'): Record<string, { before: number; after: number }> {
  return Object.fromEntries(Object.entries(after[key]).filter(([, t]) => t.area > 0).map(([k, t]) => [k, { before: percent(before[key][k]?.share ?? 0), after: percent(t.share) }]));
}

async function readLayerFile(path: string): Promise<FeatureCollection> {
  const features: Feature[] = [];
  for await (const f of readFgb(new Uint8Array(readFileSync(path)), { sourceName: path })) features.push(f);
  return { type: 'FeatureCollection', features };
}

function number(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${JSON.stringify(v)}`);
  return n;
}

/** Runs the suggestion; returns what --json prints. Throws a plain Error on bad arguments. */
export async function main(argv: readonly string[], io: PlanMainIo = {}): Promise<PlanOutput | null> {
  const write = io.write ?? ((s: string) => void process.stdout.write(s));
  const { values } = parseArgs({
    args: [...argv],
    options: {
      service: { type: 'string' },
      add: { type: 'string' },
      target: { type: 'string' },
      spacing: { type: 'string' },
      candidates: { type: 'string' },
      from: { type: 'string' },
      'min-distance': { type: 'string' },
      'exact-seconds': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    write(helpText());
    return null;
  }
  const kind = values.service as CoverageKind | undefined;
  if (!kind || !COVERAGE_KINDS.includes(kind)) throw new Error(`--service must be one of ${COVERAGE_KINDS.join(', ')} (see --help)`);
  if ((values.add === undefined) === (values.target === undefined)) throw new Error('give either --add N or --target PERCENT (see --help)');
  if (values.candidates !== undefined && values.from !== undefined) throw new Error('--candidates and --from both name the candidates: give one');
  const goal: SuggestRequest['goal'] = values.add !== undefined ? { sites: number('add', values.add, 0) } : { share: number('target', values.target, 0) / 100 };
  const spacing = number('spacing', values.spacing, 50);

  const dataDir = io.dataDir ?? DEFAULT_DATA_DIR;
  const cataloguePath = join(dataDir, 'catalogue.json');
  const catalogue = parseCatalogue(JSON.parse(readFileSync(cataloguePath, 'utf8')), cataloguePath);
  const roles = catalogue.analysis;
  if (!roles) throw new Error('the catalogue declares no analysis layers');
  const file = (id: string): string => {
    const entry = catalogue.layers.find((l) => l.id === id);
    if (!entry) throw new Error(`no layer ${id} in the catalogue; layers: ${catalogue.layers.map((l) => l.id).join(', ')}`);
    return join(dataDir, entry.file);
  };
  const [targets, grid, land, ...serviceLayers] = await Promise.all([
    readLayerFile(file(roles.residential)),
    readLayerFile(file(roles.zones)),
    readLayerFile(join(dataDir, catalogue.basemap.land)),
    ...roles.services[kind].map((id) => readLayerFile(file(id))),
  ]);
  const services: FeatureCollection = { type: 'FeatureCollection', features: serviceLayers.flatMap((l) => l.features) };
  const frame = createLocalFrame();
  let candidates: Candidate[];
  let source: SuggestRequest['candidates'];
  if (values.from !== undefined) {
    const layerId = values.from;
    const layer = await readLayerFile(file(layerId));
    candidates = layer.features.map((feature, i) => ({ feature, from: { layerId, featureId: String(feature.properties?.id ?? i) } }));
    source = { from: 'layer', layerId };
  } else if (values.candidates !== undefined) {
    const fc = JSON.parse(readFileSync(resolve(io.cwd ?? process.cwd(), values.candidates), 'utf8')) as FeatureCollection;
    if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error(`${values.candidates} is not a GeoJSON FeatureCollection`);
    candidates = fc.features.map((feature) => ({ feature }));
    source = { from: 'layer', layerId: 'file' };
  } else {
    const roads = await readLayerFile(join(dataDir, catalogue.basemap.roads));
    candidates = roadCandidates(roads, { spacing, offset: 8 }, frame).map((feature) => ({ feature }));
    source = { from: 'roads', spacing, offset: 8 };
  }
  const s = DEFAULT_COVERAGE_SETTINGS;
  const radius = kind === 'parks' ? parkRadiusFn(s.parkRules) : kind === 'ebike' ? s.ebikeRadius : s.parkingRadius;
  const request: SuggestRequest = {
    kind,
    goal,
    candidates: source,
    minDistance: number('min-distance', values['min-distance'], 100),
    onLand: source.from === 'roads',
    exactSeconds: number('exact-seconds', values['exact-seconds'], 20),
  };
  const { response, exact } = suggestSites({ targets, zones: grid.features as Feature<Polygon | MultiPolygon>[], groupField: roles.districtField, services, radius, candidates, land, request }, { frame });
  const figure = exactFigure(await loadHighs(), exact);
  const out: PlanOutput = {
    service: kind,
    goal,
    sites: response.sites,
    before: percent(response.before.total.share),
    after: percent(response.after.total.share),
    byDistrict: pairs(response.before, response.after, 'byGroup'),
    byZone: pairs(response.before, response.after, 'byZone'),
    candidates: response.candidates,
    exact: { status: figure.exact.status, gap: figure.gap === null ? null : round(figure.gap, 6), ms: Math.round(figure.exact.ms) },
    unreachable: response.unreachable,
  };
  if (values.json) {
    write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    write(`${kind}: ${response.sites.features.length} sites from ${response.candidates.kept} candidates; city coverage ${out.before}% → ${out.after}%\n`);
    for (const [d, x] of Object.entries(out.byDistrict)) write(`  ${d}: ${x.before}% → ${x.after}%\n`);
    write(`exact solve: ${figure.exact.status}, gap ${figure.gap === null ? 'unknown' : `${(figure.gap * 100).toFixed(2)}%`}\n`);
    if (response.unreachable) write('the target cannot be reached with these candidates\n');
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`plan: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}
