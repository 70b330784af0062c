/**
 * Converts GCJ-02 (Amap/Gaode, Tencent) or BD-09 (Baidu) longitude/latitude to WGS84 with
 * npm `gcoord`, position by position so the input geometry is never mutated.
 *
 * gcoord's inverses are one-step approximations (up to about 0.1 m off over Zhoushan); the
 * forward transforms are exact. So, as the export does for GCJ-02, the approximation is
 * refined by fixed-point iteration on the forward transform until it reproduces the input to
 * about 1e-10° (0.01 mm); the offsets vary slowly, so two or three steps suffice.
 */
import type { Geometry, Position } from 'geojson';
import { mapCoordinates } from '../../crs/map-coordinates.ts';

export type MapOffset = 'gcj02' | 'bd09';

/** The position transform from `offset` to WGS84. */
export async function offsetInverse(offset: MapOffset): Promise<(p: Position) => Position> {
  const { default: gcoord } = await import('gcoord');
  type System = Parameters<typeof gcoord.transform>[1];
  const system: System = offset === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
  const step = (x: number, y: number, from: System, to: System): [number, number] =>
    gcoord.transform<[number, number]>([x, y], from, to);
  return (p) => {
    const [gx, gy] = [p[0]!, p[1]!];
    let [x, y] = step(gx, gy, system, gcoord.WGS84);
    for (let i = 0; i < 10; i++) {
      const [fx, fy] = step(x, y, gcoord.WGS84, system);
      const dx = gx - fx;
      const dy = gy - fy;
      x += dx;
      y += dy;
      if (Math.abs(dx) < 1e-10 && Math.abs(dy) < 1e-10) break;
    }
    return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
  };
}

export async function removeOffsetFn(offset: MapOffset): Promise<(g: Geometry) => Geometry> {
  const inverse = await offsetInverse(offset);
  return (g) => mapCoordinates(g, inverse);
}
