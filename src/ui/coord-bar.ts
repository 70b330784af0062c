/**
 * The bar along the bottom of the map (staff, desktop): where the pointer is, in WGS84
 * degrees and in CGCS2000 Gauss–Krüger metres (EPSG:4550), and a box that takes the map to
 * a typed coordinate. What the box understands is said under it as you type (which system,
 * which order), so "30.0, 122.2" is not silently read the other way round.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { parseCoordinate } from '../app/coordinates.ts';
import type { Lang } from '../app/store.ts';
import { emit } from './events.ts';
import { formatNumber, t } from './i18n.ts';
import { controlStyles } from './shared-styles.ts';

@customElement('zs-coord-bar')
export class CoordBar extends LitElement {
  @property() locale: Lang = 'zh';
  /** The pointer's longitude and latitude, or null when it is off the map. */
  @property({ attribute: false }) position: readonly [number, number] | null = null;
  /** The same point as EPSG:4550 easting and northing (null until proj4 has loaded). */
  @property({ attribute: false }) gk: readonly [number, number] | null = null;
  /** Whether a go-to marker is on the map (it can then be removed). */
  @property({ type: Boolean }) marker = false;
  /** What is typed in the box: the box's own, until it is submitted. */
  @state() private text = '';
  /** The reading of the text is shown while it is being typed, not after it was used. */
  @state() private editing = false;

  static override styles = [controlStyles, css`
    :host { display: flex; align-items: center; gap: 0.4rem; font-size: 0.75rem; color: var(--zs-text); }
    .readout, form { background: color-mix(in srgb, var(--zs-bg) 88%, transparent); border: 1px solid var(--zs-line); border-radius: 4px; box-shadow: 0 1px 3px rgb(0 0 0 / 0.12); }
    .readout { padding: 0.2rem 0.5rem; font-variant-numeric: tabular-nums; white-space: nowrap; min-width: 19rem; }
    .readout .k { color: var(--zs-muted); margin-right: 0.25rem; }
    .readout .sep { color: var(--zs-muted); margin: 0 0.4rem; }
    form { position: relative; display: flex; align-items: center; gap: 0.25rem; padding: 0.15rem 0.25rem; }
    input { width: 10rem; font-size: 0.75rem; }
    button { font-size: 0.75rem; padding: 0.15rem 0.45rem; }
    .hint { position: absolute; bottom: calc(100% + 4px); left: 0; width: max-content; max-width: 26rem; margin: 0; padding: 0.25rem 0.5rem;
      background: var(--zs-bg); border: 1px solid var(--zs-line); border-radius: 4px; box-shadow: 0 1px 3px rgb(0 0 0 / 0.15); white-space: normal; }
    .hint.bad { color: var(--zs-error); }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  `];

  #readout() {
    const lang = this.locale;
    const p = this.position;
    if (!p) return html`<span class="k">${t(lang, 'coords.readout')}</span>—`;
    const gk = this.gk;
    return html`<span class="k">WGS84</span><span id="coord-wgs84" data-lng=${p[0]} data-lat=${p[1]}>${p[0].toFixed(5)}° E, ${p[1].toFixed(5)}° N</span>
      ${gk ? html`<span class="sep">·</span><span class="k" title="CGCS2000 3° Gauss–Krüger, 123° E (EPSG:4550)">GK</span><span id="coord-gk" data-e=${gk[0]} data-n=${gk[1]}>E ${gk[0].toFixed(1)} N ${gk[1].toFixed(1)}</span>` : nothing}`;
  }

  /** What the typed text would be read as, or why it cannot be. */
  #hint() {
    const lang = this.locale;
    const text = this.text.trim();
    if (!text || !this.editing) return nothing;
    const c = parseCoordinate(text);
    if (!c) return html`<p class="hint bad" id="goto-hint" role="status">${t(lang, 'coords.invalid')}</p>`;
    const what = c.crs === 'EPSG:4326'
      ? t(lang, 'coords.asLngLat', { lng: formatNumber(lang, c.lngLat[0], 6), lat: formatNumber(lang, c.lngLat[1], 6) })
      : t(lang, 'coords.asGk', { crs: c.crs, e: formatNumber(lang, c.easting, 2), n: formatNumber(lang, c.northing, 2) });
    return html`<p class="hint" id="goto-hint" role="status">${what}</p>`;
  }

  #submit(e: Event): void {
    e.preventDefault();
    if (!parseCoordinate(this.text)) return;
    this.editing = false;
    emit(this, 'zs-goto', { text: this.text });
  }

  override render() {
    const lang = this.locale;
    return html`<div class="readout" role="group" aria-label=${t(lang, 'coords.readout')}>${this.#readout()}</div>
      <form @submit=${(e: Event) => this.#submit(e)} title=${t(lang, 'coords.hint')}>
        <label class="sr" for="goto">${t(lang, 'coords.goto')}</label>
        <input id="goto" type="text" inputmode="decimal" autocomplete="off" spellcheck="false" placeholder=${t(lang, 'coords.placeholder')}
          aria-describedby="goto-hint" .value=${this.text} @input=${(e: Event) => {
            this.text = (e.target as HTMLInputElement).value;
            this.editing = true;
          }}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Escape') this.editing = false;
          }} />
        <button type="submit" id="goto-go">${t(lang, 'coords.go')}</button>
        ${this.marker ? html`<button type="button" id="goto-clear" aria-label=${t(lang, 'coords.clear')} title=${t(lang, 'coords.clear')}
          @click=${() => emit(this, 'zs-goto-clear', null)}>✕</button>` : nothing}
        ${this.#hint()}
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-coord-bar': CoordBar;
  }
}
