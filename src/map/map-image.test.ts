import { describe, expect, it } from 'vitest';
import { type LngLat, MercatorCoordinate } from 'maplibre-gl';
import type { Map as MaplibreMap, StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import geographiclib from 'geographiclib-geodesic';
import { TILE_SIZE, copyStyle, metresPerPixelAt } from './map-image.ts';

/** Zhoushan's catalogue view. */
const ZHOUSHAN = { lng: 122.2, lat: 29.995 };

/**
 * What MapLibre's ScaleControl (src/ui/control/scale_control.ts, updateScale) does before
 * rounding: unproject two points maxWidth apart across the centre of the map and measure
 * them with LngLat.distanceTo, the spherical law of cosines on a 6 371 008.8 m sphere.
 */
function scaleControlMetresPerPixel(lng: number, lat: number, zoom: number, maxWidth = 100): number {
  const worldSize = TILE_SIZE * 2 ** zoom;
  const c = MercatorCoordinate.fromLngLat([lng, lat]);
  const at = (dx: number): LngLat => new MercatorCoordinate(c.x + dx / worldSize, c.y).toLngLat();
  return at(-maxWidth / 2).distanceTo(at(maxWidth / 2)) / maxWidth;
}

const WGS84 = new geographiclib.Geodesic.Geodesic(6378137, 1 / 298.257223563);

/** The ellipsoidal ground length of one pixel's worth of longitude, 100 px measured. */
function ellipsoidMetresPerPixel(lng: number, lat: number, zoom: number): number {
  const dLng = (100 * 360) / (TILE_SIZE * 2 ** zoom);
  return (WGS84.Inverse(lat, lng - dLng / 2, lat, lng + dLng / 2).s12 ?? Number.NaN) / 100;
}

describe('metresPerPixelAt', () => {
  it('is the Web Mercator ground resolution for 512-px tiles', () => {
    expect(metresPerPixelAt(0, 0)).toBeCloseTo(40_075_016.686 / 512, 6);
    expect(metresPerPixelAt(60, 1)).toBeCloseTo(40_075_016.686 / 512 / 2 / 2, 6);
    expect(metresPerPixelAt(ZHOUSHAN.lat, 11.3)).toBeCloseTo(26.885, 3);
  });

  it.each([7, 11.3, 14, 17.5, 19])('agrees with MapLibre\'s ScaleControl at Zhoushan, zoom %s, but for its smaller Earth', (zoom) => {
    const ours = metresPerPixelAt(ZHOUSHAN.lat, zoom);
    const control = scaleControlMetresPerPixel(ZHOUSHAN.lng, ZHOUSHAN.lat, zoom);
    // The whole difference is the radius: 6 378 137 m here against its 6 371 008.8 m. The
    // law of cosines (acos near 1) is only good to about 1e-5 over the 20 m of zoom 19.
    expect(ours / control).toBeCloseTo(6378137 / 6371008.8, zoom >= 19 ? 4 : 5);
    expect(ours / control - 1).toBeLessThan(0.0012);
  });

  it.each([7, 11.3, 14, 19])('is within 0.1 %% of the WGS84 ellipsoid along the parallel at Zhoushan, zoom %s', (zoom) => {
    const ours = metresPerPixelAt(ZHOUSHAN.lat, zoom);
    const truth = ellipsoidMetresPerPixel(ZHOUSHAN.lng, ZHOUSHAN.lat, zoom);
    expect(Math.abs(ours / truth - 1)).toBeLessThan(0.001);
  });

  it('halves with every zoom level and shrinks towards the poles', () => {
    expect(metresPerPixelAt(30, 12) / metresPerPixelAt(30, 13)).toBeCloseTo(2, 12);
    expect(metresPerPixelAt(45, 12)).toBeLessThan(metresPerPixelAt(30, 12));
    expect(metresPerPixelAt(-30, 12)).toBeCloseTo(metresPerPixelAt(30, 12), 12);
  });

  it('refuses a latitude or zoom that is not one', () => {
    expect(() => metresPerPixelAt(91, 10)).toThrow(/lat/);
    expect(() => metresPerPixelAt(Number.NaN, 10)).toThrow(/lat/);
    expect(() => metresPerPixelAt(30, Number.POSITIVE_INFINITY)).toThrow(/zoom/);
  });
});

describe('copyStyle', () => {
  const fc: FeatureCollection = Object.freeze({
    type: 'FeatureCollection',
    features: Object.freeze([{ type: 'Feature', properties: { id: 'a' }, geometry: { type: 'Point', coordinates: [122.2, 30] } }]),
  }) as unknown as FeatureCollection;

  function fakeMap(style: StyleSpecification | undefined, live: Record<string, FeatureCollection> = {}) {
    const asked: string[] = [];
    const map = {
      getStyle: () => style,
      getSource: (id: string) => (id in live ? { getData: async () => { asked.push(id); return live[id]; } } : undefined),
    } as unknown as Pick<MaplibreMap, 'getStyle' | 'getSource'>;
    return { map, asked };
  }

  const style = (): StyleSpecification => Object.freeze({
    version: 8,
    center: [0, 0],
    zoom: 3,
    bearing: 10,
    pitch: 20,
    sources: Object.freeze({
      kept: Object.freeze({ type: 'geojson', data: fc }),
      url: Object.freeze({ type: 'geojson', data: 'layers/x.geojson' }),
      missing: Object.freeze({ type: 'geojson', promoteId: 'id' }),
      raster: Object.freeze({ type: 'raster', tiles: ['https://example.test/{z}/{x}/{y}.png'], tileSize: 256 }),
    }),
    layers: Object.freeze([{ id: 'bg', type: 'background' }]),
  }) as unknown as StyleSpecification;

  it('drops the style camera and keeps the data getStyle() already has', async () => {
    const { map, asked } = fakeMap(style(), { kept: fc, url: fc });
    const copy = await copyStyle(map);
    expect(copy.center).toBeUndefined();
    expect(copy.zoom).toBeUndefined();
    expect(copy.bearing).toBeUndefined();
    expect(copy.pitch).toBeUndefined();
    expect(copy.sources.kept).toEqual({ type: 'geojson', data: fc });
    expect(copy.sources.url).toEqual({ type: 'geojson', data: 'layers/x.geojson' });
    expect(copy.sources.raster).toEqual(style().sources.raster);
    expect(copy.layers).toHaveLength(1);
    expect(asked).toEqual([]);
  });

  it('fills a GeoJSON source that getStyle() left without data from the live source', async () => {
    const { map, asked } = fakeMap(style(), { missing: fc });
    const copy = await copyStyle(map);
    expect(copy.sources.missing).toEqual({ type: 'geojson', promoteId: 'id', data: fc });
    expect(asked).toEqual(['missing']);
  });

  it('does not touch the live style (its objects are frozen here)', async () => {
    const live = style();
    const { map } = fakeMap(live, { missing: fc });
    await expect(copyStyle(map)).resolves.toBeDefined();
    expect(live.center).toEqual([0, 0]);
    expect(live.sources.missing).toEqual({ type: 'geojson', promoteId: 'id' });
  });

  it('says so when the map has no style yet', async () => {
    await expect(copyStyle(fakeMap(undefined).map)).rejects.toThrow(/after its load event/);
  });
});
