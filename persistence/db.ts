import type { Orm } from './orm.js';

/** Parameterised SQL over the ORM's pool (`?` placeholders). The one raw-SQL seam persistence/ uses. */
export interface Sql {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
}

/** Wraps an ORM entity manager so repositories can run hand-tuned SQL inside or outside a transaction. */
export function sqlFor(orm: Orm): Sql {
  const wrap = (em: Orm['em']): Sql => ({
    query: async <T>(sql: string, params: unknown[] = []) => (await em.getConnection().execute(sql, params, 'all', em.getTransactionContext())) as T[],
    transaction: <T>(work: (tx: Sql) => Promise<T>) => em.transactional((inner) => work(wrap(inner as Orm['em']))),
  });
  return wrap(orm.em.fork());
}
