/**
 * The page around the map: renders the state into the components of index.html (the side
 * panel and what its current tab shows, the table drawer, the print layout, the panel
 * toggle and the demo badge), each given only the properties it shows, and builds the
 * popup the map view opens. The one place that maps the state onto the components.
 */
import { html, nothing, render } from 'lit';
import type { Feature } from 'geojson';
import { compareScenarios } from '../app/controllers/compare.ts';
import { linkTo } from '../app/controllers/url-hash.ts';
import type { Selectors } from '../app/selectors.ts';
import type { GaussKrugerReadout } from '../app/coordinates.ts';
import type { AppState, HitList, Lang, Selection } from '../app/store.ts';
import { latinNames } from '../app/latin-names.ts';
import { styleClasses } from '../app/style-classes.ts';
import { valueText } from '../geo/value-text.ts';
import type { Choice } from './choice.ts';
import { emit } from './events.ts';
import { formatArea, formatDate, formatLength, formatPercent, t } from './i18n.ts';
import type { PopupMeasures } from './feature-popup.ts';
import type { PrintLabels } from './print-layout.ts';
import type { PrintFigures, PrintLegendGroup } from './print-page.ts';
import { CLOSED_COLOR, GAIN_CLASSES, PROPOSED_COLOR } from '../app/style-classes.ts';
import { compareSideLabel, scenarioLabel } from './scenario-label.ts';
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
  'zs-planning-panel': () => import('./planning-panel.ts'),
  'zs-print-layout': () => import('./print-layout.ts'),
  'zs-timeline-bar': () => import('./timeline-bar.ts'),
  'zs-progress-chart': () => import('./progress-chart.ts'),
  'zs-month-changes': () => import('./month-changes.ts'),
  'zs-coord-bar': () => import('./coord-bar.ts'),
  'zs-embed-card': () => import('./embed-card.ts'),
} as const satisfies Record<string, () => Promise<unknown>>;

export interface ShellOptions {
  selectors: Selectors;
  /** A feature's measures for its popup (a huge one is measured in a worker). */
  measure: (f: Feature) => Promise<PopupMeasures>;
  /** The pointer's position in Gauss–Krüger, for the coordinate bar (none: degrees only). */
  gaussKruger?: Pick<GaussKrugerReadout, 'project'>;
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

function printLabels(lang: AppState['lang'], title: string, asOf: string): PrintLabels {
  return {
    title,
    asOf,
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
  readonly #timeline: HTMLElementTagNameMap['zs-timeline-bar'];
  readonly #coords: HTMLElementTagNameMap['zs-coord-bar'];
  readonly #embed: HTMLElementTagNameMap['zs-embed-card'];
  #panelOpen = false;
  /** The state last rendered, for the search box's function. */
  #state: AppState | null = null;
  /** Latin names, remade when the basemap's roads or places arrive. */
  #latin: { roads: unknown; places: unknown; names: ReadonlyMap<string, string> } = { roads: undefined, places: undefined, names: new Map() };
  /** The table's layer last rendered, to notice it open and close. */
  #lastTable: string | null = null;
  /** What had focus when the table was opened from it, to give focus back when it closes. */
  #tableOpener: HTMLElement | null = null;
  /** The table was opened from the keyboard or a click: focus goes into it once it is drawn. */
  #focusTable = false;

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
    this.#timeline = get('zs-timeline-bar');
    this.#coords = get('zs-coord-bar');
    this.#embed = get('zs-embed-card');
    this.#toggle.addEventListener('click', () => emit(this.#toggle, 'zs-panel-toggle', { open: !this.#panelOpen }));
    doc.addEventListener('keydown', (e) => this.#onEscape(e));
  }

  /**
   * Escape closes the popup, else the table when the focus is in it. Focus that was in
   * what closed goes back to where the user came from: the map, or the table's button.
   * A component that uses Escape itself (the search box, the print layout) cancels the event.
   */
  #onEscape(e: KeyboardEvent): void {
    const s = this.#state;
    if (e.key !== 'Escape' || e.defaultPrevented || !s || s.print.open) return;
    const active = this.#doc.activeElement;
    if (s.selection) {
      e.preventDefault();
      const inMap = active !== null && this.#map.contains(active);
      emit(this.#doc.body, 'zs-popup-close', null);
      if (inMap) this.#map.querySelector<HTMLElement>('canvas')?.focus();
    } else if (s.table && active && this.#drawer.contains(active)) {
      e.preventDefault();
      emit(this.#doc.body, 'zs-table-close', null);
    }
  }

  /** The element with focus, inside shadow roots too. */
  #focused(): HTMLElement | null {
    let el = this.#doc.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el instanceof HTMLElement && el !== this.#doc.body ? el : null;
  }

  #latinNames(s: AppState): ReadonlyMap<string, string> {
    const { roads, places } = s.basemapData;
    if (roads !== this.#latin.roads || places !== this.#latin.places) this.#latin = { roads, places, names: latinNames(roads, places) };
    return this.#latin.names;
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
    panel.jobs = s.mode === 'staff' && s.tab !== 'data' ? { importJob: s.importJob, exportJob: s.exportJob } : null;
    const scenarioIndex = s.scenarios.findIndex((x) => x.id === s.scenarioId);
    panel.planning = s.mode === 'staff' && s.tab !== 'planning' && scenarioIndex >= 0 ? { view: s.planning, scenario: scenarioLabel(lang, s.scenarios[scenarioIndex]!, scenarioIndex) } : null;
    panel.share = s.share;
    this.#state = s;
    panel.searcher ??= (q: string) => this.#opts.selectors.search(this.#state!, q);
    render(s.mode === 'staff' ? this.#staffBody(s) : this.#publicBody(s), panel);

    this.#renderTable(s);
    this.#renderPrint(s);
    this.#renderTimeline(s);
    this.#renderCoords(s);
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

  /** The date control at the foot of the map, wherever the catalogue has a timeline (not in the bare embed). */
  #renderTimeline(s: AppState): void {
    const timeline = s.catalogue?.timeline;
    const show = timeline !== undefined && s.mode !== 'embed' && this.#has('zs-timeline-bar');
    const bar = this.#timeline;
    bar.hidden = !show;
    this.#doc.body.classList.toggle('timeline-on', show);
    if (!show) return;
    bar.locale = s.lang;
    bar.start = timeline.start;
    bar.end = timeline.end;
    bar.dataDate = timeline.dataDate;
    bar.asOf = s.asOf;
    bar.playing = s.timelinePlaying;
    bar.compare = s.compare;
  }

  /** The coordinate bar: for staff (a professional's tool), on screens wide enough for it (app.css). */
  #renderCoords(s: AppState): void {
    const bar = this.#coords;
    const show = s.mode === 'staff' && this.#has('zs-coord-bar');
    bar.hidden = !show;
    if (!show) return;
    bar.locale = s.lang;
    bar.marker = s.gotoMarker !== null;
  }

  /** The pointer moved over the map (null: it left); straight to the bar, not through the store, as it moves constantly. */
  pointer(lngLat: [number, number] | null): void {
    const bar = this.#coords;
    if (bar.hidden) return;
    bar.position = lngLat;
    bar.gk = lngLat ? (this.#opts.gaussKruger?.project(lngLat) ?? null) : null;
  }

  /**
   * What each side of a comparison on the map shows, for the labels over the two maps: two
   * days of the timeline, or two planning scenarios (or today and one).
   */
  compareLabels(s: AppState): { before: string; after: string; choice: string | null } {
    const lang = s.lang;
    const figures = s.planning.compare.response;
    if (compareScenarios(s) && figures) {
      return { before: compareSideLabel(lang, s.scenarios, figures.left.id), after: compareSideLabel(lang, s.scenarios, figures.right.id), choice: t(lang, 'plan.swipeSide') };
    }
    const timeline = s.catalogue?.timeline;
    const day = (d: string | null): string => (d === null ? t(lang, 'time.latest', { date: timeline ? formatDate(lang, timeline.dataDate) : '' }) : formatDate(lang, d));
    // The date bar holds the phone's choice between two days.
    return { before: day(s.asOf), after: day(s.compare?.asOf ?? null), choice: null };
  }

  /** A measured length (m) or area (m²) as the panel writes it, for the labels on the map. */
  formatMeasure(kind: 'line' | 'area', value: number, lang: Lang): string {
    return kind === 'line' ? formatLength(lang, value) : formatArea(lang, value);
  }

  /** The figure of a coverage grid cell: its share, covered and residential land; null without one. */
  #cellFigure(cellId: string, s: AppState): string | null {
    const c = this.#opts.selectors.cells(s)?.get(cellId);
    return c ? t(s.lang, 'cov.cellFigure', { share: formatPercent(s.lang, c.share), covered: formatArea(s.lang, c.covered), area: formatArea(s.lang, c.area) }) : null;
  }

  /** The tip over a cell of the coverage choropleth: its name and figure. */
  cellTip(cellId: string, s: AppState): HTMLElement | null {
    const row = this.#opts.selectors.cells(s)?.get(cellId);
    const el = this.#doc.createElement('div');
    el.className = 'zs-cell-tip';
    // A cell without residential land has no figure, only its name.
    const zones = s.catalogue?.analysis?.zones;
    const props = zones ? s.data[zones]?.features.find((f) => String(f.properties?.id) === cellId)?.properties : undefined;
    const name = row?.name ?? valueText((s.lang === 'en' ? props?.name_en : undefined) ?? props?.name ?? cellId);
    render(html`<strong>${name}</strong><br />${this.#cellFigure(cellId, s) ?? t(s.lang, 'cov.legend.noResidential')}`, el);
    return el;
  }

  /** The list of the features a click hit, each a button that opens that feature's popup. */
  hitList(list: HitList, s: AppState): HTMLElement {
    const lang = s.lang;
    const el = this.#doc.createElement('div');
    el.className = 'zs-hits';
    const item = (layerId: string, featureId: string) => {
      const entry = s.catalogue?.layers.find((l) => l.id === layerId);
      const p = s.data[layerId]?.features.find((f) => String(f.properties?.id) === featureId)?.properties;
      const name = valueText((lang === 'en' ? p?.name_en : undefined) ?? p?.name ?? featureId);
      return html`<li><button type="button" data-layer=${layerId} data-id=${featureId}
        @click=${(e: Event) => emit(e.currentTarget as HTMLElement, 'zs-hit-pick', { layerId, id: featureId })}>
        <span class="zs-hits-layer">${entry?.name[lang] ?? layerId}</span><span class="zs-hits-name">${name}</span></button></li>`;
    };
    render(html`<p class="zs-hits-head">${t(lang, 'hits.heading', { count: list.hits.length })}</p>
      <ul>${list.hits.map((h) => item(h.layerId, h.featureId))}</ul>`, el);
    return el;
  }

  #source(s: AppState) {
    const cat = s.catalogue;
    return cat ? html`<footer class="zs-source"><strong>${t(s.lang, 'source.heading')}</strong>: ${cat.source[s.lang]} · ${cat.attribution}</footer>` : nothing;
  }

  #publicBody(s: AppState) {
    const values = this.#opts.selectors.programme(s);
    if (values === null) void this.#opts.selectors.programmeLoaded().then(() => this.#state && this.render(this.#state));
    return html`${this.#monthChanges(s)}<zs-public-summary .catalogue=${s.catalogue} .data=${this.#opts.selectors.filtered(s)} .values=${values} .locale=${s.lang}></zs-public-summary>
      <zs-layer-list readonly .catalogue=${s.catalogue} .layers=${s.layers} .locale=${s.lang}></zs-layer-list>
      ${this.#source(s)}`;
  }

  #staffBody(s: AppState) {
    if (s.tab === 'dashboard') {
      const values = this.#opts.selectors.programme(s);
      if (values === null) void this.#opts.selectors.programmeLoaded().then(() => this.#state && this.render(this.#state));
      if (!this.#has('zs-dashboard-panel') || values === null) return nothing;
      // With a timeline, the charts: their code (uPlot, the series) comes with the first look.
      const charts = s.catalogue?.timeline !== undefined;
      if (charts) this.#has('zs-progress-chart');
      const progress = charts ? (id: string) => this.#progress(id) : null;
      return html`${this.#filterBanner(s)}<zs-dashboard-panel .catalogue=${s.catalogue} .values=${values} .locale=${s.lang}
        .filteredLayers=${Object.keys(s.filters)} .asOf=${s.asOf} .progress=${progress} theme=${s.theme}></zs-dashboard-panel>`;
    }
    if (s.tab === 'analysis') return this.#has('zs-analysis-panel') ? this.#analysis(s) : nothing;
    if (s.tab === 'data') return this.#data(s);
    if (s.tab === 'planning') return this.#planning(s);
    const lang = s.lang;
    return html`
      ${s.catalogueError ? html`<p class="zs-error" role="alert">${t(lang, 'catalogue.failed', { message: s.catalogueError })}</p>` : nothing}
      ${this.#filterBanner(s)}
      <zs-layer-list .catalogue=${s.catalogue} .layers=${s.layers} .locale=${lang} .filters=${s.filters} .data=${this.#opts.selectors.asOf(s)}
        .shown=${this.#opts.selectors.shownCounts(s)} .openTable=${s.table} .order=${s.layerOrder} .opacity=${s.layerOpacity}></zs-layer-list>
      <p class="zs-note">${t(lang, 'legend.schematicRoads')}</p>
      <zs-basemap-switcher .basemap=${s.basemap} .tiandituKey=${s.tiandituKey} .locale=${lang} .unreachable=${s.basemapUnreachable}></zs-basemap-switcher>
      ${this.#source(s)}`;
  }

  /** With a timeline, the public view opens with what changed this month. */
  #monthChanges(s: AppState) {
    if (!s.catalogue?.timeline || !this.#has('zs-month-changes')) return nothing;
    const changes = this.#opts.selectors.changes(s);
    if (!changes) void this.#opts.selectors.changesLoaded().then(() => this.#state && this.render(this.#state), () => undefined);
    return html`<zs-month-changes .catalogue=${s.catalogue} .changes=${changes} .locale=${s.lang}></zs-month-changes>`;
  }

  /** A figure month by month for the dashboard's chart; asks for a new render once its code is here. */
  #progress(metricId: string) {
    const s = this.#state;
    if (!s) return null;
    const view = this.#opts.selectors.progress(s, metricId);
    if (view === null) void this.#opts.selectors.progressLoaded().then(() => this.#state && this.render(this.#state), () => undefined);
    return view;
  }

  /** Says plainly that filters are on, wherever figures or counts follow them. */
  #filterBanner(s: AppState) {
    const ids = Object.keys(s.filters).filter((id) => (s.filters[id]?.length ?? 0) > 0);
    if (ids.length === 0) return nothing;
    const lang = s.lang;
    const names = ids.map((id) => s.catalogue?.layers.find((l) => l.id === id)?.name[lang] ?? id).join(lang === 'zh' ? '、' : ', ');
    return html`<p class="zs-filtered" role="status" data-filtered=${ids.join(' ')}>${t(lang, 'filter.banner', { layers: names })}
      <button type="button" @click=${(e: Event) => emit(e.target as HTMLElement, 'zs-filters-clear', { layerId: null })}>${t(lang, 'filter.clearAll')}</button></p>`;
  }

  /** Import and export, where staff look for them: a tab of their own. */
  #data(s: AppState) {
    const lang = s.lang;
    const layers: Choice[] = (s.catalogue?.layers ?? []).map((l) => ({ value: l.id, label: l.name[lang] }));
    // Rendered before its code is here: the element upgrades, with these properties, when it arrives.
    this.#has('zs-data-io-panel');
    return html`<zs-data-io-panel .locale=${lang} .layers=${layers} .importJob=${s.importJob} .exportJob=${s.exportJob}
      .pickedLayer=${s.picked?.layerId ?? null} .hasStudyArea=${s.studyArea !== null} .counts=${this.#opts.selectors.exportCounts(s)}
      .filteredLayers=${Object.keys(s.filters)}></zs-data-io-panel>`;
  }

  /** Names by id of the grid cells, in the UI's language. */
  #cellNames(s: AppState): ReadonlyMap<string, string> {
    const zones = s.catalogue?.analysis?.zones;
    const fc = zones ? s.data[zones] : undefined;
    if (fc !== this.#cells.fc || s.lang !== this.#cells.lang) {
      const names = new Map((fc?.features ?? []).map((f) => {
        const p = f.properties ?? {};
        return [valueText(p.id), valueText((s.lang === 'en' ? p.name_en : undefined) ?? p.name ?? p.id)] as const;
      }));
      this.#cells = { fc, lang: s.lang, names };
    }
    return this.#cells.names;
  }

  #cells: { fc: unknown; lang: Lang; names: ReadonlyMap<string, string> } = { fc: undefined, lang: 'zh', names: new Map() };

  #planning(s: AppState) {
    const lang = s.lang;
    const roles = s.catalogue?.analysis;
    const zones = roles ? s.catalogue?.layers.find((l) => l.id === roles.zones) : undefined;
    const districts: Choice[] = (zones?.fields.find((f) => f.name === roles?.districtField)?.values ?? []).map((v) => ({ value: v.value, label: v.label[lang] }));
    // Candidates can be any layer of points or polygons but the analysis's own inputs.
    const own = new Set(roles ? [roles.residential, roles.zones] : []);
    const candidateLayers: Choice[] = (s.catalogue?.layers ?? []).filter((l) => !own.has(l.id) && !l.geometry.includes('Line')).map((l) => ({ value: l.id, label: l.name[lang] }));
    const active = s.scenarios.find((x) => x.id === s.scenarioId);
    const closedNames = new Map((active?.closed ?? []).map((c) => {
      const p = s.data[c.layerId]?.features.find((f) => String(f.properties?.id) === c.featureId)?.properties;
      return [`${c.layerId}\u0000${c.featureId}`, valueText((lang === 'en' ? p?.name_en : undefined) ?? p?.name ?? c.featureId)] as const;
    }));
    this.#has('zs-planning-panel');
    return html`<zs-planning-panel .locale=${lang} .scenarios=${s.scenarios} .activeId=${s.scenarioId} .view=${s.planning} .tool=${s.tool}
      .districts=${districts} .cellNames=${this.#cellNames(s)} .candidateLayers=${candidateLayers} .closedNames=${closedNames}
      .tableExport=${s.tableExport} .baselineDay=${s.asOf && s.catalogue?.timeline ? formatDate(lang, s.catalogue.timeline.dataDate) : null}></zs-planning-panel>`;
  }

  #analysis(s: AppState) {
    const lang = s.lang;
    const roles = s.catalogue?.analysis;
    const zones = roles ? s.catalogue?.layers.find((l) => l.id === roles.zones) : undefined;
    const districts: Choice[] = (zones?.fields.find((f) => f.name === roles?.districtField)?.values ?? []).map((v) => ({ value: v.value, label: v.label[lang] }));
    const layers: Choice[] = (s.catalogue?.layers ?? []).map((l) => ({ value: l.id, label: l.name[lang] }));
    const sel = s.selection;
    const stages: Choice[] = Object.entries(s.catalogue?.stages ?? {}).map(([value, st]) => ({ value, label: st.label[lang] }));
    return html`<zs-analysis-panel .cells=${this.#opts.selectors.belowTarget(s)} .belowTarget=${s.belowTarget} .coverageCell=${s.coverageCell}
      .tableExport=${s.tableExport} .stages=${stages} .locale=${lang} .districts=${districts} .layers=${layers} .settings=${s.coverageSettings}
      .coverage=${s.coverage} .showCoverage=${s.showCoverage} .tool=${s.tool} .studyLabel=${s.studyArea ? s.studyArea.label : null}
      .study=${s.study} .measurement=${s.measurement} .bufferRadius=${s.bufferRadius} .bufferLayer=${s.bufferLayer} .within=${s.within}
      .selectionName=${sel ? valueText(sel.properties.name ?? sel.featureId) : null}></zs-analysis-panel>`;
  }

  #renderTable(s: AppState): void {
    this.#tableFocus(s.table);
    const show = s.mode === 'staff' && s.table !== null && s.catalogue !== null && this.#has('zs-attribute-table');
    this.#drawer.hidden = !show;
    this.#doc.body.classList.toggle('table-open', show);
    if (!show) return;
    const table = this.#table;
    table.entry = s.catalogue!.layers.find((l) => l.id === s.table) ?? null;
    table.features = this.#opts.selectors.tableRows(s);
    table.total = this.#opts.selectors.asOf(s)[s.table!]?.features.length ?? 0;
    table.selectedIds = new Set(s.picked?.layerId === s.table ? s.picked.ids : []);
    table.sort = s.tableSort;
    table.locale = s.lang;
    table.latin = this.#latinNames(s);
    table.convertible = s.catalogue!.analysis?.idle === s.table;
    if (this.#focusTable) {
      this.#focusTable = false;
      void table.focusTable();
    }
  }

  /**
   * A table opened from a button takes the focus, so the keyboard reaches it without
   * tabbing through the whole panel; closed, it gives the focus back to that button.
   * A table opened by a link at start (nothing has focus) leaves the focus alone.
   */
  #tableFocus(table: string | null): void {
    if (table === this.#lastTable) return;
    const focused = this.#focused();
    const inTable = focused !== null && (this.#drawer.contains(focused) || this.#table.shadowRoot?.contains(focused) === true);
    if (table !== null) {
      if (focused && !inTable) {
        this.#tableOpener = focused;
        this.#focusTable = true;
      }
    } else if (inTable || focused === null) {
      if (this.#tableOpener?.isConnected) this.#tableOpener.focus();
      this.#tableOpener = null;
      this.#focusTable = false;
    }
    this.#lastTable = table;
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
    const day = s.asOf ?? cat.timeline?.dataDate;
    print.labels = printLabels(lang, typed?.trim() ? typed.trim() : cat.title[lang], day ? t(lang, 'print.asOf', { date: formatDate(lang, day) }) : '');
    // Only what the printed map shows: the classes with features after filtering, in the
    // printed extent (the screen's until the image says its own).
    const job = s.print.image;
    const inView = this.#opts.selectors.classesInView(s, job.response?.bounds ?? s.view.bounds ?? null);
    print.legend = legendGroups(s, (id, value) => (inView[id]?.get(value) ?? 0) > 0);
    print.date = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'long' }).format(new Date());
    print.attribution = `${cat.attribution} · ${cat.source[lang]}`;
    const plan = this.#printPlan(s);
    print.figures = plan?.figures ?? null;
    if (plan) print.legend = [...print.legend, ...plan.legend];
    print.image = job.response;
    print.failure = job.status === 'error' ? t(lang, 'print.failed', { message: job.error ?? '' }) : job.status === 'cancelled' ? t(lang, 'print.cancelled') : null;
  }

  /**
   * Planning's buttons under a feature's attributes, for staff: an idle plot can become a
   * pocket park; a site of the active scenario's service can be closed (or reopened) in it.
   */
  #planActions(selection: Selection, s: AppState): HTMLElement | null {
    const roles = s.catalogue?.analysis;
    if (s.mode !== 'staff' || !roles) return null;
    const lang = s.lang;
    const ref = { layerId: selection.layerId, featureId: selection.featureId };
    const active = s.scenarios.find((x) => x.id === s.scenarioId);
    const convert = roles.idle === selection.layerId;
    const closable = active !== undefined && roles.services[active.kind].includes(selection.layerId);
    if (!convert && !closable) return null;
    const closed = closable && active.closed.some((c) => c.layerId === ref.layerId && c.featureId === ref.featureId);
    const converted = convert && s.scenarios.find((x) => x.id === s.scenarioId)?.added.some((x) => x.from?.layerId === ref.layerId && x.from.featureId === ref.featureId);
    const el = this.#doc.createElement('div');
    el.className = 'zs-popup-actions';
    render(html`${convert ? html`<button type="button" data-plan="convert" ?disabled=${converted === true}
        @click=${(e: Event) => emit(e.currentTarget as HTMLElement, 'zs-plan-convert', ref)}>${t(lang, 'popup.convert')}</button>` : nothing}
      ${closable ? html`<button type="button" data-plan="close" aria-pressed=${closed ? 'true' : 'false'}
        @click=${(e: Event) => emit(e.currentTarget as HTMLElement, 'zs-plan-close-site', ref)}>${t(lang, closed ? 'popup.reopenSite' : 'popup.closeSite')}</button>` : nothing}`, el);
    return el;
  }

  /** While the planning tab shows a scenario, the print shows its figures and its map's legend. */
  #printPlan(s: AppState): { figures: PrintFigures; legend: PrintLegendGroup[] } | null {
    const index = s.scenarios.findIndex((x) => x.id === s.scenarioId);
    const a = s.scenarios[index];
    const r = s.planning.coverage.response;
    if (s.mode !== 'staff' || s.tab !== 'planning' || !a || !r || r.scenarioId !== a.id) return null;
    const lang = s.lang;
    const pct = (x: number): string => formatPercent(lang, x);
    const change = (b: number, x: number): string => `${pct(b)} → ${pct(x)}`;
    const roles = s.catalogue?.analysis;
    const zones = roles ? s.catalogue?.layers.find((l) => l.id === roles.zones) : undefined;
    const districts = zones?.fields.find((f) => f.name === roles?.districtField)?.values ?? [];
    const kinds = { parks: 'cov.parks', ebike: 'cov.ebike', parking: 'cov.parking' } as const;
    const figures: PrintFigures = {
      heading: t(lang, 'print.scenario', { name: scenarioLabel(lang, a, index), kind: t(lang, kinds[a.kind]) }),
      rows: [
        [t(lang, 'plan.city'), change(r.before.total.share, r.after.total.share)],
        ...districts.flatMap((d) => {
          const b = r.before.byGroup[d.value];
          const x = r.after.byGroup[d.value];
          return b && x ? [[d.label[lang], change(b.share, x.share)] as const] : [];
        }),
        [t(lang, 'plan.up80', { count: r.crossed.up80.length }), ''],
        [t(lang, 'plan.up90', { count: r.crossed.up90.length }), ''],
        [t(lang, 'plan.newlyCovered', { count: r.newlyCovered.length }), ''],
        [t(lang, 'plan.sites', { count: a.added.length }), ''],
        [t(lang, 'plan.closed', { count: a.closed.length }), ''],
      ],
    };
    const legend: PrintLegendGroup[] = [
      { name: t(lang, 'plan.legend.gain'), shape: 'poly', classes: GAIN_CLASSES.map((c) => ({ label: c.label, color: c.color, dash: false })) },
      { name: t(lang, 'plan.legend.proposed'), shape: 'pt', classes: [{ label: t(lang, 'plan.legend.proposed'), color: PROPOSED_COLOR, dash: false }] },
      ...(a.closed.length ? [{ name: t(lang, 'plan.legend.closed'), shape: 'pt' as const, classes: [{ label: t(lang, 'plan.legend.closed'), color: CLOSED_COLOR, dash: false }] }] : []),
    ];
    return { figures, legend };
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
    // As the map shows it on the day chosen: the status then, not the latest.
    const shown = this.#opts.selectors.asOf(s)[selection.layerId]?.features.find((x) => String(x.properties?.id) === selection.featureId);
    el.properties = shown?.properties ?? selection.properties;
    el.locale = s.lang;
    el.mode = s.mode;
    el.stages = s.catalogue?.stages ?? null;
    el.latin = this.#latinNames(s);
    el.measures = null;
    // Measures come from the full-precision geometry, not the tiled one MapLibre hands back.
    const f = s.data[selection.layerId]?.features.find((x) => String(x.properties?.id) === selection.featureId);
    if (f) this.#opts.measure(f).then((m) => (el.measures = m), () => undefined);
    // A grid cell while coverage is shown: its figure under its attributes.
    const figure = s.tab === 'analysis' && s.showCoverage && selection.layerId === s.catalogue?.analysis?.zones ? this.#cellFigure(selection.featureId, s) : null;
    const actions = this.#planActions(selection, s);
    if (figure === null && actions === null) return el;
    const wrap = this.#doc.createElement('div');
    wrap.append(el);
    if (figure !== null) {
      const p = this.#doc.createElement('p');
      p.className = 'zs-cell-figure';
      p.textContent = figure;
      wrap.append(p);
    }
    if (actions) wrap.append(actions);
    return wrap;
  }
}
