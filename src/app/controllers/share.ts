/**
 * Owns Share: the link to the map as it is shown (view, layers, filters, the analysis, the
 * open popup; `linkTo`), copied to the clipboard with a confirmation that goes away by
 * itself; where the clipboard refuses (no permission, no secure context, an old browser)
 * the link waits in the state for the user to copy by hand. The link is made from the
 * state, not read from the address bar, whose hash is written a moment later.
 */
import type { Store } from '../store.ts';
import { linkTo, urlStateOf } from './url-hash.ts';

export interface ShareDeps {
  /** The page's address (window.location fits). */
  location: { readonly href: string };
  /** Where the link is copied (navigator.clipboard fits); null where there is none. */
  clipboard: { writeText(text: string): Promise<void> } | null;
  /** Milliseconds the "copied" confirmation stays. Default 4000. */
  confirmMs?: number;
}

export class ShareController {
  readonly #store: Store;
  readonly #deps: ShareDeps;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(store: Store, deps: ShareDeps) {
    this.#store = store;
    this.#deps = deps;
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }

  async share(): Promise<void> {
    clearTimeout(this.#timer);
    const s = this.#store.state;
    const url = linkTo(s, this.#deps.location.href);
    // The study area too large for a link is left out; the user is told so.
    const studyOmitted = s.mode === 'staff' && s.studyArea !== null && urlStateOf(s).study === undefined;
    try {
      if (!this.#deps.clipboard) throw new Error('no clipboard');
      await this.#deps.clipboard.writeText(url);
    } catch {
      this.#store.setShare({ status: 'manual', url, studyOmitted });
      return;
    }
    this.#store.setShare({ status: 'copied', url, studyOmitted });
    this.#timer = setTimeout(() => this.dismiss(), this.#deps.confirmMs ?? 4000);
  }

  dismiss(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#store.state.share.status !== 'idle') this.#store.setShare({ status: 'idle' });
  }
}
