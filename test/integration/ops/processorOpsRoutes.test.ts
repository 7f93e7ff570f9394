import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { CursorProcessor } from '../../../features/passport/CursorProcessor.js';
import { leaderboardRollups } from '../../../persistence/leaderboard/rollups.js';
import { pino } from 'pino';
import { buildRouter } from '../../support/httpRouter.js';
import { PROCESSOR_OPS_ROUTES } from '../../../src/http/processorOpsRoutes.js';
import { adminGate } from '../../../src/http/authGates.js';
import { mount } from '../../../src/http/route.js';

const TOKEN = 'processor-ops-admin-token-0123456789';
const silent = pino({ level: 'silent' });

/** The rollup processor's lag and run-now, over the real cursor and passport tables (no timer: the test moves it). */
describe('ops processors: rollup lag and run-now', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let processor: CursorProcessor;
  let handle: (req: Request) => Promise<Response>;
  const audit: unknown[] = [];
  const NOW = Date.parse('2026-11-24T12:00:00.000Z');

  const call = (method: string, path: string, token: string | null = TOKEN) =>
    handle(new Request(`http://ops.test${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} }));

  before(async () => {
    db = await createTestDatabase();
    processor = new CursorProcessor(db.sql, leaderboardRollups(), silent, { batchSize: 2 });
    const routes = mount(PROCESSOR_OPS_ROUTES, {
      processors: [{ name: processor.name, title: 'Coliseum rollups', lag: () => processor.lag(), catchUp: (n) => processor.catchUp(n) }],
      admin: adminGate(TOKEN),
      audit: { info: (o: unknown) => audit.push(o) },
      now: () => NOW,
    });
    const router = buildRouter(routes, silent) as unknown as { handler(r: Request): Promise<Response> };
    handle = (r) => router.handler(r);
    const rows = Array.from({ length: 5 }, (_, i) => ({
      event_id: randomUUID(),
      event_type: 'player.track_played',
      event_category: 'player',
      occurred_at: new Date(NOW - 90_000).toISOString(),
      received_at: new Date(NOW - 90_000 + i * 1000).toISOString(),
      payload: { trackId: 't1', artistId: 'fela' },
      source: 'room',
    }));
    await db.sql.query(
      `INSERT INTO passport_entries (event_id, event_type, event_category, occurred_at, received_at, payload, source)
       SELECT event_id, event_type, event_category, occurred_at, received_at, payload, source FROM jsonb_to_recordset(?::jsonb) AS r(event_id uuid, event_type text, event_category text, occurred_at timestamptz, received_at timestamptz, payload jsonb, source text)`,
      [JSON.stringify(rows)],
    );
  });

  after(async () => {
    await db?.drop();
  });

  it('lists the rollup processor with the rows waiting and how long the oldest has waited', async () => {
    assert.equal((await call('GET', '/api/ops/processors', null)).status, 401);
    const res = await call('GET', '/api/ops/processors');
    assert.equal(res.status, 200);
    const { processors } = (await res.json()) as { processors: Array<Record<string, unknown>> };
    assert.equal(processors.length, 1);
    assert.equal(processors[0].name, 'coliseum_rollups');
    assert.equal(processors[0].behind, 5);
    assert.equal(processors[0].behindCapped, false);
    assert.equal(processors[0].lagSeconds, 90);
    assert.equal(processors[0].movedAt, null, 'never ran');
  });

  it('run-now catches it up (several batches), counts the plays once, and writes one audit line', async () => {
    const res = await call('POST', '/api/ops/processors/coliseum_rollups/run');
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.processed, 5);
    assert.equal(body.behind, 0);
    assert.equal(body.lagSeconds, 0);
    assert.equal(body.oldestPendingAt, null);
    assert.ok(typeof body.movedAt === 'string');
    const [row] = await db.sql.query<{ value: string }>(
      `SELECT value::text AS value FROM coliseum_metrics WHERE entity_type = 'track' AND entity_id = 't1' AND metric = 'plays' AND period = 'all'`,
    );
    assert.equal(Number(row.value), 5);
    assert.deepEqual(audit, [{ audit: true, action: 'run_processor', processor: 'coliseum_rollups', processed: 5 }]);
    const again = (await (await call('POST', '/api/ops/processors/coliseum_rollups/run')).json()) as Record<string, unknown>;
    assert.equal(again.processed, 0, 'nothing left');
    assert.equal((await call('POST', '/api/ops/processors/nope/run')).status, 404);
  });
});
