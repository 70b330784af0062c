/**
 * The part of Node's `events` that @maplibre/maplibre-gl-compare uses (on, emit,
 * removeListener), given to it in place of the Node module by an alias in vite.config.ts:
 * the browser build has no `events`.
 */
type Listener = (...args: unknown[]) => void;

export class EventEmitter {
  readonly #listeners = new Map<string, Set<Listener>>();

  on(type: string, fn: Listener): this {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type)!.add(fn);
    return this;
  }

  removeListener(type: string, fn: Listener): this {
    this.#listeners.get(type)?.delete(fn);
    return this;
  }

  emit(type: string, ...args: unknown[]): boolean {
    const set = this.#listeners.get(type);
    for (const fn of [...(set ?? [])]) fn(...args);
    return Boolean(set?.size);
  }
}
