/**
 * Shift-drag on the map draws a rectangle and reports its corners: box selection. It
 * replaces MapLibre's shift-drag box zoom, which the map turns off.
 */
import { Point, type Map as MapLibreMap } from 'maplibre-gl';

export class BoxSelect {
  readonly #map: MapLibreMap;
  readonly #onBox: (a: Point, b: Point) => void;
  readonly #enabled: () => boolean;
  #start: Point | null = null;
  #box: HTMLDivElement | null = null;

  constructor(map: MapLibreMap, onBox: (a: Point, b: Point) => void, enabled: () => boolean) {
    this.#map = map;
    this.#onBox = onBox;
    this.#enabled = enabled;
    map.getCanvasContainer().addEventListener('mousedown', this.#down, true);
  }

  #pos(e: MouseEvent): Point {
    const r = this.#map.getCanvasContainer().getBoundingClientRect();
    return new Point(e.clientX - r.left, e.clientY - r.top);
  }

  #down = (e: MouseEvent): void => {
    if (!e.shiftKey || e.button !== 0 || !this.#enabled()) return;
    e.preventDefault();
    e.stopPropagation();
    this.#map.dragPan.disable();
    this.#start = this.#pos(e);
    document.addEventListener('mousemove', this.#move);
    document.addEventListener('mouseup', this.#up, { once: true });
  };

  #move = (e: MouseEvent): void => {
    if (!this.#start) return;
    const p = this.#pos(e);
    if (!this.#box) {
      this.#box = document.createElement('div');
      this.#box.className = 'zs-box-select';
      this.#map.getCanvasContainer().append(this.#box);
    }
    const x = Math.min(p.x, this.#start.x);
    const y = Math.min(p.y, this.#start.y);
    Object.assign(this.#box.style, {
      transform: `translate(${x}px, ${y}px)`,
      width: `${Math.abs(p.x - this.#start.x)}px`,
      height: `${Math.abs(p.y - this.#start.y)}px`,
    });
  };

  #up = (e: MouseEvent): void => {
    document.removeEventListener('mousemove', this.#move);
    this.#map.dragPan.enable();
    const start = this.#start;
    this.#start = null;
    this.#box?.remove();
    this.#box = null;
    if (!start) return;
    const end = this.#pos(e);
    // A shift-click (no drag) is handled by the click handler as a toggle.
    if (Math.abs(end.x - start.x) < 4 && Math.abs(end.y - start.y) < 4) return;
    this.#onBox(start, end);
  };
}
