/**
 * Shared helpers for the browser tests: launch Debian's Chromium through playwright-core
 * (nothing downloads a browser here) and collect what a page logs and requests.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
// The app's `window.__zs` type, for page.evaluate callbacks.
import type {} from '../../src/debug-handle.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Every page the tests open gets the app's debug handle (`window.__zs`, see
 * src/debug-handle.ts), which an ordinary visit does not expose.
 */
async function withDebugHandle(context: BrowserContext): Promise<BrowserContext> {
  await context.addInitScript(() => {
    window.__zsDebug = true;
  });
  return context;
}

export async function launchBrowser(): Promise<Browser> {
  const browser = await launchChromium();
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => withDebugHandle(await newContext(options));
  // browser.newPage makes a context of its own and closes it with the page; so does this.
  browser.newPage = async (options) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    // The browser may be closing already, which closes the context itself.
    page.on('close', () => void context.close().catch(() => undefined));
    return page;
  };
  return browser;
}

async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The browser tests need it: install Debian's chromium ` +
        `(apt-get install chromium fonts-wqy-microhei; .ci/run does this) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // SwiftShader gives headless Chromium a software WebGL2 for MapLibre; the rest keeps
    // Chromium from calling home on a machine with no network.
    args: [
      '--enable-unsafe-swiftshader',
      '--use-angle=swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface PageLog {
  errors: string[];
  requests: string[];
}

/** Records console errors, page errors and every request URL the page makes. */
export function watchPage(page: Page): PageLog {
  const log: PageLog = { errors: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('request', (r) => log.requests.push(r.url()));
  return log;
}

/** Waits until every catalogue layer has loaded or failed and the map has drawn them. */
export async function waitForMapReady(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout });
}

/** Opens a tab of the staff side panel and waits until it is the selected one. */
export async function showTab(page: Page, tab: 'layers' | 'dashboard' | 'analysis' | 'planning' | 'data'): Promise<void> {
  const button = page.locator(`[role=tab]#tab-${tab}`);
  await button.click();
  await page.locator(`[role=tab]#tab-${tab}[aria-selected=true]`).waitFor();
}

/**
 * Imports a file through the Data tab's file input, as a user's pick, waits until the import
 * of that very file has finished (done or failed), and goes back to the layer list.
 */
export async function importThroughPanel(page: Page, name: string, buffer: Buffer, timeout = 60_000): Promise<void> {
  await showTab(page, 'data');
  await page.locator('zs-data-io-panel #import-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
  await page.waitForFunction((file) => {
    const job = window.__zs?.store.state.importJob;
    return job?.what === file && (job.status === 'done' || job.status === 'error');
  }, name, { timeout });
  await showTab(page, 'layers');
}

/** Waits for the map's next 'idle': everything it was given is drawn (a repaint makes sure one comes). */
export async function mapIdle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => {
    const map = window.__zs!.map;
    map.once('idle', () => resolve());
    map.triggerRepaint();
  }));
}
