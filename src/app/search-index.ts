/**
 * The search index: MiniSearch over the features, the basemap's places and the districts,
 * matching names in both languages, roads and district labels. Chinese text is indexed by
 * character, so "沈家门公园" finds 沈家门社区公园 however the words are split, and by its pinyin
 * and pinyin initials from each character on, so "shenjiamen", "jiamen" and "sjm" find
 * 沈家门; Latin words match by prefix and, from four letters, with a typo or two. Results
 * are ranked exact name > name prefix > name containing every word > other matches > typo
 * matches, places and districts first for a short query.
 *
 * Loaded on the first query (`selectors.ts`), with pinyin-pro's dictionary in a worker.
 * The index follows the layers as they load or change, one source at a time, in slices
 * of a few milliseconds, so typing never waits for it.
 */
import MiniSearch from 'minisearch';
import type { Catalogue } from '../data/catalogue.ts';
import type { FeatureCollection } from 'geojson';
import { districtDocs, featureDoc, placeDoc, type SearchDoc } from './search-entries.ts';
import { fold, isSearchable, type SearchEntry } from './search.ts';

export interface IndexInput {
  catalogue: Catalogue | null;
  data: Readonly<Record<string, FeatureCollection>>;
  places: FeatureCollection | undefined;
}

export interface SearchIndexDeps {
  /** Toneless pinyin per character of each run of Chinese characters (`pinyin.ts`). */
  syllables: (runs: string[]) => Promise<string[][]>;
  /** Gives the page its turn between slices of work. */
  yieldToPage?: () => Promise<void>;
  now?: () => number;
  /** Milliseconds of work between turns. */
  sliceMs?: number;
}

export interface SearchOptions {
  /** Most results returned. */
  limit?: number;
  /** Leave out features of reference layers (grid cells, communities), as the public view does. */
  public?: boolean;
}

const DEFAULTS = {
  yieldToPage: (): Promise<void> => new Promise((r) => setTimeout(r, 0)),
  now: (): number => performance.now(),
  sliceMs: 8,
};

/** A query longer than any name is not a name: it finds nothing rather than everything its characters do. */
const MAX_QUERY = 200;

/** A run of Chinese characters, or of letters and digits of other scripts. */
const RUN = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}\p{M}])+)/gu;
const HAN_CHAR = /^\p{Script=Han}$/u;
/** Names in order with their numbers read as numbers. */
const NAMES = new Intl.Collator('zh', { numeric: true });

/** Runs of `text` (folded): Chinese ones and the others, in order. */
function runsOf(text: string): { run: string; han: boolean }[] {
  const out: { run: string; han: boolean }[] = [];
  for (const m of text.matchAll(RUN)) out.push(m[1] ? { run: m[1], han: true } : { run: m[2]!, han: false });
  return out;
}

/** Edits a Latin query word may be away from what it matches: none for short words, where a typo would be another word. */
function fuzziness(term: string): number {
  const n = term.length;
  return HAN_CHAR.test(term) || n < 4 ? 0 : n < 8 ? 1 : 2;
}

/** What the index stores of a document, besides MiniSearch's own postings. */
interface Indexed {
  doc: SearchDoc;
  /** The name, the English name, the name's pinyin and its initials, folded: what exact and prefix rank against. */
  forms: string[];
  /** A feature's id, folded; empty for a place or a district, whose ids mean nothing to a reader. */
  id: string;
  /** Insertion order, the last tie-break. */
  order: number;
}

/** What the index is built from, by source (a layer, the places, the districts), compared by identity. */
interface Source {
  key: string;
  deps: readonly unknown[];
  docs: () => Iterable<SearchDoc | null>;
}

function sourcesOf(input: IndexInput): Source[] {
  const cat = input.catalogue;
  const field = cat?.analysis?.districtField ?? null;
  const out: Source[] = [];
  for (const layer of cat?.layers ?? []) {
    const fc = input.data[layer.id];
    if (!fc) continue;
    out.push({
      key: `layer:${layer.id}`,
      deps: [layer, fc, field],
      // One at a time, so a large layer is read in slices too.
      *docs() {
        for (const f of fc.features) yield featureDoc(layer, f, field);
      },
    });
  }
  const places = input.places;
  if (places) out.push({ key: 'places', deps: [places], docs: () => places.features.map((f) => placeDoc(f)) });
  const roles = cat?.analysis;
  if (roles) {
    out.push({ key: 'districts', deps: [cat, input.data[roles.zones], input.data[roles.residential]], docs: () => districtDocs(cat, input.data) });
  }
  return out;
}

const sameDeps = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export class SearchIndex {
  readonly #deps: Required<SearchIndexDeps>;
  /** Pinyin syllables by run of Chinese characters, kept across rebuilds. */
  readonly #pinyin = new Map<string, readonly string[]>();
  readonly #ms: MiniSearch<{ id: number; name: string; road: string; area: string }>;
  /** The documents results may come from (a source being rebuilt is already in MiniSearch, not here yet). */
  readonly #live = new Map<number, Indexed>();
  /** What each source was built from, and its documents' ids. */
  readonly #sources = new Map<string, { deps: readonly unknown[]; ids: number[] }>();
  #nextId = 0;
  #built = false;
  #target: IndexInput | null = null;
  #running: Promise<void> | null = null;

  constructor(deps: SearchIndexDeps) {
    if (typeof deps?.syllables !== 'function') throw new Error('syllables is required');
    this.#deps = { ...DEFAULTS, ...deps };
    this.#ms = new MiniSearch({
      fields: ['name', 'road', 'area'],
      tokenize: (text) => this.#indexTerms(text),
      processTerm: (term) => term,
      searchOptions: {
        tokenize: queryTerms,
        processTerm: (term) => term,
        combineWith: 'AND',
        boost: { name: 3, road: 1.5, area: 1 },
        prefix: (term) => !HAN_CHAR.test(term),
        fuzzy: fuzziness,
      },
    });
  }

  /** Whether the index has been built once: it answers, if perhaps from older data while it catches up. */
  get built(): boolean {
    return this.#built;
  }

  /** Documents results can come from. */
  get size(): number {
    return this.#live.size;
  }

  /**
   * Brings the index up to date with `input`: null when it is already, else a promise that
   * settles when it is (with the newest input given by then).
   */
  update(input: IndexInput): Promise<void> | null {
    this.#target = input;
    if (this.#running) return this.#running;
    if (this.#stale(input).length === 0 && this.#removed(input).length === 0) return null;
    const run = (async () => {
      try {
        for (let t = this.#target; t && (this.#stale(t).length > 0 || this.#removed(t).length > 0); t = this.#target) await this.#apply(t);
      } finally {
        this.#running = null;
      }
    })();
    this.#running = run;
    return run;
  }

  #stale(input: IndexInput): Source[] {
    return sourcesOf(input).filter((s) => {
      const have = this.#sources.get(s.key);
      return !have || !sameDeps(have.deps, s.deps);
    });
  }

  #removed(input: IndexInput): string[] {
    const keys = new Set(sourcesOf(input).map((s) => s.key));
    return [...this.#sources.keys()].filter((k) => !keys.has(k));
  }

  /** Rebuilds the stale sources of `input` off to the side, then swaps them in at once. */
  async #apply(input: IndexInput): Promise<void> {
    const { yieldToPage, now, sliceMs } = this.#deps;
    let start = now();
    const breathe = async (): Promise<void> => {
      if (now() - start < sliceMs) return;
      await yieldToPage();
      start = now();
    };
    const built: { key: string; deps: readonly unknown[]; docs: SearchDoc[] }[] = [];
    for (const source of this.#stale(input)) {
      const docs: SearchDoc[] = [];
      for (const d of source.docs()) {
        if (d) docs.push(d);
        await breathe();
      }
      built.push({ key: source.key, deps: source.deps, docs });
    }
    // One trip to the pinyin worker for every run not seen before.
    const missing = new Set<string>();
    for (const { docs } of built) {
      for (const d of docs) {
        for (const t of [d.text.name, d.text.road, d.text.area]) {
          for (const r of runsOf(fold(t))) if (r.han && !this.#pinyin.has(r.run)) missing.add(r.run);
        }
        await breathe();
      }
    }
    if (missing.size > 0) {
      const runs = [...missing];
      try {
        const syl = await this.#deps.syllables(runs);
        runs.forEach((r, i) => this.#pinyin.set(r, syl[i] ?? []));
      } catch (err) {
        // Without pinyin the index still matches characters and Latin names; the runs stay
        // unknown, so a later rebuild asks again.
        console.warn('search: no pinyin for this index', err);
      }
    }
    const added: { key: string; deps: readonly unknown[]; items: [number, Indexed][] }[] = [];
    for (const { key, deps, docs } of built) {
      const items: [number, Indexed][] = [];
      for (const doc of docs) {
        const id = this.#nextId++;
        this.#ms.add({ id, ...doc.text });
        items.push([id, { doc, forms: this.#forms(doc), id: doc.entry.kind === 'feature' ? fold(doc.entry.id) : '', order: id }]);
        await breathe();
      }
      added.push({ key, deps, items });
    }
    // The swap: old documents out, new ones in, with no turn of the page in between.
    for (const key of [...this.#removed(input), ...added.map((a) => a.key)]) {
      for (const id of this.#sources.get(key)?.ids ?? []) {
        this.#live.delete(id);
        this.#ms.discard(id);
      }
      this.#sources.delete(key);
    }
    for (const { key, deps, items } of added) {
      for (const [id, item] of items) this.#live.set(id, item);
      this.#sources.set(key, { deps, ids: items.map(([id]) => id) });
    }
    this.#built = true;
  }

  /** Terms of a document's text: every Chinese character, the pinyin and initials from each on, and every other word. */
  #indexTerms(text: string): string[] {
    const out: string[] = [];
    for (const { run, han } of runsOf(fold(text))) {
      if (!han) {
        out.push(run);
        continue;
      }
      out.push(...run);
      const syl = this.#pinyin.get(run);
      if (!syl?.length) continue;
      for (let i = 0; i < syl.length; i++) {
        const tail = syl.slice(i);
        out.push(tail.join(''), tail.map((s) => s[0]).join(''));
      }
    }
    return out;
  }

  /** The folded name, English name, the name's pinyin and its initials. */
  #forms(doc: SearchDoc): string[] {
    const name = fold(doc.entry.name);
    let full = '';
    let initials = '';
    for (const { run, han } of runsOf(name)) {
      const syl = han ? this.#pinyin.get(run) : undefined;
      full += syl?.length ? syl.join('') : run;
      initials += syl?.length ? syl.map((s) => s[0]).join('') : run;
    }
    return [name, fold(doc.entry.nameEn), full, initials].filter((f) => f !== '');
  }

  /** The best matches for `query`, best first (see the file's comment for the order). */
  search(query: string, options: SearchOptions = {}): SearchEntry[] {
    const limit = options.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 0) throw new Error('limit must be a whole number, 0 or more');
    if (limit === 0 || !isSearchable(query)) return [];
    const q = fold(query).trim();
    if ([...q].length > MAX_QUERY) return [];
    const compact = q.replace(/\s+/gu, '');
    const words = runsOf(q).map((r) => r.run);
    const latin = queryTerms(q).filter((t) => !HAN_CHAR.test(t));
    const short = !/\s/u.test(q) && [...compact].length <= 4;
    const shown = (item: Indexed | undefined): item is Indexed => item !== undefined && !(options.public && item.doc.rank === 2);

    const hits = new Map<number, { item: Indexed; score: number; fuzzy: boolean }>();
    for (const r of this.#ms.search(q)) {
      const id: unknown = r.id;
      const item = typeof id === 'number' ? this.#live.get(id) : undefined;
      if (!shown(item)) continue;
      // A word that no matched term starts with was matched only with a typo.
      const fuzzy = latin.some((w) => !r.terms.some((t) => t.startsWith(w)));
      hits.set(id as number, { item, score: r.score, fuzzy });
    }
    // Ids match as they are typed, whole or by their start (IP-00 → IP-001, IP-002, …).
    if (!/\s/u.test(q) && q.length >= 2) {
      for (const [id, item] of this.#live) {
        if (!hits.has(id) && item.id.startsWith(q) && shown(item)) hits.set(id, { item, score: 0, fuzzy: false });
      }
    }

    const tierOf = (item: Indexed): number => {
      const { forms } = item;
      if (item.id === q || forms.some((f) => f === q || f === compact)) return 0;
      if (item.id.startsWith(q) || forms.some((f) => f.startsWith(q) || f.startsWith(compact))) return 1;
      if (words.every((w) => forms.some((f) => f.includes(w)))) return 2;
      return 3;
    };
    const ranked = [...hits.values()].map((h) => ({ ...h, tier: tierOf(h.item), length: [...h.item.doc.entry.name].length }));
    ranked.sort((a, b) =>
      Number(a.fuzzy) - Number(b.fuzzy) ||
      (short ? Number(a.item.doc.rank > 0) - Number(b.item.doc.rank > 0) : 0) ||
      a.tier - b.tier ||
      a.item.doc.rank - b.item.doc.rank ||
      // Among names that match alike, the shortest is closest to what was typed, and
      // numbered names come in their order (公园2号 before 公园10号). Matches outside the
      // name rank by how well they match.
      (a.tier < 3 ? a.length - b.length : b.score - a.score) ||
      NAMES.compare(a.item.doc.entry.name, b.item.doc.entry.name) ||
      NAMES.compare(a.item.doc.entry.nameEn, b.item.doc.entry.nameEn) ||
      b.score - a.score ||
      a.item.order - b.item.order,
    );
    return ranked.slice(0, limit).map((h) => h.item.doc.entry);
  }
}

/** Terms of a query: each Chinese character, and each other word. */
function queryTerms(text: string): string[] {
  const out: string[] = [];
  for (const { run, han } of runsOf(fold(text))) {
    if (han) out.push(...run);
    else out.push(run);
  }
  return out;
}

/** Pinyin from a worker started for the call and stopped after it: the dictionary stays out of the page. */
export function workerSyllables(runs: string[]): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./pinyin.worker.ts', import.meta.url), { type: 'module', name: 'pinyin' });
    worker.addEventListener('message', (e: MessageEvent<string[][]>) => {
      worker.terminate();
      resolve(e.data);
    });
    worker.addEventListener('error', (e) => {
      worker.terminate();
      reject(new Error(`pinyin worker failed: ${e.message || 'could not start'}`));
    });
    worker.postMessage(runs);
  });
}
