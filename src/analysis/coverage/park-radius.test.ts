import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARK_RADIUS_RULES, parkRadiusFn, parkServiceRadius } from './park-radius.ts';

describe('parkServiceRadius', () => {
  it('applies the garden-city thresholds: 500 m from 5,000 m², 300 m from 2,000 m², none below', () => {
    expect(parkServiceRadius(120000)).toBe(500);
    expect(parkServiceRadius(5000)).toBe(500);
    expect(parkServiceRadius(4999.9)).toBe(300);
    expect(parkServiceRadius(2000)).toBe(300);
    expect(parkServiceRadius(1999.9)).toBeNull();
    expect(parkServiceRadius(0)).toBeNull();
  });

  it('takes rules in any order and as a setting (a historic district counting 1,000 m² parks)', () => {
    const historic = [{ minArea: 1000, radius: 300 }, ...DEFAULT_PARK_RADIUS_RULES];
    expect(parkServiceRadius(1500, historic)).toBe(300);
    expect(parkServiceRadius(6000, historic)).toBe(500);
    expect(parkServiceRadius(6000, [])).toBeNull();
  });

  it('keeps its defaults frozen', () => {
    expect(Object.isFrozen(DEFAULT_PARK_RADIUS_RULES)).toBe(true);
    expect(Object.isFrozen(DEFAULT_PARK_RADIUS_RULES[0])).toBe(true);
  });

  it('fails plainly on bad input', () => {
    expect(() => parkServiceRadius(-1)).toThrow(/area must be a finite number/);
    expect(() => parkServiceRadius(NaN)).toThrow(/area must be a finite number/);
    expect(() => parkServiceRadius(100, [{ minArea: -1, radius: 300 }])).toThrow(/rule 0: minArea/);
    expect(() => parkServiceRadius(100, [{ minArea: 1, radius: NaN }])).toThrow(/rule 0: radius/);
    expect(() => parkRadiusFn('x' as never)).toThrow(/rules must be an array/);
  });
});

describe('parkRadiusFn', () => {
  /** A square of about `side` m at Zhoushan. */
  const square = (side: number): Feature<Polygon> => {
    const dLon = side / (111320 * Math.cos((30 * Math.PI) / 180));
    const dLat = side / 110850;
    const [w, s] = [122.2, 30];
    return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[w, s], [w + dLon, s], [w + dLon, s + dLat], [w, s + dLat], [w, s]]] } };
  };

  it('gives each park the radius of its ellipsoidal area', () => {
    const radius = parkRadiusFn();
    expect(radius(square(80))).toBe(500); // ~6,400 m²
    expect(radius(square(60))).toBe(300); // ~3,600 m²
    expect(radius(square(40))).toBeNull(); // ~1,600 m²
  });

  it('copies the rules, so later edits to the settings do not change it', () => {
    const rules = [{ minArea: 1000, radius: 200 }];
    const radius = parkRadiusFn(rules);
    rules[0]!.radius = 900;
    expect(radius(square(40))).toBe(200);
  });
});
