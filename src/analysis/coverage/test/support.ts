/**
 * Test and benchmark support for coverage: the real demo layers from data/, seeded random
 * stations, deep freezing, and planar helpers for building fixtures with known answers.
 * Nothing in the app imports this file (it reads files with node:fs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { readFgb } from '../../../data/fgb/read-fgb.ts';
import { createRng } from '../../../../scripts/data/random.ts';

const LAYERS = join(import.meta.dirname, '../../../../data/layers');

/** A layer of data/layers/ as a FeatureCollection. */
export async function readLayer(name: string): Promise<FeatureCollection> {
  const features: Feature[] = [];
  for await (const f of readFgb(new Uint8Array(readFileSync(join(LAYERS, `${name}.fgb`))), { sourceName: `${name}.fgb` })) {
    features.push(f);
  }
  return { type: 'FeatureCollection', features };
}

/** The generator's seeded PRNG (mulberry32) as a bare function, so failures and bench rows reproduce. */
export const mulberry32 = (seed: number): (() => number) => createRng(seed).next;

/** Bounding box [minLon, minLat, maxLon, maxLat] of a collection's positions. */
export function extentOf(fc: FeatureCollection): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]);
      box[1] = Math.min(box[1], c[1] as number);
      box[2] = Math.max(box[2], c[0]);
      box[3] = Math.max(box[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of fc.features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return box;
}

/** `n` stations uniformly at random in `extent`, the same for the same seed. */
export function randomStations(n: number, extent: readonly [number, number, number, number], seed = 1000): FeatureCollection<Point> {
  const rand = mulberry32(seed);
  const features: Feature<Point>[] = [];
  for (let i = 0; i < n; i++) {
    const lon = extent[0] + rand() * (extent[2] - extent[0]);
    const lat = extent[1] + rand() * (extent[3] - extent[1]);
    features.push({ type: 'Feature', properties: { id: `S${i}` }, geometry: { type: 'Point', coordinates: [lon, lat] } });
  }
  return { type: 'FeatureCollection', features };
}

/** Freezes a value and everything in it, so a function that mutates its input throws. */
export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}
