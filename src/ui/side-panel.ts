/**
 * The side panel (a bottom sheet on phones): title, demo-data notice, language switch,
 * layers with legend, basemap choice and the data source. It renders the store's state
 * and emits events; it holds no state of its own.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { MetricValue } from '../analysis/programme.ts';
import type { AppState, PanelTab } from '../app/store.ts';
import { emit } from './events.ts';
import { t, type MessageKey } from './i18n.ts';
import './layer-list.ts';
import './basemap-switcher.ts';
import './dashboard-panel.ts';
import './analysis-panel.ts';
import './public-summary.ts';
import './search-box.ts';
import './data-io-panel.ts';
import './storage-status.ts';
import type { FeatureCollection } from 'geojson';
import type { SearchEntry } from '../app/search.ts';

const TABS: { id: PanelTab; key: MessageKey }[] = [
  { id: 'layers', key: 'tab.layers' },
  { id: 'dashboard', key: 'tab.dashboard' },
  { id: 'analysis', key: 'tab.analysis' },
];

@customElement('zs-side-panel')
export class SidePanel extends LitElement {
  @property({ attribute: false }) state: AppState | null = null;
  /** Programme figures, derived from the state by the composition root. */
  @property({ attribute: false }) metrics: readonly MetricValue[] = [];
  /** The layers with the filters applied. */
  @property({ attribute: false }) filtered: Readonly<Record<string, FeatureCollection>> = {};
  @property({ attribute: false }) searcher: ((q: string) => SearchEntry[]) | null = null;

  static override styles = css`
    :host { display: flex; flex-direction: column; min-height: 0; background: var(--zs-bg); color: var(--zs-text); }
    header { padding: 0.8rem 1rem 0.6rem; border-bottom: 1px solid var(--zs-line); }
    .top { display: flex; align-items: flex-start; gap: 0.5rem; }
    h1 { font-size: 1.15rem; margin: 0; line-height: 1.3; }
    .sub { margin: 0.15rem 0 0; font-size: 0.8rem; color: var(--zs-muted); }
    button { font: inherit; font-size: 0.8rem; border: 1px solid var(--zs-line); background: var(--zs-bg); color: var(--zs-text); border-radius: 4px; padding: 0.25rem 0.55rem; cursor: pointer; }
    button:focus-visible, :focus-visible { outline: 2px solid var(--zs-accent); outline-offset: 2px; }
    .lang { flex: none; }
    .print { margin-left: auto; flex: none; }
    .demo { margin: 0.6rem 0 0; padding: 0.45rem 0.6rem; border-radius: 4px; background: var(--zs-demo-bg); border: 1px solid var(--zs-demo-line); font-size: 0.8rem; }
    .badge { display: inline-block; font-weight: 700; margin-right: 0.35rem; color: var(--zs-demo-text); }
    .body { overflow-y: auto; padding: 0 1rem 1rem; flex: 1; min-height: 0; }
    .note { font-size: 0.78rem; color: var(--zs-muted); margin: 0.3rem 0 0; }
    .error { color: var(--zs-error); }
    footer { font-size: 0.75rem; color: var(--zs-muted); margin-top: 1rem; }
    [role=tablist] { display: flex; gap: 0.25rem; margin-top: 0.6rem; }
    [role=tab] { flex: 1; border-radius: 4px 4px 0 0; border-bottom: 0; font-size: 0.85rem; padding: 0.35rem 0.4rem; }
    [role=tab][aria-selected=true] { background: var(--zs-accent); color: #fff; border-color: var(--zs-accent); font-weight: 600; }
  `;

  override render() {
    const s = this.state;
    if (!s) return nothing;
    const lang = s.lang;
    return html`<header>
        <div class="top">
          <div>
            <h1>${t(lang, 'app.title')}</h1>
            <p class="sub">${t(lang, 'app.subtitle')}</p>
          </div>
          <button class="print" id="print-open" @click=${() => emit(this, 'zs-print-open', null)}>${t(lang, 'print.open')}</button>
          <button class="lang" title=${t(lang, 'lang.label')} lang=${lang === 'zh' ? 'en' : 'zh'}
            @click=${() => emit(this, 'zs-lang-change', { lang: lang === 'zh' ? 'en' : 'zh' })}>${t(lang, 'lang.switch')}</button>
        </div>
        <p class="demo" role="note" id="demo-notice"><span class="badge">${t(lang, 'demo.badge')}</span>${t(lang, 'demo.notice')}</p>
        <zs-search-box .locale=${lang} .searcher=${this.searcher}></zs-search-box>
        <zs-storage-status id="storage-status" .problems=${s.storage} .locale=${lang}></zs-storage-status>
        ${s.mode === 'staff' ? html`<div role="tablist" aria-label=${t(lang, 'tabs.label')} @keydown=${this.#onTabKey}>
          ${TABS.map((tab) => html`<button role="tab" id=${`tab-${tab.id}`} aria-controls="tabpanel" aria-selected=${s.tab === tab.id ? 'true' : 'false'}
            tabindex=${s.tab === tab.id ? '0' : '-1'} @click=${() => emit(this, 'zs-tab', { tab: tab.id })}>${t(lang, tab.key)}</button>`)}
        </div>` : nothing}
      </header>
      ${s.mode === 'staff' ? this.#staffBody(s) : this.#publicBody(s)}`;
  }

  #publicBody(s: AppState) {
    const lang = s.lang;
    return html`<div class="body" tabindex="0" role="region" aria-label=${t(lang, 'public.heading')}>
      <zs-public-summary .catalogue=${s.catalogue} .data=${this.filtered} .locale=${lang}></zs-public-summary>
      <zs-layer-list readonly .catalogue=${s.catalogue} .layers=${s.layers} .locale=${lang}></zs-layer-list>
      ${s.catalogue ? html`<footer><strong>${t(lang, 'source.heading')}</strong>: ${s.catalogue.source[lang]} · ${s.catalogue.attribution}</footer>` : nothing}
    </div>`;
  }

  #staffBody(s: AppState) {
    const lang = s.lang;
    return html`<div class="body" role="tabpanel" id="tabpanel" tabindex="0" aria-labelledby=${`tab-${s.tab}`}>
        ${s.tab === 'dashboard' ? html`<zs-dashboard-panel .catalogue=${s.catalogue} .values=${this.metrics} .locale=${lang}></zs-dashboard-panel>` : nothing}
        ${s.tab === 'analysis' ? html`<zs-analysis-panel .state=${s}></zs-analysis-panel>` : nothing}
        ${s.tab === 'layers' ? this.#layers(s) : nothing}
      </div>`;
  }

  /** Arrow keys move between tabs, as the ARIA tabs pattern expects. */
  #onTabKey = (e: KeyboardEvent): void => {
    const s = this.state;
    if (!s || (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft')) return;
    const i = TABS.findIndex((x) => x.id === s.tab);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    emit(this, 'zs-tab', { tab: next.id });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next.id}`)?.focus());
  };

  #layers(s: AppState) {
    const lang = s.lang;
    return html`
        ${s.catalogueError ? html`<p class="error" role="alert">${t(lang, 'catalogue.failed', { message: s.catalogueError })}</p>` : nothing}
        <zs-layer-list .catalogue=${s.catalogue} .layers=${s.layers} .locale=${lang} .filters=${s.filters} .data=${s.data}
          .shown=${Object.fromEntries(Object.entries(this.filtered).map(([id, fc]) => [id, fc.features.length]))} .openTable=${s.table}></zs-layer-list>
        <p class="note">${t(lang, 'legend.schematicRoads')}</p>
        <zs-data-io-panel .state=${s}></zs-data-io-panel>
        <zs-basemap-switcher .basemap=${s.basemap} .tiandituKey=${s.tiandituKey} .locale=${lang}></zs-basemap-switcher>
        ${s.catalogue ? html`<footer><strong>${t(lang, 'source.heading')}</strong>: ${s.catalogue.source[lang]} · ${s.catalogue.attribution}</footer>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-side-panel': SidePanel;
  }
}
