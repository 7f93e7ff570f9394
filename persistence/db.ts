/**
 * Persistence: ORM or SQL (docs/DEVELOPMENT.md "Persistence: ORM or SQL"; figures in BENCHMARKS.md "ORM or SQL").
 *
 * - Low-rate CRUD goes through MikroORM's EntityManager with the entities of persistence/entities/
 *   (`defineEntity`, each one used by server code): `orm.em.fork()` per unit of work, single-statement
 *   writes with `em.insert` / `em.nativeUpdate`, writes that must commit together in {@link unitOfWork}.
 *   Never `em.transactional()`, nor `em.flush()` outside a unit of work: both open MikroORM's own
 *   transaction, which leaks its pooled connection when the connection dies mid-way.
 * - Hand-written SQL through {@link Sql} only on the named hot paths, each kept because
 *   `npm run bench:orm` measured its EntityManager version slower in the same run: the passport batch
 *   insert, the capture statement, the session join and counters, a told top recommendation, station snapshot reads, the capture planning
 *   reads, the coliseum rollups and processors, the bulk catalog load. Tables only those paths reach
 *   have no entity. A new path joins the list with its figure, or uses the EntityManager. The SQL
 *   still outside this list (DIA reads, journal reads, offline-sync rows) is listed in docs/DEVELOPMENT.md.
 *   {@link Sql} runs statements as named prepared statements (persistence/preparedStatements.ts).
 */
import type pg from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from './orm.js';
import { parameterisable, retryInlined, StatementNames } from './preparedStatements.js';

/** Parameterised SQL over the ORM's pool (`?` placeholders), for the named hot paths only. */
export interface Sql {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` in one transaction; inside a transaction it joins the outer one (no savepoints). */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
}

type Connection = ReturnType<Orm['em']['getConnection']>;
/** A transaction handle the connection's `execute` accepts. */
type Tx = NonNullable<Parameters<Connection['execute']>[3]>;

/**
 * Runs `work` in one transaction on a connection that goes back to the pool whatever happens.
 *
 * Transactions go through Kysely's callback form, which hands the connection back to the pool in a
 * `finally`. MikroORM's `em.transactional` (Kysely's controlled transaction) releases it only after a
 * successful `rollback`, so a connection killed mid-transaction leaked and, after `poolMax` of those,
 * every query waited forever (test/issues/poolReleaseAfterKilledTransaction.test.ts).
 */
async function inTransaction<T>(orm: Orm, work: (trx: Tx) => Promise<T>): Promise<T> {
  let failure: { error: unknown } | undefined;
  try {
    return await orm.em
      .getConnection()
      .getClient()
      .transaction()
      .execute(async (trx) => {
        try {
          return await work(trx as unknown as Tx);
        } catch (error) {
          failure = { error };
          throw error;
        }
      });
  } catch (error) {
    // A rollback on a dead connection fails too: report why the work failed, not the rollback.
    throw failure ? failure.error : error;
  }
}

/** How {@link Sql} runs statements for one ORM (set by the wiring with {@link configureSql}). */
export interface SqlSettings {
  /** Distinct statement texts prepared by name (DB_PREPARED_STATEMENTS); 0 = every statement inlined, as through the ORM. */
  maxPrepared: number;
  /** Told once per statement that must run inlined because Postgres could not type a parameter (a missing cast). */
  onInlined?: (sql: string, err: unknown) => void;
}

const DEFAULT_SETTINGS: SqlSettings = { maxPrepared: 500 };
const statementsOf = new WeakMap<Orm, { names: StatementNames; settings: SqlSettings }>();

/**
 * Sets how `sqlFor(orm)` runs statements. Call it before the first `sqlFor(orm)`: statement names belong
 * to the pool, and a second naming of the same pool would give two texts one name.
 */
export function configureSql(orm: Orm, settings: Partial<SqlSettings>): void {
  if (statementsOf.has(orm))
    throw new Error('configureSql(orm) must come before the first sqlFor(orm) of that ORM (statement names are per pool); move it up in the wiring');
  const merged = { ...DEFAULT_SETTINGS, ...settings };
  statementsOf.set(orm, { names: new StatementNames(merged.maxPrepared), settings: merged });
}

function statementsFor(orm: Orm): { names: StatementNames; settings: SqlSettings } {
  let state = statementsOf.get(orm);
  if (!state) statementsOf.set(orm, (state = { names: new StatementNames(DEFAULT_SETTINGS.maxPrepared), settings: DEFAULT_SETTINGS }));
  return state;
}

/**
 * A `text[]` literal: array parameters are sent as one quoted literal (a JS array would make the statement run
 * inlined, see persistence/preparedStatements.ts, and be spread as a list); each element quoted, `"` and `\` escaped, so a city such as
 * `Port "Harcourt"` stays one element.
 */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Wraps the ORM's `pg` pool so the hot paths can run hand-tuned SQL inside or outside a transaction:
 * named prepared statements with parameters (persistence/preparedStatements.ts says when a call is
 * inlined instead, as the ORM would). With ORM debug on, every statement goes through the ORM and is logged.
 */
export function sqlFor(orm: Orm): Sql {
  const connection: Connection = orm.em.getConnection();
  if (orm.config.get('debug')) return loggedSql(orm, connection);
  const platform = connection.getPlatform();
  const { names, settings } = statementsFor(orm);
  let pool: Promise<pg.Pool> | undefined;
  const poolOf = (): Promise<pg.Pool> => (pool ??= connection.getNativeClient() as Promise<pg.Pool>);

  const inlined = async <T>(on: Queryable, sql: string, params: unknown[]): Promise<T[]> => (await on.query(platform.formatQuery(sql, params))).rows as T[];
  const run = async <T>(tx: Queryable | undefined, sql: string, params: unknown[] = []): Promise<T[]> => {
    const on = tx ?? (await poolOf());
    const prepared = parameterisable(params) ? names.prepared(sql) : null;
    if (!prepared) return inlined<T>(on, sql, params);
    try {
      return (await on.query({ name: prepared.name, text: prepared.text, values: params })).rows as T[];
    } catch (err) {
      if (!retryInlined(err)) throw err;
      if (names.markInlineOnly(sql)) settings.onInlined?.(sql, err);
      if (tx) throw err; // the transaction is aborted: it fails this once, later calls run the statement inlined
      return inlined<T>(on, sql, params);
    }
  };
  const inside = (client: Queryable): Sql => ({
    query: (sql, params) => run(client, sql, params),
    transaction: (work) => work(inside(client)),
  });
  return {
    query: (sql, params) => run(undefined, sql, params),
    transaction: async (work) => inPoolTransaction(await poolOf(), (client) => work(inside(client))),
  };
}

/** With ORM debug on: every statement through the ORM's connection (logged), transactions through Kysely's. */
function loggedSql(orm: Orm, connection: Connection): Sql {
  const inside = (trx: Tx): Sql => ({
    query: async (sql, params = []) => (await connection.execute(sql, params, 'all', trx)) as never,
    transaction: (work) => work(inside(trx)),
  });
  return {
    query: async (sql, params = []) => (await connection.execute(sql, params, 'all')) as never,
    transaction: (work) => inTransaction(orm, (trx) => work(inside(trx))),
  };
}

/**
 * BEGIN … COMMIT on one pooled connection that goes back to the pool whatever happens; a connection
 * whose ROLLBACK failed (it died mid-transaction) is destroyed, never reused.
 */
async function inPoolTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * One unit of work through the EntityManager: `work` gets a fresh fork bound to one transaction,
 * its pending changes (if any) are flushed before COMMIT, and nothing is written if it throws. Reads and
 * `em.insert` / `em.nativeUpdate` inside run in the same transaction.
 */
export async function unitOfWork<T>(orm: Orm, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return inTransaction(orm, async (trx) => {
    const em = orm.em.fork();
    // With a transaction context set, flush writes on it instead of opening its own transaction.
    em.setTransactionContext(trx);
    const result = await work(em);
    if (hasPendingChanges(em)) await em.flush();
    return result;
  });
}

/**
 * Whether `em` holds entities to write. MikroORM runs every `em.flush()` inside an AsyncLocalStorage, and on
 * Node 20–22 the first such run turns on promise hooks for every promise of the process, for good (140–220 ns more per
 * promise; ≈ 0.5–0.9 % of a core at 1,500 sessions, docs/benchmarks-archive.md "Micro-benchmarks: prepared statements and promise hooks"); so a unit of work that wrote with `em.insert` or
 * `em.nativeUpdate` skips the empty flush, and server paths write that way.
 */
function hasPendingChanges(em: EntityManager): boolean {
  const uow = em.getUnitOfWork();
  if (uow.getPersistStack().size > 0 || uow.getRemoveStack().size > 0) return true;
  uow.computeChangeSets();
  return uow.getChangeSets().length > 0;
}
