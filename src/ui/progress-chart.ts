/**
 * <zs-progress-chart>: a programme figure month by month, drawn with uPlot (loaded with this
 * module, on the dashboard's first chart): what was done as a solid line, the plan dashed,
 * the target dotted, and the day the map shows as an upright line. A click on the chart
 * shows that month's end on the map. The small variant (one per district) keeps only the
 * lines. Colours are the legend's (finished green, planned blue) and the page's own for
 * text and grid, read from its custom properties, so the dark theme reads as well.
 *
 * uPlot writes its sizes through element.style (CSSOM), which the Content-Security-Policy
 * allows; its style sheet comes in as a constructed sheet with this component's own.
 */
import { LitElement, css, html, nothing, unsafeCSS, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { daysBetween, type ProgressSeries } from '../app/registry.ts';
import type { Lang } from '../app/store.ts';
import { emit } from './events.ts';

export interface ChartLabels {
  actual: string;
  plan: string;
  target: string;
}

/** The legend's colours: finished (Okabe–Ito bluish green) and planned (sky blue). */
const ACTUAL = '#009E73';
const PLAN = '#56B4E9';

@customElement('zs-progress-chart')
export class ProgressChart extends LitElement {
  @property({ attribute: false }) series: ProgressSeries | null = null;
  /** The programme's first day: x is counted in days from it. */
  @property() start = '';
  /** The day the map shows, marked on the chart. */
  @property() day = '';
  @property() locale: Lang = 'zh';
  @property() theme: 'light' | 'dark' = 'light';
  @property({ type: Boolean }) small = false;
  /** What the chart shows, in words, for screen readers. */
  @property() label = '';
  @property({ attribute: false }) labels: ChartLabels = { actual: '', plan: '', target: '' };
  /** A value as text in the figure's unit. */
  @property({ attribute: false }) format: (v: number) => string = (v) => String(v);
  /** The value axis's unit, named above it. */
  @property() unit = '';
  /** The factor from the values to the axis's unit. */
  @property({ type: Number }) factor = 1;

  #plot: uPlot | null = null;
  #resize: ResizeObserver | null = null;

  static override styles = [unsafeCSS(uplotCss), css`
    :host { display: block; min-width: 0; }
    .plot { width: 100%; min-height: 4rem; cursor: pointer; }
    :host([small]) .plot { min-height: 3.5rem; }
    .uplot { font-family: var(--zs-font); }
    .key { display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; margin: 0.25rem 0 0; font-size: 0.75rem; color: var(--zs-text); }
    .key span { display: inline-flex; align-items: center; gap: 0.3rem; }
    .key .target { color: var(--zs-muted); }
    .unit { margin: 0 0 0.1rem; font-size: 0.7rem; color: var(--zs-muted); }
  `];

  override render() {
    // The key in the page's own type rather than uPlot's live legend, which reads as a table.
    const line = (color: string, dash: string) => html`<svg viewBox="0 0 24 8" width="24" height="8" aria-hidden="true"><line x1="0" y1="4" x2="24" y2="4" stroke=${color} stroke-width="2" stroke-dasharray=${dash} /></svg>`;
    return html`${this.small || !this.unit ? nothing : html`<p class="unit" aria-hidden="true">${this.unit}</p>`}<div class="plot" role="img" aria-label=${this.label}></div>
      ${this.small ? nothing : html`<p class="key" aria-hidden="true"><span>${line(ACTUAL, '')}${this.labels.actual}</span><span>${line(PLAN, '6 4')}${this.labels.plan}</span>
        <span class="target">${line('currentColor', '2 3')}${this.labels.target}</span></p>`}`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resize = new ResizeObserver(() => this.#plot?.setSize(this.#size()));
    this.#resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
    this.#plot?.destroy();
    this.#plot = null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const rebuild = ['series', 'start', 'locale', 'theme', 'small', 'labels', 'format', 'factor'].some((k) => changed.has(k as keyof ProgressChart));
    if (rebuild || !this.#plot) this.#build();
    else if (changed.has('day')) this.#plot.redraw(false, false);
  }

  #size(): { width: number; height: number } {
    return { width: Math.max(80, this.clientWidth), height: this.small ? 64 : 170 };
  }

  #build(): void {
    this.#plot?.destroy();
    this.#plot = null;
    const target = this.renderRoot.querySelector<HTMLElement>('.plot');
    const s = this.series;
    if (!target || !s || !this.start) return;
    const style = getComputedStyle(this);
    const token = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
    const text = token('--zs-muted', '#5b6470');
    const grid = token('--zs-line', '#dde1e6');
    const accent = token('--zs-accent', '#0a66c2');
    const font = `11px ${token('--zs-font', 'sans-serif')}`;
    const x = s.dates.map((d) => daysBetween(this.start, d));
    const clean = (ys: readonly (number | null)[]): (number | null)[] => ys.map((v) => (v === null || !Number.isFinite(v) ? null : v));
    const data: uPlot.AlignedData = [x, clean(s.actual), clean(s.plan), clean(s.target)];
    const top = Math.max(1, ...(data.slice(1) as (number | null)[][]).flat().filter((v): v is number => v !== null));
    const span = x[x.length - 1] ?? 365;
    const lang = this.locale;
    const months = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { month: 'short', timeZone: 'UTC' });
    const monthStarts: number[] = [];
    for (let m = 0; m < 24; m++) {
      const first = new Date(Date.UTC(Number(this.start.slice(0, 4)), Number(this.start.slice(5, 7)) - 1 + m, 1)).toISOString().slice(0, 10);
      const day = daysBetween(this.start, first);
      if (day > span) break;
      if (day >= 0) monthStarts.push(day);
    }
    const { width, height } = this.#size();
    const every = this.small ? 6 : width < 360 ? 2 : 1;
    const value = (_u: uPlot, v: number | null): string => (v === null ? '—' : this.format(v));
    const opts: uPlot.Options = {
      width,
      height,
      padding: this.small ? [4, 4, 0, 4] : [8, 8, 0, 0],
      legend: { show: false },
      cursor: this.small ? { show: false } : { drag: { x: false, y: false }, points: { size: 6 } },
      scales: { x: { time: false, range: [0, span] }, y: { range: [0, top * 1.08] } },
      axes: [
        {
          show: !this.small,
          stroke: text,
          font,
          size: 26,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid, width: 1, size: 4 },
          splits: () => monthStarts.filter((_, i) => i % every === 0),
          values: (_u, splits) => splits.map((d) => months.format(new Date(Date.parse(`${this.start}T00:00:00Z`) + d * 86_400_000))),
        },
        {
          show: !this.small,
          stroke: text,
          font,
          size: 48,
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          // In the unit named above the axis.
          values: (_u, vals) => vals.map((v) => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { notation: 'compact', maximumFractionDigits: 2 }).format(v * this.factor)),
        },
      ],
      series: [
        { label: '', value: (_u, v) => (v === null ? '' : this.#dateAt(v)) },
        { label: this.labels.actual, stroke: ACTUAL, width: this.small ? 1.5 : 2, points: { show: !this.small, size: 4, fill: ACTUAL }, value },
        { label: this.labels.plan, stroke: PLAN, width: this.small ? 1.5 : 2, dash: [6, 4], points: { show: false }, value },
        { label: this.labels.target, stroke: text, width: 1.25, dash: [2, 3], points: { show: false }, value, show: !this.small },
      ],
      hooks: { draw: [(u) => this.#marker(u, accent)] },
    };
    this.#plot = new uPlot(opts, data, target);
    // A click on the chart shows the map as of that point's day.
    this.#plot.over.addEventListener('click', () => {
      const i = this.#plot?.cursor.idx;
      const day = i === null || i === undefined ? undefined : s.dates[i];
      if (day) emit(this, 'zs-as-of', { date: day });
    });
  }

  #dateAt(day: number): string {
    const d = new Date(Date.parse(`${this.start}T00:00:00Z`) + day * 86_400_000);
    return new Intl.DateTimeFormat(this.locale === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
  }

  /** The day the map shows, as an upright line across the plot. */
  #marker(u: uPlot, color: string): void {
    if (!this.day || !this.start) return;
    const x = Math.round(u.valToPos(daysBetween(this.start, this.day), 'x', true));
    const { top, height, left, width } = u.bbox;
    if (x < left || x > left + width) return;
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.lineWidth = Math.max(1, devicePixelRatio * 1.5);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.restore();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-progress-chart': ProgressChart;
  }
}
