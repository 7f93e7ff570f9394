import { createScratchDatabase, type ScratchDatabase } from '../../bench/support/postgres.js';

/** A freshly created, migrated database of its own (bench/support/postgres.ts), dropped by `drop()`. */
export type TestDatabase = ScratchDatabase;
export const createTestDatabase = createScratchDatabase;

/**
 * A database for the enclosing `describe`: created in `before`, dropped in `after`. Returns a getter
 * to call inside tests and hooks (the database does not exist yet when the describe body runs).
 */
export function useTestDatabase(options: { migrate?: boolean; poolMax?: number } = {}): () => TestDatabase {
  let db: TestDatabase | undefined;
  before(async () => {
    db = await createTestDatabase(options);
  });
  after(async () => db?.drop());
  return () => {
    if (!db) throw new Error('the test database is not ready: call the getter inside a test or a hook, not in the describe body');
    return db;
  };
}
