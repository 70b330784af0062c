/**
 * A feature's attribute by name, read only from the feature's own keys. Field names come
 * from imported files, and `props[name]` would find `Object.prototype` members for names
 * like `constructor`, `toString` or `__proto__` on features that lack them, showing
 * "function Object()…" in the popup, sorting by it, or counting it in a filter.
 */
export function ownValue(props: Readonly<Record<string, unknown>> | null | undefined, name: string): unknown {
  return props && Object.hasOwn(props, name) ? props[name] : undefined;
}
