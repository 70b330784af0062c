/**
 * Pure reprojection between the CRSs in `definitions.ts`. proj4 is passed in rather than
 * imported as a registry singleton, so callers own its (global) definition table.
 */
import proj4 from 'proj4';
import { findCrs } from './definitions.ts';
import type { Position } from 'geojson';

export type Projector = (p: Position) => Position;

/** A function mapping a position from one known CRS to another. Throws on an unknown code. */
export function projector(from: string, to: string): Projector {
  const a = findCrs(from);
  const b = findCrs(to);
  if (!a) throw new Error(`unknown coordinate system ${from}`);
  if (!b) throw new Error(`unknown coordinate system ${to}`);
  if (a.code === b.code) return (p) => p.slice();
  const conv = proj4(a.proj4, b.proj4);
  return (p) => {
    const [x, y] = conv.forward([p[0]!, p[1]!]);
    return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
  };
}
