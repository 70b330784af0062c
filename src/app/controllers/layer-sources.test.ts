import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseCatalogue, type Catalogue, type LayerEntry } from '../../data/catalogue.ts';
import type { LonLatBounds } from '../viewport-loader.ts';
import { Store, type LayerState } from '../store.ts';
import { LayerSources, type ViewportSource } from './layer-sources.ts';
import { SelectionController } from './selection.ts';

const DATA = join(import.meta.dirname, '../../../data');
const CATALOGUE_URL = 'http://map.test/data/catalogue.json';
const catalogueText = readFileSync(join(DATA, 'catalogue.json'), 'utf8');
const catalogue = parseCatalogue(JSON.parse(catalogueText));

const urlOf = (input: RequestInfo | URL): string => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

/**
 * A fetch serving `data/` from disk under http://map.test/data/, with files replaced or
 * removed (`undefined`: 404) by path; records every path asked for.
 */
function dataFetch(overrides: Record<string, Uint8Array | string | undefined> = {}) {
  const asked: string[] = [];
  const doFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    init?.signal?.throwIfAborted();
    const url = new URL(urlOf(input));
    const path = url.pathname.replace(/^\/data\//, '');
    asked.push(path);
    let body: Uint8Array | string | undefined;
    if (path in overrides) body = overrides[path];
    else {
      try {
        body = new Uint8Array(readFileSync(join(DATA, path)));
      } catch {
        body = undefined;
      }
    }
    if (body === undefined) return new Response('not found', { status: 404 });
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    return new Response(bytes.slice(), { status: 200, headers: { 'content-length': String(bytes.length) } });
  }) as typeof fetch;
  return { fetch: doFetch, asked };
}

/** Every status each layer went through, in order, repeats dropped. */
function recordStatuses(store: Store): Record<string, LayerState['status'][]> {
  const seen: Record<string, LayerState['status'][]> = {};
  store.subscribe((s) => {
    for (const [id, l] of Object.entries(s.layers)) {
      const list = (seen[id] ??= []);
      if (list.at(-1) !== l.status) list.push(l.status);
    }
  });
  return seen;
}

/** A viewport source that records what it is told. */
class RecordingSource implements ViewportSource {
  calls: Array<['update', LonLatBounds] | ['refresh'] | ['dispose']> = [];
  readonly settled = Promise.resolve();
  constructor(readonly entry: LayerEntry, readonly url: string) {}
  update(bounds: LonLatBounds): void {
    this.calls.push(['update', bounds]);
  }
  refresh(): void {
    this.calls.push(['refresh']);
  }
  dispose(): void {
    this.calls.push(['dispose']);
  }
}

/** The real catalogue with one more layer, `big`, above the viewport threshold (and `mid`, below it). */
function withViewportLayer(): { catalogue: Catalogue; text: string } {
  const big: LayerEntry = {
    id: 'big', group: 'reference', name: { zh: '大', en: 'Big' }, file: 'large/big.fgb', geometry: 'Point',
    bytes: 5_000_000, visible: false, style: { color: '#000' }, fields: [],
  };
  const mid: LayerEntry = { ...big, id: 'mid', file: 'layers/parks.fgb', bytes: 4_000_000, visible: true };
  const cat: Catalogue = { ...catalogue, viewport: { thresholdBytes: 4_000_000 }, layers: [...catalogue.layers, big, mid] };
  return { catalogue: cat, text: JSON.stringify(cat) };
}

function setUpViewport(options: { viewportSource?: (e: LayerEntry, url: string) => Promise<ViewportSource> } = {}) {
  const { text } = withViewportLayer();
  const { fetch } = dataFetch({ 'catalogue.json': text });
  const store = new Store();
  const made: RecordingSource[] = [];
  const sources = new LayerSources(store, {
    catalogueUrl: CATALOGUE_URL,
    fetch,
    viewportSource: async (s, entry, url) => {
      expect(s).toBe(store);
      if (options.viewportSource) return options.viewportSource(entry, url);
      const src = new RecordingSource(entry, url);
      made.push(src);
      return src;
    },
  });
  return { store, sources, made };
}

const B1: LonLatBounds = [122.1, 29.95, 122.2, 30.0];
const B2: LonLatBounds = [122.15, 29.97, 122.25, 30.02];

describe('LayerSources', () => {
  it('takes every layer of the real catalogue from loading to ready with its feature count, and the basemap too', async () => {
    const { fetch } = dataFetch();
    const store = new Store();
    const statuses = recordStatuses(store);
    const sources = new LayerSources(store, { catalogueUrl: CATALOGUE_URL, fetch });
    await sources.ready;
    expect(store.state.catalogueError).toBeNull();
    expect(store.state.catalogue?.layers.map((l) => l.id)).toEqual(catalogue.layers.map((l) => l.id));
    for (const entry of catalogue.layers) {
      expect(statuses[entry.id], entry.id).toEqual(['loading', 'ready']);
      const layer = store.state.layers[entry.id]!;
      expect(layer).toMatchObject({ status: 'ready', error: null, progress: 1, visible: entry.visible });
      expect(layer.count).toBe(store.state.data[entry.id]!.features.length);
      // The catalogue's count is what the file holds.
      expect(layer.count, entry.id).toBe(entry.featureCount);
    }
    expect(Object.keys(store.state.basemapData).sort()).toEqual(['land', 'places', 'roads']);
    expect(sources.loaders.size).toBe(0);
    sources.dispose();
  });

  it('shows the layers a link names instead of the catalogue’s defaults', async () => {
    const { fetch } = dataFetch();
    const store = new Store();
    const sources = new LayerSources(store, { catalogueUrl: CATALOGUE_URL, fetch, visibleLayers: ['grid-cells'] });
    await sources.ready;
    expect(Object.entries(store.state.layers).filter(([, l]) => l.visible).map(([id]) => id)).toEqual(['grid-cells']);
    sources.dispose();
  });

  it('marks a missing and a corrupt file on their own rows, naming the file, while the others load', async () => {
    const parks = new Uint8Array(readFileSync(join(DATA, 'layers/parks.fgb')));
    const { fetch } = dataFetch({
      'layers/idle-plots.fgb': undefined,
      // Cut inside its features: the header is sound, the rest is not there.
      'layers/parks.fgb': parks.subarray(0, Math.floor(parks.length * 0.6)),
      'layers/car-parks.fgb': '<html>this is not a FlatGeobuf file</html>'.repeat(4),
    });
    const store = new Store();
    const statuses = recordStatuses(store);
    const sources = new LayerSources(store, { catalogueUrl: CATALOGUE_URL, fetch });
    await sources.ready;
    const broken = ['idle-plots', 'parks', 'car-parks'];
    for (const id of broken) {
      expect(store.state.layers[id]!.status, id).toBe('error');
      expect(statuses[id]).toEqual(['loading', 'error']);
      expect(store.state.data[id]).toBeUndefined();
    }
    expect(store.state.layers['idle-plots']!.error).toMatch(/idle-plots\.fgb.*404/);
    expect(store.state.layers.parks!.error).toMatch(/parks\.fgb is truncated/);
    expect(store.state.layers['car-parks']!.error).toMatch(/car-parks\.fgb is not a FlatGeobuf file/);
    for (const entry of catalogue.layers.filter((l) => !broken.includes(l.id))) {
      expect(store.state.layers[entry.id], entry.id).toMatchObject({ status: 'ready', error: null, count: entry.featureCount });
    }
    expect(store.state.catalogueError).toBeNull();
    sources.dispose();
  });

  it.each<[string, Record<string, string | undefined>, RegExp]>([
    ['missing', { 'catalogue.json': undefined }, /catalogue\.json could not be loaded \(HTTP 404\)/],
    ['not JSON', { 'catalogue.json': '{"version": 1, "layers": [' }, /catalogue\.json is not valid JSON/],
    ['not a catalogue', { 'catalogue.json': JSON.stringify({ ...JSON.parse(catalogueText), version: 7 }) }, /catalogue\.json: unsupported version 7/],
  ])('says why when the catalogue is %s, and loads no layer', async (_, overrides, why) => {
    const { fetch, asked } = dataFetch(overrides);
    const store = new Store();
    const sources = new LayerSources(store, { catalogueUrl: CATALOGUE_URL, fetch });
    await sources.ready;
    expect(store.state.catalogueError).toMatch(why);
    expect(store.state.catalogue).toBeNull();
    expect(store.state.layers).toEqual({});
    expect(asked).toEqual(['catalogue.json']);
    sources.dispose();
  });

  it('makes a viewport source, by the catalogue’s threshold, for a layer above it only, and downloads nothing of it', async () => {
    const { text } = withViewportLayer();
    const { fetch, asked } = dataFetch({ 'catalogue.json': text });
    const store = new Store();
    const made: RecordingSource[] = [];
    const sources = new LayerSources(store, {
      catalogueUrl: CATALOGUE_URL,
      fetch,
      viewportSource: async (_s, entry, url) => {
        const src = new RecordingSource(entry, url);
        made.push(src);
        return src;
      },
    });
    await sources.ready;
    expect(made.map((m) => [m.entry.id, m.url])).toEqual([['big', 'http://map.test/data/large/big.fgb']]);
    expect([...sources.loaders.keys()]).toEqual(['big']);
    expect(sources.loaders.get('big')).toBe(made[0]);
    expect(asked).not.toContain('large/big.fgb');
    // At the threshold exactly: downloaded whole.
    expect(store.state.layers.mid).toMatchObject({ status: 'ready', count: 64 });
    // No view yet: nothing to query.
    expect(made[0]!.calls).toEqual([]);
    sources.dispose();
  });

  it('tells the viewport source every settled view whose bounds changed, and only those', async () => {
    const { store, sources, made } = setUpViewport();
    await sources.ready;
    const src = made[0]!;
    store.setView({ center: [122.15, 29.97], zoom: 13, bounds: B1 });
    expect(src.calls).toEqual([['update', B1]]);
    // The same view reported again, and a view still moving (no bounds): nothing new.
    store.setView({ center: [122.15, 29.97], zoom: 13, bounds: [...B1] });
    store.setView({ center: [122.16, 29.97], zoom: 13 });
    expect(src.calls).toEqual([['update', B1]]);
    store.setView({ center: [122.2, 30], zoom: 13, bounds: B2 });
    expect(src.calls).toEqual([['update', B1], ['update', B2]]);
    // Changes that are not the view or the layer's visibility are not its business.
    store.setLang('en');
    store.setLayerVisible('parks', false);
    store.select(null);
    expect(src.calls).toHaveLength(2);
    sources.dispose();
  });

  it('starts the viewport source on the view the map settled on before it was made', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const made: RecordingSource[] = [];
    let asked = 0;
    const { store, sources } = setUpViewport({
      viewportSource: async (entry, url) => {
        asked++;
        await gate;
        const src = new RecordingSource(entry, url);
        made.push(src);
        return src;
      },
    });
    await vi.waitFor(() => expect(asked).toBe(1));
    store.setView({ center: [122.15, 29.97], zoom: 13, bounds: B1 });
    store.setView({ center: [122.2, 30], zoom: 13, bounds: B2 });
    release();
    await sources.ready;
    expect(made[0]!.calls).toEqual([['update', B2]]);
    sources.dispose();
  });

  it.each<[string, (store: Store) => void | Promise<void>]>([
    ['the layer list (setLayerVisible)', (store) => store.setLayerVisible('big', true)],
    ['a link (setVisibleLayers)', (store) => store.setVisibleLayers(['big', 'parks'])],
    ['a pick in the table (SelectionController.rowSelect)', async (store) => {
      const status = { mode: 'features', loading: false, inView: 1, total: 1, bytes: 100 } as const;
      store.viewportUpdate('big', { status, data: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'b1' }, geometry: { type: 'Point', coordinates: [122.15, 29.97] } }] } });
      await new SelectionController(store, { representativePoint: async () => [122.15, 29.97] }).rowSelect('big', 'b1', false);
    }],
  ])('refreshes the viewport source when its layer is switched on or off by %s', async (_, switchOn) => {
    const { store, sources, made } = setUpViewport();
    await sources.ready;
    const src = made[0]!;
    store.setView({ center: [122.15, 29.97], zoom: 13, bounds: B1 });
    expect(store.state.layers.big!.visible).toBe(false);
    await switchOn(store);
    expect(store.state.layers.big!.visible).toBe(true);
    expect(src.calls).toEqual([['update', B1], ['refresh']]);
    // Other layers switching leave it alone.
    store.setLayerVisible('idle-plots', false);
    store.setVisibleLayers(['big', 'idle-plots']);
    expect(src.calls).toEqual([['update', B1], ['refresh']]);
    store.setVisibleLayers([]);
    expect(src.calls).toEqual([['update', B1], ['refresh'], ['refresh']]);
    sources.dispose();
  });

  it('dispose() disposes the viewport sources and stops reacting to the store', async () => {
    const { store, sources, made } = setUpViewport();
    await sources.ready;
    const src = made[0]!;
    sources.dispose();
    expect(src.calls).toEqual([['dispose']]);
    expect(sources.loaders.size).toBe(0);
    store.setView({ center: [122.15, 29.97], zoom: 13, bounds: B1 });
    store.setLayerVisible('big', true);
    expect(src.calls).toEqual([['dispose']]);
  });

  it('disposes a viewport source that is made after dispose() and keeps none', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const made: RecordingSource[] = [];
    let asked = 0;
    const { store, sources } = setUpViewport({
      viewportSource: async (entry, url) => {
        asked++;
        await gate;
        const src = new RecordingSource(entry, url);
        made.push(src);
        return src;
      },
    });
    store.setView({ center: [122.15, 29.97], zoom: 13, bounds: B1 });
    await vi.waitFor(() => expect(asked).toBe(1));
    sources.dispose();
    release();
    await sources.ready;
    expect(made).toHaveLength(1);
    expect(made[0]!.calls).toEqual([['dispose']]);
    expect(sources.loaders.size).toBe(0);
  });

  it('marks the layer as failed when its viewport source cannot be made', async () => {
    const { store, sources } = setUpViewport({
      viewportSource: async () => {
        throw new Error('big.fgb could not be opened (HTTP 500)');
      },
    });
    await sources.ready;
    expect(store.state.layers.big).toMatchObject({ status: 'error', error: 'big.fgb could not be opened (HTTP 500)' });
    expect(sources.loaders.size).toBe(0);
    sources.dispose();
  });

  it('after dispose() a layer still downloading is not put in the store', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { fetch: inner } = dataFetch();
    const slow = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (urlOf(input).endsWith('.fgb')) await gate;
      return inner(input, init);
    }) as typeof fetch;
    const store = new Store();
    const sources = new LayerSources(store, { catalogueUrl: CATALOGUE_URL, fetch: slow });
    await vi.waitFor(() => expect(store.state.catalogue).not.toBeNull());
    sources.dispose();
    release();
    await sources.ready;
    expect(store.state.data).toEqual({});
    expect(Object.values(store.state.layers).every((l) => l.status === 'loading' && l.error === null)).toBe(true);
  });
});
