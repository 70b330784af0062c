/**
 * A PNG of the map for printing and saving. The live map keeps `preserveDrawingBuffer` off
 * (it costs every frame), so its canvas cannot be read back reliably. Instead an offscreen
 * copy is drawn from the live map's style and camera, at the size and pixel ratio the
 * print needs, read once, and thrown away.
 */
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, StyleSpecification } from 'maplibre-gl';

/** Earth's circumference at the equator of the WGS84 sphere Web Mercator projects (2π × 6378137 m). */
const EARTH_CIRCUMFERENCE_M = 40_075_016.686;
/** MapLibre's world is 512 × 2^zoom CSS pixels wide. */
export const TILE_SIZE = 512;

/**
 * Ground metres per CSS pixel, east–west, at a latitude and zoom of a Web Mercator map.
 *
 * MapLibre's ScaleControl measures the same thing with the spherical law of cosines on its
 * 6 371 008.8 m mean-radius sphere, which reads 0.11 % shorter; the WGS84 ellipsoid's own parallel is
 * 0.08 % longer than this at Zhoushan's 30° N (map-image.test.ts checks both). Neither is
 * visible on a printed scale bar; this one is the standard Web Mercator ground resolution.
 */
export function metresPerPixelAt(lat: number, zoom: number): number {
  if (!Number.isFinite(lat) || Math.abs(lat) > 90) throw new Error(`lat must be between -90 and 90, not ${lat}`);
  if (!Number.isFinite(zoom)) throw new Error(`zoom must be a number, not ${zoom}`);
  return (EARTH_CIRCUMFERENCE_M * Math.cos((lat * Math.PI) / 180)) / (TILE_SIZE * 2 ** zoom);
}

export interface CaptureOptions {
  /** CSS width of the image. Default: the live map's container width. */
  width?: number;
  /** CSS height of the image. Default: the live map's container height. */
  height?: number;
  /**
   * Device pixels per CSS pixel. 2 prints at about 190 dpi when one CSS pixel prints as
   * 1/96 in. Lowered when MapLibre's 4096-px canvas limit or WebGL cannot hold the size.
   */
  pixelRatio?: number;
  /** Cancels the capture: the copy is removed and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Gives up when the copy has not finished drawing (tiles, labels) by then, in ms. */
  timeoutMs?: number;
}

const DEFAULTS = {
  pixelRatio: 2,
  timeoutMs: 60_000,
} as const satisfies CaptureOptions;

export interface MapImage {
  /** A PNG data: URL, width × pixelRatio by height × pixelRatio device pixels. */
  dataUrl: string;
  /** CSS pixels. */
  width: number;
  height: number;
  /** The pixel ratio the copy was actually drawn at (see CaptureOptions.pixelRatio). */
  pixelRatio: number;
  /** Ground metres per CSS pixel at the image's centre, east–west. */
  metresPerPixel: number;
  /** Degrees clockwise from north that the map is turned; a north arrow turns by minus this. */
  bearing: number;
  /** [west, south, east, north] of what the image shows. */
  bounds: [number, number, number, number];
}

/** The copy could not draw at this size; worth one more try at pixel ratio 1. */
class CanvasSizeError extends Error {
  override name = 'CanvasSizeError';
}

/** Draws an offscreen copy of the map and returns it as a PNG with what a scale bar needs. */
export async function captureMapImage(map: maplibregl.Map, options: CaptureOptions = {}): Promise<MapImage> {
  const o = { ...DEFAULTS, ...options };
  const container = map.getContainer();
  const width = Math.round(o.width ?? container.clientWidth);
  const height = Math.round(o.height ?? container.clientHeight);
  if (!(width > 0 && height > 0)) throw new Error(`The map image needs a positive size, not ${width} × ${height}`);
  if (!(o.pixelRatio > 0) || !Number.isFinite(o.pixelRatio)) throw new Error(`pixelRatio must be a positive number, not ${o.pixelRatio}`);
  o.signal?.throwIfAborted();
  const style = await copyStyle(map);
  o.signal?.throwIfAborted();
  const center = map.getCenter();
  const job: CopyJob = {
    doc: container.ownerDocument,
    style,
    camera: { center: [center.lng, center.lat], zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() },
    zoomRange: [map.getMinZoom(), map.getMaxZoom()],
    width,
    height,
    signal: o.signal,
    timeoutMs: o.timeoutMs,
  };
  try {
    return await drawCopy(job, o.pixelRatio);
  } catch (e) {
    if (!(e instanceof CanvasSizeError || e instanceof maplibregl.GPUInitializationError) || o.pixelRatio <= 1) throw e;
    return drawCopy(job, 1);
  }
}

/**
 * The live map's style, ready for a second map: the camera left out (the copy takes the
 * live camera, which a style camera would only fight) and every GeoJSON source carrying
 * its data.
 *
 * MapLibre 6's getStyle() serialises each GeoJSON source with the data it holds now:
 * whatever setData() last set (the same object, not a copy), the features after
 * updateData() diffs, or the URL it was loaded from. The fallback to getData() is for a
 * source that has somehow none, so an empty layer is never printed silently.
 */
export async function copyStyle(map: Pick<maplibregl.Map, 'getStyle' | 'getSource'>): Promise<StyleSpecification> {
  const live = map.getStyle() as StyleSpecification | undefined;
  if (!live) throw new Error('The map has no style yet: capture it after its load event');
  const style: StyleSpecification = { ...live, sources: { ...live.sources } };
  delete style.center;
  delete style.centerAltitude;
  delete style.zoom;
  delete style.bearing;
  delete style.pitch;
  delete style.roll;
  for (const [id, source] of Object.entries(style.sources)) {
    if (source.type !== 'geojson' || (source as { data?: unknown }).data !== undefined) continue;
    const liveSource = map.getSource<GeoJSONSource>(id);
    if (liveSource) style.sources[id] = { ...source, data: await liveSource.getData() };
  }
  return style;
}

interface CopyJob {
  doc: Document;
  style: StyleSpecification;
  camera: { center: [number, number]; zoom: number; bearing: number; pitch: number };
  zoomRange: [number, number];
  width: number;
  height: number;
  signal: AbortSignal | undefined;
  timeoutMs: number;
}

async function drawCopy(job: CopyJob, pixelRatio: number): Promise<MapImage> {
  const { doc, width, height } = job;
  job.signal?.throwIfAborted();
  // In the layout, so MapLibre can size it, but off screen and out of the way of pointer
  // and screen-reader users. Not display:none or visibility:hidden: a map needs a box.
  const host = doc.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  Object.assign(host.style, {
    position: 'fixed',
    left: '-10000px',
    top: '0',
    width: `${width}px`,
    height: `${height}px`,
    pointerEvents: 'none',
    contain: 'strict',
  });
  doc.body.append(host);
  let copy: maplibregl.Map | undefined;
  try {
    copy = new maplibregl.Map({
      container: host,
      style: job.style,
      ...job.camera,
      minZoom: job.zoomRange[0],
      maxZoom: job.zoomRange[1],
      pixelRatio,
      interactive: false,
      attributionControl: false,
      // Only this short-lived copy pays for a readable drawing buffer.
      canvasContextAttributes: { preserveDrawingBuffer: true },
      // Labels are drawn at once rather than faded in, so 'idle' comes sooner.
      fadeDuration: 0,
      // The live map validated this style already.
      validateStyle: false,
      trackResize: false,
    });
    await whenIdle(copy, job.signal, job.timeoutMs);
    const canvas = copy.getCanvas();
    const dataUrl = canvas.toDataURL('image/png');
    // A canvas the browser cannot encode (too large) comes back as "data:,".
    if (canvas.width === 0 || !dataUrl.startsWith('data:image/png')) throw new CanvasSizeError(`The browser could not encode a ${canvas.width} × ${canvas.height} map image`);
    const [[w, s], [e, n]] = copy.getBounds().toArray();
    return {
      dataUrl,
      width,
      height,
      pixelRatio: canvas.width / width,
      metresPerPixel: metresPerPixelAt(job.camera.center[1], job.camera.zoom),
      bearing: job.camera.bearing,
      bounds: [w, s, e, n],
    };
  } finally {
    // remove() also gives the WebGL context back; browsers allow only a few at a time.
    copy?.remove();
    host.remove();
  }
}

function whenIdle(map: maplibregl.Map, signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onIdle = (): void => finish();
    const onLost = (): void => finish(new CanvasSizeError('WebGL lost the map image while drawing it'));
    const onAbort = (): void => {
      const reason: unknown = signal?.reason;
      finish(reason instanceof Error ? reason : new DOMException('the map image was cancelled', 'AbortError'));
    };
    const timer = setTimeout(() => finish(new Error(`The map image was not ready after ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    function finish(error?: Error): void {
      clearTimeout(timer);
      map.off('idle', onIdle);
      map.off('webglcontextlost', onLost);
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    }
    map.on('idle', onIdle);
    map.on('webglcontextlost', onLost);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
