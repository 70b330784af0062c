/**
 * The job line: where a file import or an export the user started stands — running (with a
 * Cancel button), done (what was read or written), failed (why), cancelled — whatever tab is
 * open, so a file dropped on the map or an export left running is never lost from sight.
 * Each finished job can be dismissed. The Data tab shows the same jobs in full.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ExportSummary, ImportSummary, Job, Lang, PlanningView } from '../app/store.ts';
import { describeMessage, isolate } from './data-message.ts';
import { emit } from './events.ts';
import { formatPercent, t } from './i18n.ts';
import { controlStyles } from './shared-styles.ts';

const IDLE: Job<never> = { status: 'idle', response: null, error: null };

@customElement('zs-job-status')
export class JobStatus extends LitElement {
  @property() locale: Lang = 'zh';
  @property({ attribute: false }) importJob: Job<ImportSummary> = IDLE;
  @property({ attribute: false }) exportJob: Job<ExportSummary> = IDLE;
  /** Planning's jobs, and the name of the scenario they are about; null leaves them out (the planning tab shows them in full). */
  @property({ attribute: false }) planning: { view: PlanningView; scenario: string } | null = null;
  /** Planning lines put away: each job object once (a new run is a new object, and shows). */
  @state() private dismissed: ReadonlySet<object> = new Set();

  static override styles = [controlStyles, css`
    :host { display: block; }
    p { margin: 0.5rem 0 0; padding: 0.35rem 0.55rem; border: 1px solid var(--zs-line); border-radius: 4px; font-size: 0.8rem; overflow-wrap: anywhere; }
    p[data-status=error] { border-color: var(--zs-error); color: var(--zs-error); }
    p[data-status=done] { border-color: #009e73; }
    button { font-size: 0.75rem; margin-left: 0.4rem; padding: 0.05rem 0.4rem; }
  `];

  #importText(job: Job<ImportSummary>): string {
    const lang = this.locale;
    const file = isolate(job.what ?? '');
    const r = job.response;
    if (job.status === 'running') return t(lang, 'job.importing', { file });
    if (job.status === 'cancelled') return t(lang, 'io.importCancelled', { file });
    if (job.status === 'error') return t(lang, 'io.importFailed', { message: job.errorDetail ? describeMessage(lang, job.errorDetail) : job.error ?? '' });
    if (!r) return '';
    if (r.removed) return t(lang, 'io.removed', { file: isolate(r.fileName) });
    const done = t(lang, 'job.imported', { file: isolate(r.fileName), count: r.count });
    // Whatever tab is open, a partial import says what is missing (the first thing; the Data tab lists all).
    const first = r.incomplete ? r.problems[0] : undefined;
    return first ? `${done} ${t(lang, 'job.incomplete', { problem: describeMessage(lang, first) })}` : done;
  }

  #exportText(job: Job<ExportSummary>): string {
    const lang = this.locale;
    const r = job.response;
    if (job.status === 'running') return t(lang, 'io.exporting', { what: job.what ?? '' });
    if (job.status === 'cancelled') return t(lang, 'io.exportCancelled');
    if (job.status === 'error') return t(lang, 'io.exportFailed', { message: job.errorDetail ? describeMessage(lang, job.errorDetail) : job.error ?? '' });
    if (!r) return '';
    if (r.count === 0) return t(lang, 'io.exportEmpty');
    const done = r.layers && r.files.length === 1
      ? t(lang, 'io.exportDoneZip', { file: isolate(r.files[0]!), layers: r.layers, count: r.count })
      : r.files.length === 1
        ? t(lang, 'io.exportDone', { file: isolate(r.files[0]!), count: r.count })
        : t(lang, 'io.exportDoneMany', { count: r.count, files: r.files.length, names: r.files.map(isolate).join(', ') });
    // What the file could not keep is said wherever the user is looking.
    return [done, ...(r.notes ?? []).map((n) => describeMessage(lang, n))].join(' ');
  }

  #line(kind: 'import' | 'export', job: Job<unknown>, text: string) {
    if (job.status === 'idle') return nothing;
    const lang = this.locale;
    const running = job.status === 'running';
    const partial = kind === 'import' ? (job as Job<ImportSummary>).response : null;
    const removable = partial && partial.incomplete && !partial.removed ? partial.layerId : null;
    return html`<p data-job=${kind} data-status=${job.status} role=${job.status === 'error' ? 'alert' : 'status'}>${text}
      ${removable
        ? html`<button type="button" data-remove=${removable} @click=${() => emit(this, 'zs-user-layer-remove', { layerId: removable })}>${t(lang, 'io.removeImported')}</button>`
        : nothing}
      ${running
        ? html`<button type="button" data-cancel=${kind} @click=${() => emit(this, kind === 'import' ? 'zs-import-cancel' : 'zs-export-cancel', null)}>${t(lang, 'job.cancel')}</button>`
        : html`<button type="button" data-dismiss=${kind} @click=${() => emit(this, 'zs-job-dismiss', { job: kind })}>${t(lang, 'storage.dismiss')}</button>`}</p>`;
  }

  #planText(kind: 'scenario' | 'suggest' | 'exact', job: Job<unknown>): string {
    const lang = this.locale;
    const p = this.planning!;
    if (job.status === 'cancelled') return t(lang, 'job.planCancelled');
    if (job.status === 'error') return t(lang, 'job.planFailed', { message: job.error ?? '' });
    const v = p.view;
    if (kind === 'scenario') {
      const r = v.coverage.response;
      if (job.status === 'running' || !r) return t(lang, 'job.planCoverage', { name: isolate(p.scenario) });
      return t(lang, 'job.planCoverageDone', { name: isolate(p.scenario), before: formatPercent(lang, r.before.total.share), after: formatPercent(lang, r.after.total.share) });
    }
    if (kind === 'suggest') {
      const r = v.suggestion.response;
      return job.status === 'running' || !r ? t(lang, 'job.suggesting') : t(lang, 'job.suggested', { sites: r.sites.features.length, after: formatPercent(lang, r.after.total.share) });
    }
    const f = v.exact.response;
    return job.status === 'running' || !f ? t(lang, 'job.exact') : f.gap === null ? t(lang, 'plan.gap.none') : t(lang, 'job.exactDone', { gap: formatPercent(lang, f.gap, 2) });
  }

  #planLine(kind: 'scenario' | 'suggest' | 'exact', job: Job<unknown>) {
    if (job.status === 'idle' || this.dismissed.has(job)) return nothing;
    const lang = this.locale;
    return html`<p data-job=${`plan-${kind}`} data-status=${job.status} role=${job.status === 'error' ? 'alert' : 'status'}>${this.#planText(kind, job)}
      ${job.status === 'running'
        ? html`<button type="button" data-cancel=${`plan-${kind}`} @click=${() => emit(this, 'zs-plan-cancel', null)}>${t(lang, 'job.cancel')}</button>`
        : html`<button type="button" data-dismiss=${`plan-${kind}`} @click=${() => (this.dismissed = new Set([...this.dismissed, job]))}>${t(lang, 'storage.dismiss')}</button>`}</p>`;
  }

  override render() {
    const p = this.planning?.view;
    return html`${this.#line('import', this.importJob, this.#importText(this.importJob))}${this.#line('export', this.exportJob, this.#exportText(this.exportJob))}
      ${p ? html`${this.#planLine('scenario', p.coverage)}${this.#planLine('suggest', p.suggestion)}${this.#planLine('exact', p.exact)}` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'zs-job-status': JobStatus;
  }
}
