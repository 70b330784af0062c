import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCatalogue } from '../../data/catalogue.ts';
import { Store } from '../store.ts';
import { TimelineController } from './timeline.ts';

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../../data/catalogue.json'), 'utf8')));
const timers = { setInterval: (fn: () => void, ms: number) => setInterval(fn, ms), clearInterval: (id: never) => clearInterval(id) };

afterEach(() => vi.useRealTimers());

describe('TimelineController', () => {
  it('plays a month a second from the programme’s start to its end, then stops', () => {
    vi.useFakeTimers();
    const store = new Store();
    store.setCatalogue(catalogue);
    const ctl = new TimelineController(store, timers);
    const days: (string | null)[] = [];
    store.subscribe((s, prev) => {
      if (s.asOf !== prev.asOf) days.push(s.asOf);
    });
    ctl.play(true);
    expect(store.state.asOf).toBe('2024-01-01');
    vi.advanceTimersByTime(999);
    expect(store.state.asOf).toBe('2024-01-01');
    vi.advanceTimersByTime(1);
    expect(store.state.asOf).toBe('2024-01-31');
    vi.advanceTimersByTime(11_000);
    expect(store.state.asOf).toBe('2024-12-31');
    expect(store.state.timelinePlaying).toBe(false);
    expect(days).toEqual(['2024-01-01', '2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31', '2024-06-30', '2024-07-31', '2024-08-31', '2024-09-30', '2024-10-31', '2024-11-30', '2024-12-31']);
    vi.advanceTimersByTime(5_000);
    expect(days).toHaveLength(13);
    ctl.dispose();
  });

  it('goes on from the day shown; a day chosen by hand, or pause, stops it', () => {
    vi.useFakeTimers();
    const store = new Store();
    store.setCatalogue(catalogue);
    const ctl = new TimelineController(store, timers);
    store.setAsOf('2024-06-21');
    ctl.play(true);
    vi.advanceTimersByTime(1000);
    expect(store.state.asOf).toBe('2024-06-30');
    // A day chosen by hand (the zs-as-of intent) stops it.
    store.setTimelinePlaying(false);
    store.setAsOf('2024-03-15');
    vi.advanceTimersByTime(3000);
    expect(store.state).toMatchObject({ asOf: '2024-03-15', timelinePlaying: false });
    ctl.play(true);
    vi.advanceTimersByTime(1000);
    expect(store.state.asOf).toBe('2024-03-31');
    ctl.play(false);
    vi.advanceTimersByTime(3000);
    expect(store.state.asOf).toBe('2024-03-31');
    // At the end, playing starts over.
    store.setAsOf('2024-12-31');
    ctl.play(true);
    expect(store.state.asOf).toBe('2024-01-01');
    ctl.dispose();
    vi.advanceTimersByTime(3000);
    expect(store.state.asOf).toBe('2024-01-01');
  });

  it('does not play without a timeline', () => {
    vi.useFakeTimers();
    const store = new Store();
    store.setCatalogue({ ...catalogue, timeline: undefined });
    const ctl = new TimelineController(store, timers);
    ctl.play(true);
    expect(store.state).toMatchObject({ asOf: null, timelinePlaying: false });
    ctl.dispose();
  });
});
