import { stopPm2Agent } from '../../src/pm2Agent.js';
import { stopEmbeddedPostgres } from './postgres.js';
import { configuredAdminUrl, dropRunTemplate, dropTemplate, RUN_TEMPLATE_ENV, runTemplateName } from '../../bench/support/postgres.js';
import { buildServerForTests } from './serverBuild.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildWeb } from '../../scripts/build-web.js';
import { WEB_DIST } from '../../src/http/webRoutes.js';
import { recordFileEnd } from './fileTimes.js';

/**
 * In a parallel run each mocha worker takes a Redis database of its own (the base one + its worker id), so
 * the Colyseus presence and driver of one file's servers never match rooms of another file's.
 */
const worker = process.env.MOCHA_WORKER_ID;
if (worker !== undefined) {
  const url = new URL(process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379');
  const base = Number(url.pathname.slice(1) || 0);
  url.pathname = `/${(base + 1 + Number(worker)) % 16}`;
  process.env.TEST_REDIS_URL = url.toString();
}

/**
 * Mocha root hooks: before anything, stop the @pm2/io agent that Colyseus servers started in this process
 * would run (src/pm2Agent.ts: its handle polling aborted a test process); once the whole run ends, stop the
 * embedded test Postgres (if any).
 */
export const mochaHooks = {
  async beforeAll(): Promise<void> {
    await stopPm2Agent();
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    await dropTemplate();
    await stopEmbeddedPostgres();
    recordFileEnd(this.test?.parent);
  },
};

/**
 * Once per run, in mocha's main process before any worker starts: the server transpiled for the processes
 * tests start (serverBuild.ts), and the web bundle when a fresh clone has none (pages the server renders, the
 * share page among them, answer WEB_BUNDLE_MISSING without it); the flag rides the environment into the workers.
 * With a Postgres server of its own (TEST_DATABASE_URL), the run also names one migrated template that every
 * worker copies (the first to need it migrates it), instead of one migration per test file. The workers and
 * the ~150 server processes tests start share one V8 code cache (NODE_COMPILE_CACHE): a server process
 * spends most of its boot loading modules.
 */
export async function mochaGlobalSetup(): Promise<void> {
  process.env.NODE_COMPILE_CACHE ??= path.join(os.tmpdir(), 'ds-test-compile-cache');
  await buildServerForTests();
  if (!fs.existsSync(WEB_DIST)) await buildWeb({ report: false });
  process.env.DS_TEST_SERVER_BUILT = '1';
  if (configuredAdminUrl()) process.env[RUN_TEMPLATE_ENV] = runTemplateName();
}

/** After the run: its shared template goes (a run killed before this leaves it to the next run's stale sweep). */
export async function mochaGlobalTeardown(): Promise<void> {
  const admin = configuredAdminUrl();
  const template = process.env[RUN_TEMPLATE_ENV];
  if (admin && template) await dropRunTemplate(admin, template).catch(() => undefined);
}
