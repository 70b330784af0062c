/**
 * fflate as write-excel-file sees it (vite.config.ts points its `fflate` import here): the
 * same library, except that `zip` compresses in the calling thread. fflate's own `zip`
 * hands files over 160 kB to Web Workers it makes from blob: URLs, which the app's
 * Content-Security-Policy (`worker-src 'self'`) refuses, and the export would then wait
 * for ever. The export already runs in the io worker, so nothing blocks the page.
 */
import { zipSync, type AsyncZipOptions, type AsyncZippable, type FlateCallback } from 'fflate';

export * from 'fflate';

export function zip(data: AsyncZippable, opts: AsyncZipOptions | FlateCallback, cb?: FlateCallback): () => void {
  const done = (typeof opts === 'function' ? opts : cb)!;
  const options = typeof opts === 'function' ? {} : opts;
  let out: Uint8Array | null = null;
  let error: Error | null = null;
  try {
    out = zipSync(data, options);
  } catch (e) {
    error = e instanceof Error ? e : new Error(String(e));
  }
  // fflate calls back asynchronously; so does this, so callers see the same order.
  queueMicrotask(() => (error ? done(error as never, null as never) : done(null, out as never)));
  return () => undefined;
}
