/**
 * Attribute values nested deeper than anyone reads: JSON.parse builds them without trouble,
 * but copying them to the page (structured clone), into IndexedDB or into the popup's text
 * recurses once per level and overflows the stack. Such a value is kept as (shortened) JSON
 * text instead, written here without recursion.
 */

/** Deeper than this, a value is kept as text. */
export const MAX_VALUE_DEPTH = 64;
/** Text of a too-deep value is cut here. */
const MAX_TEXT = 2000;

/** True when `v` has arrays or objects nested more than `limit` levels. */
export function deeperThan(v: unknown, limit: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > limit) return true;
    for (const c of Array.isArray(x) ? x : Object.values(x as object)) {
      if (typeof c === 'object' && c !== null) stack.push([c, d + 1]);
    }
  }
  return false;
}

/** `v` as JSON text, at most about `max` characters (then "…"), without recursion. */
export function valueAsText(v: unknown, max = MAX_TEXT): string {
  let out = '';
  // Work items: a value to write, or literal text (closing brackets, separators).
  const stack: ({ text: string } | { value: unknown })[] = [{ value: v }];
  while (stack.length && out.length <= max) {
    const item = stack.pop()!;
    if ('text' in item) {
      out += item.text;
      continue;
    }
    const x = item.value;
    if (typeof x !== 'object' || x === null) {
      out += JSON.stringify(x) ?? 'null';
      continue;
    }
    const entries: [string | null, unknown][] = Array.isArray(x) ? x.map((c) => [null, c]) : Object.entries(x);
    const [open, close] = Array.isArray(x) ? ['[', ']'] : ['{', '}'];
    out += open;
    stack.push({ text: close });
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, c] = entries[i]!;
      stack.push({ value: c });
      const sep = i > 0 ? ',' : '';
      stack.push({ text: k === null ? sep : `${sep}${JSON.stringify(k)}:` });
    }
  }
  return out.length > max || stack.length ? `${out.slice(0, max)}…` : out;
}
