/**
 * The Content-Security-Policy has one home, the add_header line of deploy/nginx.conf. The
 * build reads it from there into a <meta> tag (vite.config.ts), for static hosts that cannot
 * set headers, and the browser tests compare the two.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const NGINX_CONF = join(import.meta.dirname, 'nginx.conf');

/** Directives a <meta> policy may not carry: browsers ignore them there and warn in the console. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/** The policy of the `add_header Content-Security-Policy "…"` line of an nginx config. */
export function cspFromNginxConf(conf: string): string {
  const lines = conf.split('\n').filter((l) => /^\s*add_header\s+Content-Security-Policy\s/.test(l));
  if (lines.length !== 1) throw new Error(`expected one add_header Content-Security-Policy line in the nginx config, found ${lines.length}`);
  const value = /\s"([^"]+)"/.exec(lines[0]!)?.[1];
  if (!value) throw new Error('the nginx Content-Security-Policy must be one double-quoted string');
  return value;
}

/** The directives of a policy, in order, as `[name, value]` pairs with spacing normalised. */
export function cspDirectives(policy: string): [string, string][] {
  return policy
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .filter((parts) => parts[0])
    .map(([name, ...values]) => [name!.toLowerCase(), values.join(' ')]);
}

/** The policy a <meta http-equiv="Content-Security-Policy"> can deliver: the header's, less the header-only directives. */
export function metaCsp(policy: string): string {
  return cspDirectives(policy)
    .filter(([name]) => !HEADER_ONLY.has(name))
    .map(([name, value]) => (value ? `${name} ${value}` : name))
    .join('; ');
}

/** The deployed policy, read from deploy/nginx.conf. */
export function readCsp(conf = NGINX_CONF): string {
  return cspFromNginxConf(readFileSync(conf, 'utf8'));
}
