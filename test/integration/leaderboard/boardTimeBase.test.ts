import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { earlierToday } from '../../support/time.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { CursorProcessor } from '../../../features/passport/CursorProcessor.js';
import { leaderboardRollups } from '../../../persistence/leaderboard/rollups.js';
import { LocalLeaderboardStore } from '../../../persistence/leaderboard/LocalLeaderboardStore.js';
import { sqlRollupReads } from '../../../persistence/leaderboard/rollups.js';
import { sqlLeaderboardLookups } from '../../../persistence/leaderboard/boardTables.js';
import { LeaderboardFeeder } from '../../../features/leaderboard/LeaderboardFeeder.js';
import { restoreLeaderboardsFromRollups } from '../../../features/leaderboard/boards.js';
import { KPI_LEADERBOARD } from '../../../systems/leaderboard/leaderboards.js';
import { makeEvent, type EventType, type PassportEvent, type PayloadOf } from '../../../systems/passport/index.js';
import { writerOptions } from '../../support/config.js';
import { defaults } from '../../support/config.js';

const silent = pino({ level: 'silent' });
const DAY = 86_400_000;

/**
 * The live boards and the rollups bucket by the same clock (event time), so a board read
 * live equals the same board rebuilt from the rollups after a restart — with back-dated (offline) events.
 */
describe('one time base: live boards = boards restored from the rollups (back-dated events)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let writer: PassportWriter;
  const NOW = Date.now();
  const user = randomUUID();

  const ev = <T extends EventType>(type: T, payload: PayloadOf<T>, at: number): PassportEvent =>
    makeEvent(type, { payload, occurredAt: at } as never, { source: 'offline_sync', userId: user, sessionId: null }, NOW, randomUUID) as PassportEvent;

  before(async () => {
    db = await createTestDatabase();
    writer = new PassportWriter(db.sql, writerOptions({ flushIntervalMs: 5 }), silent);
    await db.sql.query(`INSERT INTO users (id, device_id, city) VALUES (?, 'd-tb', 'Lagos')`, [user]);
  });
  after(async () => {
    await writer?.stop();
    await db?.drop();
  });

  it("events dated yesterday stay out of today's live day board, and the board is the same after a restore", async () => {
    const live = new LocalLeaderboardStore();
    const feeder = new LeaderboardFeeder({ ...defaults.leaderboard, store: live, log: silent, now: () => NOW, lookups: sqlLeaderboardLookups(db.sql) }).attach(
      writer,
    );
    const today = earlierToday(NOW, 60_000);
    const yesterday = NOW - DAY;
    await writer.enqueueDurable(
      [
        ...[1, 2, 3].map(() => ev('station.visited', { artistId: 'fela', frequency: 102.7, method: 'offline_cache' }, today)),
        ...[1, 2, 3, 4, 5].map(() => ev('station.visited', { artistId: 'burna', frequency: 105.5, method: 'offline_cache' }, yesterday)),
        ev('concierto.vote_cast', { eventId: 'evt_tb', voteFor: 'fela', weight: 2 }, yesterday),
        ev('concierto.vote_cast', { eventId: 'evt_tb', voteFor: 'burna' }, today),
      ],
      5000,
    );
    await feeder.flush();
    await feeder.stop();

    const day = await live.top('artists.visits', 'day', 10, NOW);
    assert.deepEqual(
      day.map((e) => [e.entityId, e.score]),
      [['fela', 3]],
      "yesterday's 5 burna visits are not today's",
    );
    const all = await live.top('artists.visits', 'all', 10, NOW);
    assert.deepEqual(
      all.map((e) => [e.entityId, e.score]),
      [
        ['burna', 5],
        ['fela', 3],
      ],
    );
    const previousDay = await live.previousStandings('artists.visits', 'day', ['burna', 'fela'], NOW);
    assert.deepEqual(
      [...previousDay].map(([entityId, s]) => [entityId, s.score]),
      [['burna', 5]],
      'they are in yesterday’s board',
    );

    // Restart: a fresh Local store rebuilt from the rollups must show the same boards.
    await new CursorProcessor(db.sql, leaderboardRollups(), silent, { batchSize: 5000 }).catchUp();
    const restored = new LocalLeaderboardStore();
    await restoreLeaderboardsFromRollups(sqlRollupReads(db.sql), restored, NOW, { limitPerBucket: 5000 });
    for (const board of ['artists.visits', 'votes.evt_tb', 'cities.engagement', KPI_LEADERBOARD]) {
      for (const window of ['hour', 'day', 'week', '30d', 'all'] as const) {
        if (board === KPI_LEADERBOARD && window === 'all') continue; // the restore rebuilds recent KPI buckets only
        const a = (await live.top(board, window, 50, NOW)).map((e) => [e.entityId, e.score]);
        const b = (await restored.top(board, window, 50, NOW)).map((e) => [e.entityId, e.score]);
        assert.deepEqual(b, a, `${board} ${window}: restored ≠ live`);
        // The previous window's standings of every entity either store has counted.
        const counted = [...(await live.top(board, 'all', 1000, NOW)), ...(await restored.top(board, 'all', 1000, NOW))];
        const seen = [...new Set(counted.map((e) => e.entityId))];
        const pa = [...(await live.previousStandings(board, window, seen, NOW))];
        const pb = [...(await restored.previousStandings(board, window, seen, NOW))];
        if (window !== 'all' && window !== '30d') assert.deepEqual(pb, pa, `${board} previous ${window}: restored ≠ live`);
      }
    }
  });
});
