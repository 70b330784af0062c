import { defineConfig } from 'vite';

// The app is fully static: data/ is copied verbatim into the build so the FlatGeobuf
// files keep their byte layout and can be read with HTTP range requests.
export default defineConfig({
  base: './',
  publicDir: 'data',
  build: {
    target: 'es2022',
    outDir: 'dist',
    chunkSizeWarningLimit: 1200,
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  server: { host: '127.0.0.1' },
});
