/**
 * What the analysis needs to know of the layers, declared by the catalogue (its `analysis`
 * section) the way it declares the dashboard's metrics: which layer is the residential land
 * whose coverage is measured, which holds the grid cells results are reported by, what field
 * names a district, and which layers provide each service. Nothing else in the
 * code names a layer id, so a catalogue with other layers gives the same analysis.
 */

/** The services whose reach is measured; each has its own radius rule in the settings. */
export type CoverageKind = 'parks' | 'ebike' | 'parking';

/** Every coverage kind, in the order the UI lists them. */
export const COVERAGE_KINDS: readonly CoverageKind[] = Object.freeze(['parks', 'ebike', 'parking']);

export interface AnalysisRoles {
  /** Residential land: the demand whose share within a service's reach is measured. */
  readonly residential: string;
  /** The grid cells coverage is reported by (a choropleth), and the cell a planner picks. */
  readonly zones: string;
  /** The field, on the residential land and the grid cells, whose values name the district. */
  readonly districtField: string;
  /** The layers whose features provide each service (a kind may draw on several). */
  readonly services: Readonly<Record<CoverageKind, readonly string[]>>;
  /** Idle plots a planner can turn into pocket parks (optional). */
  readonly idle?: string;
}

/** Every layer the coverage of `kind` reads: the demand, the zones and the services. */
export function coverageInputs(roles: AnalysisRoles, kind: CoverageKind): string[] {
  return [roles.residential, roles.zones, ...roles.services[kind]];
}

/** Every layer any analysis reads. */
export function analysisInputs(roles: AnalysisRoles): string[] {
  return [...new Set(COVERAGE_KINDS.flatMap((k) => coverageInputs(roles, k)))];
}
