/**
 * The planning tab, for staff: named what-if scenarios for a service (parks, e-bike
 * stations, parking), the sites each proposes or closes, its coverage against today (city,
 * district, the grid cells crossing the standards' 80 % and 90 % lines, the communities
 * newly covered) and "suggest sites" with how far the answer is from the optimum. It
 * renders state and emits events only; the figures come from the planning workers.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { COVERAGE_KIND_CHOICES, EXPORT_CRS_CHOICES, EXPORT_FORMAT_CHOICES, type CoverageKind, type ExportFormatId } from '../app/registry.ts';
import type { PlanningView, PlanSettings, Job, Lang, TableExport, Tool } from '../app/store.ts';
import type { ExactFigure, ProposedSite, Scenario, ScenarioResponse, SuggestResponse } from '../app/planning-types.ts';
import { GAIN_CLASSES, PROPOSED_COLOR, CLOSED_COLOR } from '../app/style-classes.ts';
import { cssProps } from './css-props.ts';
import { emit } from './events.ts';
import { formatArea, formatLength, formatNumber, formatPercent, t, type MessageKey } from './i18n.ts';
import { controlStyles } from './shared-styles.ts';
import { compareSideLabel, scenarioLabel } from './scenario-label.ts';
import type { Choice } from './choice.ts';

const KIND_KEYS: Record<CoverageKind, MessageKey> = { parks: 'cov.parks', ebike: 'cov.ebike', parking: 'cov.parking' };
const ORIGIN_KEYS: Record<ProposedSite['origin'], MessageKey> = { placed: 'plan.origin.placed', drawn: 'plan.origin.drawn', converted: 'plan.origin.converted', suggested: 'plan.origin.suggested' };

/** A change of share in percentage points, signed. */
function points(lang: Lang, d: number): string {
  const v = d * 100;
  const n = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(v));
  return `${v >= 0.05 ? '+' : v <= -0.05 ? '−' : '±'}${n}`;
}

@customElement('zs-planning-panel')
export class PlanningPanel extends LitElement {
  @property() locale: Lang = 'zh';
  @property({ attribute: false }) scenarios: readonly Scenario[] = [];
  @property({ attribute: false }) activeId: string | null = null;
  @property({ attribute: false }) view: PlanningView | null = null;
  @property() tool: Tool = 'none';
  /** Districts by value and label, for the gains table. */
  @property({ attribute: false }) districts: readonly Choice[] = [];
  /** Grid cell names by id. */
  @property({ attribute: false }) cellNames: ReadonlyMap<string, string> = new Map();
  /** Layers a suggestion may take its candidates from. */
  @property({ attribute: false }) candidateLayers: readonly Choice[] = [];
  /** What each closed site is called, by `layerId\0featureId`. */
  @property({ attribute: false }) closedNames: ReadonlyMap<string, string> = new Map();
  /** The last CSV saved (the grid before/after table's status shows here). */
  @property({ attribute: false }) tableExport: TableExport | null = null;
  /** While the map shows an earlier day: the day of the data planning starts from (the latest), as text; else null. */
  @property({ attribute: false }) baselineDay: string | null = null;
  @state() private newKind: CoverageKind = 'ebike';
  @state() private format: ExportFormatId = 'geojson';
  @state() private crs = 'EPSG:4326';
  /** The comparison's sides: '' is today; null on the right follows the active scenario. */
  @state() private compareLeft = '';
  @state() private compareRight: string | null = null;
  /** The scenario whose delete waits for a second click. */
  @state() private confirmDelete: string | null = null;

  static override styles = [controlStyles, css`
    :host { display: block; font-size: 0.85rem; }
    h2 { font-size: 0.95rem; margin: 0.9rem 0 0.4rem; }
    h3 { font-size: 0.8rem; color: var(--zs-muted); margin: 0.7rem 0 0.3rem; font-weight: 600; }
    p { margin: 0.3rem 0; }
    label { display: flex; align-items: center; gap: 0.4rem; padding: 0.12rem 0; flex-wrap: wrap; }
    input[type=number] { width: 5.5rem; }
    input[type=text] { flex: 1; min-width: 8rem; }
    ul { list-style: none; margin: 0; padding: 0; }
    .scenarios li { border: 1px solid var(--zs-line); border-radius: 4px; margin: 0.3rem 0; padding: 0.3rem 0.45rem; }
    .scenarios li[aria-current=true] { border-color: var(--zs-accent); box-shadow: inset 3px 0 0 var(--zs-accent); }
    .scenarios .open { border: 0; background: none; padding: 0; font-weight: 600; color: var(--zs-accent); text-align: left; font-size: 0.85rem; }
    .row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.35rem 0.5rem; margin: 0.3rem 0 0; }
    .sites li { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.2rem 0.5rem; padding: 0.2rem 0; border-bottom: 1px solid var(--zs-line); }
    .sites .name { font-weight: 600; }
    .sites .acts { margin-left: auto; display: flex; gap: 0.3rem; }
    table { border-collapse: collapse; width: 100%; margin-top: 0.3rem; }
    th, td { text-align: left; padding: 0.15rem 0.3rem 0.15rem 0; border-bottom: 1px solid var(--zs-line); font-variant-numeric: tabular-nums; }
    td.n, th.n { text-align: right; white-space: nowrap; }
    tr.city td { font-weight: 700; }
    .up { color: #007a55; }
    .down { color: var(--zs-error); }
    .hint { background: var(--zs-demo-bg); border: 1px solid var(--zs-demo-line); padding: 0.3rem 0.5rem; border-radius: 4px; }
    .legend { display: flex; flex-wrap: wrap; gap: 0.2rem 0.7rem; margin-top: 0.3rem; font-size: 0.75rem; }
    .sw { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; vertical-align: -0.1rem; margin-right: 0.25rem; }
    .sw.dot { border-radius: 50%; }
    .sw.ring { border-radius: 50%; background: #fff; box-shadow: inset 0 0 0 3px var(--ring); }
    .big { font-size: 1.3rem; font-weight: 700; font-variant-numeric: tabular-nums; margin: 0.2rem 0; }
    .cells { font-size: 0.8rem; overflow-wrap: anywhere; }
    details summary { cursor: pointer; margin: 0.3rem 0; }
    fieldset { border: 0; padding: 0; margin: 0.3rem 0 0; }
    fieldset label { flex-wrap: nowrap; align-items: flex-start; }
    fieldset input { margin-top: 0.2rem; }
    .side { display: inline-flex; gap: 0; }
    .side button { border-radius: 0; }
    .side button:first-child { border-radius: 4px 0 0 4px; }
    .side button:last-child { border-radius: 0 4px 4px 0; margin-left: -1px; }
    .phone { display: none; }
    @media (max-width: 699px) {
      button { min-height: 36px; }
      .wide { display: none; }
      .phone { display: inline-flex; }
      .side button { min-height: 44px; }
    }
  `];

  #active(): Scenario | null {
    return this.scenarios.find((s) => s.id === this.activeId) ?? null;
  }

  override render() {
    const lang = this.locale;
    const a = this.#active();
    return html`<p class="muted">${t(lang, 'plan.intro')}</p>
      ${this.baselineDay ? html`<p class="hint" id="plan-baseline">${t(lang, 'plan.baseline', { date: this.baselineDay })}</p>` : nothing}
      ${this.#list()}
      ${a ? html`${this.#edit(a)}${this.#gains(a)}${this.#suggest(a)}${this.#compare(a)}${this.#export(a)}` : nothing}`;
  }

  #list() {
    const lang = this.locale;
    return html`<h2>${t(lang, 'plan.heading')}</h2>
      <div class="row">
        <label>${t(lang, 'plan.newFor')}<select id="plan-new-kind" @change=${(e: Event) => (this.newKind = (e.target as HTMLSelectElement).value as CoverageKind)}>
          ${COVERAGE_KIND_CHOICES.map((k) => html`<option value=${k} ?selected=${k === this.newKind}>${t(lang, KIND_KEYS[k])}</option>`)}
        </select></label>
        <button type="button" class="primary" id="plan-new" @click=${() => emit(this, 'zs-plan-new', { kind: this.newKind })}>${t(lang, 'plan.new')}</button>
      </div>
      ${this.scenarios.length === 0 ? html`<p class="muted" id="plan-none">${t(lang, 'plan.none')}</p>` : nothing}
      <ul class="scenarios" aria-label=${t(lang, 'plan.list')}>${this.scenarios.map((s, i) => this.#item(s, i))}</ul>`;
  }

  #item(s: Scenario, i: number) {
    const lang = this.locale;
    const current = s.id === this.activeId;
    const label = scenarioLabel(lang, s, i);
    return html`<li data-scenario=${s.id} aria-current=${current ? 'true' : 'false'}>
      <button type="button" class="open" aria-pressed=${current ? 'true' : 'false'} @click=${() => emit(this, 'zs-plan-select', { id: current ? null : s.id })}>${label}</button>
      <span class="muted">${t(lang, 'plan.summary', { kind: t(lang, KIND_KEYS[s.kind]), added: s.added.length, closed: s.closed.length })}</span>
      ${current ? html`<div class="row">
        <label>${t(lang, 'plan.name')}<input type="text" id="plan-name" maxlength="100" .value=${s.name} placeholder=${label}
          @change=${(e: Event) => emit(this, 'zs-plan-rename', { id: s.id, name: (e.target as HTMLInputElement).value })} /></label>
        <button type="button" id="plan-duplicate" @click=${() => emit(this, 'zs-plan-duplicate', { id: s.id })}>${t(lang, 'plan.duplicate')}</button>
        <button type="button" id="plan-delete" @click=${() => {
          if (this.confirmDelete !== s.id) {
            this.confirmDelete = s.id;
            return;
          }
          this.confirmDelete = null;
          emit(this, 'zs-plan-delete', { id: s.id });
        }}>${this.confirmDelete === s.id ? t(lang, 'plan.deleteConfirm', { name: label }) : t(lang, 'plan.delete')}</button>
      </div>` : nothing}
    </li>`;
  }

  #edit(a: Scenario) {
    const lang = this.locale;
    const view = this.view;
    const moving = view?.moving ? a.added.find((x) => x.id === view.moving) : undefined;
    const toolFor: Tool = a.kind === 'parks' ? 'draw-site' : 'place-site';
    const on = this.tool === toolFor && !moving;
    const radii = view?.coverage.response?.scenarioId === a.id ? view.coverage.response.radii : {};
    return html`<h2>${t(lang, 'plan.edit')}</h2>
      <div class="row">
        <button type="button" id="plan-tool" data-tool=${toolFor} aria-pressed=${on ? 'true' : 'false'} @click=${() => {
          emit(this, 'zs-tool', { tool: on ? 'none' : toolFor });
          if (!on && matchMedia('(max-width: 699px)').matches) emit(this, 'zs-panel-toggle', { open: false });
        }}>${t(lang, a.kind === 'parks' ? 'plan.drawPark' : 'plan.place')}</button>
        ${on || moving ? html`<button type="button" id="plan-tool-done" @click=${() => emit(this, 'zs-tool', { tool: 'none' })}>${t(lang, 'plan.done')}</button>` : nothing}
      </div>
      ${moving ? html`<p class="hint" role="status">${t(lang, 'plan.moving', { name: moving.name || t(lang, 'plan.siteName', { id: moving.id }) })}</p>`
        : on ? html`<p class="hint" role="status">${t(lang, a.kind === 'parks' ? 'plan.drawing' : 'plan.placing')}</p>` : nothing}
      <p class="muted">${t(lang, 'plan.convertHint')}</p>
      <h3>${t(lang, 'plan.sites', { count: a.added.length })}</h3>
      <ul class="sites" id="plan-sites">${a.added.map((site) => {
        const r = radii[site.id];
        return html`<li data-site=${site.id} data-origin=${site.origin}>
          <span class="name">${site.name || t(lang, 'plan.siteName', { id: site.id })}</span>
          <span class="muted">${t(lang, ORIGIN_KEYS[site.origin])}${r === undefined ? '' : ` · ${r === null ? t(lang, 'plan.radiusNone') : t(lang, 'plan.radius', { r: formatLength(lang, r) })}`}</span>
          <span class="acts">
            <button type="button" data-move=${site.id} @click=${() => emit(this, 'zs-plan-site-move', { id: site.id })}>${t(lang, 'plan.move')}</button>
            <button type="button" data-remove=${site.id} @click=${() => emit(this, 'zs-plan-site-remove', { id: site.id })}>${t(lang, 'plan.remove')}</button>
          </span></li>`;
      })}</ul>
      ${a.closed.length ? html`<h3>${t(lang, 'plan.closed', { count: a.closed.length })}</h3>
        <ul class="sites" id="plan-closed">${a.closed.map((c) => html`<li data-closed=${c.featureId}>
          <span class="name">${this.closedNames.get(`${c.layerId}\u0000${c.featureId}`) ?? c.featureId}</span>
          <span class="acts"><button type="button" @click=${() => emit(this, 'zs-plan-close-site', c)}>${t(lang, 'plan.reopen')}</button></span></li>`)}</ul>` : nothing}`;
  }

  #status(job: Job<unknown>, running: MessageKey) {
    const lang = this.locale;
    if (job.status === 'running') return html`<p class="muted" role="status">${t(lang, running)}
      <button type="button" class="cancel" @click=${() => emit(this, 'zs-plan-cancel', null)}>${t(lang, 'plan.cancel')}</button></p>`;
    if (job.status === 'cancelled') return html`<p class="muted" role="status">${t(lang, 'plan.cancelled')}</p>`;
    if (job.status === 'error') return html`<p class="error" role="alert">${t(lang, 'plan.failed', { message: job.error ?? '' })}</p>`;
    return nothing;
  }

  #gains(a: Scenario) {
    const lang = this.locale;
    const job = this.view?.coverage;
    if (!job) return nothing;
    const r: ScenarioResponse | null = job.response?.scenarioId === a.id ? job.response : null;
    const row = (label: string, b: number, x: number, attrs: { district?: string; city?: boolean }) => html`<tr class=${attrs.city ? 'city' : ''} data-district=${attrs.district ?? (attrs.city ? 'city' : '')}>
      <td>${label}</td><td class="n">${formatPercent(lang, b)}</td><td class="n">${formatPercent(lang, x)}</td>
      <td class="n ${x - b > 0.0005 ? 'up' : x - b < -0.0005 ? 'down' : ''}" data-gain=${x - b}>${points(lang, x - b)}</td></tr>`;
    const cellList = (ids: readonly string[]) => (ids.length ? ids.map((id) => this.cellNames.get(id) ?? id).join(lang === 'zh' ? '、' : ', ') : t(lang, 'plan.noneCrossed'));
    const name = (c: { name: string; nameEn?: string }) => (lang === 'en' && c.nameEn ? c.nameEn : c.name);
    return html`<h2>${t(lang, 'plan.gains')}</h2>
      <div aria-live="polite">
        ${this.#status(job, 'plan.computing')}
        ${r ? html`
          <p class="big" id="plan-city" data-before=${r.before.total.share} data-after=${r.after.total.share}>
            ${formatPercent(lang, r.before.total.share)} → ${formatPercent(lang, r.after.total.share)}
            <span class=${r.after.total.share > r.before.total.share ? 'up' : r.after.total.share < r.before.total.share ? 'down' : ''}>(${points(lang, r.after.total.share - r.before.total.share)})</span></p>
          <table id="plan-gains">
            <thead><tr><th scope="col">${t(lang, 'plan.col.area')}</th><th class="n" scope="col">${t(lang, 'plan.col.before')}</th>
              <th class="n" scope="col">${t(lang, 'plan.col.after')}</th><th class="n" scope="col">${t(lang, 'plan.col.gain')}</th></tr></thead>
            <tbody>
              ${row(t(lang, 'plan.city'), r.before.total.share, r.after.total.share, { city: true })}
              ${this.districts.map((d) => {
                const b = r.before.byGroup[d.value];
                const x = r.after.byGroup[d.value];
                return b && x ? row(d.label, b.share, x.share, { district: d.value }) : nothing;
              })}
            </tbody>
          </table>
          <h3>${t(lang, 'plan.crossed')}</h3>
          <p class="cells" id="plan-up80" data-count=${r.crossed.up80.length}><strong>${t(lang, 'plan.up80', { count: r.crossed.up80.length })}</strong>: ${cellList(r.crossed.up80)}</p>
          <p class="cells" id="plan-up90" data-count=${r.crossed.up90.length}><strong>${t(lang, 'plan.up90', { count: r.crossed.up90.length })}</strong>: ${cellList(r.crossed.up90)}</p>
          ${r.crossed.down80.length + r.crossed.down90.length ? html`<p class="cells down"><strong>${t(lang, 'plan.down', { count: new Set([...r.crossed.down80, ...r.crossed.down90]).size })}</strong>: ${cellList([...new Set([...r.crossed.down80, ...r.crossed.down90])])}</p>` : nothing}
          <h3 id="plan-newly" data-count=${r.newlyCovered.length}>${t(lang, 'plan.newlyCovered', { count: r.newlyCovered.length })}</h3>
          ${r.newlyCovered.length ? html`<p class="cells">${r.newlyCovered.map(name).join(lang === 'zh' ? '、' : ', ')}</p>` : nothing}
          ${r.noLongerCovered.length ? html`<h3>${t(lang, 'plan.noLonger', { count: r.noLongerCovered.length })}</h3>
            <p class="cells down">${r.noLongerCovered.map(name).join(lang === 'zh' ? '、' : ', ')}</p>` : nothing}
          <label><input type="checkbox" id="plan-show-gain" .checked=${this.view?.showGain ?? true}
            @change=${(e: Event) => emit(this, 'zs-plan-gain', { show: (e.target as HTMLInputElement).checked })} />${t(lang, 'plan.showGain')}</label>
          <div class="legend" id="plan-legend">
            <span>${t(lang, 'plan.legend.gain')}</span>
            ${GAIN_CLASSES.map((c) => html`<span><span class="sw" style=${cssProps({ background: c.color })}></span>${c.label}</span>`)}
            <span><span class="sw dot" style=${cssProps({ background: PROPOSED_COLOR })}></span>${t(lang, 'plan.legend.proposed')}</span>
            <span><span class="sw ring" style=${cssProps({ '--ring': PROPOSED_COLOR })}></span>${t(lang, 'plan.legend.suggested')}</span>
            <span><span class="sw ring" style=${cssProps({ '--ring': CLOSED_COLOR })}></span>${t(lang, 'plan.legend.closed')}</span>
          </div>` : nothing}
      </div>`;
  }

  #settings(p: PlanSettings) {
    const lang = this.locale;
    const set = (patch: Partial<PlanSettings>) => emit(this, 'zs-plan-settings', patch);
    const num = (e: Event) => Number((e.target as HTMLInputElement).value);
    const source = p.source === 'roads' ? 'roads' : p.source.layerId;
    return html`<fieldset class="row" role="radiogroup" aria-label=${t(lang, 'plan.goal')}>
        <label><input type="radio" name="plan-goal" value="sites" .checked=${p.goal === 'sites'} @change=${() => set({ goal: 'sites' })} />${t(lang, 'plan.goal.sites')}</label>
        <label><input type="radio" name="plan-goal" value="share" .checked=${p.goal === 'share'} @change=${() => set({ goal: 'share' })} />${t(lang, 'plan.goal.share')}</label>
      </fieldset>
      <div class="row">
        ${p.goal === 'sites'
          ? html`<label>${t(lang, 'plan.count')}<input type="number" id="plan-count" min="1" max="1000" step="1" .value=${String(p.sites)} @change=${(e: Event) => set({ sites: Math.max(1, Math.min(1000, Math.round(num(e)) || 1)) })} /></label>`
          : html`<label>${t(lang, 'plan.target')}<input type="number" id="plan-target" min="1" max="100" step="1" .value=${String(Math.round(p.share * 100))} @change=${(e: Event) => set({ share: Math.max(0.01, Math.min(1, num(e) / 100)) })} /></label>`}
        <label>${t(lang, 'plan.source')}<select id="plan-source" @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          set({ source: v === 'roads' ? 'roads' : { layerId: v } });
        }}>
          <option value="roads" ?selected=${source === 'roads'}>${t(lang, 'plan.source.roads')}</option>
          ${this.candidateLayers.map((c) => html`<option value=${c.value} ?selected=${source === c.value}>${c.label}</option>`)}
        </select></label>
        ${p.source === 'roads' ? html`<label>${t(lang, 'plan.spacing')}<input type="number" id="plan-spacing" min="5" step="10" .value=${String(p.spacing)} @change=${(e: Event) => set({ spacing: Math.max(5, num(e) || 50) })} /></label>` : nothing}
        <label>${t(lang, 'plan.minDistance')}<input type="number" id="plan-min-distance" min="0" step="50" .value=${String(p.minDistance)} @change=${(e: Event) => set({ minDistance: Math.max(0, num(e) || 0) })} /></label>
      </div>`;
  }

  #suggest(a: Scenario) {
    const lang = this.locale;
    const view = this.view;
    if (!view) return nothing;
    const job = view.suggestion;
    const r: SuggestResponse | null = job.what === a.id ? job.response : null;
    return html`<h2>${t(lang, 'plan.suggest')}</h2>
      ${this.#settings(view.settings)}
      <p class="muted">${t(lang, 'plan.runHint')}</p>
      <div class="row"><button type="button" class="primary" id="plan-run" ?disabled=${job.status === 'running'} @click=${() => emit(this, 'zs-plan-suggest', null)}>${t(lang, 'plan.run')}</button></div>
      <div aria-live="polite">
        ${this.#status(job, 'job.suggesting')}
        ${r ? html`<p class="big" id="plan-result" data-sites=${r.sites.features.length} data-after=${r.after.total.share}>${t(lang, 'plan.result', { sites: r.sites.features.length, before: formatPercent(lang, r.before.total.share), after: formatPercent(lang, r.after.total.share) })}</p>
          ${r.unreachable ? html`<p class="error">${t(lang, 'plan.unreachable')}</p>` : nothing}
          <p class="muted">${t(lang, 'plan.candidates', { kept: formatNumber(lang, r.candidates.kept), total: formatNumber(lang, r.candidates.total), offLand: r.candidates.offLand, near: r.candidates.nearExisting, small: r.candidates.tooSmall })}</p>
          ${this.#gap(view.exact)}
          <p class="muted">${t(lang, 'plan.fast', { ms: `${formatNumber(lang, r.fast.ms, 0)} ms` })}</p>
          <details><summary>${t(lang, 'plan.sites', { count: r.sites.features.length })}</summary>
            <ol id="plan-suggested">${r.sites.features.map((f) => html`<li>${typeof f.properties?.name === 'string' ? f.properties.name : t(lang, 'plan.siteRank', { rank: Number(f.properties?.rank) })}
              <span class="muted">${t(lang, 'plan.siteGain', { area: formatArea(lang, Number(f.properties?.gain_m2 ?? 0)) })}</span></li>`)}</ol>
          </details>
          <div class="row"><button type="button" id="plan-accept" @click=${() => emit(this, 'zs-plan-accept', null)}>${t(lang, 'plan.accept')}</button></div>` : nothing}
      </div>`;
  }

  #compare(a: Scenario) {
    const lang = this.locale;
    const same = this.scenarios.map((x, i) => ({ x, i })).filter(({ x }) => x.kind === a.kind);
    const right = this.compareRight !== null && same.some(({ x }) => x.id === this.compareRight) ? this.compareRight : a.id;
    const left = this.compareLeft === '' || same.some(({ x }) => x.id === this.compareLeft) ? this.compareLeft : '';
    const options = (chosen: string, today: boolean) => html`${today ? html`<option value="" ?selected=${chosen === ''}>${t(lang, 'plan.compareToday')}</option>` : nothing}
      ${same.map(({ x, i }) => html`<option value=${x.id} ?selected=${x.id === chosen}>${scenarioLabel(lang, x, i)}</option>`)}`;
    const job = this.view?.compare;
    const r = job?.status === 'done' ? job.response : null;
    const name = (id: string | null): string => compareSideLabel(lang, this.scenarios, id) || (id ?? '');
    const cells = (z: Record<string, { area: number; share: number }>, min: number): number => Object.values(z).filter((c) => c.area > 0 && c.share >= min).length;
    const row = (label: string, l: number, x: number, pct: boolean, key: string) => html`<tr data-row=${key}><td>${label}</td>
      <td class="n">${pct ? formatPercent(lang, l) : formatNumber(lang, l)}</td><td class="n">${pct ? formatPercent(lang, x) : formatNumber(lang, x)}</td>
      <td class="n ${x - l > 1e-9 ? 'up' : x - l < -1e-9 ? 'down' : ''}">${pct ? points(lang, x - l) : `${x - l > 0 ? '+' : x - l < 0 ? '−' : '±'}${formatNumber(lang, Math.abs(x - l))}`}</td></tr>`;
    return html`<h2>${t(lang, 'plan.compare')}</h2>
      <div class="row">
        <label>${t(lang, 'plan.compareLeft')}<select id="plan-compare-left" @change=${(e: Event) => (this.compareLeft = (e.target as HTMLSelectElement).value)}>${options(left, true)}</select></label>
        <label>${t(lang, 'plan.compareRight')}<select id="plan-compare-right" @change=${(e: Event) => (this.compareRight = (e.target as HTMLSelectElement).value)}>${options(right, false)}</select></label>
        <button type="button" id="plan-compare" @click=${() => emit(this, 'zs-plan-compare', { left: left || null, right })}>${t(lang, 'plan.compareRun')}</button>
      </div>
      ${job ? this.#status(job, 'plan.comparing') : nothing}
      ${r ? html`<table id="plan-compare-table">
        <thead><tr><th scope="col">${t(lang, 'plan.col.area')}</th><th class="n" scope="col">${name(r.left.id)}</th><th class="n" scope="col">${name(r.right.id)}</th>
          <th class="n" scope="col">${t(lang, 'plan.compareDiff')}</th></tr></thead>
        <tbody>
          ${row(t(lang, 'plan.city'), r.left.summary.total.share, r.right.summary.total.share, true, 'city')}
          ${this.districts.map((d) => {
            const l = r.left.summary.byGroup[d.value];
            const x = r.right.summary.byGroup[d.value];
            return l && x ? row(d.label, l.share, x.share, true, d.value) : nothing;
          })}
          ${row(t(lang, 'plan.cells80'), cells(r.left.summary.byZone, 0.8), cells(r.right.summary.byZone, 0.8), false, 'cells80')}
          ${row(t(lang, 'plan.cells90'), cells(r.left.summary.byZone, 0.9), cells(r.right.summary.byZone, 0.9), false, 'cells90')}
        </tbody>
      </table>` : nothing}
      ${r || this.view?.swipe ? this.#swipe(r ? name(r.left.id) : '', r ? name(r.right.id) : '') : nothing}`;
  }

  /** The two compared on the map as well: a swipe between two maps, on a phone a choice of the one shown. */
  #swipe(left: string, right: string) {
    const lang = this.locale;
    const swipe = this.view?.swipe ?? null;
    const side = swipe?.side ?? 'after';
    return html`<div class="row">
        <button type="button" id="plan-swipe" aria-pressed=${swipe ? 'true' : 'false'}
          @click=${() => emit(this, 'zs-plan-swipe', { on: !swipe, side })}>${t(lang, 'plan.swipe')}</button>
        ${swipe && left ? html`<span class="wide muted">${t(lang, 'plan.swipeHint')}</span>
          <span class="phone side" role="group" aria-label=${t(lang, 'plan.swipeSide')}>
            <button type="button" data-side="before" aria-pressed=${side === 'before' ? 'true' : 'false'}
              @click=${() => emit(this, 'zs-plan-swipe', { on: true, side: 'before' })}>${left}</button>
            <button type="button" data-side="after" aria-pressed=${side === 'after' ? 'true' : 'false'}
              @click=${() => emit(this, 'zs-plan-swipe', { on: true, side: 'after' })}>${right}</button>
          </span>` : nothing}
      </div>`;
  }

  #export(a: Scenario) {
    const lang = this.locale;
    const format = EXPORT_FORMAT_CHOICES.find((f) => f.id === this.format) ?? EXPORT_FORMAT_CHOICES[0]!;
    const crsChoices = EXPORT_CRS_CHOICES.filter((c) => format.crsAllowed.includes(c.code));
    const crs = crsChoices.some((c) => c.code === this.crs) ? this.crs : crsChoices[0]!.code;
    const index = this.scenarios.indexOf(a);
    const label = scenarioLabel(lang, a, index);
    const columns = (['csv.cellId', 'csv.name', 'csv.district', 'csv.residential', 'csv.before', 'csv.after', 'csv.gain'] as const).map((k) => t(lang, k));
    const x = this.tableExport;
    const r = this.view?.coverage.response;
    return html`<h2>${t(lang, 'plan.export')}</h2>
      <div class="row">
        <label>${t(lang, 'io.format')}<select id="plan-format" @change=${(e: Event) => (this.format = (e.target as HTMLSelectElement).value as ExportFormatId)}>
          ${EXPORT_FORMAT_CHOICES.map((f) => html`<option value=${f.id} ?selected=${f.id === format.id}>${f.label[lang]}</option>`)}
        </select></label>
        <label>${t(lang, 'io.crs')}<select id="plan-crs" @change=${(e: Event) => (this.crs = (e.target as HTMLSelectElement).value)}>
          ${crsChoices.map((c) => html`<option value=${c.code} ?selected=${c.code === crs}>${c.name[lang]} (${c.code === 'GCJ02' ? 'GCJ-02' : c.code})</option>`)}
        </select></label>
      </div>
      <div class="row">
        <button type="button" id="plan-export" ?disabled=${a.added.length === 0} @click=${() => emit(this, 'zs-plan-export', { format: format.id, crs, label })}>${t(lang, 'plan.exportSites')}</button>
        ${(['csv', 'xlsx'] as const).map((f) => html`<button type="button" id=${f === 'csv' ? 'plan-gains-export' : 'plan-gains-xlsx'} ?disabled=${!r || r.scenarioId !== a.id}
          @click=${() => emit(this, 'zs-plan-gains-export', { columns, lang, format: f, title: label })}>${t(lang, 'plan.exportGains', { format: f.toUpperCase() })}</button>`)}
      </div>
      ${x && x.table === 'gains' ? x.status === 'error'
        ? html`<p class="error" role="alert" data-export="gains">${t(lang, 'table.exportFailed', { file: x.file, message: x.error ?? '' })}</p>`
        : html`<p class="muted" role="status" data-export="gains" data-status=${x.status}>${t(lang, x.status === 'running' ? 'table.exporting' : 'table.exportDone', { file: x.file, rows: x.rows })}</p>` : nothing}`;
  }

  #gap(job: Job<ExactFigure>) {
    const lang = this.locale;
    if (job.status === 'running') return html`<p class="muted" role="status" id="plan-gap" data-status="running">${t(lang, 'plan.exactRunning')}</p>`;
    if (job.status === 'error') return html`<p class="error" id="plan-gap" data-status="error">${t(lang, 'plan.exactFailed', { message: job.error ?? '' })}</p>`;
    if (job.status === 'cancelled') return html`<p class="muted" id="plan-gap" data-status="cancelled">${t(lang, 'plan.cancelled')}</p>`;
    const f = job.response;
    if (!f) return nothing;
    if (f.gap === null) return html`<p class="muted" id="plan-gap" data-status="none">${t(lang, 'plan.gap.none')}</p>`;
    const gap = formatPercent(lang, f.gap, 2);
    const key: MessageKey = f.exact.status === 'optimal' ? 'plan.gap.optimal' : f.exact.status === 'lp' ? 'plan.gap.lp' : 'plan.gap.limit';
    return html`<p id="plan-gap" data-status=${f.exact.status} data-gap=${f.gap}>${t(lang, key, { gap })}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-planning-panel': PlanningPanel;
  }
}
