/**
 * Keeps the study area and the settings (`app/session.ts` says which) in IndexedDB and puts
 * them back on the next visit. Part of the composition root, like main.ts.
 *
 * Start-up reads the records once, checks them, and applies what is sound and what neither
 * the link's hash nor the user (in the moment before the read finished) has decided;
 * anything damaged is reported on the storage line and otherwise ignored. After that,
 * changes are written a moment after they settle, each batch in one transaction, and once
 * more when the page is hidden or unloaded. A failed write is reported, and the page goes
 * on working with what it has.
 */
import type { AppState, Store, StudyArea } from './app/store.ts';
import {
  SETTINGS_KEY, STUDY_AREA_KEY, readSettings, readStudyArea, resolveStudyAreaRef, restoredState, settingsChanged, settingsRecord, studyAreaRecord, studyAreaRef,
  type StudyAreaRef,
} from './app/session.ts';
import type { UrlState } from './app/url-state.ts';
import { StorageError, type BrowserStore } from './data/layer-store.ts';

export interface SessionOptions {
  /** Milliseconds a change waits for others before it is written. */
  delay?: number;
  /** Settles when the imported layers are back: a study area made from one waits for it. */
  layersRestored?: Promise<void>;
}

export interface Session {
  /** Settles once the stored session has been read and applied (or found missing or damaged). */
  ready: Promise<void>;
  /** Writes whatever is waiting now; settles when it has landed or failed (and been reported). */
  flush(): Promise<void>;
}

type Key = typeof SETTINGS_KEY | typeof STUDY_AREA_KEY;
const DEFAULTS = { delay: 300, layersRestored: Promise.resolve() } satisfies Required<SessionOptions>;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function setUpSession(store: Store, layerStore: BrowserStore | null, url: UrlState, options: SessionOptions = {}): Session {
  if (!layerStore) return { ready: Promise.resolve(), flush: () => Promise.resolve() };
  const { delay, layersRestored } = { ...DEFAULTS, ...options };
  /** The layer feature the last study area record referred to, to notice it going away. */
  let written: StudyAreaRef | null = null;
  const stillThere = (ref: StudyAreaRef, s: AppState): boolean => s.data[ref.layerId]?.features[ref.index] === s.studyArea?.feature;
  const initial = store.state;
  let dirty = new Set<Key>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let queue: Promise<void> = Promise.resolve();

  const report = (keys: readonly string[], err: unknown): void => {
    const kind = err instanceof StorageError ? err.kind : 'failed';
    for (const key of keys) store.reportStorage({ key, kind, detail: message(err) });
  };

  const write = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (dirty.size === 0) return;
    const keys = [...dirty];
    dirty = new Set();
    const s = store.state;
    const put: Record<string, unknown> = {};
    const remove: string[] = [];
    if (keys.includes(SETTINGS_KEY)) put[SETTINGS_KEY] = settingsRecord(s);
    if (keys.includes(STUDY_AREA_KEY)) {
      const ref = studyAreaRef(s);
      if (s.studyArea) put[STUDY_AREA_KEY] = studyAreaRecord(s.studyArea, ref);
      else remove.push(STUDY_AREA_KEY);
      written = ref;
    }
    try {
      await layerStore.writeSettings(put, remove, keys.join(' + '));
      for (const k of keys) store.clearStorage(k);
    } catch (err) {
      report(keys, err);
    }
  };
  // One write at a time, in order: a later state never lands before an earlier one.
  const flush = (): Promise<void> => (queue = queue.then(write));

  const watch = (s: AppState, prev: AppState): void => {
    if (settingsChanged(s, prev)) dirty.add(SETTINGS_KEY);
    // A study area stored as a reference to a layer is written out in full when that layer
    // is removed or read again.
    if (s.studyArea !== prev.studyArea || (written && s.data !== prev.data && !stillThere(written, s))) dirty.add(STUDY_AREA_KEY);
    if (dirty.size > 0 && timer === undefined) timer = setTimeout(() => void flush(), delay);
  };

  const ready = (async () => {
    try {
      const records = await layerStore.readSettings();
      const settings = readSettings(records.get(SETTINGS_KEY));
      const area = readStudyArea(records.get(STUDY_AREA_KEY));
      if (settings.problems.length) store.reportStorage({ key: SETTINGS_KEY, kind: 'damaged', detail: settings.problems.join('; ') });
      if (area.problems.length) store.reportStorage({ key: STUDY_AREA_KEY, kind: 'damaged', detail: area.problems.join('; ') });
      const ref = area.value && !('feature' in area.value) ? area.value : null;
      const patch = restoredState(settings.value, ref ? null : (area.value as StudyArea | null), url) as Record<string, unknown>;
      // What the user changed while the records were being read stays as they left it,
      // and is written like any other change.
      const now = store.state;
      const untouched = Object.fromEntries(Object.entries(patch).filter(([k]) => (now as unknown as Record<string, unknown>)[k] === (initial as unknown as Record<string, unknown>)[k]));
      if (Object.keys(untouched).length) store.restoreSession(untouched);
      watch(now, initial);
      if (ref) void restoreRef(ref);
    } catch (err) {
      report(['db'], err);
    }
    store.subscribe(watch);
  })();

  async function restoreRef(ref: StudyAreaRef): Promise<void> {
    await layersRestored;
    // The user drew or picked another one meanwhile: theirs stands.
    if (store.state.studyArea) return;
    const r = resolveStudyAreaRef(ref, store.state);
    if (r.value) {
      written = ref;
      store.restoreSession({ studyArea: r.value });
    } else store.reportStorage({ key: STUDY_AREA_KEY, kind: 'damaged', detail: r.problems.join('; ') });
  }

  // Best effort on the way out: a change made just before a reload still lands.
  addEventListener('pagehide', () => void flush());
  addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void flush();
  });

  return {
    ready,
    flush: async () => {
      await ready;
      await flush();
    },
  };
}
