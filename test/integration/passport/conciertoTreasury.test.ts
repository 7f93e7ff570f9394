import { validateEvent } from '../../../systems/passport/index.js';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { earlierToday } from '../../support/time.js';
import { jsonOf } from '../../support/http.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { CursorProcessor } from '../../../features/passport/CursorProcessor.js';
import { leaderboardRollups } from '../../../persistence/leaderboard/rollups.js';
import { LocalLeaderboardStore } from '../../../persistence/leaderboard/LocalLeaderboardStore.js';
import { sqlRollupReads } from '../../../persistence/leaderboard/rollups.js';
import { sqlLeaderboardLookups } from '../../../persistence/leaderboard/boardTables.js';
import { LeaderboardFeeder } from '../../../features/leaderboard/LeaderboardFeeder.js';
import { readKpis } from '../../../features/leaderboard/boards.js';
import { restoreLeaderboardsFromRollups } from '../../../features/leaderboard/boards.js';
import { passportRoutes } from '../../../src/http/passportRoutes.js';
import { leaderboardRoutes } from '../../../src/http/leaderboardRoutes.js';
import { buildRouter } from '../../support/httpRouter.js';
import { requestAuth } from '../../../src/http/authGates.js';
import { AccessTokens } from '../../../features/auth/tokens.js';
import { writerOptions, raisedIngestLimits } from '../../support/config.js';
import { defaults } from '../../support/config.js';

const silent = pino({ level: 'silent' });
const SERVICE_TOKEN = 'concierto-treasury-service-token';
const auth = requestAuth(new AccessTokens('concierto-treasury-test-secret-0123456789', 900), SERVICE_TOKEN);

/** Vote, attendance and purchase events through the real HTTP ingest reach their boards and tiles. */
describe('Concierto and Treasury: ingest → boards, tiles, rollups (real Postgres)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let writer: PassportWriter;
  let router: { handler(r: Request): Promise<Response> };
  const NOW = Date.now();
  const at = new Date(earlierToday(NOW, 60_000)).toISOString();
  const user = randomUUID();

  const log = (eventType: string, payload: Record<string, unknown>) =>
    router.handler(
      new Request('http://localhost/api/passport/log', {
        method: 'POST',
        headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ eventId: randomUUID(), eventType, userId: user, occurredAt: at, payload }),
      }),
    );

  /** Votes are recorded by the server (the concierto vote route), never claimed over ingest: enqueued as that route does. */
  const vote = async (payload: Record<string, unknown>): Promise<Response> => {
    const built = validateEvent(
      { eventId: randomUUID(), eventType: 'concierto.vote_cast', userId: user, occurredAt: at, payload },
      { source: 'http', receivedAtMs: NOW, newId: randomUUID },
    );
    if (!built.ok) return new Response(JSON.stringify(built.issues), { status: 400 });
    await writer.enqueueDurable([built.event]);
    return new Response(null, { status: 202 });
  };

  before(async () => {
    db = await createTestDatabase();
    writer = new PassportWriter(db.sql, writerOptions({ flushIntervalMs: 5 }), silent);
    router = buildRouter(passportRoutes(writer, { limits: raisedIngestLimits(), ackTimeoutMs: 10_000, maxBatch: 1000, auth, now: () => NOW }), silent) as never;
    await db.sql.query(`INSERT INTO users (id, device_id, city) VALUES (?, 'd-ct', 'Boston')`, [user]);
  });
  after(async () => {
    await writer?.stop();
    await db?.drop();
  });

  it('rejects money as a float (or a string) with 400 and the field, and accepts nothing', async () => {
    for (const amountCents of [12.5, '1250', -1]) {
      const res = await log('treasury.purchase_completed', { amountCents, currency: 'usd', artistId: 'fela' });
      assert.equal(res.status, 400, String(amountCents));
      const body = await jsonOf(res);
      assert.equal(body.error, 'VALIDATION_FAILED');
      assert.ok(JSON.stringify(body.details).includes('amountCents'), JSON.stringify(body));
    }
    const bad = await log('treasury.purchase_completed', { amountCents: 100, currency: 'dollars' });
    assert.equal(bad.status, 400);
    const noTarget = await vote({ eventId: 'evt_a' });
    assert.equal(noTarget.status, 400, 'a vote must name voteFor or artistId');
    const claimed = await log('concierto.vote_cast', { eventId: 'evt_a', voteFor: 'fela' });
    assert.equal(claimed.status, 400, 'clients cannot claim votes over ingest');
    await writer.drain(5000);
    const [{ n }] = await db.sql.query<{ n: string }>('SELECT count(*) AS n FROM passport_entries');
    assert.equal(Number(n), 0);
  });

  it('feeds Top events by votes, Top events by engagement, per-event votes, revenue by artist and the KPI tiles; the rollups agree', async () => {
    const live = new LocalLeaderboardStore();
    const feeder = new LeaderboardFeeder({ ...defaults.leaderboard, store: live, log: silent, now: () => NOW, lookups: sqlLeaderboardLookups(db.sql) }).attach(
      writer,
    );
    const sent = [
      vote({ eventId: 'evt_a', voteFor: 'fela', weight: 3 }),
      vote({ eventId: 'evt_a', artistId: 'burna', channel: 'web' }), // seed 003 spelling
      vote({ eventId: 'evt_b', voteFor: 'fela' }),
      log('concierto.event_attended', { eventId: 'evt_b' }),
      log('concierto.event_attended', { eventId: 'evt_b' }),
      log('concierto.event_attended', { eventId: 'evt_b' }),
      log('treasury.purchase_completed', { amountCents: 4500, currency: 'usd', artistId: 'fela', eventId: 'evt_b', reason: 'ticket' }),
      log('treasury.purchase_completed', { amountCents: 1999, currency: 'USD', artistId: 'burna' }),
      log('treasury.purchase_completed', { amountCents: 700, currency: 'eur', artistId: 'burna' }),
      log('player.track_played', { trackId: 't1', artistId: 'fela' }),
    ];
    for (const res of await Promise.all(sent)) assert.equal(res.status, 202, await res.text());
    await feeder.flush();
    await feeder.stop();

    const rows = async (board: string, store = live) => (await store.top(board, 'day', 10, NOW)).map((e) => [e.entityId, e.score]);
    assert.deepEqual(
      await rows('events.votes'),
      [
        ['evt_a', 4],
        ['evt_b', 1],
      ],
      'votes by weight',
    );
    assert.deepEqual(
      await rows('events.engagement'),
      [
        ['evt_b', 5],
        ['evt_a', 2],
      ],
      'evt_b: 1 vote + 3 attendances + 1 purchase',
    );
    assert.deepEqual(await rows('votes.evt_a'), [
      ['fela', 3],
      ['burna', 1],
    ]);
    assert.deepEqual(
      await rows('revenue.usd'),
      [
        ['fela', 4500],
        ['burna', 1999],
      ],
      'integer cents, currency lower-cased',
    );
    assert.deepEqual(await rows('revenue.eur'), [['burna', 700]], 'currencies never mix');

    const tiles = Object.fromEntries((await readKpis(live, { activeSessions: 0, spectators: 0 }, NOW)).map((t) => [t.key, [t.value, t.unit]]));
    assert.deepEqual(tiles.playsToday, [1, 'plays']);
    assert.deepEqual(tiles.votesToday, [5, 'votes']);
    assert.deepEqual(tiles.attendanceToday, [3, 'attendees']);
    assert.deepEqual(tiles.revenueToday, [6499, 'cents:usd']);

    // Over HTTP, as a client reads them.
    const reads = buildRouter(leaderboardRoutes(live, { maxLimit: 100, now: () => NOW }), silent) as unknown as { handler(r: Request): Promise<Response> };
    const revenue = await jsonOf(await reads.handler(new Request('http://localhost/api/leaderboards/revenue.usd?window=day')));
    assert.equal(revenue.title, 'Top supported artists by revenue (USD)');
    assert.deepEqual(
      revenue.entries.map((e: { entityId: string; score: number }) => [e.entityId, e.score]),
      [
        ['fela', 4500],
        ['burna', 1999],
      ],
    );
    const listed = await jsonOf(await reads.handler(new Request('http://localhost/api/leaderboards')));
    assert.ok(JSON.stringify(listed).includes('events.votes') && JSON.stringify(listed).includes('revenue.<currency>'), JSON.stringify(listed));

    await new CursorProcessor(db.sql, leaderboardRollups(), silent, { batchSize: 5000 }).catchUp();
    const restored = new LocalLeaderboardStore();
    await restoreLeaderboardsFromRollups(sqlRollupReads(db.sql), restored, NOW, { limitPerBucket: 5000 });
    for (const board of ['events.votes', 'events.engagement', 'events.attendance', 'votes.evt_a', 'revenue.usd', 'revenue.eur']) {
      assert.deepEqual(await rows(board, restored), await rows(board), `${board}: restored ≠ live`);
    }
    const restoredTiles = await readKpis(restored, { activeSessions: 0, spectators: 0 }, NOW);
    assert.deepEqual(
      restoredTiles.map((t) => [t.key, t.value]),
      (await readKpis(live, { activeSessions: 0, spectators: 0 }, NOW)).map((t) => [t.key, t.value]),
    );
  });
});
