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
import { entriesFor, layerOn } from '../../src/analysis/timeline/status-on.ts';
import { evaluateMetric } from '../../src/analysis/programme.ts';
import { chartDates } from '../../src/analysis/timeline/calendar.ts';
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

const sum = (xs: unknown[]): number => xs.reduce<number>((s, x) => s + (typeof x === 'number' ? x : 0), 0);
const REPORT_DATE = '2024-06-21';
/** The layers as the catalogue's timeline says they stood on the report's date. */
const onReportDate: Record<string, FeatureCollection> = {};
beforeAll(() => {
  for (const l of catalogue.layers) onReportDate[l.id] = layerOn(layers[l.id]!, entriesFor(catalogue.timeline, l.id), REPORT_DATE);
});

// The same figures twice: in the files as they are, and in the layers as the timeline gives
// them on the report's date, from the dates every programme feature carries.
describe.each([
  ['the files', () => layers],
  [`the layers as of ${REPORT_DATE} (timeline)`, () => onReportDate],
])('report figures (FIGURES.md) in %s', (_, get) => {
  const props = (id: string) => get()[id]!.features.map((f) => f.properties as Record<string, unknown>);
  const count = (id: string, field: string, value: unknown): number => props(id).filter((p) => p[field] === value).length;
  it('idle plots: 58 in the programme, 52 finished, rubbish, walls, greening and households add up', () => {
    expect(get()['idle-plots']!.features).toHaveLength(58);
    expect(count('idle-plots', 'status', 'finished')).toBe(52);
    expect(sum(props('idle-plots').map((p) => p.rubbish_t))).toBeCloseTo(143.3, 6);
    expect(sum(props('idle-plots').map((p) => p.wall_opened_m))).toBe(930);
    expect(sum(props('idle-plots').map((p) => p.greening_m2))).toBe(64_400);
    expect(sum(props('idle-plots').map((p) => p.households_cleared))).toBe(11);
  });

  it('idle plots are realistic lots of 300–20,000 m² with no more greening than area', () => {
    for (const f of get()['idle-plots']!.features) {
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
    expect(get()['car-parks']!.features).toHaveLength(3);
    for (const f of get()['parking-berths']!.features) {
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
    const shared = get().parks!.features.filter((f) => f.properties?.shared_open === true);
    expect(sum(shared.map((f) => f.properties!.shared_area_m2 as number))).toBe(35_500);
    const geometric = shared.reduce((s, f) => s + geodesicArea(f.geometry), 0);
    expect(Math.abs(geometric - 35_500)).toBeLessThan(1);
    const areas = get().parks!.features.map((f) => geodesicArea(f.geometry));
    // From pocket parks to city parks.
    expect(Math.min(...areas)).toBeLessThan(2_000);
    expect(Math.max(...areas)).toBeGreaterThan(50_000);
  });

  it('reference layers: 96 grid cells and 610 residential communities (35 demonstration, 28 with AI bins)', () => {
    expect(get()['grid-cells']!.features).toHaveLength(96);
    expect(get().communities!.features).toHaveLength(610);
    expect(count('communities', 'sorting_demo', true)).toBe(35);
    expect(count('communities', 'ai_bins', true)).toBe(28);
  });
});

const props = (id: string) => layers[id]!.features.map((f) => f.properties as Record<string, unknown>);

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

describe('the timeline: dates on every programme feature', () => {
  const on = (id: string, date: string, view: 'actual' | 'plan' = 'actual') => layerOn(layers[id]!, entriesFor(catalogue.timeline, id), date, view);
  const metric = (id: string) => catalogue.programme!.find((m) => m.id === id)!;
  const figure = (id: string, date: string, view: 'actual' | 'plan' = 'actual') => evaluateMetric(metric(id), on(metric(id).layer, date, view));

  it('declares the report’s date and the programme’s year; every programme layer has dates', () => {
    expect(catalogue.timeline).toMatchObject({ start: '2024-01-01', end: '2024-12-31', dataDate: REPORT_DATE });
    for (const entry of catalogue.layers.filter((l) => l.group === 'programme')) expect(entriesFor(catalogue.timeline, entry.id), entry.id).not.toEqual([]);
  });

  it('on the report’s date the layers are the files as they are, every feature and every value', () => {
    for (const entry of catalogue.layers) {
      const a = layers[entry.id]!.features;
      const b = onReportDate[entry.id]!.features;
      expect(b.length, entry.id).toBe(a.length);
      b.forEach((f, i) => expect(f.properties, `${entry.id} ${String(f.properties?.id)}`).toEqual(a[i]!.properties));
    }
  });

  it('dates come in order, events on or before the report’s date and plans after it, all within the programme’s year', () => {
    const { start, end } = catalogue.timeline!;
    const ordered = (id: string, ...fields: string[]): void => {
      for (const p of props(id)) {
        const ds = fields.map((f) => p[f]).filter((d): d is string => typeof d === 'string');
        expect([...ds].sort(), `${id} ${String(p.id)} ${fields.join(' ≤ ')}`).toEqual(ds);
      }
    };
    ordered('idle-plots', 'started_on', 'completed_on');
    ordered('idle-plots', 'started_on', 'due_on');
    for (const f of ['managed_on', 'remediation_started_on', 'fixed_on']) ordered('waterlogging', 'inspected_on', f);
    ordered('waterlogging', 'inspected_on', 'last_inspected');
    ordered('parks', 'upgrade_started_on', 'upgraded_on');
    ordered('parks', 'upgrade_started_on', 'upgrade_due_on');
    for (const l of catalogue.timeline!.layers) {
      for (const step of l.steps) {
        for (const p of props(l.layer)) {
          const d = p[step.on];
          if (d === undefined || d === null) continue;
          expect(typeof d, `${l.layer}.${step.on}`).toBe('string');
          if (typeof d !== 'string') continue;
          expect(d >= start && d <= end, `${l.layer}.${step.on} ${d}`).toBe(true);
          if (step.planned === undefined) expect(d <= REPORT_DATE, `${l.layer}.${step.on} ${d} is after the report`).toBe(true);
          else expect(d > REPORT_DATE, `${l.layer}.${step.on} ${d} is a plan before the report`).toBe(true);
        }
      }
    }
  });

  it('earlier dates show fewer: nothing before the programme, part of it at the end of March', () => {
    expect(figure('plots-finished', '2023-12-31')).toMatchObject({ value: 0, total: 0 });
    expect(on('waterlogging', '2023-12-31').features).toHaveLength(0);
    // Parks exist before their upgrades: all 64, none upgraded, none opened for sharing.
    expect(on('parks', '2023-12-31').features).toHaveLength(64);
    expect(figure('park-upgrades', '2023-12-31').value).toBe(0);
    expect(figure('shared-green', '2023-12-31').value).toBe(0);
    const march = figure('plots-finished', '2024-03-31');
    expect(march.value).toBeGreaterThan(0);
    expect(march.value).toBeLessThan(52);
    for (const id of ['waterlogging-inspected', 'waterlogging-fixed', 'berths-new', 'berths-rearranged', 'ebike-stations', 'sorting-demo']) {
      const v = figure(id, '2024-03-31').value;
      expect(v, id).toBeLessThan(metric(id).target!);
    }
  });

  it('cumulative figures never decrease month by month, in the facts up to the report and in the plan after it', () => {
    const { start, end } = catalogue.timeline!;
    const dates = chartDates(start, end, REPORT_DATE);
    expect(dates).toHaveLength(14);
    for (const m of catalogue.programme!.filter((x) => x.kind !== 'mean')) {
      let last = { value: -Infinity, total: -Infinity };
      for (const d of dates) {
        const v = figure(m.id, d, d <= REPORT_DATE ? 'actual' : 'plan');
        expect(v.value, `${m.id} on ${d}`).toBeGreaterThanOrEqual(last.value);
        if (m.kind === 'progress') expect(v.total!, `${m.id} total on ${d}`).toBeGreaterThanOrEqual(last.total);
        last = { value: v.value, total: v.total ?? 0 };
      }
    }
  });

  it('the second half’s plan: the remaining plots by the end of August, park upgrades, 15 more demonstration communities and 2 more AI-bin installs by the year’s end', () => {
    expect(figure('plots-finished', '2024-08-30', 'plan').value).toBe(57);
    expect(figure('plots-finished', '2024-08-31', 'plan')).toMatchObject({ value: 58, total: 58 });
    // The map shows what is due as planned, not as finished.
    const due = on('idle-plots', '2024-09-01').features.filter((f) => f.properties?.status === 'due');
    expect(due).toHaveLength(6);
    expect(figure('plots-finished', '2024-09-01').value).toBe(52);
    expect(figure('park-upgrades', '2024-12-31', 'plan')).toMatchObject({ value: 6, total: 6 });
    expect(figure('sorting-demo', '2024-12-31', 'plan').value).toBe(50);
    expect(figure('ai-bins', '2024-12-31', 'plan').value).toBe(30);
    const targets = Object.fromEntries(catalogue.timeline!.targets!.map((t) => [t.metric, [t.date, t.value]]));
    expect(targets).toEqual({ 'plots-finished': ['2024-08-31', 58], 'park-upgrades': ['2024-12-31', 6], 'sorting-demo': ['2024-12-31', 50], 'ai-bins': ['2024-12-31', 30] });
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
