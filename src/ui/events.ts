/**
 * The components' events: one per intent of `app/intents.ts`, named and typed there, so a
 * component can only emit what the app knows how to carry out.
 */
import type { IntentHandlers, Intents } from '../app/intents.ts';

type IntentEvents = { [K in keyof Intents]: CustomEvent<Intents[K]> };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges the intents' events into the DOM's map
  interface GlobalEventHandlersEventMap extends IntentEvents {}
}

/** Dispatches a bubbling, composed CustomEvent so it crosses shadow roots. */
export function emit<K extends keyof Intents>(from: EventTarget, type: K, detail: Intents[K]): void {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

/** Carries out every intent event that reaches `target`; returns the function that stops listening. */
export function listenForIntents(target: EventTarget, handlers: IntentHandlers): () => void {
  const entries = Object.entries(handlers) as [keyof Intents, (detail: unknown) => void][];
  const listeners = entries.map(([type, handle]) => [type, (e: Event) => handle((e as CustomEvent).detail)] as const);
  for (const [type, l] of listeners) target.addEventListener(type, l);
  return () => {
    for (const [type, l] of listeners) target.removeEventListener(type, l);
  };
}
