/**
 * Keeps the study area and the settings (`app/session.ts` says which, `persistence.ts`
 * lists where every part of the state lives) in IndexedDB and puts them back on the next
 * visit.
 *
 * Start-up reads the records once, checks them, and applies what is sound and what neither
 * the link's hash nor the user (in the moment before the read finished) has decided;
 * anything damaged is reported on the storage line and otherwise ignored. After that,
 * changes are written a moment after they settle, each batch in one transaction, and once
 * more when the page is hidden or unloaded. A failed write is reported, and the page goes
 * on working with what it has.
 *
 * A visitor who never kept anything has no database: then nothing is read, and the storage
 * worker is not started until there is something to write.
 */
import type { AppState, Store, StudyArea } from '../store.ts';
import {
  SETTINGS_KEY, STUDY_AREA_KEY, names, readSettings, readStudyArea, resolveStudyAreaRef, restoredState, settingsChanged, settingsRecord, studyAreaRecord, studyAreaRef,
  type StudyAreaRef,
} from '../session.ts';
import type { UrlState } from '../url-state.ts';
import { StorageError, type BrowserStore } from '../../data/stored-layers.ts';

export interface SessionOptions {
  /** Milliseconds a change waits for others before it is written. */
  delay?: number;
  /** Milliseconds before a write refused for lack of room is tried again (doubled at each of the three tries). */
  retryDelay?: number;
  /** Settles when the imported layers are back: a study area made from one waits for it. */
  layersRestored?: Promise<void>;
  /** Whether anything was ever kept; when false the records are not read. Default: yes. */
  hasStoredData?: () => Promise<boolean>;
  /** Tells when the page is hidden or unloaded (window fits); the waiting write then goes at once. */
  events?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  /** Tells whether the page is hidden (document fits). */
  visibility?: { readonly visibilityState: DocumentVisibilityState };
}

type Key = typeof SETTINGS_KEY | typeof STUDY_AREA_KEY;
const MAX_RETRIES = 3;
const DEFAULTS = { delay: 300, retryDelay: 1000, layersRestored: Promise.resolve(), hasStoredData: () => Promise.resolve(true) } satisfies SessionOptions;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class SessionController {
  readonly #store: Store;
  readonly #storage: BrowserStore;
  readonly #opts: SessionOptions & typeof DEFAULTS;
  /** The layer feature the last study area record referred to, to notice it going away. */
  #written: StudyAreaRef | null = null;
  #dirty = new Set<Key>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #queue: Promise<void> = Promise.resolve();
  #unsubscribe: () => void = () => undefined;
  #disposed = false;
  /** How often the waiting write, refused for lack of room, was tried again. */
  #retries = 0;
  /** Settles once the stored session has been read and applied (or found missing or damaged). */
  readonly ready: Promise<void>;
  readonly #onHide = (e: Event): void => {
    // pagehide comes before the page reads as hidden; visibilitychange also fires on showing.
    if (e.type === 'pagehide' || !this.#opts.visibility || this.#opts.visibility.visibilityState === 'hidden') void this.#flush();
  };

  constructor(store: Store, storage: BrowserStore, url: UrlState, options: SessionOptions = {}) {
    this.#store = store;
    this.#storage = storage;
    this.#opts = { ...DEFAULTS, ...options };
    this.ready = this.#start(url);
    // Best effort on the way out: a change made just before a reload still lands.
    options.events?.addEventListener('pagehide', this.#onHide);
    options.events?.addEventListener('visibilitychange', this.#onHide);
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#unsubscribe();
    this.#opts.events?.removeEventListener('pagehide', this.#onHide);
    this.#opts.events?.removeEventListener('visibilitychange', this.#onHide);
  }

  /** Writes whatever is waiting now; settles when it has landed or failed (and been reported). */
  async flush(): Promise<void> {
    await this.ready;
    await this.#flush();
  }

  #report(keys: readonly string[], err: unknown): void {
    const kind = err instanceof StorageError ? err.kind : 'failed';
    for (const key of keys) this.#store.reportStorage({ key, kind, detail: message(err) });
  }

  // One write at a time, in order: a later state never lands before an earlier one.
  #flush(): Promise<void> {
    this.#queue = this.#queue.then(() => this.#write());
    return this.#queue;
  }

  async #write(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#dirty.size === 0) return;
    const keys = [...this.#dirty];
    this.#dirty = new Set();
    const s = this.#store.state;
    const put: Record<string, unknown> = {};
    const remove: string[] = [];
    if (keys.includes(SETTINGS_KEY)) put[SETTINGS_KEY] = settingsRecord(s);
    if (keys.includes(STUDY_AREA_KEY)) {
      const ref = studyAreaRef(s);
      if (s.studyArea) put[STUDY_AREA_KEY] = studyAreaRecord(s.studyArea, ref);
      else remove.push(STUDY_AREA_KEY);
      this.#written = ref;
    }
    try {
      await this.#storage.writeSettings(put, remove, keys.join(' + '));
      for (const k of keys) this.#store.clearStorage(k);
      this.#retries = 0;
    } catch (err) {
      this.#report(keys, err);
      // Chromium frees the room a refused write held some time after refusing it (a second or
      // several on a busy machine), so a small write right after a large one failed for lack of
      // space is refused too: try again, waiting longer each time, three times at most.
      if (err instanceof StorageError && err.kind === 'quota' && this.#retries < MAX_RETRIES && !this.#disposed) {
        const delay = this.#opts.retryDelay * 2 ** this.#retries;
        this.#retries += 1;
        for (const k of keys) this.#dirty.add(k);
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => void this.#flush(), delay);
      }
    }
  }

  #stillThere(ref: StudyAreaRef, s: AppState): boolean {
    return s.data[ref.layerId]?.features[ref.index] === s.studyArea?.feature;
  }

  #watch(s: AppState, prev: AppState): void {
    const before = this.#dirty.size;
    if (settingsChanged(s, prev)) this.#dirty.add(SETTINGS_KEY);
    // A study area stored as a reference to a layer is written out in full when that layer
    // is removed or read again.
    const w = this.#written;
    if (s.studyArea !== prev.studyArea || (w && s.data !== prev.data && !this.#stillThere(w, s))) this.#dirty.add(STUDY_AREA_KEY);
    // A new change earns new retries if it too is refused for lack of room.
    if (this.#dirty.size > before) this.#retries = 0;
    if (this.#dirty.size > 0 && this.#timer === undefined) this.#timer = setTimeout(() => void this.#flush(), this.#opts.delay);
  }

  async #start(url: UrlState): Promise<void> {
    const store = this.#store;
    const initial = store.state;
    /** The state before the records were applied: what the user changed meanwhile is written, what was restored is not. */
    let seen: AppState | null = null;
    try {
      if (await this.#opts.hasStoredData()) {
        const records = await this.#storage.readSettings();
        const settings = readSettings(records.get(SETTINGS_KEY));
        const area = readStudyArea(records.get(STUDY_AREA_KEY));
        if (settings.problems.length) store.reportStorage({ key: SETTINGS_KEY, kind: 'damaged', detail: settings.problems.join('; ') });
        if (area.problems.length) store.reportStorage({ key: STUDY_AREA_KEY, kind: 'damaged', detail: area.problems.join('; ') });
        const ref = area.value && !('feature' in area.value) ? area.value : null;
        const patch = restoredState(settings.value, ref ? null : (area.value as StudyArea | null), url) as Record<string, unknown>;
        // What the user changed while the records were being read stays as they left it,
        // and is written like any other change.
        seen = store.state;
        const now = seen as unknown as Record<string, unknown>;
        const before = initial as unknown as Record<string, unknown>;
        const untouched = Object.fromEntries(Object.entries(patch).filter(([k]) => now[k] === before[k]));
        if (Object.keys(untouched).length) store.restoreSession(untouched);
        // A link's other study area stands over the stored one.
        if (ref && (!url.study || url.study.kind === 'polygon')) void this.#restoreRef(ref, url, initial.studyArea);
      }
    } catch (err) {
      this.#report(['db'], err);
    }
    if (this.#disposed) return;
    this.#watch(seen ?? store.state, initial);
    this.#unsubscribe = store.subscribe((s, prev) => this.#watch(s, prev));
  }

  /** `fromLink`: the study area the link opened with, which the stored one replaces when it is the same outline. */
  async #restoreRef(ref: StudyAreaRef, url: UrlState, fromLink: StudyArea | null): Promise<void> {
    await this.#opts.layersRestored;
    // The user drew or picked another one meanwhile: theirs stands.
    const current = this.#store.state.studyArea;
    if (current && current !== fromLink) return;
    const r = resolveStudyAreaRef(ref, this.#store.state);
    // A link's area that is not this one stands too.
    if (current && !(r.value && url.study && names(url.study, r.value))) return;
    if (r.value) {
      this.#written = ref;
      this.#store.restoreSession({ studyArea: r.value });
    } else this.#store.reportStorage({ key: STUDY_AREA_KEY, kind: 'damaged', detail: r.problems.join('; ') });
  }
}
