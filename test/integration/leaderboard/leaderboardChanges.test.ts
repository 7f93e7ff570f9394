import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Redis } from 'ioredis';
import { LeaderboardChanges, MAX_NAMES_PER_NOTICE, parseNames, type ChangedLeaderboards } from '../../../features/leaderboard/LeaderboardChanges.js';
import { RedisLeaderboardStore } from '../../../persistence/leaderboard/RedisLeaderboardStore.js';
import { startLeaderboards, type Leaderboards } from '../../../features/leaderboard/boards.js';
import { keyOf, type BroadcastTick } from '../../../features/leaderboard/LeaderboardBroadcaster.js';
import type { CommittedEventSource } from '../../../features/leaderboard/LeaderboardFeeder.js';
import { makeEvent, type PassportEvent } from '../../../systems/passport/index.js';
import { redisUrl } from '../../support/postgres.js';
import { deleteKeysWithPrefix, twoProcesses } from '../../support/redis.js';
import { ignoreErrors, localBackplane, onRedis } from '../../support/backplanes.js';
import { defaults } from '../../support/config.js';

const silent = pino({ level: 'silent' });
const RUN_PREFIX = `test:boards:${process.pid}:${randomUUID().slice(0, 8)}:`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(done: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await sleep(5);
}

/** Two "processes" on one bus: Local is one process (two listeners), Redis two instances on their own connections. */
type Bus = { a: LeaderboardChanges; b: LeaderboardChanges; close(): Promise<void> };

let prefixes = 0;
const buses: Array<[string, () => Promise<Bus>, boolean]> = [
  [
    'local',
    async () => {
      const bus = new LeaderboardChanges(localBackplane(), ignoreErrors);
      return { a: bus, b: bus, close: () => bus.close() };
    },
    false,
  ],
  [
    'redis',
    async () => {
      const prefix = `${RUN_PREFIX}${++prefixes}:`;
      return twoProcesses(redisUrl(), (redis) => new LeaderboardChanges(onRedis(redis, prefix), ignoreErrors).start());
    },
    true,
  ],
];

for (const [label, open, remote] of buses) {
  describe(`BoardChanges contract: ${label}`, function () {
    this.timeout(10_000);
    let bus: Bus;
    beforeEach(async () => {
      bus = await open();
    });
    afterEach(async () => {
      await bus.close();
    });

    it('the publisher hears its own notice synchronously and once; the other side hears it once', async () => {
      const heardA: ChangedLeaderboards[] = [];
      const heardB: ChangedLeaderboards[] = [];
      bus.a.onChanged((l) => heardA.push(l));
      if (remote) bus.b.onChanged((l) => heardB.push(l));
      bus.a.publish(['artists.visits', 'kpi.totals', 'artists.visits']);
      assert.deepEqual(heardA, [['artists.visits', 'kpi.totals']], 'heard at once, names once each');
      if (remote) {
        await until(() => heardB.length > 0);
        await sleep(100); // a duplicate, or our own notice coming back, would arrive by now
        assert.deepEqual(heardB, [['artists.visits', 'kpi.totals']]);
      }
      assert.equal(heardA.length, 1);
    });

    it(`a notice names at most ${MAX_NAMES_PER_NOTICE} leaderboards; more say "everything" (null)`, async () => {
      const heard: ChangedLeaderboards[] = [];
      bus.b.onChanged((l) => heard.push(l));
      bus.a.publish(Array.from({ length: MAX_NAMES_PER_NOTICE + 1 }, (_, i) => `board.${i}`));
      await until(() => heard.length > 0);
      assert.deepEqual(heard, [null]);
    });

    it('an unsubscribed listener hears nothing more', async () => {
      const heard: ChangedLeaderboards[] = [];
      const off = bus.b.onChanged((l) => heard.push(l));
      off();
      bus.a.publish(['x']);
      await sleep(remote ? 100 : 0);
      assert.deepEqual(heard, []);
    });
  });
}

describe('BoardChanges notices', () => {
  it('parses names, "*", and treats anything unreadable as "everything changed"', () => {
    assert.deepEqual(parseNames('a b'), ['a', 'b']);
    assert.equal(parseNames('*'), null);
    assert.equal(parseNames(''), null);
    assert.equal(
      parseNames(
        Array(MAX_NAMES_PER_NOTICE + 1)
          .fill('x')
          .join(' '),
      ),
      null,
    );
  });
});

/** The writer's onCommitted contract without a writer. */
function fakeWriter() {
  const listeners = new Set<(events: readonly PassportEvent[]) => void>();
  const source: CommittedEventSource = { onCommitted: (l) => (listeners.add(l), () => listeners.delete(l)) };
  return { source, emit: (events: PassportEvent[]) => listeners.forEach((l) => l(events)) };
}
const visit = (artistId: string): PassportEvent =>
  makeEvent(
    'station.visited',
    { payload: { artistId, frequency: 99.9, method: 'swipe' } as never },
    { userId: null, sessionId: 's', deviceId: 'd', source: 'room' },
    Date.now(),
    randomUUID,
  ) as PassportEvent;

describe('coliseum boards across processes (Redis store + Redis LeaderboardChanges)', function () {
  this.timeout(15_000);
  const redis: Redis[] = [];
  const running: Leaderboards[] = [];
  const changes: LeaderboardChanges[] = [];
  after(async () => {
    for (const r of running) await r.stop();
    for (const c of changes) await c.close();
    if (redis[0]) await deleteKeysWithPrefix(redis[0], RUN_PREFIX);
    redis.forEach((r) => r.disconnect());
  });

  it("a flush in one process moves a spectator's board in the other within the coalescing window, not a refresh period", async () => {
    const prefix = `${RUN_PREFIX}${++prefixes}:`;
    const processes = await Promise.all(
      [0, 1].map(async () => {
        const client = new Redis(redisUrl());
        redis.push(client);
        const bus = await new LeaderboardChanges(onRedis(client, prefix), ignoreErrors).start();
        changes.push(bus);
        const writer = fakeWriter();
        const pipeline = await startLeaderboards({
          writer: writer.source,
          store: new RedisLeaderboardStore({ redis: client, prefix, unionCacheMs: 1000 }),
          log: silent,
          coliseum: { ...defaults.coliseum, throttleMs: 100, coalesceMs: 20, refreshMs: 60_000 },
          changes: bus,
          feeder: { ...defaults.leaderboard, flushIntervalMs: 10 },
        });
        running.push(pipeline);
        return { writer, pipeline };
      }),
    );
    const keys = [{ leaderboard: 'artists.visits', window: 'day' as const }];
    const seen: number[] = [];
    await processes[1].pipeline.broadcaster.prime(keys, 10);
    processes[1].pipeline.broadcaster.subscribe(keys, 10, (tick: BroadcastTick) => {
      if (tick.leaderboards.get(keyOf('artists.visits', 'day'))?.rows.some((r) => r.entityId === 'artist_remote')) seen.push(Date.now());
    });
    const t0 = Date.now();
    processes[0].writer.emit([visit('artist_remote')]);
    await until(() => seen.length > 0);
    assert.ok(seen.length > 0, 'the other process showed the write');
    assert.ok(seen[0] - t0 < 1000, `shown ${seen[0] - t0} ms after the write (refresh period: 60 s)`);
    assert.ok(processes[1].pipeline.broadcaster.stats().changeTicks >= 1, 'by a change tick');
  });
});
