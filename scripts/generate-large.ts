/**
 * `npm run data:large`: city-scale synthetic layers for the scale tests and the benchmark,
 * written on demand and never committed (data/large/ and data/catalogue-large.json are
 * ignored by git). Open them with `?catalogue=large`.
 *
 *   --points N            manhole covers (default 1,000,000)
 *   --polygons N          building footprints (default 200,000)
 *   --threshold-bytes N   catalogue size above which a layer loads by viewport (default 8 MiB)
 *   --geojson             also write the same features as GeoJSON (the benchmark's baseline)
 *   --if-missing          do nothing when a large catalogue is already there
 *
 * Both layers are indexed FlatGeobuf written by the project's own writer, in EPSG:4326.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { parseCatalogue, type Catalogue, type LayerEntry } from '../src/data/catalogue.ts';
import { readFgb } from '../src/data/fgb/read-fgb.ts';
import { writeFgb } from '../src/data/fgb/write-fgb.ts';
import { layerColumns, layerTitle } from './data/columns.ts';
import { createLandIndex } from './data/land-index.ts';
import { buildings, manholes } from './data/large-layers.ts';

export interface LargeOptions {
  points: number;
  polygons: number;
  thresholdBytes: number;
  geojson: boolean;
  ifMissing: boolean;
  /** data/ directory to write into. */
  dataDir: string;
}

export const LARGE_CATALOGUE = 'catalogue-large.json';

export function parseArgs(argv: readonly string[], dataDir: string): LargeOptions {
  const opts: LargeOptions = { points: 1_000_000, polygons: 200_000, thresholdBytes: 8 * 1024 * 1024, geojson: false, ifMissing: false, dataDir };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${a} needs a whole number`);
      return v;
    };
    if (a === '--points') opts.points = num();
    else if (a === '--polygons') opts.polygons = num();
    else if (a === '--threshold-bytes') opts.thresholdBytes = num();
    else if (a === '--geojson') opts.geojson = true;
    else if (a === '--if-missing') opts.ifMissing = true;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

const status = (value: string, zh: string, en: string, stage: string) => ({ value, label: { zh, en }, stage });
const value = (v: string, zh: string, en: string) => ({ value: v, label: { zh, en } });

/** Catalogue entries of the two large layers; `bytes` and `featureCount` are filled in on writing. */
function largeEntries(): LayerEntry[] {
  return [
    {
      id: 'manholes',
      group: 'reference',
      name: { zh: '窨井盖（大数据演示）', en: 'Manhole covers (scale demo)' },
      description: { zh: '城市级资产清单的合成演示数据，按视野加载', en: 'Synthetic city-scale asset inventory, loaded by viewport' },
      file: 'large/manholes.fgb',
      geometry: 'Point',
      visible: true,
      styleField: 'status',
      style: { color: '#0072B2', radius: 3 },
      fields: [
        { name: 'id', label: { zh: '编号', en: 'ID' }, type: 'string' },
        {
          name: 'kind', label: { zh: '类别', en: 'Kind' }, type: 'string',
          values: [value('rain', '雨水', 'Storm water'), value('sewer', '污水', 'Sewer'), value('water', '给水', 'Water supply'), value('power', '电力', 'Power'), value('telecom', '通信', 'Telecom'), value('gas', '燃气', 'Gas')],
        },
        {
          name: 'status', label: { zh: '状态', en: 'Status' }, type: 'string',
          values: [status('normal', '正常', 'Normal', 'neutral'), status('to_repair', '待维修', 'To repair', 'planned'), status('repairing', '维修中', 'Being repaired', 'in_progress'), status('repaired', '已修复', 'Repaired', 'finished')],
        },
        { name: 'inspected', label: { zh: '最近巡查', en: 'Last inspected' }, type: 'date' },
      ],
    },
    {
      id: 'buildings',
      group: 'reference',
      name: { zh: '建筑轮廓（大数据演示）', en: 'Building footprints (scale demo)' },
      description: { zh: '城市级建筑轮廓的合成演示数据，按视野加载', en: 'Synthetic city-scale building footprints, loaded by viewport' },
      file: 'large/buildings.fgb',
      geometry: 'Polygon',
      visible: true,
      styleField: 'use',
      style: { color: '#999999', fillOpacity: 0.45 },
      fields: [
        { name: 'id', label: { zh: '编号', en: 'ID' }, type: 'string' },
        {
          name: 'use', label: { zh: '用途', en: 'Use' }, type: 'string',
          values: [value('residential', '居住', 'Residential'), value('commercial', '商业', 'Commercial'), value('public', '公共设施', 'Public'), value('industrial', '工业', 'Industrial'), value('mixed', '混合', 'Mixed')],
        },
        { name: 'floors', label: { zh: '层数', en: 'Floors' }, type: 'integer' },
        { name: 'year', label: { zh: '建成年份', en: 'Year built' }, type: 'integer' },
      ],
    },
  ];
}

/** GeoJSON written feature by feature: a million features do not fit in one string. */
async function writeGeoJson(file: string, features: readonly Feature[]): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  const put = async (s: string): Promise<void> => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await put('{"type":"FeatureCollection","features":[\n');
  for (let i = 0; i < features.length; i++) await put(`${i ? ',\n' : ''}${JSON.stringify(features[i])}`);
  await put('\n]}\n');
  out.end();
  await once(out, 'finish');
  return bytes;
}

export async function generateLarge(opts: LargeOptions, log: (line: string) => void = console.log): Promise<Catalogue | null> {
  const target = join(opts.dataDir, LARGE_CATALOGUE);
  if (opts.ifMissing && existsSync(target)) {
    const cat = parseCatalogue(JSON.parse(readFileSync(target, 'utf8')), LARGE_CATALOGUE);
    if (cat.layers.every((l) => existsSync(join(opts.dataDir, l.file)))) {
      log(`${LARGE_CATALOGUE} is there (${cat.layers.map((l) => `${l.id} ${l.featureCount}`).join(', ')}); nothing to do`);
      return null;
    }
  }
  const main = parseCatalogue(JSON.parse(readFileSync(join(opts.dataDir, 'catalogue.json'), 'utf8')));
  const landFeatures: Feature<Polygon>[] = [];
  for await (const f of readFgb(new Uint8Array(readFileSync(join(opts.dataDir, main.basemap.land))))) landFeatures.push(f as Feature<Polygon>);
  const land = createLandIndex({ type: 'FeatureCollection', features: landFeatures });
  mkdirSync(join(opts.dataDir, 'large'), { recursive: true });

  const entries = largeEntries();
  const made: Record<string, Feature[]> = {
    manholes: manholes(opts.points, land),
    buildings: buildings(opts.polygons, land),
  };
  for (const entry of entries) {
    const started = Date.now();
    const fc: FeatureCollection = { type: 'FeatureCollection', features: made[entry.id]! };
    const bytes = writeFgb(fc, { title: layerTitle(entry), columns: layerColumns(entry), crs: { org: 'EPSG', code: 4326, name: 'WGS 84' } });
    writeFileSync(join(opts.dataDir, entry.file), bytes);
    entry.featureCount = fc.features.length;
    entry.bytes = bytes.length;
    let line = `${entry.file.padEnd(22)} ${String(fc.features.length).padStart(9)} features ${(bytes.length / 2 ** 20).toFixed(1).padStart(7)} MiB`;
    if (opts.geojson) {
      const gj = await writeGeoJson(join(opts.dataDir, entry.file.replace(/\.fgb$/, '.geojson')), fc.features);
      line += `, GeoJSON ${(gj / 2 ** 20).toFixed(1)} MiB`;
    }
    log(`${line} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  const catalogue: Catalogue = {
    ...main,
    title: { zh: '舟山城市治理一张图 · 大数据演示', en: 'Zhoushan Remediation Map · scale demo' },
    viewport: { thresholdBytes: opts.thresholdBytes },
    layers: entries,
  };
  // Its layers are not the programme's: no dashboard figures, no coverage roles, no timeline.
  delete catalogue.programme;
  delete catalogue.analysis;
  delete catalogue.timeline;
  writeFileSync(target, `${JSON.stringify(catalogue, null, 2)}\n`);
  log(`${LARGE_CATALOGUE} written: open the app with ?catalogue=large`);
  return catalogue;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dataDir = resolve(import.meta.dirname, '..', 'data');
  await generateLarge(parseArgs(process.argv.slice(2), dataDir));
}
