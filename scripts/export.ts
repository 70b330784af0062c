/**
 * `npm run export`: write catalogue layers to GeoJSON, CSV, FlatGeobuf, GeoPackage,
 * Shapefile, DXF or XLSX in a chosen CRS, with the same modules the browser uses
 * (src/data/export/).
 *
 *   npm run export -- --layer idle-plots --format fgb --crs EPSG:4550 --out plots.fgb
 *   npm run export -- --layer parks,communities --format csv --crs EPSG:4549 --out exports/
 *   npm run export -- --layer parks --format shp --crs EPSG:4550 --encoding utf-8
 *   npm run export -- --layer parks,idle-plots --format gpkg --crs EPSG:4550 --out layers.zip
 *
 * Several layers need `--out` to be a directory (ending in `/` or existing), where the files
 * are named like `parks_2024-06-30_EPSG-4549.csv`, or a `.zip`, which holds those files (a
 * Shapefile's .shp, .dbf, … directly) as the app's export of the visible layers does. Without `--out`, a single layer is written
 * to the current directory under such a name. `main` does the work and is what the test runs.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Feature, FeatureCollection } from 'geojson';
import { parseCatalogue } from '../src/data/catalogue.ts';
import { readFgb } from '../src/data/fgb/read-fgb.ts';
import { exportCrsList, findExportCrs } from '../src/data/export/crs-transform.ts';
import { EXPORT_FORMATS, exportFileName, findExportFormat, type ExportOptions, type TextEncodingId } from '../src/data/export/formats.ts';
import { addMeasures } from '../src/data/export/with-measures.ts';
import { englishMessage, type DataMessage } from '../src/data/messages.ts';
import { zipSync } from 'fflate';

export interface ExportMainIo {
  /** Folder holding catalogue.json and layers/. Default: the repository's data/. */
  dataDir?: string;
  /** Where relative `--out` paths are resolved. Default process.cwd(). */
  cwd?: string;
  /** Output for --help and progress. Default stdout. */
  write?: (s: string) => void;
  /** Date put in generated file names. Default now. */
  now?: Date;
}

const DEFAULT_DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');

export function helpText(): string {
  return [
    'Usage: npm run export -- --layer ID[,ID…] --format FORMAT --crs CRS [--out FILE|DIR/] [--measures] [--where field=value]',
    '                         [--encoding gbk|utf-8] [--lang zh|en]',
    '',
    '  --layer     layer id from data/catalogue.json (repeatable or comma-separated)',
    '  --format    one of:',
    ...EXPORT_FORMATS.map((f) => `                ${f.id.padEnd(8)} .${f.extension.padEnd(8)} ${f.label.en}; CRS: ${crsText(f.crsAllowed)}`),
    '  --crs       coordinate system (default EPSG:4326; EPSG:4550 for dxf):',
    ...exportCrsList.map((c) => `                ${c.code.padEnd(10)} ${c.name.en}${c.offset ? '  [offset: will not line up with survey data]' : ''}`),
    '  --encoding  attribute encoding for shp: gbk (default; code page 936) or utf-8',
    '  --lang      language of column titles, value labels and CAD labels: zh (default) or en',
    '  --out       output file; for several layers a directory (one file each) or a .zip (one zip of them)',
    '  --measures  add area_m2, area_gk_m2 and length_m to the properties',
    '  --where     keep only features whose field equals the value (repeatable; all must match)',
    '  --help      this text',
    '',
  ].join('\n');
}

function crsText(codes: readonly string[]): string {
  if (codes.length === exportCrsList.length) return 'any';
  return codes.length === 1 ? `${codes[0]} only` : codes.join(', ');
}

/** Runs the export; returns the paths written. Throws a plain Error on bad arguments. */
export async function main(argv: readonly string[], io: ExportMainIo = {}): Promise<string[]> {
  const write = io.write ?? ((s: string) => void process.stdout.write(s));
  const { values } = parseArgs({
    args: [...argv],
    options: {
      layer: { type: 'string', multiple: true },
      format: { type: 'string' },
      crs: { type: 'string' },
      encoding: { type: 'string' },
      lang: { type: 'string', default: 'zh' },
      out: { type: 'string' },
      measures: { type: 'boolean', default: false },
      where: { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    write(helpText());
    return [];
  }
  const layerIds = (values.layer ?? []).flatMap((l) => l.split(',')).map((l) => l.trim()).filter((l) => l !== '');
  if (layerIds.length === 0) throw new Error('--layer is required (see --help)');
  if (!values.format) throw new Error('--format is required (see --help)');
  const format = findExportFormat(values.format);
  if (!format) throw new Error(`unknown format ${values.format}; use one of ${EXPORT_FORMATS.map((f) => f.id).join(', ')}`);
  const crsArg = values.crs ?? (format.crsAllowed.includes('EPSG:4326') ? 'EPSG:4326' : format.crsAllowed[0]!);
  const crs = findExportCrs(crsArg);
  if (!crs) throw new Error(`unknown coordinate system ${crsArg}; use one of ${exportCrsList.map((c) => c.code).join(', ')}`);
  if (!format.crsAllowed.includes(crs.code)) {
    throw new Error(`${format.id} can only be written in ${format.crsAllowed.join(', ')}, not ${crs.code}`);
  }
  let encoding: TextEncodingId | undefined;
  if (values.encoding !== undefined) {
    const e = values.encoding.trim().toLowerCase().replace(/^utf8$/, 'utf-8');
    if (!format.encodings) throw new Error(`--encoding applies to ${EXPORT_FORMATS.filter((f) => f.encodings).map((f) => f.id).join(', ')} only`);
    if (!(format.encodings as readonly string[]).includes(e)) throw new Error(`unknown encoding ${values.encoding}; use one of ${format.encodings.join(', ')}`);
    encoding = e as TextEncodingId;
  }
  const lang = values.lang;
  if (lang !== 'zh' && lang !== 'en') throw new Error(`--lang is zh or en, not ${lang}`);
  const filters = (values.where ?? []).map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new Error(`--where needs field=value, got ${JSON.stringify(w)}`);
    return { field: w.slice(0, eq), value: w.slice(eq + 1) };
  });

  const cwd = io.cwd ?? process.cwd();
  const dataDir = io.dataDir ?? DEFAULT_DATA_DIR;
  const cataloguePath = join(dataDir, 'catalogue.json');
  const catalogue = parseCatalogue(JSON.parse(readFileSync(cataloguePath, 'utf8')), cataloguePath);
  const layers = layerIds.map((id) => {
    const entry = catalogue.layers.find((l) => l.id === id);
    if (!entry) throw new Error(`no layer ${id} in the catalogue; layers: ${catalogue.layers.map((l) => l.id).join(', ')}`);
    return entry;
  });

  const outArg = values.out;
  const outIsDir = outArg !== undefined && (/[/\\]$/.test(outArg) || (existsSync(resolve(cwd, outArg)) && statSync(resolve(cwd, outArg)).isDirectory()));
  // Several layers to a .zip: one zip holding a file per layer (a Shapefile's files directly), as the app's export of visible layers.
  const zipOut = outArg !== undefined && !outIsDir && /\.zip$/i.test(outArg) && (layers.length > 1 || !format.parts);
  if (layers.length > 1 && outArg !== undefined && !outIsDir && !zipOut) {
    throw new Error('several layers need --out to be a directory (end it with /) or a .zip');
  }
  const now = io.now ?? new Date();
  const written: string[] = [];
  const entries: Record<string, Uint8Array> = {};
  for (const layer of layers) {
    const features: Feature[] = [];
    for await (const f of readFgb(new Uint8Array(readFileSync(join(dataDir, layer.file))), { sourceName: layer.file })) {
      const p = f.properties ?? {};
      if (filters.every(({ field, value }) => p[field] !== null && p[field] !== undefined && String(p[field]) === value)) features.push(f);
    }
    let fc: FeatureCollection = { type: 'FeatureCollection', features };
    if (values.measures) fc = addMeasures(fc);
    const options: ExportOptions = {
      crs: crs.code,
      layerName: layer.id,
      title: layer.name[lang],
      lang,
      layer: {
        id: layer.id,
        name: layer.name,
        fields: layer.fields,
        color: layer.style.color,
        stages: catalogue.stages,
        ...(layer.styleField ? { styleField: layer.styleField } : {}),
      },
      ...(encoding ? { encoding } : {}),
      onNote: (note: DataMessage) => void process.stderr.write(`export: ${englishMessage(note)}\n`),
    };
    const name = exportFileName(layer.id, now, crs.code, format.extension);
    if (zipOut) {
      if (format.parts) for (const part of await format.parts(fc, options)) entries[part.name] = part.bytes;
      else entries[name] = await format.write(fc, options);
      write(`${layer.id}: ${features.length} features (${format.id}, ${crs.code}${crs.offset ? ', offset system' : ''}${encoding ? `, ${encoding}` : ''})\n`);
      continue;
    }
    const bytes = await format.write(fc, options);
    const path = outArg === undefined ? resolve(cwd, name) : outIsDir ? resolve(cwd, outArg, name) : resolve(cwd, outArg);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    write(`${layer.id}: ${features.length} features → ${path} (${format.id}, ${crs.code}${crs.offset ? ', offset system' : ''}${encoding ? `, ${encoding}` : ''})\n`);
    written.push(path);
  }
  if (zipOut) {
    const path = resolve(cwd, outArg);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, zipSync(entries));
    write(`${layers.length} layers → ${path}\n`);
    written.push(path);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`export: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}
