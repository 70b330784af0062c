// comlink ships this adapter's types as node-adapter.d.ts beside an .mjs, which TypeScript's
// bundler resolution does not pair up.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  export default function nodeEndpoint(port: unknown): Endpoint;
}
