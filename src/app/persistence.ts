/**
 * Where each part of the state lives beyond the moment, in one table beside the state
 * (`store.ts`). `url`: the link carries it (`controllers/url-hash.ts`), so a shared or
 * reloaded link opens the same map; `indexeddb`: kept in the browser for the next visit
 * (`controllers/session.ts` for settings and the study area, `controllers/data-io.ts` for
 * imported layers); `localstorage`: read before anything else at start
 * (`controllers/preferences.ts`); `system`: follows the browser or device; `visit`: lasts
 * the visit. The tests hold the controllers to this table.
 */
import type { AppState } from './store.ts';

export type Persistence = 'url' | 'indexeddb' | 'url+indexeddb' | 'localstorage' | 'system' | 'visit' | 'derived';

export const PERSISTENCE: Readonly<Record<keyof AppState, Persistence>> = Object.freeze({
  lang: 'localstorage',
  tiandituKey: 'localstorage',
  theme: 'system',
  mode: 'url',
  view: 'url',
  // The hash names an online basemap; the stored settings remember it too, for a visit
  // that opens without a link.
  basemap: 'url+indexeddb',
  filters: 'url',
  layerOpacity: 'indexeddb',
  layerOrder: 'indexeddb',
  picked: 'url',
  highlight: 'visit',
  tab: 'url',
  table: 'url',
  // The sort is kept with the table it belongs to and applies when the link opens that table.
  tableSort: 'indexeddb',
  // The link carries the analysis too; a visit without one gets the stored settings and area.
  coverageSettings: 'url+indexeddb',
  showCoverage: 'indexeddb',
  bufferRadius: 'indexeddb',
  bufferLayer: 'indexeddb',
  studyArea: 'url+indexeddb',
  // Imported layers are kept as layers (their catalogue entries are rebuilt from them).
  data: 'derived',
  layers: 'url',
  catalogue: 'derived',
  catalogueError: 'visit',
  overview: 'visit',
  basemapData: 'visit',
  // The open popup.
  selection: 'url',
  hitList: 'visit',
  importJob: 'visit',
  exportJob: 'visit',
  print: 'visit',
  camera: 'visit',
  gotoMarker: 'visit',
  panelOpen: 'visit',
  coverage: 'visit',
  belowTarget: 'visit',
  coverageCell: 'visit',
  tableExport: 'visit',
  tool: 'visit',
  study: 'visit',
  measurement: 'visit',
  within: 'visit',
  storage: 'visit',
  basemapUnreachable: 'visit',
  // Scenarios are kept as records of their own (`controllers/planning.ts`); the link carries
  // the active one whole when it is small (`plan=`), which opens it.
  scenarios: 'indexeddb',
  scenarioId: 'url',
  planning: 'visit',
  // A shared link opens on the date it was shown as of; playing lasts the visit.
  asOf: 'url',
  timelinePlaying: 'visit',
  // Two days compared ride in the link (`vs=`).
  compare: 'url',
  share: 'visit',
});
