/**
 * The handle staff and the browser tests reach the running app by, as `window.__zs`: only
 * when asked for, with `?debug` in the address or `window.__zsDebug = true` set before the
 * app starts (the tests' init script does that), so an ordinary visit exposes nothing.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { AnalysisClient } from './app/analysis-client.ts';
import type { DataIoController } from './app/controllers/data-io.ts';
import type { LayerSources } from './app/controllers/layer-sources.ts';
import type { SessionController } from './app/controllers/session.ts';
import type { PlanningController } from './app/controllers/planning.ts';
import type { Selectors } from './app/selectors.ts';
import type { Store } from './app/store.ts';
import type { DataWorkerClient } from './data/data-worker-client.ts';

export interface DebugHandle {
  store: Store;
  map: MapLibreMap;
  selectors: Selectors;
  analysis: AnalysisClient;
  layers: LayerSources;
  /** The readers of the layers read by viewport, by layer id. */
  viewportLoaders: LayerSources['loaders'];
  dataIo: DataIoController;
  layerStore: DataWorkerClient;
  session: SessionController | null;
  planning: PlanningController;
  /** The other side's map while two dates are compared. */
  compareMap: () => MapLibreMap | null;
}

declare global {
  interface Window {
    __zs?: DebugHandle;
    __zsDebug?: boolean;
  }
}

export function exposeDebugHandle(win: Window, handle: DebugHandle): void {
  if (new URLSearchParams(win.location.search).has('debug') || win.__zsDebug === true) win.__zs = handle;
}
