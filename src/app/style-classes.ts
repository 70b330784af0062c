/**
 * The classes a layer is drawn in: one per value of its style field, each with a colour
 * and whether it is dashed (in progress / planned). Shared by the map's layer builders
 * and the legend, so the two cannot disagree.
 */
import type { Catalogue, LayerEntry, Localized } from '../data/catalogue.ts';

export interface StyleClass {
  /** The style field's value, or null for the layer's single class. */
  value: string | null;
  label: Localized;
  color: string;
  dash: boolean;
}

export function styleClasses(entry: LayerEntry, stages: Catalogue['stages']): StyleClass[] {
  const field = entry.styleField ? entry.fields.find((f) => f.name === entry.styleField) : undefined;
  if (!field?.values?.length) return [{ value: null, label: entry.name, color: entry.style.color, dash: false }];
  return field.values.map((v) => {
    const stage = stages[v.stage ?? 'neutral'];
    return { value: v.value, label: v.label, color: v.color ?? stage.color ?? entry.style.color, dash: stage.dash };
  });
}
