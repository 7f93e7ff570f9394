/**
 * Persistence: ORM or SQL (README "Persistence: ORM or SQL"; figures in BENCHMARKS.md "ORM or SQL").
 *
 * - Low-rate CRUD goes through MikroORM's EntityManager with the entities of persistence/entities/
 *   (`defineEntity`, each one used by server code): `orm.em.fork()` per unit of work, single-statement
 *   writes with `em.insert` / `em.nativeUpdate`, writes that must commit together in {@link unitOfWork}.
 *   Never `em.transactional()`, nor `em.flush()` outside a unit of work: both open MikroORM's own
 *   transaction, which leaks its pooled connection when the connection dies mid-way.
 * - Hand-written SQL through {@link Sql} only on the named hot paths, each kept because
 *   `npm run bench:orm` measured its EntityManager version slower in the same run: the passport batch
 *   insert, the capture statement, the session join and counters, station snapshot reads, the capture planning
 *   reads, the coliseum rollups and processors, the bulk catalog load. Tables only those paths reach
 *   have no entity. A new path joins the list with its figure, or uses the EntityManager. The SQL
 *   still outside this list (DIA reads, journal reads, offline-sync rows) is listed in the README.
 */
import { CompiledQuery } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from './orm.js';

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

/** Wraps the ORM's connection so the hot paths can run hand-tuned SQL inside or outside a transaction. */
export function sqlFor(orm: Orm): Sql {
  const connection: Connection = orm.em.getConnection();
  const platform = connection.getPlatform();
  // What `connection.execute` does minus its per-query logging (context objects spread and handed to a
  // logger that is off): the same formatting and Kysely client, ~20–30 µs less node CPU a statement on
  // the hot paths (BENCHMARKS.md "Active sessions per core"). With ORM debug on, queries stay logged.
  const lean = !orm.config.get('debug');
  const run = async <T>(ctx: Tx | undefined, sql: string, params: unknown[] = []): Promise<T[]> => {
    if (!lean) return (await connection.execute(sql, params, 'all', ctx)) as T[];
    await connection.ensureConnection();
    const result = await (ctx ?? connection.getClient()).executeQuery(CompiledQuery.raw(platform.formatQuery(sql, params)));
    return result.rows as T[];
  };
  const inside = (trx: Tx): Sql => ({
    query: (sql, params) => run(trx, sql, params),
    transaction: (work) => work(inside(trx)),
  });
  return {
    query: (sql, params) => run(undefined, sql, params),
    transaction: (work) => inTransaction(orm, (trx) => work(inside(trx))),
  };
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
 * promise; ≈ 0.5–0.9 % of a core at 1,500 sessions, BENCHMARKS.md "Promise hooks"); so a unit of work that wrote with `em.insert` or
 * `em.nativeUpdate` skips the empty flush, and server paths write that way.
 */
function hasPendingChanges(em: EntityManager): boolean {
  const uow = em.getUnitOfWork();
  if (uow.getPersistStack().size > 0 || uow.getRemoveStack().size > 0) return true;
  uow.computeChangeSets();
  return uow.getChangeSets().length > 0;
}
