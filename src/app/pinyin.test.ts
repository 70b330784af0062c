import { describe, expect, it } from 'vitest';
import { syllables } from './pinyin.ts';

describe('syllables', () => {
  it('gives one toneless syllable per character, read in context, ü as v', () => {
    expect(syllables(['沈家门', '行政区', '银行', '绿地'])).toEqual([['shen', 'jia', 'men'], ['xing', 'zheng', 'qu'], ['yin', 'hang'], ['lv', 'di']]);
  });

  it('gives nothing for a run it cannot read one syllable per character', () => {
    expect(syllables(['', 'abc', '沈a', '𠀋'])).toEqual([[], [], [], []]);
    expect(() => syllables(null as never)).toThrow('runs must be an array');
  });
});
