import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { useTestDatabase } from '../../support/db.js';
import { insertUser } from '../../support/auth.js';
import { ConstellationRepository } from '../../../persistence/constellation/ConstellationRepository.js';
import { SessionRepository } from '../../../persistence/session/SessionRepository.js';
import { SessionJourney, type JourneyContext } from '../../../rooms/session/journey.js';
import type { Outcome } from '../../../rooms/session/outcome.js';
import type { NewRecommendation, RecommendationsPort, RoomEvent } from '../../../rooms/session/ports.js';

/**
 * A tiny real recommendations engine for the optional port: recommendations stored in Postgres with
 * their creation time, read back by `newSince` — what the lead wires to the step 12 engine.
 */
class TableRecommendations implements RecommendationsPort {
  constructor(private readonly db: { query<T>(sql: string, params?: unknown[]): Promise<T[]> }) {}
  async ready(): Promise<this> {
    await this.db.query('CREATE TABLE IF NOT EXISTS test_recommendations (user_id uuid, artist_id text, reason text, created_at timestamptz)');
    return this;
  }
  async add(userId: string, artistId: string, atMs: number): Promise<void> {
    await this.db.query('INSERT INTO test_recommendations VALUES (?, ?, ?, ?)', [userId, artistId, `because of ${artistId}`, new Date(atMs)]);
  }
  async newSince(userId: string, sinceMs: number): Promise<NewRecommendation[]> {
    const rows = await this.db.query<{ artist_id: string; reason: string; created_at: Date | string }>(
      'SELECT artist_id, reason, created_at FROM test_recommendations WHERE user_id = ? AND created_at > ? ORDER BY created_at DESC',
      [userId, new Date(sinceMs)],
    );
    return rows.map((r) => ({ artistId: r.artist_id, reason: r.reason, createdAt: new Date(r.created_at).toISOString() }));
  }
}

const HOUR = 3600_000;

describe('session journey against real Postgres (resume updates, tip, lock line, offline new data)', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  let now = Date.parse('2025-01-06T16:30:00.000Z');
  const ARTISTS = ['artist_wizkid', 'artist_burna', 'artist_fela'];

  before(async () => {
    const { sql } = database();
    await sql.query(
      `INSERT INTO scenes (id, name, scene_type, video_url_high, video_url_medium, video_url_low) VALUES ('scene_1', 'Lagos', 'street', 'h', 'm', 'l')`,
    );
    for (const [i, id] of ARTISTS.entries())
      await sql.query(`INSERT INTO artists (id, name, station_frequency, scene_id, created_at) VALUES (?, ?, ?, 'scene_1', '2020-01-01')`, [id, id, 99.9 + i]);
  });

  function journeyFor(userId: string, sessionId: string, recommendations?: RecommendationsPort) {
    const { orm, sql } = database();
    const sessions = new SessionRepository(orm);
    const constellations = new ConstellationRepository(sql, () => now);
    const sent: Array<{ type: string; payload: unknown }> = [];
    const events: RoomEvent[] = [];
    const host: JourneyContext = {
      identity: { userId, sessionId, deviceId: 'd' },
      log: pino({ level: process.env.JOURNEY_LOG ?? 'silent' }),
      starIds: async () => new Set((await constellations.starsOf(userId)).map((s) => s.artistId)),
    };
    // What the room does with the journey's outcomes that this test reads: its replies and its events.
    const applied = async (outcome: Promise<Outcome | null>) => {
      const o = await outcome;
      for (const r of o?.replies ?? []) sent.push({ type: r.type, payload: r.payload });
      events.push(...(o?.record ?? []));
    };
    return {
      journey: new SessionJourney(host, { sessions, constellations, recommendations, now: () => now }),
      applied,
      sessions,
      constellations,
      sent,
      events,
    };
  }

  it('resume welcome: counts recommendations, new artists and similar users’ stars since the last session (seed 14.4-14.6)', async () => {
    const { orm, sql } = database();
    const sessions = new SessionRepository(orm);
    const { userId } = await insertUser(sql);
    const { userId: friend } = await insertUser(sql);
    const first = await sessions.join({ userId, deviceId: 'd' }, now);
    const engine = await new TableRecommendations(sql).ready();
    const t = journeyFor(userId, first.sessionId, engine);
    // Shared star → friend is a similar user; friend captures one more after the user left.
    const constellations = new ConstellationRepository(sql, () => now);
    for (const [who, artist, at] of [
      [userId, 'artist_wizkid', now],
      [friend, 'artist_wizkid', now],
      [friend, 'artist_fela', now + HOUR],
    ] as const) {
      await constellations.capture({
        userId: who,
        sessionId: null,
        artistId: artist,
        position: { x: 0, y: 0, z: 0 },
        discoveryPath: [],
        connections: [],
        badges: [],
        capturedAtMs: at,
      });
    }
    await engine.add(userId, 'artist_old', now - HOUR);
    for (const a of ['artist_a', 'artist_b', 'artist_c']) await engine.add(userId, a, now + HOUR);
    await sql.query(`INSERT INTO artists (id, name, scene_id, created_at) VALUES ('artist_new', 'New', 'scene_1', ?)`, [new Date(now + HOUR)]);

    now += 2 * HOUR - 1; // seed: returns after (just under) 2 hours → resumed, "Ready to continue exploring?"
    const second = await sessions.join({ userId, deviceId: 'd', lastSessionId: first.sessionId }, now);
    assert.equal(second.resumed, true);
    assert.equal(second.resumeCount, 1);
    assert.equal(second.message, 'Welcome back! Ready to continue exploring?');
    const welcome = await t.journey.resumeWelcome(second);
    assert.deepEqual(welcome, {
      resumeCount: 1,
      timeAwaySec: Math.round((2 * HOUR - 1) / 1000),
      updates: { newRecommendations: 3, newArtists: 1, socialUpdates: 1 },
      suggestedAction: 'check_recommendations',
    });

    // Without the port: recommendations unknown (null), the rest still counted.
    const noEngine = journeyFor(userId, first.sessionId);
    assert.deepEqual((await noEngine.journey.resumeWelcome(second)).updates, { newRecommendations: null, newArtists: 1, socialUpdates: 1 });
    // A first session has nothing to report.
    const { userId: newcomer } = await insertUser(sql);
    const fresh = await sessions.join({ userId: newcomer, deviceId: 'd' }, now);
    assert.deepEqual(await noEngine.journey.resumeWelcome(fresh), { resumeCount: 0, timeAwaySec: null, updates: null, suggestedAction: 'continue_exploring' });
  });

  it('parallax tip: once per user across sessions, stored before it is sent; total sensor time over every session (5.4)', async () => {
    const { orm, sql } = database();
    const sessions = new SessionRepository(orm);
    const { userId } = await insertUser(sql);
    const s1 = await sessions.join({ userId, deviceId: 'd' }, now);
    await sessions.saveCounters(
      s1,
      { frequency: 99.9, artistId: null, interactions: 0, swipes: 0, orbsExplored: 0, captures: 0, sensorEngagements: 2, sensorSeconds: 33.6 },
      now,
      true,
    );
    now += 3 * HOUR;
    const s2 = await sessions.join({ userId, deviceId: 'd' }, now);
    assert.equal(s2.resumed, false);
    assert.equal(s2.userSensorSeconds, 33.6);
    const a = journeyFor(userId, s2.sessionId);
    a.journey.joined(s2, null);
    assert.equal(a.journey.totalSensorTime(13.7), 47.3, 'seed: 33.6 earlier + 13.7 now = 47.3');
    await a.applied(a.journey.maybeParallaxTip(2));
    assert.deepEqual(a.sent, []);
    await a.applied(a.journey.maybeParallaxTip(3));
    assert.deepEqual(a.sent, [{ type: 'tip', payload: { kind: 'parallax', message: "You've discovered depth! Try tilting more..." } }]);
    assert.equal(a.events[0].type, 'session.tip_shown');
    await a.applied(a.journey.maybeParallaxTip(4));
    assert.equal(a.sent.length, 1);
    const [row] = await sql.query<{ seen_parallax_tip: boolean }>('SELECT seen_parallax_tip FROM users WHERE id = ?', [userId]);
    assert.equal(row.seen_parallax_tip, true);
    // Another session of the user that joined before the tip was stored: the store says no.
    const b = journeyFor(userId, s2.sessionId);
    b.journey.joined({ ...s2, seenParallaxTip: false }, null);
    await b.applied(b.journey.maybeParallaxTip(5));
    assert.deepEqual(b.sent, []);
  });

  it('lock line (4.4): created once per pair of stars, in either direction; not for a non-star', async () => {
    const { sql } = database();
    const { userId } = await insertUser(sql);
    const t = journeyFor(userId, randomUUID());
    for (const artist of ['artist_wizkid', 'artist_burna']) {
      await t.constellations.capture({
        userId,
        sessionId: null,
        artistId: artist,
        position: { x: artist.length, y: 0, z: 0 },
        discoveryPath: [],
        connections: [],
        badges: [],
      });
    }
    await t.applied(t.journey.connectOnLock('artist_wizkid', 'artist_fela')); // Fela is no star
    await t.applied(t.journey.connectOnLock('artist_wizkid', 'artist_burna'));
    await Promise.all([
      t.applied(t.journey.connectOnLock('artist_burna', 'artist_wizkid')),
      t.applied(t.journey.connectOnLock('artist_wizkid', 'artist_burna')),
    ]);
    assert.deepEqual(t.sent, [
      { type: 'connection', payload: { from: 'artist_wizkid', to: 'artist_burna', strength: 0.95, type: 'discovery_path', via: 'lock' } },
    ]);
    assert.equal(t.events.filter((e) => e.type === 'constellation.connected').length, 1);
    const rows = await sql.query('SELECT from_artist_id, to_artist_id FROM constellation_connections WHERE user_id = ?', [userId]);
    assert.deepEqual(rows, [{ from_artist_id: 'artist_wizkid', to_artist_id: 'artist_burna' }]);
  });

  it('offline reply (15.4): new data since the device went offline, offline duration and sync time on the session', async () => {
    const { orm, sql } = database();
    const sessions = new SessionRepository(orm);
    const { userId } = await insertUser(sql);
    const s = await sessions.join({ userId, deviceId: 'd' }, now);
    const engine = await new TableRecommendations(sql).ready();
    const t = journeyFor(userId, s.sessionId, engine);
    const offlineAt = now;
    await engine.add(userId, 'artist_before', offlineAt - 1000);
    await engine.add(userId, 'artist_after', offlineAt + 1000);
    await t.constellations.capture({
      userId,
      sessionId: null,
      artistId: 'artist_burna',
      position: { x: 1, y: 2, z: 3 },
      discoveryPath: [],
      connections: [],
      badges: [],
      capturedAtMs: offlineAt - 5000,
    });
    await t.constellations.capture({
      userId,
      sessionId: null,
      artistId: 'artist_fela',
      position: { x: 4, y: 5, z: 6 },
      discoveryPath: [],
      connections: [{ from: 'artist_burna', to: 'artist_fela', strength: 0.95, type: 'discovery_path' }],
      badges: [],
      capturedAtMs: offlineAt + 5000,
    });
    now = offlineAt + 1843_000; // seed: offline_duration 1843 s
    const out = await t.journey.afterOfflineSync(1843, [], 7);
    assert.equal(out.newData!.since, offlineAt);
    assert.deepEqual(
      out.newData!.recommendations.map((r) => r.artistId),
      ['artist_after'],
    );
    assert.deepEqual(
      out.newData!.constellationUpdates.stars.map((x) => x.artistId),
      ['artist_fela'],
    );
    assert.deepEqual(
      out.newData!.constellationUpdates.connections.map((c) => [c.from, c.to, c.type]),
      [['artist_burna', 'artist_fela', 'discovery_path']],
    );
    assert.deepEqual(out.session, { totalInteractions: 7, offlineDuration: 1843, lastSyncedAt: now });
    const [row] = await sql.query<{ offline_seconds: number; last_synced_at: Date }>('SELECT offline_seconds, last_synced_at FROM sessions WHERE id = ?', [
      s.sessionId,
    ]);
    assert.equal(row.offline_seconds, 1843);
    assert.equal(new Date(row.last_synced_at).getTime(), now);
    // Without offlineDuration: since the oldest operation's time.
    const fallback = await t.journey.afterOfflineSync(
      undefined,
      [{ occurredAt: offlineAt + 4000 }, { occurredAt: new Date(offlineAt + 6000).toISOString() }],
      7,
    );
    assert.equal(fallback.newData!.since, offlineAt + 4000);
    assert.deepEqual(
      fallback.newData!.constellationUpdates.stars.map((x) => x.artistId),
      ['artist_fela'],
    );
    // An engine that fails: the replay's reply still goes out, with newData null and the session fields.
    const broken = journeyFor(userId, s.sessionId, { newSince: () => Promise.reject(new Error('engine down')) });
    assert.deepEqual(await broken.journey.afterOfflineSync(60, [], 8), {
      newData: null,
      session: { totalInteractions: 8, offlineDuration: 60, lastSyncedAt: now },
    });
  });
});
