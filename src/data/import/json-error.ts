/**
 * Where JSON text goes wrong, found by our own scan rather than read out of the engine's
 * message: V8 gives a position for some errors and not for others ("Unexpected token 'x'",
 * "Unexpected end of JSON input"), and Firefox and Safari word them differently again. Runs
 * only after `JSON.parse` failed. Iterative, so deeply nested text cannot overflow the stack.
 */

/** The offset of the first character that is not valid JSON; `text.length` when the text ends too early; -1 when valid. */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  let i = 0;
  // Open containers: true for an object, false for an array.
  const stack: boolean[] = [];
  type State = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'after';
  let state: State = 'value';
  const LITERALS = ['true', 'false', 'null'];
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

  /** Past the string starting at `i`, or the offset of its error (as -1 - offset). */
  const skipString = (): number => {
    let j = i + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c < 0x20) return -1 - j;
      if (c === 0x5c) {
        const e = text[j + 1];
        if (e === undefined) return -1 - n;
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return -1 - Math.min(j + 2 + text.slice(j + 2, j + 6).length, n);
          j += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e)) return -1 - (j + 1);
        j += 2;
        continue;
      }
      j++;
    }
    return -1 - n;
  };

  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= n) return state === 'after' && stack.length === 0 ? -1 : n;
    const c = text[i]!;
    switch (state) {
      case 'valueOrClose':
      case 'value': {
        if (state === 'valueOrClose' && c === ']') {
          stack.pop();
          i++;
          state = 'after';
          break;
        }
        if (c === '{' || c === '[') {
          stack.push(c === '{');
          i++;
          state = c === '{' ? 'keyOrClose' : 'valueOrClose';
          break;
        }
        if (c === '"') {
          const end = skipString();
          if (end < 0) return -1 - end;
          i = end;
          state = 'after';
          break;
        }
        const literal = LITERALS.find((l) => text.startsWith(l, i));
        if (literal) {
          i += literal.length;
          state = 'after';
          break;
        }
        if (LITERALS.some((l) => l.startsWith(text.slice(i)))) return n;
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(text);
        if (!m) return i;
        i += m[0].length;
        // "1." or "1e" at the very end: the number is unfinished.
        if (i < n && /[.eE]/.test(text[i]!)) return i + 1 >= n ? n : i;
        state = 'after';
        break;
      }
      case 'keyOrClose':
      case 'key': {
        if (state === 'keyOrClose' && c === '}') {
          stack.pop();
          i++;
          state = 'after';
          break;
        }
        if (c !== '"') return i;
        const end = skipString();
        if (end < 0) return -1 - end;
        i = end;
        state = 'colon';
        break;
      }
      case 'colon':
        if (c !== ':') return i;
        i++;
        state = 'value';
        break;
      case 'after': {
        if (stack.length === 0) return i;
        const inObject = stack[stack.length - 1]!;
        if (c === ',') {
          i++;
          state = inObject ? 'key' : 'value';
        } else if (c === (inObject ? '}' : ']')) {
          stack.pop();
          i++;
        } else {
          return i;
        }
        break;
      }
    }
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
