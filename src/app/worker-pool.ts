/**
 * Workers for jobs that hold no state between calls (reading an imported file, writing an
 * export): each job runs in a worker of its own while it runs, so cancelling one job stops
 * its worker and nothing else (an export is not killed by cancelling an import or an
 * analysis). A finished job's worker waits for the next job; none starts before the first.
 */
import { wrap, type Remote } from 'comlink';
import { abortError } from '../data/errors.ts';

export class WorkerPool<Api> {
  readonly #factory: () => Worker;
  readonly #idle: { worker: Worker; api: Remote<Api> }[] = [];
  readonly #busy = new Set<Worker>();
  /** Workers started, for tests of the lean start. */
  started = 0;

  constructor(factory: () => Worker) {
    this.#factory = factory;
  }

  /**
   * Runs `job` in a free worker. An abort of `signal` stops that worker at once (a parse
   * cannot be interrupted otherwise) and rejects with an AbortError.
   */
  async run<T>(job: (api: Remote<Api>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const w = this.#idle.pop() ?? this.#start();
    this.#busy.add(w.worker);
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        w.worker.terminate();
        this.#busy.delete(w.worker);
        const reason: unknown = signal?.reason;
        reject(reason instanceof Error ? reason : abortError('cancelled'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([job(w.api), aborted]);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (this.#busy.delete(w.worker)) {
        // One spare is enough; more would only hold memory.
        if (this.#idle.length === 0) this.#idle.push(w);
        else w.worker.terminate();
      }
    }
  }

  #start(): { worker: Worker; api: Remote<Api> } {
    this.started++;
    const worker = this.#factory();
    return { worker, api: wrap<Api>(worker) };
  }

  dispose(): void {
    for (const w of this.#idle) w.worker.terminate();
    for (const w of this.#busy) w.terminate();
    this.#idle.length = 0;
    this.#busy.clear();
  }
}
