import assert from 'node:assert/strict';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { unitOfWork } from '../../persistence/db.js';
import { User } from '../../persistence/entities/session.js';

const POOL_MAX = 2;

/**
 * Regression: a pooled connection killed by Postgres inside `sql.transaction` (failover, admin
 * `pg_terminate_backend`, idle-in-transaction timeout) was never given back to the pool by the
 * rollback path, so after `poolMax` such failures every ORM query waited forever.
 */
describe('issue: a connection killed inside a transaction is released', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let admin: pg.Client;

  before(async () => {
    db = await createTestDatabase({ poolMax: POOL_MAX });
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });
  after(async () => {
    await admin?.end();
    await db?.drop();
  });

  const within = <T>(ms: number, what: string, p: Promise<T>) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} still waiting after ${ms} ms: the pool leaked`)), ms))]);

  it(`survives ${POOL_MAX * 2} killed transactions and still answers queries`, async () => {
    for (let i = 0; i < POOL_MAX * 2; i++) {
      const attempt = db.sql.transaction(async (tx) => {
        const [{ pid }] = await tx.query<{ pid: number }>('select pg_backend_pid() as pid');
        await admin.query('select pg_terminate_backend($1)', [pid]);
        await tx.query('select 1');
      });
      await within(5000, `killed transaction ${i + 1}`, assert.rejects(attempt));
    }
    const [{ n }] = await within(5000, 'a query after the failures', db.sql.query<{ n: number }>('select 41 + 1 as n'));
    assert.equal(Number(n), 42);
    const [{ m }] = await within(
      5000,
      'a transaction after the failures',
      db.sql.transaction((tx) => tx.query<{ m: number }>('select 7 as m')),
    );
    assert.equal(Number(m), 7);
  });

  it('reports why the work failed, not the rollback that fails on the dead connection', async () => {
    const attempt = db.sql.transaction(async (tx) => {
      const [{ pid }] = await tx.query<{ pid: number }>('select pg_backend_pid() as pid');
      await admin.query('select pg_terminate_backend($1)', [pid]);
      throw new Error('the real cause');
    });
    await within(5000, 'the failed transaction', assert.rejects(attempt, /the real cause/));
    // pg-pool drops the dead client when its socket-close event arrives, a moment after the release.
    await new Promise((r) => setTimeout(r, 100));
    const [{ n }] = await within(5000, 'a query afterwards', db.sql.query<{ n: number }>('select 1 as n'));
    assert.equal(Number(n), 1);
  });

  it(`survives ${POOL_MAX * 2} killed units of work (EntityManager flush inside unitOfWork) and writes nothing`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < POOL_MAX * 2; i++) {
      const attempt = unitOfWork(db.orm, async (em) => {
        const [{ pid }] = await em.execute<Array<{ pid: number }>>('select pg_backend_pid() as pid');
        await admin.query('select pg_terminate_backend($1)', [pid]);
        const id = randomUUID();
        ids.push(id);
        em.create(User, { id, deviceId: id, firstLaunch: true, createdAt: new Date(), lastSeenAt: new Date() });
      });
      await within(5000, `killed unit of work ${i + 1}`, assert.rejects(attempt));
    }
    await new Promise((r) => setTimeout(r, 100));
    const stored = await within(5000, 'a read after the failures', db.orm.em.fork().count(User, { id: { $in: ids } }));
    assert.equal(stored, 0);
    const id = randomUUID();
    await within(
      5000,
      'a unit of work after the failures',
      unitOfWork(db.orm, async (em) => void em.create(User, { id, deviceId: id, firstLaunch: true, createdAt: new Date(), lastSeenAt: new Date() })),
    );
    assert.equal(await db.orm.em.fork().count(User, { id }), 1);
  });
});
