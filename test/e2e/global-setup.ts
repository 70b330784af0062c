/**
 * Serves the built app (dist/) for the browser tests on free loopback ports: with Vite's
 * preview server (baseUrl), and with nginx and the deployed config (nginxUrl), as it is
 * served in production. `npm test` builds first; a missing build or a missing nginx is a
 * clear error, not a skip.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';
import { startNginx, type NginxServer } from './nginx.ts';

let server: PreviewServer | undefined;
let nginx: NginxServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const root = join(import.meta.dirname, '..', '..');
  // ZS_DIST lets several builds be tested side by side (`vite build --outDir ...`).
  const outDir = process.env.ZS_DIST ?? 'dist';
  // resolve, not join: ZS_DIST may be absolute (/tmp/dist-x).
  const dist = resolve(root, outDir);
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`${outDir}/ is missing: run \`npm run build\` (npm test does) before the browser tests`);
  }
  server = await preview({ root, build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('baseUrl', url);
  try {
    nginx = await startNginx(dist);
  } catch (e) {
    await server.close();
    throw e;
  }
  project.provide('nginxUrl', nginx.url);
  project.provide('distDir', dist);
}

export async function teardown(): Promise<void> {
  await Promise.all([server?.close(), nginx?.stop()]);
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The same build behind nginx with deploy/nginx.conf. */
    nginxUrl: string;
    /** The build directory both serve (ZS_DIST or dist/). */
    distDir: string;
  }
}
