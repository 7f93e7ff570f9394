/**
 * A fresh, migrated database for `npm run bench:orm`, dropped afterwards. Unlike bench/support's
 * scratch database, the ORM on it knows the bench-only entities too (tables the server reaches through
 * SQL only) and counts the statements it sends.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from '../../persistence/entities/index.js';
import { migrationsList } from '../../persistence/migrations/index.js';
import { migrate, type Orm } from '../../persistence/orm.js';
import { sqlFor, type Sql } from '../../persistence/db.js';
import { adminDatabaseUrl, stopEmbeddedPostgres } from '../support/postgres.js';
import { benchEntities } from './entities.js';

export interface ScratchDatabase {
  url: string;
  orm: Orm;
  sql: Sql;
  /** Statements sent through the ORM's connection so far (EntityManager and Sql alike; BEGIN/COMMIT not counted). */
  statements(): number;
  drop(): Promise<void>;
}

/** BENCH_DATABASE_URL, else what the tests use (TEST_DATABASE_URL, DATABASE_URL, else an embedded PostgreSQL). */
const adminUrl = async (): Promise<string> => process.env.BENCH_DATABASE_URL || adminDatabaseUrl();

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Same pool size and options as persistence/orm.ts createOrm (the server's ORM), plus a statement counter. */
export async function createScratchDatabase(poolMax = 10): Promise<ScratchDatabase> {
  const base = await adminUrl();
  // Generated, so it needs no quoting beyond the double quotes.
  const name = `ds_bench_${randomBytes(6).toString('hex')}`;
  await admin(base, `CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  let statements = 0;
  const orm = await MikroORM.init({
    clientUrl: url.toString(),
    entities: [...entities, ...benchEntities],
    extensions: [Migrator],
    migrations: { migrationsList, snapshot: false, snapshotOnMigrate: false, transactional: true, allOrNothing: true, silent: true },
    pool: { min: 0, max: poolMax },
    allowGlobalContext: false,
    onQuery: (sql: string) => {
      statements++;
      return sql;
    },
  });
  await migrate(orm);
  return {
    url: url.toString(),
    orm,
    sql: sqlFor(orm),
    statements: () => statements,
    drop: async () => {
      await orm.close(true);
      await admin(base, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
      await admin(base, `DROP DATABASE IF EXISTS "${name}"`);
      await stopEmbeddedPostgres();
    },
  };
}
