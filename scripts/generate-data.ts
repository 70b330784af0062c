/**
 * `npm run data`: regenerates everything in data/ (except the hand-written catalogue)
 * byte for byte: the clipped OSM coastline, schematic roads, place labels and the
 * synthetic thematic layers, each as an indexed FlatGeobuf file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection } from 'geojson';
import { parseCatalogue } from '../src/data/catalogue.ts';
import { writeFgb, type FgbColumn } from '../src/data/fgb/write-fgb.ts';
import { layerColumns, layerTitle } from './data/columns.ts';
import { loadZhoushanLand } from './data/fetch-land.ts';
import { generateDemoData } from './data/generate-layers.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, 'data');

function write(file: string, fc: FeatureCollection, title: string, columns?: FgbColumn[]): number {
  const bytes = writeFgb(fc, { title, columns, crs: { org: 'EPSG', code: 4326, name: 'WGS 84' } });
  mkdirSync(dirname(join(dataDir, file)), { recursive: true });
  writeFileSync(join(dataDir, file), bytes);
  console.log(`${file.padEnd(28)} ${String(fc.features.length).padStart(5)} features ${(bytes.length / 1024).toFixed(1).padStart(8)} KiB`);
  return bytes.length;
}

const started = Date.now();
const catalogueText = readFileSync(join(dataDir, 'catalogue.json'), 'utf8');
const catalogue = parseCatalogue(JSON.parse(catalogueText));
const land = loadZhoushanLand(join(root, '.cache'));
const demo = generateDemoData(land);

let total = 0;
total += write(catalogue.basemap.land, demo.land, 'OpenStreetMap land polygons, Zhoushan (© OpenStreetMap contributors, ODbL)');
total += write(catalogue.basemap.roads, demo.roads, 'Schematic arterial roads (demo data, not real roads)');
total += write(catalogue.basemap.places, demo.places, 'Towns of Zhoushan');
for (const entry of catalogue.layers) {
  const fc = demo.layers[entry.id];
  if (!fc) throw new Error(`catalogue layer "${entry.id}" has no generator`);
  // The catalogue is hand-edited, but its feature counts are the generator's to keep true.
  entry.featureCount = fc.features.length;
  total += write(entry.file, fc, layerTitle(entry), layerColumns(entry));
}
const updated = `${JSON.stringify(catalogue, null, 2)}\n`;
if (updated !== catalogueText) writeFileSync(join(dataDir, 'catalogue.json'), updated);
console.log(`data/ written: ${(total / 1024).toFixed(1)} KiB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
