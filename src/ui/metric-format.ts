/**
 * A programme figure as people read it: the value in the metric's unit (areas in hectares
 * or m², lengths in m or km, counted nouns such as 个 / berths). Shared by the staff
 * dashboard and the public view, so the two can never give the same figure differently.
 */
import type { MetricValue, ProgrammeMetric } from '../app/registry.ts';
import type { Lang } from '../app/store.ts';
import { formatArea, formatLength, formatNumber, formatWanM2, t, type MessageKey } from './i18n.ts';

function unitLabel(unit: ProgrammeMetric['unit'], lang: Lang): string {
  if (!unit) return '';
  if (typeof unit === 'object') return unit[lang];
  const key = `unit.${unit}` as MessageKey;
  return unit === '%' ? '%' : t(lang, key);
}

/** The value as text, in the metric's unit. */
export function formatMetric(metric: ProgrammeMetric, value: number, lang: Lang): string {
  if (!Number.isFinite(value)) return t(lang, 'dash.noData');
  if (metric.kind === 'area') return metric.unit === 'm2' ? `${formatNumber(lang, value, 0)} m²` : formatArea(lang, value);
  if (metric.kind === 'length') return formatLength(lang, value);
  if (metric.unit === 'wan-m2') return formatWanM2(lang, value);
  const u = unitLabel(metric.unit, lang);
  const digits = metric.unit === 't' || metric.unit === '%' ? 1 : 0;
  return u === '%' ? `${formatNumber(lang, value, digits)}%` : `${formatNumber(lang, value, digits)}${u ? ` ${u}` : ''}`;
}

/**
 * The unit a chart's value axis reads in, in `lang`, and the factor from the metric's values
 * (m² for areas) to it: hectares for areas, 万㎡ for a Chinese reader of 万㎡ figures, else
 * the metric's own unit (块, t, %).
 */
export function axisUnit(metric: ProgrammeMetric, lang: Lang): { unit: string; factor: number } {
  if (metric.kind === 'area') return metric.unit === 'm2' ? { unit: 'm²', factor: 1 } : { unit: t(lang, 'unit.ha'), factor: 1e-4 };
  if (metric.kind === 'length') return { unit: t(lang, 'unit.m'), factor: 1 };
  if (metric.unit === 'wan-m2') return lang === 'zh' ? { unit: '万㎡', factor: 1e-4 } : { unit: 'm²', factor: 1 };
  return { unit: unitLabel(metric.unit, lang), factor: 1 };
}

/**
 * A figure for the public: progress as "52 / 58 块" ("52 of 58 plots"), anything else as
 * `formatMetric` gives it.
 */
export function formatFigure(metric: ProgrammeMetric, v: MetricValue | undefined, lang: Lang): string {
  const value = v?.value ?? Number.NaN;
  if (metric.kind !== 'progress') return formatMetric(metric, value, lang);
  if (!Number.isFinite(value)) return t(lang, 'dash.noData');
  const of = t(lang, 'dash.of', { value: formatNumber(lang, value), total: formatNumber(lang, v?.total ?? 0) });
  const u = typeof metric.unit === 'object' ? metric.unit[lang] : '';
  return u ? `${of} ${u}` : of;
}

/**
 * The noun a layer's features are counted in (处 / points, 个 / stations): the unit of its
 * first counting metric, or null when the catalogue names none.
 */
export function countNoun(metrics: readonly ProgrammeMetric[], layerId: string, lang: Lang): string | null {
  const m = metrics.find((x) => x.layer === layerId && (x.kind === 'count' || x.kind === 'progress') && typeof x.unit === 'object');
  return m && typeof m.unit === 'object' ? m.unit[lang] : null;
}
