/**
 * DXF export for CAD, in metres (the Gauss–Krüger zones), written with @tarikjabiri/dxf:
 * - one CAD layer per stage of the layer's status (`idle-plots_finished`,
 *   `idle-plots_in_progress`, …), coloured like the map (nearest AutoCAD colour index), so
 *   a draughtsman can switch stages on and off; a layer without a status field is one CAD
 *   layer; the names go on a `…_label` layer of their own;
 * - lines as open LWPOLYLINEs, polygon rings as closed ones, points as POINTs drawn as a
 *   circle with a cross ($PDMODE 34, 2 m);
 * - the feature's name as TEXT (3 m high) at the point, the line's middle vertex or the
 *   polygon's centroid, in a text style with AutoCAD's Chinese big font (gbcbig.shx).
 *
 * The file is DXF R2000 (AC1015) with `$DWGCODEPAGE` ANSI_936, its text in GBK: AutoCAD,
 * ZWCAD and GstarCAD read that as Chinese, and so do GDAL and QGIS, which decode by the
 * code page alone (an R2007 file is UTF-8 to AutoCAD but not to GDAL). Characters GBK lacks
 * are written as `\U+nnnn`, which CAD programs decode.
 */
import { DxfWriter, LWPolylineFlags, Units, point3d } from '@tarikjabiri/dxf';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { findExportCrs, toExportCrs } from './crs-transform.ts';
import { ringArea } from './export-geojson.ts';
import type { ExportLang, ExportLayerInfo } from './export-schema.ts';
import { encodeGbk } from './gbk.ts';
import { ownValue } from '../../geo/own-value.ts';

export interface DxfExportOptions {
  /** A projected export CRS (metres). Default EPSG:4550. */
  crs?: string;
  /** Layer id, the stem of the CAD layer names. Default "layer". */
  layerName?: string;
  /** The catalogue's entry: status field, stages and colours. */
  layer?: ExportLayerInfo;
  /** Language of the labels (name or name_en). Default zh. */
  lang?: ExportLang;
}

const TEXT_HEIGHT = 3;
const POINT_SIZE = 2;
const LABEL_COLOR = 7; // white on dark, black on light

/** `fc` (WGS84 lon/lat) as DXF bytes in `options.crs`; `fc` is not changed. */
export function exportDxf(fc: FeatureCollection, options: DxfExportOptions = {}): Uint8Array {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new Error('features must be a GeoJSON FeatureCollection');
  }
  const code = options.crs ?? 'EPSG:4550';
  const crs = findExportCrs(code);
  if (!crs) throw new Error(`cannot export to coordinate system ${code}`);
  if (crs.kind !== 'projected') throw new Error(`DXF is written in metres: choose a Gauss–Krüger system, not ${crs.code}`);
  const data = toExportCrs(fc, crs.code);
  const stem = dxfName(options.layerName ?? options.layer?.id ?? 'layer');
  const lang = options.lang ?? 'zh';

  const dxf = new DxfWriter();
  dxf.setVariable('$ACADVER', { 1: 'AC1015' });
  dxf.setVariable('$DWGCODEPAGE', { 3: 'ANSI_936' });
  dxf.setVariable('$MEASUREMENT', { 70: 1 });
  dxf.setVariable('$PDMODE', { 70: 34 });
  dxf.setVariable('$PDSIZE', { 40: POINT_SIZE });
  dxf.setUnits(Units.Meters);
  const standard = dxf.tables.styleTable.records.find((s) => s.name.toUpperCase() === 'STANDARD');
  if (standard) {
    standard.fontFileName = 'txt.shx';
    standard.bigFontFileName = 'gbcbig.shx';
  }

  const layerOf = stageLayers(dxf, stem, options.layer);
  const labels = `${stem}_label`;
  let labelLayer = false;
  const extent = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of data.features) {
    if (!f.geometry) continue;
    const layerName = layerOf(f);
    draw(dxf, f.geometry, layerName, extent);
    const name = labelOf(f, lang);
    const at = name ? labelPoint(f.geometry) : null;
    if (name && at) {
      if (!labelLayer) {
        dxf.addLayer(labels, LABEL_COLOR, 'CONTINUOUS');
        labelLayer = true;
      }
      dxf.addText(point3d(at[0], at[1]), TEXT_HEIGHT, name, { layerName: labels });
    }
  }
  if (extent[0]! <= extent[2]!) {
    dxf.setVariable('$EXTMIN', { 10: extent[0]!, 20: extent[1]!, 30: 0 });
    dxf.setVariable('$EXTMAX', { 10: extent[2]!, 20: extent[3]!, 30: 0 });
  }
  return encodeGbk(dxf.stringify(), (ch) => `\\U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).bytes;
}

/** Letters, digits, `-` and `_` only: safe in every CAD program's layer table. */
const dxfName = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '_') || 'layer';

/** The CAD layer each feature goes on, creating the layers as they are first needed. */
function stageLayers(dxf: DxfWriter, stem: string, info: ExportLayerInfo | undefined): (f: Feature) => string {
  const field = info?.styleField ? info.fields.find((x) => x.name === info.styleField) : undefined;
  const base = aci(info?.color ?? '#808080');
  const made = new Set<string>();
  const ensure = (name: string, color: number): string => {
    if (!made.has(name)) {
      dxf.addLayer(name, color, 'CONTINUOUS');
      made.add(name);
    }
    return name;
  };
  return (f) => {
    const value = field ? ownValue(f.properties, field.name) : undefined;
    const def = field?.values?.find((v) => v.value === value);
    if (!def?.stage) return ensure(stem, base);
    const color = info?.stages?.[def.stage]?.color ?? info?.color ?? '#808080';
    return ensure(`${stem}_${def.stage}`, aci(color));
  };
}

function draw(dxf: DxfWriter, g: Geometry, layerName: string, extent: number[]): void {
  const grow = (p: Position): void => {
    extent[0] = Math.min(extent[0]!, p[0]!);
    extent[1] = Math.min(extent[1]!, p[1]!);
    extent[2] = Math.max(extent[2]!, p[0]!);
    extent[3] = Math.max(extent[3]!, p[1]!);
  };
  const polyline = (ps: Position[], closed: boolean): void => {
    // A closed LWPOLYLINE does not repeat its first vertex.
    const pts = closed && ps.length > 1 && ps[0]![0] === ps.at(-1)![0] && ps[0]![1] === ps.at(-1)![1] ? ps.slice(0, -1) : ps;
    if (pts.length < 2) return;
    pts.forEach(grow);
    dxf.addLWPolyline(
      pts.map((p) => ({ point: { x: p[0]!, y: p[1]! } })),
      { flags: closed ? LWPolylineFlags.Closed : LWPolylineFlags.None, layerName },
    );
  };
  const point = (p: Position): void => {
    if (p.length < 2) return;
    grow(p);
    dxf.addPoint(p[0]!, p[1]!, 0, { layerName });
  };
  switch (g.type) {
    case 'Point':
      return point(g.coordinates);
    case 'MultiPoint':
      return g.coordinates.forEach(point);
    case 'LineString':
      return polyline(g.coordinates, false);
    case 'MultiLineString':
      return g.coordinates.forEach((l) => polyline(l, false));
    case 'Polygon':
      return g.coordinates.forEach((r) => polyline(r, true));
    case 'MultiPolygon':
      return g.coordinates.forEach((p) => p.forEach((r) => polyline(r, true)));
    case 'GeometryCollection':
      return g.geometries.forEach((m) => draw(dxf, m, layerName, extent));
  }
}

function labelOf(f: Feature, lang: ExportLang): string | null {
  const en = ownValue(f.properties, 'name_en');
  const zh = ownValue(f.properties, 'name');
  const name = lang === 'en' && typeof en === 'string' && en !== '' ? en : zh;
  return typeof name === 'string' && name.trim() !== '' ? name.replace(/[\r\n]+/g, ' ') : null;
}

/** Where the name goes: beside a point, on a line's middle vertex, at a polygon's centroid. */
function labelPoint(g: Geometry): Position | null {
  switch (g.type) {
    case 'Point':
      return g.coordinates.length >= 2 ? [g.coordinates[0]! + POINT_SIZE, g.coordinates[1]! + POINT_SIZE / 2] : null;
    case 'MultiPoint':
      return g.coordinates[0] ? labelPoint({ type: 'Point', coordinates: g.coordinates[0] }) : null;
    case 'LineString':
      return g.coordinates[Math.floor(g.coordinates.length / 2)] ?? null;
    case 'MultiLineString':
      return g.coordinates[0] ? labelPoint({ type: 'LineString', coordinates: g.coordinates[0] }) : null;
    case 'Polygon':
      return g.coordinates[0] ? centroid(g.coordinates[0]) : null;
    case 'MultiPolygon': {
      // The largest part's centroid.
      const outer = g.coordinates.map((p) => p[0]).filter((r): r is Position[] => !!r && r.length > 2);
      const big = outer.reduce<Position[] | null>((a, r) => (!a || Math.abs(ringArea(r)) > Math.abs(ringArea(a)) ? r : a), null);
      return big ? centroid(big) : null;
    }
    case 'GeometryCollection':
      return g.geometries.length ? labelPoint(g.geometries[0]!) : null;
  }
}

function centroid(ring: readonly Position[]): Position | null {
  let a = 0;
  let cx = 0;
  let cy = 0;
  // Relative to the first vertex: Gauss–Krüger eastings and northings are large numbers.
  const [x0, y0] = ring[0] ?? [];
  if (x0 === undefined || y0 === undefined) return null;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]! - x0;
    const yi = ring[i]![1]! - y0;
    const xj = ring[j]![0]! - x0;
    const yj = ring[j]![1]! - y0;
    const c = xj * yi - xi * yj;
    a += c;
    cx += (xj + xi) * c;
    cy += (yj + yi) * c;
  }
  if (a === 0) return [x0, y0];
  return [x0 + cx / (3 * a), y0 + cy / (3 * a)];
}

// ---------- AutoCAD colour index ----------

const BASIC: readonly (readonly [number, number, number])[] = [
  [255, 0, 0], [255, 255, 0], [0, 255, 0], [0, 255, 255], [0, 0, 255], [255, 0, 255], [255, 255, 255], [128, 128, 128], [192, 192, 192],
];

/** RGB of ACI 1–249: the nine basic colours, then 24 hues × 5 shades × full/half saturation. */
function aciRgb(i: number): readonly [number, number, number] {
  if (i <= 9) return BASIC[i - 1]!;
  const hue = Math.floor((i - 10) / 10) * 15;
  const k = (i - 10) % 10;
  const value = [1, 1, 0.65, 0.65, 0.5, 0.5, 0.3, 0.3, 0.15, 0.15][k]!;
  const sat = k % 2 === 0 ? 1 : 0.5;
  const f = (n: number): number => {
    const h = (n + hue / 60) % 6;
    return Math.round(255 * value * (1 - sat * Math.max(0, Math.min(h, 4 - h, 1))));
  };
  return [f(5), f(3), f(1)];
}

/** The ACI colour nearest to a `#rrggbb` colour (grey for anything else). */
export function aci(hex: string): number {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) return 8;
  const rgb = [m[1], m[2], m[3]].map((h) => parseInt(h!, 16));
  let best = 7;
  let bestD = Infinity;
  for (let i = 1; i <= 249; i++) {
    if (i === 7) continue; // white/black flips with the background
    const c = aciRgb(i);
    const d = (c[0] - rgb[0]!) ** 2 + (c[1] - rgb[1]!) ** 2 + (c[2] - rgb[2]!) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
