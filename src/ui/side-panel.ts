/**
 * The side panel (a bottom sheet on phones): title, demo-data notice, language switch,
 * search, the storage line and, for staff, the tabs. What the current tab (or the public
 * view) shows comes in as children, into the panel's scrolling body. It renders what it
 * is given and emits events; it holds no state of its own.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { PANEL_TABS, type PanelTab } from '../app/registry.ts';
import { IDLE_JOB, type ExportSummary, type ImportSummary, type Job, type Lang, type PlanningView, type ShareState, type StorageProblem, type ViewMode } from '../app/store.ts';
import type { SearchAnswer } from '../app/search.ts';
import { emit } from './events.ts';
import { t, type MessageKey } from './i18n.ts';
import { controlStyles } from './shared-styles.ts';
import './search-box.ts';
import './storage-status.ts';
import './job-status.ts';
import './share-button.ts';

const TAB_KEYS: Record<PanelTab, MessageKey> = { layers: 'tab.layers', dashboard: 'tab.dashboard', analysis: 'tab.analysis', planning: 'tab.planning', data: 'tab.data' };

/** A printer, for the print button: the header has room for an icon, not for its words. */
const PRINTER = svg`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round">
  <path d="M6 9V3h12v6"/><rect x="3" y="9" width="18" height="8" rx="2"/><path d="M6 14h12v7H6z"/></svg>`;

@customElement('zs-side-panel')
export class SidePanel extends LitElement {
  @property() locale: Lang = 'zh';
  @property() mode: ViewMode = 'staff';
  @property() tab: PanelTab = 'layers';
  @property({ attribute: false }) storage: readonly StorageProblem[] = [];
  @property({ attribute: false }) searcher: ((q: string) => SearchAnswer) | null = null;
  /** The file jobs shown on the job line; null leaves it out (the Data tab shows them in full). */
  @property({ attribute: false }) jobs: { importJob: Job<ImportSummary>; exportJob: Job<ExportSummary> } | null = null;
  /** Planning's jobs for the job line; null leaves them out (the planning tab shows them in full). */
  @property({ attribute: false }) planning: { view: PlanningView; scenario: string } | null = null;
  @property({ attribute: false }) share: ShareState = { status: 'idle' };

  static override styles = [controlStyles, css`
    :host { display: flex; flex-direction: column; min-height: 0; background: var(--zs-bg); color: var(--zs-text); }
    /* Compact: the title on one line of its own, the subtitle (two lines at most) beside the
       icon buttons, then search and tabs. The demo notice heads the scrolling body (the
       map's badge keeps it in view). */
    header { display: flex; flex-direction: column; gap: 0.3rem; padding: 0.45rem 0.9rem 0.35rem; border-bottom: 1px solid var(--zs-line); }
    .top { display: grid; grid-template-columns: minmax(0, 1fr) auto auto auto; grid-template-areas: 'title title title title' 'sub print share lang'; align-items: center; gap: 0.1rem 0.35rem; }
    h1 { grid-area: title; min-width: 0; font-size: 1.05rem; margin: 0; line-height: 1.3; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .sub { grid-area: sub; margin: 0; font-size: 0.72rem; line-height: 1.25; color: var(--zs-muted); display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }
    .print { grid-area: print; }
    zs-share-button { grid-area: share; }
    .lang { grid-area: lang; }
    .top button, zs-share-button::part(button) { display: inline-flex; align-items: center; justify-content: center; min-width: 1.9rem; height: 1.9rem; padding: 0 0.45rem; white-space: nowrap; box-sizing: border-box; }
    .demo { margin: 0.6rem 0 0; padding: 0.45rem 0.6rem; border-radius: 4px; background: var(--zs-demo-bg); border: 1px solid var(--zs-demo-line); font-size: 0.8rem; }
    .badge { display: inline-block; font-weight: 700; margin-right: 0.35rem; color: var(--zs-demo-text); }
    .body { overflow-y: auto; padding: 0 1rem 1rem; flex: 1; min-height: 0; }
    [role=tablist] { display: flex; gap: 0.25rem; margin: 0 0 -0.35rem; }
    [role=tab] { flex: 1 1 auto; min-width: 0; border-radius: 4px 4px 0 0; border-bottom: 0; font-size: 0.8rem; padding: 0.25rem 0.2rem; white-space: nowrap; }
    [role=tab][aria-selected=true] { background: var(--zs-accent); color: #fff; border-color: var(--zs-accent); font-weight: 600; }
    /* A phone: buttons a finger can hit; the subtitle folds away (the title says it). */
    @media (max-width: 699px) {
      /* Title and three buttons on one line: "Zhoushan Remediation Map" needs every pixel at 390 px. */
      header { padding-inline: 0.5rem; }
      .top { grid-template-areas: 'title print share lang'; column-gap: 0.25rem; }
      h1 { font-size: 0.9rem; }
      .top button, zs-share-button::part(button) { min-width: 44px; height: 44px; }
      /* Tabs a finger can hit (over WCAG's 24 px) in a header that still leaves the map four fifths of a 720 px screen. */
      header { gap: 0.2rem; }
      [role=tab] { min-height: 30px; font-size: 0.85rem; }
      .sub { display: none; }
    }
  `];

  override render() {
    const lang = this.locale;
    const staff = this.mode === 'staff';
    return html`<header>
        <div class="top">
          <h1>${t(lang, 'app.title')}</h1>
          <p class="sub">${t(lang, 'app.subtitle')}</p>
          <button class="print" id="print-open" aria-label=${t(lang, 'print.open')} title=${t(lang, 'print.open')}
            @click=${() => emit(this, 'zs-print-open', null)}>${PRINTER}</button>
          <zs-share-button .locale=${lang} .share=${this.share}></zs-share-button>
          <button class="lang" title=${t(lang, 'lang.label')} lang=${lang === 'zh' ? 'en' : 'zh'}
            @click=${() => emit(this, 'zs-lang-change', { lang: lang === 'zh' ? 'en' : 'zh' })}>${t(lang, 'lang.switch')}</button>
          </div>
        </div>
        <zs-search-box .locale=${lang} .searcher=${this.searcher}></zs-search-box>
        <zs-storage-status id="storage-status" .problems=${this.storage} .locale=${lang}></zs-storage-status>
        ${this.jobs || this.planning ? html`<zs-job-status id="job-status" .locale=${lang} .importJob=${this.jobs?.importJob ?? IDLE_JOB} .exportJob=${this.jobs?.exportJob ?? IDLE_JOB}
          .planning=${this.planning}></zs-job-status>` : nothing}
        ${staff ? html`<div role="tablist" aria-label=${t(lang, 'tabs.label')} @keydown=${this.#onTabKey}>
          ${PANEL_TABS.map((tab) => html`<button role="tab" id=${`tab-${tab}`} aria-controls="tabpanel" aria-selected=${this.tab === tab ? 'true' : 'false'}
            tabindex=${this.tab === tab ? '0' : '-1'} @click=${() => emit(this, 'zs-tab', { tab })}>${t(lang, TAB_KEYS[tab])}</button>`)}
        </div>` : nothing}
      </header>
      ${staff
        ? html`<div class="body" role="tabpanel" id="tabpanel" tabindex="0" aria-labelledby=${`tab-${this.tab}`}>${this.#demo()}<slot></slot></div>`
        : html`<div class="body" tabindex="0" role="region" aria-label=${t(lang, 'public.heading')}>${this.#demo()}<slot></slot></div>`}`;
  }

  #demo() {
    const lang = this.locale;
    return html`<p class="demo" role="note" id="demo-notice"><span class="badge">${t(lang, 'demo.badge')}</span>${t(lang, 'demo.notice')}</p>`;
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
