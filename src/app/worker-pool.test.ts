import { describe, expect, it } from 'vitest';
import { isAbortError } from '../data/errors.ts';
import { fakeWorkers } from './test/fake-worker.ts';
import { WorkerPool } from './worker-pool.ts';

/**
 * The worker side: each worker knows its number, and `hold(key)` answers only when the test
 * releases `key`, so a job can be kept running as long as a test needs.
 */
function setUp() {
  const gates = new Map<string, () => void>();
  let made = 0;
  const workers = fakeWorkers(() => {
    const n = ++made;
    return {
      who: (): number => n,
      hold: (key: string): Promise<number> => new Promise<number>((resolve) => gates.set(key, () => resolve(n))),
      fail: (): never => {
        throw new Error('the file is not GeoJSON');
      },
    };
  });
  type Api = { who(): number; hold(key: string): Promise<number>; fail(): never };
  // Which worker (by start order) was terminated.
  const terminated: number[] = [];
  let startedHere = 0;
  const factory = (): Worker => {
    const n = ++startedHere;
    const w = workers.factory();
    const terminate = w.terminate.bind(w);
    w.terminate = () => {
      terminated.push(n);
      terminate();
    };
    return w;
  };
  const pool = new WorkerPool<Api>(factory);
  /** Resolves once the worker side holds `key`. */
  const holding = async (key: string): Promise<void> => {
    while (!gates.has(key)) await new Promise((r) => setTimeout(r, 1));
  };
  const release = (key: string): void => gates.get(key)!();
  return { pool, workers, terminated, holding, release };
}

describe('WorkerPool', () => {
  it('starts no worker before the first job', () => {
    const { pool, workers } = setUp();
    expect(pool.started).toBe(0);
    expect(workers.started).toBe(0);
    pool.dispose();
  });

  it('runs a job in a worker and gives the finished job’s worker to the next', async () => {
    const { pool, workers } = setUp();
    expect(await pool.run((api) => api.who())).toBe(1);
    expect(await pool.run((api) => api.who())).toBe(1);
    // A job that fails frees its worker too.
    await expect(pool.run((api) => api.fail())).rejects.toThrow(/not GeoJSON/);
    expect(await pool.run((api) => api.who())).toBe(1);
    expect(pool.started).toBe(1);
    expect(workers.started).toBe(1);
    expect(workers.terminated).toBe(0);
    pool.dispose();
    expect(workers.terminated).toBe(1);
  });

  it('gives a second job running at the same time a second worker', async () => {
    const { pool, workers, holding, release } = setUp();
    const a = pool.run((api) => api.hold('a'));
    const b = pool.run((api) => api.hold('b'));
    await holding('a');
    await holding('b');
    expect(workers.started).toBe(2);
    release('b');
    release('a');
    expect([await a, await b]).toEqual([1, 2]);
    pool.dispose();
  });

  it('aborting one job terminates its worker only and rejects with an AbortError; the other job finishes', async () => {
    const { pool, workers, terminated, holding, release } = setUp();
    const stop = new AbortController();
    const a = pool.run((api) => api.hold('a'), stop.signal);
    const b = pool.run((api) => api.hold('b'));
    await holding('a');
    await holding('b');
    stop.abort();
    const err = await a.catch((e: unknown) => e);
    expect(isAbortError(err)).toBe(true);
    expect(terminated).toEqual([1]);
    release('b');
    expect(await b).toBe(2);
    expect(terminated).toEqual([1]);
    // The finished job's worker serves the next one; the stopped one is gone for good.
    expect(await pool.run((api) => api.who())).toBe(2);
    expect(workers.started).toBe(2);
    pool.dispose();
  });

  it('rejects a job whose signal is aborted already, without starting a worker', async () => {
    const { pool, workers } = setUp();
    const stop = new AbortController();
    stop.abort();
    const err = await pool.run((api) => api.who(), stop.signal).catch((e: unknown) => e);
    expect(isAbortError(err)).toBe(true);
    expect(workers.started).toBe(0);
  });

  it('an abort after the job finished changes nothing', async () => {
    const { pool, terminated } = setUp();
    const stop = new AbortController();
    expect(await pool.run((api) => api.who(), stop.signal)).toBe(1);
    stop.abort();
    expect(terminated).toEqual([]);
    expect(await pool.run((api) => api.who())).toBe(1);
    pool.dispose();
  });

  it('keeps one spare worker when several jobs finish, and dispose() stops every worker', async () => {
    const { pool, workers, terminated, holding, release } = setUp();
    const jobs = ['a', 'b', 'c'].map((k) => pool.run((api) => api.hold(k)));
    for (const k of ['a', 'b', 'c']) await holding(k);
    for (const k of ['a', 'b', 'c']) release(k);
    expect(await Promise.all(jobs)).toEqual([1, 2, 3]);
    expect(terminated).toHaveLength(2);
    const d = pool.run((api) => api.hold('d'));
    await holding('d');
    pool.dispose();
    expect(workers.terminated).toBe(workers.started);
    release('d');
    void d.catch(() => undefined);
  });
});
