import type { Orm } from './orm.js';

/** Parameterised SQL over the ORM's pool (`?` placeholders). The one raw-SQL seam persistence/ uses. */
export interface Sql {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` in one transaction; inside a transaction it joins the outer one (no savepoints). */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
}

type Connection = ReturnType<Orm['em']['getConnection']>;
/** A transaction handle the connection's `execute` accepts. */
type Tx = NonNullable<Parameters<Connection['execute']>[3]>;

/**
 * Wraps the ORM's connection so repositories can run hand-tuned SQL inside or outside a transaction.
 *
 * Transactions go through Kysely's callback form, which hands the connection back to the pool in a
 * `finally`. MikroORM's `em.transactional` (Kysely's controlled transaction) releases it only after a
 * successful `rollback`, so a connection killed mid-transaction leaked and, after `poolMax` of those,
 * every query waited forever (test/issues/poolReleaseAfterKilledTransaction.test.ts).
 */
export function sqlFor(orm: Orm): Sql {
  const connection: Connection = orm.em.getConnection();
  const run = async <T>(ctx: Tx | undefined, sql: string, params: unknown[] = []): Promise<T[]> => (await connection.execute(sql, params, 'all', ctx)) as T[];
  const inside = (trx: Tx): Sql => ({
    query: (sql, params) => run(trx, sql, params),
    transaction: (work) => work(inside(trx)),
  });
  return {
    query: (sql, params) => run(undefined, sql, params),
    transaction: async (work) => {
      let failure: { error: unknown } | undefined;
      try {
        return await connection
          .getClient()
          .transaction()
          .execute(async (trx) => {
            try {
              return await work(inside(trx as unknown as Tx));
            } catch (error) {
              failure = { error };
              throw error;
            }
          });
      } catch (error) {
        // A rollback on a dead connection fails too: report why the work failed, not the rollback.
        throw failure ? failure.error : error;
      }
    },
  };
}
