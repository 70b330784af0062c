/**
 * The jobs the io worker (`io.worker.ts`) runs: reading an imported file, and writing an
 * export (keeping only what meets the view or study area, adding measures, encoding). Plain
 * functions over plain data, so they run unchanged in Node tests and the CLI. Features
 * cross to and from the page packed, their coordinates' buffer transferred, not copied.
 */
import booleanIntersects from '@turf/boolean-intersects';
import { transfer } from 'comlink';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { EXPORT_FORMATS, type ExportFormatId, type TextEncodingId } from './export/formats.ts';
import type { ExportLang, ExportLayerInfo } from './export/export-schema.ts';
import { importFile, type ImportOptions, type ImportResult } from './import/import-file.ts';
import type { DataMessage } from './messages.ts';
import { packFeatureCollection, unpackFeatureCollection, type PackedFeatureCollection } from '../geo/packed-features.ts';

export interface ImportOutcome extends Omit<ImportResult, 'data'> {
  packed: PackedFeatureCollection;
}

export interface ExportJob {
  /** The features in scope before any area test, WGS84 lon/lat. */
  features: FeatureCollection | PackedFeatureCollection;
  /** Keep only the features meeting this polygon (the view, the study area). */
  within?: Feature<Polygon | MultiPolygon> | null;
  format: ExportFormatId;
  crs: string;
  /** Add area_m2, area_gk_m2 and length_m. */
  measures: boolean;
  title: string;
  layerName: string;
  /** The catalogue's entry: column types, titles, value labels, stages. */
  layer?: ExportLayerInfo;
  /** Language of titles and labels. */
  lang?: ExportLang;
  /** Attribute encoding, for formats that offer a choice (Shapefile). */
  encoding?: TextEncodingId;
}

/** One layer of a zip of several: its job and the name of its file in the zip. */
export interface ZipEntryJob extends ExportJob {
  fileName: string;
}

export interface ExportOutcome {
  bytes: Uint8Array;
  /** Features written. */
  count: number;
  /** Layers written, for a zip of several. */
  layers?: number;
  /** What the files could not hold as it was (text an encoding lacks). */
  notes: DataMessage[];
}

const fromWire = (x: FeatureCollection | PackedFeatureCollection): FeatureCollection =>
  x.type === 'PackedFeatureCollection' ? unpackFeatureCollection(x) : x;

export const ioApi = {
  async importFile(bytes: Uint8Array, fileName: string, options: Omit<ImportOptions, 'signal'>): Promise<ImportOutcome> {
    const { data, ...rest } = await importFile(bytes, fileName, options);
    const packed = packFeatureCollection(data);
    return transfer({ ...rest, packed }, [packed.coords.buffer as ArrayBuffer]);
  },

  async exportFile(job: ExportJob): Promise<ExportOutcome> {
    const format = EXPORT_FORMATS.find((f) => f.id === job.format);
    if (!format) throw new Error(`unknown export format ${job.format}`);
    const data = await exportFeatures(job);
    const notes: DataMessage[] = [];
    const bytes = await format.write(data, writeOptions(job, notes));
    return transfer({ bytes, count: data.features.length, notes }, [bytes.buffer as ArrayBuffer]);
  },

  /**
   * Several layers as one zip: each layer's file under its name, a Shapefile's files
   * directly (not a zip in the zip). Layers with nothing to write are left out.
   */
  async exportZip(jobs: readonly ZipEntryJob[]): Promise<ExportOutcome> {
    const entries: Record<string, Uint8Array> = {};
    let count = 0;
    let layers = 0;
    const notes: DataMessage[] = [];
    for (const job of jobs) {
      const format = EXPORT_FORMATS.find((f) => f.id === job.format);
      if (!format) throw new Error(`unknown export format ${job.format}`);
      const data = await exportFeatures(job);
      if (data.features.length === 0) continue;
      count += data.features.length;
      layers++;
      if (format.parts) for (const part of await format.parts(data, writeOptions(job, notes))) entries[part.name] = part.bytes;
      else entries[job.fileName] = await format.write(data, writeOptions(job, notes));
    }
    const bytes = count === 0 ? new Uint8Array(0) : (await import('fflate')).zipSync(entries);
    return transfer({ bytes, count, layers, notes }, [bytes.buffer]);
  },
};

export type IoApi = typeof ioApi;

/** The job's features: those meeting its area, with measures when asked. */
async function exportFeatures(job: ExportJob): Promise<FeatureCollection> {
  let data = fromWire(job.features);
  const area = job.within;
  if (area) data = { ...data, features: data.features.filter((f) => f.geometry && booleanIntersects(f, area)) };
  if (job.measures) data = (await import('./export/with-measures.ts')).addMeasures(data);
  return data;
}

function writeOptions(job: ExportJob, notes: DataMessage[]) {
  return {
    onNote: (note: DataMessage) => void notes.push(note),
    crs: job.crs,
    title: job.title,
    layerName: job.layerName,
    ...(job.layer ? { layer: job.layer } : {}),
    ...(job.lang ? { lang: job.lang } : {}),
    ...(job.encoding ? { encoding: job.encoding } : {}),
  };
}
