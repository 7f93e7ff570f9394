import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/db.js';
import { configureSql, sqlFor, type Sql } from '../../../persistence/db.js';
import { createOrm, type Orm } from '../../../persistence/orm.js';

/** What the connection running `tx` has prepared whose text starts with `prefix`. */
async function preparedOn(tx: Sql, prefix: string): Promise<string[]> {
  const rows = await tx.query<{ statement: string }>(`SELECT statement FROM pg_prepared_statements WHERE statement LIKE ? || '%'`, [prefix]);
  return rows.map((r) => r.statement);
}

/** `Sql` as named prepared statements on the ORM's pool (persistence/preparedStatements.ts), on real Postgres. */
describe('Sql prepared statements (real Postgres)', function () {
  this.timeout(30_000);
  const database = useTestDatabase({ migrate: false });
  const orms: Orm[] = [];
  const sqlWith = async (settings: Parameters<typeof configureSql>[1]): Promise<Sql> => {
    const orm = await createOrm({ url: database().url, poolMax: 2 });
    orms.push(orm);
    configureSql(orm, settings);
    return sqlFor(orm);
  };
  after(async () => {
    for (const orm of orms) await orm.close(true);
  });

  it('runs a statement with parameters as a named prepared statement, its values bound, not written into the text', async () => {
    const sql = await sqlWith({ maxPrepared: 10 });
    await sql.transaction(async (tx) => {
      assert.deepEqual(await tx.query('SELECT ?::int + 1 AS n, ? AS quote', [41, "it's"]), [{ n: 42, quote: "it's" }]);
      assert.deepEqual(await preparedOn(tx, 'SELECT $1::int + 1'), ['SELECT $1::int + 1 AS n, $2 AS quote']);
    });
  });

  it('inlines what the ORM would: no parameters (several commands), an array (an IN list), and everything with DB_PREPARED_STATEMENTS=0', async () => {
    const sql = await sqlWith({ maxPrepared: 10 });
    await sql.transaction(async (tx) => {
      assert.deepEqual(await tx.query(`SELECT 'a' IN (?) AS hit`, [['b', 'a']]), [{ hit: true }]);
      assert.deepEqual(await tx.query(`SELECT 7 AS seven`), [{ seven: 7 }]);
      assert.deepEqual(await preparedOn(tx, `SELECT 'a' IN`), []);
    });
    await sql.query('CREATE TEMP TABLE IF NOT EXISTS t1 (x int); DROP TABLE t1');
    const off = await sqlWith({ maxPrepared: 0 });
    await off.transaction(async (tx) => {
      assert.deepEqual(await tx.query('SELECT ?::int * 2 AS n', [21]), [{ n: 42 }]);
      assert.deepEqual(await preparedOn(tx, 'SELECT $1::int * 2'), []);
    });
  });

  it('a parameter Postgres cannot type is retried inlined outside a transaction, reported once, and inlined from then on', async () => {
    const told: string[] = [];
    const sql = await sqlWith({ maxPrepared: 10, onInlined: (statement) => told.push(statement) });
    const untyped = 'SELECT ? IS NULL AS missing';
    assert.deepEqual(await sql.query(untyped, [null]), [{ missing: true }], 'the inlined form answers');
    assert.deepEqual(await sql.query(untyped, [1]), [{ missing: false }]);
    assert.deepEqual(told, [untyped], 'told once');
    // Inside a transaction the first failure cannot be retried (the transaction is aborted): a fresh pool shows it fail, then work.
    const fresh = await sqlWith({ maxPrepared: 10 });
    await assert.rejects(
      fresh.transaction((tx) => tx.query(untyped, [null])),
      (err: { code?: string }) => err.code === '42P18',
    );
    assert.deepEqual(await fresh.transaction((tx) => tx.query(untyped, [null])), [{ missing: true }]);
  });

  it('refuses to name statements of a pool a second time (configureSql after sqlFor), which would give two texts one name', async () => {
    const orm = await createOrm({ url: database().url, poolMax: 1 });
    orms.push(orm);
    sqlFor(orm);
    assert.throws(() => configureSql(orm, { maxPrepared: 10 }), /before the first sqlFor/);
  });
});
