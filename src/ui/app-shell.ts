/**
 * The page around the map: renders the state into the components of index.html (the side
 * panel and what its current tab shows, the table drawer, the print layout, the panel
 * toggle and the demo badge), each given only the properties it shows, and builds the
 * popup the map view opens. The one place that maps the state onto the components.
 */
import { html, nothing, render } from 'lit';
import type { Feature } from 'geojson';
import { linkTo } from '../app/controllers/url-hash.ts';
import type { Selectors } from '../app/selectors.ts';
import type { AppState, Selection } from '../app/store.ts';
import { styleClasses } from '../app/style-classes.ts';
import { valueText } from '../geo/value-text.ts';
import type { Choice } from './choice.ts';
import { emit } from './events.ts';
import { t } from './i18n.ts';
import type { PopupMeasures } from './feature-popup.ts';
import type { PrintLabels } from './print-layout.ts';
import type { PrintLegendGroup } from './print-page.ts';
import './side-panel.ts';
import './feature-popup.ts';
import './layer-list.ts';
import './basemap-switcher.ts';
import './public-summary.ts';

/**
 * Components only some visits use, loaded when first shown: the start then carries only
 * what the public view and the layer list need.
 */
const LAZY = {
  'zs-analysis-panel': () => import('./analysis-panel.ts'),
  'zs-attribute-table': () => import('./attribute-table.ts'),
  'zs-dashboard-panel': () => import('./dashboard-panel.ts'),
  'zs-data-io-panel': () => import('./data-io-panel.ts'),
  'zs-print-layout': () => import('./print-layout.ts'),
  'zs-embed-card': () => import('./embed-card.ts'),
} as const satisfies Record<string, () => Promise<unknown>>;

export interface ShellOptions {
  selectors: Selectors;
  /** A feature's measures for its popup (a huge one is measured in a worker). */
  measure: (f: Feature) => Promise<PopupMeasures>;
  /** The page's address, from which the embedded map links to the full one. */
  href: () => string;
  /** The view the embedded map's "open the full map" link opens. */
  fullMapMode: 'public' | 'staff';
}

/** The visible layers' classes, as legends list them; `keep` says which classes to keep. */
function legendGroups(s: AppState, keep: (layerId: string, value: string | null) => boolean = () => true): PrintLegendGroup[] {
  const cat = s.catalogue;
  if (!cat) return [];
  return cat.layers.flatMap((e): PrintLegendGroup[] => {
    if (!(s.layers[e.id]?.visible ?? e.visible)) return [];
    const classes = styleClasses(e, cat.stages).filter((c) => keep(e.id, c.value));
    return classes.length ? [{
      name: e.name[s.lang],
      shape: e.geometry.includes('Point') ? 'pt' : e.geometry.includes('Line') ? 'ln' : 'poly',
      classes: classes.map((c) => ({ label: c.label[s.lang], color: c.color, dash: c.dash })),
    }] : [];
  });
}

function printLabels(lang: AppState['lang'], title: string): PrintLabels {
  return {
    title,
    subtitle: t(lang, 'app.subtitle'),
    legend: t(lang, 'print.legend'),
    scale: t(lang, 'print.scale'),
    north: t(lang, 'print.north'),
    date: t(lang, 'print.date'),
    attribution: t(lang, 'source.heading'),
    demo: t(lang, 'demo.notice'),
    print: t(lang, 'print.print'),
    savePng: t(lang, 'print.savePng'),
    close: t(lang, 'print.close'),
    paper: t(lang, 'print.paper'),
    orientation: t(lang, 'print.orientation'),
    portrait: t(lang, 'print.portrait'),
    landscape: t(lang, 'print.landscape'),
    rendering: t(lang, 'print.rendering'),
    retry: t(lang, 'print.retry'),
    titleField: t(lang, 'print.titleField'),
    noteField: t(lang, 'print.noteField'),
  };
}

export class AppShell {
  readonly #doc: Document;
  readonly #opts: ShellOptions;
  readonly #panel: HTMLElementTagNameMap['zs-side-panel'];
  readonly #toggle: HTMLButtonElement;
  readonly #map: HTMLElement;
  readonly #drawer: HTMLElement;
  readonly #table: HTMLElementTagNameMap['zs-attribute-table'];
  readonly #badge: HTMLElement;
  readonly #print: HTMLElementTagNameMap['zs-print-layout'];
  readonly #embed: HTMLElementTagNameMap['zs-embed-card'];
  #panelOpen = false;
  /** The state last rendered, for the search box's function. */
  #state: AppState | null = null;

  constructor(doc: Document, options: ShellOptions) {
    this.#doc = doc;
    this.#opts = options;
    const get = <T extends Element>(sel: string): T => {
      const el = doc.querySelector<T>(sel);
      if (!el) throw new Error(`index.html lacks ${sel}`);
      return el;
    };
    this.#panel = get('zs-side-panel');
    this.#toggle = get('#panel-toggle');
    this.#map = get('#map');
    this.#drawer = get('#table-drawer');
    this.#table = get('zs-attribute-table');
    this.#badge = get('#demo-badge');
    this.#print = get('zs-print-layout');
    this.#embed = get('zs-embed-card');
    this.#toggle.addEventListener('click', () => emit(this.#toggle, 'zs-panel-toggle', { open: !this.#panelOpen }));
  }

  /** Whether a lazily loaded component is defined; if not, it is loaded and the page rendered again. */
  #has(tag: keyof typeof LAZY): boolean {
    if (customElements.get(tag)) return true;
    if (!this.#loading.has(tag)) {
      this.#loading.add(tag);
      void LAZY[tag]().then(() => {
        if (this.#state) this.render(this.#state);
      });
    }
    return false;
  }

  readonly #loading = new Set<string>();

  /** The element the map is drawn in. */
  get mapContainer(): HTMLElement {
    return this.#map;
  }

  render(s: AppState): void {
    const doc = this.#doc;
    const lang = s.lang;
    this.#panelOpen = s.panelOpen;
    doc.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    doc.title = t(lang, 'app.title');
    doc.body.classList.toggle('panel-open', s.panelOpen);
    this.#toggle.setAttribute('aria-expanded', String(s.panelOpen));
    this.#toggle.textContent = t(lang, s.panelOpen ? 'panel.close' : 'panel.open');
    this.#map.setAttribute('aria-label', t(lang, 'app.title'));
    this.#badge.textContent = t(lang, 'demo.badge');
    this.#badge.title = t(lang, 'demo.notice');

    const panel = this.#panel;
    panel.locale = lang;
    panel.mode = s.mode;
    panel.tab = s.tab;
    panel.storage = s.storage;
    panel.share = s.share;
    this.#state = s;
    panel.searcher ??= (q: string) => this.#opts.selectors.search(this.#state!, q);
    render(s.mode === 'staff' ? this.#staffBody(s) : this.#publicBody(s), panel);

    this.#renderTable(s);
    this.#renderPrint(s);
    this.#renderEmbed(s);
  }

  /** The embedded map's title, legend and link to the full map. */
  #renderEmbed(s: AppState): void {
    const show = s.mode === 'embed' && s.catalogue !== null && this.#has('zs-embed-card');
    this.#embed.hidden = !show;
    if (!show) return;
    const card = this.#embed;
    card.locale = s.lang;
    card.heading = s.catalogue!.title[s.lang];
    card.legend = legendGroups(s);
    card.href = linkTo(s, this.#opts.href(), this.#opts.fullMapMode);
  }

  #source(s: AppState) {
    const cat = s.catalogue;
    return cat ? html`<footer class="zs-source"><strong>${t(s.lang, 'source.heading')}</strong>: ${cat.source[s.lang]} · ${cat.attribution}</footer>` : nothing;
  }

  #publicBody(s: AppState) {
    const values = this.#opts.selectors.programme(s);
    if (values === null) void this.#opts.selectors.programmeLoaded().then(() => this.#state && this.render(this.#state));
    return html`<zs-public-summary .catalogue=${s.catalogue} .data=${this.#opts.selectors.filtered(s)} .values=${values} .locale=${s.lang}></zs-public-summary>
      <zs-layer-list readonly .catalogue=${s.catalogue} .layers=${s.layers} .locale=${s.lang}></zs-layer-list>
      ${this.#source(s)}`;
  }

  #staffBody(s: AppState) {
    if (s.tab === 'dashboard') {
      const values = this.#opts.selectors.programme(s);
      if (values === null) void this.#opts.selectors.programmeLoaded().then(() => this.#state && this.render(this.#state));
      if (!this.#has('zs-dashboard-panel') || values === null) return nothing;
      return html`<zs-dashboard-panel .catalogue=${s.catalogue} .values=${values} .locale=${s.lang}></zs-dashboard-panel>`;
    }
    if (s.tab === 'analysis') return this.#has('zs-analysis-panel') ? this.#analysis(s) : nothing;
    const lang = s.lang;
    const layers: Choice[] = (s.catalogue?.layers ?? []).map((l) => ({ value: l.id, label: l.name[lang] }));
    // Rendered before its code is here: the element upgrades, with these properties, when it arrives.
    this.#has('zs-data-io-panel');
    return html`
      ${s.catalogueError ? html`<p class="zs-error" role="alert">${t(lang, 'catalogue.failed', { message: s.catalogueError })}</p>` : nothing}
      <zs-layer-list .catalogue=${s.catalogue} .layers=${s.layers} .locale=${lang} .filters=${s.filters} .data=${s.data}
        .shown=${this.#opts.selectors.shownCounts(s)} .openTable=${s.table}></zs-layer-list>
      <p class="zs-note">${t(lang, 'legend.schematicRoads')}</p>
      <zs-data-io-panel .locale=${lang} .layers=${layers} .importJob=${s.importJob} .exportJob=${s.exportJob}
        .pickedLayer=${s.picked?.layerId ?? null} .hasStudyArea=${s.studyArea !== null}></zs-data-io-panel>
      <zs-basemap-switcher .basemap=${s.basemap} .tiandituKey=${s.tiandituKey} .locale=${lang}></zs-basemap-switcher>
      ${this.#source(s)}`;
  }

  #analysis(s: AppState) {
    const lang = s.lang;
    const roles = s.catalogue?.analysis;
    const zones = roles ? s.catalogue?.layers.find((l) => l.id === roles.zones) : undefined;
    const districts: Choice[] = (zones?.fields.find((f) => f.name === roles?.districtField)?.values ?? []).map((v) => ({ value: v.value, label: v.label[lang] }));
    const layers: Choice[] = (s.catalogue?.layers ?? []).map((l) => ({ value: l.id, label: l.name[lang] }));
    const sel = s.selection;
    return html`<zs-analysis-panel .locale=${lang} .districts=${districts} .layers=${layers} .settings=${s.coverageSettings}
      .coverage=${s.coverage} .showCoverage=${s.showCoverage} .tool=${s.tool} .studyLabel=${s.studyArea ? s.studyArea.label : null}
      .study=${s.study} .measurement=${s.measurement} .bufferRadius=${s.bufferRadius} .bufferLayer=${s.bufferLayer} .within=${s.within}
      .selectionName=${sel ? valueText(sel.properties.name ?? sel.featureId) : null}></zs-analysis-panel>`;
  }

  #renderTable(s: AppState): void {
    const show = s.mode === 'staff' && s.table !== null && s.catalogue !== null && this.#has('zs-attribute-table');
    this.#drawer.hidden = !show;
    this.#doc.body.classList.toggle('table-open', show);
    if (!show) return;
    const table = this.#table;
    table.entry = s.catalogue!.layers.find((l) => l.id === s.table) ?? null;
    table.features = this.#opts.selectors.tableRows(s);
    table.total = s.data[s.table!]?.features.length ?? 0;
    table.selectedIds = new Set(s.picked?.layerId === s.table ? s.picked.ids : []);
    table.sort = s.tableSort;
    table.locale = s.lang;
  }

  #renderPrint(s: AppState): void {
    const print = this.#print;
    const cat = s.catalogue;
    if (s.print.open && !this.#has('zs-print-layout')) return;
    print.hidden = !s.print.open;
    if (!s.print.open || !cat) return;
    const lang = s.lang;
    print.paper = s.print.paper;
    print.orientation = s.print.orientation;
    const typed = s.print.title;
    print.titleText = typed ?? cat.title[lang];
    print.note = s.print.note;
    print.labels = printLabels(lang, typed?.trim() ? typed.trim() : cat.title[lang]);
    // Only what the printed map shows: the classes with features after filtering, in the
    // printed extent (the screen's until the image says its own).
    const job = s.print.image;
    const inView = this.#opts.selectors.classesInView(s, job.response?.bounds ?? s.view.bounds ?? null);
    print.legend = legendGroups(s, (id, value) => (inView[id]?.get(value) ?? 0) > 0);
    print.date = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'long' }).format(new Date());
    print.attribution = `${cat.attribution} · ${cat.source[lang]}`;
    print.image = job.response;
    print.failure = job.status === 'error' ? t(lang, 'print.failed', { message: job.error ?? '' }) : job.status === 'cancelled' ? t(lang, 'print.cancelled') : null;
  }

  /** The print layout's page as a PNG, as it shows it ("Save PNG"). */
  async printPage(): Promise<Blob> {
    await customElements.whenDefined('zs-print-layout');
    return this.#print.pageImage();
  }

  /** The popup's content for a selected feature. */
  popup(selection: Selection, s: AppState): HTMLElement {
    const el = this.#doc.createElement('zs-feature-popup');
    el.entry = s.catalogue?.layers.find((l) => l.id === selection.layerId) ?? null;
    el.properties = selection.properties;
    el.locale = s.lang;
    el.mode = s.mode;
    el.stages = s.catalogue?.stages ?? null;
    el.measures = null;
    // Measures come from the full-precision geometry, not the tiled one MapLibre hands back.
    const f = s.data[selection.layerId]?.features.find((x) => String(x.properties?.id) === selection.featureId);
    if (f) this.#opts.measure(f).then((m) => (el.measures = m), () => undefined);
    return el;
  }
}
