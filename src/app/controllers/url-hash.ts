/**
 * Owns the URL hash: the part of the state a link carries (`url-state.ts`) is written to it
 * a moment after the state settles, and a hash changed by the user (the back button, an
 * edited address) is read back into the store. A link's selection is applied once the
 * layer it names has loaded. In the public and embed views only the map itself (view,
 * layers, basemap, the date it is shown as of) is carried: their audience has no filters,
 * tabs or tables.
 */
import { decodeUrlState, encodeUrlState, type UrlState } from '../url-state.ts';
import type { AppState, Store } from '../store.ts';

export interface UrlHashDeps {
  /** Where the hash is read (window.location fits). */
  location: { readonly hash: string };
  /** Where it is written without a new history entry (window.history fits). */
  history: { replaceState(data: unknown, unused: string, url: string): void };
  /** Tells of hash changes the user makes (window fits). */
  events: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  /** Milliseconds the hash waits for the state to settle. Default 300. */
  delayMs?: number;
}

/** The parts of the state a link opens with: what `initialState` takes from the URL. */
export function stateFromUrl(url: UrlState, mode: AppState['mode']): Partial<AppState> {
  const staff = mode === 'staff';
  return {
    ...(url.view ? { view: url.view } : {}),
    ...(url.basemap ? { basemap: url.basemap } : {}),
    ...(url.asOf ? { asOf: url.asOf } : {}),
    ...(staff && url.filters ? { filters: url.filters } : {}),
    ...(staff && url.tab ? { tab: url.tab } : {}),
    ...(staff && url.table ? { table: url.table } : {}),
  };
}

/** What of the state goes into the hash. */
export function urlStateOf(s: AppState): UrlState {
  const staff = s.mode === 'staff';
  return {
    view: s.view,
    layers: Object.entries(s.layers).filter(([, l]) => l.visible).map(([id]) => id),
    basemap: s.basemap,
    ...(s.asOf ? { asOf: s.asOf } : {}),
    ...(staff ? { filters: s.filters, tab: s.tab, ...(s.table ? { table: s.table } : {}) } : {}),
    ...(staff && s.picked ? { selection: { layerId: s.picked.layerId, ids: [...s.picked.ids] } } : {}),
  };
}

const carried = (a: AppState, b: AppState): boolean =>
  a.view.center === b.view.center && a.view.zoom === b.view.zoom && a.layers === b.layers && a.basemap === b.basemap
  && a.filters === b.filters && a.picked === b.picked && a.tab === b.tab && a.table === b.table && a.asOf === b.asOf;

export class UrlHashController {
  readonly #store: Store;
  readonly #deps: UrlHashDeps;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The link's selection, until its layer is here. */
  #pendingSelection: UrlState['selection'];
  readonly #unsubscribe: () => void;
  readonly #onHashChange = (): void => this.#read();

  constructor(store: Store, deps: UrlHashDeps, initial: UrlState = decodeUrlState(deps.location.hash)) {
    this.#store = store;
    this.#deps = deps;
    this.#pendingSelection = store.state.mode === 'staff' ? initial.selection : undefined;
    this.#unsubscribe = store.subscribe((s, prev) => this.#update(s, prev));
    deps.events.addEventListener('hashchange', this.#onHashChange);
    this.#applySelection(store.state);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#unsubscribe();
    this.#deps.events.removeEventListener('hashchange', this.#onHashChange);
  }

  /** Writes the hash now if a write is waiting (tests, and before the page is hidden). */
  flush(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#write();
  }

  #update(s: AppState, prev: AppState): void {
    this.#applySelection(s);
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

  #applySelection(s: AppState): void {
    const sel = this.#pendingSelection;
    // Own keys only: a link's `sel=constructor~…` must not find Object's constructor.
    if (!sel || !Object.hasOwn(s.data, sel.layerId)) return;
    this.#pendingSelection = undefined;
    this.#store.pick(sel.layerId, sel.ids);
  }

  #read(): void {
    const store = this.#store;
    const u = decodeUrlState(this.#deps.location.hash);
    if (u.view) store.setView(u.view);
    if (u.layers) store.setVisibleLayers(u.layers);
    if (u.basemap) store.setBasemap(u.basemap);
    store.setAsOf(u.asOf ?? null);
    if (store.state.mode !== 'staff') return;
    store.setFilters(u.filters ?? {});
    if (u.tab) store.setTab(u.tab);
    store.openTable(u.table ?? null);
    store.pick(u.selection?.layerId ?? null, u.selection?.ids ?? []);
  }
}
