import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createLocalFrame } from '../coverage/local-frame.ts';
import { deepFreeze } from '../coverage/test/support.ts';
import { filterCandidates, roadCandidates } from './candidates.ts';

const frame = createLocalFrame();
const E = 423000;
const N = 3319000;
const ll = (x: number, y: number): number[] => frame.inverse(E + x, N + y);
const xy = (f: Feature): [number, number] => {
  const [lon, lat] = (f.geometry as Point).coordinates;
  const [x, y] = frame.forward(lon!, lat!);
  return [x - E, y - N];
};

describe('roadCandidates', () => {
  const road: FeatureCollection<LineString> = deepFreeze({
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { name: '海天大道' }, geometry: { type: 'LineString', coordinates: [ll(0, 0), ll(260, 0), ll(260, 120)] } }],
  });

  it('puts a pair of points every spacing along the road, from half a spacing in, the offset to either side', () => {
    const c = roadCandidates(road, { spacing: 100, offset: 12 }, frame);
    // 380 m of road: at 50, 150, 250 and 350 m along (90 m up the second leg).
    expect(c).toHaveLength(8);
    const at = c.map(xy).map(([x, y]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100]);
    expect(at.slice(0, 4)).toEqual([[50, 12], [50, -12], [150, 12], [150, -12]]);
    // Along the second leg (northwards) the left side is west.
    expect(at.slice(6)).toEqual([[248, 90], [272, 90]]);
    expect(c[0]!.properties).toEqual({ id: 'R1', road: '海天大道', side: 'left' });
  });

  it('puts one point on the centreline with no offset, and refuses nonsense', () => {
    expect(roadCandidates(road, { spacing: 100, offset: 0 }, frame)).toHaveLength(4);
    expect(() => roadCandidates(road, { spacing: 0, offset: 0 }, frame)).toThrow('spacing must be a positive number');
    expect(() => roadCandidates(road, { spacing: 10, offset: -1 }, frame)).toThrow('offset must be a number');
  });
});

describe('filterCandidates', () => {
  const pt = (x: number, y: number, id: string): Feature => ({ type: 'Feature', properties: { id }, geometry: { type: 'Point', coordinates: ll(x, y) } });
  const land: FeatureCollection = deepFreeze({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[ll(0, 0), ll(1000, 0), ll(1000, 1000), ll(0, 1000), ll(0, 0)]] } }] });
  const candidates = deepFreeze([pt(100, 100, 'a'), pt(-10, 500, 'sea'), pt(500, 500, 'near'), pt(800, 800, 'b')]);
  const existing = deepFreeze([pt(540, 500, 'e')]);

  it('leaves out candidates off the land and those within the distance of a site there', () => {
    const r = filterCandidates(candidates, { land, sites: existing, minDistance: 50 }, frame);
    expect(r.kept.map((f) => String(f.properties?.id))).toEqual(['a', 'b']);
    expect(r.offLand).toBe(1);
    expect(r.nearExisting).toBe(1);
  });

  it('keeps everything with no land and no distance', () => {
    expect(filterCandidates(candidates, { land: null, sites: existing, minDistance: 0 }, frame).kept).toHaveLength(4);
    // 40 m away is not within 30 m.
    expect(filterCandidates(candidates, { land: null, sites: existing, minDistance: 30 }, frame).kept).toHaveLength(4);
  });
});
