import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { parseCatalogue } from '../../data/catalogue.ts';
import { loadProjector } from '../../crs/load-projector.ts';
import { Store } from '../store.ts';
import { SelectionController } from './selection.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../../data/catalogue.json'), 'utf8')));
const square = (x: number, y: number, properties: Record<string, unknown>, d = 0.01): Feature<Polygon> => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d * 2], [x, y + d], [x, y]]] },
});
const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });

function setUp() {
  const store = new Store();
  store.setCatalogue(catalogue);
  const ctl = new SelectionController(store, { loadProjector });
  return { store, ctl };
}

describe('SelectionController: the map tools', () => {
  it('fits a grid cell picked from the list of cells below target, and outlines it', () => {
    const { store, ctl } = setUp();
    store.layerLoaded('grid-cells', fc([square(122.1, 30, { id: 'G1' }), square(122.2, 30, { id: 'G2' })]));
    ctl.focusCell('G2');
    const bbox = (store.state.camera as { bbox: number[] }).bbox;
    [122.2, 30, 122.21, 30.02].forEach((v, i) => expect(bbox[i]).toBeCloseTo(v, 12));
    expect(store.state.coverageCell).toBe('G2');
    ctl.focusCell('nope');
    expect(store.state.coverageCell).toBe('G2');
  });

  it('opens the popup of a feature picked from the list of hits, where the click was', () => {
    const { store, ctl } = setUp();
    store.layerLoaded('parks', fc([square(122.1, 30, { id: 'p1', name: '公园' })]));
    store.showHits({ lngLat: [122.105, 30.005], hits: [{ layerId: 'parks', featureId: 'p1' }, { layerId: 'communities', featureId: 'c1' }] });
    ctl.pickHit('parks', 'p1');
    expect(store.state.selection).toEqual({ layerId: 'parks', featureId: 'p1', properties: { id: 'p1', name: '公园' }, lngLat: [122.105, 30.005] });
    expect(store.state.picked).toEqual({ layerId: 'parks', ids: ['p1'] });
    expect(store.state.hitList).toBeNull();
  });

  it('goes to a typed coordinate, degrees or Gauss–Krüger, and leaves a marker; refuses what is not one', async () => {
    const { store, ctl } = setUp();
    expect(await ctl.goto('30.0, 122.2')).toBe(true);
    expect(store.state.gotoMarker).toEqual([122.2, 30]);
    expect(store.state.camera).toEqual({ center: [122.2, 30], zoom: 16 });
    expect(await ctl.goto('423089.93 3319050.54')).toBe(true);
    const [lng, lat] = store.state.gotoMarker!;
    expect(lng).toBeCloseTo(122.203, 6);
    expect(lat).toBeCloseTo(29.988, 6);
    const before = store.state.camera;
    expect(await ctl.goto('舟山')).toBe(false);
    expect(store.state.camera).toBe(before);
  });

  it('lets the newest typed coordinate win over one still projecting', async () => {
    const store = new Store();
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const ctl = new SelectionController(store, {
      loadProjector: async (from, to) => {
        await slow;
        return loadProjector(from, to);
      },
    });
    const first = ctl.goto('423089.93 3319050.54');
    expect(await ctl.goto('122.25 29.95')).toBe(true);
    release();
    expect(await first).toBe(false);
    expect(store.state.gotoMarker).toEqual([122.25, 29.95]);
  });
});
