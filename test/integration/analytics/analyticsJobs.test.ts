import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '../../support/db.js';
import { insertUser } from '../../support/auth.js';
import { AnalyticsRepository } from '../../../persistence/analytics/AnalyticsRepository.js';
import { MaintenanceRepository } from '../../../persistence/analytics/MaintenanceRepository.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { GravityRepository } from '../../../persistence/gravity/GravityRepository.js';
import { JobLogRepository } from '../../../persistence/jobs/JobLogRepository.js';
import { aggregateSessions } from '../../../features/analytics/aggregateSessions.js';
import { computeGlobalMetrics } from '../../../features/analytics/globalMetrics.js';
import { cleanup, updatePopularity } from '../../../features/analytics/maintenance.js';
import { popularityScore, sessionMetrics, type UserProfile } from '../../../systems/session/sessionMetrics.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);
/** The seed's running average (9.2.d) of a profile after one more session: what the aggregation must equal. */
const profileAfter = (p: UserProfile, durationSeconds: number, orbsPerInteraction: number): UserProfile => ({
  totalSessionSeconds: p.totalSessionSeconds + durationSeconds,
  avgOrbExploration: (p.avgOrbExploration * p.sessionCount + orbsPerInteraction) / (p.sessionCount + 1),
  sessionCount: p.sessionCount + 1,
});
const NOW = Date.now();
const MIN = 60_000;
const signal = new AbortController().signal;

describe('step 9 jobs on real Postgres', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  const sql = () => database().sql;

  async function session(userId: string, startedAgoMin: number, activeAgoMin: number, counters: { i: number; o: number; s: number }): Promise<string> {
    const id = randomUUID();
    await sql().query(
      `INSERT INTO sessions (id, user_id, device_id, started_at, last_active, total_interactions, total_orbs_explored, sensor_engagement_count) VALUES (?, ?, 'd', ?, ?, ?, ?, ?)`,
      [id, userId, new Date(NOW - startedAgoMin * MIN), new Date(NOW - activeAgoMin * MIN), counters.i, counters.o, counters.s],
    );
    return id;
  }

  before(async () => {
    await new CatalogRepository(database().orm).ensureDemoCatalog();
  });

  it('aggregates active sessions with the seed formulas and labels, and counts each session once in its user profile', async () => {
    const { userId } = await insertUser(sql());
    const a = await session(userId, 12, 0, { i: 48, o: 12, s: 6 }); // 0.25 orbs/interaction: medium, immersion high
    const b = await session(userId, 30, 5, { i: 10, o: 4, s: 0 }); // 0.4: high curiosity, immersion low
    await session(userId, 30, 11, { i: 10, o: 4, s: 0 }); // inactive for 11 min: not aggregated
    await session(userId, 130, 1, { i: 10, o: 4, s: 0 }); // older than 2 h: not aggregated
    const repo = new AnalyticsRepository(sql());
    const first = await aggregateSessions(repo, 1, { nowMs: NOW, signal }); // pages of one session
    assert.equal(first.rows, 2);
    const stored = await sql().query<{
      session_id: string;
      session_quality: string;
      immersion_level: string;
      duration_seconds: number;
      orbs_per_interaction: number;
    }>(`SELECT session_id::text, session_quality, immersion_level, duration_seconds, orbs_per_interaction FROM session_metrics ORDER BY session_id`);
    const want = (id: string) => stored.find((r) => r.session_id === id)!;
    assert.deepEqual([want(a).session_quality, want(a).immersion_level, Number(want(a).duration_seconds)], ['medium_curiosity', 'high', 720]);
    assert.deepEqual([want(b).session_quality, want(b).immersion_level], ['high_curiosity', 'low']);

    const profile = async () =>
      (
        await sql().query<{ t: number; a: number; c: number }>(
          `SELECT total_session_seconds AS t, avg_orb_exploration AS a, session_count AS c FROM users WHERE id = ?`,
          [userId],
        )
      )[0];
    const mA = sessionMetrics({ startedAtMs: NOW - 12 * MIN, lastActiveMs: NOW, interactions: 48, orbsExplored: 12, sensorEngagements: 6 });
    const mB = sessionMetrics({ startedAtMs: NOW - 30 * MIN, lastActiveMs: NOW - 5 * MIN, interactions: 10, orbsExplored: 4, sensorEngagements: 0 });
    const seed = profileAfter(
      profileAfter({ totalSessionSeconds: 0, avgOrbExploration: 0, sessionCount: 0 }, mA.durationSeconds, mA.orbsPerInteraction),
      mB.durationSeconds,
      mB.orbsPerInteraction,
    );
    let p = await profile();
    assert.equal(Number(p.c), 2);
    close(Number(p.t), seed.totalSessionSeconds, 1e-6);
    close(Number(p.a), seed.avgOrbExploration);

    // Five minutes later the same sessions are aggregated again: replaced, not added (the seed would count 4 sessions).
    await sql().query(`UPDATE sessions SET total_orbs_explored = 24, last_active = ? WHERE id = ?`, [new Date(NOW), a]);
    await aggregateSessions(repo, 1000, { nowMs: NOW + 1000, signal });
    p = await profile();
    const mA2 = sessionMetrics({ startedAtMs: NOW - 12 * MIN, lastActiveMs: NOW, interactions: 48, orbsExplored: 24, sensorEngagements: 6 });
    const once = profileAfter(
      profileAfter({ totalSessionSeconds: 0, avgOrbExploration: 0, sessionCount: 0 }, mA2.durationSeconds, mA2.orbsPerInteraction),
      mB.durationSeconds,
      mB.orbsPerInteraction,
    );
    assert.equal(Number(p.c), 2);
    close(Number(p.a), once.avgOrbExploration);
    close(Number(p.t), once.totalSessionSeconds, 1e-6);
    const [again] = await sql().query<{ q: string }>(`SELECT session_quality AS q FROM session_metrics WHERE session_id = ?`, [a]);
    assert.equal(again.q, 'high_curiosity', '24 orbs / 48 interactions = 0.5: the row was replaced');
  });

  it('computes trending artists, popular paths and low-engagement alerts from the rollups, and popularity scores', async () => {
    const hour = new Date(Math.floor(NOW / 3_600_000) * 3_600_000);
    const day = new Date(Math.floor(NOW / 86_400_000) * 86_400_000);
    const put = (type: string, id: string, metric: string, period: string, at: Date, value: number) =>
      sql().query(`INSERT INTO coliseum_metrics (entity_type, entity_id, metric, period, bucket_start, value) VALUES (?, ?, ?, ?, ?, ?)`, [
        type,
        id,
        metric,
        period,
        at,
        value,
      ]);
    await put('artist', 'artist_wizkid', 'station_visits', 'hour', hour, 30);
    await put('artist', 'artist_fela_kuti', 'station_visits', 'hour', hour, 50);
    await put('artist', 'artist_wizkid', 'station_visits', 'day', day, 100);
    await put('artist', 'artist_wizkid', 'captures', 'day', day, 10);
    await put('orb_transition', 'artist_burna_boy>artist_wizkid', 'transitions', 'day', day, 20);
    await put('artist_path', 'artist_wizkid>artist_fela_kuti', 'visits', 'day', day, 9);
    // Six sessions visited Sade today and nobody tapped an orb there: low engagement.
    const { userId } = await insertUser(sql());
    for (let i = 0; i < 6; i++) {
      await sql().query(
        `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, session_id, occurred_at, received_at, payload, source) VALUES (?, 'station.visited', 'station', ?, ?, now(), now(), '{"artistId":"artist_sade","frequency":94.9,"method":"swipe"}', 'room')`,
        [randomUUID(), userId, `s${i}`],
      );
    }
    const repo = new AnalyticsRepository(sql());
    const result = await computeGlobalMetrics(repo, undefined, { nowMs: NOW });
    assert.deepEqual(
      (await repo.snapshot<Array<{ artistId: string }>>('trending:daily'))!.value.map((t) => t.artistId),
      ['artist_fela_kuti', 'artist_wizkid'],
    );
    assert.deepEqual((await repo.snapshot('popular_paths:weekly'))!.value, [{ cameFrom: 'artist_wizkid', artistId: 'artist_fela_kuti', count: 9 }]);
    assert.equal(result.details!.newAlerts, 1);
    const [alert] = await sql().query<{ artist_id: string; value: number }>(`SELECT artist_id, value FROM content_alerts`);
    assert.deepEqual([alert.artist_id, Number(alert.value)], ['artist_sade', 0]);
    assert.equal((await computeGlobalMetrics(repo, undefined, { nowMs: NOW })).details!.newAlerts, 0, 'once a day');

    const pop = await updatePopularity(new MaintenanceRepository(sql()), 10, { nowMs: NOW, signal });
    assert.ok(pop.rows >= 45);
    const [w] = await sql().query<{ s: number }>(`SELECT popularity_score AS s FROM artists WHERE id = 'artist_wizkid'`);
    close(Number(w.s), popularityScore(100, 20, 10));
    assert.equal((await updatePopularity(new MaintenanceRepository(sql()), 10, { nowMs: NOW + 60_000, signal })).rows, 0, 'updated within the hour: not again');
  });

  it('deletes DNA snapshots past retention, settled held votes, old share-link visitors and keys, and members of closed rollup buckets', async () => {
    const { userId } = await insertUser(sql());
    const at = (daysAgo: number) => new Date(NOW - daysAgo * 86_400_000);
    const snapshot = `INSERT INTO dna_snapshots (user_id, taken_at, trigger, dims, cultural, behavioral, economic, spatial, ref_at, signals, through_id) VALUES (?, ?, 'recompute', 1, '{1}', '{0}', '{0}', '{0}', now(), 1, 1)`;
    await sql().query(snapshot, [userId, at(400)]);
    await sql().query(snapshot, [userId, at(10)]);
    await sql().query(`INSERT INTO concierto_events (id, title, starts_at, ends_at) VALUES ('ev-clean', 'x', ?, ?)`, [at(30), at(29)]);
    await sql().query(`INSERT INTO concierto_event_options (event_id, option_id, name) VALUES ('ev-clean', 'a', 'A')`);
    const held = `INSERT INTO held_votes (vote_id, secret_hash, event_id, option_id, weight, held_at, expires_at) VALUES (?, ?, 'ev-clean', 'a', 1, ?, ?)`;
    await sql().query(held, [randomUUID(), 'a'.repeat(64), at(30), at(23)]); // expired unlinked: goes
    await sql().query(held, [randomUUID(), 'b'.repeat(64), at(0.1), new Date(NOW + 86_400_000)]); // still live: stays
    await sql().query(`INSERT INTO share_links (id, user_id, target_type, target_id, created_at, expires_at) VALUES (?, ?, 'artist', 'a', ?, ?)`, [
      'L'.repeat(22),
      userId,
      at(3),
      at(-80),
    ]);
    for (const day of [3, 0]) {
      await sql().query(`INSERT INTO share_link_opens (link_id, day, visitor) VALUES (?, ?::date, ?)`, [
        'L'.repeat(22),
        at(day).toISOString().slice(0, 10),
        Buffer.alloc(16, day),
      ]);
      await sql().query(`INSERT INTO share_link_keys (day, key) VALUES (?::date, ?)`, [at(day).toISOString().slice(0, 10), Buffer.alloc(32, day)]);
    }
    const member = `INSERT INTO coliseum_members (entity_type, entity_id, metric, period, bucket_start, user_id) VALUES ('artist', 'a', 'unique_listeners', ?, ?, ?)`;
    await sql().query(member, ['day', at(200), userId]);
    await sql().query(member, ['all', new Date(0), userId]);
    await sql().query(member, ['day', at(5), userId]);
    const result = await cleanup(
      {
        maintenance: new MaintenanceRepository(sql()),
        gravity: new GravityRepository(sql(), { halfLifeDays: 14, directoryEntries: 10_000, directoryTtlMs: 60_000 }),
        jobLogs: new JobLogRepository(database().orm),
        purgeStationCache: async () => 0,
        staleSessionHours: 24,
        jobLogRetentionDays: 30,
        minEdgeWeight: 0.01,
        dnaHistoryRetentionDays: 365,
      },
      { nowMs: NOW },
    );
    assert.equal(result.details!.dnaSnapshotsDeleted, 1);
    assert.equal(result.details!.heldVotesDeleted, 1);
    assert.equal(result.details!.linkVisitorsDeleted, 2, "a day's visitor and its key");
    assert.equal(result.details!.rollupMembersDeleted, 1, 'the all-time and the recent bucket keep theirs');
  });

  it('cleans up stale sessions, expired tokens and old job logs', async () => {
    const { userId } = await insertUser(sql());
    const stale = await session(userId, 60 * 30, 60 * 25, { i: 1, o: 0, s: 0 });
    await sql().query(
      `INSERT INTO job_logs (job_name, trigger, started_at, finished_at, outcome, process) VALUES ('old', 'manual', now() - interval '40 days', now() - interval '40 days', 'succeeded', 'x')`,
    );
    const result = await cleanup(
      {
        maintenance: new MaintenanceRepository(sql()),
        gravity: new GravityRepository(sql(), { halfLifeDays: 14, directoryEntries: 10_000, directoryTtlMs: 60_000 }),
        jobLogs: new JobLogRepository(database().orm),
        purgeStationCache: async () => 0,
        staleSessionHours: 24,
        jobLogRetentionDays: 30,
        minEdgeWeight: 0.01,
        dnaHistoryRetentionDays: 365,
      },
      { nowMs: NOW },
    );
    assert.equal(result.details!.staleSessionsClosed, 1);
    assert.equal(result.details!.jobLogsDeleted, 1);
    const [row] = await sql().query<{ ended: boolean }>(`SELECT ended_at = last_active AS ended FROM sessions WHERE id = ?`, [stale]);
    assert.equal(row.ended, true);
  });
});
