/**
 * <zs-timeline-bar>: the "as of" date control at the foot of the map. A slider over the
 * programme's days (a tick at each month's end), the day shown, play / pause (a month a
 * second, run by the timeline controller) and a way back to the latest data. On a phone it
 * keeps to one compact row. It emits intents; the day itself lives in the store.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { addDays, daysBetween, nextMonthEnd } from '../app/registry.ts';
import type { CompareDates, Lang } from '../app/store.ts';
import { emit } from './events.ts';
import { formatDate, formatMonth, t } from './i18n.ts';
import { controlStyles } from './shared-styles.ts';

const PLAY = html`<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M4 2.5v11l9-5.5z" fill="currentColor"/></svg>`;
const PAUSE = html`<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z" fill="currentColor"/></svg>`;

@customElement('zs-timeline-bar')
export class TimelineBar extends LitElement {
  @property() locale: Lang = 'zh';
  /** The programme's first and last day, and the day the data describes (YYYY-MM-DD). */
  @property() start = '';
  @property() end = '';
  @property() dataDate = '';
  /** The day shown; null: the latest data. */
  @property({ attribute: false }) asOf: string | null = null;
  @property({ type: Boolean }) playing = false;
  /** Two days side by side: the day shown (before) and this one (after); null: one map. */
  @property({ attribute: false }) compare: CompareDates | null = null;

  static override styles = [controlStyles, css`
    :host { display: block; font-size: 0.8rem; }
    .bar { display: grid; grid-template-columns: auto minmax(0, 1fr) auto auto auto; align-items: center; gap: 0.3rem 0.6rem;
      padding: 0.35rem 0.6rem; border-radius: 6px; background: var(--zs-bg); color: var(--zs-text);
      border: 1px solid var(--zs-line); box-shadow: 0 1px 4px rgb(0 0 0 / 0.2); }
    .play { display: inline-flex; align-items: center; justify-content: center; width: 2rem; height: 2rem; padding: 0; border-radius: 50%; }
    .track { display: grid; min-width: 0; }
    input[type=range] { width: 100%; margin: 0; accent-color: var(--zs-accent); }
    .ends { display: flex; justify-content: space-between; color: var(--zs-muted); font-size: 0.7rem; line-height: 1; }
    output { font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .latest, .compare { white-space: nowrap; }
    .latest:not([hidden]) + .compare { grid-column: 5; }
    .versus { grid-column: 1 / -1; display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 0.6rem; padding-top: 0.3rem; border-top: 1px solid var(--zs-line); }
    .versus select { min-width: 0; max-width: 100%; }
    .versus label { display: inline-flex; align-items: center; gap: 0.4rem; }
    .side { display: inline-flex; }
    .side button { border-radius: 0; min-width: 0; }
    .side button:first-child { border-radius: 4px 0 0 4px; }
    .side button:last-child { border-radius: 0 4px 4px 0; margin-left: -1px; }
    .phone { display: none; }
    /* A phone: compact rows, buttons a finger wide, no start and end captions; the swipe
       becomes a toggle between the two days. */
    @media (max-width: 699px) {
      .bar { gap: 0.3rem; padding: 0.2rem 0.35rem; grid-template-columns: auto minmax(0, 1fr) auto auto; }
      .play, .latest, .compare, .side button, .versus select { min-width: 44px; min-height: 44px; }
      input[type=range] { min-height: 44px; }
      .ends { display: none; }
      output { font-size: 0.75rem; grid-column: 1 / -1; grid-row: 2; text-align: center; }
      .latest:not([hidden]) + .compare { grid-column: auto; }
      .wide { display: none; }
      .phone { display: inline-flex; }
      .versus { gap: 0.3rem; }
    }
  `];

  override render() {
    if (!this.start || !this.end) return nothing;
    const lang = this.locale;
    const span = Math.max(1, daysBetween(this.start, this.end));
    const shown = this.asOf ?? this.dataDate;
    const at = Math.min(span, Math.max(0, daysBetween(this.start, shown)));
    const text = this.asOf ? t(lang, 'time.asOf', { date: formatDate(lang, this.asOf) }) : t(lang, 'time.latest', { date: formatDate(lang, this.dataDate) });
    const ticks: number[] = [];
    for (let d = nextMonthEnd(this.start, this.end); d !== null && d < this.end; d = nextMonthEnd(d, this.end)) ticks.push(daysBetween(this.start, d));
    const playLabel = t(lang, this.playing ? 'time.pause' : 'time.play');
    const comparing = this.compare !== null;
    return html`<div class="bar" role="group" aria-label=${t(lang, 'time.label')}>
      <button type="button" class="play" aria-label=${playLabel} title=${playLabel} aria-pressed=${this.playing ? 'true' : 'false'}
        @click=${() => emit(this, 'zs-timeline-play', { playing: !this.playing })}>${this.playing ? PAUSE : PLAY}</button>
      <div class="track">
        <input type="range" min="0" max=${span} step="1" .value=${String(at)} list="months" aria-label=${t(lang, 'time.slider')} aria-valuetext=${text}
          @input=${(e: Event) => emit(this, 'zs-as-of', { date: addDays(this.start, Number((e.target as HTMLInputElement).value)) })} />
        <datalist id="months">${ticks.map((d) => html`<option value=${d}></option>`)}</datalist>
        <div class="ends" aria-hidden="true"><span>${formatMonth(lang, this.start)}</span><span>${formatMonth(lang, this.end)}</span></div>
      </div>
      <output aria-live="off" data-as-of=${this.asOf ?? ''}>${text}</output>
      <button type="button" class="latest" ?hidden=${!this.asOf} @click=${() => emit(this, 'zs-as-of', { date: null })}><span class="wide">${t(lang, 'time.toLatest')}</span><span class="phone">${t(lang, 'time.toLatestShort')}</span></button>
      <button type="button" class="compare" aria-pressed=${comparing ? 'true' : 'false'} title=${t(lang, 'compare.hint')}
        @click=${() => emit(this, 'zs-compare', { on: !comparing })}>${t(lang, 'compare.button')}</button>
      ${this.compare ? this.#versus(this.compare) : nothing}
    </div>`;
  }

  /** The two days compared: the one shown on the left, the other chosen here; on a phone, which fills the map. */
  #versus(c: CompareDates) {
    const lang = this.locale;
    const before = this.asOf ?? this.dataDate;
    const days: string[] = [];
    for (let d = nextMonthEnd(this.start, this.end); d !== null; d = nextMonthEnd(d, this.end)) days.push(d);
    const after = c.asOf;
    const label = (d: string | null) => (d === null ? t(lang, 'time.latest', { date: formatDate(lang, this.dataDate) }) : formatDate(lang, d));
    return html`<div class="versus" data-before=${before} data-after=${after ?? ''}>
      <span class="wide">${t(lang, 'compare.left', { date: formatDate(lang, before) })}</span>
      <span class="wide" aria-hidden="true">⟷</span>
      <span class="side phone" role="group" aria-label=${t(lang, 'compare.side')}>
        <button type="button" data-side="before" aria-pressed=${c.side === 'before' ? 'true' : 'false'}
          @click=${() => emit(this, 'zs-compare-side', { side: 'before' })}>${formatDate(lang, before)}</button>
        <button type="button" data-side="after" aria-pressed=${c.side === 'after' ? 'true' : 'false'}
          @click=${() => emit(this, 'zs-compare-side', { side: 'after' })}>${label(after)}</button>
      </span>
      <label><span class="wide">${t(lang, 'compare.right')}</span><span class="phone">${t(lang, 'compare.after')}</span>
        <select class="after" aria-label=${t(lang, 'compare.after')}
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            emit(this, 'zs-compare-date', { date: v === '' ? null : v });
          }}>
          <option value="" ?selected=${after === null}>${label(null)}</option>
          ${days.map((d) => html`<option value=${d} ?selected=${after === d}>${formatDate(lang, d)}</option>`)}
        </select>
      </label>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-timeline-bar': TimelineBar;
  }
}
