/**
 * What the user can ask for, as one typed table: each intent's name (the name of the DOM
 * event a component emits), what it carries, and the store action or controller method
 * that carries it out. The components declare their events from `Intents`, the
 * composition root listens for every name here, and tests call the handlers directly.
 */
import type { Feature } from 'geojson';
import { nextMonthEnd } from '../analysis/timeline/calendar.ts';
import type { CoverageSettings } from '../analysis/worker/analysis-api.ts';
import type { FieldFilter } from './filters.ts';
import type { Orientation, Paper } from './print-geometry.ts';
import type { ExportFormatId, ExportRequest, ImportOffset, PanelTab } from './registry.ts';
import type { SearchEntry } from './search.ts';
import { IDLE_JOB, type BasemapId, type Lang, type Store, type Tool } from './store.ts';
import type { AnalysisController } from './controllers/analysis.ts';
import type { DataIoController, ImportSource } from './controllers/data-io.ts';
import type { PreferencesController } from './controllers/preferences.ts';
import type { PrintController } from './controllers/print.ts';
import type { SelectionController } from './controllers/selection.ts';
import type { TableExportController, TableFormat } from './controllers/table-export.ts';
import type { PlanningController } from './controllers/planning.ts';
import type { CoverageKind } from '../analysis/roles.ts';
import type { PlanSettings } from './store.ts';
import type { ShareController } from './controllers/share.ts';

export interface Intents {
  'zs-layer-toggle': { id: string; visible: boolean };
  /** How opaque a layer is drawn, 0–1. */
  'zs-layer-opacity': { id: string; opacity: number };
  /** Move a layer one place up (drawn over its neighbour) or down in the list. */
  'zs-layer-move': { id: string; direction: 'up' | 'down' };
  'zs-basemap-change': { basemap: BasemapId };
  'zs-tianditu-key': { key: string };
  'zs-lang-change': { lang: Lang };
  'zs-panel-toggle': { open: boolean };
  'zs-tab': { tab: PanelTab };
  'zs-coverage-settings': Partial<CoverageSettings>;
  'zs-show-coverage': { show: boolean };
  'zs-tool': { tool: Tool };
  'zs-study-district': { district: string };
  'zs-study-clear': null;
  'zs-study-layer': { layerId: string };
  'zs-analysis-cancel': null;
  'zs-storage-dismiss': { key: string };
  'zs-buffer-settings': { radius?: number; layer?: string };
  'zs-buffer-run': null;
  /** A feature the buffer query found: its popup opens and the map flies there. */
  'zs-buffer-hit': { layerId: string; id: string };
  /** Save the buffer query's hits as CSV; `columns` are the headings in the UI's language. */
  'zs-buffer-export': { columns: string[]; layerName: string; lang: Lang };
  /** Clear the measurement kept on the map. */
  'zs-measure-clear': null;
  /** The target or the sort of the list of grid cells below target. */
  'zs-below-target': { target?: number; sort?: 'share' | 'name' | 'district' };
  /** A grid cell picked from that list: zoom to it and outline it. */
  'zs-cell-focus': { id: string };
  /** Save that list as CSV; `columns` are the headings in the UI's language. */
  'zs-cells-export': { columns: string[] };
  /** Sort the attribute table by `field`; the store decides the direction (toggle on repeat). */
  'zs-table-sort': { layerId: string; field: string };
  'zs-table-close': null;
  /** A row picked in the table; `additive` (Shift, Ctrl or ⌘ held) adds to or toggles within the pick. */
  'zs-row-select': { layerId: string; id: string; additive: boolean };
  'zs-table-open': { layerId: string | null };
  'zs-filter-change': { layerId: string; field: string; filter: FieldFilter | null };
  /** One layer's filters, or every layer's (null). */
  'zs-filters-clear': { layerId: string | null };
  /** Fit the map to a layer's filtered features and emphasise them. */
  'zs-filter-zoom': { layerId: string };
  'zs-search-pick': { entry: SearchEntry };
  /** One of the features listed after a click that hit several. */
  'zs-hit-pick': { layerId: string; id: string };
  /** A typed coordinate to go to (degrees either way round, or Gauss–Krüger metres). */
  'zs-goto': { text: string };
  'zs-goto-clear': null;
  'zs-print-open': null;
  'zs-print-options': { paper: Paper; orientation: Orientation };
  /** The printed title (null: the catalogue's) or the note under it, as typed in the print preview. */
  'zs-print-text': { title?: string | null; note?: string };
  'zs-print-retry': null;
  'zs-print-save-png': null;
  'zs-print-close': null;
  'zs-import-files': { files: ImportSource[]; crs: string | null; offset: ImportOffset | null };
  'zs-import-recrs': { crs: string };
  'zs-import-cancel': null;
  'zs-export': ExportRequest;
  'zs-export-cancel': null;
  /** Put away a finished import's or export's status line. */
  'zs-job-dismiss': { job: 'import' | 'export' };
  'zs-user-layer-remove': { layerId: string };
  /** Close the feature popup (Escape). */
  'zs-popup-close': null;
  /** Planning: a new scenario for a service, made the active one. */
  'zs-plan-new': { kind: CoverageKind };
  /** Make a scenario the active one (null: none). */
  'zs-plan-select': { id: string | null };
  'zs-plan-rename': { id: string; name: string };
  'zs-plan-duplicate': { id: string };
  'zs-plan-delete': { id: string };
  /** Move a proposed site: the next click on the map puts it there. */
  'zs-plan-site-move': { id: string };
  'zs-plan-site-remove': { id: string };
  /** Close an existing site of the scenario's service, or reopen it. */
  'zs-plan-close-site': { layerId: string; featureId: string };
  /** Make an idle plot a pocket park in the parks scenario. */
  'zs-plan-convert': { layerId: string; featureId: string };
  'zs-plan-settings': Partial<PlanSettings>;
  'zs-plan-suggest': null;
  /** Put the suggested sites into the scenario. */
  'zs-plan-accept': null;
  'zs-plan-cancel': null;
  /** Draw the gain per grid cell on the map. */
  'zs-plan-gain': { show: boolean };
  /** Save the scenario's proposed sites as a file; `label` is the scenario's name as shown. */
  'zs-plan-export': { format: ExportFormatId; crs: string; label: string };
  /** Two scenarios side by side (null: today). */
  'zs-plan-compare': { left: string | null; right: string | null };
  /** The two compared on the map as well (a swipe; on a phone, `side` fills the map), or not. */
  'zs-plan-swipe': { on: boolean; side: 'before' | 'after' };
  /** Save the grid cells before and after as CSV or XLSX; `columns` are the headings in the UI's language, `title` the sheet's name. */
  'zs-plan-gains-export': { columns: string[]; lang: Lang; format: TableFormat; title: string };
  /** Show the programme as of a day (YYYY-MM-DD), or as the data is (null); stops playing. */
  'zs-as-of': { date: string | null };
  /** Play or pause the timeline (a month a second). */
  'zs-timeline-play': { playing: boolean };
  /** Compare the day shown with another (a swipe), or stop comparing. */
  'zs-compare': { on: boolean };
  /** The other day of the comparison (null: the latest data). */
  'zs-compare-date': { date: string | null };
  /** On a phone, the side of the comparison (two dates or two scenarios) the map shows. */
  'zs-compare-side': { side: 'before' | 'after' };
  /** Copy a link to the map as shown (or offer it to copy by hand). */
  'zs-share': null;
  'zs-share-dismiss': null;
}

export type IntentHandlers = { readonly [K in keyof Intents]: (detail: Intents[K]) => void };

export interface IntentTargets {
  store: Store;
  analysis: AnalysisController;
  dataIo: DataIoController;
  selection: SelectionController;
  print: PrintController;
  preferences: PreferencesController;
  /** Plays the timeline (the controller that owns the clock, which may load on first use). */
  timeline: { play(playing: boolean): void };
  tables: TableExportController;
  share: ShareController;
  planning: PlanningController;
}

/** The handler of every intent. */
export function createIntents({ store, analysis, dataIo, selection, print, preferences, timeline, tables, share, planning }: IntentTargets): IntentHandlers {
  const bufferSource = (): Feature | undefined => selection.selectedFeature();
  return {
    'zs-layer-toggle': (d) => store.setLayerVisible(d.id, d.visible),
    'zs-layer-opacity': (d) => store.setLayerOpacity(d.id, d.opacity),
    'zs-layer-move': (d) => store.moveLayer(d.id, d.direction),
    'zs-basemap-change': (d) => store.setBasemap(d.basemap),
    'zs-tianditu-key': (d) => preferences.setTiandituKey(d.key),
    'zs-lang-change': (d) => void preferences.setLang(d.lang),
    'zs-panel-toggle': (d) => store.setPanelOpen(d.open),
    'zs-tab': (d) => store.setTab(d.tab),
    'zs-coverage-settings': (d) => store.setCoverageSettings(d),
    'zs-show-coverage': (d) => store.setShowCoverage(d.show),
    'zs-tool': (d) => store.setTool(d.tool),
    'zs-study-district': (d) => selection.studyDistrict(d.district),
    'zs-study-clear': () => store.setStudyArea(null),
    'zs-study-layer': (d) => selection.studyLayer(d.layerId),
    'zs-analysis-cancel': () => analysis.cancel(),
    'zs-storage-dismiss': (d) => store.clearStorage(d.key),
    'zs-buffer-settings': (d) => store.setBuffer(d),
    'zs-buffer-run': () => {
      const f = bufferSource();
      if (f) void analysis.buffer(f);
    },
    'zs-buffer-hit': (d) => void selection.focusFeature(d.layerId, d.id),
    'zs-buffer-export': (d) => void tables.exportBufferHits(d.columns, d.layerName, d.lang),
    'zs-measure-clear': () => store.setMeasurement(null),
    'zs-below-target': (d) => store.setBelowTarget(d),
    'zs-cell-focus': (d) => selection.focusCell(d.id),
    'zs-cells-export': (d) => void tables.exportCells(d.columns),
    'zs-table-sort': (d) => store.sortTable(d.field),
    'zs-table-close': () => store.openTable(null),
    'zs-row-select': (d) => void selection.rowSelect(d.layerId, d.id, d.additive),
    'zs-table-open': (d) => store.openTable(d.layerId),
    'zs-filter-change': (d) => store.setFilter(d.layerId, d.field, d.filter),
    'zs-filters-clear': (d) => store.clearFilters(d.layerId ?? undefined),
    'zs-filter-zoom': (d) => selection.zoomToFiltered(d.layerId),
    'zs-search-pick': (d) => void selection.searchPick(d.entry),
    'zs-hit-pick': (d) => selection.pickHit(d.layerId, d.id),
    'zs-goto': (d) => void selection.goto(d.text),
    'zs-goto-clear': () => store.setGotoMarker(null),
    'zs-print-open': () => print.open(),
    'zs-print-options': (d) => print.setOptions(d.paper, d.orientation),
    'zs-print-retry': () => print.retry(),
    'zs-print-text': (d) => store.setPrint(d),
    'zs-print-save-png': () => void print.savePng(),
    'zs-print-close': () => print.close(),
    'zs-import-files': (d) => void dataIo.importFiles(d.files, d.crs, d.offset),
    'zs-import-recrs': (d) => void dataIo.reread(d.crs),
    'zs-import-cancel': () => dataIo.cancelImport(),
    'zs-export': (d) => void dataIo.exportLayers(d),
    'zs-export-cancel': () => dataIo.cancelExport(),
    'zs-job-dismiss': (d) => (d.job === 'import' ? store.setImportJob(IDLE_JOB) : store.setExportJob(IDLE_JOB)),
    'zs-user-layer-remove': (d) => void dataIo.removeLayer(d.layerId),
    'zs-popup-close': () => store.select(null),
    'zs-plan-new': (d) => void planning.create(d.kind),
    'zs-plan-select': (d) => planning.select(d.id),
    'zs-plan-rename': (d) => planning.rename(d.id, d.name),
    'zs-plan-duplicate': (d) => planning.duplicate(d.id),
    'zs-plan-delete': (d) => planning.remove(d.id),
    'zs-plan-site-move': (d) => planning.startMove(d.id),
    'zs-plan-site-remove': (d) => planning.removeSite(d.id),
    'zs-plan-close-site': (d) => planning.toggleClosed(d),
    'zs-plan-convert': (d) => void planning.convert(d),
    'zs-plan-settings': (d) => planning.setSettings(d),
    'zs-plan-suggest': () => void planning.suggest(),
    'zs-plan-accept': () => planning.acceptSuggestion(),
    'zs-plan-cancel': () => planning.cancel(),
    'zs-plan-gain': (d) => store.setPlanning({ showGain: d.show }),
    'zs-plan-compare': (d) => void planning.compare(d.left, d.right),
    // One comparison on the map at a time: the store turns two days off as two scenarios come on.
    'zs-plan-swipe': (d) => store.setPlanning({ swipe: d.on ? { side: d.side, ours: 'left' } : null }),
    'zs-plan-export': (d) => void planning.exportSites(d.format, d.crs, d.label),
    'zs-plan-gains-export': (d) => void tables.exportGains(d.columns, d.lang, d.format, d.title),
    // A day chosen by hand stops playing.
    'zs-as-of': (d) => {
      store.setTimelinePlaying(false);
      store.setAsOf(d.date);
    },
    'zs-timeline-play': (d) => timeline.play(d.playing),
    'zs-compare': (d) => {
      const t = store.state.catalogue?.timeline;
      // Comparing the latest with the latest shows nothing: before starts at the first month's end.
      if (d.on && t && store.state.asOf === null) store.setAsOf(nextMonthEnd(t.start, t.end) ?? t.start);
      store.setCompare(d.on ? { asOf: null, side: 'after' } : null);
    },
    'zs-compare-date': (d) => {
      const c = store.state.compare;
      if (c) store.setCompare({ ...c, asOf: d.date });
    },
    'zs-compare-side': (d) => store.showCompareSide(d.side),
    'zs-share': () => void share.share(),
    'zs-share-dismiss': () => share.dismiss(),
  };
}
