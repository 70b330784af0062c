/**
 * Where the browser gets SQLite's WebAssembly: a file of the app's own origin (CSP
 * `script-src 'self' 'wasm-unsafe-eval'`), hashed and cached like the other assets. Imported
 * only in the browser; Node finds the file beside sql.js itself.
 */
export { default } from 'sql.js/dist/sql-wasm-browser.wasm?url';
