/**
 * A scenario read back from somewhere it could have been damaged or forged (IndexedDB, a
 * link someone sent): checked field by field, rebuilt from what passed (so no stray member
 * rides along), or the reason it cannot be used.
 */
import type { Geometry } from 'geojson';
import { geometryProblem } from '../../geo/check-geometry.ts';
import { COVERAGE_KINDS, type CoverageKind } from '../roles.ts';
import type { FeatureRef, ProposedSite, Scenario } from './types.ts';

/** What the app makes ids of: `s-…` for scenarios, `p…` for sites. Layer ids follow the catalogue's rule. */
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const SITE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** A name longer than this is not one a person typed. */
const MAX_NAME = 100;
/** More sites or closures than a city plan holds: a record with more is damaged. */
const MAX_SITES = 5000;
const MAX_CLOSED = 20000;
const ORIGINS: readonly ProposedSite['origin'][] = ['placed', 'drawn', 'converted', 'suggested'];

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isText = (x: unknown, max: number): x is string => typeof x === 'string' && x.length <= max;

function readRef(x: unknown): FeatureRef | null {
  if (!isObject(x) || typeof x.layerId !== 'string' || !ID.test(x.layerId) || !isText(x.featureId, 128) || x.featureId === '') return null;
  return { layerId: x.layerId, featureId: x.featureId };
}

function readSite(x: unknown, i: number): ProposedSite | string {
  if (!isObject(x)) return `site ${i} is not an object`;
  if (typeof x.id !== 'string' || !SITE_ID.test(x.id)) return `site ${i} has no valid id`;
  const g = x.geometry as Geometry | undefined;
  if (!g || (g.type !== 'Point' && g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return `site ${x.id} is not a point or a polygon`;
  const problem = geometryProblem(g);
  if (problem) return `site ${x.id}: ${problem}`;
  if (!ORIGINS.includes(x.origin as ProposedSite['origin'])) return `site ${x.id} has an unknown origin`;
  if (!isText(x.name, MAX_NAME)) return `site ${x.id} has no valid name`;
  const from = x.from === undefined ? undefined : readRef(x.from);
  if (from === null) return `site ${x.id} refers to a feature wrongly`;
  // Only the geometry's own members: a forged record cannot smuggle others in.
  const geometry = { type: g.type, coordinates: g.coordinates } as ProposedSite['geometry'];
  return { id: x.id, geometry, origin: x.origin as ProposedSite['origin'], name: x.name, ...(from ? { from } : {}) };
}

/** The scenario in `raw`, or why it cannot be used. */
export function readScenario(raw: unknown): { value: Scenario } | { reason: string; id: string | null } {
  const id = isObject(raw) && typeof raw.id === 'string' && ID.test(raw.id) ? raw.id : null;
  const fail = (reason: string) => ({ reason, id });
  if (!isObject(raw) || id === null) return fail('the scenario has no valid id');
  if (!isText(raw.name, MAX_NAME)) return fail('the scenario has no valid name');
  if (!(COVERAGE_KINDS as readonly unknown[]).includes(raw.kind)) return fail('the scenario is for an unknown service');
  if (!Array.isArray(raw.added) || raw.added.length > MAX_SITES) return fail('the proposed sites are damaged');
  if (!Array.isArray(raw.closed) || raw.closed.length > MAX_CLOSED) return fail('the closed sites are damaged');
  const added: ProposedSite[] = [];
  const ids = new Set<string>();
  for (const [i, x] of raw.added.entries()) {
    const site = readSite(x, i);
    if (typeof site === 'string') return fail(site);
    if (ids.has(site.id)) return fail(`site ${site.id} appears twice`);
    ids.add(site.id);
    added.push(site);
  }
  const closed: FeatureRef[] = [];
  for (const x of raw.closed) {
    const ref = readRef(x);
    if (!ref) return fail('a closed site is named wrongly');
    closed.push(ref);
  }
  const date = (x: unknown): string => (typeof x === 'string' && x.length <= 40 && !Number.isNaN(Date.parse(x)) ? x : new Date(0).toISOString());
  return { value: { id, name: raw.name, kind: raw.kind as CoverageKind, added, closed, created: date(raw.created), updated: date(raw.updated) } };
}
