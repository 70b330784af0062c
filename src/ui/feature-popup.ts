/**
 * A clicked feature's attributes with the catalogue's labels, units and value labels.
 * Every value is rendered as text by Lit: attribute data never becomes markup.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { valueLabel, type Catalogue, type FieldDef, type LayerEntry } from '../app/registry.ts';
import { cssProps } from './css-props.ts';
import type { Lang, ViewMode } from '../app/store.ts';
import { styleClasses } from '../app/style-classes.ts';
import { valueText } from '../geo/value-text.ts';
import { formatArea, formatDate, formatNumber, formatLength, t } from './i18n.ts';

/** Computed measures shown under the attributes. */
export interface PopupMeasures {
  area_m2: number | null;
  length_m: number | null;
  area_gk_m2: number | null;
}

/**
 * One attribute value as text: value labels, units, yes/no, "—" for none; in English a road
 * or place name the basemap knows in its Latin form (`latin`). Shared with the attribute table.
 */
export function formatValue(field: FieldDef | undefined, value: unknown, lang: Lang, latin?: ReadonlyMap<string, string>): string {
  if (value === null || value === undefined || value === '') return t(lang, 'value.none');
  if (typeof value === 'boolean') return t(lang, value ? 'value.yes' : 'value.no');
  if (field?.values) return valueLabel(field, value, lang);
  if (typeof value === 'number') {
    const unit = typeof field?.unit === 'object' ? field.unit[lang] : field?.unit;
    return unit ? `${formatNumber(lang, value)} ${unit}` : formatNumber(lang, value);
  }
  if (field?.type === 'date' && typeof value === 'string') return formatDate(lang, value);
  if (lang === 'en' && typeof value === 'string') return latin?.get(value) ?? valueText(value);
  return valueText(value);
}

@customElement('zs-feature-popup')
export class FeaturePopup extends LitElement {
  @property({ attribute: false }) entry: LayerEntry | null = null;
  @property({ attribute: false }) properties: Record<string, unknown> = {};
  @property() locale: Lang = 'zh';
  @property({ attribute: false }) measures: PopupMeasures | null = null;
  /** The public view shows status and plain words, not every attribute. */
  @property() mode: ViewMode = 'staff';
  @property({ attribute: false }) stages: Catalogue['stages'] | null = null;
  /** Latin forms of Chinese road and place names, for the English view. */
  @property({ attribute: false }) latin: ReadonlyMap<string, string> = new Map();

  static override styles = css`
    /* Imported values can be any length: the popup scrolls instead of outgrowing the map
       (under half its height, so MapLibre can always place it above or below the point),
       and each value scrolls within its own few lines, so one long text never hides the rest. */
    :host { display: block; max-width: min(80vw, 320px); max-height: min(42vh, 28rem); overflow-y: auto; overscroll-behavior: contain; font: 13px/1.4 var(--zs-font, system-ui, sans-serif); color: var(--zs-text, #222); }
    .layer { font-size: 0.75rem; color: var(--zs-muted, #666); margin: 0; overflow-wrap: anywhere; max-height: 2.8em; overflow-y: auto; }
    h2 { font-size: 1rem; margin: 0.1rem 0 0.4rem; overflow-wrap: anywhere; max-height: 4.2em; overflow-y: auto; }
    table { border-collapse: collapse; width: 100%; }
    th { text-align: left; font-weight: 500; color: var(--zs-muted, #555); padding: 0.15rem 0.6rem 0.15rem 0; vertical-align: top; white-space: nowrap; }
    th .k { display: inline-block; max-width: 9rem; overflow: hidden; text-overflow: ellipsis; vertical-align: top; }
    td { padding: 0.15rem 0; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
    td .v { max-height: 8.4em; overflow-y: auto; }
    .status { margin: 0 0 0.3rem; font-weight: 600; }
    .chip { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%; margin-right: 0.35rem; vertical-align: -0.1rem; }
    /* A phone's close button is a finger wide (styles/app.css): the first lines keep clear of it. */
    @media (max-width: 699px) { .layer, h2 { padding-right: 1.9rem; } }
  `;

  /** Public view: status, before and after, where; no technical attributes. */
  #public(entry: LayerEntry, title: string) {
    const lang = this.locale;
    const p = this.properties;
    const cls = this.stages && entry.styleField ? styleClasses(entry, this.stages).find((c) => c.value === String(p[entry.styleField!])) : undefined;
    const district = entry.fields.find((f) => f.name === 'district');
    return html`<p class="layer">${entry.name[lang]}</p>
      <h2>${title}</h2>
      ${cls ? html`<p class="status"><span class="chip" style=${cssProps({ background: cls.color })}></span>${cls.label[lang]}</p>` : nothing}
      <table><tbody>
        ${entry.public ? html`<tr><th scope="row">${t(lang, 'public.before')}</th><td>${entry.public.before[lang]}</td></tr>
          <tr><th scope="row">${t(lang, 'public.after')}</th><td>${entry.public.after[lang]}</td></tr>` : nothing}
        ${district && p.district ? html`<tr><th scope="row">${district.label[lang]}</th><td>${formatValue(district, p.district, lang, this.latin)}</td></tr>` : nothing}
      </tbody></table>`;
  }

  override render() {
    const entry = this.entry;
    if (!entry) return nothing;
    const lang = this.locale;
    const p = this.properties;
    const title = valueText((lang === 'en' ? p.name_en : undefined) ?? p.name ?? p.id ?? '');
    if (this.mode !== 'staff') return this.#public(entry, title);
    const known = new Set(entry.fields.map((f) => f.name));
    // Fields the catalogue does not list still show, under their raw names.
    const extra = Object.keys(p).filter((k) => !known.has(k));
    const rows: [string, string][] = [
      ...entry.fields.filter((f) => f.name !== 'name' && f.name !== 'name_en' && Object.hasOwn(p, f.name)).map((f) => [f.label[lang], formatValue(f, p[f.name], lang, this.latin)] as [string, string]),
      ...extra.map((k) => [k, formatValue(undefined, p[k], lang, this.latin)] as [string, string]),
    ];
    const m = this.measures;
    if (m?.area_m2 !== null && m?.area_m2 !== undefined) rows.push([t(lang, 'popup.area'), formatArea(lang, m.area_m2)]);
    if (m?.area_gk_m2 !== null && m?.area_gk_m2 !== undefined) rows.push([t(lang, 'popup.areaGk'), formatArea(lang, m.area_gk_m2)]);
    if (m?.length_m !== null && m?.length_m !== undefined) rows.push([t(lang, 'popup.length'), formatLength(lang, m.length_m)]);
    return html`<p class="layer">${entry.name[lang]}</p>
      <h2>${title}</h2>
      <table><tbody>${rows.map(([k, v]) => html`<tr><th scope="row"><span class="k" title=${k}>${k}</span></th><td><div class="v">${v}</div></td></tr>`)}</tbody></table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-feature-popup': FeaturePopup;
  }
}
