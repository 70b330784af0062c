/** Messages from the data code, in both languages: every code has a sentence, the English the same as the CLI's. */
import { beforeAll, describe, expect, it } from 'vitest';
import { DATA_MESSAGES_EN, englishMessage, msg } from '../data/messages.ts';
import { describeMessage } from './data-message.ts';
import { loadMessages } from './i18n.ts';
import { en as EN } from './messages/en.ts';
import { zh as ZH } from './messages/zh.ts';

const messagesFor = (lang: 'zh' | 'en'): Readonly<Record<string, string>> => (lang === 'zh' ? ZH : EN);
const MESSAGE_KEYS = Object.keys(ZH);

beforeAll(() => Promise.all([loadMessages('zh'), loadMessages('en')]));

const F = '\u2068';
const P = '\u2069';

describe('data messages in the UI', () => {
  it('has a data.<code> message in Chinese and English for every code, the English as the CLI says it', () => {
    const en = messagesFor('en') as Record<string, string>;
    const zh = messagesFor('zh') as Record<string, string>;
    for (const [code, english] of Object.entries(DATA_MESSAGES_EN)) {
      expect(en[`data.${code}`], code).toBe(english);
      expect(zh[`data.${code}`], code).toBeTruthy();
    }
    // And nothing else under data.
    expect(MESSAGE_KEYS.filter((k) => k.startsWith('data.') && !(k.slice(5) in DATA_MESSAGES_EN))).toEqual([]);
  });

  it('says a nested message in the same language, isolates file names and names coordinate systems', () => {
    const m = msg('nothingDrawable', { file: 'a.geojson', count: 2, reason: msg('featureProblem', { n: 1, problem: msg('openRing') }) });
    expect(describeMessage('zh', m)).toBe(`${F}a.geojson${P} 中没有可显示的要素：2 个都被跳过（第 1 个要素：面的边界环没有闭合）`);
    expect(describeMessage('en', m)).toBe(`${F}a.geojson${P} has no features that can be drawn: all 2 were skipped (feature 1: a ring is not closed)`);
    expect(describeMessage('zh', msg('noteUser', { crs: 'EPSG:4550' }))).toBe('手动选择：CGCS2000 3度带 中央经线123°E（EPSG:4550）。');
    expect(describeMessage('en', msg('noteUser', { crs: 'EPSG:4550' }))).toBe('Chosen by hand: CGCS2000 3° Gauss–Krüger CM 123°E (EPSG:4550).');
    expect(englishMessage(m)).toBe('a.geojson has no features that can be drawn: all 2 were skipped (feature 1: a ring is not closed)');
  });

  it('shows a code it does not know with its parameters rather than nothing', () => {
    expect(describeMessage('zh', { code: 'fromTheFuture' as never, params: { file: 'x' } })).toBe(`fromTheFuture ${F}x${P}`);
  });
});
