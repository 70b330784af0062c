/**
 * Keeps the analysis results in step with the state: hands loaded layers to the worker,
 * reruns coverage when its settings change (while the analysis tab is open), and computes
 * the figures for a study area or a buffer when one is asked for. Stale answers are
 * dropped; errors become messages in the state.
 */
import type { Feature } from 'geojson';
import { isAbortError } from '../data/errors.ts';
import type { AnalysisClient } from './analysis-client.ts';
import type { AppState, Store } from './store.ts';

const NEEDED = ['communities', 'grid-cells', 'parks', 'ebike-stations', 'parking-berths', 'car-parks'];

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class AnalysisController {
  readonly #store: Store;
  readonly #client: AnalysisClient;
  readonly #sent = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #unsubscribe: () => void;

  constructor(store: Store, client: AnalysisClient) {
    this.#store = store;
    this.#client = client;
    this.#unsubscribe = store.subscribe((s, prev) => this.#update(s, prev));
  }

  destroy(): void {
    this.#unsubscribe();
    clearTimeout(this.#timer);
  }

  /**
   * The user's Cancel: stops everything the worker is computing (a study area of a million
   * vertices can take minutes) and says so, rather than leaving "running" or an error.
   * Nothing reruns by itself; the next change of area or settings starts afresh.
   */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#client.cancel();
    const s = this.#store.state;
    const cancelled = { status: 'cancelled', response: null, error: null } as const;
    if (s.coverage.status === 'running') this.#store.setCoverage(cancelled);
    if (s.study.status === 'running') this.#store.setStudy(cancelled);
    if (s.within.status === 'running') this.#store.setWithin(cancelled);
  }

  /** All layers the analysis reads have arrived (or failed). */
  #ready(s: AppState): boolean {
    return NEEDED.every((id) => s.layers[id]?.status !== 'loading');
  }

  #update(s: AppState, prev: AppState): void {
    const fresh = Object.fromEntries(Object.entries(s.data).filter(([id, fc]) => !this.#sent.has(id) && fc));
    if (Object.keys(fresh).length) {
      for (const id of Object.keys(fresh)) this.#sent.add(id);
      void this.#client.setLayers(fresh);
    }
    if (!this.#ready(s)) return;
    const becameReady = !this.#ready(prev);
    const wantCoverage = s.tab === 'analysis';
    if (wantCoverage && (becameReady || s.coverageSettings !== prev.coverageSettings || prev.tab !== 'analysis' || s.coverage.status === 'idle')) {
      if (s.coverage.status !== 'running' || s.coverageSettings !== prev.coverageSettings) this.#scheduleCoverage();
    }
    if (s.studyArea && (s.studyArea !== prev.studyArea || (becameReady && s.study.status === 'idle') || s.coverageSettings !== prev.coverageSettings)) {
      void this.#runStudy();
    }
  }

  #scheduleCoverage(): void {
    clearTimeout(this.#timer);
    // Typing a radius fires several changes in a row: compute once they settle.
    this.#timer = setTimeout(() => void this.#runCoverage(), 120);
    if (this.#store.state.coverage.status !== 'running') {
      this.#store.setCoverage({ ...this.#store.state.coverage, status: 'running', error: null });
    }
  }

  async #runCoverage(): Promise<void> {
    const settings = this.#store.state.coverageSettings;
    try {
      const response = await this.#client.coverage(settings);
      if (this.#store.state.coverageSettings !== settings) return;
      this.#store.setCoverage({ status: 'done', response, error: null });
    } catch (err) {
      if (isAbortError(err)) return;
      this.#store.setCoverage({ status: 'error', response: null, error: message(err) });
    }
  }

  async #runStudy(): Promise<void> {
    const s = this.#store.state;
    const area = s.studyArea;
    if (!area || !s.catalogue) return;
    this.#store.setStudy({ status: 'running', response: s.study.response, error: null });
    try {
      const layerIds = s.catalogue.layers.map((l) => l.id).filter((id) => id !== 'grid-cells');
      const response = await this.#client.studyArea(area.feature, layerIds, s.coverageSettings);
      if (this.#store.state.studyArea !== area) return;
      this.#store.setStudy({ status: 'done', response, error: null });
    } catch (err) {
      if (isAbortError(err)) return;
      this.#store.setStudy({ status: 'error', response: null, error: message(err) });
    }
  }

  /** Lists what of the chosen layer lies within the buffer radius of a feature. */
  async buffer(source: Feature): Promise<void> {
    const s = this.#store.state;
    this.#store.setWithin({ status: 'running', response: null, error: null });
    try {
      const response = await this.#client.within(source, s.bufferRadius, s.bufferLayer);
      this.#store.setWithin({ status: 'done', response, error: null });
    } catch (err) {
      if (isAbortError(err)) return;
      this.#store.setWithin({ status: 'error', response: null, error: message(err) });
    }
  }
}
