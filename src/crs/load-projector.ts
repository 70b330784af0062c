/**
 * `projector` with proj4 loaded on first use: proj4 (with its WKT and MGRS parsers) is
 * about a sixth of the app's start-up code and only files in a projected CRS need it.
 */
import type { Projector } from './project.ts';

export type { Projector } from './project.ts';

export async function loadProjector(from: string, to: string): Promise<Projector> {
  const { projector } = await import('./project.ts');
  return projector(from, to);
}
