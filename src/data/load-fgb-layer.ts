/**
 * Loads a whole FlatGeobuf layer over HTTP: the body is streamed with byte progress, then
 * decoded and checked by `read-fgb.ts` (magic bytes, truncation, header sanity), so a
 * cut-off download is an error rather than a silently shorter layer. Files in a CRS the
 * project knows (CGCS2000 Gauss–Krüger, say) are reprojected to longitude/latitude;
 * anything else fails with a message naming the file and the problem. Features whose
 * geometry cannot be drawn are skipped and counted.
 */
import type { Feature, FeatureCollection } from 'geojson';
import { findCrs } from '../crs/definitions.ts';
import { mapCoordinates } from '../crs/map-coordinates.ts';
import { loadProjector, type Projector } from '../crs/load-projector.ts';
import { geometryProblem } from '../geo/check-geometry.ts';
import { CrsError, LoadError, isAbortError } from './errors.ts';
import { readFgb, readFgbHeader, type FgbHeader } from './fgb/read-fgb.ts';

export interface LoadFgbOptions {
  signal?: AbortSignal;
  /** Download progress, 0–1 (null while the size is unknown). */
  onProgress?: (fraction: number | null) => void;
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
  header: FgbHeader;
  bytes: number;
}

const GEOGRAPHIC = new Set([4326, 4490, 4258, 4019]);

/** What `crsOf` finds: the CRS code to report, and the projection to lon/lat when the file needs one. */
export interface FileCrs {
  code: string;
  toLonLat: ((f: Feature) => Feature) | null;
  /** Lon/lat to the file's CRS (null for a file in degrees), for querying it by a view. */
  fromLonLat: Projector | null;
  /** The file's CRS to lon/lat, position by position. */
  toLonLatPosition: Projector | null;
}

/** The CRS code to report, and a reprojection to lon/lat when the file needs one (proj4 is then loaded). */
export async function crsOf(header: FgbHeader, name: string): Promise<FileCrs> {
  const c = header.crs;
  // A file without a CRS is taken as longitude/latitude, as GeoJSON is; the coordinate
  // range check catches projected data saved without one.
  const none = { toLonLat: null, fromLonLat: null, toLonLatPosition: null };
  if (!c || (c.code === 0 && !c.wkt)) return { code: 'EPSG:4326', ...none };
  const org = (c.org ?? 'EPSG').toUpperCase();
  const code = `${org}:${c.code}`;
  if (org === 'EPSG' && GEOGRAPHIC.has(c.code)) return { code, ...none };
  if (org === 'EPSG' && findCrs(code)) {
    const [p, back] = await Promise.all([loadProjector(code, 'EPSG:4326'), loadProjector('EPSG:4326', code)]);
    return { code, toLonLat: (f) => ({ ...f, geometry: f.geometry && mapCoordinates(f.geometry, p) }), fromLonLat: back, toLonLatPosition: p };
  }
  throw new CrsError(
    `${name} uses coordinate system ${code}, which the map does not know; save it as EPSG:4326, EPSG:4490 or CGCS2000 Gauss–Krüger (EPSG:4549/4550)`,
    name,
  );
}

async function download(url: string, name: string, options: LoadFgbOptions): Promise<Uint8Array> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
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
  const size = Number(response.headers.get('content-length')) || null;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    options.onProgress?.(size ? Math.min(1, received / size) : null);
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

export async function loadFgbLayer(url: string, options: LoadFgbOptions = {}): Promise<LoadedLayer> {
  const name = options.sourceName ?? decodeURIComponent(new URL(url, 'http://x/').pathname.split('/').pop() || url);
  const bytes = await download(url, name, options);
  options.signal?.throwIfAborted();
  const header = readFgbHeader(bytes, { sourceName: name });
  const crs = await crsOf(header, name);
  const features: Feature[] = [];
  let skipped = 0;
  let firstProblem: string | null = null;
  for await (const raw of readFgb(bytes, { sourceName: name, signal: options.signal })) {
    const f = crs.toLonLat ? crs.toLonLat(raw) : raw;
    const problem = geometryProblem(f.geometry);
    if (problem) {
      skipped++;
      firstProblem ??= `feature ${features.length + skipped}: ${problem}`;
      continue;
    }
    // flatgeobuf numbers features by position; the catalogue's id field is the identity.
    features.push({ type: 'Feature', properties: f.properties ?? {}, geometry: f.geometry });
  }
  return { data: { type: 'FeatureCollection', features }, skipped, firstProblem, crs: crs.code, header, bytes: bytes.length };
}
