/**
 * The printed page drawn onto a canvas, for "Save PNG": the same page the print layout
 * shows (print-layout.ts), from the same geometry (print-geometry.ts) and the same text, at
 * a fixed number of image pixels per CSS pixel of paper. A saved picture therefore carries
 * its title, note, legend, scale bar, north arrow, date, attribution and the demo-data
 * notice wherever it is forwarded, like the printed sheet does.
 *
 * Canvas text does not wrap or flow: the few places the layout relies on CSS for that (the
 * legend's columns, the footer's line breaks) are laid out here by hand, the same way.
 */
import { dataUrlToBlob } from '../app/data-url.ts';
import { fitContain, mmToPx, niceScaleBar, pageLayout, type Orientation, type PageLayout, type Paper, type PrintImage } from '../app/print-geometry.ts';

export interface PrintLegendClass {
  label: string;
  color: string;
  /** In progress or planned: a dashed outline or line, a hollow ring for points. */
  dash: boolean;
}

export interface PrintLegendGroup {
  /** The layer's name. */
  name: string;
  shape: 'pt' | 'ln' | 'poly';
  classes: readonly PrintLegendClass[];
}

/** The strings printed on the page (print-layout's labels hold these and more). */
export interface PageText {
  title: string;
  subtitle: string;
  /** The day the map shows the programme as of ("Progress as of 31 Mar 2024"); '' hides it. */
  asOf: string;
  /** Heading over the legend. */
  legend: string;
  /** Caption over the scale bar. */
  scale: string;
  /** The letter under the north arrow ("N", "北"). */
  north: string;
  /** Caption before the date. */
  date: string;
  /** Caption before the attribution. */
  attribution: string;
  /** The demo-data note; '' hides it. */
  demo: string;
}

/** Figures printed beside the legend (a planning scenario's): a heading and label–value rows (an empty value: a row of its own). */
export interface PrintFigures {
  heading: string;
  rows: readonly (readonly [label: string, value: string])[];
}

export interface PrintPage {
  paper: Paper;
  orientation: Orientation;
  labels: PageText;
  /** The user's line under the title; '' for none. */
  note: string;
  legend: readonly PrintLegendGroup[];
  /** A planning scenario's figures, after the legend; null for none. */
  figures: PrintFigures | null;
  /** Already formatted for the language. */
  date: string;
  attribution: string;
  image: PrintImage;
  /** A CSS font-family list (canvas text cannot read custom properties). */
  fontFamily: string;
}

/** The scale bar takes at most this share of the map's width. */
export const SCALE_BAR_SHARE = 0.25;
/** Image pixels per CSS pixel of paper: 2 gives about 190 dpi, the map image's own resolution. */
const DEFAULT_SCALE = 2;
/** CSS pixels per typographic point. */
const PT = 96 / 72;
const mm = mmToPx;

/** The page as a PNG, `scale` image pixels per CSS pixel of paper. */
export async function drawPrintPage(doc: Document, page: PrintPage, scale = DEFAULT_SCALE): Promise<Blob> {
  const layout = pageLayout(page.paper, page.orientation);
  const width = mm(layout.paper.widthMm);
  const height = mm(layout.paper.heightMm);
  const canvas = doc.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error(`The browser could not make a ${canvas.width} × ${canvas.height} canvas for the page`);
  ctx.scale(canvas.width / width, canvas.height / height);
  const map = await createImageBitmap(dataUrlToBlob(page.image.dataUrl));
  try {
    new PageDrawing(ctx, layout, page).draw(map);
  } finally {
    map.close();
  }
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`The browser could not encode the ${canvas.width} × ${canvas.height} page`))), 'image/png');
  });
}

/** A piece of the legend, drawn whole in one column. */
interface LegendBlock {
  h: number;
  draw(x: number, y: number): void;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

class PageDrawing {
  readonly #ctx: CanvasRenderingContext2D;
  readonly #layout: PageLayout;
  readonly #page: PrintPage;

  constructor(ctx: CanvasRenderingContext2D, layout: PageLayout, page: PrintPage) {
    this.#ctx = ctx;
    this.#layout = layout;
    this.#page = page;
  }

  draw(map: ImageBitmap): void {
    const l = this.#layout;
    const ctx = this.#ctx;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, mm(l.paper.widthMm), mm(l.paper.heightMm));
    ctx.textBaseline = 'middle';
    // The page grid of print-layout's sheet: header, map (and legend), footer.
    const m = mm(l.marginMm);
    const gap = mm(l.gapMm);
    const contentW = mm(l.content.widthMm);
    const header: Box = { x: m, y: m, w: contentW, h: mm(l.headerMm) };
    const mapBox: Box = { x: m, y: header.y + header.h + gap, w: mm(l.map.widthMm), h: mm(l.map.heightMm) };
    const legend: Box = l.legend.position === 'side'
      ? { x: mapBox.x + mapBox.w + gap, y: mapBox.y, w: mm(l.legend.widthMm), h: mapBox.h }
      : { x: m, y: mapBox.y + mapBox.h + gap, w: contentW, h: mm(l.legend.heightMm) };
    const footerY = (l.legend.position === 'side' ? mapBox.y + mapBox.h : legend.y + legend.h) + gap;
    this.#header(header);
    this.#map(mapBox, map);
    this.#legend(legend, l.legend.position, l.legend.columns);
    this.#footer({ x: m, y: footerY, w: contentW, h: mm(l.footerMm) });
  }

  #font(sizePt: number, weight = 400): void {
    this.#ctx.font = `${weight} ${sizePt * PT}px ${this.#page.fontFamily}`;
  }

  /** `text` cut with an ellipsis to fit `maxW` in the current font. */
  #fit(text: string, maxW: number): string {
    const ctx = this.#ctx;
    if (ctx.measureText(text).width <= maxW) return text;
    const chars = [...text];
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (ctx.measureText(`${chars.slice(0, mid).join('')}…`).width <= maxW) lo = mid;
      else hi = mid - 1;
    }
    return `${chars.slice(0, lo).join('')}…`;
  }

  /** `text` broken into lines of at most `maxW`: between words, and between any two CJK characters. */
  #wrap(text: string, maxW: number): string[] {
    const ctx = this.#ctx;
    const tokens = text.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef][，。；：、）》」』]*|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+/g) ?? [];
    const lines: string[] = [];
    let line = '';
    for (const token of tokens) {
      if (line && ctx.measureText((line + token).trimEnd()).width > maxW) {
        lines.push(line.trimEnd());
        line = token.trimStart();
      } else line += token;
    }
    if (line.trim()) lines.push(line.trimEnd());
    return lines.map((x) => this.#fit(x, maxW));
  }

  #header(b: Box): void {
    const ctx = this.#ctx;
    const L = this.#page.labels;
    const rule = mm(0.4);
    ctx.fillStyle = '#111';
    ctx.fillRect(b.x, b.y + b.h - rule, b.w, rule);
    // Stacked up from the rule, as the layout's header aligns its lines to the bottom.
    const lines: { text: string; size: number; weight: number; color: string; lh: number; before: number }[] = [
      { text: L.title, size: 16, weight: 700, color: '#111', lh: 1.2, before: 0 },
      ...(this.#page.note ? [{ text: this.#page.note, size: 10, weight: 400, color: '#222', lh: 1.3, before: mm(0.8) }] : []),
      ...(L.subtitle || L.asOf ? [{ text: [L.subtitle, L.asOf].filter(Boolean).join(' · '), size: 9.5, weight: 400, color: '#444', lh: 1.3, before: mm(0.8) }] : []),
    ];
    const total = lines.reduce((sum, x) => sum + x.before + x.size * PT * x.lh, 0);
    let y = b.y + b.h - rule - mm(1.5) - total;
    for (const line of lines) {
      y += line.before;
      const lh = line.size * PT * line.lh;
      this.#font(line.size, line.weight);
      ctx.fillStyle = line.color;
      ctx.fillText(this.#fit(line.text, b.w), b.x, y + lh / 2);
      y += lh;
    }
  }

  #map(area: Box, map: ImageBitmap): void {
    const ctx = this.#ctx;
    const image = this.#page.image;
    const shown = fitContain(this.#layout.map, image.width / image.height);
    const f: Box = { w: mm(shown.widthMm), h: mm(shown.heightMm), x: 0, y: 0 };
    f.x = area.x + (area.w - f.w) / 2;
    f.y = area.y + (area.h - f.h) / 2;
    ctx.drawImage(map, f.x, f.y, f.w, f.h);
    ctx.strokeStyle = '#333';
    ctx.lineWidth = mm(0.3);
    ctx.strokeRect(f.x - mm(0.15), f.y - mm(0.15), f.w + mm(0.3), f.h + mm(0.3));
    this.#north(f, Number.isFinite(image.bearing) ? image.bearing : 0);
    if (image.metresPerPixel > 0) this.#scaleBar(f, (image.metresPerPixel * image.width) / f.w);
  }

  /** A rounded white box behind a map overlay, as the layout's `.overlay-box`. */
  #overlayBox(b: Box): void {
    const ctx = this.#ctx;
    ctx.fillStyle = 'rgb(255 255 255 / 0.88)';
    ctx.beginPath();
    ctx.roundRect(b.x, b.y, b.w, b.h, mm(1));
    ctx.fill();
  }

  #north(frame: Box, bearing: number): void {
    const ctx = this.#ctx;
    this.#font(8, 700);
    const letter = this.#page.labels.north;
    const letterW = ctx.measureText(letter).width;
    const inner = { w: Math.max(14, letterW), h: 20 + mm(0.6) + 8 * PT };
    const box: Box = { w: inner.w + 2 * mm(1.6), h: inner.h + 2 * mm(1), x: 0, y: frame.y + mm(3) };
    box.x = frame.x + frame.w - mm(3) - box.w;
    this.#overlayBox(box);
    const cx = box.x + box.w / 2;
    const cy = box.y + mm(1) + 10;
    ctx.save();
    ctx.translate(cx, cy);
    ctx.rotate((-bearing * Math.PI) / 180);
    ctx.beginPath();
    ctx.moveTo(0, -9.5);
    ctx.lineTo(6, 8);
    ctx.lineTo(0, 4.5);
    ctx.closePath();
    ctx.fillStyle = '#111';
    ctx.fill();
    ctx.beginPath();
    ctx.moveTo(0, -9.5);
    ctx.lineTo(-6, 8);
    ctx.lineTo(0, 4.5);
    ctx.closePath();
    ctx.fillStyle = '#fff';
    ctx.fill();
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 0.8;
    ctx.lineJoin = 'round';
    ctx.stroke();
    ctx.restore();
    ctx.fillStyle = '#111';
    ctx.textAlign = 'center';
    ctx.fillText(letter, cx, box.y + mm(1) + 20 + mm(0.6) + (8 * PT) / 2);
    ctx.textAlign = 'left';
  }

  #scaleBar(frame: Box, metresPerPixel: number): void {
    const ctx = this.#ctx;
    const caption = this.#page.labels.scale;
    const bar = niceScaleBar(metresPerPixel, frame.w * SCALE_BAR_SHARE);
    this.#font(7);
    const labelW = ctx.measureText(bar.label).width;
    const captionH = caption ? 7 * PT * 1.1 + mm(0.6) : 0;
    const rowH = Math.max(5, 7 * PT * 1.1);
    const inner = { w: Math.max(bar.px + mm(1.5) + labelW, caption ? ctx.measureText(caption).width : 0), h: captionH + rowH };
    const box: Box = { x: frame.x + mm(3), w: inner.w + 2 * mm(1.6), h: inner.h + 2 * mm(1), y: 0 };
    box.y = frame.y + frame.h - mm(3) - box.h;
    this.#overlayBox(box);
    const x0 = box.x + mm(1.6);
    let y = box.y + mm(1);
    if (caption) {
      ctx.fillStyle = '#444';
      ctx.fillText(caption, x0, y + (7 * PT * 1.1) / 2);
      y += captionH;
    }
    const seg = bar.px / bar.segments;
    const top = y + (rowH - 5) / 2;
    ctx.lineWidth = 0.75;
    ctx.strokeStyle = '#111';
    for (let i = 0; i < bar.segments; i++) {
      ctx.fillStyle = i % 2 ? '#fff' : '#111';
      ctx.fillRect(x0 + i * seg, top + 0.5, seg, 4);
      ctx.strokeRect(x0 + i * seg, top + 0.5, seg, 4);
    }
    ctx.fillStyle = '#111';
    ctx.fillText(bar.label, x0 + bar.px + mm(1.5), y + rowH / 2);
  }

  /** A class's swatch, 5 × 3.6 mm, drawn as the layout's SVG swatches are (viewBox 14 × 10). */
  #swatch(shape: PrintLegendGroup['shape'], c: PrintLegendClass, x: number, y: number, size = 1): void {
    const ctx = this.#ctx;
    const k = (mm(5) / 14) * size;
    ctx.save();
    ctx.translate(x, y);
    ctx.scale(k, k);
    ctx.setLineDash([]);
    if (shape === 'pt') {
      ctx.beginPath();
      ctx.arc(7, 5, 3.6, 0, 2 * Math.PI);
      ctx.fillStyle = c.dash ? '#fff' : c.color;
      ctx.fill();
      ctx.strokeStyle = c.dash ? c.color : '#666';
      ctx.lineWidth = c.dash ? 1.8 : 0.5;
      ctx.stroke();
    } else if (shape === 'ln') {
      ctx.beginPath();
      ctx.moveTo(1, 5);
      ctx.lineTo(13, 5);
      ctx.strokeStyle = c.color;
      ctx.lineWidth = 2.6;
      if (c.dash) ctx.setLineDash([3.5, 2.2]);
      ctx.stroke();
    } else {
      ctx.globalAlpha = 0.5;
      ctx.fillStyle = c.color;
      ctx.fillRect(1, 1, 12, 8);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = c.color;
      ctx.lineWidth = 1.2;
      if (c.dash) ctx.setLineDash([2.5, 1.5]);
      ctx.strokeRect(1, 1, 12, 8);
    }
    ctx.restore();
  }

  /**
   * The legend's groups and, after them, the planning figures, in balanced columns with no
   * block split (as CSS columns with break-inside: avoid lay them out); all of it drawn
   * smaller, down to 55 %, when it would not fit at full size, as the print layout does.
   */
  #legend(b: Box, position: 'side' | 'bottom', columns: number): void {
    const ctx = this.#ctx;
    const rule = mm(0.2);
    ctx.fillStyle = '#999';
    let inner: Box;
    if (position === 'side') {
      ctx.fillRect(b.x, b.y, rule, b.h);
      inner = { x: b.x + rule + mm(3), y: b.y, w: b.w - rule - mm(3), h: b.h };
    } else {
      ctx.fillRect(b.x, b.y, b.w, rule);
      inner = { x: b.x, y: b.y + rule + mm(1.5), w: b.w, h: b.h - rule - mm(1.5) };
    }
    const headH = 10 * PT * 1.3;
    this.#font(10, 700);
    ctx.fillStyle = '#111';
    ctx.fillText(this.#fit(this.#page.labels.legend, inner.w), inner.x, inner.y + headH / 2);
    const top = inner.y + headH + mm(1.5);
    const room = inner.y + inner.h - top;
    const colGap = mm(5);
    const colW = (inner.w - (columns - 1) * colGap) / columns;
    // The shortest column height at which the blocks, in order, fill no more than the columns.
    const balance = (blocks: readonly LegendBlock[]): number => {
      const columnsAt = (limit: number): number => {
        let used = 1;
        let h = 0;
        for (const x of blocks) {
          if (h > 0 && h + x.h > limit + 0.5) {
            used++;
            h = 0;
          }
          h += x.h;
        }
        return used;
      };
      let limit = Math.max(blocks.reduce((sum, x) => sum + x.h, 0) / columns, ...blocks.map((x) => x.h));
      while (columnsAt(limit) > columns && limit < room * 2) limit += mm(1);
      return columnsAt(limit) > columns ? Number.POSITIVE_INFINITY : limit;
    };
    let k = 1;
    let blocks = this.#legendBlocks(k, colW);
    let limit = balance(blocks);
    while (limit > room + 0.5 && k > 0.56) {
      k -= 0.05;
      blocks = this.#legendBlocks(k, colW);
      limit = balance(blocks);
    }
    limit = Math.min(limit, room);
    let col = 0;
    let y = top;
    for (const block of blocks) {
      if (y > top && y + block.h > top + limit + 0.5) {
        col++;
        y = top;
      }
      // What still does not fit at the smallest size is left off rather than drawn over the footer.
      if (col >= columns || y + block.h - mm(2) * k > top + room + 0.5) break;
      block.draw(inner.x + col * (colW + colGap), y);
      y += block.h;
    }
  }

  /** The legend's blocks at scale `k`: each layer's group, then the planning figures. */
  #legendBlocks(k: number, colW: number): LegendBlock[] {
    const ctx = this.#ctx;
    const titleH = Math.max(8 * PT * 1.3, mm(3.6)) * k;
    const rowH = Math.max(7.5 * PT * 1.3, mm(3.6)) * k;
    const sw = mm(3.6) * k;
    const blocks = this.#page.legend.map((g): LegendBlock => {
      const only = g.classes.length === 1 && g.classes[0]!.label === g.name;
      return {
        h: (only ? titleH : titleH + mm(0.6) * k + g.classes.length * rowH) + mm(2) * k,
        draw: (x, y) => {
          this.#font(8 * k, 700);
          ctx.fillStyle = '#111';
          if (only) {
            this.#swatch(g.shape, g.classes[0]!, x, y + (titleH - sw) / 2, k);
            ctx.fillText(this.#fit(g.name, colW - mm(6.5) * k), x + mm(6.5) * k, y + titleH / 2);
            return;
          }
          ctx.fillText(this.#fit(g.name, colW), x, y + titleH / 2);
          let ry = y + titleH + mm(0.6) * k;
          this.#font(7.5 * k);
          for (const c of g.classes) {
            this.#swatch(g.shape, c, x + mm(1) * k, ry + (rowH - sw) / 2, k);
            ctx.fillStyle = '#111';
            ctx.fillText(this.#fit(c.label, colW - mm(7.5) * k), x + mm(7.5) * k, ry + rowH / 2);
            ry += rowH;
          }
        },
      };
    });
    const f = this.#page.figures;
    if (f) {
      this.#font(8 * k, 700);
      const heading = this.#wrap(f.heading, colW);
      this.#font(7.5 * k);
      // The labels' column as wide as its longest label, leaving the values room.
      const labelW = Math.min(colW * 0.6, Math.max(0, ...f.rows.filter(([, v]) => v).map(([label]) => ctx.measureText(label).width)) + mm(2) * k);
      // Like a group: its gap after it, which the column break allows for.
      blocks.push({
        h: heading.length * titleH + mm(0.6) * k + f.rows.length * rowH + mm(2) * k,
        draw: (x, y) => {
          let ry = y;
          this.#font(8 * k, 700);
          ctx.fillStyle = '#111';
          for (const line of heading) {
            ctx.fillText(line, x, ry + titleH / 2);
            ry += titleH;
          }
          ry += mm(0.6) * k;
          for (const [label, value] of f.rows) {
            this.#font(7.5 * k);
            ctx.fillStyle = '#444';
            ctx.fillText(this.#fit(label, value ? labelW - mm(1) * k : colW), x, ry + rowH / 2);
            if (value) {
              this.#font(7.5 * k, 600);
              ctx.fillStyle = '#111';
              ctx.fillText(this.#fit(value, colW - labelW), x + labelW, ry + rowH / 2);
            }
            ry += rowH;
          }
        },
      });
    }
    return blocks;
  }

  #footer(b: Box): void {
    const ctx = this.#ctx;
    const L = this.#page.labels;
    ctx.fillStyle = '#999';
    ctx.fillRect(b.x, b.y, b.w, mm(0.2));
    const lh = 7 * PT * 1.3;
    let y = b.y + mm(0.2) + mm(1);
    const bottom = b.y + b.h;
    // Date and attribution from the left, each with its caption in bold.
    let x = b.x;
    const items = [[L.date, this.#page.date], [L.attribution, this.#page.attribution]].filter(([, v]) => v);
    for (const [k, v] of items) {
      this.#font(7, 700);
      ctx.fillStyle = '#333';
      const kw = ctx.measureText(k!).width;
      ctx.fillText(k!, x, y + lh / 2);
      x += kw + mm(1.5);
      this.#font(7);
      const text = this.#fit(v!, b.x + b.w - x);
      ctx.fillText(text, x, y + lh / 2);
      x += ctx.measureText(text).width + mm(5);
    }
    if (!L.demo) return;
    // The demo notice at the right: beside them when it fits, else on the lines below.
    this.#font(7);
    ctx.fillStyle = '#7a4d00';
    ctx.textAlign = 'right';
    const right = b.x + b.w;
    if (ctx.measureText(L.demo).width <= right - x) {
      ctx.fillText(L.demo, right, y + lh / 2);
    } else {
      if (items.length === 0) y -= lh;
      for (const line of this.#wrap(L.demo, b.w)) {
        y += lh;
        if (y + lh > bottom + 0.5) break;
        ctx.fillText(line, right, y + lh / 2);
      }
    }
    ctx.textAlign = 'left';
  }
}
