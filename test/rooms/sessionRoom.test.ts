import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Room } from '@colyseus/sdk';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { clientFor, collect, nextMessage, waitForState } from '../support/rooms.js';
import { signIn, type SignedIn } from '../support/auth.js';

/** Joins as `who` (a new user when none is given): auth first, then the join, as a client does. */
const join = async (server: ServerProcess, who?: SignedIn, extra: Record<string, unknown> = {}) =>
  clientFor(server.baseUrl, (who ?? (await signIn(server.baseUrl))).accessToken).create('session', { deviceModel: 'iPhone17,3', ...extra });

for (const transport of ['uws', 'ws'] as const) {
  describe(`SessionRoom over ${transport}`, function () {
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
        CLIENT_DISCONNECT_RATE: '5000',
        PASSPORT_FLUSH_MS: '20',
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

    async function joined(who?: SignedIn, extra?: Record<string, unknown>) {
      const room = await join(server, who, extra);
      rooms.push(room);
      const welcome = await nextMessage(room, 'welcome');
      await waitForState(room, (s) => s.station.artistName !== '', 5000, 'initial station');
      return { room, welcome };
    }

    it('welcomes a first launch on 99.9 and resumes the session on the same device', async () => {
      const device = await signIn(server.baseUrl);
      const first = await joined(device);
      assert.equal(first.welcome.isFirstLaunch, true);
      assert.equal(first.welcome.resumed, false);
      assert.equal(first.welcome.message, 'Welcome to DeepStream');
      assert.equal(first.room.state.station.artistName, 'Wizkid');
      await first.room.leave(true);
      const second = await joined(device, { lastSessionId: first.welcome.sessionId });
      assert.equal(second.welcome.isFirstLaunch, false);
      assert.equal(second.welcome.resumed, true);
      assert.equal(second.welcome.sessionId, first.welcome.sessionId);
      assert.equal(second.welcome.message, 'Welcome back! Right where you left off.');
    });

    it('swipe → ONE patch carries the glide (99.9 + 850/200 → 105.5), nothing streams while it moves, locked at settlesAt', async () => {
      const { room } = await joined();
      const dials: Array<{ frequency: number; predicted: number; locked: boolean; movedAt: number; settlesAt: number }> = [];
      const shown: Array<{ frequency: number; locked: boolean; artist: string }> = [];
      room.onStateChange((s: any) => {
        dials.push({ frequency: s.dial.frequency, predicted: s.dial.predicted, locked: s.dial.locked, movedAt: s.dial.movedAt, settlesAt: s.dial.settlesAt });
        shown.push({ frequency: s.dial.frequency, locked: s.dial.locked, artist: s.station.artistName });
      });
      const locked = nextMessage(room, 'locked', 5000);
      room.send('swipe', { direction: 'right', velocity: 850 });
      const msg = await locked;
      assert.equal(msg.frequency, 105.5);
      assert.equal(msg.artistId, 'artist_burna_boy');
      assert.ok(Array.isArray(msg.haptic) && msg.haptic.length > 0);
      const glide = dials.find((d) => !d.locked);
      assert.ok(glide, `a patch showed the glide: ${JSON.stringify(dials)}`);
      assert.deepEqual([glide.frequency, glide.predicted], [99.9, 105.5]);
      assert.ok(Math.abs((glide.settlesAt - glide.movedAt) / 1000 - 0.966) < 1e-3, 'settles 0.97 s after it moved (seed swipe)');
      // Before: ~20 dial patches (20 Hz for ~1 s). Now: the glide, then the lock with the new station. Other
      // fields (the station's orbs, counters) may follow in a patch of their own: only dial changes count.
      const dialChanges = dials.filter((d, i) => i === 0 || JSON.stringify(d) !== JSON.stringify(dials[i - 1]));
      assert.ok(dialChanges.length <= 3, `at most 3 dial states for a swipe, saw ${dialChanges.length}: ${JSON.stringify(dials)}`);
      await waitForState(room, (s) => s.station.artistName === 'Burna Boy' && s.dial.locked === true && s.dial.frequency === 105.5);
      assert.ok(room.state.orbs.size >= 2);
      // The lock goes out in the patch that shows its station (sent with `locked`), never on the old station first.
      const lockedOnOld = shown.filter((d) => d.locked && d.frequency === 105.5 && d.artist !== 'Burna Boy');
      assert.deepEqual(lockedOnOld, [], `the lock and its station in one patch: ${JSON.stringify(shown)}`);
    });

    it('tap an orb → the camera path goes out once (transition), the state shows only the zoom start and end', async () => {
      const { room } = await joined();
      const fela = [...room.state.orbs.entries()].find(([, o]: [string, any]) => o.name === 'Fela Kuti');
      assert.ok(fela, 'Wizkid has a Fela Kuti orb');
      const cameras: Array<{ transitioning: boolean; fov: number }> = [];
      let last = '';
      room.onStateChange((s: any) => {
        const now = JSON.stringify({
          x: s.camera.x,
          y: s.camera.y,
          z: s.camera.z,
          fov: s.camera.fov,
          transitioning: s.camera.transitioning,
          progress: s.camera.progress,
        });
        if (now !== last) cameras.push({ transitioning: s.camera.transitioning, fov: s.camera.fov });
        last = now;
      });
      const transition = nextMessage(room, 'transition');
      const badge = nextMessage(room, 'badge', 5000);
      room.send('tap_orb', { orbId: fela[0] });
      const t = await transition;
      assert.equal(t.duration, 0.8);
      assert.deepEqual(
        t.cameraPath.map((k: any) => k.fov),
        [60, 45, 30, 60],
      );
      assert.equal(t.audioCrossfade.fadeOutStart, 0.2);
      await waitForState(room, (s) => s.station.artistName === 'Fela Kuti' && !s.camera.transitioning, 5000, 'arrival at Fela');
      assert.ok(
        cameras.some((c) => c.transitioning),
        'the state says a zoom runs',
      );
      assert.ok(cameras.length <= 3, `the camera is not streamed during the zoom: ${JSON.stringify(cameras)}`);
      assert.equal(room.state.camera.fov, 60);
      assert.equal(room.state.orbsExplored, 1);
      assert.equal((await badge).badge, 'First Discovery');
    });

    it('answers an unknown orb with an UNKNOWN_ORB error and keeps going', async () => {
      const { room } = await joined();
      const error = nextMessage(room, 'error');
      room.send('tap_orb', { orbId: 'orb_nobody__nowhere' });
      const e = await error;
      assert.equal(e.code, 'UNKNOWN_ORB');
      assert.equal(e.for, 'tap_orb');
    });

    it('capture → captured with the seed position rule, a row in Postgres, and an idempotent second capture', async () => {
      const { room, welcome } = await joined();
      // Wizkid (first star, origin) → swipe to Burna Boy → capture → zoom to Fela → capture.
      const first = nextMessage(room, 'captured');
      room.send('capture', {});
      const wizkid = await first;
      assert.deepEqual(wizkid.star.position, { x: 0, y: 0, z: 0 });
      assert.deepEqual(wizkid.badgesEarned, ['First Star']);
      assert.equal(wizkid.totalStars, 1);
      assert.equal(wizkid.flyAway.path.length, 20);

      room.send('swipe', { direction: 'right', velocity: 850 });
      await nextMessage(room, 'locked');
      await waitForState(room, (s) => s.station.artistName === 'Burna Boy');
      const second = nextMessage(room, 'captured');
      room.send('capture', {});
      const burna = await second;
      assert.equal(burna.totalStars, 2);

      const felaOrb = [...room.state.orbs.entries()].find(([, o]: [string, any]) => o.name === 'Fela Kuti')!;
      room.send('tap_orb', { orbId: felaOrb[0] });
      await waitForState(room, (s) => s.station.artistName === 'Fela Kuti' && !s.camera.transitioning, 5000, 'arrival at Fela');
      const third = nextMessage(room, 'captured');
      room.send('capture', {});
      const fela = await third;
      const b = burna.star.position;
      // Seed step 7.3: from the last visited star (Burna Boy), ancestor offset (−80, +100, −30).
      assert.deepEqual(fela.star.position, { x: b.x - 80, y: b.y + 100, z: b.z - 30 });
      assert.ok(fela.connections.some((c: any) => c.type === 'discovery_path' && c.from === 'artist_burna_boy' && c.to === 'artist_fela_kuti'));
      assert.deepEqual(fela.nextMilestone, { badge: 'Constellation Builder', starsNeeded: 7, progress: 0.3 });

      const again = nextMessage(room, 'captured');
      room.send('capture', { artistId: 'artist_fela_kuti' });
      const repeat = await again;
      assert.equal(repeat.alreadyCaptured, true);
      assert.equal(repeat.message, 'Already in your constellation');
      assert.equal(repeat.totalStars, 3);

      const rows = await db.sql.query<{ artist_id: string; x: number; y: number; z: number }>(
        'SELECT artist_id, x, y, z FROM constellation_stars WHERE user_id = ? ORDER BY captured_at',
        [welcome.userId],
      );
      assert.deepEqual(
        rows.map((r) => r.artist_id),
        ['artist_wizkid', 'artist_burna_boy', 'artist_fela_kuti'],
      );
      assert.deepEqual({ x: Number(rows[2].x), y: Number(rows[2].y), z: Number(rows[2].z) }, fela.star.position);
    });

    it('two sessions of one user: a star captured in one is "already" in the other (the room keeps its star list)', async () => {
      const device = await signIn(server.baseUrl);
      const a = await joined(device);
      const b = await joined(device);
      assert.equal(a.welcome.userId, b.welcome.userId);
      const inA = nextMessage(a.room, 'captured');
      a.room.send('capture', { artistId: 'artist_wizkid' });
      assert.equal((await inA).alreadyCaptured, false);
      // B loaded its (empty) star list at join: the capture transaction finds the star and says so.
      const inB = nextMessage(b.room, 'captured');
      b.room.send('capture', { artistId: 'artist_wizkid' });
      const stale = await inB;
      assert.equal(stale.alreadyCaptured, true);
      assert.equal(stale.totalStars, 1);
      const again = nextMessage(b.room, 'captured');
      b.room.send('capture', { artistId: 'artist_wizkid' });
      assert.equal((await again).alreadyCaptured, true, 'reloaded list: already, without a second row');
      const [{ n }] = await db.sql.query<{ n: string }>('SELECT count(*) AS n FROM constellation_stars WHERE user_id = ?', [a.welcome.userId]);
      assert.equal(Number(n), 1);
    });

    it('reconnects with its token within the window and finds its state intact', async () => {
      const { room } = await joined();
      room.send('swipe', { direction: 'right', velocity: 850 });
      await nextMessage(room, 'locked');
      await waitForState(room, (s) => s.station.artistName === 'Burna Boy');
      const token = room.reconnectionToken;
      room.reconnection.enabled = false;
      await room.leave(false); // not consented: the server holds the seat
      const back = await clientFor(server.baseUrl).reconnect(token);
      rooms.push(back);
      await waitForState(back, (s) => s.station.artistName === 'Burna Boy' && s.interactions >= 1, 5000, 'state after reconnect');
      assert.equal(back.state.dial.frequency.toFixed(1), '105.5');
    });

    it('survives 1,000 random malformed messages with error replies and no crash', async () => {
      const { room } = await joined();
      const errors = collect(room, 'error');
      const types = ['swipe', 'tune', 'tap_orb', 'capture', 'sensor_batch', 'sync_offline', 'nope', 'constructor', '__proto__'];
      const junk = [
        null,
        1,
        'x',
        [],
        {},
        { direction: 'up', velocity: 'fast' },
        { velocity: Infinity },
        { velocity: -5, direction: 'left' },
        { frequency: 'NaN' },
        { frequency: 1e9 },
        { orbId: '' },
        { orbId: 'x'.repeat(5000) },
        { samples: 'many' },
        { samples: [{ type: 'gyroscope', duration: -1 }] },
        { operations: new Array(600).fill({}) },
        { artistId: 42 },
      ];
      let seed = 42;
      const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      const flooded = Date.now();
      for (let i = 0; i < 1000; i++) room.send(types[rand(types.length)], junk[rand(junk.length)]);
      // The replies stop once the second's rate limit is spent: wait until some came, then none for 300 ms (at most 5 s).
      for (let seen = 0; (seen === 0 || seen !== errors.items.length) && Date.now() - flooded < 5000;) {
        seen = errors.items.length;
        await new Promise((r) => setTimeout(r, 300));
      }
      assert.ok(errors.items.length > 100, `expected error replies, got ${errors.items.length}`);
      assert.ok(errors.items.every((e) => typeof e.code === 'string' && typeof e.message === 'string' && typeof e.for === 'string'));
      const codes = new Set(errors.items.map((e) => e.code));
      assert.ok(codes.has('BAD_INPUT') && codes.has('UNKNOWN_MESSAGE'), [...codes].join(','));
      // Still alive: a valid swipe works afterwards.
      await new Promise((r) => setTimeout(r, Math.max(0, flooded + 1100 - Date.now()))); // the rate-limit bucket refills a second after the flood
      const locked = nextMessage(room, 'locked', 5000);
      room.send('swipe', { direction: 'left', velocity: 300 });
      assert.ok((await locked).frequency < 99.9);
      assert.equal((await fetch(`${server.baseUrl}/health`)).status, 200);
    });

    it('refuses at matchmaking a join without a valid access token (401), and one that still sends deviceId/userId (400), saying what to do', async () => {
      await assert.rejects(
        clientFor(server.baseUrl).create('session', {}),
        (err: { code?: number; message?: string }) => err.code === 401 && /POST \/api\/auth\/device/.test(err.message ?? ''),
      );
      await assert.rejects(clientFor(server.baseUrl, 'not.a.token').create('session', {}), (err: { code?: number }) => err.code === 401);
      const device = await signIn(server.baseUrl);
      await assert.rejects(
        clientFor(server.baseUrl, device.accessToken).create('session', { deviceId: `dev-${randomUUID()}` }),
        (err: { code?: number; message?: string }) =>
          err.code === 400 && /deviceId not allowed; identity now comes from the access token/.test(err.message ?? ''),
      );
    });

    it('writes session counters and passport events to Postgres when the client leaves', async () => {
      const { room, welcome } = await joined();
      room.send('swipe', { direction: 'right', velocity: 850 });
      await nextMessage(room, 'locked');
      room.send('sensor_batch', {
        samples: [
          { type: 'gyroscope', duration: 8.5, maxTiltX: 15, maxTiltY: 12, at: '2025-01-06T14:23:45.120Z' },
          { type: 'gyroscope', duration: 5.2, maxTiltX: 10, maxTiltY: 8, at: '2025-01-06T14:24:22.450Z' },
        ],
      });
      const ack = await nextMessage(room, 'sensor_ack');
      assert.equal(ack.totalSensorTime, 13.7);
      await room.leave(true);
      rooms.splice(rooms.indexOf(room), 1);
      const deadline = Date.now() + 5000;
      let types: string[] = [];
      while (Date.now() < deadline) {
        types = (
          await db.sql.query<{ event_type: string }>('SELECT event_type FROM passport_entries WHERE session_id = ? ORDER BY id', [welcome.sessionId])
        ).map((r) => r.event_type);
        if (types.includes('session.ended')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const t of ['session.started', 'station.swiped', 'station.visited', 'sensor.batch', 'session.ended'])
        assert.ok(types.includes(t), `${t} in ${types.join(',')}`);
      const [session] = await db.sql.query<Record<string, unknown>>(
        'SELECT total_swipes, sensor_engagement_count, current_frequency::float8 AS f, ended_at FROM sessions WHERE id = ?::uuid',
        [welcome.sessionId],
      );
      assert.equal(session.total_swipes, 1);
      assert.equal(session.sensor_engagement_count, 2);
      assert.equal(session.f, 105.5);
      assert.ok(session.ended_at);
    });
  });
}
