import assert from 'node:assert/strict';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerPair, startServerProcess, type ServerProcess } from '../../support/serverProcess.js';
import { freePort, redisUrl } from '../../support/postgres.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';
import { ResumingListener } from '../../../bench/support/resumingListener.js';

/**
 * Sessions outlive their process: two server processes on one Redis, listeners that each tuned to a
 * station and captured a star. SIGTERM to one: its sessions are handed over (moving, close 4100) and come
 * back on the other with the same session id, station and stars, no `session.ended` written for them, and
 * the inputs sent during the move applied once. kill -9 to one: its sessions are restored from their last
 * snapshot within seconds. Before this, 0 of 10 listeners came back either way.
 */
const LISTENERS = 16;
const STATIONS = [88.1, 91.7, 95.3, 99.9, 101.3, 105.5];

async function query<T>(db: TestDatabase, sql: string, params: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const startPair = (db: TestDatabase, prefix: string): Promise<ServerProcess[]> => startServerPair(db.url, prefix, { SHUTDOWN_TIMEOUT_MS: '15000' });

/** Every listener tunes to a station and captures its artist; resolves with what each holds. */
async function settle(listeners: ResumingListener[]): Promise<Array<{ frequency: number; artistId: string; stars: number }>> {
  return Promise.all(
    listeners.map(async (l, i) => {
      const locked = l.next<{ frequency: number; artistId: string }>('locked');
      l.send('tune', { frequency: STATIONS[i % STATIONS.length] });
      const { frequency, artistId } = await locked;
      const captured = l.next<{ totalStars: number }>('captured');
      l.send('capture', { opId: `op-${l.sessionId}-${i}` });
      return { frequency, artistId, stars: (await captured).totalStars };
    }),
  );
}

/** Which listeners the process at `port` holds (its rooms' public address). */
function onProcess(listeners: ResumingListener[], port: number): ResumingListener[] {
  return listeners.filter((l) => (l.room as unknown as { connection: { url?: string } }).connection.url?.includes(`:${port}/`));
}

const p99 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.99) - 1)] ?? 0;

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  describe(`sessions outlive their process: ${signal} to one of two processes on Redis (${LISTENERS} listeners)`, function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let servers: ServerProcess[];
    const prefix = `handoff-${signal}-${process.pid}:`;
    const listeners: ResumingListener[] = [];
    let held: Array<{ frequency: number; artistId: string; stars: number }>;
    let victims: ResumingListener[];

    before(async () => {
      db = await createTestDatabase();
      servers = await startPair(db, prefix);
      const endpoints = servers.map((s) => s.baseUrl);
      for (let i = 0; i < LISTENERS; i++) listeners.push(new ResumingListener(i % 2 ? [...endpoints].reverse() : endpoints));
      await Promise.all(listeners.map((l) => l.join()));
      held = await settle(listeners);
      victims = onProcess(listeners, servers[0].port);
      assert.ok(victims.length > 0 && victims.length < LISTENERS, `sessions on the first process: ${victims.length}`);
    });

    after(async () => {
      await Promise.all(listeners.map((l) => l.room?.leave(true).catch(() => undefined)));
      await Promise.all(servers.map((s) => s.stop('SIGTERM')));
      const redis = new Redis(redisUrl());
      await deleteKeysWithPrefix(redis, prefix).catch(() => undefined);
      await redis.quit();
      await db.drop();
    });

    it('every listener of the stopped process is back on its own session, with its station and stars', async () => {
      const victimSessions = victims.map((l) => l.sessionId);
      const stopped = servers[0].stop(signal, 20_000);
      // Inputs sent while the session moves: queued by the socket or refused MOVING; each is resent once back.
      const started = Date.now();
      if (signal === 'SIGTERM') assert.equal(await stopped, 0, servers[0].output().slice(-3000));
      else await stopped;
      await Promise.all(victims.map((l) => l.back(signal === 'SIGKILL' ? 15_000 : 10_000)));
      const backWithinMs = Date.now() - started;
      for (const [i, l] of listeners.entries()) {
        assert.equal(l.record.closedForGood, false, `listener ${i} closed for good`);
        assert.equal(new Set(l.record.sessionIds).size, 1, `listener ${i} changed session: ${l.record.sessionIds}`);
      }
      assert.deepEqual(
        victims.map((l) => l.sessionId),
        victimSessions,
      );
      for (const l of victims)
        assert.deepEqual(l.record.restoredFrom, [signal === 'SIGTERM' ? 'handoff' : 'snapshot'], `restored from: ${l.record.restoredFrom}`);
      const gaps = victims.flatMap((l) => l.record.gapsMs);
      const outages = victims.flatMap((l) => l.record.outagesMs);
      console.log(
        `      ${signal}: ${victims.length} sessions moved, back within ${backWithinMs} ms, patch gap p99 ${p99(gaps)} ms, outage p99 ${p99(outages)} ms, closes ${[...new Set(victims.flatMap((l) => l.record.closes))]}`,
      );
      if (signal === 'SIGTERM') assert.ok(p99(gaps) <= 1500 * 2, `patch gap p99 ${p99(gaps)} ms (goal 1,500 ms; doubled for a loaded box)`);
      else assert.ok(backWithinMs <= 5000 * 2, `back within ${backWithinMs} ms (goal p99 5 s; doubled for a loaded box)`);
    });

    it('the restored sessions hold their station and stars; inputs after the move apply once', async () => {
      for (const [i, l] of listeners.entries()) {
        const state = l.room.state as { station: { frequency: number; artistId: string }; totalStars: number };
        assert.equal(state.station.artistId, held[i].artistId, `listener ${i} station`);
        assert.equal(state.totalStars, held[i].stars, `listener ${i} stars`);
      }
      // A resent input (the last seq again) is a duplicate, not a second swipe.
      const l = victims[0];
      const dup = l.next<{ seq: number; appliedSeq: number }>('duplicate');
      l.room.send('swipe', { direction: 'right', velocity: 400, seq: l.seq });
      assert.equal((await dup).seq, l.seq);
      const elsewhere = held.find((h) => h.frequency !== (l.room.state as { station: { frequency: number } }).station.frequency)!.frequency;
      const moved = l.next<{ frequency: number }>('locked');
      l.send('tune', { frequency: elsewhere });
      assert.equal((await moved).frequency, elsewhere);
    });

    it(signal === 'SIGTERM' ? 'no session.ended and no lost capture for the moved sessions' : 'every acknowledged capture is a star', async () => {
      const ids = victims.map((l) => l.sessionId);
      const ended = await query<{ n: number }>(
        db,
        `SELECT count(*)::int AS n FROM passport_entries WHERE event_type = 'session.ended' AND session_id = ANY($1::text[])`,
        [ids],
      );
      if (signal === 'SIGTERM') assert.equal(ended[0].n, 0, 'a handed-over session is not ended');
      const stars = await query<{ n: number }>(db, `SELECT count(*)::int AS n FROM constellation_stars WHERE user_id = ANY($1::uuid[])`, [
        victims.map((l) => l.auth.userId),
      ]);
      assert.equal(stars[0].n, victims.length, 'one star per listener, none lost, none twice');
    });
  });
}

describe('a lone process (no Redis) restarted: its drained sessions come back from Postgres', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let server: ServerProcess | undefined;
  const listeners: ResumingListener[] = [];

  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await Promise.all(listeners.map((l) => l.room?.leave(true).catch(() => undefined)));
    await server?.stop('SIGTERM');
    await db.drop();
  });

  it('SIGTERM, start again on the same port: each listener resumes its session, station and stars (restored from the handoff)', async () => {
    const port = await freePort();
    const env = { PORT: String(port), DATABASE_URL: db.url, JOBS_ENABLED: 'false' };
    server = await startServerProcess(env);
    for (let i = 0; i < 4; i++) listeners.push(new ResumingListener([server.baseUrl]));
    await Promise.all(listeners.map((l) => l.join()));
    const held = await settle(listeners);
    const sessions = listeners.map((l) => l.sessionId);
    assert.equal(await server.stop('SIGTERM'), 0, server.output().slice(-3000));
    server = await startServerProcess(env);
    await Promise.all(listeners.map((l) => l.back(30_000)));
    assert.deepEqual(
      listeners.map((l) => l.sessionId),
      sessions,
    );
    for (const [i, l] of listeners.entries()) {
      assert.deepEqual(l.record.restoredFrom, ['handoff']);
      assert.equal((l.room.state as { station: { artistId: string } }).station.artistId, held[i].artistId);
      assert.equal((l.room.state as { totalStars: number }).totalStars, held[i].stars);
    }
    const left = await query<{ n: number }>(db, 'SELECT count(*)::int AS n FROM session_snapshots', []);
    assert.equal(left[0].n, 0, 'a durable snapshot is read once');
  });
});
