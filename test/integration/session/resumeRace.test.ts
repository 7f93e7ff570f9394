import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { Redis } from 'ioredis';
import { unpack } from 'msgpackr';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerPair, type ServerProcess } from '../../support/serverProcess.js';
import { redisUrl } from '../../support/postgres.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';
import { signIn } from '../../support/auth.js';
import { clientFor, nextMessage, waitForState } from '../../support/rooms.js';

/**
 * A resume credential works once, whatever the timing. Two processes on one Redis; each listener tunes in one
 * tab and resumes the session in a second tab on the other process 0–105 ms later, while the first room's
 * snapshot of that lock may still be on its way: its write could land after the second room's and make the spent
 * credential look current again, so a replay 2.2 s later was `resumed` and two rooms served one session. Four
 * of them store the first room's snapshot again after the resume, as such a late write lands, every time.
 */
describe('resume credentials: a replay racing the snapshot writes of two processes', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let servers: ServerProcess[];
  const prefix = `resume-race-${process.pid}:`;
  const redis = new Redis(redisUrl());

  before(async () => {
    db = await createTestDatabase();
    servers = await startServerPair(db.url, prefix, { LOG_LEVEL: 'warn' });
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await deleteKeysWithPrefix(redis, prefix).catch(() => undefined);
    redis.disconnect();
    await db.drop();
  });

  /**
   * Tab one on `a` tunes; tab two resumes on `b` after `gapMs`; the spent credential is replayed later. With
   * `lateWrite`, tab one's snapshot of its lock is stored again after the resume, as a late write lands.
   */
  async function race(a: ServerProcess, b: ServerProcess, gapMs: number, lateWrite: boolean) {
    const alice = await signIn(a.baseUrl);
    const firstTab: Room = await clientFor(a.baseUrl, alice.accessToken).create('session', {});
    const { resume, sessionId } = await nextMessage(firstTab, 'welcome');
    await waitForState(firstTab, (s) => s.station.artistName !== '', 5000, 'station');
    const locked = nextMessage(firstTab, 'locked');
    firstTab.send('tune', { frequency: 105.5, seq: 1 });
    if (lateWrite) await locked;
    const key = `${prefix}snapshot:${sessionId}`;
    const firstSnapshot = lateWrite ? await waitForSnapshot(key, 1) : null;
    await new Promise((r) => setTimeout(r, gapMs));
    const secondTab: Room = await clientFor(b.baseUrl, alice.accessToken).create('session', { resume });
    await nextMessage(secondTab, 'resumed');
    if (firstSnapshot) {
      await new Promise((r) => setTimeout(r, 300)); // the second room's own snapshot is stored first
      await redis.set(key, firstSnapshot, 'PX', 60_000);
    }
    await new Promise((r) => setTimeout(r, 2200)); // past the one-resume-per-session window
    let replay: { code: number; message: string };
    try {
      const third = await clientFor(a.baseUrl, alice.accessToken).create('session', { resume });
      replay = { code: 0, message: 'resumed' };
      await third.leave(true);
    } catch (err) {
      replay = { code: (err as { code: number }).code, message: (err as Error).message };
    }
    const secondServed = secondTab.connection.isOpen;
    await secondTab.leave(true).catch(() => undefined);
    return { gapMs, lateWrite, ...replay, secondServed };
  }

  /** The stored snapshot once it holds tab one's lock (seq `seq` applied). */
  async function waitForSnapshot(key: string, seq: number): Promise<Buffer> {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const body = await redis.getBuffer(key);
      if (body && (unpack(body) as { appliedSeq: number }).appliedSeq >= seq) return body;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no snapshot of seq ${seq} under ${key}`);
  }

  it('a spent credential replayed is refused RESUME_STALE (409 at matchmaking, 4409 at the join), and the second tab keeps the session', async () => {
    const outcomes = await Promise.all(Array.from({ length: 16 }, (_, i) => race(servers[i % 2], servers[1 - (i % 2)], (i % 8) * 15, i < 4)));
    const accepted = outcomes.filter((o) => !/^RESUME_STALE:/.test(o.message) || ![409, 4409].includes(o.code));
    assert.deepEqual(accepted, [], 'every replay refused as stale');
    assert.ok(
      outcomes.every((o) => o.secondServed),
      'the second tab still holds the session',
    );
  });
});
