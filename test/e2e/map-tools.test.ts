/**
 * The map tools a planner reaches for (issue 11, items 8, 9 and 16): measuring with a
 * running total and labels that stay until cleared; a grid choropleth whose colours are the
 * legend's, with each cell's figure on hover and click and the cells below target listed,
 * sortable, zoomable and exportable; a list when a click hits several features; the
 * pointer's position in WGS84 and Gauss–Krüger and a go-to box; a study area's own area and
 * its split by stage; buffer hits on the map, clickable and exportable.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LineString, Polygon } from 'geojson';
import proj4 from 'proj4';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { geodesicArea, geodesicLength } from '../../src/analysis/geodesic.ts';
import { featuresInArea } from '../../src/analysis/in-area.ts';
import { COVERAGE_CLASSES } from '../../src/app/style-classes.ts';
import { parseCatalogue } from '../../src/data/catalogue.ts';
import { readLayer } from '../../src/analysis/coverage/test/support.ts';
import { launchBrowser, waitForMapReady, watchPage } from './browser.ts';

const root = join(import.meta.dirname, '..', '..');
const baseUrl = inject('baseUrl');
const catalogue = parseCatalogue(JSON.parse(readFileSync(join(root, 'data', 'catalogue.json'), 'utf8')));
const GK = '+proj=tmerc +lat_0=0 +lon_0=123 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function open(hash = '', size = { width: 1280, height: 800 }, locale = 'zh-CN') {
  const page = await browser.newPage({ viewport: size, locale });
  const log = watchPage(page);
  await page.goto(`${baseUrl}${hash}`);
  await waitForMapReady(page);
  return { page, log };
}

/** Resolves when the map has drawn everything it was asked to (a repaint is asked for, so 'idle' comes). */
const idle = (page: Page): Promise<void> =>
  page.evaluate(() => new Promise<void>((resolve) => {
    const map = window.__zs!.map;
    map.once('idle', () => resolve());
    map.triggerRepaint();
  }));

const analysisTab = async (page: Page): Promise<void> => {
  await page.locator('[role=tab]#tab-analysis').click();
};

const waitCoverage = (page: Page) =>
  page.waitForFunction(() => window.__zs!.store.state.coverage.status === 'done', undefined, { timeout: 60_000 });

describe('measuring (item 8)', () => {
  it('shows a line and its running total while it is drawn, keeps it with its labels when finished, and Clear removes it', async () => {
    const { page, log } = await open('#map=15/29.99600/122.20500');
    await analysisTab(page);
    await page.locator('zs-analysis-panel button[data-tool=measure-line]').click();
    await page.waitForSelector('#map[data-draw-mode=linestring]');
    const box = (await page.locator('#map canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const clicks: [number, number][] = [[cx - 200, cy - 100], [cx + 100, cy - 60], [cx + 160, cy + 150]];
    const segments = () => page.evaluate(() => window.__zs!.store.state.measurement?.segments?.length ?? -1);
    // Each click adds a vertex; its running figure arrives with the next frame.
    for (const [i, [x, y]] of clicks.entries()) {
      await page.mouse.click(x, y);
      await expect.poll(segments, { timeout: 20_000 }).toBe(i);
    }
    // Still drawing: the running total is on the panel and on the map, before any finish.
    const shown = page.locator('zs-analysis-panel #measurement');
    await expect.poll(() => shown.getAttribute('data-drawing'), { timeout: 20_000 }).toBe('true');
    const sketch = (await page.evaluate(() => window.__zs!.store.state.measurement!.geometry)) as LineString;
    expect(sketch.type).toBe('LineString');
    const running = Number(await shown.getAttribute('data-value'));
    expect(Math.abs(running - geodesicLength(sketch))).toBeLessThan(0.1);
    expect(running).toBeGreaterThan(100);
    expect(await shown.textContent()).toMatch(/测量中/);
    await idle(page);
    const rendered = (layers: string[]) => page.evaluate((ids) => window.__zs!.map.queryRenderedFeatures({ layers: ids }).length, layers);
    expect(await rendered(['measure-total'])).toBe(1);
    expect(await rendered(['measure-label'])).toBeGreaterThanOrEqual(1);

    // Finish by clicking the last point again: the shape stays on the map, the tool is put away.
    await page.mouse.click(clicks[2]![0], clicks[2]![1]);
    await expect.poll(() => shown.getAttribute('data-drawing'), { timeout: 20_000 }).toBe('false');
    expect(await page.evaluate(() => window.__zs!.store.state.tool)).toBe('none');
    const line = (await page.evaluate(() => window.__zs!.store.state.measurement!.geometry)) as LineString;
    // The vertices are where the clicks were.
    const clicked = await page.evaluate((pts) => {
      const map = window.__zs!.map;
      const r = map.getCanvas().getBoundingClientRect();
      return pts.map(([x, y]) => map.unproject([x - r.left, y - r.top]).toArray());
    }, clicks);
    const distinct = line.coordinates.filter((p, i, a) => i === 0 || p[0] !== a[i - 1]![0] || p[1] !== a[i - 1]![1]);
    expect(distinct).toHaveLength(3);
    distinct.forEach((p, i) => {
      expect(Math.abs(p[0]! - clicked[i]![0])).toBeLessThan(1e-5);
      expect(Math.abs(p[1]! - clicked[i]![1])).toBeLessThan(1e-5);
    });
    const total = Number(await shown.getAttribute('data-value'));
    expect(Math.abs(total - geodesicLength(line))).toBeLessThan(0.1);
    // The panel's text is the same figure, as people read it.
    const text = (await shown.textContent()) ?? '';
    const km = /([\d.,]+)\s*km/.exec(text);
    const m = /([\d.,]+)\s*m\b/.exec(text);
    const read = km ? Number(km[1]!.replace(/,/g, '')) * 1000 : Number(m![1]!.replace(/,/g, ''));
    expect(Math.abs(read - total)).toBeLessThan(km ? 0.5 : 0.05);
    await idle(page);
    expect(await rendered(['measure-line'])).toBeGreaterThan(0);
    expect(await rendered(['measure-total'])).toBe(1);
    expect(await rendered(['measure-label'])).toBeGreaterThanOrEqual(1);

    await page.locator('zs-analysis-panel #measure-clear').click();
    await expect.poll(() => page.evaluate(() => window.__zs!.store.state.measurement)).toBeNull();
    await idle(page);
    expect(await rendered(['measure-line', 'measure-total', 'measure-label'])).toBe(0);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('measures an area on the ellipsoid, and Escape gives up a drawing', async () => {
    const { page, log } = await open('#map=15/29.99600/122.20500');
    await analysisTab(page);
    await page.locator('zs-analysis-panel button[data-tool=measure-area]').click();
    await page.waitForSelector('#map[data-draw-mode=measure-polygon]');
    const box = (await page.locator('#map canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const corners: [number, number][] = [[cx - 150, cy - 100], [cx + 150, cy - 100], [cx + 50, cy + 120]];
    const sides = () => page.evaluate(() => window.__zs!.store.state.measurement?.segments?.length ?? -1);
    for (const [x, y] of corners) {
      const before = await sides();
      await page.mouse.click(x, y);
      await expect.poll(sides, { timeout: 20_000 }).toBeGreaterThan(before);
    }
    const shown = page.locator('zs-analysis-panel #measurement');
    await expect.poll(() => shown.getAttribute('data-drawing'), { timeout: 20_000 }).toBe('true');
    // Closing on the first corner finishes it.
    await page.mouse.click(corners[0]![0], corners[0]![1]);
    await expect.poll(() => shown.getAttribute('data-drawing'), { timeout: 20_000 }).toBe('false');
    const poly = (await page.evaluate(() => window.__zs!.store.state.measurement!.geometry)) as Polygon;
    expect(poly.type).toBe('Polygon');
    expect(Math.abs(Number(await shown.getAttribute('data-value')) - geodesicArea(poly))).toBeLessThan(0.1);
    expect(await shown.textContent()).toMatch(/公顷|m²/);

    // A new measuring replaces it; Escape before finishing leaves nothing, and the tool is put away.
    await page.locator('zs-analysis-panel button[data-tool=measure-line]').click();
    await page.waitForSelector('#map[data-draw-mode=linestring]');
    expect(await page.evaluate(() => window.__zs!.store.state.measurement)).toBeNull();
    await page.mouse.click(cx - 100, cy);
    await page.mouse.click(cx + 100, cy + 40);
    await expect.poll(() => page.evaluate(() => window.__zs!.store.state.measurement?.drawing ?? false), { timeout: 20_000 }).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => window.__zs!.store.state.tool)).toBe('none');
    await expect.poll(() => page.evaluate(() => window.__zs!.store.state.measurement)).toBeNull();
    await page.waitForSelector('#map:not([data-draw-mode])');
    expect(log.errors).toEqual([]);
    await page.close();
  });
});

describe('the grid choropleth (item 9)', () => {
  it('draws each cell in its legend swatch’s colour, and shows a cell’s figure on hover and click', async () => {
    const { page, log } = await open('#map=13.6/29.99000/122.20000');
    await analysisTab(page);
    await waitCoverage(page);
    // Only the choropleth: no thematic layer over the cells.
    await page.evaluate(() => window.__zs!.store.setVisibleLayers([]));
    await idle(page);
    // Per class, a cell whose centre shows nothing but the cell (no road, no covered land, no label).
    const samples = await page.evaluate((classes) => {
      const { map, store } = window.__zs!;
      const s = store.state;
      const byZone = s.coverage.response!.result.byZone;
      const grid = s.data[s.catalogue!.analysis!.zones]!.features;
      const out: { min: number; id: string; x: number; y: number }[] = [];
      for (const c of classes) {
        const next = classes.find((k) => k.min > c.min)?.min ?? Infinity;
        for (const f of grid) {
          const id = String(f.properties!.id);
          const z = byZone[id];
          if (!z || !(z.area > 0) || z.share < c.min || z.share >= next) continue;
          const ring = (f.geometry as GeoJSON.Polygon).coordinates[0]!.slice(0, -1);
          const lng = ring.reduce((a, p) => a + p[0]!, 0) / ring.length;
          const lat = ring.reduce((a, p) => a + p[1]!, 0) / ring.length;
          const p = map.project([lng, lat]);
          const { width, height } = map.getCanvas().getBoundingClientRect();
          if (p.x < 10 || p.y < 10 || p.x > width - 10 || p.y > height - 10) continue;
          const around = map.queryRenderedFeatures([[p.x - 3, p.y - 3], [p.x + 3, p.y + 3]]).map((h) => h.layer.id);
          if (around.every((id) => id === 'analysis-grid-fill' || id === 'land')) {
            out.push({ min: c.min, id, x: p.x, y: p.y });
            break;
          }
        }
      }
      return out;
    }, COVERAGE_CLASSES.map((c) => ({ min: c.min })));
    expect(samples.length).toBeGreaterThanOrEqual(3);
    // The pixels, read in the frame MapLibre has just drawn (its buffer is not kept after it).
    const pixels = await page.evaluate((pts) => new Promise<number[][]>((resolve) => {
      const map = window.__zs!.map;
      map.once('render', () => {
        const canvas = map.getCanvas();
        const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl'))!;
        const ratio = canvas.width / canvas.getBoundingClientRect().width;
        resolve(pts.map(({ x, y }) => {
          const px = new Uint8Array(4);
          gl.readPixels(Math.round(x * ratio), Math.round(canvas.height - y * ratio), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
          return [...px];
        }));
      });
      map.triggerRepaint();
    }), samples);
    for (const [i, sample] of samples.entries()) {
      // The legend lists the covered land, then the classes in order, then cells without residential land.
      const nth = 1 + COVERAGE_CLASSES.findIndex((c) => c.min === sample.min);
      const swatch = await page.locator('zs-analysis-panel .legend .sw').nth(nth).evaluate((el) => getComputedStyle(el).backgroundColor);
      const [r, g, b] = (/rgba?\((\d+), (\d+), (\d+)/.exec(swatch) ?? []).slice(1).map(Number);
      const [pr, pg, pb] = pixels[i]!;
      expect(Math.max(Math.abs(pr! - r!), Math.abs(pg! - g!), Math.abs(pb! - b!)), `class ≥ ${sample.min}: pixel ${pixels[i]!.join(',')} vs swatch ${swatch}`).toBeLessThanOrEqual(2);
    }

    // Hover: the cell's name and figure follow the pointer.
    const sample = samples[0]!;
    const r = (await page.locator('#map canvas').boundingBox())!;
    await page.mouse.move(r.x + sample.x, r.y + sample.y);
    const tip = page.locator('.zs-tip .zs-cell-tip');
    await tip.waitFor();
    const expected = await page.evaluate((id) => {
      const { store, selectors } = window.__zs!;
      const c = selectors.cells(store.state)!.get(id)!;
      return { name: c.name, share: new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(c.share) };
    }, sample.id);
    expect(await tip.textContent()).toContain(expected.name);
    expect(await tip.textContent()).toContain(expected.share);
    expect(await tip.textContent()).toMatch(/居住用地/);

    // Click: the cell's popup, with its attributes and the same figure.
    await page.mouse.click(r.x + sample.x, r.y + sample.y);
    const popup = page.locator('.maplibregl-popup:not(.zs-tip)');
    await popup.locator('zs-feature-popup').waitFor();
    expect(await popup.locator('.zs-cell-figure').textContent()).toContain(expected.share);
    expect(await page.evaluate(() => window.__zs!.store.state.selection?.featureId)).toBe(sample.id);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('lists the cells below target, sorted; a row zooms to its cell; the list saves as CSV', async () => {
    const { page, log } = await open('#map=12/29.99000/122.20000');
    await analysisTab(page);
    await waitCoverage(page);
    const panel = page.locator('zs-analysis-panel');
    const expectedBelow = (target: number) => page.evaluate((t) => {
      const s = window.__zs!.store.state;
      return Object.entries(s.coverage.response!.result.byZone).filter(([, z]) => z.area > 0 && z.share < t).length;
    }, target);
    const rows = panel.locator('#below-target tbody tr');
    const n80 = await expectedBelow(0.8);
    expect(n80).toBeGreaterThan(0);
    await expect.poll(() => rows.count()).toBe(n80);
    const shares = async () => (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-share')))));
    const asc = await shares();
    expect(asc.every((v, i) => i === 0 || asc[i - 1]! <= v)).toBe(true);
    expect(Math.max(...asc)).toBeLessThan(0.8);

    // Share again: descending. By name: as Chinese readers sort.
    await panel.locator('button[data-sort=share]').click();
    await expect.poll(async () => (await shares())[0]).toBe(Math.max(...asc));
    await panel.locator('button[data-sort=name]').click();
    const names = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')!.textContent.trim()));
    expect(names).toEqual(names.slice().sort(new Intl.Collator('zh-CN', { numeric: true }).compare));

    // The 90 % target lists more cells.
    await panel.locator('input[name=below-target][value="0.9"]').check();
    const n90 = await expectedBelow(0.9);
    await expect.poll(() => rows.count()).toBe(n90);
    expect(n90).toBeGreaterThanOrEqual(n80);

    // A row: the map fits the cell and outlines it.
    const row = rows.nth(1);
    const id = (await row.getAttribute('data-cell'))!;
    const zoom0 = await page.evaluate(() => window.__zs!.map.getZoom());
    const moved = page.evaluate(() => new Promise<void>((r) => window.__zs!.map.once('moveend', () => r())));
    await row.locator('button').click();
    await moved;
    const fit = await page.evaluate((cellId) => {
      const { map, store } = window.__zs!;
      const cell = store.state.data[store.state.catalogue!.analysis!.zones]!.features.find((f) => String(f.properties!.id) === cellId)!;
      const b = map.getBounds();
      const ring = (cell.geometry as GeoJSON.Polygon).coordinates[0]!;
      return {
        inside: ring.every(([x, y]) => b.contains([x!, y!])),
        zoom: map.getZoom(),
        filter: JSON.stringify(map.getFilter('analysis-grid-highlight')),
        current: store.state.coverageCell,
      };
    }, id);
    expect(fit.inside).toBe(true);
    expect(fit.zoom).toBeGreaterThan(zoom0);
    expect(fit.filter).toContain(id);
    expect(fit.current).toBe(id);
    await expect.poll(() => row.getAttribute('aria-current')).toBe('true');

    // CSV: a BOM, the headings, and the listed rows in the listed order.
    const listed = await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-cell'), Number(tr.getAttribute('data-share'))] as const));
    const [download] = await Promise.all([page.waitForEvent('download'), panel.locator('#cells-export').click()]);
    const file = download.suggestedFilename();
    expect(file).toMatch(/^grid-below-90pct-parks-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync((await download.path()));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('网格编号,名称,行政区,居住用地面积（m²）,覆盖面积（m²）,覆盖率（%）');
    expect(lines).toHaveLength(listed.length + 1);
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',');
      expect(cells[0]).toBe(listed[i]![0]);
      expect(Number(cells[5])).toBeCloseTo(listed[i]![1] * 100, 2);
      expect(Number(cells[4])).toBeLessThanOrEqual(Number(cells[3]));
    });
    await expect.poll(() => panel.locator('[data-export=cells]').textContent()).toContain(file);
    expect(await panel.locator('[data-export=cells]').getAttribute('data-status')).toBe('done');
    expect(log.errors).toEqual([]);
    await page.close();
  });
});

describe('what a GIS professional expects (item 16)', () => {
  it('lists the features under a click that hits several, each opening its own popup', async () => {
    const { page, log } = await open('#map=15/29.99600/122.20500');
    // A spot where features of two layers meet under one click (the map view queries a box
    // of ±6 px, so points and thin lines can be hit with a finger): found by scanning the view.
    await page.evaluate(() => window.__zs!.store.setLayerVisible('communities', true));
    await idle(page);
    const target = await page.evaluate(() => {
      const { map, store } = window.__zs!;
      const s = store.state;
      const layers = s.catalogue!.layers.filter((e) => s.layers[e.id]?.visible).map((e) => e.id);
      const styleLayers = map.getStyle().layers.filter((l) => 'source' in l && layers.some((id) => l.source === `layer-${id}`) && !l.id.endsWith('-selected')).map((l) => l.id);
      const { width, height } = map.getCanvas().getBoundingClientRect();
      for (let y = 60; y < height - 60; y += 12) {
        for (let x = 60; x < width - 60; x += 12) {
          const hits = map.queryRenderedFeatures([[x - 6, y - 6], [x + 6, y + 6]], { layers: styleLayers });
          const distinct = new Map(hits.map((h) => [`${h.source.replace(/^layer-/, '')}:${String(h.properties.id)}`, h]));
          const kinds = new Set([...distinct.keys()].map((k) => k.split(':')[0]));
          if (distinct.size >= 2 && kinds.size >= 2 && distinct.size <= 4) {
            const point = [...distinct.entries()].find(([, h]) => h.geometry.type === 'Point') ?? [...distinct.entries()][0]!;
            const [layerId, id] = point[0].split(':') as [string, string];
            const f = s.data[layerId]!.features.find((x) => String(x.properties!.id) === id)!;
            return { x, y, hits: [...distinct.keys()].sort(), layerId, id, name: String(f.properties!.name) };
          }
        }
      }
      return null;
    });
    expect(target).not.toBeNull();
    const canvas = (await page.locator('#map canvas').boundingBox())!;
    await page.mouse.click(canvas.x + target!.x, canvas.y + target!.y);
    const list = page.locator('.zs-hits');
    await list.waitFor();
    const items = list.locator('button[data-layer]');
    const listed = await items.evaluateAll((bs) => bs.map((b) => `${b.getAttribute('data-layer')}:${b.getAttribute('data-id')}`));
    expect(listed.sort()).toEqual(target!.hits);
    // Each entry says which layer and which feature.
    const names = Object.fromEntries(catalogue.layers.map((l) => [l.id, l.name.zh]));
    const button = list.locator(`button[data-layer="${target!.layerId}"][data-id="${target!.id}"]`);
    expect(await button.locator('.zs-hits-layer').textContent()).toBe(names[target!.layerId]);
    expect(await button.locator('.zs-hits-name').textContent()).toBe(target!.name);
    expect(await page.locator('zs-feature-popup').count()).toBe(0);
    await button.click();
    await expect.poll(() => page.locator('.maplibregl-popup zs-feature-popup h2').textContent()).toBe(target!.name);
    expect(await page.locator('.zs-hits').count()).toBe(0);
    expect(await page.evaluate(() => window.__zs!.store.state.selection?.featureId)).toBe(target!.id);
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('reads the pointer’s position in WGS84 and CGCS2000 Gauss–Krüger, and goes to a typed coordinate', async () => {
    const { page, log } = await open('#map=14/29.99600/122.20500');
    const bar = page.locator('zs-coord-bar');
    await bar.locator('input#goto').waitFor();
    const box = (await page.locator('#map canvas').boundingBox())!;
    // The first move starts loading proj4; the Gauss–Krüger figure comes with a later one.
    let dx = 0;
    await expect.poll(async () => {
      dx += 7;
      await page.mouse.move(box.x + 300 + dx, box.y + 200);
      return bar.locator('#coord-gk').count();
    }, { timeout: 20_000 }).toBe(1);
    const pointer = await page.evaluate(([px, py]) => window.__zs!.map.unproject([px!, py!]).toArray(), [300 + dx, 200]);
    const wgs = bar.locator('#coord-wgs84');
    expect(Number(await wgs.getAttribute('data-lng'))).toBeCloseTo(pointer[0], 9);
    expect(Number(await wgs.getAttribute('data-lat'))).toBeCloseTo(pointer[1], 9);
    const [e, n] = proj4('WGS84', GK, pointer);
    const gk = bar.locator('#coord-gk');
    expect(Math.abs(Number(await gk.getAttribute('data-e')) - e)).toBeLessThan(0.001);
    expect(Math.abs(Number(await gk.getAttribute('data-n')) - n)).toBeLessThan(0.001);
    // Unobtrusive: in the map's bottom strip, over the map, not over the panel.
    const barBox = (await bar.boundingBox())!;
    expect(barBox.y + barBox.height).toBeGreaterThan(box.y + box.height - 60);
    expect(barBox.x).toBeGreaterThanOrEqual(box.x);

    const input = bar.locator('input#goto');
    const center = () => page.evaluate(() => window.__zs!.map.getCenter().toArray());
    const goTo = async (text: string) => {
      await input.fill(text);
      const moved = page.evaluate(() => new Promise<void>((r) => window.__zs!.map.once('moveend', () => r())));
      await input.press('Enter');
      await moved;
    };
    // Gauss–Krüger (EPSG:4550): Xincheng (REFERENCE.md, PROJ cs2cs).
    await input.fill('423089.93 3319050.54');
    expect(await bar.locator('#goto-hint').textContent()).toMatch(/EPSG:4550/);
    await goTo('423089.93 3319050.54');
    const [lng, lat] = proj4(GK, 'WGS84', [423089.93, 3319050.54]);
    const c1 = await center();
    expect(Math.abs(c1[0] - lng)).toBeLessThan(1e-6);
    expect(Math.abs(c1[1] - lat)).toBeLessThan(1e-6);
    expect(Math.abs(lng - 122.203)).toBeLessThan(1e-5);
    await idle(page);
    expect(await page.evaluate(() => window.__zs!.map.queryRenderedFeatures({ layers: ['goto-marker'] }).length)).toBe(1);
    // Latitude first, with a comma: the magnitude says which is which.
    await input.fill('30.0, 122.2');
    expect(await bar.locator('#goto-hint').textContent()).toMatch(/东经 122\.2°，北纬 30°/);
    await goTo('30.0, 122.2');
    const c2 = await center();
    expect(c2[0]).toBeCloseTo(122.2, 6);
    expect(c2[1]).toBeCloseTo(30.0, 6);
    await goTo('122.25 29.95');
    const c3 = await center();
    expect(c3[0]).toBeCloseTo(122.25, 6);
    expect(c3[1]).toBeCloseTo(29.95, 6);
    expect(await page.evaluate(() => window.__zs!.store.state.gotoMarker)).toEqual([122.25, 29.95]);
    // Not a position: said so, and the map stays.
    await input.fill('舟山 abc');
    await expect.poll(() => bar.locator('#goto-hint.bad').count()).toBe(1);
    await input.press('Enter');
    expect(await center()).toEqual(c3);
    await bar.locator('#goto-clear').click();
    await expect.poll(() => page.evaluate(() => window.__zs!.store.state.gotoMarker)).toBeNull();
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('keeps the coordinate bar off phones and out of the public view', async () => {
    const phone = await open('', { width: 390, height: 844 });
    expect(await phone.page.locator('zs-coord-bar').isVisible()).toBe(false);
    await phone.page.close();
    const pub = await open('?view=public');
    expect(await pub.page.locator('zs-coord-bar').isVisible()).toBe(false);
    await pub.page.close();
  });

  it('gives a study area its own ellipsoidal area and the programme layers’ split by stage', async () => {
    const { page, log } = await open('#map=13/29.99000/122.20000');
    await analysisTab(page);
    await page.locator('zs-analysis-panel select').first().selectOption('xincheng');
    const study = page.locator('zs-analysis-panel #study');
    await expect.poll(() => study.locator('#study-area').count(), { timeout: 60_000 }).toBe(1);
    const area = await page.evaluate(() => window.__zs!.store.state.studyArea!.feature);
    expect(Math.abs(Number(await study.locator('#study-area').getAttribute('data-area')) - geodesicArea(area.geometry))).toBeLessThan(0.01);
    expect(await study.locator('#study-area').textContent()).toMatch(/公顷/);
    for (const id of ['idle-plots', 'parks', 'waterlogging']) {
      const entry = catalogue.layers.find((l) => l.id === id)!;
      const stageOf = new Map(entry.fields.find((f) => f.name === entry.styleField)!.values!.map((v) => [v.value, v.stage ?? 'neutral']));
      const features = (await readLayer(id)).features;
      const total = Number(await study.locator(`tr[data-layer="${id}"] td[data-count]`).getAttribute('data-count'));
      let sum = 0;
      for (const stage of Object.keys(catalogue.stages)) {
        const group = features.filter((f) => (stageOf.get(String(f.properties?.[entry.styleField!])) ?? 'neutral') === stage);
        const expected = featuresInArea({ type: 'FeatureCollection', features: group }, area).count;
        const cell = study.locator(`tr.stage[data-stage-of="${id}"][data-stage="${stage}"] td[data-count]`);
        if (expected === 0) expect(await cell.count(), `${id} ${stage}`).toBe(0);
        else expect(Number(await cell.getAttribute('data-count')), `${id} ${stage}`).toBe(expected);
        sum += expected;
      }
      expect(sum, id).toBe(total);
    }
    expect(await study.locator('tr.stage[data-stage-of="idle-plots"][data-stage="finished"] td').first().textContent()).toBe('已完成');
    expect(log.errors).toEqual([]);
    await page.close();
  });

  it('rings the buffer’s hits on the map, opens one from the list, and saves them as CSV', async () => {
    const { page, log } = await open('#map=15/29.99600/122.20500');
    await analysisTab(page);
    // Around a park: the residential communities within 300 m.
    const park = await page.evaluate(() => String(window.__zs!.store.state.data.parks!.features.find((f) => f.properties!.park_type === 'community')!.properties!.id));
    await page.evaluate((id) => {
      const { store, map } = window.__zs!;
      const f = store.state.data.parks!.features.find((x) => String(x.properties!.id) === id)!;
      const ring = (f.geometry as GeoJSON.Polygon).coordinates[0]!;
      map.jumpTo({ center: ring[0] as [number, number], zoom: 15 });
      store.select({ layerId: 'parks', featureId: id, properties: { ...f.properties }, lngLat: ring[0] as [number, number] });
    }, park);
    const panel = page.locator('zs-analysis-panel');
    await panel.locator('#buffer-radius').fill('300');
    await panel.locator('#buffer-radius').press('Enter');
    await panel.locator('#buffer-run').click();
    const rows = panel.locator('#buffer-hits tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const hitIds = await page.evaluate(() => window.__zs!.store.state.within.response!.hits.map((h) => h.id));
    // On the map: exactly the hits, ringed.
    const drawn = await page.evaluate(async () => {
      const src = window.__zs!.map.getSource('analysis-buffer-hits') as unknown as { getData(): Promise<GeoJSON.FeatureCollection> };
      return (await src.getData()).features.map((f) => String(f.properties!.id));
    });
    expect(drawn.sort()).toEqual(hitIds.slice().sort());
    await idle(page);
    expect(await page.evaluate(() => window.__zs!.map.queryRenderedFeatures({ layers: ['analysis-buffer-hits-line'] }).length)).toBeGreaterThan(0);

    // A row: its popup opens and the map flies there.
    const row = rows.nth(0);
    const id = (await row.getAttribute('data-id'))!;
    const moved = page.evaluate(() => new Promise<void>((r) => window.__zs!.map.once('moveend', () => r())));
    await row.locator('button').click();
    await moved;
    await expect.poll(() => page.evaluate(() => window.__zs!.store.state.selection?.featureId)).toBe(id);
    expect(await page.evaluate(() => window.__zs!.store.state.selection?.layerId)).toBe('communities');
    await page.locator('.maplibregl-popup zs-feature-popup').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), panel.locator('#buffer-export').click()]);
    const file = download.suggestedFilename();
    expect(file).toMatch(/^buffer-communities-300m-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path()), 'utf8');
    expect(text.startsWith('\uFEFF图层,编号,名称,距离（m）\r\n')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n').slice(1);
    expect(lines.map((l) => l.split(',')[1])).toEqual(hitIds);
    expect(lines.every((l) => l.startsWith('居民小区,'))).toBe(true);
    await expect.poll(() => panel.locator('[data-export=buffer]').textContent()).toContain(file);
    expect(log.errors).toEqual([]);
    await page.close();
  });
});
