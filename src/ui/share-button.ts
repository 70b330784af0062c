/**
 * <zs-share-button>: a small Share button, and under it what became of the link: a brief
 * "copied" confirmation, or, where the clipboard refused, the link in a selected read-only
 * field to copy by hand. Both float over the panel, so the header keeps its height.
 */
import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Lang, ShareState } from '../app/store.ts';
import { emit } from './events.ts';
import { t } from './i18n.ts';
import { controlStyles } from './shared-styles.ts';

/** Three joined dots, the usual sign for sharing. */
const shareIcon = svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor">
  <circle cx="12.5" cy="3" r="2.2" /><circle cx="3.5" cy="8" r="2.2" /><circle cx="12.5" cy="13" r="2.2" />
  <path d="M12.5 3 3.5 8l9 5" fill="none" stroke="currentColor" stroke-width="1.4" />
</svg>`;

@customElement('zs-share-button')
export class ShareButton extends LitElement {
  @property() locale: Lang = 'zh';
  @property({ attribute: false }) share: ShareState = { status: 'idle' };

  static override styles = [controlStyles, css`
    :host { position: relative; display: inline-block; flex: none; }
    /* An icon button: the header is tight, and the share sign is known from phones. */
    #share { display: inline-flex; align-items: center; justify-content: center; min-width: 2rem; padding: 0.25rem 0.4rem; }
    #share svg { width: 1rem; height: 1rem; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    .bubble {
      position: absolute; top: calc(100% + 6px); right: 0; z-index: 10; box-sizing: border-box;
      width: max-content; max-width: min(19rem, calc(100vw - 2rem)); margin: 0; padding: 0.45rem 0.6rem;
      background: var(--zs-bg); color: var(--zs-text); border: 1px solid var(--zs-line); border-radius: 6px;
      box-shadow: 0 2px 10px rgb(0 0 0 / 0.18); font-size: 0.8rem; line-height: 1.35;
    }
    .ok { border-color: #009e73; }
    .ok strong { color: #007a5a; }
    .manual { width: min(19rem, calc(100vw - 2rem)); }
    .manual label { display: block; margin-bottom: 0.3rem; }
    .row { display: flex; gap: 0.3rem; }
    .row input { flex: 1; min-width: 0; }
    .note { display: block; color: var(--zs-muted); margin-top: 0.2rem; }
  `];

  protected override updated(changed: PropertyValues<this>): void {
    // The link to copy by hand comes selected, so Ctrl+C or the phone's Copy takes it at once.
    if (changed.has('share') && this.share.status === 'manual') {
      const input = this.renderRoot.querySelector<HTMLInputElement>('input');
      input?.focus();
      input?.select();
    }
  }

  override render() {
    const lang = this.locale;
    const s = this.share;
    const omitted = s.status !== 'idle' && s.studyOmitted ? html`<span class="note">${t(lang, 'share.studyOmitted')}</span>` : nothing;
    return html`<button type="button" id="share" part="button" title=${t(lang, 'share.button')} @click=${() => emit(this, 'zs-share', null)}>${shareIcon}<span class="sr">${t(lang, 'share.button')}</span></button>
      <div role="status">${s.status === 'copied' ? html`<p class="bubble ok"><strong>✓ ${t(lang, 'share.copied')}</strong>${omitted}</p>` : nothing}</div>
      ${s.status === 'manual' ? html`<div class="bubble manual" role="group" aria-label=${t(lang, 'share.button')} @keydown=${this.#onKey}>
        <label for="share-link">${t(lang, 'share.manual')}</label>
        <div class="row">
          <input id="share-link" type="text" readonly .value=${s.url} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
          <button type="button" aria-label=${t(lang, 'share.close')} @click=${() => emit(this, 'zs-share-dismiss', null)}>✕</button>
        </div>${omitted}
      </div>` : nothing}`;
  }

  readonly #onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    emit(this, 'zs-share-dismiss', null);
    this.renderRoot.querySelector<HTMLButtonElement>('#share')?.focus();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-share-button': ShareButton;
  }
}
