/**
 * Owns the URL hash: the part of the state a link carries (`url-state.ts`) is written to it
 * a moment after the state settles, and a hash changed by the user (the back button, an
 * edited address) is read back into the store. What a link names but the data must answer
 * is applied once it has loaded: the selection once its layer is there, a district or grid
 * cell study area once the grid cells are, the open popup once its feature is. In the
 * public and embed views only the map itself (view, layers, basemap, the open popup, the date it is shown as of) is
 * carried: their audience has no filters, tabs, tables or analysis.
 */
import { decodeUrlState, encodeUrlState, outlineFits, type UrlPopup, type UrlState, type UrlStudyArea } from '../url-state.ts';
import type { AppState, Store, StudyArea, ViewMode } from '../store.ts';
import { cellArea, districtArea, zonesSettled } from '../study-areas.ts';

export interface UrlHashDeps {
  /** Where the hash is read (window.location fits). */
  location: { readonly hash: string };
  /** Where it is written without a new history entry (window.history fits). */
  history: { replaceState(data: unknown, unused: string, url: string): void };
  /** Tells of hash changes the user makes, and of the page going (window fits). */
  events: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  /** Milliseconds the hash waits for the state to settle. Default 300. */
  delayMs?: number;
}

/** A drawn outline from a link, as a study area (labelled as drawn). */
function outlineArea(study: UrlStudyArea): StudyArea | null {
  return study.kind === 'polygon' ? { feature: { type: 'Feature', properties: {}, geometry: study.geometry }, label: '' } : null;
}

/** The parts of the state a link opens with: what `initialState` takes from the URL. */
export function stateFromUrl(url: UrlState, mode: AppState['mode']): Partial<AppState> {
  const staff = mode === 'staff';
  const outline = staff && url.study ? outlineArea(url.study) : null;
  return {
    ...(url.view ? { view: url.view } : {}),
    ...(url.basemap ? { basemap: url.basemap } : {}),
    ...(url.asOf ? { asOf: url.asOf } : {}),
    // Two days side by side where the date bar is there to turn it off (not in an embed).
    // (and only with a day to compare with: the latest against the latest shows nothing).
    ...(url.compareWith !== undefined && url.asOf && mode !== 'embed' ? { compare: { asOf: url.compareWith, side: 'after' as const } } : {}),
    ...(staff && url.filters ? { filters: url.filters } : {}),
    ...(staff && url.tab ? { tab: url.tab } : {}),
    ...(staff && url.table ? { table: url.table } : {}),
    // The planning controller adds it to the scenarios read from the browser.
    ...(staff && url.plan ? { scenarios: [url.plan], scenarioId: url.plan.id } : {}),
    ...(staff && url.coverage ? { coverageSettings: url.coverage } : {}),
    ...(outline ? { studyArea: outline } : {}),
  };
}

/** The study area as a link names it: by id when it is a district or cell, else its outline if small enough (else nothing). */
function studyOf(area: StudyArea | null): UrlStudyArea | undefined {
  if (!area) return undefined;
  if (area.source) return { kind: area.source.kind, id: area.source.id };
  const g = area.feature.geometry;
  return outlineFits(g) ? { kind: 'polygon', geometry: g } : undefined;
}

/** What of the state goes into the hash. */
export function urlStateOf(s: AppState): UrlState {
  const staff = s.mode === 'staff';
  const active = s.scenarios.find((x) => x.id === s.scenarioId);
  const study = staff ? studyOf(s.studyArea) : undefined;
  const sel = s.selection;
  return {
    view: s.view,
    layers: Object.entries(s.layers).filter(([, l]) => l.visible).map(([id]) => id),
    basemap: s.basemap,
    ...(s.asOf ? { asOf: s.asOf } : {}),
    ...(s.compare && s.mode !== 'embed' ? { compareWith: s.compare.asOf } : {}),
    ...(staff ? { filters: s.filters, tab: s.tab, ...(s.table ? { table: s.table } : {}) } : {}),
    ...(staff && s.picked ? { selection: { layerId: s.picked.layerId, ids: [...s.picked.ids] } } : {}),
    ...(staff && active ? { plan: active } : {}),
    // The settings only while the analysis is in use: other links stay short, and a visit
    // opened from one gets the settings kept in the browser.
    ...(staff && (s.tab === 'analysis' || s.studyArea) ? { coverage: s.coverageSettings } : {}),
    ...(study ? { study } : {}),
    ...(sel ? { popup: { layerId: sel.layerId, featureId: sel.featureId, lngLat: sel.lngLat } } : {}),
  };
}

/**
 * The address that opens the map as `s` shows it, in `mode`'s view (`?view=public`,
 * `?embed=1`, or neither for staff), from the page's own address: its other query
 * parameters (a catalogue) stay, the debug handle does not travel.
 */
export function linkTo(s: AppState, href: string, mode: ViewMode = s.mode): string {
  const url = new URL(href);
  for (const key of ['embed', 'view', 'debug']) url.searchParams.delete(key);
  if (mode === 'public') url.searchParams.set('view', 'public');
  if (mode === 'embed') url.searchParams.set('embed', '1');
  url.hash = encodeUrlState(urlStateOf({ ...s, mode }));
  return url.href;
}

const carried = (a: AppState, b: AppState): boolean =>
  a.view.center === b.view.center && a.view.zoom === b.view.zoom && a.layers === b.layers && a.basemap === b.basemap
  && a.filters === b.filters && a.picked === b.picked && a.tab === b.tab && a.table === b.table
  && a.scenarioId === b.scenarioId && a.scenarios === b.scenarios
  && a.coverageSettings === b.coverageSettings && a.studyArea === b.studyArea && a.selection === b.selection && a.asOf === b.asOf
  && a.compare?.asOf === b.compare?.asOf && (a.compare === null) === (b.compare === null);

export class UrlHashController {
  readonly #store: Store;
  readonly #deps: UrlHashDeps;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The link's selection, until its layer is here. */
  #pendingSelection: UrlState['selection'];
  /** The link's district or grid cell, until the grid cells are here. */
  #pendingStudy: UrlStudyArea | undefined;
  /** The link's open popup, until its feature is here. */
  #pendingPopup: UrlPopup | undefined;
  readonly #unsubscribe: () => void;
  readonly #onHashChange = (): void => this.#read();
  /** A change made just before the page goes (a tab closed and restored) is still in its address. */
  readonly #onHide = (): void => this.flush();

  constructor(store: Store, deps: UrlHashDeps, initial: UrlState = decodeUrlState(deps.location.hash)) {
    this.#store = store;
    this.#deps = deps;
    const staff = store.state.mode === 'staff';
    this.#pendingSelection = staff ? initial.selection : undefined;
    this.#pendingStudy = staff && initial.study?.kind !== 'polygon' ? initial.study : undefined;
    this.#pendingPopup = initial.popup;
    this.#unsubscribe = store.subscribe((s, prev) => this.#update(s, prev));
    deps.events.addEventListener('hashchange', this.#onHashChange);
    deps.events.addEventListener('pagehide', this.#onHide);
    this.#applyPending(store.state);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#unsubscribe();
    this.#deps.events.removeEventListener('hashchange', this.#onHashChange);
    this.#deps.events.removeEventListener('pagehide', this.#onHide);
  }

  /** Writes the hash now if a write is waiting (tests, and before the page is hidden). */
  flush(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#write();
  }

  #update(s: AppState, prev: AppState): void {
    this.#applyPending(s);
    if (!s.catalogue || carried(s, prev)) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#write();
    }, this.#deps.delayMs ?? 300);
  }

  #write(): void {
    const hash = encodeUrlState(urlStateOf(this.#store.state));
    if (hash !== this.#deps.location.hash) this.#deps.history.replaceState(null, '', hash || '#');
  }

  #applyPending(s: AppState): void {
    this.#applySelection(s);
    this.#applyStudy(s);
    this.#applyPopup(s);
  }

  #applySelection(s: AppState): void {
    const sel = this.#pendingSelection;
    // Own keys only: a link's `sel=constructor~…` must not find Object's constructor.
    if (!sel || !Object.hasOwn(s.data, sel.layerId)) return;
    this.#pendingSelection = undefined;
    this.#store.pick(sel.layerId, sel.ids);
  }

  /** A district or cell the link names, once the cells are loaded; one that is not there is dropped. */
  #applyStudy(s: AppState): void {
    const study = this.#pendingStudy;
    if (!study || study.kind === 'polygon' || !zonesSettled(s)) return;
    this.#pendingStudy = undefined;
    const area = study.kind === 'district' ? districtArea(s, study.id) : cellArea(s, study.id);
    if (area) this.#store.setStudyArea(area);
  }

  /**
   * The popup the link had open, once its layer holds the feature. A layer read by viewport
   * holds only the view's features: it is waited for until its query for the view is done.
   */
  #applyPopup(s: AppState): void {
    const pop = this.#pendingPopup;
    if (!pop || !Object.hasOwn(s.data, pop.layerId)) return;
    const f = s.data[pop.layerId]!.features.find((x) => String(x.properties?.id) === pop.featureId);
    if (!f && s.layers[pop.layerId]?.viewport?.loading) return;
    this.#pendingPopup = undefined;
    if (f) this.#store.select({ layerId: pop.layerId, featureId: pop.featureId, properties: { ...(f.properties ?? {}) }, lngLat: pop.lngLat });
  }

  #read(): void {
    const store = this.#store;
    const u = decodeUrlState(this.#deps.location.hash);
    if (u.view) store.setView(u.view);
    if (u.layers) store.setVisibleLayers(u.layers);
    if (u.basemap) store.setBasemap(u.basemap);
    store.setAsOf(u.asOf ?? null);
    if (store.state.mode !== 'embed') {
      const c = store.state.compare;
      if (u.compareWith === undefined || !u.asOf) store.setCompare(null);
      else if (c?.asOf !== u.compareWith) store.setCompare({ asOf: u.compareWith, side: c?.side ?? 'after' });
    }
    this.#pendingPopup = u.popup;
    if (!u.popup) store.select(null);
    if (store.state.mode === 'staff') {
      store.setFilters(u.filters ?? {});
      if (u.tab) store.setTab(u.tab);
      store.openTable(u.table ?? null);
      store.pick(u.selection?.layerId ?? null, u.selection?.ids ?? []);
      if (u.coverage) store.setCoverageSettings(u.coverage);
      this.#pendingStudy = u.study?.kind === 'polygon' ? undefined : u.study;
      if (u.study?.kind === 'polygon') store.setStudyArea(outlineArea(u.study));
      else if (!u.study) store.setStudyArea(null);
    }
    this.#applyPending(store.state);
  }
}
