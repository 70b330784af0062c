/**
 * Search by name, road, place, district, pinyin or id: an ARIA 1.2 combobox (an input that
 * controls a listbox of results). The search itself is injected as `searcher`, so the box
 * knows nothing of layers or indexes; while the index is being prepared (on the first
 * query) the box says so and answers when it is ready. Picking a result emits
 * `zs-search-pick` and the app decides what to do (fly there, select it, zoom to a
 * district). Names are rendered as text by Lit, never as markup.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { isSearchable, type SearchAnswer, type SearchEntry } from '../app/search.ts';
import type { Lang } from '../app/store.ts';
import { emit } from './events.ts';
import { t } from './i18n.ts';

/** Long enough to skip the keystrokes of a word being typed, short enough to feel live. */
const DEBOUNCE_MS = 100;

/** The name in the reader's language, else the other one, else the id: never blank. */
const displayName = (r: SearchEntry, lang: Lang): string => (lang === 'en' ? r.nameEn || r.name : r.name || r.nameEn) || r.id;

@customElement('zs-search-box')
export class SearchBox extends LitElement {
  @property() locale: Lang = 'zh';
  /** Answers a query: the ranked results, or a promise while the index is being prepared. */
  @property({ attribute: false }) searcher: ((q: string) => SearchAnswer) | null = null;

  // What the user is typing and the list it produced belong to the box, not the app.
  @state() private query = '';
  @state() private results: readonly SearchEntry[] = [];
  /** Whether the results (or the "no results" note) are showing. */
  @state() private open = false;
  /** The highlighted option, -1 for none. */
  @state() private active = -1;
  /** The query the results were computed for, so "no results" never shows a stale answer. */
  @state() private searched = '';
  /** The index is being prepared: the results come when it is ready. */
  @state() private preparing = false;
  /** The search code could not be loaded (the next query tries again). */
  @state() private failed = false;

  /** The promise the box waits on to ask again, so one is never waited on twice. */
  #waiting: Promise<void> | null = null;

  #timer: ReturnType<typeof setTimeout> | undefined;
  /** True between compositionstart and compositionend (pinyin being typed). */
  #composing = false;

  static override styles = css`
    :host { display: block; position: relative; font-size: 0.875rem; color: var(--zs-text); }
    .vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    input { box-sizing: border-box; width: 100%; font: inherit; padding: 0.4rem 0.6rem; border: 1px solid var(--zs-line); border-radius: 4px; background: var(--zs-bg); color: var(--zs-text); }
    input:focus-visible { outline: 2px solid var(--zs-accent); outline-offset: 1px; }
    .pop { position: absolute; z-index: 10; left: 0; right: 0; top: calc(100% + 2px); background: var(--zs-bg); border: 1px solid var(--zs-line); border-radius: 4px; box-shadow: 0 4px 12px rgb(0 0 0 / 0.15); }
    /* --room: the height left below the box (set when the list opens): on a phone the panel is a bottom sheet that clips what hangs below the screen. */
    [role=listbox] { list-style: none; margin: 0; padding: 0.2rem 0; max-height: min(20rem, var(--room, 50vh)); overflow-y: auto; overscroll-behavior: contain; }
    [role=option] { display: flex; flex-direction: column; gap: 0.05rem; padding: 0.35rem 0.6rem; cursor: pointer; }
    [role=option][aria-selected=true] { background: color-mix(in srgb, var(--zs-accent) 14%, var(--zs-bg)); box-shadow: inset 3px 0 0 var(--zs-accent); }
    [role=option]:hover { background: color-mix(in srgb, var(--zs-text) 6%, var(--zs-bg)); }
    /* The whole name, wrapped: long English names differ only at their end (… Park 3, … Park 4). */
    .name { min-width: 0; overflow-wrap: anywhere; line-height: 1.3; }
    .layer { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 0.75rem; line-height: 1.3; color: var(--zs-muted); }
    .none { margin: 0; padding: 0.5rem 0.6rem; color: var(--zs-muted); }
    /* A phone: the box and its results are a finger high. */
    @media (max-width: 699px) { input, [role=option] { min-height: 44px; } [role=option] { align-items: center; } }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    // The on-screen keyboard of a phone shrinks the visual viewport, not the page.
    window.visualViewport?.addEventListener('resize', this.#fit);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.visualViewport?.removeEventListener('resize', this.#fit);
    clearTimeout(this.#timer);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    // The index arriving (or being rebuilt) answers the query already typed.
    if (changed.has('searcher') && this.query.trim() !== '') this.#run(false);
  }

  override render() {
    const lang = this.locale;
    const results = this.results;
    const expanded = this.open && results.length > 0;
    // While the index is prepared (or could not be) the box says so rather than "nothing found".
    const note = !this.open || results.length > 0 || this.query.trim() === '' ? null
      : this.failed ? t(lang, 'search.failed')
      : this.preparing ? t(lang, 'search.preparing')
      // A query too short to search (one Latin letter) is "keep typing", not "nothing found".
      : isSearchable(this.searched) && this.searcher !== null ? t(lang, 'search.noResults')
      : null;
    return html`<label class="vh" id="q-label" for="q">${t(lang, 'search.label')}</label>
      <input id="q" type="search" role="combobox" aria-labelledby="q-label" autocomplete="off" spellcheck="false" enterkeyhint="search"
        aria-autocomplete="list" aria-controls="results" aria-expanded=${expanded ? 'true' : 'false'}
        aria-activedescendant=${expanded && this.active >= 0 ? `opt-${this.active}` : nothing}
        placeholder=${t(lang, 'search.placeholder')} .value=${this.query}
        @input=${this.#onInput} @keydown=${this.#onKey} @focus=${this.#onFocus} @blur=${this.#onBlur}
        @compositionstart=${() => { this.#composing = true; }}
        @compositionend=${this.#onCompositionEnd} />
      <div class="pop" ?hidden=${!expanded && note === null}>
        <ul role="listbox" id="results" aria-label=${t(lang, 'search.results')} ?hidden=${!expanded}
          @mousedown=${(e: MouseEvent) => e.preventDefault()}>
          ${expanded ? results.map((r, i) => this.#option(r, i, lang)) : nothing}
        </ul>
        ${note !== null ? html`<p class="none" data-state=${this.failed ? 'failed' : this.preparing ? 'preparing' : 'none'}>${note}</p>` : nothing}
      </div>
      <div class="vh" role="status">${expanded ? t(lang, 'search.resultCount', { count: results.length }) : note ?? ''}</div>`;
  }

  #option(r: SearchEntry, i: number, lang: Lang) {
    const name = displayName(r, lang);
    // eslint-disable-next-line lit-a11y/click-events-have-key-events -- the keys act on the combobox input (arrows, Enter, via aria-activedescendant); options never take focus
    return html`<li role="option" id=${`opt-${i}`} aria-selected=${i === this.active ? 'true' : 'false'}
      data-layer=${r.layerId ?? ''} data-id=${r.id} @click=${() => this.#pick(i)}>
      <span class="name">${name}</span><span class="layer">${r.layerName[lang]}</span>
    </li>`;
  }

  override updated(changed: PropertyValues): void {
    if (changed.has('open') || changed.has('results')) this.#fit();
    if (changed.has('active') && this.active >= 0) {
      this.renderRoot.querySelector(`#opt-${this.active}`)?.scrollIntoView({ block: 'nearest' });
    }
  }

  /** Keeps the open list within the screen: it scrolls in the room left below the box, three options at least. */
  #fit = (): void => {
    if (!this.open) return;
    const input = this.renderRoot.querySelector('input');
    const list = this.renderRoot.querySelector<HTMLElement>('#results');
    if (!input || !list) return;
    const vv = window.visualViewport;
    const bottom = vv ? vv.offsetTop + vv.height : window.innerHeight;
    list.style.setProperty('--room', `${Math.max(Math.floor(bottom - input.getBoundingClientRect().bottom - 8), 150)}px`);
  };

  /** Searches now (`open`: show the list) and resets the highlight. */
  #run(open = true): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const q = this.query;
    let results: readonly SearchEntry[] = [];
    this.preparing = false;
    this.failed = false;
    if (q.trim() !== '' && this.searcher) {
      const answer = this.searcher(q);
      if (answer.ready) results = answer.results;
      else this.preparing = true;
      if (answer.settled) this.#askAgainWhen(answer.settled);
    }
    this.results = results;
    this.searched = q;
    this.active = -1;
    if (open) this.open = q.trim() !== '';
  }

  /**
   * Asks again once the index is ready or has caught up, for the query typed by then
   * (a query still in its debounce asks for itself). Only the newest promise counts.
   */
  #askAgainWhen(settled: Promise<void>): void {
    if (this.#waiting === settled) return;
    this.#waiting = settled;
    settled.then(
      () => {
        if (this.#waiting !== settled) return;
        this.#waiting = null;
        if (this.isConnected && this.#timer === undefined && this.query.trim() !== '') this.#run(this.open);
      },
      () => {
        if (this.#waiting !== settled) return;
        this.#waiting = null;
        this.preparing = false;
        this.failed = true;
      },
    );
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.query.trim() === '') {
      this.#run();
      return;
    }
    this.#timer = setTimeout(() => this.#run(), DEBOUNCE_MS);
  }

  #onInput = (e: Event): void => {
    this.query = (e.target as HTMLInputElement).value;
    // Pinyin letters mid-composition are not the query yet; compositionend searches.
    if (!this.#composing) this.#schedule();
  };

  #onCompositionEnd = (e: CompositionEvent): void => {
    this.#composing = false;
    this.query = (e.target as HTMLInputElement).value;
    this.#schedule();
  };

  #onFocus = (): void => {
    if (this.query.trim() !== '' && this.searched === this.query) this.open = true;
  };

  #onBlur = (): void => {
    // Options keep focus on the input (mousedown is cancelled), so a blur means leaving.
    this.open = false;
  };

  #onKey = (e: KeyboardEvent): void => {
    // Enter or an arrow during IME composition belongs to the IME (choosing a character).
    if (e.isComposing || this.#composing) return;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        e.preventDefault();
        if (this.#timer !== undefined || this.searched !== this.query) this.#run();
        if (this.results.length === 0) return;
        const down = e.key === 'ArrowDown';
        if (!this.open) {
          this.open = true;
          this.active = down ? 0 : this.results.length - 1;
        } else {
          const len = this.results.length;
          this.active = this.active < 0 ? (down ? 0 : len - 1) : (this.active + (down ? 1 : len - 1)) % len;
        }
        return;
      }
      case 'Enter': {
        // A query typed faster than the debounce is answered now, so Enter never picks
        // from the previous list.
        if (this.#timer !== undefined || this.searched !== this.query) this.#run();
        if (this.results.length === 0) return;
        e.preventDefault();
        this.#pick(this.open && this.active >= 0 ? this.active : 0);
        return;
      }
      case 'Escape':
        e.preventDefault();
        if (this.open) {
          this.open = false;
          this.active = -1;
        } else if (this.query !== '') {
          this.query = '';
          this.#run();
        }
        return;
      default:
    }
  };

  #pick(index: number): void {
    const entry = this.results[index];
    if (!entry) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // The box then shows what was picked; its results are dropped so that the arrow
    // keys search for the new text rather than reopening the old list.
    this.query = displayName(entry, this.locale);
    this.results = [];
    this.searched = '';
    this.open = false;
    this.active = -1;
    emit(this, 'zs-search-pick', { entry });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-search-box': SearchBox;
  }
}
