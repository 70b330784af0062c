/**
 * The programme dashboard's figures, computed from the layers themselves. The catalogue
 * says what to count (which layer, which features, which field); the report's own figures
 * ride along as targets to compare against, never as the value shown.
 */
import type { Feature, FeatureCollection } from 'geojson';
import { geodesicArea, geodesicLength } from './geodesic.ts';

interface FeatureFilter {
  field: string;
  in: readonly (string | number | boolean)[];
}

export interface ProgrammeMetric {
  id: string;
  label: { zh: string; en: string };
  layer: string;
  /**
   * progress: features matching `done` out of those matching `filter` (all by default);
   * count: features matching `filter`; sum / mean: of `field`; area / length: ellipsoidal m² / m.
   */
  kind: 'progress' | 'count' | 'sum' | 'mean' | 'area' | 'length';
  filter?: FeatureFilter;
  done?: FeatureFilter;
  field?: string;
  /** Display unit code: m2, ha, m, km, t, %, or a counted noun. */
  unit?: string | { zh: string; en: string };
  /** The report's figure, for comparison. */
  target?: number;
}

export interface MetricValue {
  id: string;
  kind: ProgrammeMetric['kind'];
  value: number;
  /** For progress: the number of features the progress is out of. */
  total: number | null;
  target: number | null;
  /** Features the figure was computed from. */
  features: number;
}

function matches(f: Feature, filter: FeatureFilter | undefined): boolean {
  if (!filter) return true;
  const v: unknown = f.properties?.[filter.field];
  return filter.in.some((x) => x === v);
}

/** Evaluates one metric over a layer; a missing layer gives NaN so the UI can say so. */
export function evaluateMetric(metric: ProgrammeMetric, layer: FeatureCollection | undefined): MetricValue {
  const out = (value: number, features: number, total: number | null = null): MetricValue => ({
    id: metric.id,
    kind: metric.kind,
    value,
    total,
    target: metric.target ?? null,
    features,
  });
  if (!layer) return out(Number.NaN, 0);
  const fs = layer.features.filter((f) => matches(f, metric.filter));
  const num = (f: Feature): number => {
    const v: unknown = f.properties?.[metric.field ?? ''];
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  };
  switch (metric.kind) {
    case 'progress':
      return out(fs.filter((f) => matches(f, metric.done)).length, fs.length, fs.length);
    case 'count':
      return out(fs.length, fs.length);
    case 'sum':
      return out(fs.reduce((s, f) => s + num(f), 0), fs.length);
    case 'mean':
      return out(fs.length ? fs.reduce((s, f) => s + num(f), 0) / fs.length : Number.NaN, fs.length);
    case 'area':
      return out(fs.reduce((s, f) => s + geodesicArea(f.geometry), 0), fs.length);
    case 'length':
      return out(fs.reduce((s, f) => s + geodesicLength(f.geometry), 0), fs.length);
  }
}

export function evaluateProgramme(metrics: readonly ProgrammeMetric[], layers: Readonly<Record<string, FeatureCollection>>): MetricValue[] {
  return metrics.map((m) => evaluateMetric(m, layers[m.layer]));
}
