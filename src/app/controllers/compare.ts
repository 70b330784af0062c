/**
 * Owns a comparison of two states of the app side by side: while `other` names a second
 * state (two dates of the timeline; two planning scenarios), it keeps a store of its own for
 * that side, which follows the app's store in everything but what `other` changes (and the
 * view, which the swipe keeps in step map to map), and has the view built over it (a second
 * map with a swipe, map/compare-view.ts, loaded on first use). When `other` says null, the
 * view and that store go. The two kinds are never on together (the intents turn one off as
 * the other comes on), so one controller serves both.
 */
import { Store, type AppState } from '../store.ts';

/** What a comparison's view can be told. */
export interface CompareView {
  /** Where there is no room for a swipe (a phone), the side that fills the map. */
  show(side: 'before' | 'after'): void;
  dispose(): void;
}

export interface CompareSide {
  /** What the other side changes in the app's state. */
  patch: Partial<AppState>;
  /** The side a phone shows. */
  show: 'before' | 'after';
}

export interface CompareDeps {
  /** The other side, from the app's state; null: no comparison. */
  other: (s: AppState) => CompareSide | null;
  /** Builds the view over the other side's store (a second map and the swipe). */
  open: (other: Store) => Promise<CompareView>;
}

/** Only the app's own map draws and measures; the other side is to look at. */
const QUIET: Partial<AppState> = { tool: 'none', measurement: null, timelinePlaying: false, hitList: null };

/** The dates of the timeline: the app's day before, the compare's after. */
export function compareDates(s: AppState): CompareSide | null {
  return s.compare && s.catalogue?.timeline ? { patch: { asOf: s.compare.asOf, compare: null }, show: s.compare.side } : null;
}

/**
 * Two planning scenarios (or one and today), as the planning panel compared them: the app's
 * map the left, the compare's the right; only while the planning tab shows them, their
 * comparison is done and both still exist, and no site is being placed or drawn (the map
 * then shows the scenario being edited).
 */
export function compareScenarios(s: AppState): CompareSide | null {
  const swipe = s.planning.swipe;
  const figures = s.planning.compare.status === 'done' ? s.planning.compare.response : null;
  if (!swipe || !figures || s.mode !== 'staff' || s.tab !== 'planning' || s.tool === 'place-site' || s.tool === 'draw-site') return null;
  const exists = (id: string | null): boolean => id === null || s.scenarios.some((x) => x.id === id);
  if (!exists(figures.left.id) || !exists(figures.right.id)) return null;
  return { patch: { planning: { ...s.planning, swipe: { ...swipe, ours: 'right' } }, compare: null }, show: swipe.side };
}

export class CompareController {
  readonly #store: Store;
  readonly #deps: CompareDeps;
  #other: Store | null = null;
  #view: CompareView | null = null;
  /** The opening under way; a close before it settles disposes what it brings. */
  #opening: object | null = null;
  readonly #unsubscribe: () => void;

  constructor(store: Store, deps: CompareDeps) {
    this.#store = store;
    this.#deps = deps;
    this.#unsubscribe = store.subscribe((s) => this.#update(s));
    this.#update(store.state);
  }

  /** The other side's store while comparing. */
  get other(): Store | null {
    return this.#other;
  }

  dispose(): void {
    this.#unsubscribe();
    this.#close();
  }

  #update(s: AppState): void {
    const side = this.#deps.other(s);
    if (!side) return this.#close();
    if (this.#other) {
      // The view stays the other side's own: the swipe keeps the maps in step.
      const { view: _view, ...rest } = s;
      this.#other.adopt({ ...rest, ...QUIET, ...side.patch });
      this.#view?.show(side.show);
      return;
    }
    const other = new Store({ ...s, ...QUIET, ...side.patch });
    this.#other = other;
    const run = {};
    this.#opening = run;
    this.#deps.open(other).then(
      (view) => {
        if (this.#opening !== run) return view.dispose();
        this.#opening = null;
        this.#view = view;
        view.show(this.#deps.other(this.#store.state)?.show ?? side.show);
      },
      () => {
        // The code or the map could not be had: back to one map.
        if (this.#opening !== run) return;
        this.#opening = null;
        this.#store.stopComparing();
      },
    );
  }

  #close(): void {
    this.#opening = null;
    this.#view?.dispose();
    this.#view = null;
    this.#other = null;
  }
}
