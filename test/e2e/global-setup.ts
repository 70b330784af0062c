/**
 * Serves the built app (dist/) with Vite's preview server on a free loopback port for the
 * browser tests. `npm test` builds first; a missing build is a clear error, not a skip.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

let server: PreviewServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const root = join(import.meta.dirname, '..', '..');
  // ZS_DIST lets several builds be tested side by side (`vite build --outDir ...`).
  const outDir = process.env.ZS_DIST ?? 'dist';
  if (!existsSync(join(root, outDir, 'index.html'))) {
    throw new Error(`${outDir}/ is missing: run \`npm run build\` (npm test does) before the browser tests`);
  }
  server = await preview({ root, build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('baseUrl', url);
}

export async function teardown(): Promise<void> {
  await server?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
