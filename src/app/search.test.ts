/**
 * Search over the demo data (data/), as a resident or a planner types: the queries of
 * issue 11, pinyin and its initials, typos, districts, the public view; and over a small
 * index, ids, folding and hostile input. Prints the index build time and the time per
 * query (measured, not asserted: the machine is shared).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCatalogue, type Catalogue, type LayerEntry } from '../data/catalogue.ts';
import { readFgb } from '../data/fgb/read-fgb.ts';
import { syllables } from './pinyin.ts';
import { SearchIndex, type SearchOptions } from './search-index.ts';
import { isSearchable, type SearchEntry } from './search.ts';

const root = join(import.meta.dirname, '../../data');

async function readLayer(file: string): Promise<FeatureCollection> {
  const features: Feature[] = [];
  for await (const f of readFgb(new Uint8Array(readFileSync(join(root, file))))) features.push(f);
  return { type: 'FeatureCollection', features };
}

const pinyin = async (runs: string[]): Promise<string[][]> => syllables(runs);

describe('isSearchable', () => {
  it('needs two characters, or one Chinese character', () => {
    expect([isSearchable('d'), isSearchable(' 7 '), isSearchable('沈'), isSearchable('di'), isSearchable('𠀋'), isSearchable(''), isSearchable('Ｄ')]).toEqual([false, false, true, true, true, false, false]);
    expect(isSearchable(undefined as unknown as string)).toBe(false);
  });
});

describe('search over the demo data', () => {
  let catalogue: Catalogue;
  let data: Record<string, FeatureCollection>;
  let index: SearchIndex;
  const key = (e: SearchEntry): string => `${e.layerId ?? e.kind}:${e.id}`;
  const props = new Map<string, Record<string, unknown>>();
  const find = (q: string, options: SearchOptions = {}): SearchEntry[] => index.search(q, options);
  const district = (e: SearchEntry): unknown => props.get(key(e))?.district;

  beforeAll(async () => {
    catalogue = parseCatalogue(JSON.parse(readFileSync(join(root, 'catalogue.json'), 'utf8')));
    data = {};
    for (const l of catalogue.layers) data[l.id] = await readLayer(l.file);
    for (const l of catalogue.layers) for (const f of data[l.id]!.features) props.set(`${l.id}:${String(f.properties!.id)}`, f.properties!);
    const places = await readLayer(catalogue.basemap.places);
    // pinyin-pro reads its dictionary on first use; that is the worker's start-up, not the build.
    syllables(['沈家门']);
    // The longest stretch between two turns given to the page is what typing could wait for;
    // in CPU time too, since on a busy machine the wall clock also counts other processes' turns.
    let longest = 0;
    let longestCpu = 0;
    let resumed = performance.now();
    let resumedCpu = process.cpuUsage();
    let turns = 0;
    const stretchEnds = (): void => {
      longest = Math.max(longest, performance.now() - resumed);
      const c = process.cpuUsage(resumedCpu);
      longestCpu = Math.max(longestCpu, (c.user + c.system) / 1000);
    };
    const stretchStarts = (): void => {
      resumed = performance.now();
      resumedCpu = process.cpuUsage();
    };
    index = new SearchIndex({
      // In the page pinyin comes from a worker: its time is not the page's.
      syllables: async (runs) => {
        stretchEnds();
        const out = syllables(runs);
        stretchStarts();
        return out;
      },
      yieldToPage: async () => {
        stretchEnds();
        turns++;
        await new Promise((r) => setTimeout(r, 0));
        stretchStarts();
      },
    });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await index.update({ catalogue, data, places });
    stretchEnds();
    const cpu = process.cpuUsage(cpu0);
    const features = Object.values(data).reduce((n, fc) => n + fc.features.length, 0);
    console.log(
      `search index: ${index.size} documents (${features} features, ${places.features.length} places, 3 districts) built in ` +
        `${(performance.now() - t0).toFixed(0)} ms (${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, pinyin included), ` +
        `${turns} turns given to the page, longest slice ${longest.toFixed(1)} ms (${longestCpu.toFixed(1)} ms CPU)`,
    );
  });

  it('"沈家门 公园" and "沈家门公园" find the parks of Shenjiamen first', () => {
    const shenjiamenParks = data.parks!.features.filter((f) => /^沈家门.*公园/.test(String(f.properties!.name))).map((f) => `parks:${String(f.properties!.id)}`);
    expect(shenjiamenParks.length).toBe(10);
    for (const q of ['沈家门 公园', '沈家门公园']) {
      const r = find(q);
      expect(r.slice(0, shenjiamenParks.length).map(key).sort(), q).toEqual([...shenjiamenParks].sort());
      // Whatever follows is in Shenjiamen too: nothing matches by a stray character.
      for (const e of r) expect(`${e.name}`, q).toMatch(/沈家门/);
    }
  });

  it('"普陀" finds the Putuo district first, then what lies in it', () => {
    const r = find('普陀');
    expect(r[0]).toMatchObject({ kind: 'district', id: 'putuo', name: '普陀区', nameEn: 'Putuo District' });
    expect(r.length).toBe(20);
    for (const e of r.slice(1)) expect(district(e), e.name).toBe('putuo');
    // The district's extent is that of its grid cells, which the map zooms to.
    const cells = data['grid-cells']!.features.filter((f) => f.properties!.district === 'putuo');
    const xs = cells.flatMap((f) => (f.geometry as Extract<Geometry, { type: 'Polygon' }>).coordinates[0]!.map((p) => p[0]!));
    expect(r[0]!.bbox[0]).toBe(Math.min(...xs));
    expect(r[0]!.bbox[2]).toBe(Math.max(...xs));
    expect(find('putuo')[0]).toMatchObject({ kind: 'district', id: 'putuo' });
  });

  it('"sjm" (pinyin initials) and "shenjiamen" (pinyin) find the town of Shenjiamen first', () => {
    for (const q of ['sjm', 'SJM', 'shenjiamen', 'Shenjiamen', 'shen jia men', '沈家门', '沈']) {
      expect(find(q)[0], q).toMatchObject({ kind: 'place', id: 'place-3', name: '沈家门', nameEn: 'Shenjiamen' });
    }
    // Initials of a name further on find its features too.
    expect(find('sjmsqgy').map(key)).toContain('parks:PK-014');
  });

  it('a typo still finds Shenjiamen: "shenjiamn", "shenjaimen", "shengjiamen"', () => {
    for (const q of ['shenjiamn', 'shenjaimen', 'shengjiamen']) expect(find(q)[0], q).toMatchObject({ kind: 'place', id: 'place-3' });
    // Exact matches rank above typo matches: "dinghai" is a place, not a typo of something else.
    expect(find('dinghai')[0]).toMatchObject({ kind: 'place', id: 'place-1' });
  });

  it('"dinghai park" finds parks in Dinghai, those named after it first', () => {
    const r = find('dinghai park', { limit: 100 });
    const named = data.parks!.features.filter((f) => /^Dinghai .*Park/.test(String(f.properties!.name_en))).map((f) => `parks:${String(f.properties!.id)}`);
    expect(named.length).toBeGreaterThan(10);
    expect(r.slice(0, named.length).map(key).sort()).toEqual([...named].sort());
    for (const e of r) expect(district(e), e.nameEn).toBe('dinghai');
    // Parks elsewhere in the district (Baiquan) come after those named Dinghai.
    expect(r.map((e) => e.nameEn)).toContain('Baiquan Community Park 1');
    expect(find('定海 公园')[0]!.name).toMatch(/^定海.*公园/);
  });

  it('places and districts come before features for a short query', () => {
    expect(find('定海').slice(0, 2).map(key)).toEqual(['place:place-1', 'district:dinghai']);
    expect(find('新城')[0]).toMatchObject({ kind: 'district', id: 'xincheng' });
    expect(find('new town')[0]).toMatchObject({ kind: 'district', id: 'xincheng' });
    expect(find('临城')[0]).toMatchObject({ kind: 'place', id: 'place-2' });
    expect(find('baiquan')[0]).toMatchObject({ kind: 'place', id: 'place-4' });
  });

  it('matches roads, and words of a name in any order', () => {
    // Every character counts, in any order (纵十三路 has them too), the words as typed first.
    const r = find('纵三路电单车', { limit: 100 });
    const literal = r.findIndex((e) => !e.name.includes('纵三路电单车'));
    expect(literal).toBeGreaterThan(0);
    for (const e of r.slice(literal)) expect(e.name.includes('纵三路电单车'), e.name).toBe(false);
    for (const e of r) expect(e.name).toMatch(/纵.*三.*路电单车停放点/);
    const road = find('沈家门横三路', { limit: 200 });
    expect(road.length).toBeGreaterThan(5);
    for (const e of road) expect(props.get(key(e))?.road, e.name).toBe('沈家门横三路');
    expect(find('park community lincheng')[0]!.nameEn).toMatch(/^Lincheng Community Park/);
  });

  it('leaves out grid cells and communities in the public view', () => {
    const all = find('沈家门', { limit: 10_000 });
    const pub = find('沈家门', { limit: 10_000, public: true });
    const layersOf = (r: SearchEntry[]): Set<string | null> => new Set(r.map((e) => e.layerId));
    expect(layersOf(all)).toContain('grid-cells');
    expect(layersOf(all)).toContain('communities');
    expect(layersOf(pub)).not.toContain('grid-cells');
    expect(layersOf(pub)).not.toContain('communities');
    expect(pub.length).toBe(all.filter((e) => e.layerId !== 'grid-cells' && e.layerId !== 'communities').length);
    expect(find('网格').length).toBeGreaterThan(0);
    expect(find('网格', { public: true })).toEqual([]);
    // Districts come from the grid cells but are not cells: the public view has them.
    expect(find('普陀', { public: true })[0]).toMatchObject({ kind: 'district', id: 'putuo' });
    // Reference features rank below programme features in the staff view.
    const ranks = all.filter((e) => e.kind === 'feature').map((e) => (e.layerId === 'grid-cells' || e.layerId === 'communities' ? 1 : 0));
    expect(ranks).toEqual([...ranks].sort());
  });

  it('finds ids whole or by their start', () => {
    expect(find('PK-014')[0]).toMatchObject({ layerId: 'parks', id: 'PK-014' });
    expect(find('ip-00').map((e) => e.id).sort()).toEqual(['IP-001', 'IP-002', 'IP-003', 'IP-004', 'IP-005', 'IP-006', 'IP-007', 'IP-008', 'IP-009']);
    expect(find('ＰＫ－０１４')[0]!.id).toBe('PK-014');
  });

  it('measures the time per query', () => {
    const queries = ['沈家门 公园', '沈家门公园', '普陀', 'sjm', 'dinghai park', 'shenjiamn', '沈', 'sh', 'gongyuan', 'PK-014', 'new town'];
    const times = queries.map((q) => {
      const runs = Array.from({ length: 11 }, () => {
        const t0 = performance.now();
        find(q);
        return performance.now() - t0;
      });
      const first = runs.shift()!;
      runs.sort((a, b) => a - b);
      return `${q} ${first.toFixed(1)} / ${runs[5]!.toFixed(1)} ms`;
    });
    console.log(`search per query (first / median of 10 more): ${times.join('; ')}`);
    expect(times.length).toBe(queries.length);
  });
});

describe('SearchIndex over a small index', () => {
  const layer = (id: string, group: LayerEntry['group'] = 'programme'): LayerEntry => ({
    id, group, name: { zh: id, en: id }, file: `layers/${id}.fgb`, geometry: 'Point', visible: true, style: { color: '#000' }, fields: [],
  });
  const feat = (props: Record<string, unknown>): Feature => ({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: [122.1, 30] } });
  const fc = (...features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
  const catalogue = { layers: [layer('plots'), layer('berths')] } as unknown as Catalogue;
  const data = {
    plots: fc(
      feat({ id: 'IP-001', name: '定海纵三路沿线闲置地块1', name_en: 'Dinghai N–S Road 3 idle plot 1' }),
      feat({ id: 'IP-002', name: '临城横一路沿线闲置地块1', name_en: 'Lincheng E–W Road 1 idle plot 1' }),
      feat({ id: 'IP-010', name: '定海纵三路沿线闲置地块10', name_en: 'Dinghai N–S Road 3 idle plot 10' }),
    ),
    berths: fc(
      feat({ id: 'PB-001', name: '纵三路第1段泊位', name_en: 'N–S Road 3 berths 1' }),
      feat({ id: 42, name: '数字编号', name_en: 'Numeric id' }),
      feat({ id: 'odd', name: 'A.*(b)[c] <script>' }),
      feat({ id: 'h4', name: '{{constructor.constructor("x")()}}' }),
    ),
  };
  const places = fc(feat({ id: 'place-1', name: '定海', name_en: 'Dinghai' }));
  let index: SearchIndex;
  const ids = (q: string, limit?: number): string[] => index.search(q, { limit }).map((e) => e.id);

  beforeAll(async () => {
    index = new SearchIndex({ syllables: pinyin });
    await index.update({ catalogue, data, places });
  });

  it('ranks an exact name, then a name prefix, then a name containing every word', () => {
    expect(ids('定海')).toEqual(['place-1', 'IP-001', 'IP-010']);
    expect(ids('纵三路')).toEqual(['PB-001', 'IP-001', 'IP-010']);
    expect(ids('road 3')).toEqual(['PB-001', 'IP-001', 'IP-010']);
  });

  it('finds an exact id first, ids by their start, and a numeric id', () => {
    expect(ids('IP-001')).toEqual(['IP-001']);
    expect(ids('ip-00')).toEqual(['IP-001', 'IP-002']);
    expect(ids('42')[0]).toBe('42');
  });

  it('is case-insensitive and folds full-width forms', () => {
    expect(ids('DINGHAI')).toEqual(ids('dinghai'));
    expect(ids('ＩＰ－００２')).toEqual(['IP-002']);
    expect(ids('  泊位  ')).toEqual(['PB-001']);
  });

  it('finds nothing for one Latin letter or digit, or a blank query; one Chinese character is a word', () => {
    for (const q of ['d', 'Ｄ', '4', '', '   \t\n']) expect(ids(q), q).toEqual([]);
    expect(ids('段')).toEqual(['PB-001']);
  });

  it('honours the limit', () => {
    expect(ids('纵', 2)).toEqual(['PB-001', 'IP-001']);
    expect(ids('纵', 0)).toEqual([]);
    expect(() => index.search('纵', { limit: -1 })).toThrow('limit must be a whole number');
    expect(() => index.search('纵', { limit: 1.5 })).toThrow('limit must be a whole number');
  });

  it('treats hostile input as plain text', () => {
    for (const q of ['.*', '(', '[', '\\', '^$', '+?', '|', '"; DROP TABLE', '%00', '\u0000', '${x}', '{count}', '__proto__', 'constructor']) {
      expect(() => index.search(q), q).not.toThrow();
    }
    expect(ids('<script>')).toEqual(['odd']);
    expect(ids('{{constructor')).toEqual(['h4']);
    expect(ids('纵三路'.repeat(3_334))).toEqual([]);
    expect(ids('a'.repeat(10_000))).toEqual([]);
    expect(ids(undefined as unknown as string)).toEqual([]);
  });

  it('returns the entries it holds without changing the data', () => {
    const before = JSON.stringify(data);
    const r = index.search('泊位');
    expect(r[0]).toBe(index.search('泊位')[0]);
    expect(JSON.stringify(data)).toBe(before);
  });
});
