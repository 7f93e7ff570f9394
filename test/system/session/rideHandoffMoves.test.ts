import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess.js';
import { freePort, redisUrl } from '../../support/postgres.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';
import { last, member, hostedAt, party, seen, until, type Member, type Party } from './rideParty.js';

/**
 * A ride changed while it moves: two processes on one Redis, a ride of three riders, SIGTERM to its process;
 * between the riders' `moving` and the ride's return the host passes the dial to a rider, a newcomer joins with the
 * invite (GET /api/rides answers 503 RIDE_MOVING meanwhile) and a rider leaves. After the move the ride is whole on
 * the other process: the same id and host, the dial with the rider it was passed to, the newcomer in and the
 * leaver out (once the grace period, RECONNECT_WINDOW_SEC, has passed without them), every member hearing the same.
 */
const GRACE_SEC = 4;

describe('a ride changed while it moves: pass, join and leave during a SIGTERM handoff', function () {
  this.timeout(180_000);
  let db: TestDatabase;
  let servers: ServerProcess[] = [];
  let ride: Party;
  let newcomer: Member;
  const prefix = `ride-moves-${randomBytes(3).toString('hex')}:`;

  before(async () => {
    db = await createTestDatabase();
    const ports = [await freePort(), await freePort()];
    servers = await Promise.all(
      ports.map((port) =>
        startServerProcess({
          PORT: String(port),
          PUBLIC_ADDRESS: `127.0.0.1:${port}`,
          DATABASE_URL: db.url,
          REDIS_URL: redisUrl(),
          REDIS_PREFIX: prefix,
          LOG_LEVEL: 'warn',
          JOBS_ENABLED: 'false',
          SHUTDOWN_TIMEOUT_MS: '20000',
          RECONNECT_WINDOW_SEC: String(GRACE_SEC),
        }),
      ),
    );
    const endpoints = servers.map((s) => s.baseUrl.replace(/^http/, 'ws'));
    ride = await party(endpoints, 1, 3); // an odd ride: the host keeps the dial
    newcomer = await member(endpoints, 1);
  });

  after(async () => {
    await Promise.all([ride?.host, ...(ride?.riders ?? []), newcomer].map((m) => m?.client.leave().catch(() => undefined)));
    await Promise.all(servers.map((s) => s.stop('SIGTERM')));
    const redis = new Redis(redisUrl());
    await deleteKeysWithPrefix(redis, prefix).catch(() => undefined);
    redis.disconnect();
    await db?.drop();
  });

  it('passing the dial, a join and a leave during the move complete after it; the ride comes back whole', async () => {
    const { host, riders } = ride;
    const [a, b, leaver] = riders;
    const [victim, survivor] = hostedAt(ride, `:${servers[0].port}/`) ? servers : [servers[1], servers[0]];
    assert.equal(seen(host)!.holder, host.userId, 'the host has the dial');
    const code = last(host)!.invite!.code;
    const moving = new Promise<void>((resolve) => a.client.on('moving', () => resolve()));
    const stopped = victim.stop('SIGTERM', 30_000);
    await moving;

    // All three while the ride is between processes.
    host.client.passDial(a.userId);
    const joined = newcomer.client.joinRide(code).then(
      () => 'joined',
      (err: Error) => `refused: ${err.message}`,
    );
    await leaver.client.leaveRide();
    assert.equal(await stopped, 0, victim.output().slice(-3000));

    assert.equal(await joined, 'joined', 'the newcomer’s join waited for the move (RIDE_MOVING) and then went through');
    const want = { rideId: ride.rideId, host: host.userId, riders: [a.userId, b.userId, newcomer.userId].sort(), holder: a.userId };
    const whole = (m: Member) => {
      const r = last(m);
      return !!r && JSON.stringify(seen(m)) === JSON.stringify(want) && r.riders.length === 3;
    };
    await until('the ride whole, the leaver dropped after the grace period', () => [host, a, b, newcomer].every(whole), (GRACE_SEC + 30) * 1000);
    for (const m of [host, a, b, newcomer]) {
      assert.deepEqual(seen(m), want, m === host ? 'the host' : 'a rider');
      assert.equal(m.closed, false);
    }
    assert.ok(hostedAt(ride, `:${survivor.port}/`), 'the ride is on the process left serving');
    for (const m of [a, b, newcomer]) assert.equal(m.client.riding, true);
    assert.equal(leaver.client.riding, false, 'the leaver is on their own session');
    await until('the leaver connected on their own session', () => leaver.client.status === 'connected', 20_000);
    assert.equal(leaver.closed, false);
  });
});
