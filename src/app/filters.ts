/**
 * Attribute filters per layer: allowed values (status, district, yes/no), numeric ranges
 * and date ranges, by any catalogue field. The map, the counts, the dashboard and exports
 * all read the filtered features, so a filter means the same thing everywhere.
 */
import type { Feature, FeatureCollection } from 'geojson';
import { ownValue } from '../geo/own-value.ts';

export type FieldFilter =
  | { field: string; kind: 'values'; values: (string | number | boolean)[] }
  | { field: string; kind: 'range'; min?: number; max?: number }
  | { field: string; kind: 'dates'; from?: string; to?: string };

/** Filters by layer id; a layer with none (or an empty list) shows every feature. */
export type LayerFilters = Readonly<Record<string, readonly FieldFilter[]>>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

function matchesOne(props: Record<string, unknown>, f: FieldFilter): boolean {
  const v = ownValue(props, f.field);
  switch (f.kind) {
    case 'values':
      return f.values.some((x) => x === v);
    case 'range': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
      return (f.min === undefined || v >= f.min) && (f.max === undefined || v <= f.max);
    }
    case 'dates': {
      if (typeof v !== 'string' || !ISO_DATE.test(v)) return false;
      const d = v.slice(0, 10);
      return (f.from === undefined || d >= f.from) && (f.to === undefined || d <= f.to);
    }
  }
}

/** All filters must hold (AND across fields; OR within a values filter). */
export function matchesFilters(feature: Feature, filters: readonly FieldFilter[] | undefined): boolean {
  if (!filters || filters.length === 0) return true;
  const props = (feature.properties ?? {}) as Record<string, unknown>;
  return filters.every((f) => matchesOne(props, f));
}

export function applyFilters(fc: FeatureCollection, filters: readonly FieldFilter[] | undefined): FeatureCollection {
  if (!filters || filters.length === 0) return fc;
  return { type: 'FeatureCollection', features: fc.features.filter((f) => matchesFilters(f, filters)) };
}

/** Replaces (or removes, when `filter` is null) the filter on one field of one layer. */
export function setFieldFilter(all: LayerFilters, layerId: string, field: string, filter: FieldFilter | null): LayerFilters {
  const rest = (all[layerId] ?? []).filter((f) => f.field !== field);
  const next = filter ? [...rest, filter] : rest;
  const out: Record<string, readonly FieldFilter[]> = { ...all };
  if (next.length) out[layerId] = next;
  else delete out[layerId];
  return out;
}
