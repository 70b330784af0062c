/**
 * The committed demo data against the report: every total in FIGURES.md, every feature on
 * land with valid geometry, the catalogue true to the files, and the generator reproducing
 * the committed files byte for byte.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type SchemaObject } from 'ajv';
import booleanClockwise from '@turf/boolean-clockwise';
import kinks from '@turf/kinks';
import type { Feature, FeatureCollection, Polygon, Position } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { geodesicArea, geodesicLength } from '../../src/analysis/geodesic.ts';
import { geometryProblem } from '../../src/geo/check-geometry.ts';
import { parseCatalogue, type Catalogue } from '../../src/data/catalogue.ts';
import { readFgb, readFgbHeader } from '../../src/data/fgb/read-fgb.ts';
import { writeFgb } from '../../src/data/fgb/write-fgb.ts';
import { FIGURES, generateDemoData } from './generate-layers.ts';
import { createLandIndex, type LandIndex } from './land-index.ts';
import { layerColumns, layerTitle } from './columns.ts';

const dataDir = join(import.meta.dirname, '..', '..', 'data');
const bytesOf = (file: string): Uint8Array => new Uint8Array(readFileSync(join(dataDir, file)));

async function readLayer(file: string): Promise<FeatureCollection> {
  const features: Feature[] = [];
  for await (const f of readFgb(bytesOf(file), { sourceName: file })) features.push(f);
  return { type: 'FeatureCollection', features };
}

let catalogue: Catalogue;
const layers: Record<string, FeatureCollection> = {};
let land: FeatureCollection<Polygon>;
let landIndex: LandIndex;

beforeAll(async () => {
  catalogue = parseCatalogue(JSON.parse(readFileSync(join(dataDir, 'catalogue.json'), 'utf8')));
  for (const l of catalogue.layers) layers[l.id] = await readLayer(l.file);
  land = (await readLayer(catalogue.basemap.land)) as FeatureCollection<Polygon>;
  landIndex = createLandIndex(land);
});

const props = (id: string) => layers[id]!.features.map((f) => f.properties as Record<string, unknown>);
const sum = (xs: unknown[]): number => xs.reduce<number>((s, x) => s + (typeof x === 'number' ? x : 0), 0);
const count = (id: string, field: string, value: unknown): number => props(id).filter((p) => p[field] === value).length;

describe('report figures (FIGURES.md)', () => {
  it('idle plots: 58 in the programme, 52 finished, rubbish, walls, greening and households add up', () => {
    expect(layers['idle-plots']!.features).toHaveLength(58);
    expect(count('idle-plots', 'status', 'finished')).toBe(52);
    expect(sum(props('idle-plots').map((p) => p.rubbish_t))).toBeCloseTo(143.3, 6);
    expect(sum(props('idle-plots').map((p) => p.wall_opened_m))).toBe(930);
    expect(sum(props('idle-plots').map((p) => p.greening_m2))).toBe(64_400);
    expect(sum(props('idle-plots').map((p) => p.households_cleared))).toBe(11);
  });

  it('idle plots are realistic lots of 300–20,000 m² with no more greening than area', () => {
    for (const f of layers['idle-plots']!.features) {
      const a = geodesicArea(f.geometry);
      expect(a).toBeGreaterThanOrEqual(300);
      expect(a).toBeLessThanOrEqual(20_000);
      expect((f.properties as { greening_m2: number }).greening_m2).toBeLessThan(a);
    }
  });

  it('waterlogging: 403 inspected, 106 hazards fixed, 15 risk points, 3 new ponding points at 50% on average', () => {
    const p = props('waterlogging');
    expect(p).toHaveLength(FIGURES.waterloggingInspected);
    expect(count('waterlogging', 'status', 'hazard_fixed')).toBe(106);
    expect(count('waterlogging', 'kind', 'risk')).toBe(15);
    const ponding = p.filter((x) => x.kind === 'ponding');
    expect(ponding).toHaveLength(3);
    expect(ponding.every((x) => x.status === 'remediating')).toBe(true);
    expect(sum(ponding.map((x) => x.remediation_pct)) / 3).toBe(50);
    expect(p.every((x) => typeof x.depth_cm === 'number' && typeof x.last_inspected === 'string')).toBe(true);
  });

  it('parking: 369 new paid berths, 456 re-arranged, 3 third-party car parks; segments about 6 m a berth', () => {
    const p = props('parking-berths');
    expect(sum(p.filter((x) => x.kind === 'new_paid').map((x) => x.berths))).toBe(369);
    expect(sum(p.filter((x) => x.kind === 'rearranged').map((x) => x.berths))).toBe(456);
    expect(layers['car-parks']!.features).toHaveLength(3);
    for (const f of layers['parking-berths']!.features) {
      const perBerth = geodesicLength(f.geometry) / (f.properties as { berths: number }).berths;
      expect(perBerth).toBeGreaterThan(5.5);
      expect(perBerth).toBeLessThan(6.5);
    }
  });

  it('e-bike stations: 320 with a capacity each', () => {
    expect(props('ebike-stations')).toHaveLength(320);
    expect(props('ebike-stations').every((p) => typeof p.capacity === 'number' && (p.capacity) > 0)).toBe(true);
  });

  it('parks: 6 greening upgrades, 3 finished; shared-use parcels total exactly 3.55 ha by geometry and by attribute', () => {
    expect(count('parks', 'status', 'upgraded')).toBe(3);
    expect(count('parks', 'status', 'upgrading')).toBe(3);
    const shared = layers.parks!.features.filter((f) => f.properties?.shared_open === true);
    expect(sum(shared.map((f) => f.properties!.shared_area_m2 as number))).toBe(35_500);
    const geometric = shared.reduce((s, f) => s + geodesicArea(f.geometry), 0);
    expect(Math.abs(geometric - 35_500)).toBeLessThan(1);
    const areas = layers.parks!.features.map((f) => geodesicArea(f.geometry));
    // From pocket parks to city parks.
    expect(Math.min(...areas)).toBeLessThan(2_000);
    expect(Math.max(...areas)).toBeGreaterThan(50_000);
  });

  it('reference layers: 96 grid cells and 610 residential communities (35 demonstration, 28 with AI bins)', () => {
    expect(layers['grid-cells']!.features).toHaveLength(96);
    expect(layers.communities!.features).toHaveLength(610);
    expect(count('communities', 'sorting_demo', true)).toBe(35);
    expect(count('communities', 'ai_bins', true)).toBe(28);
  });
});

function positions(g: Feature['geometry']): Position[] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'LineString':
    case 'MultiPoint':
      return g.coordinates;
    case 'Polygon':
    case 'MultiLineString':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
    default:
      return [];
  }
}

describe('geometry', () => {
  it('every thematic feature lies on land: all its vertices inside the OSM land polygons', () => {
    // Grid cells are clipped to the coast, so their vertices sit on it: allow the 1 cm the
    // 7-decimal rounding can move them.
    const nearLand = (p: Position): boolean =>
      landIndex.isOnLand(p) || [[1e-7, 0], [-1e-7, 0], [0, 1e-7], [0, -1e-7]].some(([dx, dy]) => landIndex.isOnLand([p[0]! + dx!, p[1]! + dy!]));
    for (const entry of catalogue.layers) {
      const off = layers[entry.id]!.features.filter((f) => !positions(f.geometry).every(nearLand));
      expect(off.map((f) => f.properties?.id as unknown), entry.id).toEqual([]);
    }
  });

  it('every feature has valid geometry: well-formed, closed rings, counter-clockwise exteriors, no self-intersections', () => {
    for (const entry of catalogue.layers) {
      for (const f of layers[entry.id]!.features) {
        const where = `${entry.id} ${String(f.properties?.id)}`;
        expect(geometryProblem(f.geometry), where).toBeNull();
        if (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon') {
          const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
          for (const rings of polys) {
            expect(booleanClockwise(rings[0]!), `${where} exterior is clockwise`).toBe(false);
            for (const hole of rings.slice(1)) expect(booleanClockwise(hole), `${where} hole is counter-clockwise`).toBe(true);
          }
          expect(kinks(f as Feature<Polygon>).features, `${where} self-intersects`).toHaveLength(0);
        }
      }
    }
  });

  it('thematic features are clustered in the urban areas, not scattered over the islands', () => {
    const towns: [number, number][] = [[122.103, 30.02], [122.205, 29.996], [122.297, 29.952], [122.19, 30.058]];
    for (const id of ['idle-plots', 'waterlogging', 'ebike-stations', 'parks']) {
      for (const f of layers[id]!.features) {
        const [x, y] = positions(f.geometry)[0]!;
        const km = Math.min(...towns.map(([tx, ty]) => Math.hypot((x! - tx) * 96.5, (y! - ty) * 110.9)));
        expect(km, `${id} ${String(f.properties?.id)}`).toBeLessThan(4);
      }
    }
  });

  it('ids are unique within each layer and every feature has a name and a district', () => {
    for (const entry of catalogue.layers) {
      const p = props(entry.id);
      expect(new Set(p.map((x) => x.id)).size, entry.id).toBe(p.length);
      expect(p.every((x) => typeof x.name === 'string' && ['dinghai', 'putuo', 'xincheng'].includes(x.district as string)), entry.id).toBe(true);
    }
  });
});

describe('catalogue', () => {
  it('matches its JSON schema', () => {
    const schema = JSON.parse(readFileSync(join(dataDir, 'catalogue.schema.json'), 'utf8')) as SchemaObject;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const ok = validate(JSON.parse(readFileSync(join(dataDir, 'catalogue.json'), 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('feature counts, CRS and columns agree with the files; values are among the allowed ones', () => {
    for (const entry of catalogue.layers) {
      const header = readFgbHeader(bytesOf(entry.file));
      expect(header.featuresCount, entry.id).toBe(entry.featureCount);
      expect(header.crs?.code, entry.id).toBe(4326);
      expect(header.indexNodeSize, entry.id).toBe(16);
      const fields = new Map(entry.fields.map((f) => [f.name, f]));
      for (const p of props(entry.id)) {
        for (const [k, v] of Object.entries(p)) {
          const field = fields.get(k);
          expect(field, `${entry.id}.${k} is not in the catalogue`).toBeDefined();
          if (field?.values && v !== null && v !== undefined) {
            expect(field.values.map((x) => x.value), `${entry.id}.${k}`).toContain(v);
          }
        }
      }
    }
  });

  it('rejects a broken catalogue with a message naming the problem', () => {
    expect(() => parseCatalogue({ version: 2 })).toThrow(/unsupported version 2/);
    const bad = JSON.parse(readFileSync(join(dataDir, 'catalogue.json'), 'utf8')) as { layers: { id: unknown }[] };
    bad.layers[1]!.id = bad.layers[0]!.id;
    expect(() => parseCatalogue(bad)).toThrow(/appears twice/);
    const bad2 = JSON.parse(readFileSync(join(dataDir, 'catalogue.json'), 'utf8')) as { layers: { styleField: unknown }[] };
    bad2.layers[0]!.styleField = 'nope';
    expect(() => parseCatalogue(bad2)).toThrow(/styleField "nope"/);
  });
});

describe('determinism', () => {
  it('regenerating from the committed coastline reproduces the committed layer files byte for byte', async () => {
    const demo = generateDemoData(land);
    for (const entry of catalogue.layers) {
      const bytes = writeFgb(demo.layers[entry.id]!, { title: layerTitle(entry), columns: layerColumns(entry), crs: { org: 'EPSG', code: 4326, name: 'WGS 84' } });
      expect(Buffer.from(bytes).equals(Buffer.from(bytesOf(entry.file))), entry.id).toBe(true);
    }
  });
});
