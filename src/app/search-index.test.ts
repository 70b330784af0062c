import type { Feature, FeatureCollection } from 'geojson';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Catalogue, LayerEntry } from '../data/catalogue.ts';
import { syllables as readPinyin } from './pinyin.ts';
import { SearchIndex, type IndexInput } from './search-index.ts';

const layer = (id: string, group: LayerEntry['group'] = 'programme'): LayerEntry => ({
  id, group, name: { zh: id, en: id }, file: `layers/${id}.fgb`, geometry: 'Point', visible: true, style: { color: '#000' }, fields: [],
});
const feat = (id: string, name: string, nameEn = ''): Feature => ({ type: 'Feature', properties: { id, name, name_en: nameEn }, geometry: { type: 'Point', coordinates: [122.1, 30] } });
const fc = (...features: Feature[]): FeatureCollection => Object.freeze({ type: 'FeatureCollection', features: Object.freeze(features) as Feature[] });
const catalogue = { layers: [layer('parks'), layer('cells', 'reference')] } as unknown as Catalogue;
const parks = fc(feat('p1', '沈家门公园', 'Shenjiamen Park'), feat('p2', '定海公园', 'Dinghai Park'));
const cells = fc(feat('g1', '沈家门网格01', 'Shenjiamen grid 01'));
const input = (data: Record<string, FeatureCollection>): IndexInput => ({ catalogue, data, places: undefined });
/** Pinyin as the worker gives it: later. */
const syllables = async (runs: string[]): Promise<string[][]> => readPinyin(runs);
const ids = (ix: SearchIndex, q: string, pub = false): string[] => ix.search(q, { public: pub }).map((e) => e.id);

/** The pinyin function, counting the runs it was asked for. */
function countingPinyin() {
  const asked: string[] = [];
  return { asked, syllables: async (runs: string[]) => (asked.push(...runs), syllables(runs)) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SearchIndex', () => {
  it('needs a pinyin function', () => {
    expect(() => new SearchIndex(undefined as never)).toThrow('syllables is required');
  });

  it('builds on the first update, and an update with the same data has nothing to do', async () => {
    const ix = new SearchIndex({ syllables });
    expect(ix.built).toBe(false);
    const data = { parks };
    const p = ix.update(input(data));
    expect(p).toBeInstanceOf(Promise);
    // A second update while the first runs waits for the same work.
    expect(ix.update(input(data))).toBe(p);
    await p;
    expect(ix.built).toBe(true);
    expect(ix.update(input(data))).toBeNull();
    expect(ids(ix, 'sjm')).toEqual(['p1']);
  });

  it('rebuilds only the layer whose collection changed, and asks pinyin only for new text', async () => {
    const pinyin = countingPinyin();
    const ix = new SearchIndex(pinyin);
    await ix.update(input({ parks, cells }));
    expect(new Set(pinyin.asked)).toEqual(new Set(['沈家门公园', '定海公园', '沈家门网格']));
    pinyin.asked.length = 0;
    const parks2 = fc(feat('p3', '临城公园', 'Lincheng Park'), feat('p2', '定海公园', 'Dinghai Park'));
    await ix.update(input({ parks: parks2, cells }));
    expect(pinyin.asked).toEqual(['临城公园']);
    expect(ids(ix, '公园').sort()).toEqual(['p2', 'p3']);
    expect(ids(ix, 'shenjiamen')).toEqual(['g1']);
    expect(ix.size).toBe(3);
  });

  it('drops a layer that is gone', async () => {
    const ix = new SearchIndex({ syllables });
    await ix.update(input({ parks, cells }));
    await ix.update(input({ parks }));
    expect(ids(ix, '网格')).toEqual([]);
    expect(ix.size).toBe(2);
  });

  it('answers from the documents it had while a layer is rebuilt, then from the new ones, never both', async () => {
    let release: () => void = () => undefined;
    let hold = false;
    const ix = new SearchIndex({
      syllables,
      sliceMs: 0,
      yieldToPage: () => (hold ? new Promise<void>((r) => (release = r)) : Promise.resolve()),
    });
    await ix.update(input({ parks }));
    hold = true;
    const p = ix.update(input({ parks: fc(feat('p1', '沈家门公园二期', 'Shenjiamen Park II')) }))!;
    // Mid-build: the old documents answer, once each.
    expect(ids(ix, '公园').sort()).toEqual(['p1', 'p2']);
    expect(ix.search('公园').find((e) => e.id === 'p1')!.name).toBe('沈家门公园');
    hold = false;
    release();
    await p;
    expect(ix.search('公园').map((e) => e.name)).toEqual(['沈家门公园二期']);
  });

  it('gives the page a turn whenever a slice of work has taken its time', async () => {
    const many = fc(...Array.from({ length: 20 }, (_, i) => feat(`p${i}`, `公园${i}`)));
    const turns = async (sliceMs: number): Promise<number> => {
      let t = 0;
      const yieldToPage = vi.fn(async () => undefined);
      // Every look at the clock is a millisecond later: a slice of 1 ms ends after every step.
      await new SearchIndex({ syllables, yieldToPage, now: () => t++, sliceMs }).update(input({ parks: many }));
      return yieldToPage.mock.calls.length;
    };
    // Reading, then indexing, each of the 20 documents is a step.
    expect(await turns(1)).toBeGreaterThanOrEqual(40);
    expect(await turns(1e9)).toBe(0);
  });

  it('still finds Chinese and Latin names when pinyin fails, and asks again on the next rebuild', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let fail = true;
    const ix = new SearchIndex({ syllables: async (runs) => (fail ? Promise.reject(new Error('worker gone')) : syllables(runs)) });
    await ix.update(input({ parks }));
    expect(warn).toHaveBeenCalled();
    expect(ids(ix, '沈家门')).toEqual(['p1']);
    expect(ids(ix, 'dinghai')).toEqual(['p2']);
    expect(ids(ix, 'sjm')).toEqual([]);
    fail = false;
    await ix.update(input({ parks: fc(...parks.features) }));
    expect(ids(ix, 'sjm')).toEqual(['p1']);
  });

  it('leaves out reference layers for the public view', async () => {
    const ix = new SearchIndex({ syllables });
    await ix.update(input({ parks, cells }));
    expect(ids(ix, 'shenjiamen')).toEqual(['p1', 'g1']);
    expect(ids(ix, 'shenjiamen', true)).toEqual(['p1']);
  });
});
