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

/**
 * The grid choropleth's classes of coverage share (viridis, distinct for colour-blind readers
 * and in greyscale print): each from `min` up to the next class's `min`. The map's layer and
 * the panel's legend both read this.
 */
export const COVERAGE_CLASSES: readonly { min: number; color: string; label: string }[] = Object.freeze([
  { min: 0, color: '#440154', label: '< 50%' },
  { min: 0.5, color: '#3b528b', label: '50–80%' },
  { min: 0.8, color: '#21918c', label: '80–90%' },
  { min: 0.9, color: '#5ec962', label: '≥ 90%' },
]);
/** Residential land within the service radius. */
export const COVERED_COLOR = '#fde725';
/** A grid cell with no residential land. */
export const NO_RESIDENTIAL_COLOR = '#bbbbbb';

/**
 * The gain per grid cell in a planning scenario, in percentage points of the cell's
 * residential land (a sequential green ramp: more is darker; a loss in red). Shared by the
 * map's layer and the planning panel's legend.
 */
export const GAIN_CLASSES: readonly { min: number; color: string; label: string }[] = Object.freeze([
  { min: -1, color: '#d6604d', label: '< 0' },
  { min: 0.0005, color: '#c7e9c0', label: '0–5' },
  { min: 0.05, color: '#74c476', label: '5–20' },
  { min: 0.2, color: '#238b45', label: '20–50' },
  { min: 0.5, color: '#00441b', label: '≥ 50' },
]);
/** A proposed site on the map and in the legend. */
export const PROPOSED_COLOR = '#e66100';
/** An existing site the scenario closes. */
export const CLOSED_COLOR = '#c0392b';
