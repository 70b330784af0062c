import { describe, expect, it } from 'vitest';
import { Store, initialState, type Selection } from '../store.ts';
import { SheetController } from './sheet.ts';

const pick = (fly: boolean): Selection => ({ layerId: 'parks', featureId: 'p1', properties: {}, lngLat: [122.2, 30], ...(fly ? { fly } : {}) });

function setUp(narrow: boolean) {
  const store = new Store(initialState({ panelOpen: true }));
  const media = { matches: narrow };
  const sheet = new SheetController(store, { narrow: media });
  return { store, media, sheet };
}

describe('SheetController', () => {
  it('folds the sheet on a narrow screen when a pick from a list flies to a feature', () => {
    const { store } = setUp(true);
    store.select(pick(true));
    expect(store.state.panelOpen).toBe(false);
  });

  it('leaves the panel alone for a click on the map, on a wide screen, and after it was reopened', () => {
    const { store, media } = setUp(true);
    store.select(pick(false));
    expect(store.state.panelOpen).toBe(true);
    store.select(pick(true));
    store.setPanelOpen(true);
    // Other changes while that popup stays open are no new pick.
    store.setLang('en');
    expect(store.state.panelOpen).toBe(true);
    media.matches = false;
    store.select(pick(true));
    expect(store.state.panelOpen).toBe(true);
  });

  it('stops listening once disposed', () => {
    const { store, sheet } = setUp(true);
    sheet.dispose();
    store.select(pick(true));
    expect(store.state.panelOpen).toBe(true);
  });
});
