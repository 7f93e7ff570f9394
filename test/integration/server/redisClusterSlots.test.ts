import assert from 'node:assert/strict';
import { startClusterModeRedis, type ClusterModeRedis } from '../../support/clusterModeRedis.js';
import { useRedisCluster } from '../../support/redisCluster.js';
import { clientFor, nextMessage, waitForState } from '../../support/rooms.js';
import { signIn } from '../../support/auth.js';

const ADMIN_TOKEN = 'cluster-slots-admin-token-0123456789';

/**
 * Redis Cluster readiness of every key family (docs/SCALING.md "Redis keys"): two processes on a Redis in cluster
 * mode, every slot on its one node, which refuses any multi-key command, transaction or script whose keys hash to
 * different slots (CROSSSLOT) as a sharded Redis would. What a listener and a spectator do across both processes
 * touches each family: sign-in limits, live-session slots, matchmaking and presence, snapshots, the station cache,
 * the leaderboard flush and reads, the ops registry, channels, and a drain's handoff. None may be refused.
 */
describe('Redis Cluster readiness: two processes on a cluster-mode Redis (every multi-key operation in one slot)', function () {
  this.timeout(90_000);
  let redis: ClusterModeRedis;
  before(async () => {
    redis = await startClusterModeRedis();
  });
  const cluster = useRedisCluster({
    redisUrl: () => redis.url,
    name: 'slots',
    env: { COLISEUM_THROTTLE_MS: '300', PASSPORT_FLUSH_MS: '20', ADMIN_TOKEN, OPS_SAMPLE_MS: '200' },
  });
  after(async () => {
    await redis?.stop();
  });

  it('a session on B seen by a spectator on A, a capture, station reads, the ops overview, then B drained and the session resumed on A: no CROSSSLOT', async () => {
    const { servers, rooms, start } = cluster;
    const a = await start(); // first: runs the migrations alone
    const b = await start();
    const spectator = await clientFor(a.baseUrl).joinOrCreate('coliseum', { leaderboards: ['artists.visits'], window: 'day' });
    rooms.push(spectator);
    await waitForState(spectator, (s) => s.leaderboards?.has('artists.visits'), 5000, 'spectator state');

    const { accessToken } = await signIn(a.baseUrl);
    const listener = await clientFor(b.baseUrl, accessToken).create('session', {});
    const welcome = await nextMessage<{ sessionId: string }>(listener, 'welcome', 5000);
    const locked = nextMessage(listener, 'locked', 5000);
    listener.send('tune', { frequency: 105.5, seq: 1 });
    assert.equal((await locked).artistId, 'artist_burna_boy');
    const captured = nextMessage<{ star?: { artistId?: string } }>(listener, 'captured', 5000);
    listener.send('capture', { seq: 2 });
    assert.equal((await captured).star?.artistId, 'artist_burna_boy');
    await waitForState(
      spectator,
      (s) =>
        [...((s.leaderboards.get('artists.visits')?.rows ?? []) as Iterable<{ entityId: string; score: number }>)].some(
          (r) => r.entityId === 'artist_burna_boy' && r.score >= 1,
        ),
      10_000,
      'the visit from process B on the spectator leaderboard of process A',
    );
    for (const server of [a, b]) assert.equal((await fetch(`${server.baseUrl}/api/stations/105.5`)).status, 200);
    const overview = await fetch(`${a.baseUrl}/api/ops/overview`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(overview.status, 200);
    const board = await fetch(`${a.baseUrl}/api/leaderboards/artists.visits?window=week`);
    assert.equal(board.status, 200, 'a multi-bucket window (a union of hour buckets) reads');

    const moving = nextMessage<{ resume: string }>(listener, 'moving', 15_000);
    const drained = servers.splice(servers.indexOf(b), 1)[0]!;
    assert.equal(await drained.stop('SIGTERM'), 0, drained.output());
    const back = await clientFor(a.baseUrl, accessToken).create('session', { resume: (await moving).resume });
    rooms.push(back);
    const resumed = await nextMessage<{ sessionId: string; restoredFrom: string }>(back, 'resumed', 5000);
    assert.deepEqual([resumed.sessionId, resumed.restoredFrom], [welcome.sessionId, 'handoff']);

    const refused = [a, drained].flatMap((s) => s.output().split('\n')).filter((line) => /CROSSSLOT|CLUSTERDOWN|MOVED|ASK /.test(line));
    assert.deepEqual(refused, [], 'no operation was refused for its keys');
  });
});
