/**
 * Planning fixtures, as the coverage engine's are kept: `in/<name>.geojson` holds the
 * communities (`role: target`), candidates, existing services, land and grid cells, with
 * the request and the answers known by hand in the collection's `properties`;
 * `out/<name>.json` holds the whole response. `REGEN=1` rewrites the outputs from the
 * code: read the diff before committing. Coordinates were made from shapes given in metres
 * in EPSG:4550 (offsets from E 423,000 N 3,319,000), so the figures in the descriptions
 * hold on the ground to a few parts in 10⁴ (the projection's scale factor).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { parkRadiusFn } from '../../coverage/park-radius.ts';
import type { RadiusOption } from '../../coverage/service-shapes.ts';
import { deepFreeze } from '../../coverage/test/support.ts';
import type { SuggestInput } from '../suggest.ts';
import type { SuggestRequest } from '../types.ts';

const IN = join(import.meta.dirname, 'in');

/** Answers known by hand: m² (sites for a target's optimum), candidate ids. */
interface PlanningExpect {
  greedyValue: number;
  value: number;
  sites: string[];
  optimum: number;
  gap: number;
  offLand?: number;
  nearExisting?: number;
  tooSmall?: number;
  /** m² covered before. */
  before?: number;
}

export interface PlanningFixture {
  name: string;
  description: string;
  input: SuggestInput;
  expect: PlanningExpect;
}

interface FixtureProperties {
  description: string;
  request: { goal: SuggestRequest['goal']; radius: number | 'parks'; cell: number; minDistance?: number };
  expect: PlanningExpect;
}

export function planningFixtures(): PlanningFixture[] {
  return readdirSync(IN)
    .filter((f) => f.endsWith('.geojson'))
    .sort()
    .map((file) => {
      const fc = deepFreeze(JSON.parse(readFileSync(join(IN, file), 'utf8')) as FeatureCollection & { properties: FixtureProperties });
      const role = (r: string): Feature[] => fc.features.filter((f) => f.properties?.role === r);
      const p = fc.properties;
      const radius: RadiusOption = p.request.radius === 'parks' ? parkRadiusFn() : p.request.radius;
      const land = role('land');
      return {
        name: file.replace(/\.geojson$/, ''),
        description: p.description,
        expect: p.expect,
        input: {
          targets: { type: 'FeatureCollection', features: role('target') },
          zones: role('zone') as Feature<Polygon | MultiPolygon>[],
          groupField: 'district',
          services: { type: 'FeatureCollection', features: role('service') },
          radius,
          candidates: role('candidate').map((feature) => ({ feature })),
          land: land.length ? { type: 'FeatureCollection', features: land } : null,
          request: {
            kind: p.request.radius === 'parks' ? 'parks' : 'ebike',
            goal: p.request.goal,
            candidates: { from: 'layer', layerId: 'fixture' },
            minDistance: p.request.minDistance ?? 0,
            onLand: land.length > 0,
            cell: p.request.cell,
          },
        },
      };
    });
}
