/**
 * Study areas named by id: a district (the union of its grid cells, the only district
 * outline the data has) or a grid cell, built from the loaded grid cells with their label in
 * the UI's language. A pick in the panel and a link that names one both make them here, so
 * both give the same area.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { AppState, StudyArea } from './store.ts';

export const polygonsOf = (fc: FeatureCollection | undefined): Feature<Polygon | MultiPolygon>[] =>
  (fc?.features ?? []).filter((f) => f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon') as Feature<Polygon | MultiPolygon>[];

/** Several polygons as the parts of one multipolygon, as a district is. */
export function merged(features: readonly Feature<Polygon | MultiPolygon>[], properties: Record<string, unknown>): Feature<MultiPolygon> {
  return {
    type: 'Feature',
    properties,
    geometry: { type: 'MultiPolygon', coordinates: features.flatMap((f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates)) },
  };
}

/** Whether the grid cells a district or cell is made of are loaded (or failed: then there is nothing to wait for). */
export function zonesSettled(s: AppState): boolean {
  const zones = s.catalogue?.analysis?.zones;
  if (!s.catalogue) return false;
  if (!zones) return true;
  const status = s.layers[zones]?.status;
  return status === 'ready' || status === 'error';
}

/** A district as a study area; null when the catalogue has no districts or none of that id. */
export function districtArea(s: AppState, district: string): StudyArea | null {
  const roles = s.catalogue?.analysis;
  if (!roles) return null;
  const cells = polygonsOf(s.data[roles.zones]).filter((f) => f.properties?.[roles.districtField] === district);
  if (cells.length === 0) return null;
  const label = s.catalogue?.layers.find((l) => l.id === roles.zones)?.fields.find((f) => f.name === roles.districtField)?.values?.find((v) => v.value === district)?.label[s.lang] ?? district;
  return { feature: merged(cells, { [roles.districtField]: district }), label, source: { kind: 'district', id: district } };
}

/** A cell's name in the UI's language, else its id. */
function cellLabel(cell: Feature, lang: AppState['lang']): string {
  return String(cell.properties?.[lang === 'zh' ? 'name' : 'name_en'] ?? cell.properties?.id ?? '');
}

/** A grid cell as a study area, found by its id; null when there is none. */
export function cellArea(s: AppState, id: string): StudyArea | null {
  const zones = s.catalogue?.analysis?.zones;
  const cell = zones ? polygonsOf(s.data[zones]).find((f) => String(f.properties?.id) === id) : undefined;
  return cell ? cellStudyArea(cell, s.lang) : null;
}

/** A grid cell feature as a study area. */
export function cellStudyArea(cell: Feature<Polygon | MultiPolygon>, lang: AppState['lang']): StudyArea {
  const id: unknown = cell.properties?.id;
  return { feature: cell, label: cellLabel(cell, lang), ...(typeof id === 'string' || typeof id === 'number' ? { source: { kind: 'cell', id: String(id) } } : {}) };
}
