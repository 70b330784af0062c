/**
 * On a phone the panel is a sheet under the map. A feature picked from a list in it (a
 * search result, a table row) flies onto the map with its popup, so the sheet folds away
 * and gives the map the screen; the panel button brings it back.
 */
import type { Store } from '../store.ts';

export interface SheetDeps {
  /** Whether the panel is a bottom sheet (a narrow screen), e.g. a `matchMedia` result. */
  narrow: { readonly matches: boolean };
}

export class SheetController {
  readonly #unsubscribe: () => void;

  constructor(store: Store, deps: SheetDeps) {
    this.#unsubscribe = store.subscribe((s, prev) => {
      if (s.selection?.fly && s.selection !== prev.selection && s.panelOpen && deps.narrow.matches) store.setPanelOpen(false);
    });
  }

  dispose(): void {
    this.#unsubscribe();
  }
}
