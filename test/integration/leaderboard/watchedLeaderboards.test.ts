import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Redis } from 'ioredis';
import { redisUrl } from '../../support/postgres.js';
import { deleteKeysWithPrefix, twoProcesses } from '../../support/redis.js';
import { makeEvent, type EventType, type PassportEvent, type PayloadOf } from '../../../systems/passport/index.js';
import { DAY_GROUP, EVERY_GROUP, HOUR_GROUP, LEADERBOARD_WINDOWS } from '../../../systems/leaderboard/windows.js';
import type { LeaderboardIncrement, LeaderboardStore, LeaderboardWindow } from '../../../systems/leaderboard/windows.js';
import { LocalLeaderboardStore } from '../../../persistence/leaderboard/LocalLeaderboardStore.js';
import { RedisLeaderboardStore } from '../../../persistence/leaderboard/RedisLeaderboardStore.js';
import { MAX_WATCHING_PROCESSES, WatchedLeaderboards } from '../../../features/leaderboard/LeaderboardChanges.js';
import { LeaderboardFeeder, type CommittedEventSource } from '../../../features/leaderboard/LeaderboardFeeder.js';
import { LeaderboardBroadcaster } from '../../../features/leaderboard/LeaderboardBroadcaster.js';
import { ignoreErrors, localBackplane, onRedis } from '../../support/backplanes.js';
import { defaults } from '../../support/config.js';

/** An entity's standing in a window (null when unranked): the one-row page around it. */
async function rankOf(store: Pick<LeaderboardStore, 'around'>, leaderboard: string, window: LeaderboardWindow, entityId: string, nowMs: number) {
  const [row] = await store.around(leaderboard, window, entityId, 0, nowMs);
  return row ? { rank: row.rank, score: row.score } : null;
}

const silent = pino({ level: 'silent' });
const RUN_PREFIX = `test:watched:${process.pid}:${randomUUID().slice(0, 8)}:`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ANNOUNCE_MS = 150;

async function until(done: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done()) && Date.now() < deadline) await sleep(5);
}

let redis: Redis;
let prefixes = 0;
before(async () => {
  redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
});
after(async () => {
  await deleteKeysWithPrefix(redis, RUN_PREFIX);
  await redis.quit();
});

/** Two "processes": Local is one process, Redis two instances on connections of their own, past their first announce period. */
type Pair = { a: WatchedLeaderboards; b: WatchedLeaderboards; prefix: string; close(): Promise<void> };
const implementations: Array<[string, () => Promise<Pair>, boolean]> = [
  [
    'local',
    async () => {
      const one = new WatchedLeaderboards(localBackplane(), { announceMs: 5000, now: Date.now, onError: ignoreErrors });
      return { a: one, b: one, prefix: '', close: () => one.close() };
    },
    false,
  ],
  [
    'redis',
    async () => {
      const prefix = `${RUN_PREFIX}${++prefixes}:`;
      const { a, b, close } = await twoProcesses(redisUrl(), (redis) =>
        new WatchedLeaderboards(onRedis(redis, prefix), { announceMs: ANNOUNCE_MS, now: Date.now, onError: ignoreErrors }).start(),
      );
      await sleep(ANNOUNCE_MS + 20);
      return { a, b, prefix, close };
    },
    true,
  ],
];

for (const [label, open, remote] of implementations) {
  describe(`WatchedLeaderboards contract: ${label}`, function () {
    this.timeout(10_000);
    let pair: Pair;
    beforeEach(async () => {
      pair = await open();
    });
    afterEach(async () => {
      await pair.close();
    });

    it('reports the groups another process watches, and forgets them when that process watches nothing', async () => {
      const { a, b } = pair;
      assert.equal(b.groups(), 0, 'nothing watched yet');
      a.watch(['day']);
      await until(() => b.groups() !== 0);
      assert.equal(b.groups(), DAY_GROUP);
      b.watch(['hour']);
      await until(() => a.groups() === EVERY_GROUP);
      assert.equal(a.groups(), remote ? EVERY_GROUP : HOUR_GROUP, remote ? 'the union of both processes' : 'one process: its latest set');
      a.watch([]);
      await until(() => b.groups() === (remote ? HOUR_GROUP : 0));
      assert.equal(b.groups(), remote ? HOUR_GROUP : 0, remote ? 'forgotten at once, not after the expiry; its own set stays' : 'its latest set');
    });

    it('a closed process is forgotten', async () => {
      const { a, b } = pair;
      a.watch(['day']);
      await until(() => b.groups() !== 0);
      await a.close();
      await until(() => b.groups() === 0, ANNOUNCE_MS);
      assert.equal(b.groups(), 0);
    });
  });
}

describe('RedisWatchedLeaderboards on the wire', function () {
  this.timeout(10_000);
  const opened: Array<() => Promise<void>> = [];
  async function listener(announceMs = ANNOUNCE_MS, now: () => number = Date.now) {
    const prefix = `${RUN_PREFIX}${++prefixes}:`;
    const connection = new Redis(redisUrl());
    const watched = await new WatchedLeaderboards(onRedis(connection, prefix), { announceMs, now, onError: ignoreErrors }).start();
    opened.push(async () => {
      await watched.close();
      connection.disconnect();
    });
    const send = (origin: string, body: string) => redis.publish(`${prefix}lb:watched`, `${origin}|${body}`);
    return { watched, prefix, send };
  }
  afterEach(async () => {
    for (const close of opened.splice(0)) await close();
  });

  // The periods below are read on a clock the test moves (expiry is computed from `now`), so a loaded box
  // cannot stretch or shrink them; only delivery over Redis is waited for.
  it('takes everything as watched for its first announce period: it has not heard the others yet', async () => {
    let clock = 1_000_000;
    const { watched } = await listener(300, () => clock);
    assert.equal(watched.groups(), EVERY_GROUP);
    clock += 299;
    assert.equal(watched.groups(), EVERY_GROUP, 'still the first period');
    clock += 1;
    assert.equal(watched.groups(), 0);
  });

  it('a process that stops announcing (a crash) is forgotten after three announce periods', async () => {
    let clock = 1_000_000;
    const { watched, send } = await listener(ANNOUNCE_MS, () => clock);
    clock += ANNOUNCE_MS;
    const heardAt = clock;
    await send('crashed', '2');
    await until(() => watched.groups() === DAY_GROUP);
    clock = heardAt + 3 * ANNOUNCE_MS - 1;
    assert.equal(watched.groups(), DAY_GROUP, 'still within 3 × announceMs');
    clock = heardAt + 3 * ANNOUNCE_MS;
    assert.equal(watched.groups(), 0, 'forgotten after 3 × announceMs');
  });

  it('keeps a live process remembered by its re-announcements', async () => {
    const one = await listener();
    const connection = new Redis(redisUrl());
    const other = await new WatchedLeaderboards(onRedis(connection, one.prefix), { announceMs: ANNOUNCE_MS, now: Date.now, onError: ignoreErrors }).start();
    opened.push(async () => {
      await other.close();
      connection.disconnect();
    });
    await sleep(ANNOUNCE_MS + 10);
    other.watch(['hour']);
    await sleep(5 * ANNOUNCE_MS);
    assert.equal(one.watched.groups(), HOUR_GROUP, 'five announce periods later');
  });

  it('a malformed announcement, or "*", counts as everything watched until it expires; an empty body as nothing', async () => {
    const { watched, send } = await listener();
    await sleep(ANNOUNCE_MS + 10);
    for (const body of ['9', 'x', '2artists.visits', '*', '1 2']) {
      await send('odd', body);
      await until(() => watched.groups() === EVERY_GROUP, 1000);
      assert.equal(watched.groups(), EVERY_GROUP, JSON.stringify(body.slice(0, 20)));
      await send('odd', '');
      await until(() => watched.groups() === 0, 1000);
      assert.equal(watched.groups(), 0, 'an empty announcement forgets it');
    }
  });

  it('remembers at most MAX_WATCHING_PROCESSES other processes; past that, everything counts as watched until they expire', async () => {
    const { watched, send } = await listener();
    await sleep(ANNOUNCE_MS + 10);
    await Promise.all(Array.from({ length: MAX_WATCHING_PROCESSES }, (_, i) => send(`p${i}`, '2')));
    await until(() => watched.groups() === DAY_GROUP);
    assert.equal(watched.groups(), DAY_GROUP, 'at the bound: still exact');
    await send('one-too-many', '2');
    await until(() => watched.groups() === EVERY_GROUP, 1000);
    assert.equal(watched.groups(), EVERY_GROUP, 'past the bound: everything');
    await until(() => watched.groups() === 0, 4 * ANNOUNCE_MS + 500);
    assert.equal(watched.groups(), 0, 'all expired after three announce periods');
  });
});

describe('LeaderboardBroadcaster tells what its subscribers read', () => {
  it('a subscription announces the bucket groups of its windows; the last unsubscribe announces nothing', async () => {
    const watched = new WatchedLeaderboards(localBackplane(), { announceMs: 5000, now: Date.now, onError: ignoreErrors });
    const broadcaster = new LeaderboardBroadcaster({ ...defaults.coliseum, store: new LocalLeaderboardStore(), log: silent, throttleMs: 50, watched });
    const first = broadcaster.subscribe([{ leaderboard: 'artists.trending', window: 'hour' }], 10, () => undefined);
    const second = broadcaster.subscribe([{ leaderboard: 'artists.captures', window: 'day' }], 10, () => undefined);
    assert.equal(watched.groups(), EVERY_GROUP);
    first.unsubscribe();
    assert.equal(watched.groups(), DAY_GROUP);
    second.unsubscribe();
    assert.equal(watched.groups(), 0);
    await broadcaster.stop();
  });
});

function ev<T extends EventType>(type: T, payload: PayloadOf<T>): PassportEvent {
  return makeEvent(type, { payload }, { userId: randomUUID(), sessionId: 's-1', deviceId: 'd-1', source: 'room' }, Date.now(), randomUUID) as PassportEvent;
}
const visit = (artistId: string) => ev('station.visited', { artistId, frequency: 99.9, method: 'swipe' } as PayloadOf<'station.visited'>);
const capture = (artistId: string) => ev('constellation.captured', { artistId, position: { x: 0, y: 0, z: 0 } } as PayloadOf<'constellation.captured'>);

function fakeSource() {
  const listeners = new Set<(events: readonly PassportEvent[]) => void>();
  const source: CommittedEventSource = { onCommitted: (l) => (listeners.add(l), () => listeners.delete(l)) };
  return { source, emit: (events: PassportEvent[]) => listeners.forEach((l) => l(events)) };
}

/** Counts the store's writes by bucket group and can fail the next ones. */
function counting(inner: LeaderboardStore) {
  const writes: LeaderboardIncrement[][] = [];
  let failNext = 0;
  const store: LeaderboardStore = Object.assign(Object.create(inner) as LeaderboardStore, {
    incrementMany: async (items: readonly LeaderboardIncrement[], nowMs: number) => {
      if (failNext > 0) {
        failNext--;
        throw new Error('store unavailable (test)');
      }
      writes.push([...items]);
      return inner.incrementMany(items, nowMs);
    },
  });
  return { store, writes, failNext: (n: number) => (failNext = n) };
}

const stores: Array<[string, () => LeaderboardStore]> = [
  ['local', () => new LocalLeaderboardStore()],
  ['redis', () => new RedisLeaderboardStore({ redis, prefix: `${RUN_PREFIX}${++prefixes}:`, unionCacheMs: 0 })],
];

for (const [label, factory] of stores) {
  describe(`LeaderboardFeeder writes the bucket groups spectators read first → ${label} store`, function () {
    this.timeout(10_000);
    const FLUSH_MS = 20;
    const UNWATCHED_MS = 400;
    let base: LeaderboardStore;
    let feeder: LeaderboardFeeder;
    let lags: number[];
    let watched: WatchedLeaderboards;
    let counted: ReturnType<typeof counting>;
    let emit: (events: PassportEvent[]) => void;
    /** A flush that writes everything: the next unwatched flush is UNWATCHED_MS away. */
    const writeEverything = async () => {
      emit([visit('artist_warmup')]);
      await feeder.flush();
    };
    const score = async (leaderboard: string, window: (typeof LEADERBOARD_WINDOWS)[number], entityId: string) =>
      (await rankOf(base, leaderboard, window, entityId, Date.now()))?.score ?? 0;

    beforeEach(() => {
      base = factory();
      counted = counting(base);
      watched = new WatchedLeaderboards(localBackplane(), { announceMs: 5000, now: Date.now, onError: ignoreErrors });
      const fake = fakeSource();
      emit = fake.emit;
      lags = [];
      feeder = new LeaderboardFeeder({
        ...defaults.leaderboard,
        store: counted.store,
        log: silent,
        flushIntervalMs: FLUSH_MS,
        unwatchedFlushMs: UNWATCHED_MS,
        watched,
        observeLag: (ms) => lags.push(ms),
      }).attach(fake.source);
    });
    afterEach(async () => {
      await feeder.stop(500);
      await base.close();
    });

    it('writes a watched group at the flush interval and holds the other for the unwatched flush; every window ends with each event counted once', async () => {
      watched.watch(['all']);
      await writeEverything();
      emit([visit('artist_wizkid'), visit('artist_wizkid'), capture('artist_tems')]);
      await sleep(5 * FLUSH_MS);
      assert.equal(await score('artists.visits', 'day', 'artist_wizkid'), 2, 'the watched group is fresh');
      assert.equal(await score('artists.visits', 'all', 'artist_wizkid'), 2);
      assert.equal(await score('artists.visits', 'hour', 'artist_wizkid'), 0, 'the hour bucket nobody watches is held');
      assert.equal(await score('artists.captures', 'day', 'artist_tems'), 1, 'every board of the watched group is fresh');
      assert.equal(await score('artists.captures', 'hour', 'artist_tems'), 0);
      assert.ok(feeder.stats().pendingKeys > 0);
      await until(() => feeder.stats().pendingKeys === 0, 2 * UNWATCHED_MS);
      for (const window of LEADERBOARD_WINDOWS) {
        assert.equal(await score('artists.visits', window, 'artist_wizkid'), 2, window);
        assert.equal(await score('artists.captures', window, 'artist_tems'), 1, window);
      }
    });

    it('holds nothing back from a group once it is watched: its held amounts go out with the next flush', async () => {
      await writeEverything();
      emit([capture('artist_burna'), capture('artist_burna')]);
      await sleep(5 * FLUSH_MS);
      assert.equal(await score('artists.captures', 'week', 'artist_burna'), 0, 'held');
      watched.watch(['all']);
      emit([visit('artist_tems')]); // any fresh event starts a flush at the flush interval
      // The hour group is not watched, so it stays held until the unwatched flush: read right after the captures
      // show, a held hour proves they went out with a fresh flush (the unwatched flush writes both at once).
      let hourHeld = false;
      await until(
        async () =>
          (await score('artists.captures', 'week', 'artist_burna')) === 2 &&
          ((hourHeld = (await score('artists.captures', 'hour', 'artist_burna')) === 0), true),
        10_000,
      );
      assert.equal(await score('artists.captures', 'week', 'artist_burna'), 2);
      assert.ok(hourHeld, 'written with the next flush after it was watched, before the unwatched flush');
      await until(async () => (await score('artists.captures', 'hour', 'artist_burna')) === 2, 2 * UNWATCHED_MS);
      assert.equal(await score('artists.captures', 'hour', 'artist_burna'), 2);
    });

    it('an explicit flush (and stop) writes everything held', async () => {
      await writeEverything();
      emit([capture('artist_asake')]);
      await sleep(3 * FLUSH_MS);
      assert.equal(await score('artists.captures', 'all', 'artist_asake'), 0);
      await feeder.flush();
      assert.equal(feeder.stats().pendingKeys, 0);
      for (const window of LEADERBOARD_WINDOWS) assert.equal(await score('artists.captures', window, 'artist_asake'), 1, window);
      emit([capture('artist_asake')]);
      await sleep(3 * FLUSH_MS);
      assert.ok(feeder.stats().pendingKeys > 0, 'held again');
      assert.equal(await feeder.stop(), 0, 'stop leaves nothing unwritten');
      for (const window of LEADERBOARD_WINDOWS) assert.equal(await score('artists.captures', window, 'artist_asake'), 2, window);
    });

    it('a failed flush puts each amount back where it came from: no bucket counts an event twice', async () => {
      watched.watch(['hour']);
      await writeEverything();
      counted.failNext(2);
      emit([visit('artist_rema'), visit('artist_rema'), visit('artist_rema')]);
      await sleep(10 * FLUSH_MS);
      emit([visit('artist_rema')]);
      await until(() => feeder.stats().failedFlushes >= 2 && feeder.stats().pendingKeys === 0, 4 * UNWATCHED_MS);
      await feeder.flush();
      assert.ok(feeder.stats().failedFlushes >= 2, 'the store failed twice');
      for (const window of LEADERBOARD_WINDOWS) assert.equal(await score('artists.visits', window, 'artist_rema'), 4, window);
    });

    it('with nothing watched a burst costs one write of every bucket per unwatched interval, not one per flush interval', async () => {
      await writeEverything();
      counted.writes.length = 0;
      const started = Date.now();
      let events = 0;
      while (Date.now() - started < 2.5 * UNWATCHED_MS) {
        emit([visit('artist_davido')]);
        events++;
        await sleep(FLUSH_MS / 2);
      }
      await feeder.flush();
      const writes = counted.writes.length;
      assert.ok(writes >= 2 && writes <= 4, `${writes} writes in ${2.5 * UNWATCHED_MS} ms of events every ${FLUSH_MS / 2} ms`);
      for (const window of LEADERBOARD_WINDOWS) assert.equal(await score('artists.visits', window, 'artist_davido'), events, window);
      const p50 = [...lags].sort((a, b) => a - b)[Math.floor(lags.length / 2)];
      assert.ok(p50 >= UNWATCHED_MS / 4, `a held batch's lag ends at the unwatched flush (p50 ${p50} ms)`);
    });
  });
}
