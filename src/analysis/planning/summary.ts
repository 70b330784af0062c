/**
 * A coverage result cut down to the figures planning shows (city, district, grid cell),
 * small enough to send from the worker, keep with a suggestion and compare.
 */
import type { CoverageResult, CoverageTally } from '../coverage/coverage.ts';
import type { CoverageSummary } from './types.ts';

const tally = (t: CoverageTally): CoverageTally => ({ area: t.area, covered: t.covered, share: t.share });

export function summarizeCoverage(r: CoverageResult): CoverageSummary {
  return {
    total: tally(r.total),
    byGroup: Object.fromEntries(Object.entries(r.byGroup).map(([k, t]) => [k, tally(t)])),
    byZone: Object.fromEntries(Object.entries(r.byZone).map(([k, t]) => [k, tally(t)])),
  };
}
