import { describe, expect, it } from 'vitest';
import { Store, initialState } from '../store.ts';
import { PreferencesController, initialPreferences, type ColourScheme } from './preferences.ts';

/** localStorage as a Map, with every write recorded. */
function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  const writes: [string, string][] = [];
  return {
    items,
    writes,
    getItem: (key: string): string | null => items.get(key) ?? null,
    setItem: (key: string, value: string): void => {
      writes.push([key, value]);
      items.set(key, value);
    },
  };
}

/** Storage that refuses everything, as some private modes do. */
const refusing = {
  getItem: (): string | null => {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  },
  setItem: (): void => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  },
};

/** A `prefers-color-scheme: dark` media query list the test switches. */
class FakeScheme implements ColourScheme {
  matches = false;
  readonly listeners = new Set<(e: { matches: boolean }) => void>();
  addEventListener(_type: 'change', listener: (e: { matches: boolean }) => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'change', listener: (e: { matches: boolean }) => void): void {
    this.listeners.delete(listener);
  }
  set(dark: boolean): void {
    this.matches = dark;
    for (const l of this.listeners) l({ matches: dark });
  }
}

describe('initialPreferences', () => {
  it('takes the remembered language over the browser’s', () => {
    expect(initialPreferences(memoryStorage({ 'zs-lang': 'en' }), ['zh-CN', 'zh'])).toEqual({ lang: 'en', tiandituKey: '' });
    expect(initialPreferences(memoryStorage({ 'zs-lang': 'zh' }), ['en-GB'])).toEqual({ lang: 'zh', tiandituKey: '' });
  });

  it('falls back to the browser’s languages: any Chinese one means Chinese, else English', () => {
    expect(initialPreferences(memoryStorage(), ['en-US', 'ZH-tw']).lang).toBe('zh');
    expect(initialPreferences(memoryStorage(), ['de-DE', 'en']).lang).toBe('en');
    expect(initialPreferences(memoryStorage(), []).lang).toBe('en');
    // A remembered value that is not a language is not one.
    expect(initialPreferences(memoryStorage({ 'zs-lang': 'fr' }), ['zh-CN']).lang).toBe('zh');
  });

  it('takes the remembered Tianditu key over the one the build carries', () => {
    expect(initialPreferences(memoryStorage({ 'zs-tianditu-key': 'mine' }), ['en'], 'built-in').tiandituKey).toBe('mine');
    expect(initialPreferences(memoryStorage(), ['en'], 'built-in').tiandituKey).toBe('built-in');
    // A key the user cleared stays cleared.
    expect(initialPreferences(memoryStorage({ 'zs-tianditu-key': '' }), ['en'], 'built-in').tiandituKey).toBe('');
  });

  it('survives storage that throws, and no storage at all', () => {
    expect(initialPreferences(refusing, ['zh-CN'], 'built-in')).toEqual({ lang: 'zh', tiandituKey: 'built-in' });
    expect(initialPreferences(null, ['en'])).toEqual({ lang: 'en', tiandituKey: '' });
  });
});

describe('PreferencesController', () => {
  it('setLang remembers the language and puts it in the store', async () => {
    const storage = memoryStorage();
    const store = new Store();
    const ctl = new PreferencesController(store, { storage });
    await ctl.setLang('en');
    expect(store.state.lang).toBe('en');
    expect(storage.writes).toEqual([['zs-lang', 'en']]);
    expect(initialPreferences(storage, ['zh-CN']).lang).toBe('en');
    ctl.dispose();
  });

  it('setTiandituKey remembers the key and puts it in the store', () => {
    const storage = memoryStorage();
    const store = new Store();
    const ctl = new PreferencesController(store, { storage });
    ctl.setTiandituKey('abc123');
    expect(store.state.tiandituKey).toBe('abc123');
    expect(storage.writes).toEqual([['zs-tianditu-key', 'abc123']]);
    ctl.dispose();
  });

  it('clearing the key while on the Tianditu basemap goes back to the offline one, and leaves another basemap alone', () => {
    const storage = memoryStorage();
    const store = new Store(initialState({ basemap: 'tianditu', tiandituKey: 'abc123' }));
    const ctl = new PreferencesController(store, { storage });
    ctl.setTiandituKey('');
    expect(store.state).toMatchObject({ tiandituKey: '', basemap: 'offline' });
    expect(storage.items.get('zs-tianditu-key')).toBe('');
    store.setBasemap('osm');
    ctl.setTiandituKey('abc');
    ctl.setTiandituKey('');
    expect(store.state.basemap).toBe('osm');
    ctl.dispose();
  });

  it('switches the language only once its strings are ready, and not at all when they cannot be fetched', async () => {
    const storage = memoryStorage();
    const store = new Store();
    let release!: () => void;
    const ready = new Promise<void>((r) => { release = r; });
    const ctl = new PreferencesController(store, { storage, prepareLang: () => ready });
    const switching = ctl.setLang('en');
    expect(store.state.lang).toBe('zh');
    release();
    await switching;
    expect(store.state.lang).toBe('en');
    const failing = new PreferencesController(store, { storage, prepareLang: () => Promise.reject(new Error('offline')) });
    await failing.setLang('zh');
    expect(store.state.lang).toBe('en');
    ctl.dispose();
    failing.dispose();
  });

  it('still changes the store when storage refuses or is missing', async () => {
    for (const storage of [refusing, null]) {
      const store = new Store(initialState({ basemap: 'tianditu', tiandituKey: 'k' }));
      const ctl = new PreferencesController(store, { storage });
      await ctl.setLang('en');
      ctl.setTiandituKey('');
      expect(store.state).toMatchObject({ lang: 'en', tiandituKey: '', basemap: 'offline' });
      ctl.dispose();
    }
  });

  it('follows the system colour scheme as it changes, until disposed', () => {
    const scheme = new FakeScheme();
    const store = new Store();
    const ctl = new PreferencesController(store, { storage: null, darkScheme: scheme });
    expect(scheme.listeners.size).toBe(1);
    scheme.set(true);
    expect(store.state.theme).toBe('dark');
    scheme.set(false);
    expect(store.state.theme).toBe('light');
    scheme.set(true);
    ctl.dispose();
    expect(scheme.listeners.size).toBe(0);
    scheme.set(false);
    expect(store.state.theme).toBe('dark');
  });
});
