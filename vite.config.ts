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

// write-excel-file zips through fflate's `zip`, which starts blob: workers for large files;
// the CSP forbids those, so its `fflate` import gets a version that zips in place.
function xlsxZipInPlace(): Plugin {
  const shim = fileURLToPath(new URL('src/data/export/fflate-sync-zip.ts', import.meta.url));
  return {
    name: 'zs-xlsx-zip-in-place',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === 'fflate' && importer && /[\\/]write-excel-file[\\/]/.test(importer)) return shim;
      return null;
    },
  };
}

// The app is fully static: data/ is copied verbatim into the build so the FlatGeobuf
// files keep their byte layout and can be read with HTTP range requests.
export default defineConfig({
  base: './',
  publicDir: 'data',
  resolve: {
    // @maplibre/maplibre-gl-compare asks for Node's `events` for its one 'slideend' event;
    // a browser build has none, so it gets the few lines it uses (src/map/event-emitter.ts).
    alias: [{ find: /^events$/, replacement: fileURLToPath(new URL('./src/map/event-emitter.ts', import.meta.url)) }],
  },
  plugins: [cspMeta(), xlsxZipInPlace()],
  // Pre-bundling would join write-excel-file and fflate before the plugin above could step in.
  optimizeDeps: { exclude: ['write-excel-file'] },
  // Workers as ES modules (they are started with type: 'module'), so that what a worker
  // imports on demand (the export writers, SQLite, the Excel and CAD libraries in the io
  // worker) stays in chunks of its own, loaded on first use, instead of being inlined into
  // the worker; and with the XLSX plugin, since workers are bundled with these plugins, not
  // the ones above.
  worker: { format: 'es', plugins: () => [xlsxZipInPlace()] },
  build: {
    target: 'es2022',
    outDir: 'dist',
    chunkSizeWarningLimit: 1200,
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  server: { host: '127.0.0.1' },
});
