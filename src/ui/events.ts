/** Typed events the components emit; main.ts turns them into store actions. */
import type { BasemapId, Lang } from '../app/store.ts';

export interface LayerToggleDetail {
  id: string;
  visible: boolean;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'zs-layer-toggle': CustomEvent<LayerToggleDetail>;
    'zs-basemap-change': CustomEvent<{ basemap: BasemapId }>;
    'zs-tianditu-key': CustomEvent<{ key: string }>;
    'zs-lang-change': CustomEvent<{ lang: Lang }>;
    'zs-panel-toggle': CustomEvent<{ open: boolean }>;
    'zs-popup-close': CustomEvent<void>;
  }
}

/** Dispatches a bubbling, composed CustomEvent so it crosses shadow roots. */
export function emit<K extends keyof GlobalEventHandlersEventMap>(
  from: EventTarget,
  type: K,
  detail: GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never,
): void {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
