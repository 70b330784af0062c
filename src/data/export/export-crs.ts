/**
 * The coordinate systems data can be exported in: a list for menus and checks, with no
 * transform code (that is `crs-transform.ts`, which loads proj4), so the UI can offer the
 * list without carrying proj4.
 */
import { findCrs } from '../../crs/definitions.ts';

/** A coordinate system offered for export. */
export interface ExportCrs {
  /** `EPSG:nnnn`, or `GCJ02`. */
  readonly code: string;
  readonly name: { readonly zh: string; readonly en: string };
  /** Geographic (degrees) or projected (metres). */
  readonly kind: 'geographic' | 'projected';
  /**
   * True for a deliberately distorted system (GCJ-02): coordinates are shifted by hundreds
   * of metres, so the UI should warn that the file will not line up with survey data.
   */
  readonly offset: boolean;
  /** The EPSG code as a number, or null when there is none. */
  readonly epsg: number | null;
}

export const GCJ02 = 'GCJ02';

const EPSG_EXPORTS = ['EPSG:4326', 'EPSG:4490', 'EPSG:4550', 'EPSG:4529', 'EPSG:4549', 'EPSG:4528'] as const;

export const exportCrsList: readonly ExportCrs[] = [
  ...EPSG_EXPORTS.map((code): ExportCrs => {
    const def = findCrs(code);
    if (!def) throw new Error(`crs/definitions.ts lacks ${code}`);
    return { code, name: def.name, kind: def.kind, offset: false, epsg: Number(code.slice(5)) };
  }),
  {
    code: GCJ02,
    name: { zh: 'GCJ-02 火星坐标（高德/腾讯，偏移）', en: 'GCJ-02 (Amap/Tencent, offset)' },
    kind: 'geographic',
    offset: true,
    epsg: null,
  },
];

/** The export CRS for a code (`epsg:4550`, `EPSG:4550`, `gcj02`, `GCJ-02`), or undefined. */
export function findExportCrs(code: string): ExportCrs | undefined {
  if (typeof code !== 'string') return undefined;
  const norm = code.trim().toUpperCase().replace(/^GCJ-02$/, GCJ02);
  return exportCrsList.find((c) => c.code === norm);
}
