/**
 * The side panel (a bottom sheet on phones): title, demo-data notice, language switch,
 * search, the storage line and, for staff, the tabs. What the current tab (or the public
 * view) shows comes in as children, into the panel's scrolling body. It renders what it
 * is given and emits events; it holds no state of its own.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { PANEL_TABS, type PanelTab } from '../app/registry.ts';
import type { Lang, ShareState, StorageProblem, ViewMode } from '../app/store.ts';
import type { SearchEntry } from '../app/search.ts';
import { emit } from './events.ts';
import { t, type MessageKey } from './i18n.ts';
import { controlStyles } from './shared-styles.ts';
import './search-box.ts';
import './storage-status.ts';
import './share-button.ts';

const TAB_KEYS: Record<PanelTab, MessageKey> = { layers: 'tab.layers', dashboard: 'tab.dashboard', analysis: 'tab.analysis' };

@customElement('zs-side-panel')
export class SidePanel extends LitElement {
  @property() locale: Lang = 'zh';
  @property() mode: ViewMode = 'staff';
  @property() tab: PanelTab = 'layers';
  @property({ attribute: false }) storage: readonly StorageProblem[] = [];
  @property({ attribute: false }) searcher: ((q: string) => SearchEntry[]) | null = null;
  @property({ attribute: false }) share: ShareState = { status: 'idle' };

  static override styles = [controlStyles, css`
    :host { display: flex; flex-direction: column; min-height: 0; background: var(--zs-bg); color: var(--zs-text); }
    header { padding: 0.8rem 1rem 0.6rem; border-bottom: 1px solid var(--zs-line); }
    .top { display: flex; align-items: flex-start; gap: 0.5rem; }
    /* When title and buttons do not fit side by side, the buttons take a line of their own, right-aligned, together. */
    .top { flex-wrap: wrap; row-gap: 0.4rem; }
    .actions { display: flex; align-items: flex-start; gap: 0.5rem; margin-left: auto; flex: none; }
    h1 { font-size: 1.15rem; margin: 0; line-height: 1.3; }
    .sub { margin: 0.15rem 0 0; font-size: 0.8rem; color: var(--zs-muted); }
    .lang { flex: none; }
    .print { margin-left: auto; flex: none; }
    .demo { margin: 0.6rem 0 0; padding: 0.45rem 0.6rem; border-radius: 4px; background: var(--zs-demo-bg); border: 1px solid var(--zs-demo-line); font-size: 0.8rem; }
    .badge { display: inline-block; font-weight: 700; margin-right: 0.35rem; color: var(--zs-demo-text); }
    .body { overflow-y: auto; padding: 0 1rem 1rem; flex: 1; min-height: 0; }
    [role=tablist] { display: flex; gap: 0.25rem; margin-top: 0.6rem; }
    [role=tab] { flex: 1; border-radius: 4px 4px 0 0; border-bottom: 0; font-size: 0.85rem; padding: 0.35rem 0.4rem; }
    [role=tab][aria-selected=true] { background: var(--zs-accent); color: #fff; border-color: var(--zs-accent); font-weight: 600; }
  `];

  override render() {
    const lang = this.locale;
    const staff = this.mode === 'staff';
    return html`<header>
        <div class="top">
          <div>
            <h1>${t(lang, 'app.title')}</h1>
            <p class="sub">${t(lang, 'app.subtitle')}</p>
          </div>
          <div class="actions">
          <button class="print" id="print-open" @click=${() => emit(this, 'zs-print-open', null)}>${t(lang, 'print.open')}</button>
          <zs-share-button .locale=${lang} .share=${this.share}></zs-share-button>
          <button class="lang" title=${t(lang, 'lang.label')} lang=${lang === 'zh' ? 'en' : 'zh'}
            @click=${() => emit(this, 'zs-lang-change', { lang: lang === 'zh' ? 'en' : 'zh' })}>${t(lang, 'lang.switch')}</button>
          </div>
        </div>
        <p class="demo" role="note" id="demo-notice"><span class="badge">${t(lang, 'demo.badge')}</span>${t(lang, 'demo.notice')}</p>
        <zs-search-box .locale=${lang} .searcher=${this.searcher}></zs-search-box>
        <zs-storage-status id="storage-status" .problems=${this.storage} .locale=${lang}></zs-storage-status>
        ${staff ? html`<div role="tablist" aria-label=${t(lang, 'tabs.label')} @keydown=${this.#onTabKey}>
          ${PANEL_TABS.map((tab) => html`<button role="tab" id=${`tab-${tab}`} aria-controls="tabpanel" aria-selected=${this.tab === tab ? 'true' : 'false'}
            tabindex=${this.tab === tab ? '0' : '-1'} @click=${() => emit(this, 'zs-tab', { tab })}>${t(lang, TAB_KEYS[tab])}</button>`)}
        </div>` : nothing}
      </header>
      ${staff
        ? html`<div class="body" role="tabpanel" id="tabpanel" tabindex="0" aria-labelledby=${`tab-${this.tab}`}><slot></slot></div>`
        : html`<div class="body" tabindex="0" role="region" aria-label=${t(lang, 'public.heading')}><slot></slot></div>`}`;
  }

  /** Arrow keys move between tabs, as the ARIA tabs pattern expects. */
  #onTabKey = (e: KeyboardEvent): void => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = PANEL_TABS.indexOf(this.tab);
    const next = PANEL_TABS[(i + (e.key === 'ArrowRight' ? 1 : PANEL_TABS.length - 1)) % PANEL_TABS.length]!;
    emit(this, 'zs-tab', { tab: next });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus());
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-side-panel': SidePanel;
  }
}
