/**
 * What the map draws of planning, derived from the state: the active scenario's proposed
 * sites (or, comparing two on the map, this map's side's), the existing sites it closes (at
 * a point on each), and the grid cells with their gain over today. Memoised on the objects it reads, so the map hands MapLibre new data only when
 * something it shows changed.
 */
import type { Feature, FeatureCollection } from 'geojson';
import type { Scenario, ScenarioResponse } from '../analysis/planning/types.ts';
import type { AppState } from './store.ts';

export interface PlanningMapData {
  /** False: nothing of planning is drawn (another tab, no scenario). */
  show: boolean;
  showGain: boolean;
  sites: FeatureCollection;
  closed: FeatureCollection;
  gain: FeatureCollection;
  reach: FeatureCollection;
  /** The last suggestion's sites for this scenario, not yet added to it. */
  suggested: FeatureCollection;
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** A point on a feature to ring it at: a point itself, else its first vertex's ring's average. */
function anchor(f: Feature): [number, number] | null {
  const g = f.geometry;
  if (!g) return null;
  if (g.type === 'Point') return g.coordinates as [number, number];
  const ring = g.type === 'Polygon' ? g.coordinates[0] : g.type === 'MultiPolygon' ? g.coordinates[0]?.[0] : g.type === 'LineString' ? g.coordinates : null;
  if (!ring?.length) return null;
  const n = ring.length;
  return [ring.reduce((a, p) => a + p[0]!, 0) / n, ring.reduce((a, p) => a + p[1]!, 0) / n];
}

/**
 * The scenario a map draws and the answer it draws it with: the active one; or, while two
 * are compared on the map, this map's side of the comparison (today: no scenario, nothing
 * of planning drawn), with its answer from the comparison.
 */
function drawn(s: AppState): { scenario: Scenario | null; response: ScenarioResponse | null; swiping: boolean } {
  const swipe = s.planning.swipe;
  if (!swipe) return { scenario: s.scenarios.find((x) => x.id === s.scenarioId) ?? null, response: s.planning.coverage.response, swiping: false };
  const side = s.planning.compare.response?.[swipe.ours] ?? null;
  return { scenario: side?.id ? s.scenarios.find((x) => x.id === side.id) ?? null : null, response: side?.response ?? null, swiping: true };
}

export function createPlanningMap(): (s: AppState) => PlanningMapData {
  let last: { scenario: unknown; data: unknown; response: unknown; tab: unknown; showGain: unknown; mode: unknown; suggestion: unknown; swiping: boolean; out: PlanningMapData } | null = null;
  return (s) => {
    const { scenario, response, swiping } = drawn(s);
    // A suggestion belongs to the scenario being edited, not to a side of a comparison.
    const suggestion = swiping ? null : s.planning.suggestion;
    if (last && last.scenario === scenario && last.data === s.data && last.response === response && last.tab === s.tab && last.showGain === s.planning.showGain && last.mode === s.mode && last.suggestion === suggestion && last.swiping === swiping) return last.out;
    const show = s.mode === 'staff' && s.tab === 'planning' && scenario !== null;
    const mine = response && scenario && response.scenarioId === scenario.id ? response : null;
    let out: PlanningMapData = { show, showGain: show && s.planning.showGain && mine !== null, sites: EMPTY, closed: EMPTY, gain: EMPTY, reach: EMPTY, suggested: EMPTY };
    if (show && scenario) {
      const sites: FeatureCollection = { type: 'FeatureCollection', features: scenario.added.map((x) => ({ type: 'Feature', properties: { id: x.id, origin: x.origin }, geometry: x.geometry })) };
      const closed: FeatureCollection = {
        type: 'FeatureCollection',
        features: scenario.closed.flatMap((c): Feature[] => {
          const f = s.data[c.layerId]?.features.find((x) => String(x.properties?.id) === c.featureId);
          const at = f ? anchor(f) : null;
          return at ? [{ type: 'Feature', properties: { id: c.featureId, layer: c.layerId }, geometry: { type: 'Point', coordinates: at } }] : [];
        }),
      };
      const zones = s.catalogue?.analysis?.zones;
      const grid = zones ? s.data[zones] : undefined;
      const change = new Map((mine?.zones ?? []).filter((z) => z.area > 0).map((z) => [z.id, z.after - z.before]));
      const gain: FeatureCollection = grid && mine ? { type: 'FeatureCollection', features: grid.features.map((f) => ({ ...f, properties: { id: String(f.properties?.id), gain: change.get(String(f.properties?.id)) ?? 0 } })) } : EMPTY;
      const suggested = suggestion?.what === scenario.id && suggestion.response ? suggestion.response.sites : EMPTY;
      out = { ...out, sites, closed, gain, reach: mine?.reach ?? EMPTY, suggested };
    }
    last = { scenario, data: s.data, response, tab: s.tab, showGain: s.planning.showGain, mode: s.mode, suggestion, swiping, out };
    return out;
  };
}
