/**
 * Persistence: low-rate CRUD through MikroORM's EntityManager (`orm.em.fork()`, single-statement writes, or
 * {@link unitOfWork}; never `em.transactional()`, which leaks its connection when it dies mid-way). Hand-written
 * {@link Sql} only on hot paths `npm run bench:orm` measured slower on the EntityManager; the list is in
 * docs/DEVELOPMENT.md "Persistence: ORM or SQL".
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
  /** When the latest statement outside a transaction succeeded (ms since the epoch; 0 after a failure). */
  answeredAt?(): number;
}

/** Rows one `INSERT`, `UPDATE` or `DELETE` (without RETURNING) touched, counted in Postgres: no row travels back. */
export async function affectedRows(sql: Sql, statement: string, params: unknown[] = []): Promise<number> {
  const [row] = await sql.query<{ n: number }>(`WITH d AS (${statement} RETURNING 1) SELECT count(*)::int AS n FROM d`, params);
  return row.n;
}

type Connection = ReturnType<Orm['em']['getConnection']>;
/** A transaction handle the connection's `execute` accepts. */
type Tx = NonNullable<Parameters<Connection['execute']>[3]>;

/**
 * One transaction through Kysely's callback form, which returns the connection in a `finally`. MikroORM's
 * `em.transactional` returns it only after a successful rollback, so killed connections leaked the pool.
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

/** Call before the first `sqlFor(orm)`: statement names belong to the pool, and a second naming would give two texts one name. */
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
 * A `text[]` literal: a JS array would run the statement inlined and be spread as a list. Elements quoted, `"` and `\`
 * escaped, so `Port "Harcourt"` stays one element.
 */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** A timestamptz column as `Date.toISOString()` prints it (milliseconds truncated, as the driver's Date keeps them). */
export const isoSql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

type Queryable = Pick<pg.PoolClient, 'query'>;

/** Named prepared statements on the ORM's pool (preparedStatements.ts says when a call is inlined). */
export function sqlFor(orm: Orm): Sql {
  const connection: Connection = orm.em.getConnection();
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
  let answeredAt = 0; // 0 after a failure: an older success must not answer for a database that just failed
  return {
    query: <T>(sql: string, params?: unknown[]) =>
      run<T>(undefined, sql, params).then(
        (rows) => ((answeredAt = Date.now()), rows),
        (err: Error) => ((answeredAt = 0), Promise.reject(err)),
      ),
    transaction: async (work) => inPoolTransaction(await poolOf(), (client) => work(inside(client))),
    answeredAt: () => answeredAt,
  };
}

/** A connection whose ROLLBACK failed (it died mid-transaction) is destroyed, never reused. */
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

/** `work` gets a fork bound to one transaction, flushed before COMMIT; nothing is written if it throws. */
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
 * A flush runs in an AsyncLocalStorage, which on Node 20–22 turns on promise hooks for good (≈ 0.5–0.9 % of a core at
 * 1,500 sessions); so a unit of work that wrote with `em.insert`/`em.nativeUpdate` skips the empty flush.
 */
function hasPendingChanges(em: EntityManager): boolean {
  const uow = em.getUnitOfWork();
  if (uow.getPersistStack().size > 0 || uow.getRemoveStack().size > 0) return true;
  uow.computeChangeSets();
  return uow.getChangeSets().length > 0;
}
