/**
 * <zs-print-layout>: a full-screen preview of one printed page (A4 or A3, portrait or
 * landscape) with the title and a note of the user's under it, the map image, its legend,
 * scale bar and north arrow, the date, the attribution and the demo-data note, and the
 * controls to edit the title and note, print the page, save it as a PNG (the same page,
 * drawn by print-page.ts), or close. Every string it shows comes in through `labels`, the
 * map through `image`.
 *
 * The page is laid out in millimetres at its true size (print-geometry.ts) and only scaled
 * down on screen with a transform, so the layout measured for the scale bar is exactly the
 * one that prints. While it is shown it adds one style sheet to the document: @page cannot
 * be set from inside a shadow root, and the rest of the app must be hidden when printing.
 * The sheet is a constructed one (adoptedStyleSheets) because the Content-Security-Policy
 * (style-src 'self') refuses the text of a <style> element.
 */
import { LitElement, css, html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { cssProps } from './css-props.ts';
import { emit } from './events.ts';
import { SCALE_BAR_SHARE, drawPrintPage, type PageText, type PrintFigures, type PrintLegendClass, type PrintLegendGroup } from './print-page.ts';
import {
  ORIENTATIONS,
  PAPERS,
  fitContain,
  isOrientation,
  isPaper,
  mmToPx,
  niceScaleBar,
  pageLayout,
  type Orientation,
  type PageLayout,
  type Paper,
  type PrintImage,
} from '../app/print-geometry.ts';

export type { PrintImage } from '../app/print-geometry.ts';

/** Every string the layout shows: the page's own (print-page.ts) and the controls'. */
export interface PrintLabels extends PageText {
  print: string;
  savePng: string;
  close: string;
  /** Label of the paper select. */
  paper: string;
  /** Label of the orientation select. */
  orientation: string;
  portrait: string;
  landscape: string;
  /** Shown in the map frame while `image` is null. */
  rendering: string;
  /** The button that renders the image again after a failure. */
  retry: string;
  /** Label of the title field. */
  titleField: string;
  /** Label of the note field. */
  noteField: string;
}


export interface PrintOptionsDetail {
  paper: Paper;
  orientation: Orientation;
}

const NO_LABELS: Readonly<PrintLabels> = Object.freeze({
  title: '', subtitle: '', asOf: '', legend: '', scale: '', north: '', date: '', attribution: '', demo: '',
  print: '', savePng: '', close: '', paper: '', orientation: '', portrait: '', landscape: '', rendering: '', retry: '',
  titleField: '', noteField: '',
});

/** Room kept around the sheet in the on-screen preview, in CSS px. */
const PREVIEW_PAD = 24;

@customElement('zs-print-layout')
export class PrintLayout extends LitElement {
  /** The standard attribute, made reactive: the page style and Escape key apply only while shown. */
  @property({ type: Boolean, reflect: true }) override hidden = false;
  @property() paper: Paper = 'A4';
  @property() orientation: Orientation = 'landscape';
  /** The map; null while it is being drawn. */
  @property({ attribute: false }) image: PrintImage | null = null;
  /** Why the image could not be made, in the UI's language; null while it is on its way or there. */
  @property({ attribute: false }) failure: string | null = null;
  @property({ attribute: false }) labels: Readonly<PrintLabels> = NO_LABELS;
  @property({ attribute: false }) legend: readonly PrintLegendGroup[] = [];
  /** Already formatted for the language. */
  @property() date = '';
  @property() attribution = '';
  /** A planning scenario's figures, or null. */
  @property({ attribute: false }) figures: PrintFigures | null = null;
  /** The title field's text, as typed (`labels.title` is what prints: this, or the default when blank). */
  @property({ attribute: false }) titleText = '';
  /** The note field's text, as typed; printed under the title, trimmed, unless blank. */
  @property({ attribute: false }) note = '';

  /** The preview area's size, measured; the sheet is scaled to fit it. */
  #stage = { width: 0, height: 0 };
  #resize: ResizeObserver | undefined;
  /** Where focus was before the layout opened, to give it back on close. */
  #returnFocus: HTMLElement | null = null;
  /** The document's print rules while shown; made in the document's own window, the only one whose sheets it can adopt. */
  #pageSheet: CSSStyleSheet | null = null;

  static override styles = css`
    :host {
      position: fixed; inset: 0; z-index: 1000; display: block;
      background: rgb(40 44 52 / 0.92); color: var(--zs-text, #1f2328);
      font-family: var(--zs-font, system-ui, sans-serif);
    }
    :host([hidden]) { display: none !important; }
    .overlay { display: flex; flex-direction: column; height: 100%; outline: none; }
    .bar {
      display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; padding: 0.5rem 1rem;
      background: var(--zs-bg, #fff); border-bottom: 1px solid var(--zs-line, #dde1e6); font-size: 0.9rem;
    }
    .bar label { display: inline-flex; align-items: center; gap: 0.4rem; }
    .bar input { width: 14rem; max-width: 60vw; }
    .bar select, .bar button, .bar input {
      font: inherit; padding: 0.3rem 0.6rem; border-radius: 4px; border: 1px solid var(--zs-line, #dde1e6);
      background: var(--zs-bg, #fff); color: inherit;
    }
    .bar button { cursor: pointer; }
    .bar button.primary { background: var(--zs-accent, #0a66c2); border-color: var(--zs-accent, #0a66c2); color: #fff; }
    .bar button:disabled { opacity: 0.5; cursor: default; }
    .bar :focus-visible { outline: 2px solid var(--zs-accent, #0a66c2); outline-offset: 2px; }
    .spacer { flex: 1; }
    .stage { flex: 1; min-height: 0; overflow: auto; display: grid; place-items: center; padding: ${PREVIEW_PAD}px; box-sizing: border-box; }
    .scaler { overflow: hidden; }

    /* The sheet: true size, the @page margin as padding, scaled on screen only. */
    .sheet {
      box-sizing: border-box; width: var(--paper-w); height: var(--paper-h); padding: var(--margin);
      display: grid; align-content: start; overflow: hidden; transform-origin: 0 0;
      background: #fff; color: #111; box-shadow: 0 4px 24px rgb(0 0 0 / 0.45);
      font-size: 8pt; line-height: 1.3;
      /* The legend and map overlays use backgrounds, which browsers drop when printing unless told. */
      print-color-adjust: exact; -webkit-print-color-adjust: exact;
    }
    header { grid-area: header; display: flex; flex-direction: column; justify-content: flex-end; border-bottom: 0.4mm solid #111; padding-bottom: 1.5mm; min-width: 0; }
    h1 { margin: 0; font-size: 16pt; line-height: 1.2; font-weight: 700; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    header p { margin: 0.8mm 0 0; font-size: 9.5pt; color: #444; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    header p.note { color: #222; font-size: 10pt; }

    figure.map { grid-area: map; margin: 0; display: grid; place-items: center; overflow: hidden; min-width: 0; }
    .frame { position: relative; outline: 0.3mm solid #333; }
    .frame img { display: block; width: 100%; height: 100%; }
    .rendering { margin: 0; font-size: 11pt; color: #555; }
    .overlay-box { position: absolute; background: rgb(255 255 255 / 0.88); border-radius: 1mm; padding: 1mm 1.6mm; }
    .north { top: 3mm; right: 3mm; display: flex; flex-direction: column; align-items: center; font-weight: 700; font-size: 8pt; line-height: 1; gap: 0.6mm; }
    .scale { left: 3mm; bottom: 3mm; font-size: 7pt; line-height: 1.1; }
    .scale .caption { color: #444; margin-bottom: 0.6mm; }
    .scale .row { display: flex; align-items: center; gap: 1.5mm; white-space: nowrap; font-variant-numeric: tabular-nums; }
    .scale svg { display: block; overflow: visible; }

    .legend { grid-area: legend; overflow: hidden; min-width: 0; }
    .legend-side .legend { border-left: 0.2mm solid #999; padding-left: 3mm; }
    .legend-bottom .legend { border-top: 0.2mm solid #999; padding-top: 1.5mm; }
    h2 { margin: 0 0 1.5mm; font-size: 10pt; }
    .groups { column-gap: 5mm; }
    .group { break-inside: avoid; margin-bottom: 2mm; }
    .figures { break-inside: avoid; margin-top: 2mm; }
    .figures table { border-collapse: collapse; font-size: 7.5pt; }
    .figures th { text-align: left; font-weight: 400; color: #444; padding: 0.3mm 2mm 0.3mm 0; }
    .figures td { font-variant-numeric: tabular-nums; font-weight: 600; padding: 0.3mm 0; }
    h3 { margin: 0 0 0.6mm; font-size: 8pt; font-weight: 700; display: flex; align-items: center; gap: 1.5mm; }
    ul { list-style: none; margin: 0; padding: 0 0 0 1mm; }
    li { display: flex; align-items: center; gap: 1.5mm; font-size: 7.5pt; min-height: 3.6mm; }
    .sw { flex: none; width: 5mm; height: 3.6mm; }

    footer { grid-area: footer; display: flex; flex-wrap: wrap; align-items: flex-start; gap: 0.5mm 5mm; border-top: 0.2mm solid #999; padding-top: 1mm; font-size: 7pt; color: #333; overflow: hidden; }
    footer .k { font-weight: 700; margin-right: 1.5mm; }
    /* Date and source on one line, the source cut short if need be, so the demo notice always has a line: beside them, or under them. */
    footer .meta { display: flex; gap: 5mm; min-width: 0; flex: 0 1 auto; white-space: nowrap; }
    footer .meta > span { flex: none; }
    footer .meta > span.src { flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; }
    footer .demo { margin-left: auto; color: #7a4d00; }

    @media print {
      :host { position: static; inset: auto; background: none; }
      .bar { display: none; }
      .stage { display: block; padding: 0; overflow: visible; }
      .scaler { width: auto !important; height: auto !important; overflow: visible; }
      /* The page box is the printable area: the @page margin does what the padding did on screen. */
      .sheet { width: var(--content-w); height: var(--content-h); padding: 0; box-shadow: none; transform: none !important; }
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#syncShown();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
    this.#resize = undefined;
    this.#syncShown();
  }

  protected override firstUpdated(): void {
    const stage = this.renderRoot.querySelector<HTMLElement>('.stage');
    if (!stage) return;
    this.#resize = new ResizeObserver(([entry]) => {
      if (!entry) return;
      this.#stage = { width: entry.contentRect.width, height: entry.contentRect.height };
      this.requestUpdate();
    });
    this.#resize.observe(stage);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('hidden') || changed.has('paper') || changed.has('orientation')) this.#syncShown();
    if (changed.has('hidden') && !this.hidden) this.renderRoot.querySelector<HTMLElement>('.overlay')?.focus();
    // Only what changes the legend's content or box: not every keystroke in the note.
    if (['legend', 'figures', 'paper', 'orientation', 'hidden', 'labels'].some((k) => changed.has(k as keyof PrintLayout))) this.#fitLegend();
  }

  /**
   * A legend longer than its box (many layers, a scenario's figures) is drawn smaller, down
   * to 55 %, rather than cut off at the bottom; the saved PNG does the same (print-page.ts).
   */
  #fitLegend(): void {
    const legend = this.renderRoot.querySelector<HTMLElement>('.legend');
    const fit = legend?.querySelector<HTMLElement>('.fit');
    if (!legend || !fit || this.hidden) return;
    let k = 1;
    fit.style.zoom = '1';
    while (legend.scrollHeight > legend.clientHeight + 1 && k > 0.56) {
      k -= 0.05;
      fit.style.zoom = k.toFixed(2);
    }
    fit.dataset.zoom = k.toFixed(2);
  }

  /** The page as asked for, or A4 landscape when a property holds something else. */
  get #page(): PrintOptionsDetail {
    return { paper: isPaper(this.paper) ? this.paper : 'A4', orientation: isOrientation(this.orientation) ? this.orientation : 'landscape' };
  }

  get #shown(): boolean {
    return this.isConnected && !this.hidden;
  }

  /** Everything outside the shadow root that depends on being shown: page style, Escape, focus. */
  #syncShown(): void {
    const doc = this.ownerDocument;
    const sheet = this.#pageSheet;
    if (!this.#shown) {
      if (sheet) doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
      doc.defaultView?.removeEventListener('keydown', this.#onKey);
      if (this.#returnFocus?.isConnected) this.#returnFocus.focus();
      this.#returnFocus = null;
      return;
    }
    const view = doc.defaultView;
    if (!view) return;
    const page = (this.#pageSheet ??= new view.CSSStyleSheet());
    page.replaceSync(pageStyle(this.#page));
    if (!doc.adoptedStyleSheets.includes(page)) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, page];
    if (!this.#returnFocus) this.#returnFocus = deepActiveElement(doc);
    doc.defaultView?.addEventListener('keydown', this.#onKey);
  }

  readonly #onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    emit(this, 'zs-print-close', null);
  };

  #setOption(change: Partial<PrintOptionsDetail>): void {
    emit(this, 'zs-print-options', { ...this.#page, ...change });
  }

  override render() {
    const L = this.labels;
    const page = this.#page;
    const layout = pageLayout(page.paper, page.orientation);
    const paperPx = { width: mmToPx(layout.paper.widthMm), height: mmToPx(layout.paper.heightMm) };
    const fit = this.#stage.width > 0
      ? Math.min((this.#stage.width - 2 * PREVIEW_PAD) / paperPx.width, (this.#stage.height - 2 * PREVIEW_PAD) / paperPx.height)
      : 0.5;
    const scale = Math.max(0.1, Math.min(2, fit));
    return html`<div class="overlay" role="dialog" aria-modal="true" aria-label=${L.title} tabindex="-1">
      <div class="bar">
        <label>${L.paper}
          <select @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; if (isPaper(v)) this.#setOption({ paper: v }); }}>
            ${PAPERS.map((p) => html`<option value=${p} ?selected=${p === page.paper}>${p}</option>`)}
          </select>
        </label>
        <label>${L.orientation}
          <select @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; if (isOrientation(v)) this.#setOption({ orientation: v }); }}>
            ${ORIENTATIONS.map((o) => html`<option value=${o} ?selected=${o === page.orientation}>${L[o]}</option>`)}
          </select>
        </label>
        <label>${L.titleField}
          <input type="text" id="print-title" maxlength="120" .value=${this.titleText}
            @input=${(e: Event) => emit(this, 'zs-print-text', { title: (e.target as HTMLInputElement).value })} />
        </label>
        <label>${L.noteField}
          <input type="text" id="print-note" maxlength="200" .value=${this.note}
            @input=${(e: Event) => emit(this, 'zs-print-text', { note: (e.target as HTMLInputElement).value })} />
        </label>
        <span class="spacer"></span>
        <button type="button" class="primary" ?disabled=${!this.image} @click=${() => window.print()}>${L.print}</button>
        <button type="button" ?disabled=${!this.image} @click=${() => emit(this, 'zs-print-save-png', null)}>${L.savePng}</button>
        <button type="button" @click=${() => emit(this, 'zs-print-close', null)}>${L.close}</button>
      </div>
      <div class="stage">
        <div class="scaler" style=${cssProps({ width: `${paperPx.width * scale}px`, height: `${paperPx.height * scale}px` })}>
          <article class="sheet legend-${layout.legend.position}" style=${cssProps({ ...sheetVars(layout), transform: `scale(${scale})` })}>
            <header><h1>${L.title}</h1>${this.note.trim() ? html`<p class="note">${this.note.trim()}</p>` : nothing}${L.subtitle || L.asOf ? html`<p>${[L.subtitle, L.asOf].filter(Boolean).join(' · ')}</p>` : nothing}</header>
            <figure class="map">${this.#map(layout)}</figure>
            <section class="legend" aria-label=${L.legend}>
              <h2>${L.legend}</h2>
              <div class="fit">
                <div class="groups" style=${cssProps({ columnCount: String(layout.legend.columns) })}>${this.legend.map(legendGroup)}</div>
                ${this.figures ? html`<div class="figures" id="print-figures"><h2>${this.figures.heading}</h2>
                  <table>${this.figures.rows.map(([k, v]) => (v ? html`<tr><th scope="row">${k}</th><td>${v}</td></tr>` : html`<tr><th scope="row" colspan="2">${k}</th></tr>`))}</table></div>` : nothing}
              </div>
            </section>
            <footer>
              <span class="meta">
                ${this.date ? html`<span><span class="k">${L.date}</span>${this.date}</span>` : nothing}
                ${this.attribution ? html`<span class="src"><span class="k">${L.attribution}</span>${this.attribution}</span>` : nothing}
              </span>
              ${L.demo ? html`<span class="demo">${L.demo}</span>` : nothing}
            </footer>
          </article>
        </div>
      </div>
    </div>`;
  }

  /** The page as shown, drawn as a PNG ("Save PNG"); rejects while the map image is not there. */
  async pageImage(): Promise<Blob> {
    const image = this.image;
    if (!image) throw new Error('the map image is not ready');
    const sheet = this.renderRoot.querySelector('.sheet') ?? this;
    return drawPrintPage(this.ownerDocument, {
      ...this.#page,
      labels: this.labels,
      note: this.note.trim(),
      legend: this.legend,
      figures: this.figures,
      date: this.date,
      attribution: this.attribution,
      image,
      fontFamily: getComputedStyle(sheet).fontFamily,
    });
  }

  #map(layout: PageLayout): TemplateResult {
    const L = this.labels;
    const image = this.image;
    if (this.failure !== null) {
      return html`<p class="rendering failed" role="alert">${this.failure}
        <button type="button" @click=${() => emit(this, 'zs-print-retry', null)}>${L.retry}</button></p>`;
    }
    if (!image || !(image.width > 0 && image.height > 0)) return html`<p class="rendering" role="status">${L.rendering}</p>`;
    // The frame takes the image's own aspect inside the map area, so the overlays sit on
    // the map and the scale bar can be worked out from millimetres alone.
    const shown = fitContain(layout.map, image.width / image.height);
    const shownPx = mmToPx(shown.widthMm);
    const bearing = Number.isFinite(image.bearing) ? image.bearing : 0;
    return html`<div class="frame" style=${cssProps({ width: `${shown.widthMm}mm`, height: `${shown.heightMm}mm` })}>
      <img src=${image.dataUrl} alt=${L.title} />
      <div class="overlay-box north" role="img" aria-label=${L.north}>${northArrow(bearing)}<span aria-hidden="true">${L.north}</span></div>
      ${image.metresPerPixel > 0 ? scaleBar(L.scale, (image.metresPerPixel * image.width) / shownPx, shownPx) : nothing}
    </div>`;
  }
}

/** The document's print rules while a layout is shown. Built from checked names and constants only. */
function pageStyle({ paper, orientation }: PrintOptionsDetail): string {
  const { marginMm } = pageLayout(paper, orientation);
  return `@page { size: ${paper} ${orientation}; margin: ${marginMm}mm; }
@media print {
  html, body { height: auto !important; overflow: visible !important; background: #fff !important; }
  body > :not(zs-print-layout) { display: none !important; }
}`;
}

function sheetVars(l: PageLayout): Record<string, string> {
  const mm = (v: number): string => `${v}mm`;
  const side = l.legend.position === 'side';
  return {
    '--paper-w': mm(l.paper.widthMm),
    '--paper-h': mm(l.paper.heightMm),
    '--content-w': mm(l.content.widthMm),
    '--content-h': mm(l.content.heightMm),
    '--margin': mm(l.marginMm),
    gap: mm(l.gapMm),
    gridTemplateColumns: side ? `${mm(l.map.widthMm)} ${mm(l.legend.widthMm)}` : mm(l.content.widthMm),
    gridTemplateRows: side
      ? `${mm(l.headerMm)} ${mm(l.map.heightMm)} ${mm(l.footerMm)}`
      : `${mm(l.headerMm)} ${mm(l.map.heightMm)} ${mm(l.legend.heightMm)} ${mm(l.footerMm)}`,
    gridTemplateAreas: side ? '"header header" "map legend" "footer footer"' : '"header" "map" "legend" "footer"',
  };
}

function scaleBar(caption: string, metresPerPixel: number, mapWidthPx: number): TemplateResult {
  const bar = niceScaleBar(metresPerPixel, mapWidthPx * SCALE_BAR_SHARE);
  const seg = bar.px / bar.segments;
  return html`<div class="overlay-box scale" role="img" aria-label=${`${caption} ${bar.label}`}>
    ${caption ? html`<div class="caption" aria-hidden="true">${caption}</div>` : nothing}
    <div class="row" aria-hidden="true">
      <svg width=${bar.px} height="5" viewBox="0 0 ${bar.px} 5">
        ${Array.from({ length: bar.segments }, (_, i) => svg`<rect x=${i * seg} y="0.5" width=${seg} height="4" fill=${i % 2 ? '#fff' : '#111'} stroke="#111" stroke-width="0.75" />`)}
      </svg>
      <span>${bar.label}</span>
    </div>
  </div>`;
}

/** A split arrow pointing to north, turned against the map's bearing. */
function northArrow(bearing: number): TemplateResult {
  return html`<svg width="14" height="20" viewBox="-7 -10 14 20" aria-hidden="true">
    <g transform="rotate(${-bearing})">
      <path d="M0 -9.5 L6 8 L0 4.5 Z" fill="#111" />
      <path d="M0 -9.5 L-6 8 L0 4.5 Z" fill="#fff" stroke="#111" stroke-width="0.8" stroke-linejoin="round" />
    </g>
  </svg>`;
}

/** Drawn like the map draws the class: see map/layers/thematic.ts. SVG, so it prints without background graphics. */
function swatch(shape: PrintLegendGroup['shape'], c: PrintLegendClass): TemplateResult {
  if (shape === 'pt') {
    return html`<svg class="sw" viewBox="0 0 14 10" aria-hidden="true">
      <circle cx="7" cy="5" r="3.6" fill=${c.dash ? '#fff' : c.color} stroke=${c.dash ? c.color : '#666'} stroke-width=${c.dash ? 1.8 : 0.5} />
    </svg>`;
  }
  if (shape === 'ln') {
    return html`<svg class="sw" viewBox="0 0 14 10" aria-hidden="true">
      <line x1="1" y1="5" x2="13" y2="5" stroke=${c.color} stroke-width="2.6" stroke-dasharray=${c.dash ? '3.5 2.2' : nothing} />
    </svg>`;
  }
  return html`<svg class="sw" viewBox="0 0 14 10" aria-hidden="true">
    <rect x="1" y="1" width="12" height="8" fill=${c.color} fill-opacity="0.5" stroke=${c.color} stroke-width="1.2" stroke-dasharray=${c.dash ? '2.5 1.5' : nothing} />
  </svg>`;
}

function legendGroup(g: PrintLegendGroup): TemplateResult {
  const only = g.classes.length === 1 ? g.classes[0] : undefined;
  // A layer drawn in one class needs no list: its swatch goes beside its name.
  if (only && only.label === g.name) return html`<div class="group"><h3>${swatch(g.shape, only)}<span>${g.name}</span></h3></div>`;
  return html`<div class="group">
    <h3>${g.name}</h3>
    <ul>${g.classes.map((c) => html`<li>${swatch(g.shape, c)}<span>${c.label}</span></li>`)}</ul>
  </div>`;
}

/** The focused element, looking inside shadow roots (the side panel's buttons live in one). */
function deepActiveElement(doc: Document): HTMLElement | null {
  let el: Element | null = doc.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el instanceof HTMLElement && el !== doc.body ? el : null;
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-print-layout': PrintLayout;
  }
}
