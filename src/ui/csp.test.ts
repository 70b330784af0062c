/**
 * The app runs under a Content-Security-Policy without 'unsafe-inline' (deploy/nginx.conf),
 * which silently drops inline styles: this catches the ways source code writes one, including
 * in code paths the browser tests do not reach. test/e2e/production.test.ts checks the result.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [path] : [];
  });
}

const RULES: [RegExp, string][] = [
  [/lit\/directives\/style-map/, "Lit's styleMap writes its first value as a style attribute: use cssProps (src/ui/css-props.ts)"],
  [/\sstyle="/, 'a static style="…" attribute in a template: use a class in the static styles'],
  [/setAttribute\(\s*['"`]style['"`]/, "setAttribute('style', …): set element.style properties instead"],
  [/createElement\(\s*['"`]style['"`]\s*\)/, 'a <style> element: use static styles or a constructed CSSStyleSheet (adoptedStyleSheets)'],
  [/new Function\(|[^\w.]eval\(/, "eval or new Function: refused without 'unsafe-eval'"],
];

describe('source code the Content-Security-Policy allows', () => {
  it.each(RULES)('nothing matches %s', (pattern, why) => {
    const hits = sources(src).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (pattern.test(line) && !/^\s*(\*|\/\/)/.test(line) ? [`${relative(src, file)}:${i + 1}`] : [])),
    );
    expect(hits, why).toEqual([]);
  });
});
