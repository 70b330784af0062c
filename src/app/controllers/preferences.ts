/**
 * Owns the user's standing choices that outlive the session record: the UI language and the
 * Tianditu key (localStorage, so they are there before IndexedDB is read), and the colour
 * theme, which follows the system's setting as it changes.
 */
import type { Lang, Store } from '../store.ts';

const LANG_KEY = 'zs-lang';
const TIANDITU_KEY = 'zs-tianditu-key';

/** A media query list's change events (matchMedia's result fits). */
export interface ColourScheme {
  readonly matches: boolean;
  addEventListener(type: 'change', listener: (e: { matches: boolean }) => void): void;
  removeEventListener(type: 'change', listener: (e: { matches: boolean }) => void): void;
}

export interface PreferencesDeps {
  /** Null where storage is disabled (some private modes): choices then last the visit. */
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** `prefers-color-scheme: dark`. */
  darkScheme?: ColourScheme;
  /** Gets a language ready to be shown (its strings are fetched on first use). */
  prepareLang?: (lang: Lang) => Promise<void>;
}

function read(storage: PreferencesDeps['storage'], key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** What the page starts with: the remembered language (else the browser's) and key. */
export function initialPreferences(storage: PreferencesDeps['storage'], browserLanguages: readonly string[], buildKey = ''): { lang: Lang; tiandituKey: string } {
  const stored = read(storage, LANG_KEY);
  const lang: Lang = stored === 'zh' || stored === 'en' ? stored : browserLanguages.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
  return { lang, tiandituKey: read(storage, TIANDITU_KEY) ?? buildKey };
}

export class PreferencesController {
  readonly #store: Store;
  readonly #deps: PreferencesDeps;
  readonly #onScheme = (e: { matches: boolean }): void => this.#store.setTheme(e.matches ? 'dark' : 'light');

  constructor(store: Store, deps: PreferencesDeps) {
    this.#store = store;
    this.#deps = deps;
    deps.darkScheme?.addEventListener('change', this.#onScheme);
  }

  dispose(): void {
    this.#deps.darkScheme?.removeEventListener('change', this.#onScheme);
  }

  #remember(key: string, value: string): void {
    try {
      this.#deps.storage?.setItem(key, value);
    } catch {
      // Private mode or storage disabled: the choice just is not remembered.
    }
  }

  /** Switches the UI's language once its strings are here; if they cannot be fetched, the UI stays as it is. */
  async setLang(lang: Lang): Promise<void> {
    try {
      await this.#deps.prepareLang?.(lang);
    } catch (err) {
      console.warn(err);
      return;
    }
    this.#remember(LANG_KEY, lang);
    this.#store.setLang(lang);
  }

  setTiandituKey(key: string): void {
    this.#remember(TIANDITU_KEY, key);
    this.#store.setTiandituKey(key);
    if (!key && this.#store.state.basemap === 'tianditu') this.#store.setBasemap('offline');
  }
}
