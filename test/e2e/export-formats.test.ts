/**
 * The new export formats from the Data tab, read back in Node by GDAL (ogrinfo, ogr2ogr):
 * GeoPackage, Shapefile (GBK), DXF and XLSX of a demo layer, and the visible layers as one
 * zip. Served by nginx with the deployed Content-Security-Policy as a header, which also
 * binds the io worker: SQLite's WebAssembly needs 'wasm-unsafe-eval', and a large sheet
 * must be zipped without the blob: workers the policy refuses.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { epsgOf, featureCounts, fieldTypes, ogrAll, ogrSummary, unzipInto } from '../../src/data/export/test-gdal.ts';
import { launchBrowser, showTab, waitForMapReady, watchPage, type PageLog } from './browser.ts';

const nginxUrl = inject('nginxUrl');
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'export-formats-'));

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(locale = 'zh-CN'): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale, acceptDownloads: true });
  const log = watchPage(page);
  await page.goto(nginxUrl);
  await waitForMapReady(page);
  await showTab(page, 'data');
  return { page, log };
}

interface Pick {
  scope?: string;
  layer?: string;
  format: string;
  crs?: string;
  encoding?: string;
}

/** Exports through the panel; returns the saved file's path and its suggested name. */
async function download(page: Page, pick: Pick): Promise<{ path: string; name: string }> {
  const panel = page.locator('zs-data-io-panel');
  if (pick.scope) await panel.locator('#export-scope').selectOption(pick.scope);
  if (pick.layer) await panel.locator('#export-layer').selectOption(pick.layer);
  await panel.locator('#export-format').selectOption(pick.format);
  if (pick.crs) await panel.locator('#export-crs').selectOption(pick.crs);
  if (pick.encoding) await panel.locator('#export-encoding').selectOption(pick.encoding);
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), panel.locator('#export-run').click()]);
  const name = dl.suggestedFilename();
  const path = join(dir, name);
  await dl.saveAs(path);
  return { path, name };
}

describe('export formats from the Data tab, read back by GDAL', () => {
  it('offers each format with the coordinate systems it can hold, and the encoding for Shapefile', async () => {
    const { page } = await open();
    const panel = page.locator('zs-data-io-panel');
    // The Data tab's panel loads on first use: wait for its format list.
    await expect.poll(() => panel.locator('#export-format option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)))
      .toEqual(['geojson', 'csv', 'fgb', 'gpkg', 'shp', 'dxf', 'xlsx']);
    const crsOptions = (): Promise<string[]> => panel.locator('#export-crs option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    await panel.locator('#export-format').selectOption('dxf');
    expect(await crsOptions()).toEqual(['EPSG:4550', 'EPSG:4529', 'EPSG:4549', 'EPSG:4528']);
    expect(await panel.locator('#export-encoding').count()).toBe(0);
    await panel.locator('#export-format').selectOption('shp');
    expect(await crsOptions()).not.toContain('GCJ02');
    expect(await panel.locator('#export-encoding').inputValue()).toBe('gbk');
    await panel.locator('#export-format').selectOption('xlsx');
    expect(await crsOptions()).toContain('GCJ02');
    await page.close();
  });

  it('GeoPackage: 58 plots in EPSG:4550 with typed columns and coded values', async () => {
    const { page, log } = await open();
    const { path, name } = await download(page, { layer: 'idle-plots', format: 'gpkg', crs: 'EPSG:4550' });
    expect(name).toMatch(/^idle-plots_\d{4}-\d{2}-\d{2}_EPSG-4550\.gpkg$/);
    const summary = ogrSummary(path);
    expect(featureCounts(summary)).toEqual([58]);
    expect(epsgOf(summary)).toBe(4550);
    expect(fieldTypes(summary)).toMatchObject({ status: 'String', wall_opened_m: 'Integer', rubbish_t: 'Real', completed_on: 'Date', area_m2: 'Real' });
    expect(summary).toContain('status: String (0.0), domain name=idle_plots_status');
    await expect.poll(() => page.locator('zs-data-io-panel #export-status').textContent()).toContain(name);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('Shapefile: a zip in GBK with .prj and .cpg that GDAL reads in Chinese', async () => {
    const { page, log } = await open();
    const { path, name } = await download(page, { layer: 'idle-plots', format: 'shp', crs: 'EPSG:4550', encoding: 'gbk' });
    expect(name).toMatch(/^idle-plots_.*_EPSG-4550\.zip$/);
    const shpDir = mkdtempSync(join(dir, 'shp-'));
    expect(unzipInto(shpDir, new Uint8Array(readFileSync(path))).sort()).toEqual(
      ['cpg', 'dbf', 'prj', 'shp', 'shx'].map((e) => `idle-plots.${e}`),
    );
    const summary = ogrSummary(join(shpDir, 'idle-plots.shp'));
    expect(featureCounts(summary)).toEqual([58]);
    expect(epsgOf(summary)).toBe(4550);
    // completed_on cut to dBase's 10 bytes.
    expect(fieldTypes(summary)).toMatchObject({ completed_: 'Date', rubbish_t: 'Real', wall_opene: 'Integer' });
    expect(ogrAll(join(shpDir, 'idle-plots.shp'))).toMatch(/name \(String\) = \S*闲置地块/);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('DXF: CAD layers by status with Chinese names, in metres', async () => {
    const { page, log } = await open();
    const { path } = await download(page, { layer: 'idle-plots', format: 'dxf', crs: 'EPSG:4550' });
    const all = ogrAll(path);
    const layers = new Set([...all.matchAll(/Layer \(String\) = (\S+)/g)].map((m) => m[1]));
    expect([...layers].sort()).toEqual(['idle-plots_finished', 'idle-plots_in_progress', 'idle-plots_label']);
    expect(all).toMatch(/Text \(String\) = \S*闲置地块/);
    const x = Number(/LINESTRING Z \((\d+\.?\d*) /.exec(all)![1]);
    expect(x).toBeGreaterThan(380_000);
    expect(x).toBeLessThan(480_000);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('XLSX: every community with titled columns, labels beside codes and WKT (a sheet large enough to be zipped in parts)', async () => {
    const { page, log } = await open('en-US');
    const { path } = await download(page, { layer: 'communities', format: 'xlsx', crs: 'EPSG:4490' });
    const summary = ogrSummary(path);
    expect(summary).toContain('Layer name: Residential communities');
    expect(featureCounts(summary)[0]).toBe(610);
    const types = fieldTypes(summary);
    expect(types).toMatchObject({ ID: 'String', District: 'String', 'District (code)': 'String', 'Geometry (WKT)': 'String' });
    // The title carries the unit: "Households (…)".
    expect(Object.entries(types).find(([k]) => k.startsWith('Households'))?.[1]).toBe('Integer');
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('visible layers: one zip holding a file per layer, named on the job line', async () => {
    const { page, log } = await open();
    const { path, name } = await download(page, { scope: 'visible', format: 'gpkg', crs: 'EPSG:4490' });
    expect(name).toMatch(/^layers-gpkg_\d{4}-\d{2}-\d{2}_EPSG-4490\.zip$/);
    const zipDir = mkdtempSync(join(dir, 'zip-'));
    const entries = unzipInto(zipDir, new Uint8Array(readFileSync(path)));
    const visible = await page.evaluate(() => Object.entries(window.__zs!.store.state.layers).filter(([, l]) => l.visible && l.status === 'ready' && (l.count ?? 0) > 0).map(([id]) => id));
    expect(entries.map((e) => e.replace(/_.*$/, '')).sort()).toEqual([...visible].sort());
    for (const e of entries) expect(epsgOf(ogrSummary(join(zipDir, e))), e).toBe(4490);
    const status = page.locator('zs-data-io-panel #export-status');
    await expect.poll(() => status.textContent()).toContain(name);
    expect(await status.textContent()).toContain(`${visible.length} 个图层`);
    expect(log.errors).toEqual([]);
    await page.close();
  });
});
