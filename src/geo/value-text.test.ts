import { describe, expect, it } from 'vitest';
import { valueText } from './value-text.ts';

describe('valueText', () => {
  it('writes primitives as String does', () => {
    for (const v of ['a b', '', 0, -1.5, NaN, Infinity, 10n, true, false, undefined]) expect(valueText(v)).toBe(String(v));
  });

  it('writes objects, arrays and null as JSON', () => {
    expect(valueText({ a: 1, b: [2, 'x'] })).toBe('{"a":1,"b":[2,"x"]}');
    expect(valueText([1, 2])).toBe('[1,2]');
    expect(valueText(null)).toBe('null');
  });
});
