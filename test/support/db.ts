import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createOrm, migrate, type Orm } from '../../persistence/orm.js';
import { sqlFor, type Sql } from '../../persistence/db.js';
import { ensureDatabase } from '../../src/database.js';
import { adminDatabaseUrl } from './postgres.js';

/** A freshly created, migrated database of its own, dropped by {@link TestDatabase.drop}. */
export interface TestDatabase {
  name: string;
  url: string;
  orm: Orm;
  sql: Sql;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates `ds_test_<random>` on the test Postgres, runs every migration, and hands back an ORM on it. */
export async function createTestDatabase(options: { migrate?: boolean; poolMax?: number } = {}): Promise<TestDatabase> {
  const admin = await adminDatabaseUrl();
  const name = `ds_test_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(admin, name);
  const url = withDatabase(admin, name);
  const orm = await createOrm({ url, poolMax: options.poolMax ?? 5 });
  if (options.migrate !== false) await migrate(orm);
  return {
    name,
    url,
    orm,
    sql: sqlFor(orm),
    drop: async () => {
      await orm.close(true);
      await dropDatabase(admin, name);
    },
  };
}

/** Drops a test database, first ending any session still connected to it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await client.query(`DROP DATABASE IF EXISTS "${name}"`);
  } finally {
    await client.end();
  }
}

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
