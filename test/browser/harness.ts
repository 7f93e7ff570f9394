/**
 * Shared setup of the browser tests: a real server process (the way `npm start` runs it) on a fresh
 * database, the web bundle built once, and a headless Chromium. Screenshots go to artifacts/screenshots/.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'artifacts', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ADMIN_TOKEN = 'browser-test-admin-token-42';

let built: Promise<unknown> | null = null;

/** The station /play shows now. */
export const stationName = (page: Page): Promise<string> => page.evaluate(() => document.querySelector('#station-name')?.textContent?.trim() ?? '');

/** Waits until /play has locked on a station other than `notOn`. */
export const locked = (page: Page, notOn: string, timeout = 15_000) =>
  page.waitForFunction(
    (prev) => {
      const name = document.querySelector('#station-name')?.textContent?.trim();
      return !!name && name !== '…' && name !== prev && document.querySelector('#lock')?.classList.contains('on');
    },
    notOn,
    { timeout },
  );

export interface BrowserEnv {
  db: TestDatabase;
  server: ServerProcess;
  browser: Browser;
  page: Page;
  /** Browser console errors and failed requests, for assertions and failure messages. */
  problems: string[];
  /** Saves artifacts/screenshots/<name>.png: the whole page, or with `fullPage: false` what the viewport shows. */
  screenshot(name: string, page?: Page, options?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function startBrowserEnv(env: Record<string, string | undefined> = {}): Promise<BrowserEnv> {
  built ??= buildWeb();
  await built;
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  const db = await createTestDatabase({ migrate: false });
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  try {
    // BROWSER_TEST_SERVER_ENTRY runs another entry file (e.g. a local wiring experiment) instead of src/main.ts.
    const entry = process.env.BROWSER_TEST_SERVER_ENTRY;
    server = await startServerProcess(
      { DATABASE_URL: db.url, REDIS_URL: undefined, ADMIN_TOKEN, LOG_LEVEL: 'warn', CLIENT_MESSAGE_RATE: '200', PASSPORT_FLUSH_MS: '20', ...env },
      entry ? { command: [process.execPath, '--import', 'tsx', entry] } : {},
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.baseUrl });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(`console: ${m.text()}`));
    // The SDK warns for a pushed message type the page has no handler for: the page would drop it.
    page.on('console', (m) => m.type() === 'warning' && m.text().includes('onMessage() not registered') && problems.push(`console: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${r.status()} ${r.request().method()} ${r.url()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    const s = server;
    const b = browser;
    return {
      db,
      server: s,
      browser: b,
      page,
      problems,
      screenshot: async (name, target = page, options = {}) => {
        const file = path.join(SCREENSHOTS, `${name}.png`);
        await target.screenshot({ path: file, fullPage: options.fullPage ?? true });
        return file;
      },
      close: async () => {
        await b.close().catch(() => undefined);
        await s.stop('SIGTERM');
        await db.drop();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server?.stop('SIGKILL').catch(() => undefined);
    await db.drop();
    throw err;
  }
}
