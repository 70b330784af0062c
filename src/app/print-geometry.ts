/**
 * Pure geometry for the print layout: paper sizes, where the title, map, legend and footer
 * sit on the page, and which round length the scale bar shows. Everything is in
 * millimetres on paper, so the page prints at its true size and the scale bar measures
 * true distances; CSS pixels are converted at the CSS definition of 96 px to the inch,
 * which is also what a browser prints at 100 % scale.
 */

export type Paper = 'A4' | 'A3';
export type Orientation = 'portrait' | 'landscape';

/** What the layout needs of a captured map image (captureMapImage's result fits). */
export interface PrintImage {
  dataUrl: string;
  /** CSS pixels. */
  width: number;
  height: number;
  /** Ground metres per CSS pixel of the image. */
  metresPerPixel: number;
  /** Degrees clockwise from north the map is turned. */
  bearing: number;
  /** [west, south, east, north] of what the image shows: the printed legend lists what lies in it. */
  bounds?: [number, number, number, number];
}

export const PAPERS: readonly Paper[] = ['A4', 'A3'];
export const ORIENTATIONS: readonly Orientation[] = ['portrait', 'landscape'];

export interface SizeMm {
  widthMm: number;
  heightMm: number;
}

/** ISO 216 sizes, portrait, rounded to the millimetre as the standard does (so 1:√2 to 0.1 %). */
const ISO_216: Readonly<Record<Paper, SizeMm>> = {
  A4: { widthMm: 210, heightMm: 297 },
  A3: { widthMm: 297, heightMm: 420 },
};

const MM_PER_INCH = 25.4;
const CSS_PX_PER_INCH = 96;

export function mmToPx(mm: number): number {
  return (mm / MM_PER_INCH) * CSS_PX_PER_INCH;
}

export function pxToMm(px: number): number {
  return (px / CSS_PX_PER_INCH) * MM_PER_INCH;
}

export function isPaper(v: unknown): v is Paper {
  return v === 'A4' || v === 'A3';
}

export function isOrientation(v: unknown): v is Orientation {
  return v === 'portrait' || v === 'landscape';
}

/** The sheet's size in millimetres, the long side vertical in portrait. */
export function paperSize(paper: Paper, orientation: Orientation): SizeMm {
  // Properties can be set from plain JS and the value ends up in an @page rule: refuse
  // anything that is not one of the known names.
  if (!isPaper(paper)) throw new Error(`paper must be one of ${PAPERS.join(', ')}, not ${String(paper)}`);
  if (!isOrientation(orientation)) throw new Error(`orientation must be portrait or landscape, not ${String(orientation)}`);
  const { widthMm, heightMm } = ISO_216[paper];
  return orientation === 'portrait' ? { widthMm, heightMm } : { widthMm: heightMm, heightMm: widthMm };
}

/** The @page margin: what most office printers can reach, and the same on every edge. */
const PAGE_MARGIN_MM = 10;
/** The title, a line of the user's note under it, and the subtitle. */
const HEADER_MM = 20;
const FOOTER_MM = 9;
const GAP_MM = 4;
/** Legend beside the map on landscape pages. */
const LEGEND_SIDE_MM = 58;
/** Legend under the map on portrait pages, in columns. */
const LEGEND_BOTTOM_MM: Readonly<Record<Paper, number>> = { A4: 48, A3: 58 };
/**
 * Left unused at the foot of the page. Content exactly as tall as the printable area can
 * spill a blank second page when the browser rounds the margins.
 */
const SLACK_MM = 1;

export interface PageLayout {
  paper: SizeMm;
  marginMm: number;
  /** The printable area: the paper less the @page margin on every side. */
  content: SizeMm;
  gapMm: number;
  headerMm: number;
  footerMm: number;
  /** The map frame; capture the image at this size (see mapImageSize) so it fills it. */
  map: SizeMm;
  legend: SizeMm & { position: 'side' | 'bottom'; columns: number };
}

/**
 * Where each part of the page goes. Landscape: title across the top, map with the legend
 * in a column to its right, footer across the bottom. Portrait: title, map, legend in
 * columns under it, footer.
 */
export function pageLayout(paper: Paper, orientation: Orientation): PageLayout {
  const sheet = paperSize(paper, orientation);
  const content = { widthMm: sheet.widthMm - 2 * PAGE_MARGIN_MM, heightMm: sheet.heightMm - 2 * PAGE_MARGIN_MM };
  const body = content.heightMm - SLACK_MM - HEADER_MM - FOOTER_MM - 2 * GAP_MM;
  const common = { paper: sheet, marginMm: PAGE_MARGIN_MM, content, gapMm: GAP_MM, headerMm: HEADER_MM, footerMm: FOOTER_MM };
  if (orientation === 'landscape') {
    return {
      ...common,
      map: { widthMm: content.widthMm - LEGEND_SIDE_MM - GAP_MM, heightMm: body },
      legend: { widthMm: LEGEND_SIDE_MM, heightMm: body, position: 'side', columns: 1 },
    };
  }
  const legendMm = LEGEND_BOTTOM_MM[paper];
  return {
    ...common,
    map: { widthMm: content.widthMm, heightMm: body - legendMm - GAP_MM },
    legend: { widthMm: content.widthMm, heightMm: legendMm, position: 'bottom', columns: paper === 'A3' ? 4 : 3 },
  };
}

/**
 * The CSS size to capture the map image at for this page, so that it fills the map frame
 * exactly and one CSS pixel of the map prints as 1/96 inch: labels and line widths come
 * out on paper at the size they have on screen.
 */
export function mapImageSize(paper: Paper, orientation: Orientation): { width: number; height: number } {
  const { map } = pageLayout(paper, orientation);
  return { width: Math.round(mmToPx(map.widthMm)), height: Math.round(mmToPx(map.heightMm)) };
}

/** The size an image of this aspect (width / height) is shown at inside a box, as `object-fit: contain` does. */
export function fitContain(box: SizeMm, aspect: number): SizeMm {
  if (!(aspect > 0) || !Number.isFinite(aspect)) throw new Error(`aspect must be a positive number, not ${aspect}`);
  return box.widthMm / box.heightMm > aspect
    ? { widthMm: box.heightMm * aspect, heightMm: box.heightMm }
    : { widthMm: box.widthMm, heightMm: box.widthMm / aspect };
}

export interface ScaleBar {
  /** The ground length the bar stands for. */
  metres: number;
  /** The bar's length in the same pixels as metresPerPixel. */
  px: number;
  /** "500 m", "2 km": SI symbols, the same in Chinese and English. */
  label: string;
  /** How many alternating black and white segments divide the bar evenly. */
  segments: number;
}

/**
 * Round lengths (×10ⁿ) a scale bar may show, with the segments each divides into. Finer
 * than the usual 1-2-5 so that the longest one that fits is never less than 2/3 of the
 * room given: asked for at most 25 % of the map, the bar spans 17–25 %, mostly over 20 %.
 */
const STEPS: readonly { mantissa: number; segments: number }[] = [
  { mantissa: 1, segments: 5 },
  { mantissa: 1.5, segments: 3 },
  { mantissa: 2, segments: 4 },
  { mantissa: 3, segments: 3 },
  { mantissa: 4, segments: 4 },
  { mantissa: 5, segments: 5 },
  { mantissa: 6, segments: 3 },
  { mantissa: 8, segments: 4 },
];

/** The longest round length whose bar is at most maxWidthPx long. */
export function niceScaleBar(metresPerPixel: number, maxWidthPx: number): ScaleBar {
  if (!(metresPerPixel > 0) || !Number.isFinite(metresPerPixel)) throw new Error(`metresPerPixel must be a positive number, not ${metresPerPixel}`);
  if (!(maxWidthPx > 0) || !Number.isFinite(maxWidthPx)) throw new Error(`maxWidthPx must be a positive number, not ${maxWidthPx}`);
  const maxMetres = metresPerPixel * maxWidthPx;
  let exponent = Math.floor(Math.log10(maxMetres));
  // log10 can land a hair under a whole power of ten (log10(1000) is exact, others are not).
  if (10 ** (exponent + 1) <= maxMetres) exponent += 1;
  let best: { metres: number; segments: number } | undefined;
  for (const e of [exponent - 1, exponent]) {
    for (const step of STEPS) {
      // toPrecision strips float noise such as 0.30000000000000004 from the round length.
      const metres = Number((step.mantissa * 10 ** e).toPrecision(12));
      if (metres <= maxMetres && (!best || metres > best.metres)) best = { metres, segments: step.segments };
    }
  }
  // Unreachable: 8×10^(exponent−1) < 10^exponent ≤ maxMetres.
  if (!best) throw new Error(`no scale bar fits ${maxWidthPx} px`);
  return { metres: best.metres, px: best.metres / metresPerPixel, label: formatLength(best.metres), segments: best.segments };
}

function formatLength(metres: number): string {
  const [value, unit] = metres >= 1000 ? [metres / 1000, 'km'] : [metres, 'm'];
  return `${Number(value.toPrecision(12))}\u00a0${unit}`;
}
