/**
 * Comlink sends an error thrown in a worker as its name, message and stack only, so a
 * LoadError arrives on the page as a bare Error without the `source` it names or the
 * `detail` (message code and parameters) the UI renders in its language. This keeps them:
 * the page's default handler copies every field of what is sent onto the Error it throws.
 */
import { transferHandlers } from 'comlink';
import { isDataMessage, type DataMessage } from './messages.ts';

interface Thrown {
  value: unknown;
}

/** Installs the handler in this worker (or page) for every later message. */
export function keepErrorDetails(): void {
  const base = transferHandlers.get('throw');
  if (!base) return;
  transferHandlers.set('throw', {
    canHandle: (value: unknown): value is Thrown => base.canHandle(value),
    serialize(thrown: Thrown) {
      const e = thrown.value;
      if (!(e instanceof Error)) return base.serialize(thrown);
      const extra = e as Error & { source?: unknown; detail?: unknown };
      const value = {
        message: e.message,
        name: e.name,
        stack: e.stack,
        ...(typeof extra.source === 'string' ? { source: extra.source } : {}),
        // A plain-data copy: parameters are strings, numbers and nested messages.
        ...(isDataMessage(extra.detail) ? { detail: JSON.parse(JSON.stringify(extra.detail)) as DataMessage } : {}),
      };
      return [{ isError: true, value }, []];
    },
    deserialize: (serialized: unknown) => base.deserialize(serialized),
  });
}

/** The message code and parameters an error carries (one from a worker included), or null. */
export function errorDetail(err: unknown): DataMessage | null {
  const d = typeof err === 'object' && err !== null ? (err as { detail?: unknown }).detail : undefined;
  return isDataMessage(d) ? d : null;
}
