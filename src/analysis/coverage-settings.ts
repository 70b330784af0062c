/**
 * The settings of a coverage run: which service, and how far each serves. Plain data with
 * no computing code, so the store and the panels can hold them without loading the engine.
 */
import type { CoverageKind } from './roles.ts';

export interface ParkRadiusRule {
  /** Smallest park area, m² on the ellipsoid, that the rule applies to. */
  readonly minArea: number;
  /** Service radius in ground metres of parks this size. */
  readonly radius: number;
}

/** The national garden-city criteria: parks of 5,000 m² serve 500 m, of 2,000–5,000 m² 300 m. */
export const DEFAULT_PARK_RADIUS_RULES: readonly ParkRadiusRule[] = Object.freeze([
  Object.freeze({ minArea: 5000, radius: 500 }),
  Object.freeze({ minArea: 2000, radius: 300 }),
]);

export interface CoverageSettings {
  kind: CoverageKind;
  /** Park radius rules: parks of at least minArea m² serve radius m. */
  parkRules: { minArea: number; radius: number }[];
  ebikeRadius: number;
  parkingRadius: number;
}

export const DEFAULT_COVERAGE_SETTINGS: CoverageSettings = {
  kind: 'parks',
  parkRules: DEFAULT_PARK_RADIUS_RULES.map((r) => ({ ...r })),
  ebikeRadius: 300,
  parkingRadius: 300,
};
