/**
 * Data in and out, in Chromium: every file of the broken corpus gets its message and
 * leaves the loaded layers untouched; a good file becomes a layer that survives a reload
 * (IndexedDB); a projected CSV is recognised and can be re-read in another CRS; exports
 * download files that independent readers accept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFgb, readFgbHeader } from '../../src/data/fgb/read-fgb.ts';
import { importFile } from '../../src/data/import/import-file.ts';
import type { DataMessage } from '../../src/data/messages.ts';
import { describeMessage } from '../../src/ui/data-message.ts';
import { loadMessages } from '../../src/ui/i18n.ts';
import { launchBrowser, showTab, waitForMapReady, watchPage } from './browser.ts';

const root = join(import.meta.dirname, '..', '..');
const bad = join(root, 'test', 'fixtures', 'bad');
const expected = JSON.parse(readFileSync(join(bad, 'expected.json'), 'utf8')) as Record<string, { error?: string; message: string; loaded?: number; skipped?: number; maxBytes?: number }>;
const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  // The expected sentences are made here with the UI's own tables.
  await Promise.all([loadMessages('zh'), loadMessages('en')]);
});
afterAll(async () => {
  await browser?.close();
});

const counts = (page: Page) =>
  page.evaluate(() => Object.fromEntries(Object.entries(window.__zs!.store.state.layers).map(([id, l]) => [id, l.count])));

async function open(locale = 'zh-CN'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale, acceptDownloads: true });
  await page.goto(baseUrl);
  await waitForMapReady(page);
  return page;
}

/** Imports through the Data tab's file input, as a user's pick. */
async function importBytes(page: Page, name: string, buffer: Buffer): Promise<void> {
  await showTab(page, 'data');
  await page.locator('#import-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
}

describe('import in the browser', () => {
  /** What the import says of each broken file, read in Node with the same code: the error, or the problems of a partial load. */
  async function said(file: string): Promise<{ error: DataMessage | null; problems: DataMessage[] }> {
    try {
      const r = await importFile(new Uint8Array(readFileSync(join(bad, file))), file);
      return { error: null, problems: r.problems };
    } catch (e) {
      return { error: (e as { detail: DataMessage }).detail, problems: [] };
    }
  }
  /** JavaScript's own words, which must never reach the user. */
  const RAW = /Maximum call stack|Cannot read properties|Unserializable|ends too early|is not valid JSON(?!:)|\[object Object\]|undefined|NaN/;

  for (const [lang, locale] of [['zh', 'zh-CN'], ['en', 'en-US']] as const) {
    it(`shows each broken file’s message in ${lang === 'zh' ? 'Chinese' : 'English'}, naming the file, and keeps every loaded layer`, async () => {
      const page = await open(locale);
      const log = watchPage(page);
      const before = await counts(page);
      const status = page.locator('zs-data-io-panel #import-status');
      // The size limit needs a file over 200 MB to trip in the app; the unit tests cover it
      // with a small limit.
      for (const [file, exp] of Object.entries(expected).filter(([, e]) => e.maxBytes === undefined && !/over-limit/.test(e.message))) {
        await importBytes(page, file, readFileSync(join(bad, file)));
        await page.waitForFunction((f) => {
          const job = window.__zs!.store.state.importJob;
          return job.what === f && (job.status === 'done' || job.status === 'error');
        }, file, { timeout: 20_000 });
        await expect.poll(() => status.textContent()).toContain(file);
        const { error, problems } = await said(file);
        let text: string;
        if (exp.error) {
          expect(await status.getAttribute('data-status'), file).toBe('error');
          text = (await status.locator('[role=alert]').textContent())!;
          // The XML parser's own detail differs between the browser and Node: compare what comes before it.
          const want = describeMessage(lang, error!);
          expect(text, file).toContain(file.endsWith('.kml') ? want.slice(0, want.indexOf(lang === 'zh' ? '：' : ':')) : want);
        } else {
          expect(await status.getAttribute('data-status'), file).toBe('done');
          text = (await status.textContent())!;
          for (const p of problems) expect(text, file).toContain(describeMessage(lang, p));
        }
        expect(text, file).toContain(file);
        expect(text, file).not.toMatch(RAW);
        // Sentences in the UI's language: Chinese in the Chinese UI, no Chinese in the English one beyond names.
        if (lang === 'zh') expect(text, file).toMatch(/[\u4e00-\u9fff]{4}/);
        else expect(text.replace(/经度\/纬度/g, ''), file).not.toMatch(/[\u4e00-\u9fff]/);
        const now = await counts(page);
        for (const [id, n] of Object.entries(before)) if (!id.startsWith('user-')) expect(now[id], `${file}: ${id}`).toBe(n);
      }
      expect(log.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
      await page.close();
    });
  }

  it('imports the readable part of a damaged shapefile, says what is missing, and removes it on request', async () => {
    const page = await open();
    await importBytes(page, 'cut-shp.zip', readFileSync(join(bad, 'cut-shp.zip')));
    const status = page.locator('zs-data-io-panel #import-status');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => status.locator('[data-incomplete]').count()).toBe(1);
    expect(await status.locator('li[data-code=shpCut]').textContent()).toContain('cut.shp\u2069 不完整：20 个图形中只读到 9 个，其余缺失');
    const id = await page.evaluate(() => window.__zs!.store.state.importJob.response!.layerId);
    expect(await page.evaluate((l) => window.__zs!.store.state.data[l]?.features.length, id)).toBe(9);
    // The job line on another tab says it too, with the same way back.
    await showTab(page, 'layers');
    const line = page.locator('zs-job-status p[data-job=import]');
    await expect.poll(() => line.textContent()).toContain('部分内容未能读取');
    await line.locator(`button[data-remove="${id}"]`).click();
    await expect.poll(() => page.locator(`li[data-layer="${id}"]`).count()).toBe(0);
    await expect.poll(() => line.textContent()).toContain('已移除');
    await page.close();
  });

  it('turns a good file into a layer that survives a reload, and can be removed', async () => {
    const page = await open();
    const fc = {
      type: 'FeatureCollection',
      features: [1, 2, 3].map((i) => ({ type: 'Feature', properties: { id: `s${i}`, name: `测点${i} <b>x</b>` }, geometry: { type: 'Point', coordinates: [122.2 + i / 1000, 29.99] } })),
    };
    await importBytes(page, 'survey.geojson', Buffer.from(JSON.stringify(fc)));
    await expect.poll(() => page.locator('zs-data-io-panel #import-status').getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    await showTab(page, 'layers');
    const row = page.locator('li[data-layer="user-survey"]');
    await expect.poll(() => row.locator('.state').getAttribute('data-count'), { timeout: 20_000 }).toBe('3');
    await page.reload();
    await waitForMapReady(page);
    // The link may still name the Data tab, if the reload came before the hash caught up.
    await showTab(page, 'layers');
    await expect.poll(() => page.locator('li[data-layer="user-survey"] .state').getAttribute('data-count'), { timeout: 20_000 }).toBe('3');
    await page.locator('li[data-layer="user-survey"] button[data-action=remove]').click();
    await expect.poll(() => page.locator('li[data-layer="user-survey"]').count()).toBe(0);
    await page.reload();
    await waitForMapReady(page);
    // Every kept layer is back by then.
    await page.evaluate(() => window.__zs!.dataIo.layersRestored);
    await showTab(page, 'layers');
    expect(await page.locator('li[data-layer="user-survey"]').count()).toBe(0);
    await page.close();
  });

  it('recognises a CSV in CGCS2000 Gauss–Krüger and lets the user re-read it in another CRS', async () => {
    const page = await open();
    const csv = '\ufeffname,x,y\n新城测点,423089.934,3319050.544\n另一点,423189.934,3319150.544\n';
    await importBytes(page, 'points.csv', Buffer.from(csv));
    const status = page.locator('zs-data-io-panel #import-status');
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain('EPSG:4550');
    const lonlat = () => page.evaluate(() => (window.__zs!.store.state.data['user-points']!.features[0] as Feature<GeoJSON.Point>).geometry.coordinates);
    const [lon, lat] = await lonlat();
    expect(lon).toBeCloseTo(122.203, 6);
    expect(lat).toBeCloseTo(29.988, 6);
    await status.locator('#recrs').selectOption('EPSG:4549');
    await expect.poll(async () => (await lonlat())[0], { timeout: 20_000 }).toBeLessThan(121);
    await page.close();
  });
});

describe('export in the browser', () => {
  async function download(page: Page, pick: { scope?: string; layer: string; format: string; crs?: string }): Promise<Buffer> {
    await showTab(page, 'data');
    const panel = page.locator('zs-data-io-panel');
    if (pick.scope) await panel.locator('#export-scope').selectOption(pick.scope);
    await panel.locator('#export-layer').selectOption(pick.layer);
    await panel.locator('#export-format').selectOption(pick.format);
    if (pick.crs) await panel.locator('#export-crs').selectOption(pick.crs);
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), panel.locator('#export-run').click()]);
    const path = await dl.path();
    expect(dl.suggestedFilename()).toMatch(new RegExp(`^${pick.layer}_\\d{4}-\\d{2}-\\d{2}_`));
    return readFileSync(path);
  }

  it('exports indexed FlatGeobuf in EPSG:4550 and RFC 7946 GeoJSON, of a layer and of its filtered features', async () => {
    const page = await open();
    const fgb = new Uint8Array(await download(page, { layer: 'idle-plots', format: 'fgb', crs: 'EPSG:4550' }));
    const header = readFgbHeader(fgb);
    expect(header.crs?.code).toBe(4550);
    expect(header.indexNodeSize).toBe(16);
    const features: Feature[] = [];
    for await (const f of readFgb(fgb)) features.push(f);
    expect(features).toHaveLength(58);
    expect(features[0]!.properties!.area_m2).toBeGreaterThan(0);
    const [x] = (features[0]!.geometry as GeoJSON.Polygon).coordinates[0]![0]!;
    expect(x).toBeGreaterThan(300_000);

    await showTab(page, 'layers');
    const row = page.locator('li[data-layer="idle-plots"]');
    await row.locator('button[data-action=filter]').click();
    await row.locator('zs-filter-editor input[data-field=status][data-value=in_progress]').uncheck();
    const gj = JSON.parse((await download(page, { scope: 'filtered', layer: 'idle-plots', format: 'geojson' })).toString('utf8')) as { features: unknown[]; crs?: unknown };
    expect(gj.features).toHaveLength(52);
    expect(gj.crs).toBeUndefined();
    expect(JSON.stringify(gj)).toContain('闲置地块');
    await page.close();
  });

  it('exports CSV with a BOM for Excel', async () => {
    const page = await open();
    const csv = await download(page, { layer: 'ebike-stations', format: 'csv', crs: 'EPSG:4490' });
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').trim().split(/\r?\n/);
    expect(lines).toHaveLength(321);
    expect(lines[1]).toMatch(/电单车停放点/);
    await page.close();
  });
});
