/** The scratch Postgres lives in bench/support (benchmarks share it and must not import test/). */
export { adminDatabaseUrl, stopEmbeddedPostgres } from '../../bench/support/postgres.js';
/** A free TCP port on loopback, for servers the tests start (the load-test harness's helper). */
export { freePort } from '../../loadtest/spawnServer.js';

export const redisUrl = (): string => process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';
