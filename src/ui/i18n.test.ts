import { beforeAll, describe, expect, it } from 'vitest';
import { formatArea, formatDate, formatWanM2, loadMessages, messagesLoaded, t, type MessageKey } from './i18n.ts';
import { en as EN } from './messages/en.ts';
import { zh as ZH } from './messages/zh.ts';

const MESSAGE_KEYS = Object.keys(ZH) as MessageKey[];
const messagesFor = (lang: 'zh' | 'en'): Readonly<Record<MessageKey, string>> => (lang === 'zh' ? ZH : EN);

beforeAll(async () => {
  await Promise.all([loadMessages('zh'), loadMessages('en')]);
});

describe('i18n', () => {
  it('has every key in both languages, non-empty, with the same placeholders', () => {
    const zh = messagesFor('zh');
    const en = messagesFor('en');
    for (const k of MESSAGE_KEYS) {
      expect(zh[k], k).toBeTruthy();
      expect(en[k], k).toBeTruthy();
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(ph(en[k]), k).toEqual(ph(zh[k]));
    }
  });

  it('keeps no Chinese in the English messages (but the switch offers 中文 in its own script)', () => {
    const en = messagesFor('en');
    expect(MESSAGE_KEYS.filter((k) => k !== 'lang.switch' && /[\u3400-\u9fff]/.test(en[k]))).toEqual([]);
  });

  it('loads each language on its own, once', async () => {
    expect(messagesLoaded('en')).toBe(true);
    await loadMessages('en');
    expect(t('en', 'app.title')).toBe('Zhoushan Remediation Map');
    expect(t('zh', 'app.title')).toBe('舟山城市治理一张图');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('en', 'layers.filteredCount', { shown: 5, total: 9 })).toBe('5 of 9');
    expect(t('en', 'layers.filteredCount', { shown: 5 })).toBe('5 of {total}');
  });

  it('formats areas, dates and 万㎡ per locale', () => {
    expect(formatArea('zh', 35_500)).toBe('3.55 公顷');
    expect(formatArea('en', 35_500)).toBe('3.55 ha');
    expect(formatArea('en', 950.4)).toBe('950 m²');
    expect(formatWanM2('zh', 64_400)).toBe('6.44万㎡');
    expect(formatWanM2('en', 64_400)).toBe('64,400 m²');
    expect(formatDate('zh', '2024-03-15')).toBe('2024年3月15日');
    expect(formatDate('en', '2024-03-15')).toBe('15 Mar 2024');
    expect(formatDate('en', 'not a date')).toBe('not a date');
  });
});
