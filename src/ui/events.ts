/** Typed events the components emit; main.ts turns them into store actions. */
import type { BasemapId, Lang, PanelTab, Tool } from '../app/store.ts';
import type { FieldFilter } from '../app/filters.ts';
import type { ExportRequest } from './data-io-panel.ts';
import type { CoverageSettings } from '../analysis/worker/analysis-api.ts';
import type { SearchEntry } from '../app/search.ts';

export interface LayerToggleDetail {
  id: string;
  visible: boolean;
}

/** Sort the attribute table by `field`; the store decides the direction (toggle on repeat). */
export interface TableSortDetail {
  layerId: string;
  field: string;
}

/** A row picked in the attribute table; `additive` (Shift, Ctrl or ⌘ held) adds to or toggles within the selection. */
export interface RowSelectDetail {
  layerId: string;
  id: string;
  additive: boolean;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'zs-layer-toggle': CustomEvent<LayerToggleDetail>;
    'zs-basemap-change': CustomEvent<{ basemap: BasemapId }>;
    'zs-tianditu-key': CustomEvent<{ key: string }>;
    'zs-lang-change': CustomEvent<{ lang: Lang }>;
    'zs-panel-toggle': CustomEvent<{ open: boolean }>;
    'zs-popup-close': CustomEvent<void>;
    'zs-tab': CustomEvent<{ tab: PanelTab }>;
    'zs-coverage-settings': CustomEvent<Partial<CoverageSettings>>;
    'zs-show-coverage': CustomEvent<{ show: boolean }>;
    'zs-tool': CustomEvent<{ tool: Tool }>;
    'zs-study-district': CustomEvent<{ district: string }>;
    'zs-study-clear': CustomEvent<null>;
    'zs-study-layer': CustomEvent<{ layerId: string }>;
    'zs-analysis-cancel': CustomEvent<null>;
    'zs-storage-dismiss': CustomEvent<{ key: string }>;
    'zs-buffer-settings': CustomEvent<{ radius?: number; layer?: string }>;
    'zs-buffer-run': CustomEvent<null>;
    // table and search
    'zs-table-sort': CustomEvent<TableSortDetail>;
    'zs-table-close': CustomEvent<null>;
    'zs-row-select': CustomEvent<RowSelectDetail>;
    'zs-filters-clear': CustomEvent<{ layerId: string }>;
    'zs-search-pick': CustomEvent<{ entry: SearchEntry }>;
    'zs-filter-change': CustomEvent<{ layerId: string; field: string; filter: FieldFilter | null }>;
    'zs-table-open': CustomEvent<{ layerId: string | null }>;
    'zs-print-open': CustomEvent<null>;
    'zs-import-files': CustomEvent<{ files: File[]; crs: string | null; offset: string | null }>;
    'zs-import-recrs': CustomEvent<{ crs: string }>;
    'zs-export': CustomEvent<ExportRequest>;
    'zs-user-layer-remove': CustomEvent<{ layerId: string }>;
  }
}

/** Dispatches a bubbling, composed CustomEvent so it crosses shadow roots. */
export function emit<K extends keyof GlobalEventHandlersEventMap>(
  from: EventTarget,
  type: K,
  detail: GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never,
): void {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
