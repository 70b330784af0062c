/**
 * Owns the timeline's clock: while the timeline plays, the day the programme is shown as of
 * moves on a month a second, from where it stands (or from the programme's start, when it
 * stands at the latest or at the end) through each month's end to the programme's end,
 * where it stops. A day chosen by hand turns playing off (the zs-as-of intent), which
 * stops it. The app builds it when the timeline is first played.
 */
import { nextMonthEnd } from '../../analysis/timeline/calendar.ts';
import type { AppState, Store } from '../store.ts';

export interface TimelineDeps {
  /** Timers (window fits); tests pass fakes. */
  setInterval: (fn: () => void, ms: number) => unknown;
  clearInterval: (id: never) => void;
  /** Milliseconds a month takes. Default 1000. */
  monthMs?: number;
}

export class TimelineController {
  readonly #store: Store;
  readonly #deps: TimelineDeps;
  #timer: unknown = null;
  readonly #unsubscribe: () => void;

  constructor(store: Store, deps: TimelineDeps) {
    this.#store = store;
    this.#deps = deps;
    this.#unsubscribe = store.subscribe((s, prev) => {
      if (s.timelinePlaying !== prev.timelinePlaying) this.#playing(s);
    });
    this.#playing(store.state);
  }

  dispose(): void {
    this.#stop();
    this.#unsubscribe();
  }

  play(playing: boolean): void {
    this.#store.setTimelinePlaying(playing);
  }

  #playing(s: AppState): void {
    const timeline = s.catalogue?.timeline;
    if (!s.timelinePlaying) return this.#stop();
    if (!timeline) return this.#store.setTimelinePlaying(false);
    if (s.asOf === null || s.asOf >= timeline.end || s.asOf < timeline.start) this.#store.setAsOf(timeline.start);
    this.#stop();
    this.#timer = this.#deps.setInterval(() => this.#tick(), this.#deps.monthMs ?? 1000);
  }

  #tick(): void {
    const s = this.#store.state;
    const timeline = s.catalogue?.timeline;
    const next = timeline && s.asOf !== null ? nextMonthEnd(s.asOf, timeline.end) : null;
    if (next === null) return this.#store.setTimelinePlaying(false);
    this.#store.setAsOf(next);
    if (next === timeline!.end) this.#store.setTimelinePlaying(false);
  }

  #stop(): void {
    if (this.#timer !== null) this.#deps.clearInterval(this.#timer as never);
    this.#timer = null;
  }
}
