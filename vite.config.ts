import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { metaCsp, readCsp } from './deploy/csp.ts';

// The deployed Content-Security-Policy (deploy/nginx.conf) as a <meta> tag too, so a static
// host that cannot set headers still applies it. Build only: the dev server injects inline
// scripts for hot reload, which the policy forbids. Right after the charset, before any
// script or style sheet, because a meta policy covers only what comes after it.
function cspMeta(): Plugin {
  return {
    name: 'zs-csp-meta',
    apply: 'build',
    transformIndexHtml(html) {
      const policy = metaCsp(readCsp());
      if (/["&<>]/.test(policy)) throw new Error('the Content-Security-Policy cannot go into an HTML attribute as written');
      const charset = /<meta charset="utf-8"\s*\/?>/i;
      if (!charset.test(html)) throw new Error('index.html needs <meta charset="utf-8"> for the CSP meta tag to follow');
      return html.replace(charset, (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
    },
  };
}

// The app is fully static: data/ is copied verbatim into the build so the FlatGeobuf
// files keep their byte layout and can be read with HTTP range requests.
export default defineConfig({
  base: './',
  publicDir: 'data',
  plugins: [cspMeta()],
  resolve: {
    // @maplibre/maplibre-gl-compare asks for Node's `events` for its one 'slideend' event;
    // a browser build has none, so it gets the few lines it uses (src/map/event-emitter.ts).
    alias: [{ find: /^events$/, replacement: fileURLToPath(new URL('./src/map/event-emitter.ts', import.meta.url)) }],
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    chunkSizeWarningLimit: 1200,
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  server: { host: '127.0.0.1' },
});
