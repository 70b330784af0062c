import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseCatalogue } from '../data/catalogue.ts';
import { Store, initialState } from './store.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../data/catalogue.json'), 'utf8')));

describe('store', () => {
  it('starts each catalogue layer loading with its default visibility, or the URL’s', () => {
    const s = new Store();
    s.setCatalogue(catalogue);
    expect(s.state.layers['idle-plots']).toMatchObject({ status: 'loading', visible: true, count: 58 });
    expect(s.state.layers['grid-cells']!.visible).toBe(false);
    const t = new Store();
    t.setCatalogue(catalogue, ['grid-cells']);
    expect(t.state.layers['grid-cells']!.visible).toBe(true);
    expect(t.state.layers['idle-plots']!.visible).toBe(false);
  });

  it('notifies subscribers with the new and previous state, and never mutates the old one', () => {
    const s = new Store(Object.freeze(initialState()));
    s.setCatalogue(catalogue);
    const before = s.state;
    const seen = vi.fn();
    s.subscribe(seen);
    s.layerFailed('parks', 'parks.fgb is truncated');
    expect(seen).toHaveBeenCalledWith(s.state, before);
    expect(before.layers.parks!.status).toBe('loading');
    expect(s.state.layers.parks).toMatchObject({ status: 'error', error: 'parks.fgb is truncated' });
    // The other layers are untouched by one failure.
    expect(s.state.layers['idle-plots']).toBe(before.layers['idle-plots']);
  });

  it('records loaded data with its count, and ignores unknown layers', () => {
    const s = new Store();
    s.setCatalogue(catalogue);
    s.layerLoaded('car-parks', { type: 'FeatureCollection', features: [] }, 2);
    expect(s.state.layers['car-parks']).toMatchObject({ status: 'ready', count: 0, skipped: 2 });
    const before = s.state;
    s.layerLoaded('nope', { type: 'FeatureCollection', features: [] });
    expect(s.state).toBe(before);
  });

  it('does not notify when the view has not changed', () => {
    const s = new Store();
    const seen = vi.fn();
    s.subscribe(seen);
    s.setView({ ...s.state.view });
    expect(seen).not.toHaveBeenCalled();
  });
  it('delivers a change made inside a listener after the current round: no listener sees one change twice, nor time going back', () => {
    const s = new Store();
    const seen: { who: string; tab: string; prevTab: string }[] = [];
    s.subscribe((st, prev) => {
      seen.push({ who: 'a', tab: st.tab, prevTab: prev.tab });
      // A listener that reacts by dispatching, as controllers do.
      if (st.tab === 'dashboard') s.setTab('analysis');
    });
    s.subscribe((st, prev) => seen.push({ who: 'b', tab: st.tab, prevTab: prev.tab }));
    s.setTab('dashboard');
    expect(seen).toEqual([
      { who: 'a', tab: 'dashboard', prevTab: 'layers' },
      { who: 'b', tab: 'dashboard', prevTab: 'layers' },
      { who: 'a', tab: 'analysis', prevTab: 'dashboard' },
      { who: 'b', tab: 'analysis', prevTab: 'dashboard' },
    ]);
    expect(s.state.tab).toBe('analysis');
  });

  it('keeps delivering to the other listeners when one throws, and the error still surfaces', async () => {
    const s = new Store();
    const errors: unknown[] = [];
    const onError = (e: unknown): void => void errors.push(e);
    process.on('uncaughtException', onError);
    try {
      s.subscribe(() => {
        throw new Error('broken listener');
      });
      const other = vi.fn();
      s.subscribe(other);
      s.setTab('dashboard');
      expect(other).toHaveBeenCalledTimes(1);
      await new Promise((r) => setTimeout(r, 0));
      expect(errors).toHaveLength(1);
    } finally {
      process.off('uncaughtException', onError);
    }
  });

  it('does not call a listener unsubscribed during the round', () => {
    const s = new Store();
    const later = vi.fn();
    let stop = (): void => undefined;
    s.subscribe(() => stop());
    stop = s.subscribe(later);
    s.setTab('dashboard');
    expect(later).not.toHaveBeenCalled();
  });
  it('moves a layer within its group of the list, and keeps opacities between 0 and 1', () => {
    const s = new Store();
    s.setCatalogue(catalogue);
    s.moveLayer('ebike-stations', 'up');
    const order = s.state.layerOrder!;
    expect(order.indexOf('ebike-stations')).toBe(catalogue.layers.findIndex((l) => l.id === 'ebike-stations') - 1);
    // The first reference layer does not jump into the programme group.
    const before = s.state.layerOrder;
    s.moveLayer('communities', 'up');
    expect(s.state.layerOrder).toBe(before);
    s.setLayerOpacity('parks', 1.7);
    s.setLayerOpacity('waterlogging', Number.NaN);
    expect(s.state.layerOpacity).toEqual({ parks: 1, waterlogging: 1 });
  });

  it('drops the emphasised features when the filters change', () => {
    const s = new Store();
    s.setHighlight({ layerId: 'parks', ids: ['p1'] });
    s.setFilter('parks', 'status', { field: 'status', kind: 'values', values: ['upgraded'] });
    expect(s.state.highlight).toBeNull();
  });
});
