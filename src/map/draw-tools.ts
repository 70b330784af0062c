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
const MODE: Record<DrawTool, 'polygon' | 'linestring'> = {
  'draw-area': 'polygon',
  'measure-area': 'polygon',
  'measure-line': 'linestring',
  'draw-site': 'polygon',
};
const isClickTool = (tool: Tool): tool is ClickTool => tool === 'none' || tool === 'pick-cell' || tool === 'place-site';

export type OnDrawn = (tool: DrawTool, geometry: Geometry) => void;

interface Draw {
  start(): void;
  stop(): void;
  clear(): void;
  setMode(mode: string): void;
  enabled: boolean;
  getSnapshotFeature(id: string | number): { geometry: Geometry } | undefined;
  on(event: 'finish', cb: (id: string | number) => void): void;
}

export class DrawTools {
  readonly #map: MapLibreMap;
  readonly #onDrawn: OnDrawn;
  #draw: Promise<Draw> | null = null;
  #tool: Tool = 'none';

  constructor(map: MapLibreMap, onDrawn: OnDrawn) {
    this.#map = map;
    this.#onDrawn = onDrawn;
  }

  async #load(): Promise<Draw> {
    const [{ TerraDraw, TerraDrawPolygonMode, TerraDrawLineStringMode }, { TerraDrawMapLibreGLAdapter }] = await Promise.all([
      import('terra-draw'),
      import('terra-draw-maplibre-gl-adapter'),
    ]);
    const draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map: this.#map }),
      modes: [
        new TerraDrawPolygonMode({ styles: { fillColor: '#0a66c2', fillOpacity: 0.15, outlineColor: '#0a66c2', outlineWidth: 2 } }),
        new TerraDrawLineStringMode({ styles: { lineStringColor: '#0a66c2', lineStringWidth: 3 } }),
      ],
    }) as unknown as Draw;
    draw.on('finish', (id) => {
      const f = draw.getSnapshotFeature(id);
      const tool = this.#tool;
      // One shape at a time: the result lives in the store, the sketch is cleared.
      draw.clear();
      if (f && !isClickTool(tool)) this.#onDrawn(tool, f.geometry);
    });
    return draw;
  }

  async setTool(tool: Tool): Promise<void> {
    this.#tool = tool;
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
