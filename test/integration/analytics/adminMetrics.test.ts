import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { jsonOf } from '../../support/http.js';
import { buildRouter } from '../../support/httpRouter.js';
import { analyticsRoutes } from '../../../src/http/analyticsRoutes.js';
import { createHttpMetrics } from '../../../src/http/httpMetrics.js';
import { PlatformMetrics } from '../../../features/analytics/platformMetrics.js';
import { PlatformMetricsRepository } from '../../../persistence/analytics/PlatformMetricsRepository.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { CursorProcessor } from '../../../features/passport/CursorProcessor.js';
import { leaderboardRollups } from '../../../persistence/leaderboard/rollups.js';
import { makeEvent, type EventType, type PassportEvent, type PayloadOf } from '../../../systems/passport/index.js';
import { writerOptions } from '../../support/config.js';

const TOKEN = 'test-admin-token-0123456789';
const silent = pino({ level: 'silent' });
const MIN = 60_000;
const DAY = 86_400_000;

describe('GET /api/admin/metrics (real Postgres)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let writer: PassportWriter;
  let router: { handler(r: Request): Promise<Response> };
  let platform: PlatformMetrics;
  // Taken when the suite runs, not when the file loads: the users' created_at is the database's clock at insert.
  let NOW = 0;
  let clock = 0;

  const call = (path: string, token: string | null = TOKEN) =>
    router.handler(new Request(`http://localhost${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } }));
  const ev = <T extends EventType>(type: T, payload: PayloadOf<T>, at: number, userId: string, sessionId: string | null = null): PassportEvent =>
    makeEvent(type, { payload, occurredAt: at } as never, { source: 'room', userId, sessionId }, NOW, randomUUID) as PassportEvent;

  async function session(userId: string, startedAgoMs: number, minutes: number, orbs: number, sensor: number, captures: number): Promise<void> {
    await db.sql.query(
      `INSERT INTO sessions (id, user_id, device_id, started_at, last_active, total_orbs_explored, sensor_engagement_count, total_captures) VALUES (?, ?, 'd', ?, ?, ?, ?, ?)`,
      [randomUUID(), userId, new Date(NOW - startedAgoMs), new Date(NOW - startedAgoMs + minutes * MIN), orbs, sensor, captures],
    );
  }

  before(async () => {
    NOW = clock = Date.now();
    db = await createTestDatabase();
    writer = new PassportWriter(db.sql, writerOptions({ flushIntervalMs: 5 }), silent);
    const users = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, id] of users.entries()) await db.sql.query(`INSERT INTO users (id, device_id) VALUES (?, ?)`, [id, `dev-${i}`]);
    await db.sql
      .query(
        `INSERT INTO artists (id, name, station_frequency, genres) SELECT 'burna', 'Burna Boy', 105.5, '{}' UNION ALL SELECT 'fela', 'Fela Kuti', 102.7, '{}' UNION ALL SELECT 'wiz', 'Wizkid', 99.9, '{}'`,
      )
      .catch(() => undefined);
    // Four sessions in the last 7 days: orbs 0/2/4/7 (avg 3.25), sensors in 3 of 4, 30 minutes each, 3 captures.
    await session(users[0], 2 * 3_600_000, 30, 0, 0, 1);
    await session(users[0], 1 * DAY, 30, 2, 5, 0);
    await session(users[1], 2 * DAY, 30, 4, 1, 2);
    await session(users[2], 3 * DAY, 30, 7, 9, 0);
    await session(users[2], 10 * DAY, 90, 50, 0, 9); // outside 7d
    // Captures are the stars (seed 17.4), not the sessions' counters: users[2]'s star came by offline sync
    // (no session counted it), and the 10-day-old one is outside the range.
    // Their artists are not the rollups' ones (those stay nameless: the content blocks report ids).
    await db.sql.query(
      `INSERT INTO scenes (id, name, scene_type, video_url_high, video_url_medium, video_url_low) VALUES ('kpi', 'kpi', 'club', 'h', 'm', 'l')`,
    );
    await db.sql.query(`INSERT INTO artists (id, name, scene_id) VALUES ('star_a', 'Star A', 'kpi'), ('star_b', 'Star B', 'kpi')`);
    const star = (userId: string, artistId: string, agoMs: number) =>
      db.sql.query(`INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at) VALUES (?, ?, 0, 0, 0, ?)`, [
        userId,
        artistId,
        new Date(NOW - agoMs),
      ]);
    await star(users[0], 'star_a', 2 * 3_600_000);
    await star(users[1], 'star_a', 2 * DAY);
    await star(users[1], 'star_b', 2 * DAY);
    await star(users[2], 'star_a', 3 * DAY);
    await star(users[2], 'star_b', 10 * DAY);
    // Passport → rollups: orb taps now, and old ones outside the range.
    await writer.enqueueDurable(
      [
        ...[1, 2, 3].map(() => ev('orb.tapped', { fromArtistId: 'burna', toArtistId: 'fela' }, NOW - MIN, users[0])),
        ev('orb.tapped', { fromArtistId: 'fela', toArtistId: 'burna' }, NOW - DAY, users[1]),
        ...[1, 2, 3, 4, 5].map(() => ev('orb.tapped', { fromArtistId: 'old', toArtistId: 'one' }, NOW - 20 * DAY, users[2])),
        ev('station.visited', { artistId: 'fela', frequency: 102.7, method: 'orb' }, NOW - MIN, users[0]),
        // Bottleneck inputs: Wizkid visited 6 times and nothing done there; Burna Boy 5 visits, 3 orb taps from it (0.6 per visit).
        ...[1, 2, 3, 4, 5, 6].map(() => ev('station.visited', { artistId: 'wiz', frequency: 99.9, method: 'swipe' }, NOW - 2 * MIN, users[1])),
        ...[1, 2, 3, 4, 5].map(() => ev('station.visited', { artistId: 'burna', frequency: 105.5, method: 'swipe' }, NOW - 2 * MIN, users[1])),
        // Time spent (seed 17 avg_time_spent): a visit lasts until the session's next visit or its end.
        // Session s1: Wizkid 3:00, then Burna Boy 0:30 until the session ends. Session s2: Wizkid 1:00, then
        // Fela Kuti with nothing after it (not timed). Wizkid's average: (180 + 60) / 2 = 2:00.
        ev('station.visited', { artistId: 'wiz', frequency: 99.9, method: 'swipe' }, NOW - 10 * MIN, users[0], 's1'),
        ev('station.visited', { artistId: 'burna', frequency: 105.5, method: 'swipe' }, NOW - 7 * MIN, users[0], 's1'),
        ev('session.ended', {}, NOW - 6.5 * MIN, users[0], 's1'),
        ev('station.visited', { artistId: 'wiz', frequency: 99.9, method: 'swipe' }, NOW - 5 * MIN, users[2], 's2'),
        ev('station.visited', { artistId: 'fela', frequency: 102.7, method: 'orb' }, NOW - 4 * MIN, users[2], 's2'),
      ],
      5000,
    );
    await new CursorProcessor(db.sql, leaderboardRollups(), silent, { batchSize: 5000 }).catchUp();
    const http = createHttpMetrics(new Registry());
    platform = new PlatformMetrics({
      repo: new PlatformMetricsRepository(db.sql),
      api: http,
      cacheTtlMs: 60_000,
      cacheMaxEntries: 4,
      now: () => clock,
      dwellCapSeconds: 1800,
      apiMinuteRetentionMs: 72 * 3_600_000,
    });
    router = buildRouter(analyticsRoutes(platform, TOKEN), silent, { draining: () => false, observe: http.observe }) as never;
  });
  after(async () => {
    await writer?.stop();
    await db?.drop();
  });

  it('401 without a token, 403 with a token that is not the admin token', async () => {
    const none = await call('/api/admin/metrics', null);
    assert.equal(none.status, 401);
    assert.equal((await jsonOf(none)).error, 'UNAUTHORIZED');
    const wrong = await call('/api/admin/metrics', 'a-user-access-token-xyz');
    assert.equal(wrong.status, 403);
    assert.equal((await jsonOf(wrong)).error, 'FORBIDDEN');
  });

  it('400 with field details for a bad range', async () => {
    for (const bad of ['7w', '0d', '365d', 'x']) {
      const res = await call(`/api/admin/metrics?range=${bad}`);
      assert.equal(res.status, 400, bad);
      const body = await jsonOf(res);
      assert.equal(body.error, 'VALIDATION_FAILED');
      assert.equal(body.details[0].field, 'range');
    }
  });

  it('computes the KPIs from the sessions and the rollups of the passport', async () => {
    clock += 60_000; // past the cache TTL: a fresh computation
    const res = await call('/api/admin/metrics?range=7d');
    assert.equal(res.status, 200);
    const m = await jsonOf(res);
    assert.equal(m.period, '7 days');
    assert.equal(m.user_metrics.total_sessions, 4);
    assert.equal(m.user_metrics.total_users, 3);
    assert.equal(m.user_metrics.new_users, 3);
    assert.equal(m.user_metrics.avg_session_duration_minutes, 30);
    assert.equal(m.user_metrics.session_duration_lift_vs_benchmark, '+20.0%');
    assert.deepEqual(m.engagement_kpis.interaction_depth, {
      avg_orbs_per_session: 3.3,
      goal: 3,
      status: 'Meeting goal',
      distribution: { '0 orbs': 1, '1-2 orbs': 1, '3-5 orbs': 1, '6+ orbs': 1 },
    });
    assert.deepEqual(m.engagement_kpis.sensor_engagement, { percentage: 75, goal: 60, status: 'Exceeding goal' });
    assert.deepEqual(
      m.engagement_kpis.constellation_growth,
      { capture_rate: 1, avg_captures_per_user: 1.3, total_captures: 4 },
      '4 stars in range by 3 users over 4 sessions',
    );
    assert.deepEqual(
      m.content_performance.top_orbs.map((o: { id: string; clicks: number }) => [o.id, o.clicks]),
      [
        ['burna>fela', 3],
        ['fela>burna', 1],
      ],
      'the 20-day-old taps are outside the range',
    );
    assert.deepEqual(
      m.content_performance.top_artists.map((a: { id: string; visits: number }) => [a.id, a.visits]),
      [
        ['wiz', 8],
        ['burna', 6],
        ['fela', 2],
      ],
    );
    assert.deepEqual(
      m.content_performance.top_artists.map(
        (a: { id: string; avg_time_spent: string | null; avg_time_spent_seconds: number | null; measured_visits: number }) => [
          a.id,
          a.avg_time_spent,
          a.avg_time_spent_seconds,
          a.measured_visits,
        ],
      ),
      [
        ['wiz', '2:00', 120, 2],
        ['burna', '0:30', 30, 1],
        ['fela', null, null, 0],
      ],
      'visits without a session or without a next event are not timed',
    );
    // Seed 17: high visits, under 0.5 interactions per visit; Burna Boy (3 taps / 6 visits) passes, Fela Kuti has too few visits to judge.
    assert.deepEqual(m.content_performance.bottlenecks, [{ id: 'wiz', name: null, visits: 8, orbTaps: 0, captures: 0, avg_interactions: 0 }]);
    assert.equal(
      m.daily.reduce((s: number, d: { sessions: number }) => s + d.sessions, 0),
      4,
    );
    assert.equal(m.cache.hit, false);
  });

  it('serves the cached answer within the TTL, and reports its own API latency and error rate', async () => {
    const again = await jsonOf(await call('/api/admin/metrics?range=7d'));
    assert.equal(again.cache.hit, true);
    clock += 60_000; // past the cache TTL: a fresh computation
    const fresh = await jsonOf(await call('/api/admin/metrics?range=7d'));
    const mine = fresh.technical_performance.endpoints.find((e: { endpoint: string }) => e.endpoint === 'GET /api/admin/metrics');
    assert.ok(mine, JSON.stringify(fresh.technical_performance));
    assert.ok(mine.requests >= 7, `requests ${mine.requests}`);
    assert.ok(mine.client_errors >= 6, 'the 401/403/400 answers count as 4xx');
    assert.equal(mine.server_errors, 0);
    assert.equal(mine.error_rate, 0);
    assert.ok(mine.p95_ms > 0);
  });
});
