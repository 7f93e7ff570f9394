import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { writerOptions } from '../../support/config.js';
import { PlatformMetrics } from '../../../features/analytics/platformMetrics.js';
import { PlatformMetricsRepository } from '../../../persistence/analytics/PlatformMetricsRepository.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { CursorProcessor } from '../../../features/passport/CursorProcessor.js';
import { leaderboardRollups } from '../../../persistence/leaderboard/rollups.js';
import { makeEvent, type EventType, type PassportEvent, type PayloadOf } from '../../../systems/passport/index.js';

const silent = pino({ level: 'silent' });
const S = 1000;
const MIN = 60 * S;
const DAY = 86_400_000;

/**
 * Seed 000 step 17 "Most visited artists … AVG(sv.duration) as avg_time_spent": a visit lasts until the
 * session's next visit or its end, capped (here 30 min); a visit with nothing after it is not measured.
 */
describe('top artists avg_time_spent from the passport (real Postgres)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let writer: PassportWriter;
  const NOW = Date.now();
  const T0 = NOW - 2 * 3_600_000;
  const user = randomUUID();

  const ev = <T extends EventType>(type: T, payload: PayloadOf<T>, at: number, sessionId: string, artistId?: string): PassportEvent =>
    makeEvent(
      type,
      { payload, occurredAt: at, ...(artistId ? { entityType: 'artist', entityId: artistId } : {}) } as never,
      { source: 'room', userId: user, sessionId },
      NOW,
      randomUUID,
    ) as PassportEvent;
  const visit = (artistId: string, at: number, sessionId: string) =>
    ev('station.visited', { artistId, frequency: null, method: 'swipe' }, at, sessionId, artistId);

  before(async () => {
    db = await createTestDatabase();
    writer = new PassportWriter(db.sql, writerOptions({ flushIntervalMs: 5 }), silent);
    await db.sql.query(`INSERT INTO users (id, device_id) VALUES (?, 'dev-dwell')`, [user]);
    const [s1, s2, s3] = [randomUUID(), randomUUID(), randomUUID()];
    await writer.enqueueDurable(
      [
        // Session 1: Burna Boy 3:42 (222 s), Wizkid 100 s, Burna Boy again 60 s until the session ends.
        visit('burna', T0, s1),
        visit('wiz', T0 + 222 * S, s1),
        visit('burna', T0 + 322 * S, s1),
        ev('session.ended', {}, T0 + 382 * S, s1),
        // Session 2: Burna Boy left open for an hour before the next visit: counted as the 30-minute cap.
        visit('burna', T0 + 10 * MIN, s2),
        visit('wiz', T0 + 70 * MIN, s2),
        // …and that Wizkid visit has nothing after it: not measured (still listening, or the end was never logged).
        // Session 3: eight days ago, outside the 7-day range.
        visit('burna', NOW - 8 * DAY, s3),
        visit('wiz', NOW - 8 * DAY + 5 * S, s3),
      ],
      5000,
    );
    await new CursorProcessor(db.sql, leaderboardRollups(), silent, { batchSize: 5000 }).catchUp();
  });
  after(async () => {
    await writer?.stop();
    await db?.drop();
  });

  it("averages each top artist's visit durations in the range, capped, as m:ss", async () => {
    const metrics = new PlatformMetrics({
      repo: new PlatformMetricsRepository(db.sql),
      cacheTtlMs: 0,
      cacheMaxEntries: 4,
      dwellCapSeconds: 1800,
      apiMinuteRetentionMs: 72 * 3_600_000,
      now: () => NOW,
    });
    const report = await metrics.get('7d');
    const rows = report.content_performance.top_artists.map((a) => [a.id, a.visits, a.avg_time_spent_seconds, a.avg_time_spent, a.measured_visits]);
    // Burna Boy: (222 + 60 + 1800) / 3 = 694 s; Wizkid: 100 s measured of its 2 visits.
    assert.deepEqual(rows, [
      ['burna', 3, 694, '11:34', 3],
      ['wiz', 2, 100, '1:40', 1],
    ]);
  });

  it('a shorter cap changes the capped visit only', async () => {
    const metrics = new PlatformMetrics({
      repo: new PlatformMetricsRepository(db.sql),
      cacheTtlMs: 0,
      cacheMaxEntries: 4,
      dwellCapSeconds: 300,
      apiMinuteRetentionMs: 72 * 3_600_000,
      now: () => NOW,
    });
    const burna = (await metrics.get('7d')).content_performance.top_artists.find((a) => a.id === 'burna');
    // (222 + 60 + 300) / 3 = 194 s.
    assert.equal(burna?.avg_time_spent, '3:14');
  });
});
