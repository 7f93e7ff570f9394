import { stopPm2Agent } from '../../src/compat.js';
import { stopEmbeddedPostgres } from './postgres.js';

/**
 * Mocha root hooks: before anything, stop the @pm2/io agent that Colyseus servers started in this process
 * would run (src/compat.ts: its handle polling aborted a test process); once the whole run ends, stop the
 * embedded test Postgres (if any).
 */
export const mochaHooks = {
  async beforeAll(): Promise<void> {
    await stopPm2Agent();
  },
  async afterAll(): Promise<void> {
    await stopEmbeddedPostgres();
  },
};
