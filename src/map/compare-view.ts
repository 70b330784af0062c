/**
 * Two states of the app side by side on the map: a second map over the app's own, drawn by
 * a MapView of its own from the other side's store, with a swipe between them
 * (@maplibre/maplibre-gl-compare, which also keeps the two maps' views in step). Generic:
 * the other side is any store (another date, another planning scenario); what it holds is
 * the compare controller's business (app/controllers/compare.ts). Where the map is too
 * narrow for a swipe (a phone), one side fills it and `show` turns between them. Loaded
 * with the first comparison.
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
}

export class CompareView implements CompareViewPort {
  /** The other side's map, on the right. */
  readonly map: MapLibreMap;
  readonly #view: MapView;
  readonly #compare: Compare;
  readonly #element: HTMLElement;
  readonly #resize: ResizeObserver;
  readonly #narrow: MediaQueryList;
  /** What each side shows, over its half of the map (on a phone, over the side shown). */
  readonly #labels: [before: HTMLElement, after: HTMLElement];
  #side: 'before' | 'after' = 'after';
  readonly #onNarrow = (): void => this.#place();

  constructor({ main, store, selectors, narrow, ...opts }: CompareViewOptions) {
    const host = main.getContainer();
    this.#element = host.ownerDocument.createElement('div');
    this.#element.className = 'zs-compare-after';
    host.append(this.#element);
    this.#view = new MapView({ ...opts, container: this.#element, store, selectors });
    this.map = this.#view.map;
    // Exactly where the app's map is, not where its last reported (rounded) view says.
    this.map.jumpTo({ center: main.getCenter(), zoom: main.getZoom() });
    this.#compare = new Compare(main, this.map, host);
    const label = (side: 'before' | 'after'): HTMLElement => {
      const el = host.ownerDocument.createElement('div');
      el.className = `zs-compare-label ${side}`;
      el.dataset.side = side;
      host.append(el);
      return el;
    };
    this.#labels = [label('before'), label('after')];
    this.#narrow = narrow;
    narrow.addEventListener('change', this.#onNarrow);
    // The panel opening or the table drawer changes the map's box, not the window's.
    this.#resize = new ResizeObserver(() => {
      this.map.resize();
      this.#place();
    });
    this.#resize.observe(host);
    host.ownerDocument.body.classList.add('compare-on');
  }

  show(side: 'before' | 'after'): void {
    this.#side = side;
    this.#place();
  }

  /** The names of the two sides, in the UI's language. */
  setLabels(before: string, after: string): void {
    this.#labels[0].textContent = before;
    this.#labels[1].textContent = after;
  }

  dispose(): void {
    for (const el of this.#labels) el.remove();
    this.#resize.disconnect();
    this.#narrow.removeEventListener('change', this.#onNarrow);
    this.#compare.remove();
    this.#view.dispose();
    this.#element.remove();
    this.#element.ownerDocument.body.classList.remove('compare-on', 'compare-narrow');
  }

  /** A swipe from the middle where there is room; else the whole map to one side. */
  #place(): void {
    const width = this.map.getContainer().clientWidth;
    const narrow = this.#narrow.matches;
    this.#element.ownerDocument.body.classList.toggle('compare-narrow', narrow);
    // On a phone only the side shown has its name up.
    this.#labels[0].hidden = narrow && this.#side !== 'before';
    this.#labels[1].hidden = narrow && this.#side !== 'after';
    if (narrow) this.#compare.setSlider(this.#side === 'after' ? 0 : width);
    else if (this.#compare.currentPosition <= 0 || this.#compare.currentPosition >= width) this.#compare.setSlider(width / 2);
  }
}
