/**
 * SQLite (sql.js, compiled to WebAssembly) for GeoPackage in and out, loaded on first use.
 * In a browser the .wasm is one of the app's own files (CSP `script-src 'self'
 * 'wasm-unsafe-eval'`), hashed and cached like the other assets; Node finds it beside sql.js.
 */
import type { SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | null = null;

export function loadSqlJs(): Promise<SqlJsStatic> {
  return (loading ??= (async () => {
    const { default: initSqlJs } = await import('sql.js');
    if (typeof globalThis.process?.versions?.node === 'string') return initSqlJs();
    const { default: url } = await import('sql.js/dist/sql-wasm-browser.wasm?url');
    return initSqlJs({ locateFile: () => url });
  })().catch((err: unknown) => {
    // A failed download (offline, a new deployment) is tried again next time.
    loading = null;
    throw err;
  }));
}
