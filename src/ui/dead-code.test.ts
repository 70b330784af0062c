/**
 * What knip cannot see: message keys looked up by name and intents named by string. A key
 * no code asks for, or an intent no component emits, is dead weight that a translator or
 * a reader would still have to keep up.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createIntents } from '../app/intents.ts';
import type { MessageKey } from './i18n.ts';
import { zh } from './messages/zh.ts';

const MESSAGE_KEYS = Object.keys(zh) as MessageKey[];

const SRC = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const code = sources(SRC).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

describe('dead code', () => {
  it('every message key is asked for somewhere, by name or by a `prefix.${…}` template', () => {
    const text = code.filter((c) => !c.path.endsWith('i18n.ts') && !c.path.includes(join('ui', 'messages'))).map((c) => c.text).join('\n');
    const prefixes = [...text.matchAll(/`([a-z][a-zA-Z.]*\.)\$\{/g)].map((m) => m[1]!);
    const unused = MESSAGE_KEYS.filter((k) => !text.includes(`'${k}'`) && !prefixes.some((p) => k.startsWith(p)));
    expect(unused).toEqual([]);
  });

  it('every intent is emitted by a component, and every emitted event is an intent', () => {
    const intents = Object.keys(createIntents({} as never));
    const ui = code.filter((c) => c.path.includes(`${join('src', 'ui')}`)).map((c) => c.text).join('\n');
    const emitted = new Set([...ui.matchAll(/emit\([^,]+,\s*'(zs-[a-z-]+)'/g)].map((m) => m[1]!));
    expect(intents.filter((i) => !emitted.has(i))).toEqual([]);
    expect([...emitted].filter((e) => !intents.includes(e))).toEqual([]);
  });
});
