/** The types of @maplibre/maplibre-gl-compare (it ships none): the parts this app uses. */
declare module '@maplibre/maplibre-gl-compare' {
  import type { Map } from 'maplibre-gl';

  export default class Compare {
    constructor(a: Map, b: Map, container: HTMLElement, options?: { orientation?: 'vertical' | 'horizontal'; mousemove?: boolean });
    /** The swipe's position, in pixels from the left. */
    readonly currentPosition: number;
    setSlider(x: number): void;
    on(type: 'slideend', fn: (e: { currentPosition: number }) => void): this;
    remove(): void;
  }
}
