/**
 * Converts GCJ-02 (Amap/Gaode, Tencent) or BD-09 (Baidu) longitude/latitude to WGS84 with
 * npm `gcoord`, position by position so the input geometry is never mutated.
 */
import type { Geometry } from 'geojson';
import { mapCoordinates } from '../../crs/map-coordinates.ts';

export type MapOffset = 'gcj02' | 'bd09';

export async function removeOffsetFn(offset: MapOffset): Promise<(g: Geometry) => Geometry> {
  const { default: gcoord } = await import('gcoord');
  const from = offset === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
  return (g) =>
    mapCoordinates(g, (p) => {
      const [x, y] = gcoord.transform<[number, number]>([p[0]!, p[1]!], from, gcoord.WGS84);
      return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
    });
}
