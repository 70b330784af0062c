import { describe, expect, it } from 'vitest';
import {
  ORIENTATIONS,
  PAPERS,
  fitContain,
  mapImageSize,
  mmToPx,
  niceScaleBar,
  pageLayout,
  paperSize,
  pxToMm,
  type Orientation,
  type Paper,
} from './print-geometry.ts';

const ALL: [Paper, Orientation][] = PAPERS.flatMap((p) => ORIENTATIONS.map((o) => [p, o] as [Paper, Orientation]));

describe('paperSize', () => {
  it('gives the ISO 216 sizes, long side vertical in portrait', () => {
    expect(paperSize('A4', 'portrait')).toEqual({ widthMm: 210, heightMm: 297 });
    expect(paperSize('A4', 'landscape')).toEqual({ widthMm: 297, heightMm: 210 });
    expect(paperSize('A3', 'portrait')).toEqual({ widthMm: 297, heightMm: 420 });
    expect(paperSize('A3', 'landscape')).toEqual({ widthMm: 420, heightMm: 297 });
  });

  it.each(ALL)('%s %s has the 1:√2 aspect, to the rounding of whole millimetres', (paper, orientation) => {
    const { widthMm, heightMm } = paperSize(paper, orientation);
    expect(Math.max(widthMm, heightMm) / Math.min(widthMm, heightMm)).toBeCloseTo(Math.SQRT2, 2);
  });

  it('halves A3 into A4', () => {
    const a3 = paperSize('A3', 'landscape');
    const a4 = paperSize('A4', 'portrait');
    expect(a3.widthMm / 2).toBe(a4.widthMm);
    expect(a3.heightMm).toBe(a4.heightMm);
  });

  it('refuses names that are not papers or orientations', () => {
    expect(() => paperSize('Letter' as Paper, 'portrait')).toThrow(/paper must be one of A4, A3/);
    expect(() => paperSize('A4', 'sideways' as Orientation)).toThrow(/orientation must be/);
    expect(() => paperSize('A4; } body { display: none' as Paper, 'portrait')).toThrow();
  });
});

describe('pageLayout', () => {
  it.each(ALL)('%s %s fits header, map, legend and footer inside the printable area', (paper, orientation) => {
    const l = pageLayout(paper, orientation);
    expect(l.content.widthMm).toBe(l.paper.widthMm - 2 * l.marginMm);
    expect(l.content.heightMm).toBe(l.paper.heightMm - 2 * l.marginMm);
    if (l.legend.position === 'side') {
      expect(l.map.widthMm + l.gapMm + l.legend.widthMm).toBeCloseTo(l.content.widthMm, 9);
      expect(l.legend.heightMm).toBe(l.map.heightMm);
      expect(l.headerMm + l.map.heightMm + l.footerMm + 2 * l.gapMm).toBeLessThan(l.content.heightMm);
    } else {
      expect(l.map.widthMm).toBe(l.content.widthMm);
      expect(l.legend.widthMm).toBe(l.content.widthMm);
      expect(l.headerMm + l.map.heightMm + l.legend.heightMm + l.footerMm + 3 * l.gapMm).toBeLessThan(l.content.heightMm);
    }
    // Never so tight that a little rounding spills a second page, never wasteful.
    const used = l.headerMm + l.map.heightMm + l.footerMm + (l.legend.position === 'side' ? 2 : 3) * l.gapMm + (l.legend.position === 'side' ? 0 : l.legend.heightMm);
    expect(l.content.heightMm - used).toBeGreaterThanOrEqual(0.5);
    expect(l.content.heightMm - used).toBeLessThanOrEqual(2);
    expect(l.map.widthMm).toBeGreaterThan(150);
    expect(l.map.heightMm).toBeGreaterThan(140);
  });

  it('puts the legend beside the map in landscape and under it in portrait', () => {
    expect(pageLayout('A4', 'landscape').legend.position).toBe('side');
    expect(pageLayout('A4', 'portrait').legend).toMatchObject({ position: 'bottom', columns: 3 });
    expect(pageLayout('A3', 'portrait').legend).toMatchObject({ position: 'bottom', columns: 4 });
  });
});

describe('mapImageSize', () => {
  it('is the map frame in CSS pixels at 96 per inch', () => {
    const l = pageLayout('A4', 'landscape');
    const s = mapImageSize('A4', 'landscape');
    expect(s.width).toBe(Math.round((l.map.widthMm / 25.4) * 96));
    expect(s.height).toBe(Math.round((l.map.heightMm / 25.4) * 96));
    // At the default pixel ratio of 2 even A3 stays under MapLibre's 4096 px canvas limit.
    const a3 = mapImageSize('A3', 'landscape');
    expect(Math.max(a3.width, a3.height) * 2).toBeLessThanOrEqual(4096);
  });

  it('converts millimetres and pixels both ways', () => {
    expect(mmToPx(25.4)).toBe(96);
    expect(pxToMm(mmToPx(123.4))).toBeCloseTo(123.4, 12);
  });
});

describe('fitContain', () => {
  it('fits a wide image by width and a tall one by height', () => {
    expect(fitContain({ widthMm: 200, heightMm: 100 }, 4)).toEqual({ widthMm: 200, heightMm: 50 });
    expect(fitContain({ widthMm: 200, heightMm: 100 }, 1)).toEqual({ widthMm: 100, heightMm: 100 });
    expect(fitContain({ widthMm: 200, heightMm: 100 }, 2)).toEqual({ widthMm: 200, heightMm: 100 });
  });

  it('refuses an aspect that is not a positive number', () => {
    expect(() => fitContain({ widthMm: 1, heightMm: 1 }, 0)).toThrow(/aspect/);
    expect(() => fitContain({ widthMm: 1, heightMm: 1 }, Number.NaN)).toThrow(/aspect/);
  });
});

describe('niceScaleBar', () => {
  it('picks the longest round length that fits', () => {
    expect(niceScaleBar(10, 100)).toEqual({ metres: 1000, px: 100, label: '1\u00a0km', segments: 5 });
    expect(niceScaleBar(10, 99)).toMatchObject({ metres: 800, px: 80, label: '800\u00a0m', segments: 4 });
    expect(niceScaleBar(1, 250)).toMatchObject({ metres: 200, label: '200\u00a0m' });
    expect(niceScaleBar(30, 200)).toMatchObject({ metres: 6000, px: 200, label: '6\u00a0km', segments: 3 });
    expect(niceScaleBar(20, 80)).toMatchObject({ metres: 1500, px: 75, label: '1.5\u00a0km' });
    expect(niceScaleBar(0.01, 35)).toMatchObject({ metres: 0.3, label: '0.3\u00a0m' });
  });

  it('labels round lengths without float noise', () => {
    for (let mpp = 0.013; mpp < 5000; mpp *= 1.37) {
      const bar = niceScaleBar(mpp, 150);
      expect(bar.label).toMatch(/^(\d+|\d+\.\d)\u00a0(m|km)$/);
      expect(bar.label.endsWith('km')).toBe(bar.metres >= 1000);
    }
  });

  it('spans between 2/3 of the room and all of it, at every scale', () => {
    for (let mpp = 0.05; mpp < 20_000; mpp *= 1.0173) {
      const { metres, px } = niceScaleBar(mpp, 200);
      expect(px).toBeLessThanOrEqual(200 + 1e-9);
      expect(px).toBeGreaterThanOrEqual((200 * 2) / 3 - 1e-9);
      expect(metres / mpp).toBeCloseTo(px, 9);
    }
  });

  it('divides the bar into whole segments of a round length', () => {
    for (let mpp = 0.5; mpp < 500; mpp *= 1.11) {
      const { metres, segments } = niceScaleBar(mpp, 180);
      const segment = metres / segments;
      expect(Number(segment.toPrecision(6)) / 10 ** Math.floor(Math.log10(segment))).toSatisfy((m: number) => [1, 2, 5].includes(Math.round(m * 1e6) / 1e6));
    }
  });

  it('is exact at whole powers of ten', () => {
    expect(niceScaleBar(1, 1000).metres).toBe(1000);
    expect(niceScaleBar(1, 100).metres).toBe(100);
    expect(niceScaleBar(0.1, 1000).metres).toBe(100);
  });

  it('refuses sizes that are not positive numbers', () => {
    expect(() => niceScaleBar(0, 100)).toThrow(/metresPerPixel/);
    expect(() => niceScaleBar(-1, 100)).toThrow(/metresPerPixel/);
    expect(() => niceScaleBar(Number.POSITIVE_INFINITY, 100)).toThrow(/metresPerPixel/);
    expect(() => niceScaleBar(1, 0)).toThrow(/maxWidthPx/);
    expect(() => niceScaleBar(1, Number.NaN)).toThrow(/maxWidthPx/);
  });
});
