import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import type { Room } from '@colyseus/sdk';
import { redisUrl } from '../../support/postgres.js';
import type { ServerProcess } from '../../support/serverProcess.js';
import { useRedisCluster } from '../../support/redisCluster.js';
import { clientFor, nextMessage, waitForState } from '../../support/rooms.js';
import { signIn } from '../../support/auth.js';
import { allowingForLoad } from '../../support/time.js';

const THROTTLE_MS = 500;
const ADMIN_TOKEN = 'scale-out-admin-token-0123456789';

/**
 * Two real server processes share presence, matchmaking and the Redis leaderboard store. Isolation from
 * other runs on the same Redis: a random logical database (room listings live in fixed key names) and a
 * unique REDIS_PREFIX for the leaderboard keys (and the coliseum matchmaking namespace).
 */
describe('scale-out: two processes over Redis', function () {
  this.timeout(90_000);
  const db = randomInt(1, 16);
  const cluster = useRedisCluster({
    redisUrl: `${redisUrl().replace(/\/\d*$/, '')}/${db}`,
    name: 'scale',
    env: { COLISEUM_THROTTLE_MS: String(THROTTLE_MS), PASSPORT_FLUSH_MS: '20', ADMIN_TOKEN },
  });
  const { servers, rooms, start, hostOf } = cluster;

  it('a spectator on process A sees, within throttle + 1 s, the visits of a session on process B', async () => {
    const a = await start(); // first: runs the migrations alone
    const b = await start();
    const spectator = await clientFor(a.baseUrl).joinOrCreate('coliseum', { leaderboards: ['artists.visits'], window: 'day' });
    rooms.push(spectator);
    await waitForState(spectator, (s) => s.leaderboards?.has('artists.visits'), 5000, 'spectator state');
    const spectatorHost = await hostOf(spectator.roomId);

    // Matchmaking puts a new room on the least-loaded process: the spectator's room makes that the other one.
    let listener: Room | undefined;
    for (let attempt = 0; attempt < 4 && !listener; attempt++) {
      // Signed in on A, joined through B: every process verifies tokens with the shared AUTH_SECRET.
      const room = await clientFor(b.baseUrl, (await signIn(a.baseUrl)).accessToken).create('session', {});
      rooms.push(room);
      if ((await hostOf(room.roomId)) !== spectatorHost) listener = room;
    }
    assert.ok(listener, 'a session room landed on the other process');
    await waitForState(listener, (s) => s.station.artistName !== '', 5000, 'session station');

    const locked = nextMessage(listener, 'locked', 5000);
    listener.send('tune', { frequency: 105.5 });
    assert.equal((await locked).artistId, 'artist_burna_boy');
    const lockedAt = Date.now();
    await waitForState(
      spectator,
      (s) =>
        [...((s.leaderboards.get('artists.visits')?.rows ?? []) as Iterable<{ entityId: string; score: number }>)].some(
          (r) => r.entityId === 'artist_burna_boy' && r.score >= 1,
        ),
      allowingForLoad(THROTTLE_MS + 1000),
      'the visit from the other process on the spectator leaderboard',
    );
    assert.ok(Date.now() - lockedAt <= allowingForLoad(THROTTLE_MS + 1000));
    assert.notEqual(spectatorHost, await hostOf(listener.roomId), 'spectator and session live on different processes');
  });

  it('a catalog change invalidated on process A is what process B serves next (its in-process tier included)', async () => {
    const [a, b] = servers.length >= 2 ? servers : [await start(), await start()];
    const name = async (server: ServerProcess) =>
      ((await (await fetch(`${server.baseUrl}/api/stations/99.9`)).json()) as { artist: { name: string } }).artist.name;
    assert.equal(await name(b), 'Wizkid'); // warms B's tiers
    await cluster.pg.sql.query(`UPDATE artists SET name = 'Wizkid (test rename)' WHERE id = 'artist_wizkid'`);
    assert.equal(await name(b), 'Wizkid', 'B serves its cached snapshot until told');
    const res = await fetch(`${a.baseUrl}/api/admin/catalog/invalidate`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(res.status, 200);
    const deadline = Date.now() + 2000;
    let seen = await name(b);
    while (seen !== 'Wizkid (test rename)' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await name(b);
    }
    assert.equal(seen, 'Wizkid (test rename)');
    await cluster.pg.sql.query(`UPDATE artists SET name = 'Wizkid' WHERE id = 'artist_wizkid'`);
  });

  it("a direct share posted on process A reaches the recipient's live session on process B at once (notifications over Redis)", async () => {
    const [a, b] = servers.length >= 2 ? servers : [await start(), await start()];
    const sender = await signIn(a.baseUrl);
    const recipient = await signIn(a.baseUrl);
    await cluster.pg.sql.query(`INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at) VALUES (?, 'artist_fela_kuti', 0, 0, 0, now())`, [
      sender.userId,
    ]);
    const room = await clientFor(b.baseUrl, recipient.accessToken).create('session', {}); // ROOM_PLACEMENT=local: on B
    rooms.push(room);
    await nextMessage(room, 'welcome');
    assert.equal(await hostOf(room.roomId), `127.0.0.1:${b.port}`, 'the session lives on B');
    const live = nextMessage(room, 'notification', allowingForLoad(2000), 'the share, live from the other process');
    const res = await fetch(`${a.baseUrl}/api/constellations/share`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ shareType: 'direct_user', recipientId: recipient.userId, message: 'across processes' }),
    });
    assert.equal(res.status, 201);
    const entry = await live;
    assert.deepEqual([entry.type, entry.body], ['constellation_share', 'across processes']);
  });

  it('ROOM_PLACEMENT=local (default): a session room is created on the process that took the matchmaking request, with no presence round trip', async () => {
    const [a, b] = servers.length >= 2 ? servers : [await start(), await start()];
    const phaseCount = async (server: ServerProcess, phase: string) => {
      const text = await (await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
      const line = text.split('\n').find((l) => l.startsWith(`ds_join_phase_seconds_count{phase="${phase}"}`));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const [ipcBefore, joinsBefore] = [(await phaseCount(a, 'ipc_create_room')) + (await phaseCount(b, 'ipc_create_room')), await phaseCount(b, 'on_join')];
    for (const server of [a, b, a, b]) {
      const room = await clientFor(server.baseUrl, (await signIn(server.baseUrl)).accessToken).create('session', {});
      rooms.push(room);
      assert.equal(await hostOf(room.roomId), new URL(server.baseUrl).host);
    }
    assert.equal((await phaseCount(a, 'ipc_create_room')) + (await phaseCount(b, 'ipc_create_room')), ipcBefore, 'no room was created through another process');
    assert.equal((await phaseCount(b, 'on_join')) - joinsBefore, 2, "B timed its two sessions' onJoin");
  });
});
