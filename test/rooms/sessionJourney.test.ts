import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { clientFor, collect, nextMessage, waitForState } from '../support/rooms.js';
import { signIn, type SignedIn } from '../support/auth.js';

/** Polls `read` until `ok` (5 s), then asserts it. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 5000;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  assert.ok(ok(value), `${what}: ${JSON.stringify(value)}`);
  return value;
}

/** Through the real room: the seed 000 journey fields over each transport. */
for (const transport of ['uws', 'ws'] as const) {
  describe(`session journey over ${transport} (seed 000 steps 2.10, 4.4, 5.4, 14, 15.4)`, function () {
    this.timeout(60_000);
    let db: TestDatabase;
    let server: ServerProcess;
    const rooms: Room[] = [];

    before(async () => {
      db = await createTestDatabase();
      server = await startServerProcess({
        DATABASE_URL: db.url,
        TRANSPORT: transport,
        REDIS_URL: undefined,
        CLIENT_MESSAGE_RATE: '200',
        PASSPORT_FLUSH_MS: '10',
      });
    });
    afterEach(async () => {
      await Promise.all(rooms.splice(0).map((r) => Promise.race([r.leave(true).catch(() => undefined), new Promise((done) => setTimeout(done, 500))])));
    });
    after(async () => {
      const code = await server?.stop('SIGTERM');
      assert.equal(code, 0, server?.output());
      await db?.drop();
    });

    async function joined(who: SignedIn, extra: Record<string, unknown> = {}) {
      const room = await clientFor(server.baseUrl, who.accessToken).create('session', { deviceModel: 'iPhone17,3', ...extra });
      rooms.push(room);
      const welcome = await nextMessage(room, 'welcome');
      await waitForState(room, (s) => s.station.artistName !== '', 5000, 'initial station');
      return { room, welcome };
    }
    const leave = async (room: Room) => {
      await room.leave(true);
      rooms.splice(rooms.indexOf(room), 1);
    };
    const tune = async (room: Room, frequency: number) => {
      const locked = nextMessage(room, 'locked', 5000, `tune ${frequency}`);
      room.send('tune', { frequency });
      return locked;
    };
    const capture = async (room: Room, msg: Record<string, unknown> = {}) => {
      const captured = nextMessage(room, 'captured');
      room.send('capture', msg);
      return captured;
    };

    it('welcome: resume fields on a first launch; a join without lastSessionId resumes the latest session (pinned)', async () => {
      const device = await signIn(server.baseUrl);
      const first = await joined(device);
      assert.equal(first.welcome.resumed, false);
      assert.equal(first.welcome.resumeCount, 0);
      assert.equal(first.welcome.timeAwaySec, null);
      assert.equal(first.welcome.updates, null);
      assert.equal(first.welcome.suggestedAction, 'continue_exploring');
      assert.deepEqual(first.welcome.lastStation, { artistId: 'artist_wizkid', artistName: 'Wizkid', frequency: 99.9 });
      await leave(first.room);
      const second = await joined(device); // no lastSessionId
      assert.equal(second.welcome.resumed, true);
      assert.equal(second.welcome.sessionId, first.welcome.sessionId);
      assert.equal(second.welcome.resumeCount, 1);
      assert.equal(second.welcome.message, 'Welcome back! Right where you left off.');
      // The server wires the recommendations engine (src/app.ts): nothing was recommended while away, so 0 (null only without an engine).
      assert.deepEqual(second.welcome.updates, { newRecommendations: 0, newArtists: 0, socialUpdates: 0 });
      assert.equal(second.welcome.suggestedAction, 'continue_exploring');
      const [row] = await db.sql.query<{ resume_count: number }>('SELECT resume_count FROM sessions WHERE id = ?', [first.welcome.sessionId]);
      assert.equal(row.resume_count, 1);
    });

    it('lock from one star to another star draws their line once and says so (4.4)', async () => {
      const device = await signIn(server.baseUrl);
      const { room, welcome } = await joined(device);
      // Burna Boy first (path [Wizkid], Wizkid no star), then Wizkid (Burna off the path, genres 1/4): two stars, no line.
      assert.deepEqual((await capture(room, { artistId: 'artist_burna_boy' })).connections, []);
      assert.deepEqual((await capture(room)).connections, []);
      const lines = collect(room, 'connection');
      await tune(room, 105.5); // Wizkid → Burna Boy
      const line = await until(
        async () => lines.items,
        (items) => items.length === 1,
        'one connection message',
      );
      assert.deepEqual(line[0], { from: 'artist_wizkid', to: 'artist_burna_boy', strength: 0.95, type: 'discovery_path', via: 'lock' });
      await tune(room, 99.9); // back: the pair is joined already
      await tune(room, 105.5);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(lines.items.length, 1);
      const rows = await db.sql.query('SELECT from_artist_id, to_artist_id, connection_type FROM constellation_connections WHERE user_id = ?', [
        welcome.userId,
      ]);
      assert.deepEqual(rows, [{ from_artist_id: 'artist_wizkid', to_artist_id: 'artist_burna_boy', connection_type: 'discovery_path' }]);
      await until(
        () =>
          db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM passport_entries WHERE user_id = ? AND event_type = 'constellation.connected'`, [
            welcome.userId,
          ]),
        ([r]) => r.n === 1,
        'one constellation.connected event',
      );
    });

    it('sensor batches: the parallax tip after exactly 3 engagements, once; total sensor time across sessions (5.4)', async () => {
      const device = await signIn(server.baseUrl);
      const first = await joined(device);
      const tips = collect(first.room, 'tip');
      const batch = (durations: number[]) => {
        const ack = nextMessage(first.room, 'sensor_ack');
        first.room.send('sensor_batch', {
          samples: durations.map((duration) => ({ type: 'gyroscope', duration, maxTiltX: 15, maxTiltY: 12, at: Date.now() })),
        });
        return ack;
      };
      assert.deepEqual(await batch([8.5, 5.2]), { samples: 2, totalSensorTime: 13.7, sessionSensorTime: 13.7 }); // seed 5.2: count + 2
      assert.equal(tips.items.length, 0);
      const tip = nextMessage(first.room, 'tip');
      await batch([10]);
      assert.deepEqual(await tip, { kind: 'parallax', message: "You've discovered depth! Try tilting more..." });
      await batch([1]);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(tips.items.length, 1, 'once');
      await leave(first.room);
      // A new session (the last one went idle 3 hours ago): the total counts the earlier session's 24.7 s.
      await until(
        () => db.sql.query<{ s: number }>('SELECT sensor_seconds AS s FROM sessions WHERE id = ?', [first.welcome.sessionId]),
        ([r]) => Math.abs(r.s - 24.7) < 1e-9,
        'saved sensor seconds',
      );
      await db.sql.query(`UPDATE sessions SET last_active = now() - interval '3 hours' WHERE id = ?`, [first.welcome.sessionId]);
      const second = await joined(device);
      assert.equal(second.welcome.resumed, false);
      assert.equal(second.welcome.message, 'Welcome back! Ready to continue exploring?');
      const ack = nextMessage(second.room, 'sensor_ack');
      const moreTips = collect(second.room, 'tip');
      second.room.send('sensor_batch', { samples: [1, 2, 3].map((duration) => ({ type: 'gyroscope', duration, maxTiltX: 1, maxTiltY: 1, at: Date.now() })) });
      assert.deepEqual(await ack, { samples: 3, totalSensorTime: 30.7, sessionSensorTime: 6 });
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(moreTips.items.length, 0, 'the tip is per user: never again');
    });

    it('offline sync reply: newData since the device went offline, session counters and offlineDuration (15.4)', async () => {
      const device = await signIn(server.baseUrl);
      const { room, welcome } = await joined(device);
      const synced = nextMessage(room, 'offline_synced');
      const at = Date.now() - 60_000;
      room.send('sync_offline', {
        offlineDuration: 1843,
        operations: [
          { opId: 'op-1', type: 'capture_star', artistId: 'artist_sade', occurredAt: at, discoveryPath: ['artist_wizkid'] },
          { opId: 'op-2', type: 'orb_interaction', fromArtistId: 'artist_fela_kuti', toArtistId: 'artist_james_brown', occurredAt: at + 1000 },
        ],
      });
      const reply = await synced;
      assert.equal(reply.applied, 2, JSON.stringify(reply));
      assert.deepEqual(reply.newData.recommendations, []);
      assert.deepEqual(
        reply.newData.constellationUpdates.stars.map((s: { artistId: string }) => s.artistId),
        ['artist_sade'],
      );
      assert.deepEqual(reply.session.offlineDuration, 1843);
      assert.equal(reply.session.totalInteractions, 2, 'seed: total_interactions + the applied operations');
      await waitForState(room, (s) => s.interactions === 2, 2000, 'state.interactions');
      const [row] = await db.sql.query<{ offline_seconds: number; last_synced_at: Date | null }>(
        'SELECT offline_seconds, last_synced_at FROM sessions WHERE id = ?',
        [welcome.sessionId],
      );
      assert.equal(row.offline_seconds, 1843);
      assert.ok(row.last_synced_at);
      await until(
        () =>
          db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM passport_entries WHERE session_id = ? AND event_type = 'session.synced'`, [
            welcome.sessionId,
          ]),
        ([r]) => r.n === 1,
        'session.synced event',
      );
    });

    it("offline captures reach the live session's state (stars, badges) and draw the lines of the queue's own path", async () => {
      const { room, welcome } = await joined(await signIn(server.baseUrl));
      const synced = nextMessage(room, 'offline_synced');
      const badges = collect(room, 'badge');
      const at = Date.now() - 60_000;
      // The seed's queue: no discovery path on a capture, the visits that led to it queued beside it.
      room.send('sync_offline', {
        operations: [
          { opId: 'v-1', type: 'station_visit', artistId: 'artist_wizkid', frequency: 99.9, occurredAt: at },
          { opId: 'c-1', type: 'capture_star', artistId: 'artist_wizkid', occurredAt: at + 1000 },
          { opId: 'v-2', type: 'station_visit', artistId: 'artist_burna_boy', frequency: 105.5, occurredAt: at + 2000 },
          { opId: 'c-2', type: 'capture_star', artistId: 'artist_burna_boy', occurredAt: at + 3000 },
        ],
      });
      const reply = await synced;
      assert.equal(reply.applied, 4, JSON.stringify(reply));
      await waitForState(room, (s) => s.totalStars === 2 && s.badges.includes('First Star'), 2000, 'stars and badges in the state');
      assert.deepEqual(
        badges.items.map((b: { badge: string }) => b.badge),
        ['First Star'],
      );
      const lines = await db.sql.query<{ from_artist_id: string; to_artist_id: string; connection_type: string }>(
        `SELECT from_artist_id, to_artist_id, connection_type FROM constellation_connections WHERE user_id = ?`,
        [welcome.userId],
      );
      assert.deepEqual(lines, [{ from_artist_id: 'artist_wizkid', to_artist_id: 'artist_burna_boy', connection_type: 'discovery_path' }]);
    });

    it('station.loaded for every snapshot served, in the room and over HTTP (2.10, 4.3); dial.predicted is the target station', async () => {
      const device = await signIn(server.baseUrl);
      const { room, welcome } = await joined(device);
      const locked = nextMessage(room, 'locked');
      room.send('swipe', { direction: 'right', velocity: 850 });
      await waitForState(room, (s) => s.dial.predicted > 100, 2000, 'predicted');
      assert.equal(room.state.dial.predicted, 105.5, 'the station the dial glides to, not the raw 104.15');
      await locked;
      const loaded = await until(
        () =>
          db.sql.query<{ method: string; artist: string }>(
            `SELECT payload->>'method' AS method, payload->>'artistId' AS artist FROM passport_entries WHERE session_id = ? AND event_type = 'station.loaded' ORDER BY id`,
            [welcome.sessionId],
          ),
        (rows) => rows.length === 2,
        'two station.loaded events',
      );
      assert.deepEqual(loaded, [
        { method: 'join', artist: 'artist_wizkid' },
        { method: 'swipe', artist: 'artist_burna_boy' },
      ]);
      const before = await db.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM passport_entries WHERE source = 'http' AND event_type = 'station.loaded'`,
      );
      assert.equal((await fetch(`${server.baseUrl}/api/stations/102.7`)).status, 200);
      await until(
        () =>
          db.sql.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM passport_entries WHERE source = 'http' AND event_type = 'station.loaded' AND payload->>'artistId' = 'artist_fela_kuti'`,
          ),
        ([r]) => r.n >= before[0].n + 1,
        'an http station.loaded',
      );
      // With an access token the HTTP event is the caller's; a bad token still serves (and counts anonymously).
      assert.equal((await fetch(`${server.baseUrl}/api/stations/94.9`, { headers: { authorization: `Bearer ${device.accessToken}` } })).status, 200);
      assert.equal((await fetch(`${server.baseUrl}/api/stations/94.9`, { headers: { authorization: 'Bearer nonsense' } })).status, 200);
      const http = await until(
        () =>
          db.sql.query<{ user_id: string | null }>(
            `SELECT user_id FROM passport_entries WHERE source = 'http' AND event_type = 'station.loaded' AND payload->>'artistId' = 'artist_sade' ORDER BY user_id NULLS LAST`,
          ),
        (rows) => rows.length === 2,
        'two http station.loaded for Sade',
      );
      assert.deepEqual(
        http.map((r) => r.user_id),
        [device.userId, null],
      );
    });
  });
}
