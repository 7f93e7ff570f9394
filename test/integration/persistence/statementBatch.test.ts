import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/db.js';
import { StatementBatch, StatementBatchFullError, type StatementBatchOptions } from '../../../persistence/statementBatch.js';
import { allowingForLoad } from '../../support/time.js';

interface Item {
  key: string;
  value: number;
}

/**
 * StatementBatch over a real table: each flush is one INSERT … SELECT FROM jsonb_to_recordset that numbers its
 * rows, so the table itself says which items went out together and in which order; a CHECK makes a real
 * Postgres error for the error path.
 */
describe('StatementBatch (one statement per flush, real Postgres)', function () {
  this.timeout(30_000);
  const database = useTestDatabase({ migrate: false });
  let flushNo = 0;
  let concurrent = 0;
  let maxConcurrent = 0;

  before(async () => {
    await database().sql.query(
      'CREATE TABLE batch_rows (flush integer NOT NULL, pos integer NOT NULL, key text NOT NULL, value integer NOT NULL CHECK (value >= 0))',
    );
  });
  beforeEach(async () => {
    await database().sql.query('TRUNCATE batch_rows');
    concurrent = maxConcurrent = 0;
  });

  /** Writes the items as flush number n; each caller's result is "flush:position". */
  async function write(items: readonly Item[]): Promise<string[]> {
    const n = ++flushNo;
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    try {
      const rows = await database().sql.query<{ pos: number }>(
        `INSERT INTO batch_rows (flush, pos, key, value)
         SELECT ?, r.ord, r.key, r.value FROM ROWS FROM (jsonb_to_recordset(?::jsonb) AS (key text, value integer)) WITH ORDINALITY AS r(key, value, ord) RETURNING pos`,
        [n, JSON.stringify(items)],
      );
      return rows.map((r) => `${n}:${r.pos}`).sort((a, b) => Number(a.split(':')[1]) - Number(b.split(':')[1]));
    } finally {
      concurrent--;
    }
  }

  const batchOf = (o: Partial<StatementBatchOptions<Item, string>> = {}) =>
    new StatementBatch<Item, string>({ write, intervalMs: 30, maxItems: 100, maxWaiting: 1000, ...o });
  const rows = () =>
    database().sql.query<{ flush: number; pos: number; key: string; value: number }>('SELECT flush, pos::int, key, value FROM batch_rows ORDER BY flush, pos');
  const items = (n: number, from = 0): Item[] => Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: from + i }));

  it('items added within one interval go out in one statement, in the order added; each caller gets its own row', async () => {
    const batch = batchOf();
    const results = await Promise.all(items(5).map((item) => batch.add(item)));
    const stored = await rows();
    assert.equal(new Set(stored.map((r) => r.flush)).size, 1, 'one statement');
    assert.deepEqual(
      stored.map((r) => r.key),
      ['k0', 'k1', 'k2', 'k3', 'k4'],
    );
    assert.deepEqual(
      results,
      stored.map((r) => `${r.flush}:${r.pos}`),
    );
    assert.equal(batch.stats().flushes, 1);
  });

  it('maxItems waiting start a flush at once; a statement never holds more; one flush runs at a time', async () => {
    const batch = batchOf({ intervalMs: 60_000, maxItems: 3 });
    const t0 = Date.now();
    const seven = items(7).map((item) => batch.add(item));
    await Promise.all(seven.slice(0, 6));
    assert.ok(Date.now() - t0 < allowingForLoad(5000), 'full flushes did not wait for the interval');
    assert.equal(batch.stats().waiting, 1, 'the seventh waits for the interval or for two more');
    const stored = await rows();
    assert.deepEqual(
      [...new Set(stored.map((r) => r.flush))].map((f) => stored.filter((r) => r.flush === f).map((r) => r.key)),
      [
        ['k0', 'k1', 'k2'],
        ['k3', 'k4', 'k5'],
      ],
    );
    assert.equal(maxConcurrent, 1);
    await batch.close();
    await seven[6];
    assert.deepEqual((await rows()).map((r) => r.key).slice(6), ['k6'], 'close wrote the last one');
  });

  it('past maxWaiting an add is refused with a clear error; the waiting ones are still written', async () => {
    const batch = batchOf({ intervalMs: 60_000, maxItems: 2, maxWaiting: 2 });
    // Two reach maxItems: that flush is in flight, so two more may wait, and a fifth is refused.
    const accepted = ['a', 'b', 'c', 'd'].map((key, value) => batch.add({ key, value }));
    await assert.rejects(
      batch.add({ key: 'e', value: 4 }),
      (err: Error) => err instanceof StatementBatchFullError && /2 writes already wait/.test(err.message),
    );
    await Promise.all(accepted);
    assert.deepEqual(
      (await rows()).map((r) => r.key),
      ['a', 'b', 'c', 'd'],
    );
    assert.deepEqual(batch.stats(), { flushes: 2, failedFlushes: 0, written: 4, failed: 0, refused: 1, waiting: 0 });
  });

  it("a failed statement rejects every caller of that flush with Postgres's error; the next flush goes on", async () => {
    const batch = batchOf();
    const failing = [batch.add({ key: 'ok', value: 1 }), batch.add({ key: 'bad', value: -1 }), batch.add({ key: 'ok2', value: 2 })];
    const outcomes = await Promise.allSettled(failing);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['rejected', 'rejected', 'rejected'],
    );
    for (const o of outcomes) assert.match(String((o as PromiseRejectedResult).reason?.message), /check constraint/);
    assert.deepEqual(await rows(), [], 'the statement wrote nothing');
    assert.match(await batch.add({ key: 'after', value: 3 }), /^\d+:1$/);
    assert.deepEqual(
      (await rows()).map((r) => r.key),
      ['after'],
    );
    assert.deepEqual(batch.stats(), { flushes: 2, failedFlushes: 1, written: 1, failed: 3, refused: 0, waiting: 0 });
  });

  it('one key is one write: the later item replaces the waiting one unless replaces() says no; both callers get its result', async () => {
    const batch = batchOf({ keyOf: (i) => i.key, replaces: (waiting, later) => later.value >= waiting.value });
    const results = await Promise.all([
      batch.add({ key: 's', value: 1 }),
      batch.add({ key: 't', value: 5 }),
      batch.add({ key: 's', value: 2 }),
      batch.add({ key: 't', value: 4 }),
    ]);
    assert.deepEqual(
      (await rows()).map((r) => [r.key, r.value]),
      [
        ['s', 2],
        ['t', 5],
      ],
    );
    assert.equal(results[0], results[2]);
    assert.equal(results[1], results[3]);
  });

  it('close() writes everything waiting (more than one statement if need be), then refuses new items', async () => {
    const batch = batchOf({ intervalMs: 60_000, maxItems: 4 });
    // Four start a flush; the six added while it runs wait: close() owes one statement of four, one of two.
    const pending = items(10).map((item) => batch.add(item));
    assert.equal(batch.stats().waiting, 6);
    await batch.close();
    const results = await Promise.all(pending);
    const stored = await rows();
    assert.deepEqual(
      stored.map((r) => r.key),
      items(10).map((i) => i.key),
    );
    assert.deepEqual(
      [...new Set(stored.map((r) => r.flush))].map((f) => stored.filter((r) => r.flush === f).length),
      [4, 4, 2],
    );
    assert.deepEqual(
      results,
      stored.map((r) => `${r.flush}:${r.pos}`),
    );
    await assert.rejects(batch.add({ key: 'late', value: 1 }), /closed/);
  });

  it('hurry(): the items waiting and every later one go out without waiting for the interval', async () => {
    const batch = batchOf({ intervalMs: 60_000 });
    const early = batch.add({ key: 'before', value: 1 });
    const t0 = Date.now();
    batch.hurry();
    await Promise.all([early, batch.add({ key: 'during', value: 2 })]);
    assert.ok(Date.now() - t0 < allowingForLoad(5000));
    assert.deepEqual(
      (await rows()).map((r) => r.key),
      ['before', 'during'],
    );
    await batch.close();
  });
});
