/**
 * Loads a whole FlatGeobuf layer over HTTP as a stream: features are decoded as the
 * bytes arrive and progress is reported against the count in the file's header.
 * Files in a CRS the project knows (e.g. CGCS2000 Gauss–Krüger) are reprojected to
 * longitude/latitude; anything else fails with a message naming the file and the problem.
 */
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { Feature, FeatureCollection } from 'geojson';
import { findCrs } from '../crs/definitions.ts';
import { mapCoordinates } from '../crs/map-coordinates.ts';
import { projector } from '../crs/project.ts';
import { geometryProblem } from './check-geometry.ts';
import { CrsError, FormatError, LoadError, isAbortError } from './errors.ts';

export interface LoadFgbOptions {
  signal?: AbortSignal;
  /** Called as features arrive (throttled to every `progressEvery` features). */
  onProgress?: (loaded: number, total: number | null) => void;
  progressEvery?: number;
  /** Name used in messages; defaults to the URL's last path segment. */
  sourceName?: string;
  fetch?: typeof fetch;
}

export interface LoadedLayer {
  data: FeatureCollection;
  /** Features dropped because their geometry could not be drawn. */
  skipped: number;
  firstProblem: string | null;
  /** The CRS the file declared, e.g. "EPSG:4326". */
  crs: string;
  header: HeaderMeta;
}

const GEOGRAPHIC = new Set([4326, 4490, 4258, 4019]);

function crsOf(header: HeaderMeta, name: string): { code: string; reproject: ((f: Feature) => Feature) | null } {
  const c = header.crs;
  // A file without CRS is taken as longitude/latitude, as GeoJSON is; the coordinate
  // range check below catches projected data that was saved without one.
  if (!c || (c.code === 0 && !c.wkt && !c.code_string)) return { code: 'EPSG:4326', reproject: null };
  const org = (c.org ?? 'EPSG').toUpperCase();
  if (org === 'EPSG' && GEOGRAPHIC.has(c.code)) return { code: `EPSG:${c.code}`, reproject: null };
  const code = `${org}:${c.code}`;
  if (org === 'EPSG' && findCrs(code)) {
    const p = projector(code, 'EPSG:4326');
    return { code, reproject: (f) => ({ ...f, geometry: f.geometry && mapCoordinates(f.geometry, p) }) };
  }
  throw new CrsError(`${name} uses coordinate system ${c.code_string || code}${c.name ? ` (${c.name})` : ''}, which the map does not know; save it as EPSG:4326 or CGCS2000 (EPSG:4490/4549/4550)`, name);
}

export async function loadFgbLayer(url: string, options: LoadFgbOptions = {}): Promise<LoadedLayer> {
  const name = options.sourceName ?? decodeURIComponent(url.split('/').pop() ?? url);
  const every = options.progressEvery ?? 250;
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, { signal: options.signal });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new LoadError(`${name} could not be downloaded: ${(err as Error).message}`, name, { cause: err });
  }
  if (!response.ok) {
    throw new LoadError(`${name} could not be loaded (HTTP ${response.status}${response.status === 404 ? ': file not found' : ''})`, name);
  }
  if (!response.body) throw new LoadError(`${name}: the server sent no data`, name);

  let header: HeaderMeta | null = null;
  let crs: ReturnType<typeof crsOf> | null = null;
  const features: Feature[] = [];
  let skipped = 0;
  let firstProblem: string | null = null;
  try {
    const stream = deserialize(response.body, {
      headerMetaFn: (h) => {
        header = h;
      },
    }) as AsyncGenerator<Feature>;
    for await (const raw of stream) {
      options.signal?.throwIfAborted();
      crs ??= crsOf(header!, name);
      const f = crs.reproject ? crs.reproject(raw) : raw;
      const problem = geometryProblem(f.geometry);
      if (problem) {
        skipped++;
        firstProblem ??= `feature ${features.length + skipped}: ${problem}`;
      } else {
        features.push({ ...f, properties: f.properties ?? {} });
      }
      if ((features.length + skipped) % every === 0) options.onProgress?.(features.length + skipped, header!.featuresCount || null);
    }
  } catch (err) {
    if (isAbortError(err) || err instanceof LoadError) throw err;
    const msg = (err as Error)?.message ?? String(err);
    if (/Not a FlatGeobuf/i.test(msg)) throw new FormatError(`${name} is not a FlatGeobuf file (wrong magic bytes)`, name, { cause: err });
    throw new FormatError(`${name} is damaged or truncated (${msg})`, name, { cause: err });
  }
  const h = header as HeaderMeta | null;
  if (!h) throw new FormatError(`${name} is empty or truncated before its header`, name);
  crs ??= crsOf(h, name);
  const read = features.length + skipped;
  if (h.featuresCount > 0 && read !== h.featuresCount) {
    throw new FormatError(`${name} is truncated: its header announces ${h.featuresCount} features but only ${read} could be read`, name);
  }
  options.onProgress?.(read, h.featuresCount || read);
  return { data: { type: 'FeatureCollection', features }, skipped, firstProblem, crs: crs.code, header: h };
}
