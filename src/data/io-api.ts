/**
 * The jobs the io worker (`io.worker.ts`) runs: reading an imported file, and writing an
 * export (keeping only what meets the view or study area, adding measures, encoding). Plain
 * functions over plain data, so they run unchanged in Node tests and the CLI. Features
 * cross to and from the page packed, their coordinates' buffer transferred, not copied.
 */
import booleanIntersects from '@turf/boolean-intersects';
import { transfer } from 'comlink';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { EXPORT_FORMATS, type ExportFormatId } from './export/formats.ts';
import { importFile, type ImportOptions, type ImportResult } from './import/import-file.ts';
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
}

export interface ExportOutcome {
  bytes: Uint8Array;
  /** Features written. */
  count: number;
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
    let data = fromWire(job.features);
    const area = job.within;
    if (area) data = { ...data, features: data.features.filter((f) => f.geometry && booleanIntersects(f, area)) };
    if (job.measures) data = (await import('./export/with-measures.ts')).addMeasures(data);
    const bytes = await format.write(data, { crs: job.crs, title: job.title, layerName: job.layerName });
    return transfer({ bytes, count: data.features.length }, [bytes.buffer as ArrayBuffer]);
  },
};

export type IoApi = typeof ioApi;
