/**
 * A property value as text, for labels, sort and group keys and messages. Feature properties
 * from imported files can hold any JSON: objects and arrays come out as JSON (`String` would
 * give "[object Object]"), null as "null", anything else as `String` writes it.
 */
export function valueText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'symbol':
    case 'undefined':
    case 'function':
      return String(value);
    default:
      return JSON.stringify(value);
  }
}
