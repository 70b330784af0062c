/**
 * Computed measures added as properties before export: `area_m2` (ellipsoidal), `area_gk_m2`
 * (planar CGCS2000 Gauss–Krüger, EPSG:4550) and `length_m`, each rounded to 0.01 and only
 * where it applies (areas for polygons, length for lines). Existing properties of the same
 * names are replaced.
 */
import type { FeatureCollection } from 'geojson';
import { measureFeature } from '../../analysis/measure.ts';

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** A new FeatureCollection with measures in each feature's properties; `fc` is not changed. */
export function addMeasures(fc: FeatureCollection): FeatureCollection {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error('features must be a GeoJSON FeatureCollection');
  }
  return {
    ...fc,
    features: fc.features.map((f) => {
      const m = measureFeature(f);
      const extra: Record<string, number> = {};
      if (m.area_m2 !== null) extra.area_m2 = round2(m.area_m2);
      if (m.area_gk_m2 !== null) extra.area_gk_m2 = round2(m.area_gk_m2);
      if (m.length_m !== null) extra.length_m = round2(m.length_m);
      return { ...f, properties: { ...(f.properties ?? {}), ...extra } };
    }),
  };
}
