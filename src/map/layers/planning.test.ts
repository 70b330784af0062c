import type { StyleSpecification } from 'maplibre-gl';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { GAIN_CLASSES } from '../../app/style-classes.ts';
import { PLAN_GAIN_LAYERS, PLAN_SITE_LAYERS, planningLayers, planningSources } from './planning.ts';

describe('planning layers', () => {
  it('are a style MapLibre’s own validator accepts, every layer in one of the two groups shown and hidden together', () => {
    const style: StyleSpecification = { version: 8, sources: planningSources(), layers: planningLayers() };
    expect(validateStyleMin(style)).toEqual([]);
    expect(planningLayers().map((l) => l.id).sort()).toEqual([...PLAN_GAIN_LAYERS, ...PLAN_SITE_LAYERS].sort());
  });

  it('colour the gain by the legend’s classes and leave unchanged cells clear', () => {
    const fill = planningLayers().find((l) => l.id === 'plan-gain-fill')!;
    const json = JSON.stringify(fill);
    for (const c of GAIN_CLASSES) expect(json).toContain(c.color);
    expect(JSON.stringify((fill as { filter?: unknown }).filter)).toContain('abs');
  });
});
