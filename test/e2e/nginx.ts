/**
 * Serves a build with Debian's nginx and the deployed site config (deploy/nginx.conf), so
 * the browser tests see what production sends: range requests, gzip, cache, CORS and CSP
 * headers. nginx runs in the foreground from a temporary prefix on a free loopback port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NGINX_CONF } from '../../deploy/csp.ts';

const NGINX_PATH = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
/** Debian's type table; the site config expects the http block to include one. */
const MIME_TYPES = '/etc/nginx/mime.types';

export interface NginxServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The site config with only its listen, server_name and root lines replaced. Each must be
 * there exactly once, so a change to deploy/nginx.conf cannot leave the tests serving
 * something other than what it deploys.
 */
function siteConfig(conf: string, port: number, root: string): string {
  const swaps: [RegExp, string][] = [
    [/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`],
    [/^\s*listen \[::\]:80;\n/m, ''],
    [/^(\s*)server_name [^;]+;$/m, '$1server_name localhost;'],
    [/^(\s*)root [^;]+;$/m, `$1root ${root};`],
  ];
  return swaps.reduce((text, [pattern, replacement]) => {
    const global = new RegExp(pattern.source, 'gm');
    const n = text.match(global)?.length ?? 0;
    if (n !== 1) throw new Error(`deploy/nginx.conf: expected one line matching ${pattern}, found ${n}`);
    return text.replace(pattern, replacement);
  }, conf);
}

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** Starts nginx serving `root` (a built app directory) and resolves once it answers. */
export async function startNginx(root: string): Promise<NginxServer> {
  if (!existsSync(NGINX_PATH)) {
    throw new Error(`nginx is missing: apt-get install nginx (.ci/run does), or set NGINX_PATH (looked for ${NGINX_PATH})`);
  }
  const prefix = mkdtempSync(join(tmpdir(), 'zs-nginx-'));
  for (const d of ['logs', 'temp']) mkdirSync(join(prefix, d));
  const port = await freePort();
  writeFileSync(join(prefix, 'site.conf'), siteConfig(readFileSync(NGINX_CONF, 'utf8'), port, resolve(root)));
  const temp = (name: string): string => `${name}_temp_path ${join(prefix, 'temp', name)};`;
  writeFileSync(
    join(prefix, 'nginx.conf'),
    [
      // As root, nginx would hand requests to workers running as nobody, who cannot read a
      // private temp dir; as anyone else the directive is ignored with a warning.
      process.getuid?.() === 0 ? 'user root;' : '',
      'worker_processes 1;',
      `error_log ${join(prefix, 'logs', 'error.log')} warn;`,
      'events { worker_connections 256; }',
      'http {',
      `  include ${MIME_TYPES};`,
      '  default_type application/octet-stream;',
      '  sendfile on;',
      `  access_log ${join(prefix, 'logs', 'access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${temp(t)}`),
      `  include ${join(prefix, 'site.conf')};`,
      '}',
      '',
    ].join('\n'),
  );

  const errorLog = join(prefix, 'logs', 'error.log');
  const child = spawn(NGINX_PATH, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', errorLog, '-g', `daemon off; pid ${join(prefix, 'nginx.pid')};`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const url = `http://127.0.0.1:${port}/`;

  const why = (): string => `${stderr}${existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : ''}`.trim();
  const stop = async (): Promise<void> => {
    await kill(child, exited);
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(url, exited);
  } catch (e) {
    const detail = why();
    await stop();
    throw new Error(`nginx did not start: ${(e as Error).message}${detail ? `\n${detail}` : ''}`, { cause: e });
  }
  return { url, stop };
}

async function waitUntilAnswering(url: string, exited: Promise<number | null>): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  for (let i = 0; i < 200; i++) {
    if (gone !== undefined) throw new Error(`it exited with code ${gone}`);
    try {
      const res = await fetch(url, { method: 'HEAD' });
      if (res.ok) return;
      throw new Error(`${url} answered ${res.status}`);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e; // TypeError: nothing listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer within 10 s`);
}

/** Graceful stop (SIGQUIT lets workers finish), then SIGKILL if it hangs. */
async function kill(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGQUIT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
