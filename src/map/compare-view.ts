/**
 * Two states of the app side by side on the map: a second map over the app's own, drawn by
 * a MapView of its own from the other side's store, with a swipe between them
 * (@maplibre/maplibre-gl-compare, which also keeps the two maps' views in step). Generic:
 * the other side is any store (another date, another planning scenario); what it holds is
 * the compare controller's business (app/controllers/compare.ts). Where the map is too
 * narrow for a swipe (a phone), one side fills it, `show` turns between them and two buttons
 * over the map let the user do so. Each side's name rides beside the divide. Loaded with the
 * first comparison.
 */
import Compare from '@maplibre/maplibre-gl-compare';
import '@maplibre/maplibre-gl-compare/style.css';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { CompareView as CompareViewPort } from '../app/controllers/compare.ts';
import type { Selectors } from '../app/selectors.ts';
import type { Store } from '../app/store.ts';
import { MapView, type MapViewOptions } from './map-view.ts';

export interface CompareViewOptions extends Pick<MapViewOptions, 'renderPopup' | 'locale' | 'renderHits' | 'renderCellTip' | 'formatMeasure'> {
  /** The app's own map: the "before" side, on the left. */
  main: MapLibreMap;
  /** The other side's store and its own selectors (their memos are per state). */
  store: Store;
  selectors: Selectors;
  /** True where there is no room for a swipe. */
  narrow: MediaQueryList;
  /** The phone's choice of the side the map shows. */
  onSide: (side: 'before' | 'after') => void;
}

/** The names of the two sides and of the phone's choice between them, in the UI's language. */
export interface CompareLabels {
  before: string;
  after: string;
  /** What the phone's choice over the map is (its accessible name); null: none, the choice is elsewhere (the date bar). */
  choice: string | null;
}

export class CompareView implements CompareViewPort {
  /** The other side's map, on the right. */
  readonly map: MapLibreMap;
  readonly #view: MapView;
  readonly #compare: Compare;
  readonly #element: HTMLElement;
  readonly #resize: ResizeObserver;
  readonly #narrow: MediaQueryList;
  /** What each side shows, either side of the divide (the swipe's element, which moves with it). */
  readonly #labels: [before: HTMLElement, after: HTMLElement];
  /** On a phone, instead of the swipe: the two sides to choose between, over the map. */
  readonly #choice: HTMLElement;
  readonly #buttons: [before: HTMLButtonElement, after: HTMLButtonElement];
  #side: 'before' | 'after' = 'after';
  /** The choice over the map is wanted on a phone. */
  #wanted = false;
  readonly #onNarrow = (): void => this.#place();

  constructor({ main, store, selectors, narrow, onSide, ...opts }: CompareViewOptions) {
    const host = main.getContainer();
    const doc = host.ownerDocument;
    this.#element = doc.createElement('div');
    this.#element.className = 'zs-compare-after';
    host.append(this.#element);
    this.#view = new MapView({ ...opts, container: this.#element, store, selectors });
    this.map = this.#view.map;
    // Exactly where the app's map is, not where its last reported (rounded) view says.
    this.map.jumpTo({ center: main.getCenter(), zoom: main.getZoom() });
    this.#compare = new Compare(main, this.map, host);
    const divide = host.querySelector<HTMLElement>(':scope > .maplibregl-compare') ?? host;
    const label = (side: 'before' | 'after'): HTMLElement => {
      const el = doc.createElement('div');
      el.className = `zs-compare-label ${side}`;
      el.dataset.side = side;
      divide.append(el);
      return el;
    };
    this.#labels = [label('before'), label('after')];
    this.#choice = doc.createElement('div');
    this.#choice.className = 'zs-compare-choice';
    this.#choice.setAttribute('role', 'group');
    const button = (side: 'before' | 'after'): HTMLButtonElement => {
      const b = doc.createElement('button');
      b.type = 'button';
      b.dataset.side = side;
      b.addEventListener('click', () => onSide(side));
      this.#choice.append(b);
      return b;
    };
    this.#buttons = [button('before'), button('after')];
    host.append(this.#choice);
    this.#narrow = narrow;
    narrow.addEventListener('change', this.#onNarrow);
    // The panel opening or the table drawer changes the map's box, not the window's.
    this.#resize = new ResizeObserver(() => {
      this.map.resize();
      this.#place();
    });
    this.#resize.observe(host);
    doc.body.classList.add('compare-on');
  }

  show(side: 'before' | 'after'): void {
    this.#side = side;
    this.#place();
  }

  /** Called with every change of the app's state while comparing: the DOM is touched only when a name changes. */
  setLabels({ before, after, choice }: CompareLabels): void {
    const set = (el: HTMLElement, text: string): void => {
      if (el.textContent !== text) el.textContent = text;
    };
    set(this.#labels[0], before);
    set(this.#labels[1], after);
    set(this.#buttons[0], before);
    set(this.#buttons[1], after);
    if (choice !== null && this.#choice.getAttribute('aria-label') !== choice) this.#choice.setAttribute('aria-label', choice);
    this.#wanted = choice !== null;
    this.#choice.hidden = !this.#narrow.matches || !this.#wanted;
  }

  dispose(): void {
    this.#choice.remove();
    this.#resize.disconnect();
    this.#narrow.removeEventListener('change', this.#onNarrow);
    this.#compare.remove();
    this.#view.dispose();
    this.#element.remove();
    this.#element.ownerDocument.body.classList.remove('compare-on', 'compare-narrow');
  }

  /** A swipe from the middle where there is room; else the whole map to one side, and the choice of side over it. */
  #place(): void {
    const width = this.map.getContainer().clientWidth;
    const narrow = this.#narrow.matches;
    this.#element.ownerDocument.body.classList.toggle('compare-narrow', narrow);
    this.#choice.hidden = !narrow || !this.#wanted;
    this.#buttons[0].setAttribute('aria-pressed', String(this.#side === 'before'));
    this.#buttons[1].setAttribute('aria-pressed', String(this.#side === 'after'));
    if (narrow) this.#compare.setSlider(this.#side === 'after' ? 0 : width);
    else if (this.#compare.currentPosition <= 0 || this.#compare.currentPosition >= width) this.#compare.setSlider(width / 2);
  }
}
