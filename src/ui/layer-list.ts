/**
 * The layer list: a toggle, the legend classes, and the load state of each catalogue
 * layer (progress, feature count, or a plain message when it failed). Errors are shown
 * in place, so one broken file never hides the others.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { cssProps } from './css-props.ts';
import type { FeatureCollection } from 'geojson';
import type { Catalogue, LayerEntry } from '../app/registry.ts';
import type { LayerFilters } from '../app/filters.ts';
import type { Lang, LayerState, ViewportStatus } from '../app/store.ts';
import { styleClasses } from '../app/style-classes.ts';
import { emit } from './events.ts';
import { formatBytes, formatNumber, t } from './i18n.ts';

@customElement('zs-layer-list')
export class LayerList extends LitElement {
  @property({ attribute: false }) catalogue: Catalogue | null = null;
  @property({ attribute: false }) layers: Readonly<Record<string, LayerState>> = {};
  @property() locale: Lang = 'zh';
  /** Filters, the unfiltered data (for value counts) and the filtered counts. */
  @property({ attribute: false }) filters: LayerFilters = {};
  @property({ attribute: false }) data: Readonly<Record<string, FeatureCollection>> = {};
  @property({ attribute: false }) shown: Readonly<Record<string, number>> = {};
  /** Read-only lists (the public view) show no filter or table buttons. */
  @property({ type: Boolean }) readonly = false;
  @property({ attribute: false }) openTable: string | null = null;
  /** The user's arrangement of the list, top first (null: the catalogue's). */
  @property({ attribute: false }) order: readonly string[] | null = null;
  /** Per layer, how opaque it is drawn (0–1). */
  @property({ attribute: false }) opacity: Readonly<Record<string, number>> = {};
  @state() private expanded = new Set<string>();

  static override styles = css`
    :host { display: block; }
    h3 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--zs-muted); margin: 0.9rem 0 0.3rem; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { padding: 0.35rem 0; border-bottom: 1px solid var(--zs-line); }
    label { display: flex; align-items: center; gap: 0.5rem; cursor: pointer; font-weight: 600; }
    /* An imported layer is named after its file, which may be one long unbroken run. */
    label > span:first-of-type { min-width: 0; overflow-wrap: anywhere; }
    input { width: 1.05rem; height: 1.05rem; margin: 0; accent-color: var(--zs-accent); }
    .state { margin-left: auto; font-weight: 400; font-size: 0.8rem; color: var(--zs-muted); font-variant-numeric: tabular-nums; }
    .classes { display: flex; flex-wrap: wrap; gap: 0.15rem 0.7rem; margin: 0.25rem 0 0 1.55rem; font-size: 0.78rem; color: var(--zs-text); }
    .cls { display: inline-flex; align-items: center; gap: 0.3rem; }
    .sw { width: 0.85rem; height: 0.85rem; border-radius: 2px; border: 2px solid var(--c); background: var(--c); box-sizing: border-box; }
    .sw.dash { background: repeating-linear-gradient(45deg, var(--c) 0 2px, transparent 2px 4px); border-style: dashed; }
    .sw.pt { border-radius: 50%; }
    .sw.pt.dash { background: transparent; border-style: solid; }
    .sw.ln { height: 0.3rem; border-width: 0; }
    .sw.ln.dash { background: repeating-linear-gradient(90deg, var(--c) 0 4px, transparent 4px 6px); }
    .viewport { margin: 0.2rem 0 0 1.55rem; color: var(--zs-muted, #555); font-size: 0.8rem; }
    .error { margin: 0.3rem 0 0 1.55rem; color: var(--zs-error); font-size: 0.8rem; overflow-wrap: anywhere; }
    .warn { margin: 0.2rem 0 0 1.55rem; color: var(--zs-warn); font-size: 0.78rem; }
    progress { width: 4rem; height: 0.5rem; }
    .actions { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem; margin: 0.25rem 0 0 1.55rem; }
    .actions button { white-space: nowrap; }
    .actions button { font: inherit; font-size: 0.75rem; border: 1px solid var(--zs-line); background: var(--zs-bg); color: var(--zs-text); border-radius: 4px; padding: 0.1rem 0.45rem; cursor: pointer; }
    .arrange { margin-left: auto; display: inline-flex; align-items: center; gap: 0.15rem; }
    /* Secondary: quiet until hovered or focused, so the list reads as layers, not controls. */
    .arrange { opacity: 0.55; }
    li:hover .arrange, .arrange:focus-within { opacity: 1; }
    .arrange button { padding: 0.1rem 0.3rem; line-height: 1; font-size: 0.65rem; }
    .arrange button:disabled { opacity: 0.35; cursor: default; }
    .arrange input[type=range] { width: 3.5rem; height: 1rem; margin: 0 0 0 0.2rem; accent-color: var(--zs-muted); }
    .actions button[aria-pressed=true], .actions button[aria-expanded=true] { border-color: var(--zs-accent); color: var(--zs-accent); font-weight: 600; }
    :focus-visible { outline: 2px solid var(--zs-accent); outline-offset: 2px; }
    /* A phone: each row's toggle and button a finger high. */
    @media (max-width: 699px) { label { min-height: 44px; } .actions button { min-height: 44px; padding: 0 0.7rem; } }
  `;

  #row(entry: LayerEntry, state: LayerState | undefined, first = false, last = false) {
    const lang = this.locale;
    const name = entry.name[lang];
    const shape = entry.geometry.includes('Point') ? 'pt' : entry.geometry.includes('Line') ? 'ln' : '';
    const classes = this.catalogue ? styleClasses(entry, this.catalogue.stages) : [];
    let status: unknown = nothing;
    if (state?.status === 'loading') {
      status = state.progress !== null
        ? html`<progress max="1" value=${state.progress} aria-label=${t(lang, 'layers.loading', { percent: Math.round(state.progress * 100) })}></progress>`
        : t(lang, 'layers.loadingUnknown');
    } else if (state?.status === 'ready' && state.viewport) {
      status = formatNumber(lang, state.count ?? 0);
    } else if (state?.status === 'ready') {
      const shown = this.shown[entry.id];
      status = shown !== undefined && shown !== state.count
        ? t(lang, 'layers.filteredCount', { shown: formatNumber(lang, shown), total: formatNumber(lang, state.count ?? 0) })
        : formatNumber(lang, state.count ?? 0);
    } else if (state?.status === 'error') {
      status = t(lang, 'layers.failed');
    }
    return html`<li data-layer=${entry.id} data-status=${state?.status ?? 'loading'}>
      <label title=${entry.description?.[lang] ?? name}>
        <input type="checkbox" .checked=${state?.visible ?? entry.visible} aria-label=${t(lang, 'layers.toggle', { name })}
          @change=${(e: Event) => emit(this, 'zs-layer-toggle', { id: entry.id, visible: (e.target as HTMLInputElement).checked })} />
        <span>${name}</span>
        <span class="state" data-count=${state?.status === 'ready' ? String(state.count) : ''} data-shown=${state?.status === 'ready' ? String(this.shown[entry.id] ?? state.count) : ''}>${status}</span>
      </label>
      ${classes.length > 1 || entry.styleField
        ? html`<div class="classes">${classes.map((c) => html`<span class="cls"><span class="sw ${shape} ${c.dash ? 'dash' : ''}" style=${cssProps({ '--c': c.color })}></span>${c.label[lang]}</span>`)}</div>`
        : nothing}
      ${state?.status === 'ready' && !this.readonly ? this.#actions(entry, first, last) : nothing}
      ${this.expanded.has(entry.id) && state?.status === 'ready' && !this.readonly
        ? html`<zs-filter-editor id=${`filters-${entry.id}`} .entry=${entry} .filters=${this.filters[entry.id] ?? []} .features=${this.data[entry.id]?.features ?? []} .locale=${lang}></zs-filter-editor>`
        : nothing}
      ${state?.status === 'ready' && state.viewport ? this.#viewport(state.viewport) : nothing}
      ${state?.error ? html`<p class="error" role="alert">${state.error}</p>` : nothing}
      ${state?.status === 'ready' && state.skipped > 0 ? html`<p class="warn">${t(lang, 'layers.skipped', { count: state.skipped })}</p>` : nothing}
    </li>`;
  }

  /** What a layer read by viewport shows of the current view, and what it cost. */
  #viewport(v: ViewportStatus) {
    const lang = this.locale;
    const text = v.mode === 'overview'
      ? t(lang, 'layers.viewport.overview', { count: formatNumber(lang, v.inView) })
      : t(lang, 'layers.viewport.features', { shown: formatNumber(lang, v.inView), bytes: formatBytes(lang, v.bytes) });
    return html`<p class="viewport" title=${t(lang, 'layers.viewport.note')} data-mode=${v.mode} data-loading=${v.loading ? 'true' : 'false'}
      data-in-view=${String(v.inView)} aria-live="polite">${v.loading ? t(lang, 'layers.viewport.loading') : text}</p>`;
  }

  #actions(entry: LayerEntry, first: boolean, last: boolean) {
    const lang = this.locale;
    const open = this.expanded.has(entry.id);
    const filtered = (this.filters[entry.id]?.length ?? 0) > 0;
    return html`<div class="actions">
      <button type="button" data-action="filter" aria-expanded=${open ? 'true' : 'false'} aria-controls=${`filters-${entry.id}`}
        @click=${() => {
          const next = new Set(this.expanded);
          if (open) next.delete(entry.id);
          else next.add(entry.id);
          this.expanded = next;
          // Loaded with the first filter opened; it upgrades in place when it arrives.
          if (!open) void import('./filter-editor.ts');
        }}>${t(lang, filtered ? 'filter.buttonActive' : 'filter.button')}</button>
      ${filtered ? html`<button type="button" data-action="filter-zoom" @click=${() => emit(this, 'zs-filter-zoom', { layerId: entry.id })}>${t(lang, 'filter.zoom')}</button>` : nothing}
      <button type="button" data-action="table" aria-pressed=${this.openTable === entry.id ? 'true' : 'false'}
        @click=${() => emit(this, 'zs-table-open', { layerId: this.openTable === entry.id ? null : entry.id })}>${t(lang, 'table.open')}</button>
      ${entry.group === 'user' && entry.geometry.includes('Polygon')
        ? html`<button type="button" data-action="study" @click=${() => emit(this, 'zs-study-layer', { layerId: entry.id })}>${t(lang, 'layers.useAsStudy')}</button>`
        : nothing}
      ${entry.group === 'user' ? html`<button type="button" data-action="remove" @click=${() => emit(this, 'zs-user-layer-remove', { layerId: entry.id })}>${t(lang, 'io.remove')}</button>` : nothing}
      <span class="arrange">
        <button type="button" data-action="up" aria-label=${t(lang, 'layers.up', { name: entry.name[lang] })} title=${t(lang, 'layers.up', { name: entry.name[lang] })}
          ?disabled=${first} @click=${() => emit(this, 'zs-layer-move', { id: entry.id, direction: 'up' })}>▲</button>
        <button type="button" data-action="down" aria-label=${t(lang, 'layers.down', { name: entry.name[lang] })} title=${t(lang, 'layers.down', { name: entry.name[lang] })}
          ?disabled=${last} @click=${() => emit(this, 'zs-layer-move', { id: entry.id, direction: 'down' })}>▼</button>
        <input type="range" min="0" max="100" step="5" data-action="opacity" .value=${String(Math.round((this.opacity[entry.id] ?? 1) * 100))}
          aria-label=${t(lang, 'layers.opacity', { name: entry.name[lang] })} title=${t(lang, 'layers.opacity', { name: entry.name[lang] })}
          @input=${(e: Event) => emit(this, 'zs-layer-opacity', { id: entry.id, opacity: Number((e.target as HTMLInputElement).value) / 100 })} />
      </span>
    </div>`;
  }

  /** A group's layers in the user's order, then any it does not name yet, in the catalogue's. */
  #ordered(entries: readonly LayerEntry[]): LayerEntry[] {
    const order = this.order;
    if (!order) return [...entries];
    const rank = (e: LayerEntry): number => {
      const i = order.indexOf(e.id);
      return i < 0 ? order.length + entries.indexOf(e) : i;
    };
    return [...entries].sort((a, b) => rank(a) - rank(b));
  }

  override render() {
    const cat = this.catalogue;
    if (!cat) return nothing;
    const groups = (['programme', 'reference', 'user'] as const).map((g) => [g, cat.layers.filter((l) => l.group === g)] as const).filter(([, ls]) => ls.length > 0);
    return html`${groups.map(([g, entries]) => {
      const ordered = this.#ordered(entries);
      return html`<h3>${t(this.locale, `layers.group.${g}`)}</h3>
        <ul>${ordered.map((e, i) => this.#row(e, this.layers[e.id], i === 0, i === ordered.length - 1))}</ul>`;
    })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-layer-list': LayerList;
  }
}
