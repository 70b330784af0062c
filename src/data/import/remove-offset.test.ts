/** GCJ-02 and BD-09 removed by iterating on the exact forward transform, as the export does. */
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { offsetInverse } from './remove-offset.ts';

/** Points over Zhoushan and the rest of Zhejiang. */
const PLACES: [number, number][] = [
  [122.203, 29.988],
  [122.295, 29.945],
  [121.5, 30.7],
  [120.15, 30.28],
  [122.9, 30.8],
];

describe('defect 10: the offsets are inverted exactly', () => {
  it.each([
    ['gcj02', gcoord.GCJ02],
    ['bd09', gcoord.BD09],
  ] as const)('%s: back to the WGS84 point it came from, within 1e-9° (0.1 mm)', async (offset, system) => {
    const inverse = await offsetInverse(offset);
    let oneStep = 0;
    for (const wgs of PLACES) {
      const shifted = gcoord.transform<[number, number]>([...wgs], gcoord.WGS84, system);
      const [lon, lat] = inverse(shifted);
      expect(Math.abs(lon! - wgs[0])).toBeLessThan(1e-9);
      expect(Math.abs(lat! - wgs[1])).toBeLessThan(1e-9);
      // gcoord's one-step inverse, for scale: off by millimetres to decimetres, depending on the place.
      const [x, y] = gcoord.transform<[number, number]>([...shifted], system, gcoord.WGS84);
      oneStep = Math.max(oneStep, Math.abs(x - wgs[0]), Math.abs(y - wgs[1]));
    }
    expect(oneStep).toBeGreaterThan(3e-8);
  });

  it('keeps a third ordinate', async () => {
    const inverse = await offsetInverse('gcj02');
    expect(inverse([122.2, 29.98, 12])[2]).toBe(12);
  });
});
