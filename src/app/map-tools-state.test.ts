import { describe, expect, it } from 'vitest';
import type { LineString } from 'geojson';
import { Store } from './store.ts';

const line: LineString = { type: 'LineString', coordinates: [[122.2, 30], [122.21, 30]] };

describe('store: the map tools’ state', () => {
  it('keeps a finished measurement when the tool is put away, and drops one still being drawn', () => {
    const store = new Store();
    store.setTool('measure-line');
    store.setMeasurement({ kind: 'line', value: 10, geometry: line, drawing: true });
    store.setTool('none');
    expect(store.state.measurement).toBeNull();
    store.setMeasurement({ kind: 'line', value: 10, drawing: false });
    store.setTool('none');
    expect(store.state.measurement?.value).toBe(10);
    // A new measuring starts afresh.
    store.setTool('measure-area');
    expect(store.state.measurement).toBeNull();
  });

  it('shows either the list of hits or a popup, never both', () => {
    const store = new Store();
    store.select({ layerId: 'parks', featureId: 'p1', properties: {}, lngLat: [122.2, 30] });
    store.showHits({ lngLat: [122.2, 30], hits: [{ layerId: 'parks', featureId: 'p1' }, { layerId: 'communities', featureId: 'c1' }] });
    expect(store.state.selection).toBeNull();
    expect(store.state.hitList?.hits).toHaveLength(2);
    store.select({ layerId: 'parks', featureId: 'p1', properties: {}, lngLat: [122.2, 30] });
    expect(store.state.hitList).toBeNull();
    expect(store.state.selection?.featureId).toBe('p1');
  });

  it('sorts the cells below target: the same column again flips the direction, another starts ascending', () => {
    const store = new Store();
    expect(store.state.belowTarget).toEqual({ target: 0.8, sort: 'share', dir: 'asc' });
    store.setBelowTarget({ sort: 'share' });
    expect(store.state.belowTarget.dir).toBe('desc');
    store.setBelowTarget({ target: 0.9 });
    expect(store.state.belowTarget).toEqual({ target: 0.9, sort: 'share', dir: 'desc' });
    store.setBelowTarget({ sort: 'district' });
    expect(store.state.belowTarget).toEqual({ target: 0.9, sort: 'district', dir: 'asc' });
  });
});
