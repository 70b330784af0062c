/**
 * Filters for one layer, one control per catalogue field that can be filtered: a check
 * box per allowed value (with how many features have it), minimum and maximum for
 * numbers, from and to for dates. Free-text fields (names, ids) are left to search.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Feature } from 'geojson';
import type { FieldFilter } from '../app/filters.ts';
import { ownValue } from '../geo/own-value.ts';
import type { Lang } from '../app/store.ts';
import type { FieldDef, LayerEntry } from '../app/registry.ts';
import { emit } from './events.ts';
import { formatNumber, t } from './i18n.ts';

function valuesOf(def: FieldDef): { value: string | boolean; label: { zh: string; en: string } }[] | null {
  if (def.values?.length) return def.values.map((v) => ({ value: v.value, label: v.label }));
  if (def.type === 'boolean') {
    const both = (key: 'value.yes' | 'value.no') => ({ zh: t('zh', key), en: t('en', key) });
    return [{ value: true, label: both('value.yes') }, { value: false, label: both('value.no') }];
  }
  return null;
}

@customElement('zs-filter-editor')
export class FilterEditor extends LitElement {
  @property({ attribute: false }) entry: LayerEntry | null = null;
  @property({ attribute: false }) filters: readonly FieldFilter[] = [];
  /** The layer's features before filtering, for value counts. */
  @property({ attribute: false }) features: readonly Feature[] = [];
  @property() locale: Lang = 'zh';

  static override styles = css`
    :host { display: block; font-size: 0.8rem; margin: 0.3rem 0 0.2rem 1.55rem; padding: 0.4rem 0.5rem; border-left: 3px solid var(--zs-line); }
    fieldset { border: 0; margin: 0 0 0.4rem; padding: 0; }
    legend { font-weight: 600; padding: 0; margin-bottom: 0.1rem; }
    label { display: inline-flex; align-items: center; gap: 0.25rem; margin-right: 0.6rem; }
    input[type=number], input[type=date] { font: inherit; width: 7.2rem; padding: 0.1rem 0.25rem; border: 1px solid var(--zs-line); border-radius: 4px; background: var(--zs-bg); color: var(--zs-text); }
    .n { color: var(--zs-muted); font-variant-numeric: tabular-nums; }
    button { font: inherit; font-size: 0.78rem; border: 1px solid var(--zs-line); background: var(--zs-bg); color: var(--zs-text); border-radius: 4px; padding: 0.15rem 0.5rem; cursor: pointer; }
    :focus-visible { outline: 2px solid var(--zs-accent); outline-offset: 2px; }
  `;

  #emit(field: string, filter: FieldFilter | null): void {
    emit(this, 'zs-filter-change', { layerId: this.entry!.id, field, filter });
  }

  #values(def: FieldDef, options: NonNullable<ReturnType<typeof valuesOf>>) {
    const lang = this.locale;
    const current = this.filters.find((f) => f.field === def.name);
    const chosen = current?.kind === 'values' ? current.values : null;
    const counts = new Map<unknown, number>();
    for (const f of this.features) {
      const v = ownValue(f.properties, def.name);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const toggle = (value: string | boolean, on: boolean): void => {
      const all = options.map((o) => o.value);
      const base = chosen ?? all;
      const next = on ? [...new Set([...base, value])] : base.filter((x) => x !== value);
      // Every value ticked is no filter at all.
      this.#emit(def.name, next.length === all.length && all.every((x) => next.includes(x)) ? null : { field: def.name, kind: 'values', values: next });
    };
    return html`<fieldset>
      <legend>${def.label[lang]}</legend>
      ${options.map((o) => html`<label><input type="checkbox" data-field=${def.name} data-value=${String(o.value)}
        .checked=${chosen ? chosen.includes(o.value) : true}
        @change=${(e: Event) => toggle(o.value, (e.target as HTMLInputElement).checked)} />${o.label[lang]}
        <span class="n">${formatNumber(lang, counts.get(o.value) ?? 0)}</span></label>`)}
    </fieldset>`;
  }

  #range(def: FieldDef) {
    const lang = this.locale;
    const current = this.filters.find((f) => f.field === def.name);
    const isDate = def.type === 'date';
    const lo = current?.kind === 'range' ? current.min : current?.kind === 'dates' ? current.from : undefined;
    const hi = current?.kind === 'range' ? current.max : current?.kind === 'dates' ? current.to : undefined;
    const change = (which: 'lo' | 'hi', raw: string): void => {
      const a = which === 'lo' ? raw : lo === undefined ? '' : String(lo);
      const b = which === 'hi' ? raw : hi === undefined ? '' : String(hi);
      if (a === '' && b === '') return this.#emit(def.name, null);
      if (isDate) this.#emit(def.name, { field: def.name, kind: 'dates', ...(a ? { from: a } : {}), ...(b ? { to: b } : {}) });
      else {
        const min = a === '' ? undefined : Number(a);
        const max = b === '' ? undefined : Number(b);
        this.#emit(def.name, { field: def.name, kind: 'range', ...(min !== undefined && Number.isFinite(min) ? { min } : {}), ...(max !== undefined && Number.isFinite(max) ? { max } : {}) });
      }
    };
    const type = isDate ? 'date' : 'number';
    return html`<fieldset>
      <legend>${def.label[lang]}</legend>
      <label>${t(lang, isDate ? 'filter.from' : 'filter.min')}<input type=${type} data-field=${def.name} data-bound="lo" .value=${lo === undefined ? '' : String(lo)}
        @change=${(e: Event) => change('lo', (e.target as HTMLInputElement).value)} /></label>
      <label>${t(lang, isDate ? 'filter.to' : 'filter.max')}<input type=${type} data-field=${def.name} data-bound="hi" .value=${hi === undefined ? '' : String(hi)}
        @change=${(e: Event) => change('hi', (e.target as HTMLInputElement).value)} /></label>
    </fieldset>`;
  }

  override render() {
    const entry = this.entry;
    if (!entry) return nothing;
    const controls = entry.fields.map((def) => {
      const options = valuesOf(def);
      if (options) return this.#values(def, options);
      if (def.type === 'integer' || def.type === 'number' || def.type === 'date') return this.#range(def);
      return nothing;
    });
    return html`${controls}
      ${this.filters.length ? html`<button type="button" @click=${() => emit(this, 'zs-filter-zoom', { layerId: entry.id })}>${t(this.locale, 'filter.zoom')}</button>
        <button type="button" @click=${() => emit(this, 'zs-filters-clear', { layerId: entry.id })}>${t(this.locale, 'filter.clear')}</button>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-filter-editor': FilterEditor;
  }
}
