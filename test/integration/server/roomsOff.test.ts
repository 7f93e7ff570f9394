import assert from 'node:assert/strict';
import { JOB_NAMES } from '../../../src/config/config.js';
import { redisUrl } from '../../support/postgres.js';
import type { ServerProcess } from '../../support/serverProcess.js';
import { useRedisCluster } from '../../support/redisCluster.js';
import { clientFor, waitForState } from '../../support/rooms.js';
import { signIn } from '../../support/auth.js';

const ADMIN_TOKEN = 'rooms-off-admin-token-0123456789';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Room processes and a process with ROOMS_ENABLED=false (the jobs, the HTTP edge) on one Redis. Colyseus
 * lists every process in `roomcount`, so before ROOMS_ENABLED the idle jobs process was the one with the
 * fewest rooms and `least_rooms` gave it the next ones. The matchmaker's keys (`roomcount`, `roomcaches`)
 * have fixed names: this file uses the logical database after TEST_REDIS_URL's, its own in CI.
 */
describe('ROOMS_ENABLED=false: a jobs process next to room processes on one Redis', function () {
  this.timeout(120_000);
  const base = redisUrl();
  const db = (Number(/\/(\d+)$/.exec(base)?.[1] ?? 0) + 1) % 16;
  // Colyseus' rule: the process with the fewest rooms gets the next one, wherever the request came in.
  const cluster = useRedisCluster({
    redisUrl: `${base.replace(/\/\d*$/, '')}/${db}`,
    name: 'roomsoff',
    env: { ADMIN_TOKEN, ROOM_PLACEMENT: 'least_rooms', JOBS_ENABLED: 'false', LEADERBOARD_ROLLUP_POLL_MS: '100' },
  });
  const { servers, rooms, start, hostOf } = cluster;
  let a: ServerProcess, b: ServerProcess, jobs: ServerProcess;

  const addressOf = (server: ServerProcess) => new URL(server.baseUrl).host;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  before(async () => {
    a = await start(); // first: runs the migrations alone
    b = await start();
    jobs = await start({
      ROOMS_ENABLED: 'false',
      JOBS_ENABLED: 'true',
      ...Object.fromEntries(JOB_NAMES.map((j) => [`JOB_CRON_${j.toUpperCase()}`, j === 'global_metrics' ? '* * * * * *' : 'off'])),
    });
  });

  it('no room lands on it: twelve rooms asked of all three processes go to the two room processes', async () => {
    const roomHosts = new Set([addressOf(a), addressOf(b)]);
    for (const server of [a, b, jobs, a, b, jobs, a, b, jobs, a, b, jobs]) {
      const room = await clientFor(server.baseUrl, (await signIn(server.baseUrl)).accessToken).create('session', {});
      rooms.push(room);
      const host = await hostOf(room.roomId);
      assert.ok(roomHosts.has(host), `room ${rooms.length} asked of ${addressOf(server)} landed on ${host}, not a room process`);
    }
    // Asked of the jobs process, created on a room process, and the session works end to end.
    await waitForState(rooms[2], (s) => s.station.artistName !== '', 5000, 'session state of a room asked of the jobs process');
    const hosts = new Set(await Promise.all(rooms.map((r) => hostOf(r.roomId))));
    assert.deepEqual([...hosts].sort(), [...roomHosts].sort(), 'least_rooms spread the rooms over both room processes');
  });

  it('a room type no process defines, asked of it, is refused as a room process refuses it (520 "not defined"), not as a failure', async () => {
    const { accessToken } = await signIn(jobs.baseUrl);
    for (const server of [jobs, a]) {
      const res = await fetch(`${server.baseUrl}/matchmake/create/*`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: '{}',
      });
      const body = (await res.json()) as { code?: number; error?: string };
      assert.deepEqual([res.status, body.code, body.error], [520, 520, 'provided room name "*" not defined'], `${addressOf(server)}: ${JSON.stringify(body)}`);
    }
  });

  it('is listed by the matchmaker, but only the room processes announced themselves as room hosts', async () => {
    const overview = (await (await fetch(`${jobs.baseUrl}/api/ops/overview`, { headers: admin })).json()) as {
      processes: Array<{ processId: string; publicAddress: string; role?: { rooms: boolean; jobs: boolean } }>;
    };
    const byAddress = new Map(overview.processes.map((p) => [p.publicAddress, p]));
    assert.deepEqual(byAddress.get(addressOf(jobs))?.role, { rooms: false, jobs: true }, 'the ops table shows the role');
    assert.deepEqual(byAddress.get(addressOf(a))?.role, { rooms: true, jobs: false });
    const jobsId = byAddress.get(addressOf(jobs))!.processId;
    assert.ok(await cluster.redis.hexists('roomcount', jobsId), 'Colyseus lists it like any process');
    const announced = Object.keys(await cluster.redis.hgetall(`${cluster.prefix}roomhosts`)).sort();
    assert.deepEqual(announced, [byAddress.get(addressOf(a))!.processId, byAddress.get(addressOf(b))!.processId].sort());
  });

  it('runs the scheduled jobs and answers its health and admin endpoints', async () => {
    assert.equal((await fetch(`${jobs.baseUrl}/health`)).status, 200);
    const deadline = Date.now() + 10_000;
    let ran: Array<{ process: string }> = [];
    while (ran.length < 2 && Date.now() < deadline) {
      await sleep(500);
      ran = await cluster.pg.sql.query<{ process: string }>(`SELECT process FROM job_logs WHERE job_name = 'global_metrics' AND trigger = 'schedule'`);
    }
    assert.ok(ran.length >= 2, `the every-second schedule ran ${ran.length} times in 10 s`);
    assert.ok(
      ran.every((r) => r.process === addressOf(jobs)),
      `only the jobs process runs schedules: ${JSON.stringify(ran)}`,
    );
    const list = (await (await fetch(`${jobs.baseUrl}/api/ops/jobs`, { headers: admin })).json()) as { jobs: Array<{ name: string }> };
    assert.ok(list.jobs.some((j) => j.name === 'global_metrics'));
  });

  it('only the jobs process polls the rollups: with it stopped, the room processes leave the new passport rows to it', async () => {
    const cursor = async () =>
      (await cluster.pg.sql.query<{ at: string }>(`SELECT last_id::text AS at FROM processor_cursors WHERE name = 'coliseum_rollups'`))[0]?.at ?? '0';
    const head = async () => (await cluster.pg.sql.query<{ at: string | null }>(`SELECT max(id)::text AS at FROM passport_entries`))[0].at ?? '0';
    // Stopped while it holds no cursor lock (a held row would keep any poller out, proving nothing).
    for (let free = false; !free;) {
      jobs.proc.kill('SIGSTOP');
      free = await cluster.pg.sql
        .transaction((tx) => tx.query(`SELECT 1 FROM processor_cursors WHERE name = 'coliseum_rollups' FOR UPDATE NOWAIT`))
        .then(
          () => true,
          () => false,
        );
      if (!free) jobs.proc.kill('SIGCONT');
      if (!free) await sleep(20); // its transaction finishes meanwhile
    }
    try {
      const before = await cursor();
      rooms.push(await clientFor(a.baseUrl, (await signIn(a.baseUrl)).accessToken).create('session', {}));
      for (let i = 0; i < 50 && BigInt(await head()) <= BigInt(before); i++) await sleep(100);
      assert.ok(BigInt(await head()) > BigInt(before), 'the new session wrote passport rows');
      await sleep(2000); // twenty of a room process's polls, were it polling
      assert.equal(await cursor(), before, 'no room process applied them');
    } finally {
      jobs.proc.kill('SIGCONT');
    }
    const target = await head();
    for (let i = 0; i < 100 && BigInt(await cursor()) < BigInt(target); i++) await sleep(100);
    assert.ok(BigInt(await cursor()) >= BigInt(target), 'the jobs process caught them up once running again');
  });

  it("a room process that does not answer: Colyseus' fallback would create the room on the requester; the jobs process refuses it", async () => {
    await Promise.all(rooms.splice(0).map((r) => r.leave(true).catch(() => undefined)));
    assert.equal(await a.stop('SIGTERM'), 0, a.output()); // withdraws: b is the only candidate left
    servers.splice(servers.indexOf(a), 1);
    const { accessToken } = await signIn(jobs.baseUrl);
    await sleep(1100); // the jobs process's last read of the room hosts expires
    b.proc.kill('SIGSTOP');
    try {
      await assert.rejects(
        clientFor(jobs.baseUrl, accessToken).create('session', {}),
        (err: { code?: number; message?: string }) => err.code === 503 && /^ROOMS_DISABLED: .*did not answer/.test(err.message ?? ''),
      );
    } finally {
      b.proc.kill('SIGCONT');
    }
    const listed = Object.values(await cluster.redis.hgetall('roomcaches')).map((raw) => (JSON.parse(raw) as { publicAddress?: string }).publicAddress);
    assert.ok(!listed.includes(addressOf(jobs)), 'no room was created on the jobs process');
  });

  it('with no room process left, a room asked of it is refused with NO_ROOM_PROCESS, not created there', async () => {
    assert.equal(await b.stop('SIGTERM'), 0, b.output());
    servers.splice(servers.indexOf(b), 1);
    await sleep(1100); // the jobs process's last read of the room hosts expires
    const { accessToken } = await signIn(jobs.baseUrl);
    await assert.rejects(
      clientFor(jobs.baseUrl, accessToken).create('session', {}),
      (err: { code?: number; message?: string }) => err.code === 503 && /^NO_ROOM_PROCESS: .*ROOMS_ENABLED=false.*Retry/.test(err.message ?? ''),
    );
    assert.equal(await cluster.redis.hlen('roomcaches'), 0, 'no room was created on the jobs process');
  });
});
