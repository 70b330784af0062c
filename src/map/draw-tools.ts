/**
 * Drawing on the map for the planner tools (study area, measuring), with terra-draw and
 * its MapLibre adapter. terra-draw is loaded only when a tool is first used, so viewers
 * who never draw never download it.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Geometry } from 'geojson';
import type { Tool } from '../app/store.ts';

/** Tools whose clicks are single points, not a sketch. */
type ClickTool = 'none' | 'pick-cell' | 'place-site';
type DrawTool = Exclude<Tool, ClickTool>;
const MEASURE_POLYGON = 'measure-polygon';
const MEASURE_COLOR = '#c2185b';
const MODE: Record<DrawTool, string> = {
  'draw-area': 'polygon',
  'measure-area': MEASURE_POLYGON,
  'measure-line': 'linestring',
  'draw-site': 'polygon',
};
const isClickTool = (tool: Tool): tool is ClickTool => tool === 'none' || tool === 'pick-cell' || tool === 'place-site';

export type OnDrawn = (tool: DrawTool, geometry: Geometry) => void;

export interface DrawCallbacks {
  /** A shape is finished. */
  onDrawn: OnDrawn;
  /** The shape being drawn changed (a click, or the pointer moved its last point); at most once a frame. */
  onSketch?: OnDrawn;
  /** Escape was pressed while drawing: the drawing is given up. */
  onCancel?: () => void;
}

interface Draw {
  start(): void;
  stop(): void;
  clear(): void;
  setMode(mode: string): void;
  enabled: boolean;
  getSnapshotFeature(id: string | number): { geometry: Geometry; properties: Record<string, unknown> } | undefined;
  on(event: 'finish', cb: (id: string | number) => void): void;
  on(event: 'change', cb: (ids: (string | number)[], type: string) => void): void;
}

export class DrawTools {
  readonly #map: MapLibreMap;
  readonly #on: DrawCallbacks;
  #draw: Promise<Draw> | null = null;
  #tool: Tool = 'none';
  /** The sketch waiting for the next frame, and that frame. */
  #sketch: Geometry | null = null;
  #frame = 0;
  readonly #onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || !this.drawing || e.defaultPrevented) return;
    const t = e.target as HTMLElement | null;
    // Escape in a text field belongs to the field.
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
    this.#on.onCancel?.();
  };

  constructor(map: MapLibreMap, callbacks: DrawCallbacks) {
    this.#map = map;
    this.#on = callbacks;
    map.getContainer().ownerDocument.addEventListener('keydown', this.#onKey);
  }

  dispose(): void {
    this.#map.getContainer().ownerDocument.removeEventListener('keydown', this.#onKey);
    cancelAnimationFrame(this.#frame);
  }

  /** Reports the newest sketch once per frame: a pointer moves far more often than the screen draws. */
  #queueSketch(geometry: Geometry): void {
    const first = this.#sketch === null;
    this.#sketch = geometry;
    if (!first) return;
    this.#frame = requestAnimationFrame(() => {
      const g = this.#sketch;
      this.#sketch = null;
      const tool = this.#tool;
      if (g && !isClickTool(tool)) this.#on.onSketch?.(tool, g);
    });
  }

  async #load(): Promise<Draw> {
    const [{ TerraDraw, TerraDrawPolygonMode, TerraDrawLineStringMode }, { TerraDrawMapLibreGLAdapter }] = await Promise.all([
      import('terra-draw'),
      import('terra-draw-maplibre-gl-adapter'),
    ]);
    const draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map: this.#map }),
      // A study area is drawn in blue, as it is shown; a measurement in the measure layers' magenta.
      modes: [
        new TerraDrawPolygonMode({ styles: { fillColor: '#0a66c2', fillOpacity: 0.15, outlineColor: '#0a66c2', outlineWidth: 2 } }),
        new TerraDrawPolygonMode({ modeName: MEASURE_POLYGON, styles: { fillColor: MEASURE_COLOR, fillOpacity: 0.12, outlineColor: MEASURE_COLOR, outlineWidth: 2, closingPointColor: MEASURE_COLOR } }),
        new TerraDrawLineStringMode({ styles: { lineStringColor: MEASURE_COLOR, lineStringWidth: 2.5, closingPointColor: MEASURE_COLOR } }),
      ],
    }) as unknown as Draw;
    draw.on('change', (ids, type) => {
      if (type !== 'create' && type !== 'update') return;
      for (const id of ids) {
        const f = draw.getSnapshotFeature(id);
        // The shape itself, not the helper points terra-draw keeps beside it.
        if (f && (f.geometry.type === 'LineString' || f.geometry.type === 'Polygon')) this.#queueSketch(f.geometry);
      }
    });
    draw.on('finish', (id) => {
      const f = draw.getSnapshotFeature(id);
      const tool = this.#tool;
      cancelAnimationFrame(this.#frame);
      this.#sketch = null;
      // One shape at a time: the result lives in the store, the sketch is cleared.
      draw.clear();
      if (f && !isClickTool(tool)) this.#on.onDrawn(tool, f.geometry);
    });
    return draw;
  }

  async setTool(tool: Tool): Promise<void> {
    this.#tool = tool;
    cancelAnimationFrame(this.#frame);
    this.#sketch = null;
    if (isClickTool(tool)) {
      if (this.#draw) {
        const d = await this.#draw;
        if (d.enabled) {
          d.clear();
          d.stop();
        }
      }
      delete this.#map.getContainer().dataset.drawMode;
      return;
    }
    this.#draw ??= this.#load();
    const d = await this.#draw;
    if (this.#tool !== tool) return;
    if (!d.enabled) d.start();
    d.setMode(MODE[tool]);
    // Says when clicks start counting: terra-draw arrives asynchronously on first use.
    this.#map.getContainer().dataset.drawMode = MODE[tool];
  }

  /** Whether clicks on the map currently belong to a drawing. */
  get drawing(): boolean {
    return !isClickTool(this.#tool);
  }
}
