/**
 * The attribute table of one layer: sortable columns from the catalogue, a count, and
 * rows virtualised so thousands scroll smoothly. The caller filters and sorts; the table
 * renders what it is given and says what the user asked for through events. Every value
 * is rendered as text by Lit: attribute data never becomes markup.
 *
 * Sizing: the element fills its host's height (`height: 100%`), so the host needs a
 * definite height (the bottom drawer or the phone sheet). Rows scroll vertically and,
 * when the columns are wider than the host, horizontally, inside the element.
 *
 * The virtualizer is its own scroll container (`scroller`) and the header sits above it,
 * following its horizontal scroll. With a scrolling ancestor instead, scrollToIndex
 * overshoots (lit/lit#4767, #3963 in @lit-labs/virtualizer 2.1), and revealing the
 * selected row is the point of the table.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { cssProps } from './css-props.ts';
import '@lit-labs/virtualizer';
import type { LitVirtualizer } from '@lit-labs/virtualizer';
import type { VisibilityChangedEvent } from '@lit-labs/virtualizer/events.js';
import type { Feature } from 'geojson';
import type { FieldDef, LayerEntry } from '../app/registry.ts';
import type { Lang } from '../app/store.ts';
import { emit } from './events.ts';
import { formatValue } from './feature-popup.ts';
import { ownValue } from '../geo/own-value.ts';
import { formatNumber, t } from './i18n.ts';

export interface TableSort {
  field: string;
  dir: 'asc' | 'desc';
}

/** The id the store selects by; empty when the feature has none (its row cannot be selected). */
function featureKey(f: Feature | undefined): string {
  const v: unknown = f?.properties?.id ?? f?.id;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

/** A rough width in rem for a text, CJK characters being about twice as wide as Latin. */
const textRem = (s: string): number => [...s].reduce((w, c) => w + (c.codePointAt(0)! >= 0x2e80 ? 0.95 : 0.56), 0);

/**
 * Column width in rem. Rows are separate grids (only the visible ones exist), so the
 * columns cannot size to their content: each gets a width from its type, its label and,
 * for coded values, its longest value label.
 */
function columnWidth(f: FieldDef, lang: Lang): number {
  const content = f.values
    ? Math.max(...f.values.map((v) => textRem(v.label[lang])))
    : f.name === 'name' ? 14 : f.name === 'name_en' ? 16 : f.name === 'id' ? 5
      : f.type === 'boolean' ? 2 : f.type === 'date' ? 5.5 : f.type === 'string' ? 9 : 5.5;
  // 1rem of cell padding; the label also needs room for the sort arrow.
  return Math.min(22, Math.max(content + 1, textRem(f.label[lang]) + 2.2));
}

const isNumeric = (f: FieldDef): boolean => !f.values && (f.type === 'number' || f.type === 'integer');

@customElement('zs-attribute-table')
export class AttributeTable extends LitElement {
  @property({ attribute: false }) entry: LayerEntry | null = null;
  /** The rows to show, already filtered and sorted by the caller. */
  @property({ attribute: false }) features: readonly Feature[] = [];
  /** Features in the layer before filtering, for "123 / 610". */
  @property({ type: Number }) total = 0;
  @property({ attribute: false }) selectedIds: ReadonlySet<string> = new Set();
  @property({ attribute: false }) sort: TableSort | null = null;
  @property() locale: Lang = 'zh';
  /** Latin forms of Chinese road and place names, for the English view. */
  @property({ attribute: false }) latin: ReadonlyMap<string, string> = new Map();
  /** The layer's plots can become pocket parks (planning): a button on each row. */
  @property({ type: Boolean }) convertible = false;

  /** The row that takes Tab (roving tabindex); focus is the component's own business. */
  @state() private focusIndex = 0;
  /** The column header that takes Tab: the header row is one stop, the arrows move along it. */
  @state() private headIndex = 0;

  @query('lit-virtualizer') private virtualizer!: LitVirtualizer<Feature> | null;
  @query('.head') private head!: HTMLElement | null;

  /** Rows the virtualizer last reported visible, for PageUp/PageDown. */
  #visible = { first: 0, last: 0 };
  /** Bumped by each scroll the table starts, so a stale one gives way to the newest. */
  #scrollToken = 0;
  /** A row to scroll into view after this update, set when the selection grows. */
  #revealIndex: number | null = null;

  static override styles = css`
    :host { display: flex; flex-direction: column; height: 100%; min-height: 0; background: var(--zs-bg); color: var(--zs-text); font-size: 0.85rem; --row-h: 2rem; --head-h: 2.25rem; }
    .bar { flex: none; display: flex; align-items: center; gap: 0.75rem; padding: 0.3rem 0.4rem 0.3rem 0.9rem; border-bottom: 1px solid var(--zs-line); min-width: 0; }
    h2 { font-size: 0.95rem; margin: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
    .count { color: var(--zs-muted); white-space: nowrap; font-variant-numeric: tabular-nums; }
    button { font: inherit; color: var(--zs-text); cursor: pointer; }
    button:focus-visible, [role=row]:focus-visible { outline: 2px solid var(--zs-accent); outline-offset: -2px; }
    .close { margin-left: auto; flex: none; width: 2rem; height: 2rem; border: 1px solid var(--zs-line); border-radius: 4px; background: var(--zs-bg); font-size: 1rem; line-height: 1; }
    @media (max-width: 699px) { .close { width: 44px; height: 44px; } }
    .grid { flex: 1; min-height: 0; display: flex; flex-direction: column; }
    /* The gutter matches the body's vertical scrollbar, so the columns line up to the end. */
    .head { flex: none; overflow: hidden; scrollbar-gutter: stable; background: var(--zs-bg); }
    /* min-height 0 is set inline (cssProps): the virtualizer gives itself an inline 150px unless one is there already. */
    lit-virtualizer { flex: 1; overscroll-behavior: contain; }
    .row { display: grid; grid-template-columns: var(--cols); align-items: center; width: max(var(--row-w), 100%); height: var(--row-h); box-sizing: border-box; border-bottom: 1px solid var(--zs-line); }
    lit-virtualizer .row { cursor: pointer; }
    lit-virtualizer .row:hover { background: color-mix(in srgb, var(--zs-text) 5%, var(--zs-bg)); }
    /* Selected: tinted, bold and ticked, so it never rests on colour alone. */
    lit-virtualizer .row.sel { background: color-mix(in srgb, var(--zs-accent) 14%, var(--zs-bg)); font-weight: 600; }
    .head .row { height: var(--head-h); border-bottom-width: 2px; }
    [role=gridcell], [role=columnheader] { min-width: 0; padding: 0 0.5rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    [role=columnheader] { padding: 0 0.15rem; font-weight: 600; }
    [role=columnheader] button { display: flex; align-items: center; gap: 0.25rem; width: 100%; height: calc(var(--head-h) - 0.3rem); padding: 0 0.35rem; border: 0; border-radius: 3px; background: none; font-weight: 600; text-align: left; }
    [role=columnheader] button:hover { background: color-mix(in srgb, var(--zs-text) 6%, var(--zs-bg)); }
    [role=columnheader].num button { flex-direction: row-reverse; text-align: right; }
    .label { overflow: hidden; text-overflow: ellipsis; }
    .arrow { flex: none; width: 0.7rem; color: var(--zs-accent); font-size: 0.7rem; }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    .check { padding: 0; text-align: center; color: var(--zs-accent); }
    .empty { flex: 1; padding: 1rem; color: var(--zs-muted); }
    .empty p { margin: 0 0 0.6rem; }
    .empty button { border: 1px solid var(--zs-line); border-radius: 4px; background: var(--zs-bg); padding: 0.3rem 0.7rem; }
    button.convert { border: 1px solid var(--zs-accent); border-radius: 4px; background: var(--zs-bg); color: var(--zs-accent); padding: 0 0.4rem; font-size: 0.75rem; }
    .empty button:focus-visible { outline-offset: 2px; }
    .vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  `;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('features') || changed.has('entry')) {
      // The rows changed under the roving tabindex; keep it on a row that exists.
      this.focusIndex = Math.max(0, Math.min(this.focusIndex, this.features.length - 1));
    }
    if (changed.has('entry')) this.headIndex = Math.max(0, Math.min(this.headIndex, (this.entry?.fields.length ?? 1) - 1));
    if (changed.has('selectedIds')) {
      // Selecting on the map should show the row: the first newly selected one is
      // revealed once rendered, and takes the tab stop so the keyboard continues there.
      const before = changed.get('selectedIds');
      const added = new Set([...this.selectedIds].filter((id) => !before?.has(id)));
      const index = added.size > 0 ? this.features.findIndex((f) => added.has(featureKey(f))) : -1;
      if (index >= 0) {
        this.focusIndex = index;
        this.#revealIndex = index;
      }
    }
  }

  override updated(): void {
    if (this.#revealIndex === null) return;
    const index = this.#revealIndex;
    this.#revealIndex = null;
    void this.#reveal(index);
  }

  override render() {
    const entry = this.entry;
    if (!entry) return nothing;
    const lang = this.locale;
    const shown = this.features.length;
    const count = shown === this.total
      ? t(lang, 'table.count', { count: formatNumber(lang, shown) })
      : t(lang, 'table.countFiltered', { shown: formatNumber(lang, shown), total: formatNumber(lang, this.total) });
    return html`<div class="bar">
        <h2 id="caption">${entry.name[lang]}</h2>
        <span class="count" role="status" data-shown=${shown} data-total=${this.total}>${count}</span>
        <button type="button" class="close" aria-label=${t(lang, 'table.close')} title=${t(lang, 'table.close')}
          @click=${() => emit(this, 'zs-table-close', null)}><span aria-hidden="true">✕</span></button>
      </div>
      ${shown > 0 ? this.#grid(entry, lang) : this.#empty(entry, lang)}`;
  }

  #empty(entry: LayerEntry, lang: Lang) {
    if (this.total === 0) return html`<div class="empty"><p>${t(lang, 'table.empty')}</p></div>`;
    return html`<div class="empty">
      <p>${t(lang, 'table.noMatch')}</p>
      <button type="button" @click=${() => emit(this, 'zs-filters-clear', { layerId: entry.id })}>${t(lang, 'table.clearFilters')}</button>
    </div>`;
  }

  #grid(entry: LayerEntry, lang: Lang) {
    const fields = entry.fields;
    const convert = this.convertible;
    const widths = [1.75, ...fields.map((f) => columnWidth(f, lang)), ...(convert ? [lang === 'zh' ? 6.5 : 7.5] : [])];
    const cols = widths.map((w) => `${w.toFixed(2)}rem`).join(' ');
    const rowWidth = `${widths.reduce((a, b) => a + b, 0).toFixed(2)}rem`;
    const sort = this.sort;
    const selected = this.selectedIds;
    const focusIndex = this.focusIndex;
    const latin = this.latin;
    // A new function each render, so the virtualizer re-renders its rows when the
    // selection, focus or language changes, not only when the items do.
    const renderRow = (f: Feature, index: number) => {
      const id = featureKey(f);
      const sel = id !== '' && selected.has(id);
      const p = f.properties ?? {};
      return html`<div role="row" class=${sel ? 'row sel' : 'row'} aria-rowindex=${index + 2} aria-selected=${sel ? 'true' : 'false'}
        tabindex=${index === focusIndex ? '0' : '-1'} data-index=${index} data-id=${id}>
        <div role="gridcell" class="check" aria-colindex="1">${sel ? html`<span aria-hidden="true">✓</span>` : nothing}</div>
        ${fields.map((fd, c) => {
          const text = formatValue(fd, ownValue(p, fd.name), lang, latin);
          return html`<div role="gridcell" class=${isNumeric(fd) ? 'num' : ''} aria-colindex=${c + 2} title=${text}>${text}</div>`;
        })}
        ${convert ? html`<div role="gridcell" aria-colindex=${fields.length + 2}><button type="button" class="convert" data-convert=${id} tabindex="-1"
          @click=${(e: Event) => {
            // The row's own click would pick it too: the button is an action of its own.
            e.stopPropagation();
            emit(this, 'zs-plan-convert', { layerId: entry.id, featureId: id });
          }}>${t(lang, 'table.convert')}</button></div>` : nothing}
      </div>`;
    };
    return html`<div class="grid" role="grid" aria-labelledby="caption" aria-multiselectable="true" aria-rowcount=${this.features.length + 1}
        aria-colcount=${fields.length + 1 + (convert ? 1 : 0)} style=${cssProps({ '--cols': cols, '--row-w': rowWidth })}
        @click=${this.#onClick} @mousedown=${this.#onMouseDown} @keydown=${this.#onKey}>
        <div role="rowgroup" class="head" @scroll=${this.#onHeadScroll} @keydown=${this.#onHeadKey}>
          <div role="row" class="row" aria-rowindex="1">
            <div role="columnheader" class="check" aria-colindex="1"><span class="vh">${t(lang, 'table.selected')}</span></div>
            ${fields.map((fd, c) => {
              const dir = sort?.field === fd.name ? sort.dir : null;
              return html`<div role="columnheader" class=${isNumeric(fd) ? 'num' : ''} aria-colindex=${c + 2} data-field=${fd.name}
                aria-sort=${dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : nothing}>
                <button type="button" title=${fd.label[lang]} data-col=${c} tabindex=${c === this.headIndex ? '0' : '-1'}
                  @click=${() => {
                    this.headIndex = c;
                    emit(this, 'zs-table-sort', { layerId: entry.id, field: fd.name });
                  }}>
                  <span class="label">${fd.label[lang]}</span><span class="arrow" aria-hidden="true">${dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : ''}</span>
                </button>
              </div>`;
            })}
            ${convert ? html`<div role="columnheader" aria-colindex=${fields.length + 2}><span class="label">${t(lang, 'popup.convert')}</span></div>` : nothing}
          </div>
        </div>
        <lit-virtualizer scroller role="rowgroup" style=${cssProps({ minHeight: '0' })} .items=${this.features} .keyFunction=${(f: Feature) => f}
          .renderItem=${renderRow} @visibilityChanged=${this.#onVisibility} @scroll=${this.#onBodyScroll}></lit-virtualizer>
      </div>`;
  }

  #rowOf(target: EventTarget | null): HTMLElement | null {
    return target instanceof Element ? target.closest<HTMLElement>('[role=row][data-index]') : null;
  }

  #row(index: number): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`lit-virtualizer [role=row][data-index="${index}"]`);
  }

  #select(index: number, e: MouseEvent | KeyboardEvent): void {
    const id = featureKey(this.features[index]);
    if (!this.entry || !id) return;
    emit(this, 'zs-row-select', { layerId: this.entry.id, id, additive: e.shiftKey || e.metaKey || e.ctrlKey });
  }

  #onClick = (e: MouseEvent): void => {
    const row = this.#rowOf(e.target);
    if (!row) return;
    const index = Number(row.dataset.index);
    this.focusIndex = index;
    this.#select(index, e);
  };

  /** Shift-click extends the selection, not a text selection across the rows. */
  #onMouseDown = (e: MouseEvent): void => {
    if (e.shiftKey && this.#rowOf(e.target)) e.preventDefault();
  };

  #onKey = (e: KeyboardEvent): void => {
    const row = this.#rowOf(e.target);
    if (!row) return;
    const index = Number(row.dataset.index);
    const page = Math.max(1, this.#visible.last - this.#visible.first - 1);
    let next: number;
    switch (e.key) {
      case 'ArrowDown': next = index + 1; break;
      case 'ArrowUp':
        // Above the first row: the header.
        if (index === 0) {
          e.preventDefault();
          this.#headButton(this.headIndex)?.focus();
          return;
        }
        next = index - 1;
        break;
      case 'PageDown': next = index + page; break;
      case 'PageUp': next = index - page; break;
      case 'Home': next = 0; break;
      case 'End': next = this.features.length - 1; break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.#select(index, e);
        return;
      default:
        return;
    }
    e.preventDefault();
    void this.#focusRow(Math.max(0, Math.min(next, this.features.length - 1)));
  };

  #headButton(col: number): HTMLButtonElement | null {
    return this.renderRoot.querySelector<HTMLButtonElement>(`.head button[data-col="${col}"]`);
  }

  /** Arrows along the header row; down into the rows. */
  #onHeadKey = (e: KeyboardEvent): void => {
    const button = e.target instanceof Element ? e.target.closest<HTMLButtonElement>('button[data-col]') : null;
    if (!button) return;
    const last = (this.entry?.fields.length ?? 1) - 1;
    const col = Number(button.dataset.col);
    let next: number;
    switch (e.key) {
      case 'ArrowRight': next = Math.min(last, col + 1); break;
      case 'ArrowLeft': next = Math.max(0, col - 1); break;
      case 'Home': next = 0; break;
      case 'End': next = last; break;
      case 'ArrowDown':
        e.preventDefault();
        if (this.features.length > 0) void this.#focusRow(this.focusIndex);
        return;
      default:
        return;
    }
    e.preventDefault();
    this.headIndex = next;
    // Focusing scrolls the header sideways (the body follows it), never the page: the
    // drawer is no wider than its cell.
    void this.updateComplete.then(() => this.#headButton(next)?.focus());
  };

  /**
   * Moves focus into the table, for a table just opened from the keyboard: to the row
   * that takes Tab, or to what the table shows instead of rows (its close button).
   */
  async focusTable(): Promise<void> {
    await this.updateComplete;
    if (this.features.length === 0) {
      this.renderRoot.querySelector<HTMLElement>('.empty button, button.close')?.focus();
      return;
    }
    // Just opened: the virtualizer draws its first rows after its first layout.
    if (!this.#row(this.focusIndex)) await this.#settled(true);
    await this.#focusRow(this.focusIndex);
  }

  #onVisibility = (e: VisibilityChangedEvent): void => {
    this.#visible = { first: e.first, last: e.last };
    // A row scrolled out of the DOM cannot take Tab; hand the tab stop to one in view,
    // unless the focused row is still there.
    const i = this.focusIndex;
    if ((i < e.first || i > e.last) && !this.#row(i)?.matches(':focus')) this.focusIndex = Math.max(0, e.first);
  };

  /** Resolves once the virtualizer has taken this update's items (and `layout` its layout). */
  async #settled(layout: boolean): Promise<void> {
    await this.updateComplete;
    const v = this.virtualizer;
    if (!v) return;
    await v.updateComplete;
    if (!layout) return;
    // layoutComplete waits for the next layout, which never comes when nothing changed,
    // and rejects when the element is disconnected meanwhile: bound it either way.
    const done = v.layoutComplete?.catch(() => undefined);
    await Promise.race([done, new Promise((r) => setTimeout(r, 500))]);
  }

  async #focusRow(index: number): Promise<void> {
    const token = ++this.#scrollToken;
    this.focusIndex = index;
    if (!this.#row(index)) {
      this.virtualizer?.scrollToIndex(index, 'nearest');
      await this.#settled(true);
      if (token !== this.#scrollToken) return;
    }
    const row = this.#row(index);
    if (!row) return;
    // Native focus scrolling would also scroll sideways to the row's start, losing the
    // column the user scrolled to; only the vertical position should follow the focus.
    row.focus({ preventScroll: true });
    this.#scrollRowIntoView(row, 'nearest');
  }

  /** Scrolls a row into view unless it already is, without taking focus from the map. */
  async #reveal(index: number): Promise<void> {
    const token = ++this.#scrollToken;
    // A row clicked in the table is already in view: nothing to wait for.
    const id = featureKey(this.features[index]);
    const now = this.#row(index);
    if (now?.dataset.id === id && this.#inView(now)) return;
    // A table opened on a picked feature has no rows yet: the virtualizer loads its layout
    // lazily and cannot scroll to an index before it has one, so wait for the first layout.
    await this.#settled(!now);
    // A later key press or selection has taken over the scroll position.
    if (token !== this.#scrollToken) return;
    const row = this.#row(index);
    if (row?.dataset.id === id) this.#scrollRowIntoView(row, 'center');
    else {
      try {
        this.virtualizer?.scrollToIndex(index, 'center');
      } catch {
        // Still no layout after the wait (a very slow machine): the row is not revealed.
      }
    }
  }

  #inView(row: HTMLElement): boolean {
    const v = this.virtualizer;
    if (!v) return false;
    const top = v.getBoundingClientRect().top;
    const r = row.getBoundingClientRect();
    return r.top >= top && r.bottom <= top + v.clientHeight;
  }

  /** Vertical scrolling only, and only when the row is not wholly in view. */
  #scrollRowIntoView(row: HTMLElement, block: 'nearest' | 'center'): void {
    const v = this.virtualizer;
    if (!v || this.#inView(row)) return;
    const box = v.getBoundingClientRect();
    const r = row.getBoundingClientRect();
    // clientHeight leaves out the horizontal scrollbar at the bottom of the body.
    const bottom = box.top + v.clientHeight;
    const delta = block === 'center'
      ? r.top - box.top - (v.clientHeight - r.height) / 2
      : r.top < box.top ? r.top - box.top : r.bottom - bottom;
    v.scrollTop += delta;
  }

  // The header follows the body sideways; the body follows the header when focus moves
  // to a header button out of view. Scroll events arrive a frame late: the one our own
  // setting of the other side causes is recognised by its position (as the browser clamped
  // it) and ignored, or a late echo of an older position would pull back a newer scroll
  // of this side (focus scrolling the header to its last column, say).
  /** Per element, where our own move of it put it: its next scroll event is that echo. */
  readonly #echo = new Map<HTMLElement, number>();

  #onBodyScroll = (): void => {
    if (this.virtualizer && this.head) this.#follow(this.virtualizer, this.head);
  };

  #onHeadScroll = (): void => {
    if (this.virtualizer && this.head) this.#follow(this.head, this.virtualizer);
  };

  /** Moves `to` sideways to where `from` is, unless `from`'s event is the echo of our own move of it. */
  #follow(from: HTMLElement, to: HTMLElement): void {
    const echo = this.#echo.get(from);
    this.#echo.delete(from);
    if (echo === from.scrollLeft) return;
    const was = to.scrollLeft;
    to.scrollLeft = from.scrollLeft;
    // No move (already there, or clamped where it was): no event to wait for.
    if (to.scrollLeft !== was) this.#echo.set(to, to.scrollLeft);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-attribute-table': AttributeTable;
  }
}
