/**
 * Owns the print layout's job: when it opens, or its paper changes, the current view is
 * rendered off screen at the paper's map size; the state says whether that is running,
 * done, failed (with why) or was cancelled by closing. "Save PNG" offers the whole page as
 * it prints (title, map, legend, scale bar, north arrow, date, attribution, demo-data
 * notice), never the bare map: a forwarded picture of demo data must say what it is.
 */
import { mapImageSize, type Orientation, type Paper, type PrintImage } from '../print-geometry.ts';
import { isAbortError } from '../../data/errors.ts';
import type { Store } from '../store.ts';

export interface PrintDeps {
  /** Renders the map at `size` CSS pixels (MapView's capture fits). */
  capture(size: { width: number; height: number }, signal: AbortSignal): Promise<PrintImage>;
  /** Draws the page the layout shows, with the map image in it, as a PNG. */
  page(): Promise<Blob>;
  download(blob: Blob, fileName: string): void;
  now?: () => Date;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class PrintController {
  readonly #store: Store;
  readonly #deps: PrintDeps;
  #job: AbortController | null = null;

  constructor(store: Store, deps: PrintDeps) {
    this.#store = store;
    this.#deps = deps;
  }

  dispose(): void {
    this.#job?.abort();
  }

  open(): void {
    if (!this.#store.state.catalogue) return;
    this.#store.setPrint({ open: true });
    void this.#render();
  }

  setOptions(paper: Paper, orientation: Orientation): void {
    this.#store.setPrint({ paper, orientation });
    if (this.#store.state.print.open) void this.#render();
  }

  /** Renders again, after a failure. */
  retry(): void {
    if (this.#store.state.print.open) void this.#render();
  }

  close(): void {
    this.#job?.abort();
    this.#job = null;
    this.#store.setPrint({ open: false, image: { status: 'idle', response: null, error: null } });
  }

  /** Offers the page as a PNG, once its map image is there; a page that cannot be drawn is said to have failed, with a retry. */
  async savePng(): Promise<void> {
    const image = this.#store.state.print.image;
    if (!image.response) return;
    // The local calendar day, as export files are named: in Zhoushan (UTC+8) the UTC day is
    // yesterday's until 08:00.
    const d = this.#deps.now?.() ?? new Date();
    const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    // A page of another day than the latest says which in its name, as under its title.
    const asOf = this.#store.state.asOf;
    try {
      this.#deps.download(await this.#deps.page(), `zhoushan-map-${asOf ? `as-of-${asOf}-` : ''}${day}.png`);
    } catch (err) {
      // Only if the page it failed on is still the one shown.
      if (this.#store.state.print.image === image) this.#store.setPrint({ image: { status: 'error', response: null, error: message(err) } });
    }
  }

  async #render(): Promise<void> {
    this.#job?.abort();
    const ctl = (this.#job = new AbortController());
    const { paper, orientation } = this.#store.state.print;
    this.#store.setPrint({ image: { status: 'running', response: null, error: null } });
    try {
      const image = await this.#deps.capture(mapImageSize(paper, orientation), ctl.signal);
      if (ctl.signal.aborted) return;
      this.#store.setPrint({ image: { status: 'done', response: image, error: null } });
    } catch (err) {
      if (ctl.signal.aborted) return;
      this.#store.setPrint({ image: { status: isAbortError(err) ? 'cancelled' : 'error', response: null, error: message(err) } });
    } finally {
      if (this.#job === ctl) this.#job = null;
    }
  }
}
