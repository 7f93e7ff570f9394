import { stopEmbeddedPostgres } from './postgres.js';

/** Mocha root hooks: stop the embedded test Postgres (if any) once the whole run ends. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopEmbeddedPostgres();
  },
};
