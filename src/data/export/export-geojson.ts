/**
 * GeoJSON export following RFC 7946: WGS84 lon/lat only, no `crs` member, polygon rings
 * by the right-hand rule (exterior counter-clockwise, holes clockwise), coordinates rounded
 * to 7 decimals (≈ 1 cm, what §11.2 suggests as ample), UTF-8 bytes.
 */
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { mapCoordinates } from '../../crs/map-coordinates.ts';

export interface GeojsonExportOptions {
  /** Must be EPSG:4326 (the default): RFC 7946 allows no other CRS. */
  crs?: string;
}

const DECIMALS = 1e7;

/** `fc` (WGS84 lon/lat) as RFC 7946 GeoJSON bytes; `fc` is not changed. */
export function exportGeojson(fc: FeatureCollection, options: GeojsonExportOptions = {}): Uint8Array {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error('features must be a GeoJSON FeatureCollection');
  }
  const crs = (options.crs ?? 'EPSG:4326').trim().toUpperCase();
  if (crs !== 'EPSG:4326') {
    throw new Error(`GeoJSON (RFC 7946) is always WGS84 longitude/latitude (EPSG:4326), not ${options.crs}`);
  }
  // Drop `crs` (forbidden since RFC 7946) and `bbox` (would need recomputing after rounding).
  const { crs: _crs, bbox: _bbox, ...rest } = fc as FeatureCollection & { crs?: unknown };
  const out = {
    ...rest,
    type: 'FeatureCollection',
    features: fc.features.map((f): Feature => {
      const { bbox: _fb, ...frest } = f;
      return { ...frest, geometry: f.geometry ? rfc7946Geometry(f.geometry) : f.geometry };
    }),
  };
  return new TextEncoder().encode(JSON.stringify(out));
}

const round = (v: number): number => Math.round(v * DECIMALS) / DECIMALS;
const roundPosition = (p: Position): Position => p.map(round);

/** Rounded and rewound; a new geometry. */
export function rfc7946Geometry(g: Geometry): Geometry {
  const r = mapCoordinates(g, roundPosition);
  return rewind(r);
}

function rewind(g: Geometry): Geometry {
  switch (g.type) {
    case 'Polygon':
      return { type: 'Polygon', coordinates: rewindPolygon(g.coordinates) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: g.coordinates.map(rewindPolygon) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: g.geometries.map(rewind) };
    default:
      return g;
  }
}

function rewindPolygon(rings: Position[][]): Position[][] {
  return rings.map((ring, i) => {
    const ccw = ringArea(ring) > 0;
    // Exterior counter-clockwise, holes clockwise (RFC 7946 §3.1.6).
    return ccw === (i === 0) ? ring : ring.slice().reverse();
  });
}

/** Twice the signed area (shoelace); positive when counter-clockwise in lon/lat. */
export function ringArea(ring: readonly Position[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    s += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  return s;
}
