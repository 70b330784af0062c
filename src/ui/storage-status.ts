/**
 * The storage line: what could not be kept in the browser, or was found damaged, in plain
 * words, each with a button to dismiss it. Empty (and taking no room) when all is well.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Lang, StorageProblem } from '../app/store.ts';
import { emit } from './events.ts';
import { t } from './i18n.ts';

function storageMessage(lang: Lang, p: StorageProblem): string {
  const [subject, id] = [p.key.split(':')[0], p.key.slice(p.key.indexOf(':') + 1)];
  if (p.kind === 'blocked') return t(lang, 'storage.blocked');
  if (p.kind === 'quota') {
    if (subject === 'layer') return t(lang, 'storage.quota.layer', { name: p.detail });
    if (subject === 'studyArea') return t(lang, 'storage.quota.studyArea');
    return t(lang, 'storage.quota.settings');
  }
  const what = subject === 'layer' ? t(lang, 'storage.what.layer', { name: id })
    : subject === 'studyArea' ? t(lang, 'storage.what.studyArea')
    : subject === 'layers' ? t(lang, 'storage.what.layers')
    : subject === 'scenarios' ? t(lang, 'storage.what.scenarios')
    : t(lang, 'storage.what.settings');
  return t(lang, p.kind === 'damaged' ? 'storage.damaged' : 'storage.failed', { what, detail: p.detail });
}

@customElement('zs-storage-status')
export class StorageStatus extends LitElement {
  @property({ attribute: false }) problems: readonly StorageProblem[] = [];
  @property() locale: Lang = 'zh';

  static override styles = css`
    :host { display: block; }
    p { margin: 0.5rem 0 0; padding: 0.4rem 0.55rem; border: 1px solid var(--zs-error); border-radius: 4px; color: var(--zs-error); font-size: 0.8rem; overflow-wrap: anywhere; }
    button { font: inherit; font-size: 0.75rem; margin-left: 0.4rem; border: 1px solid var(--zs-line); background: var(--zs-bg); color: var(--zs-text); border-radius: 4px; padding: 0.05rem 0.4rem; cursor: pointer; }
    button:focus-visible { outline: 2px solid var(--zs-accent); outline-offset: 2px; }
  `;

  override render() {
    if (this.problems.length === 0) return nothing;
    return html`${this.problems.map((p) => html`<p role="alert" data-key=${p.key} data-kind=${p.kind}>${storageMessage(this.locale, p)}<button type="button"
      @click=${() => emit(this, 'zs-storage-dismiss', { key: p.key })}>${t(this.locale, 'storage.dismiss')}</button></p>`)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-storage-status': StorageStatus;
  }
}
