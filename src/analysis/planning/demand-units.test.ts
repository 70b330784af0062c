import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createLocalFrame } from '../coverage/local-frame.ts';
import { deepFreeze } from '../coverage/test/support.ts';
import { geodesicArea } from '../geodesic.ts';
import { buildDemandUnits } from './demand-units.ts';
import { planarSite } from './planar-site.ts';
import { unitsWithin } from './reach.ts';

const frame = createLocalFrame();
const E = 423000;
const N = 3319000;
/** A ring of planar offsets (m) as lon/lat. */
const ring = (pts: [number, number][]): number[][] => [...pts, pts[0]!].map(([x, y]) => frame.inverse(E + x, N + y));
const poly = (rings: [number, number][][], properties = {}): Feature<Polygon> => ({ type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: rings.map(ring) } });
const fc = (features: Feature[]): FeatureCollection => deepFreeze({ type: 'FeatureCollection', features });

describe('buildDemandUnits', () => {
  it('cuts a polygon into grid pieces whose weights add up to its ellipsoidal area', () => {
    // A triangle and an L-shape, off the grid, with a hole in the L.
    const tri = poly([[[3, 7], [163, 21], [40, 133]]]);
    const ell = poly([[[200, 0], [330, 0], [330, 40], [250, 40], [250, 150], [200, 150]], [[210, 10], [240, 10], [240, 30], [210, 30]]]);
    const units = buildDemandUnits(fc([tri, ell]), frame, { cell: 25 });
    const sum = (t: number): number => units.weight.reduce((s, w, i) => s + (units.target[i] === t ? w : 0), 0);
    // To 1e-8 of the area: the pieces are summed, the whole is one shoelace.
    expect(sum(0)).toBeCloseTo(geodesicArea(tri.geometry), 3);
    expect(sum(1)).toBeCloseTo(geodesicArea(ell.geometry), 3);
    expect(units.total).toBeCloseTo(geodesicArea(tri.geometry) + geodesicArea(ell.geometry), 3);
    // No piece is bigger than a cell (a few parts in 10⁴ for the scale factor).
    expect(Math.max(...units.weight)).toBeLessThan(625 * 1.001);
  });

  it('puts each unit at the centroid of its piece, inside its own cell, sorted by row then x', () => {
    const units = buildDemandUnits(fc([poly([[[0, 0], [100, 0], [100, 50], [0, 50]]])]), frame, { cell: 25 });
    // A 100 × 50 m box aligned to the grid: eight whole cells, centroids at their centres.
    expect(units.count).toBe(8);
    const xs = Array.from(units.x, (x) => Math.round((x - E) * 1000) / 1000);
    const ys = Array.from(units.y, (y) => Math.round((y - N) * 1000) / 1000);
    expect(ys).toEqual([12.5, 12.5, 12.5, 12.5, 37.5, 37.5, 37.5, 37.5]);
    expect(xs).toEqual([12.5, 37.5, 62.5, 87.5, 12.5, 37.5, 62.5, 87.5]);
    expect(Array.from(units.rowStart)).toEqual([0, 4, 8]);
  });

  it('does not depend on the winding of rings', () => {
    const cw = poly([[[0, 0], [0, 80], [90, 80], [90, 0]]]);
    const ccw = poly([[[0, 0], [90, 0], [90, 80], [0, 80]]]);
    const a = buildDemandUnits(fc([cw]), frame, { cell: 20 });
    const b = buildDemandUnits(fc([ccw]), frame, { cell: 20 });
    expect(a.total).toBeCloseTo(b.total, 6);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
  });

  it('skips what is not a polygon and refuses a bad cell size', () => {
    const point: Feature = { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [122.2, 30] } };
    expect(buildDemandUnits(fc([point]), frame).count).toBe(0);
    expect(() => buildDemandUnits(fc([]), frame, { cell: 0 })).toThrow('cell must be a positive number');
  });
});

describe('unitsWithin', () => {
  it('finds exactly the units whose centroid is within the radius of a point or a polygon', () => {
    const units = buildDemandUnits(fc([poly([[[-300, -300], [300, -300], [300, 300], [-300, 300]]])]), frame, { cell: 20 });
    const brute = (d2: (x: number, y: number) => number, r: number): number[] => {
      const out: number[] = [];
      for (let u = 0; u < units.count; u++) if (d2(units.x[u]!, units.y[u]!) <= r * r) out.push(u);
      return out;
    };
    const site = (g: Feature['geometry'] | null) => planarSite(g, frame, 'test');
    const pt = site({ type: 'Point', coordinates: frame.inverse(E + 17, N - 33) });
    expect(Array.from(unitsWithin(units, pt, 150))).toEqual(brute((x, y) => (x - E - 17) ** 2 + (y - N + 33) ** 2, 150));
    const square = poly([[[-50, -50], [50, -50], [50, 50], [-50, 50]]]).geometry;
    const inSquare = site(square);
    // Distance to a square: 0 inside, else to its nearest edge or corner.
    const dSquare = (x: number, y: number): number => Math.max(0, Math.abs(x - E) - 50) ** 2 + Math.max(0, Math.abs(y - N) - 50) ** 2;
    // 95 m: not a multiple of the 20 m grid, so no centroid sits on the edge of the reach.
    expect(Array.from(unitsWithin(units, inSquare, 95))).toEqual(brute(dSquare, 95));
    expect(unitsWithin(units, site(null), 100)).toHaveLength(0);
  });
});
