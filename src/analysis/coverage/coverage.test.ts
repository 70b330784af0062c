import geographiclib from 'geographiclib-geodesic';
import type { Feature, FeatureCollection, Point, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { serviceCoverage } from './coverage.ts';
import type { CoverageOptions } from './coverage.ts';
import { at, coverageFixtures, expectFixture } from './test/fixtures.ts';
import { deepFreeze } from './test/support.ts';

const GRS80 = new geographiclib.Geodesic.Geodesic(6378137, 1 / 298.257222101);

const fc = <G extends Feature['geometry']>(features: Feature<G>[]): FeatureCollection<G> => ({ type: 'FeatureCollection', features });
const point = (lon: number, lat: number, properties: Record<string, unknown> = {}): Feature<Point> => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Point', coordinates: [lon, lat] },
});
/** A lon/lat box as a polygon (edges are short enough to be straight in any frame). */
const box = (w: number, s: number, e: number, n: number, properties: Record<string, unknown> = {}): Feature<Polygon> => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
});

describe('serviceCoverage fixtures', () => {
  for (const fixture of coverageFixtures()) {
    it(`${fixture.name}: ${fixture.description}`, () => {
      // Fixture inputs are deep-frozen: a mutation would throw.
      const result = serviceCoverage(fixture.targets, fixture.services, fixture.options);
      for (const [path, { value, tolerance }] of Object.entries(fixture.expect)) {
        const actual = at(result, path);
        expect(actual, path).toBeTypeOf('number');
        expect(Math.abs((actual as number) - value), `${path} = ${String(actual)}, expected ${value} ± ${tolerance}`).toBeLessThanOrEqual(tolerance);
      }
      expectFixture(fixture.name, result);
    });
  }
});

describe('serviceCoverage', () => {
  const target = box(122.19, 29.99, 122.21, 30.01, { id: 'T', district: 'xincheng' });

  it('measures the radius in ground metres (geodesic distance on the ellipsoid)', () => {
    // A 10 cm square centred on the ground circle's edge, due east and due north of the
    // station: half of it lies within 300 m. Ignoring the 1.00007 scale factor of the
    // projection would move the edge 2 cm and read about 0.3 or 0.7.
    const centre: Position = [122.2, 30];
    for (const azimuth of [90, 0]) {
      const { lat2, lon2 } = GRS80.Direct(centre[1]!, centre[0]!, azimuth, 300);
      const dLon = 0.05 / (111320 * Math.cos((30 * Math.PI) / 180));
      const dLat = 0.05 / 110850;
      const tiny = box(lon2! - dLon, lat2! - dLat, lon2! + dLon, lat2! + dLat);
      const r = serviceCoverage(fc([tiny]), fc([point(centre[0]!, centre[1]!)]), { radius: 300 });
      expect(r.total.share).toBeGreaterThan(0.45);
      expect(r.total.share).toBeLessThan(0.55);
    }
  });

  it('reports areas in m² on the ellipsoid', () => {
    const r = serviceCoverage(fc([target]), fc([]), { radius: 300 });
    const ring = target.geometry.coordinates[0]!;
    const poly = GRS80.Polygon(false);
    for (const p of ring.slice(0, -1)) poly.AddPoint(p[1]!, p[0]!);
    expect(r.total.area).toBeCloseTo(Math.abs(poly.Compute(false, true).area!), 3);
  });

  it('gives the same answer with a fixed step, and nearly the same with a coarse one', () => {
    const services = fc([point(122.2, 30), point(122.203, 30.002), point(122.195, 29.995)]);
    const adaptive = serviceCoverage(fc([target]), services, { radius: 250 });
    expect(serviceCoverage(fc([target]), services, { radius: 250, step: 0.5 }).total.share).toBeCloseTo(adaptive.total.share, 6);
    // Circle arcs are integrated exactly within a strip, so even 20 m strips are close.
    expect(serviceCoverage(fc([target]), services, { radius: 250, step: 20 }).total.share).toBeCloseTo(adaptive.total.share, 4);
  });

  it('names targets by property id, then feature id, then index, and groups by groupField', () => {
    const a = box(122.2, 30, 122.201, 30.001, { id: 'A', town: 'dinghai' });
    const b: Feature<Polygon> = { ...box(122.202, 30, 122.203, 30.001, { town: 'putuo' }), id: 7 };
    const c = box(122.204, 30, 122.205, 30.001, {});
    const r = serviceCoverage(fc([a, b, c]), fc([point(122.2005, 30.0005)]), { radius: 100, groupField: 'town' });
    expect(r.perTarget.map((t) => t.id)).toEqual(['A', '7', '2']);
    expect(Object.keys(r.byGroup).sort()).toEqual(['', 'dinghai', 'putuo']);
    expect(r.byGroup.dinghai!.share).toBeGreaterThan(0.5);
    expect(r.byGroup.putuo!.share).toBe(0);
  });

  it('reads zone ids from zoneIdField, every zone reported even without targets', () => {
    const zones = [box(122.18, 29.98, 122.2, 30.02, { code: 'west' }), box(122.2, 29.98, 122.22, 30.02, { code: 'east' }), box(123, 30, 123.01, 30.01, {})];
    const r = serviceCoverage(fc([target]), fc([point(122.2, 30)]), { radius: 300, zones, zoneIdField: 'code' });
    expect(Object.keys(r.byZone).sort()).toEqual(['2', 'east', 'west']);
    expect(r.byZone.west!.area + r.byZone.east!.area).toBeCloseTo(r.total.area, 2);
    // The zone edge is the meridian through the station: half the circle, to the few mm by
    // which a 4 km edge straight in the projection departs from the meridian.
    expect(Math.abs(r.byZone.west!.covered - r.total.covered / 2)).toBeLessThan(600 * 0.01);
    expect(r.byZone['2']).toEqual({ area: 0, covered: 0, share: 0, zoneArea: expect.any(Number) as unknown, zoneCovered: 0, zoneShare: 0 });
  });

  it('does not mutate its inputs (all deep-frozen) and gives the same result twice', () => {
    const targets = deepFreeze(fc([target, box(122.21, 30, 122.22, 30.01, { id: 'U' })]));
    const services = deepFreeze(
      fc<Feature['geometry']>([
        point(122.2, 30),
        { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[122.21, 30], [122.215, 30.005]] } },
        box(122.205, 30.005, 122.206, 30.006),
      ]),
    );
    const zones = deepFreeze([box(122.18, 29.98, 122.2, 30.02, { id: 'Z' })]);
    const options: CoverageOptions = deepFreeze({ radius: 200, zones });
    const before = JSON.stringify([targets, services, zones]);
    const first = serviceCoverage(targets, services, options);
    expect(serviceCoverage(targets, services, options)).toEqual(first);
    expect(JSON.stringify([targets, services, zones])).toBe(before);
  });

  it('calls a per-feature radius once per service feature with the feature itself', () => {
    const services = fc([point(122.2, 30, { r: 100 }), point(122.201, 30, { r: null })]);
    const seen: Feature[] = [];
    const r = serviceCoverage(fc([target]), services, {
      radius: (f) => {
        seen.push(f);
        return f.properties?.r as number | null;
      },
    });
    expect(seen).toEqual(services.features);
    expect(seen[0]).toBe(services.features[0]);
    expect(r.services).toBe(1);
  });

  it('skips services without geometry', () => {
    const services = fc<Point>([{ type: 'Feature', properties: {}, geometry: null as unknown as Point }, point(122.2, 30)]);
    expect(serviceCoverage(fc([target]), services, { radius: 100 }).services).toBe(1);
  });

  describe('abort', () => {
    it('throws the signal reason when aborted before it starts', () => {
      const controller = new AbortController();
      const reason = new Error('stop');
      controller.abort(reason);
      expect(() => serviceCoverage(fc([target]), fc([point(122.2, 30)]), { radius: 100, signal: controller.signal })).toThrow(reason);
    });

    it('stops between targets when aborted while running', () => {
      const controller = new AbortController();
      const targets = fc(Array.from({ length: 50 }, (_, i) => box(122.2 + i * 0.002, 30, 122.201 + i * 0.002, 30.001)));
      // The radius function runs while services are prepared, before any target is scanned.
      const radius = (): number => {
        controller.abort();
        return 100;
      };
      let error: unknown;
      try {
        serviceCoverage(targets, fc([point(122.2, 30)]), { radius, signal: controller.signal });
      } catch (e) {
        error = e;
      }
      expect((error as Error).name).toBe('AbortError');
    });
  });

  describe('argument errors', () => {
    const services = fc([point(122.2, 30)]);
    const cases: [string, () => unknown, RegExp][] = [
      ['no options', () => serviceCoverage(fc([target]), services, undefined as unknown as CoverageOptions), /^radius is required$/],
      ['no radius', () => serviceCoverage(fc([target]), services, {} as CoverageOptions), /^radius is required$/],
      ['negative radius', () => serviceCoverage(fc([target]), services, { radius: -1 }), /radius must not be negative/],
      ['NaN radius', () => serviceCoverage(fc([target]), services, { radius: NaN }), /radius must be a finite number/],
      ['infinite radius', () => serviceCoverage(fc([target]), services, { radius: Infinity }), /radius must be a finite number/],
      ['string radius', () => serviceCoverage(fc([target]), services, { radius: '300' as unknown as number }), /radius must be a number of metres or a function/],
      ['radius function returning NaN', () => serviceCoverage(fc([target]), services, { radius: () => NaN }), /radius of service feature 0 must be a finite number/],
      ['targets not a collection', () => serviceCoverage(target as unknown as FeatureCollection, services, { radius: 1 }), /^targets must be a FeatureCollection of polygons$/],
      ['point target', () => serviceCoverage(fc([point(122.2, 30)]), services, { radius: 1 }), /targets must be a FeatureCollection of polygons \(feature 0 is a Point\)/],
      ['services not a collection', () => serviceCoverage(fc([target]), [] as unknown as FeatureCollection, { radius: 1 }), /services must be a FeatureCollection/],
      ['zones not an array', () => serviceCoverage(fc([target]), services, { radius: 1, zones: fc([target]) as unknown as Feature<Polygon>[] }), /zones must be an array/],
      ['point zone', () => serviceCoverage(fc([target]), services, { radius: 1, zones: [point(122.2, 30)] as unknown as Feature<Polygon>[] }), /zone 0 is a Point/],
      ['zero step', () => serviceCoverage(fc([target]), services, { radius: 1, step: 0 }), /step must be a positive, finite number/],
      ['infinite step', () => serviceCoverage(fc([target]), services, { radius: 1, step: Infinity }), /step must be a positive, finite number/],
      ['NaN step', () => serviceCoverage(fc([target]), services, { radius: 1, step: NaN }), /step must be a positive, finite number/],
      ['empty groupField', () => serviceCoverage(fc([target]), services, { radius: 1, groupField: '' }), /groupField must be a non-empty string/],
      ['bad signal', () => serviceCoverage(fc([target]), services, { radius: 1, signal: {} as AbortSignal }), /signal must be an AbortSignal/],
      ['unprojectable target', () => serviceCoverage(fc([box(Number.NaN, 30, 122.2, 30.1)]), services, { radius: 1 }), /target 0 has a position that cannot be projected/],
    ];
    for (const [name, call, message] of cases) it(name, () => expect(call).toThrow(message));
  });
});
