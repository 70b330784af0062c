/**
 * Print and "Save PNG", in Chromium: the legend lists only what the printed map shows (the
 * classes left by the filters, the layers with features in the printed extent), the title
 * and a note are edited in the preview, and the saved PNG is the whole page at two image
 * pixels per CSS pixel of paper, with the title, the legend and the demo-data notice drawn
 * on it, not the bare map.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mapImageSize, mmToPx, pageLayout } from '../../src/app/print-geometry.ts';
import { launchBrowser, waitForMapReady, watchPage } from './browser.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens the print preview and waits for its map image; the legend's text. */
async function openPrint(page: Page, layout: Locator): Promise<string> {
  await page.locator('#print-open').click();
  await expect.poll(() => layout.locator('img').count(), { timeout: 60_000 }).toBeGreaterThan(0);
  return (await layout.locator('.legend').textContent()) ?? '';
}

async function closePrint(page: Page, layout: Locator): Promise<void> {
  await page.keyboard.press('Escape');
  await expect.poll(() => layout.isVisible()).toBe(false);
}

/** The width and height a PNG's IHDR chunk gives. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  expect(bytes.subarray(12, 16).toString()).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('print', () => {
  it('the legend follows the filters and the printed extent; Save PNG saves the whole page with its title, note, legend and demo notice', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const log = watchPage(page);
    await page.goto(baseUrl);
    await waitForMapReady(page);
    const layout = page.locator('zs-print-layout');

    // The whole programme: every class of the idle plots, and the third-party car parks.
    let legend = await openPrint(page, layout);
    expect(legend).toContain('整治中');
    expect(legend).toContain('第三方停车场');
    await closePrint(page, layout);

    // Only finished plots: the "in progress" class leaves the legend.
    await page.evaluate(() => window.__zs!.store.setFilter('idle-plots', 'status', { field: 'status', kind: 'values', values: ['finished'] }));
    legend = await openPrint(page, layout);
    expect(legend).toContain('提质优化完成');
    expect(legend).not.toContain('整治中');
    expect(legend).toContain('第三方停车场');
    await closePrint(page, layout);

    // Dinghai old town holds no third-party car park: that layer leaves the legend.
    await page.evaluate(() => window.__zs!.store.moveCamera({ center: [122.103, 30.018], zoom: 14.5 }));
    await expect.poll(() => page.evaluate(() => window.__zs!.store.state.view.zoom), { timeout: 10_000 }).toBe(14.5);
    legend = await openPrint(page, layout);
    expect(legend).toContain('闲置地块');
    expect(legend).not.toContain('第三方停车场');

    // Title and note, typed in the preview, go onto the page.
    await layout.locator('#print-title').fill('定海老城区整治图');
    await layout.locator('#print-note').fill('仅显示已完成地块');
    await expect.poll(() => layout.locator('header h1').textContent()).toBe('定海老城区整治图');
    expect(await layout.locator('header p.note').textContent()).toBe('仅显示已完成地块');
    expect(await page.evaluate(() => window.__zs!.store.state.print)).toMatchObject({ title: '定海老城区整治图', note: '仅显示已完成地块' });
    await page.screenshot({ path: 'test-results/print-edited.png' });

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), layout.getByRole('button', { name: /PNG/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^zhoushan-map-\d{4}-\d{2}-\d{2}\.png$/);
    const bytes = readFileSync(await download.path());
    // The page at 2 px per CSS px of A4 landscape paper, larger than the map image alone.
    const size = pngSize(bytes);
    const l = pageLayout('A4', 'landscape');
    expect(size).toEqual({ width: Math.round(mmToPx(297) * 2), height: Math.round(mmToPx(210) * 2) });
    const mapOnly = mapImageSize('A4', 'landscape');
    expect(size.width).toBeGreaterThan(mapOnly.width * 2);
    expect(size.height).toBeGreaterThan(mapOnly.height * 2);

    // Decoded in the page: what is drawn where the layout puts the title, the legend and the footer.
    const px = (mm: number): number => Math.round(mmToPx(mm) * 2);
    const m = l.marginMm;
    const regions = {
      title: [px(m), px(m), px(120), px(l.headerMm)],
      legend: [px(m + l.map.widthMm + l.gapMm), px(m + l.headerMm + l.gapMm), px(l.legend.widthMm), px(l.map.heightMm)],
      footer: [px(m), px(m + l.content.heightMm - 1 - l.footerMm), px(l.content.widthMm), px(l.footerMm)],
    };
    const counts = await page.evaluate(async ({ b64, regions }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([data], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const out: Record<string, { dark: number; ink: number; demo: number }> = {};
      for (const [name, [x, y, w, h]] of Object.entries(regions)) {
        const d = ctx.getImageData(x!, y!, w!, h!).data;
        let dark = 0;
        let ink = 0;
        let demo = 0;
        for (let i = 0; i < d.length; i += 4) {
          const [r, g, b] = [d[i]!, d[i + 1]!, d[i + 2]!];
          if (r < 90 && g < 90 && b < 90) dark++;
          if (r < 235 || g < 235 || b < 235) ink++;
          // The demo notice's brown (#7a4d00).
          if (r > 90 && r < 170 && g > 40 && g < 120 && b < 50 && r - g > 25) demo++;
        }
        out[name] = { dark, ink, demo };
      }
      return out;
    }, { b64: bytes.toString('base64'), regions });
    expect(counts.title!.dark).toBeGreaterThan(500);
    expect(counts.legend!.ink).toBeGreaterThan(500);
    expect(counts.footer!.dark).toBeGreaterThan(100);
    expect(counts.footer!.demo).toBeGreaterThan(100);
    expect(log.errors).toEqual([]);
    await page.close();
  });
});
