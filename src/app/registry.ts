/**
 * What the UI offers, each list written once and read by the panels, the controllers and
 * the CLI alike: the export formats with the coordinate systems each may be written in,
 * the coordinate systems, the file endings the import accepts, the coverage kinds and the
 * panel tabs. Metadata only: no parser, writer or proj4 comes with it.
 */
import { EXPORT_FORMATS, type ExportFormatId, type TextEncodingId } from '../data/export/formats.ts';
import { exportCrsList, type ExportCrs } from '../data/export/export-crs.ts';
import { IMPORT_EXTENSIONS } from '../data/import/extensions.ts';
import { COVERAGE_KINDS, type CoverageKind } from '../analysis/roles.ts';

export type { ExportFormatId, TextEncodingId } from '../data/export/formats.ts';
export type { ExportCrs } from '../data/export/export-crs.ts';
export type { CoverageKind } from '../analysis/roles.ts';
export type { Catalogue, FieldDef, LayerEntry,    } from '../data/catalogue.ts';
export type { MetricValue, ProgrammeMetric } from '../analysis/programme.ts';
export { loadsByViewport, valueLabel } from '../data/catalogue.ts';
export type { CoverageSettings } from '../analysis/coverage-settings.ts';
export type { ProgressView, ProgressSeries } from './progress.ts';
/** Day arithmetic of the timeline, for the date control and the charts. */
export { addDays, daysBetween, monthEnd, nextMonthEnd } from '../analysis/timeline/calendar.ts';
export type { DataMessage } from '../data/messages.ts';

export interface ExportFormatChoice {
  readonly id: ExportFormatId;
  readonly label: { readonly zh: string; readonly en: string };
  readonly extension: string;
  /** Codes of `EXPORT_CRS_CHOICES` this format may be written in. */
  readonly crsAllowed: readonly string[];
  /** Attribute encodings to choose from (the first is the default); absent: UTF-8 only. */
  readonly encodings?: readonly TextEncodingId[];
}

export const EXPORT_FORMAT_CHOICES: readonly ExportFormatChoice[] = EXPORT_FORMATS.map(({ id, label, extension, crsAllowed, encodings }) => ({
  id,
  label,
  extension,
  crsAllowed,
  ...(encodings ? { encodings } : {}),
}));

export const EXPORT_CRS_CHOICES: readonly ExportCrs[] = exportCrsList;

/** Coordinate systems a file may be read in (an offset system such as GCJ-02 is a separate choice). */
export const IMPORT_CRS_CHOICES: readonly ExportCrs[] = exportCrsList.filter((c) => !c.offset);

/** The file picker's `accept` list. */
export const IMPORT_ACCEPT = Object.values(IMPORT_EXTENSIONS).flat().join(',');

/** Which features an export takes. */
export type ExportScope = 'layer' | 'visible' | 'filtered' | 'picked' | 'view' | 'study';

export interface ExportRequest {
  scope: ExportScope;
  /** The layer, for every scope but `visible` (all visible layers) and `picked` (the picked features' layer). */
  layerId: string;
  format: ExportFormatId;
  crs: string;
  /** Add computed areas and lengths. */
  measures: boolean;
  /** Attribute encoding, for formats that offer a choice (Shapefile). */
  encoding?: TextEncodingId;
}

/** Offsets an imported file's coordinates may carry (Amap/Tencent, Baidu). */
export type ImportOffset = 'gcj02' | 'bd09';

export const COVERAGE_KIND_CHOICES: readonly CoverageKind[] = COVERAGE_KINDS;

export type PanelTab = 'layers' | 'dashboard' | 'analysis' | 'planning' | 'data';
export const PANEL_TABS: readonly PanelTab[] = ['layers', 'dashboard', 'analysis', 'planning', 'data'];

export function isPanelTab(v: unknown): v is PanelTab {
  return (PANEL_TABS as readonly unknown[]).includes(v);
}
