/** Offline basemap by default; online ones are an explicit choice, with a note saying so. */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BasemapId, Lang } from '../app/store.ts';
import { emit } from './events.ts';
import { t, type MessageKey } from './i18n.ts';

const OPTIONS: { id: BasemapId; key: MessageKey }[] = [
  { id: 'offline', key: 'basemap.offline' },
  { id: 'osm', key: 'basemap.osm' },
  { id: 'tianditu', key: 'basemap.tianditu' },
];

@customElement('zs-basemap-switcher')
export class BasemapSwitcher extends LitElement {
  @property() basemap: BasemapId = 'offline';
  @property() tiandituKey = '';
  @property() locale: Lang = 'zh';
  /** The chosen online basemap's tiles cannot be fetched. */
  @property({ type: Boolean }) unreachable = false;

  static override styles = css`
    :host { display: block; font-size: 0.875rem; }
    fieldset { border: 0; padding: 0; margin: 0; }
    legend { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--zs-muted); margin: 0.9rem 0 0.3rem; padding: 0; }
    label { display: flex; gap: 0.5rem; align-items: center; padding: 0.2rem 0; cursor: pointer; }
    .key { display: flex; flex-direction: column; align-items: stretch; gap: 0.2rem; margin: 0.2rem 0 0 1.5rem; font-size: 0.8rem; }
    .key input { font: inherit; padding: 0.25rem 0.4rem; border: 1px solid var(--zs-line); border-radius: 4px; background: var(--zs-bg); color: var(--zs-text); }
    p { font-size: 0.78rem; color: var(--zs-muted); margin: 0.3rem 0 0; }
    p.error { color: var(--zs-error); }
  `;

  override render() {
    const lang = this.locale;
    return html`<fieldset>
      <legend>${t(lang, 'basemap.heading')}</legend>
      ${OPTIONS.map((o) => html`<label>
        <input type="radio" name="basemap" value=${o.id} .checked=${this.basemap === o.id}
          ?disabled=${o.id === 'tianditu' && !this.tiandituKey}
          @change=${() => emit(this, 'zs-basemap-change', { basemap: o.id })} />
        ${t(lang, o.key)}
      </label>`)}
      <label class="key">
        <span>${t(lang, 'basemap.tiandituKey')}</span>
        <input type="text" autocomplete="off" spellcheck="false" .value=${this.tiandituKey} placeholder=${t(lang, 'basemap.tiandituKeyHint')}
          @change=${(e: Event) => emit(this, 'zs-tianditu-key', { key: (e.target as HTMLInputElement).value.trim() })} />
      </label>
      ${this.basemap !== 'offline' ? html`<p role="note">${t(lang, 'basemap.onlineNote')}</p>` : nothing}
      ${this.basemap !== 'offline' && this.unreachable ? html`<p class="error" role="alert">${t(lang, 'basemap.unreachable')}</p>` : nothing}
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-basemap-switcher': BasemapSwitcher;
  }
}
