import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { redisUrl } from '../../support/postgres.js';
import { makeEvent, type EventType, type PassportEvent, type PayloadOf } from '../../../systems/passport/index.js';
import { PartialIncrementError, type LeaderboardIncrement, type LeaderboardStore, type LeaderboardWindow } from '../../../systems/leaderboard/windows.js';
import { LocalLeaderboardStore } from '../../../persistence/leaderboard/LocalLeaderboardStore.js';
import { RedisLeaderboardStore } from '../../../persistence/leaderboard/RedisLeaderboardStore.js';
import { BoardNames, LeaderboardFeeder, type CommittedEventSource } from '../../../features/leaderboard/LeaderboardFeeder.js';
import { LeaderboardBroadcaster, keyOf } from '../../../features/leaderboard/LeaderboardBroadcaster.js';
import { readLeaderboard, readKpis } from '../../../features/leaderboard/boards.js';
import { sqlLeaderboardLookups } from '../../../persistence/leaderboard/boardTables.js';
import { sqlRollupReads } from '../../../persistence/leaderboard/rollups.js';
import { namedReads, restoreLeaderboardsFromRollups, startLeaderboards } from '../../../features/leaderboard/boards.js';
import { LeaderboardChanges } from '../../../features/leaderboard/LeaderboardChanges.js';
import { ignoreErrors, localBackplane } from '../../support/backplanes.js';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { CursorProcessor } from '../../../features/passport/CursorProcessor.js';
import { leaderboardRollups } from '../../../persistence/leaderboard/rollups.js';
import { CatalogRepository } from '../../../persistence/catalog/CatalogRepository.js';
import { KPI_TILES, STATIC_LEADERBOARDS, leaderboardDefinition } from '../../../systems/leaderboard/leaderboards.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';
import { writerOptions } from '../../support/config.js';
import { defaults } from '../../support/config.js';
import { allowingForLoad } from '../../support/time.js';

/** One increment (hour, day and all-time buckets) through the store's batch call. */
const increment = (store: Pick<LeaderboardStore, 'incrementMany'>, leaderboard: string, entityId: string, by: number, nowMs: number, name?: string) =>
  store.incrementMany([{ leaderboard, entityId, by, ...(name === undefined ? {} : { name }) }], nowMs);
/** An entity's standing in a window (null when unranked): the one-row page around it. */
async function rankOf(store: Pick<LeaderboardStore, 'around'>, leaderboard: string, window: LeaderboardWindow, entityId: string, nowMs: number) {
  const [row] = await store.around(leaderboard, window, entityId, 0, nowMs);
  return row ? { rank: row.rank, score: row.score } : null;
}

const silent = pino({ level: 'silent' });
const RUN_PREFIX = `test:feeder:${process.pid}:${randomUUID().slice(0, 8)}:`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits for `done`, at most `timeoutMs` (generous: a loaded box delays timers, never the order of events). */
async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await sleep(5);
}

function ev<T extends EventType>(type: T, payload: PayloadOf<T>, userId: string | null = randomUUID(), nowMs = Date.now()): PassportEvent {
  return makeEvent(type, { payload }, { userId, sessionId: 's-1', deviceId: 'd-1', source: 'room' }, nowMs, randomUUID) as PassportEvent;
}
const visit = (artistId: string, artistName?: string, userId?: string | null) =>
  ev('station.visited', { artistId, ...(artistName ? { artistName } : {}), frequency: 99.9, method: 'swipe' } as PayloadOf<'station.visited'>, userId);

/** A store wrapper that counts writes and can hold or fail them. */
function instrumented(inner: LeaderboardStore) {
  const calls: LeaderboardIncrement[][] = [];
  const startedAt: number[] = []; // when each write reached the store (performance.now(), the feeder's clock)
  let gate: Promise<void> | null = null;
  let release = () => {};
  let failNext = 0;
  let partialNext = 0;
  const store: LeaderboardStore = Object.assign(Object.create(inner) as LeaderboardStore, {
    incrementMany: async (items: readonly LeaderboardIncrement[], nowMs: number) => {
      startedAt.push(performance.now());
      if (gate) await gate;
      if (failNext > 0) {
        failNext--;
        throw new Error('store unavailable (test)');
      }
      if (partialNext > 0) {
        // The first leaderboard's part is written, the others' transactions fail (a store writing one per slot).
        partialNext--;
        const first = items[0]!.leaderboard;
        const written = items.filter((i) => i.leaderboard === first);
        calls.push(written);
        await inner.incrementMany(written, nowMs);
        throw new PartialIncrementError([first], new Error('store unavailable for the others (test)'));
      }
      calls.push([...items]);
      return inner.incrementMany(items, nowMs);
    },
  });
  return {
    store,
    calls,
    startedAt,
    hold: () => (gate = new Promise<void>((r) => (release = () => ((gate = null), r())))),
    release: () => release(),
    failNext: (n: number) => (failNext = n),
    partialNext: (n: number) => (partialNext = n),
  };
}

/** The writer's onCommitted contract without a writer. */
function fakeSource() {
  const listeners = new Set<(events: readonly PassportEvent[]) => void>();
  const source: CommittedEventSource = { onCommitted: (l) => (listeners.add(l), () => listeners.delete(l)) };
  return { source, emit: (events: PassportEvent[]) => listeners.forEach((l) => l(events)) };
}

let redis: Redis;
let prefixes = 0;
const stores: Array<[string, () => LeaderboardStore]> = [
  ['local', () => new LocalLeaderboardStore()],
  ['redis', () => new RedisLeaderboardStore({ redis, prefix: `${RUN_PREFIX}${prefixes++}:`, unionCacheMs: 0 })],
];

before(async () => {
  redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
});
after(async () => {
  await deleteKeysWithPrefix(redis, RUN_PREFIX);
  await redis.quit();
});

for (const [label, factory] of stores) {
  describe(`LeaderboardFeeder → ${label} store`, function () {
    this.timeout(20_000);
    let base: LeaderboardStore;
    const feeders: LeaderboardFeeder[] = [];
    const feeder = (options: Partial<ConstructorParameters<typeof LeaderboardFeeder>[0]> & { store: LeaderboardStore }) => {
      const f = new LeaderboardFeeder({ ...defaults.leaderboard, log: silent, ...options });
      feeders.push(f);
      return f;
    };
    beforeEach(() => {
      base = factory();
    });
    afterEach(async () => {
      for (const f of feeders.splice(0)) await f.stop(100);
      await base.close();
    });

    it('turns an accepted batch into ONE incrementMany within the flush interval, coalesced per (leaderboard, entity)', async () => {
      const s = instrumented(base);
      const { source, emit } = fakeSource();
      const observed: number[] = [];
      const f = feeder({ store: s.store, flushIntervalMs: 20, observeLag: (ms) => observed.push(ms) }).attach(source);
      emit([
        visit('artist_wizkid', 'Wizkid'),
        visit('artist_wizkid'),
        visit('artist_tems', 'Tems'),
        ev('orb.tapped', { fromArtistId: 'artist_wizkid', toArtistId: 'artist_tems' }),
      ]);
      await sleep(120);
      assert.equal(s.calls.length, 1, 'one write for the batch');
      const written = s.calls[0];
      assert.equal(written.filter((i) => i.leaderboard === 'artists.visits' && i.entityId === 'artist_wizkid').length, 1, 'coalesced');
      const now = Date.now();
      const top = await base.top('artists.visits', 'day', 10, now);
      assert.deepEqual(
        top.map((e) => [e.entityId, e.name, e.score]),
        [
          ['artist_wizkid', 'Wizkid', 2],
          ['artist_tems', 'Tems', 1],
        ],
      );
      const [transition] = await base.top('orbs.transitions', 'day', 10, now);
      assert.deepEqual([transition.entityId, transition.name], ['artist_wizkid>artist_tems', 'Wizkid → Tems'], 'transition named from names the feed taught');
      const stats = f.stats();
      assert.equal(stats.events, 4);
      assert.equal(stats.pendingKeys, 0);
      assert.equal(observed.length, 4, 'every event of the batch reaches the lag observer (the /metrics histogram)');
      assert.ok(
        observed.every((ms) => ms >= 0 && ms < allowingForLoad(1000)),
        `lags ${observed.join(', ')}`,
      );
    });

    it('spaces flushes flushIntervalMs apart under steady load, and flushes the first increment after a quiet spell within 50 ms', async () => {
      const s = instrumented(base);
      const flushes: number[] = [];
      const f = feeder({ store: s.store, flushIntervalMs: 200, onWritten: () => flushes.push(Date.now()) });
      const t0 = Date.now();
      f.accept([visit('quiet')]);
      while (flushes.length < 1 && Date.now() - t0 < 2000) await sleep(2);
      assert.ok(flushes[0] - t0 < 150, `first flush after ${flushes[0] - t0} ms`);
      // 1 s of an event every 10 ms: about 1000 / 200 flushes, each ≥ 200 ms after the previous one started.
      const busySince = Date.now();
      for (let i = 0; i < 100; i++) {
        f.accept([visit(`busy_${i % 7}`)]);
        await sleep(10);
      }
      // On a loaded box the 100 sleeps take longer than 1 s; the bound follows the time the events really took.
      const busyMs = Date.now() - busySince;
      await f.flush();
      // The spacing is between flush starts: a write's own duration (long on a busy box) is not part of it. A write
      // reaches the store after its flush's name lookups, whose time varies on a busy box: a slow lookup in one flush
      // shortens the next gap by as much, so a gap allows that jitter and the mean gap does not.
      const starts = s.startedAt.slice(1, -1);
      const gaps = starts.slice(1).map((t, i) => Math.round(t - starts[i]));
      const meanGap = (starts.at(-1)! - starts[0]!) / gaps.length;
      assert.ok(gaps.length >= 3 && gaps.every((g) => g >= 200 - allowingForLoad(8)), `flush start gaps ${gaps.join(', ')} ms`);
      assert.ok(meanGap >= 195, `mean flush start gap ${meanGap} ms (gaps ${gaps.join(', ')})`);
      assert.ok(s.calls.length <= Math.floor(busyMs / 200) + 4, `${s.calls.length} writes for ${busyMs} ms of steady events`);
      const busy = await base.top('artists.visits', 'day', 10, Date.now());
      assert.equal(
        busy.filter((e) => e.entityId.startsWith('busy_')).reduce((n, e) => n + e.score, 0),
        100,
        'every increment written',
      );
    });

    it('stays bounded while the store is stuck: known keys merge, new keys beyond the cap are dropped and counted', async () => {
      const s = instrumented(base);
      const f = feeder({ store: s.store, flushIntervalMs: 5, maxPendingKeys: 20, maxBatchKeys: 1000 });
      s.hold();
      f.accept([visit('first')]);
      await sleep(30); // the first flush is now stuck in the store
      for (let i = 0; i < 200; i++) f.accept([visit(`artist_${i % 50}`), visit('artist_0')]);
      const stats = f.stats();
      assert.ok(stats.pendingKeys + stats.pendingCityUsers <= 20, `pending bounded (${stats.pendingKeys})`);
      assert.ok(stats.dropped > 0, 'drops are counted, not silent');
      s.release();
      await f.flush();
      await f.flush();
      const artist0 = await rankOf(base, 'artists.visits', 'day', 'artist_0', Date.now());
      assert.equal(artist0?.score, 200 + 4, 'a key already pending keeps every increment');
    });

    it('retries a failed write with everything it held, then applies it exactly once', async () => {
      const s = instrumented(base);
      const f = feeder({ store: s.store, flushIntervalMs: 5, maxRetryDelayMs: 20 });
      s.failNext(2);
      f.accept([visit('a1'), visit('a1'), visit('a2')]);
      const deadline = Date.now() + 3000;
      while (f.stats().failedFlushes < 2 || f.stats().pendingKeys > 0) {
        if (Date.now() > deadline) assert.fail(`not retried: ${JSON.stringify(f.stats())}`);
        await sleep(10);
      }
      await f.flush();
      const top = await base.top('artists.visits', 'day', 10, Date.now());
      assert.deepEqual(
        top.map((e) => [e.entityId, e.score]),
        [
          ['a1', 2],
          ['a2', 1],
        ],
      );
      assert.equal(f.stats().failedFlushes, 2);
    });

    it('a write that failed for some leaderboards only retries those: each is applied exactly once', async () => {
      const s = instrumented(base);
      const f = feeder({ store: s.store, flushIntervalMs: 5, maxRetryDelayMs: 20 });
      s.partialNext(1);
      f.accept([visit('p1', 'P One'), visit('p1'), visit('p2')]);
      const deadline = Date.now() + 3000;
      while (f.stats().failedFlushes < 1 || f.stats().pendingKeys > 0) {
        if (Date.now() > deadline) assert.fail(`not retried: ${JSON.stringify(f.stats())}`);
        await sleep(10);
      }
      await f.flush();
      const boards = new Set(s.calls.flat().map((i) => i.leaderboard));
      assert.ok(boards.size >= 2, `a visit counts on several leaderboards: ${[...boards]}`);
      const [first] = s.calls[0]!.map((i) => i.leaderboard);
      assert.ok(
        !s.calls
          .slice(1)
          .flat()
          .some((i) => i.leaderboard === first),
        'the leaderboard written before the failure was not written again',
      );
      const top = await base.top('artists.visits', 'day', 10, Date.now());
      assert.deepEqual(
        top.map((e) => [e.entityId, e.score]),
        [
          ['p1', 2],
          ['p2', 1],
        ],
      );
    });

    it('a failed city lookup keeps the batch: its increments are retried and applied exactly once', async () => {
      let lookups = 0;
      const citiesOf = async (ids: readonly string[]) => {
        if (++lookups === 1) throw new Error('database unavailable (test)');
        return new Map(ids.map((id) => [id, 'Lagos']));
      };
      const f = feeder({ store: base, flushIntervalMs: 5, maxRetryDelayMs: 20, lookups: { citiesOf } });
      f.accept([visit('c1'), visit('c1'), visit('c2')]);
      const deadline = Date.now() + 3000;
      while (f.stats().failedFlushes < 1 || f.stats().pendingKeys > 0 || f.stats().pendingCityUsers > 0) {
        if (Date.now() > deadline) assert.fail(`not retried: ${JSON.stringify(f.stats())}`);
        await sleep(10);
      }
      await f.flush();
      const scores = async (leaderboard: string) => (await base.top(leaderboard, 'day', 10, Date.now())).map((e) => [e.entityId, e.score]);
      assert.deepEqual(await scores('artists.visits'), [
        ['c1', 2],
        ['c2', 1],
      ]);
      assert.deepEqual(await scores('cities.engagement'), [['Lagos', 3]]);
      assert.equal(lookups, 2);
    });

    it('a city that arrives while a flush looks up others is flushed later, with a timer Node accepts', async () => {
      const overflows: string[] = [];
      const onWarning = (w: Error) => w.name === 'TimeoutOverflowWarning' && overflows.push(w.message);
      process.on('warning', onWarning);
      let release = () => {};
      const held = new Promise<void>((r) => (release = r));
      let lookups = 0;
      const citiesOf = async (ids: readonly string[]) => {
        if (++lookups === 1) await held;
        return new Map(ids.map((id) => [id, 'Lagos']));
      };
      try {
        const f = feeder({ store: base, flushIntervalMs: 5, lookups: { citiesOf } });
        f.accept([visit('first', undefined, randomUUID())]);
        while (lookups === 0) await sleep(2);
        f.accept([visit('during', undefined, randomUUID())]); // pending while the first lookup is out
        release();
        const deadline = Date.now() + allowingForLoad(3000);
        while (f.stats().pendingKeys > 0 || f.stats().pendingCityUsers > 0) {
          if (Date.now() > deadline) assert.fail(`not flushed: ${JSON.stringify(f.stats())}`);
          await sleep(10);
        }
        const top = await base.top('cities.engagement', 'day', 10, Date.now());
        assert.deepEqual(
          top.map((e) => [e.entityId, e.score]),
          [['Lagos', 2]],
        );
        await sleep(20); // a warning is emitted on the next tick
        assert.deepEqual(overflows, [], 'no timer was armed for Infinity');
      } finally {
        process.off('warning', onWarning);
      }
    });

    it('broadcaster: one read per (leaderboard, window) per tick however many subscribers; unchanged leaderboards are not flagged', async () => {
      let tops = 0;
      const counting: LeaderboardStore = Object.assign(Object.create(base) as LeaderboardStore, {
        top: (...args: Parameters<LeaderboardStore['top']>) => (tops++, base.top(...args)),
      });
      await base.incrementMany([{ leaderboard: 'artists.visits', entityId: 'x', by: 3, name: 'X' }], Date.now());
      const b = new LeaderboardBroadcaster({ ...defaults.coliseum, store: counting, log: silent, throttleMs: 60_000 });
      const ticks: number[] = [];
      const keys = [{ leaderboard: 'artists.visits', window: 'day' as const }];
      for (let i = 0; i < 500; i++) b.subscribe(keys, 10, () => ticks.push(i));
      tops = 0;
      const first = await b.tickNow();
      assert.equal(ticks.length, 500, 'every subscriber got the tick');
      assert.equal(tops, 2, 'one leaderboard read for 500 subscribers, plus one KPI read');
      assert.ok(first.changed.has(keyOf('artists.visits', 'day')));
      assert.equal(first.leaderboards.get(keyOf('artists.visits', 'day'))?.rows[0].entityId, 'x');
      const second = await b.tickNow();
      assert.equal(second.changed.size, 0, 'nothing changed: nothing flagged');
      await increment(base, 'artists.visits', 'y', 5, Date.now());
      const third = await b.tickNow();
      assert.deepEqual(
        third.leaderboards.get(keyOf('artists.visits', 'day'))?.rows.map((r) => [r.entityId, r.rank, r.trend]),
        [
          ['y', 1, 'new'],
          ['x', 2, 'new'],
        ],
      );
      await b.stop();
    });

    it('broadcaster: a flush shows after the coalescing window, and a stream of flushes ticks at most once per throttle', async () => {
      const b = new LeaderboardBroadcaster({ ...defaults.coliseum, store: base, log: silent, throttleMs: 300, coalesceMs: 30, refreshMs: 60_000 });
      // Monotonic times the broadcaster itself keeps (tick starts) and the feeder's writes: the throttle and
      // the coalescing window are about when ticks START, which a loaded box cannot shift; delivery can lag.
      let lastWrittenAt = 0;
      const f = feeder({
        store: base,
        flushIntervalMs: 5,
        onWritten: (leaderboards) => {
          lastWrittenAt = performance.now();
          b.changed(leaderboards);
        },
      });
      const seen: Array<{ startedAt: number; score: number }> = [];
      const sub = b.subscribe([{ leaderboard: 'artists.visits', window: 'day' }], 10, (tick) => {
        const row = tick.leaderboards.get(keyOf('artists.visits', 'day'))?.rows.find((r) => r.entityId === 'poked');
        if (tick.changed.size > 0 && row) seen.push({ startedAt: tick.startedAt, score: row.score });
      });
      f.accept([visit('poked')]);
      await until(() => seen.length > 0, 10_000);
      const firstWrite = lastWrittenAt;
      assert.ok(
        seen[0].startedAt - firstWrite >= 30 - 2,
        `a quiet coliseum ticks after the coalescing window: ${Math.round(seen[0].startedAt - firstWrite)} ms after the write`,
      );
      assert.equal(b.stats().changeTicks, 1, 'the write drove that tick (the refresh is a minute away)');
      // 1 s of flushes every ~10 ms: ticks start ≥ 300 ms apart (a timer may fire a millisecond early).
      for (let i = 0; i < 100; i++) {
        f.accept([visit('poked')]);
        await sleep(10);
      }
      await until(() => seen.at(-1)!.score >= 101, 10_000);
      const gaps = seen.slice(1).map((s, i) => s.startedAt - seen[i].startedAt);
      assert.ok(
        gaps.every((g) => g >= 300 - 2),
        `at most one tick per throttle: gaps ${gaps.map(Math.round).join(', ')} ms`,
      );
      assert.equal(seen.at(-1)!.score, 101, 'every write shown');
      // The write is never held back: the first tick that started after the last write shows it.
      const after = seen.find((s) => s.startedAt >= lastWrittenAt);
      assert.equal(after?.score, 101, 'the first tick after the last write shows it');
      assert.ok(b.stats().changeTicks >= seen.length, 'write-driven ticks are counted');
      sub.unsubscribe();
      await b.stop();
    });

    it('broadcaster: a change tick re-reads only the written leaderboards; the KPI tiles only when their counters moved', async () => {
      const reads: string[] = [];
      const counting: LeaderboardStore = Object.assign(Object.create(base) as LeaderboardStore, {
        top: (...args: Parameters<LeaderboardStore['top']>) => (reads.push(args[0]), base.top(...args)),
      });
      let liveReads = 0;
      const b = new LeaderboardBroadcaster({
        ...defaults.coliseum,
        store: counting,
        log: silent,
        throttleMs: 20,
        coalesceMs: 10,
        refreshMs: 60_000,
        liveCounts: async () => (liveReads++, { activeSessions: 3, spectators: 1 }),
      });
      const ticks: number[] = [];
      const keys = [
        { leaderboard: 'artists.visits', window: 'day' as const },
        { leaderboard: 'artists.trending', window: 'day' as const },
        { leaderboard: 'cities.engagement', window: 'day' as const },
      ];
      await b.prime(keys, 10);
      b.subscribe(keys, 10, () => ticks.push(Date.now()));
      assert.equal(liveReads, 1, 'live counts read once when primed');
      reads.length = 0;
      await increment(base, 'cities.engagement', 'Lagos', 1, Date.now());
      b.changed(['cities.engagement']);
      while (ticks.length < 1) await sleep(5);
      assert.deepEqual(reads, ['cities.engagement'], 'only the written leaderboard is read');
      reads.length = 0;
      await increment(base, 'artists.visits', 'x', 1, Date.now());
      b.changed(['artists.visits', 'kpi.totals']);
      while (ticks.length < 2) await sleep(5);
      assert.deepEqual(
        reads.sort(),
        ['artists.visits', 'artists.visits', 'kpi.totals'],
        'a written base re-reads its trending leaderboard too, and the KPI tiles',
      );
      assert.equal(liveReads, 1, 'change ticks reuse the last live counts');
      await b.stop();
    });

    it('broadcaster: a window no subscriber shows any more gets its KPI tiles back when shown again', async () => {
      const b = new LeaderboardBroadcaster({ ...defaults.coliseum, store: base, log: silent, refreshMs: 60_000 });
      const hour = [{ leaderboard: 'artists.visits', window: 'hour' as const }];
      await b.prime(hour, 10);
      b.subscribe(hour, 10, () => {}).unsubscribe();
      b.subscribe([{ leaderboard: 'artists.visits', window: 'day' as const }], 10, () => {});
      assert.equal((await b.tickNow()).kpis.has('hour'), false, 'the tick drops the tiles nobody shows');
      assert.equal((await b.prime(hour, 10)).kpis.get('hour')?.length, KPI_TILES.length, 'unchanged tiles are shown again');
      await b.stop();
    });

    it('broadcaster: change ticks reuse the previous-window standings (trend columns); a refresh tick reads them afresh', async () => {
      const previousReads: string[][] = [];
      const counting: LeaderboardStore = Object.assign(Object.create(base) as LeaderboardStore, {
        previousStandings: (...args: Parameters<LeaderboardStore['previousStandings']>) => (
          previousReads.push([args[0], ...args[2]]),
          base.previousStandings(...args)
        ),
      });
      const b = new LeaderboardBroadcaster({ ...defaults.coliseum, store: counting, log: silent, throttleMs: 10, coalesceMs: 5, refreshMs: 60_000 });
      const keys = [{ leaderboard: 'cities.engagement', window: 'day' as const }];
      let ticks = 0;
      b.subscribe(keys, 10, () => ticks++);
      await increment(base, 'cities.engagement', 'Lagos', 1, Date.now());
      await b.tickNow();
      const cities = () => previousReads.filter((r) => r[0] === 'cities.engagement');
      assert.deepEqual(cities(), [['cities.engagement', 'Lagos']], 'the refresh tick reads the trend baseline');
      previousReads.length = 0;
      await increment(base, 'cities.engagement', 'Lagos', 1, Date.now());
      b.changed(['cities.engagement']);
      while (ticks < 2) await sleep(5);
      assert.deepEqual(cities(), [], 'a change tick reuses it');
      await increment(base, 'cities.engagement', 'Accra', 5, Date.now());
      b.changed(['cities.engagement']);
      while (ticks < 3) await sleep(5);
      assert.deepEqual(cities(), [['cities.engagement', 'Accra']], 'only a new row is looked up');
      previousReads.length = 0;
      await b.tickNow();
      assert.deepEqual(cities(), [['cities.engagement', 'Accra', 'Lagos']], 'the next refresh reads every row afresh');
      await b.stop();
    });

    it('broadcaster: timed refresh ticks re-read the previous-window standings every previousRefreshMs, not every refreshMs', async () => {
      let previousReads = 0;
      const counting: LeaderboardStore = Object.assign(Object.create(base) as LeaderboardStore, {
        previousStandings: (...args: Parameters<LeaderboardStore['previousStandings']>) => (previousReads++, base.previousStandings(...args)),
      });
      await increment(base, 'artists.captures', 'artist_wizkid', 1, Date.now());
      const b = new LeaderboardBroadcaster({ ...defaults.coliseum, store: counting, log: silent, throttleMs: 10, refreshMs: 40, previousRefreshMs: 400 });
      let ticks = 0;
      b.subscribe([{ leaderboard: 'artists.captures', window: 'week' }], 10, () => ticks++);
      const started = Date.now();
      let refreshes = 0;
      const writes = setInterval(() => void increment(base, 'artists.captures', 'artist_wizkid', 1, Date.now()), 10);
      while (Date.now() - started < 1000) {
        await sleep(40);
        refreshes++;
      }
      clearInterval(writes);
      await b.stop();
      // The loop overruns its second on a busy box: the bound follows the time that really passed.
      const elapsed = Date.now() - started;
      assert.ok(ticks >= 10, `${ticks} ticks showed the moving board`);
      // One read of the board's previous standings, plus the KPI tiles' two, per previous refresh: 3 per 400 ms
      // (a re-read every refreshMs would be ~25 refreshes × 3).
      const perRefresh = 3;
      const most = (Math.floor(elapsed / 400) + 1) * perRefresh;
      assert.ok(
        previousReads >= perRefresh && previousReads <= most,
        `${previousReads} previous-standings reads in ${elapsed} ms, ~${refreshes} refresh periods of 40 ms (every 400 ms: at most ${most})`,
      );
    });

    it('broadcaster: a refresh tick every refreshMs reads the live counts, without any write', async () => {
      let liveReads = 0;
      const b = new LeaderboardBroadcaster({
        ...defaults.coliseum,
        store: base,
        log: silent,
        throttleMs: 20,
        refreshMs: 150,
        liveCounts: async () => ({ activeSessions: ++liveReads, spectators: 0 }),
      });
      const kpis: number[] = [];
      b.subscribe([{ leaderboard: 'artists.visits', window: 'day' }], 10, (tick) =>
        kpis.push((tick.kpis.get('day') ?? []).find((k) => k.key === 'activeSessions')?.value ?? -1),
      );
      // Counted against the time that really passed: a busy box delays ticks, never hastens them.
      const started = Date.now();
      while (liveReads < 3 && Date.now() - started < 10_000) await sleep(10);
      const [reads, elapsed] = [liveReads, Date.now() - started];
      await b.stop();
      assert.ok(reads >= 3, `${reads} refreshes in ${elapsed} ms at 150 ms`);
      assert.ok(reads <= Math.floor(elapsed / 150) + 1, `${reads} refreshes in ${elapsed} ms: more often than every 150 ms`);
      assert.deepEqual(
        kpis,
        kpis.map((_, i) => i + 1),
        'each refresh shows the new live count',
      );
    });
  });
}

describe('LeaderboardFeeder with a real PassportWriter, lookups and rollup restore (Postgres)', function () {
  this.timeout(60_000);
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase({ poolMax: 4 });
    await new CatalogRepository(db.orm).ensureDemoCatalog();
  });
  after(async () => {
    await db?.drop();
  });

  it("names an event's rows by its title when the event is created after its first attendance, before the flush", async () => {
    const live = new LocalLeaderboardStore();
    const feeder = new LeaderboardFeeder({
      ...defaults.leaderboard,
      store: live,
      log: silent,
      lookups: sqlLeaderboardLookups(db.sql),
      flushIntervalMs: 60_000,
    });
    // A first flush starts the spacing, so nothing flushes on its own until the test asks.
    feeder.accept([visit('artist_wizkid', 'Wizkid')]);
    await feeder.flush();
    feeder.accept([ev('concierto.event_attended', { eventId: 'ev-late' }), ev('concierto.event_attended', { eventId: 'ev-late' })]);
    await db.sql.query(`INSERT INTO concierto_events (id, title, starts_at, ends_at) VALUES ('ev-late', 'Late Night', now(), now() + interval '1 day')`);
    await feeder.flush();
    assert.deepEqual(
      (await live.top('events.attendance', 'day', 10, Date.now())).map((t) => [t.entityId, t.score, t.name]),
      [['ev-late', 2, 'Late Night']],
      'the title is looked up when the increments are written, not when the events are accepted',
    );
    await feeder.stop();
    await live.close();
  });

  it('asks again for an event title it did not find: an attendance counted after the event is created carries the title', async () => {
    const live = new LocalLeaderboardStore();
    const feeder = new LeaderboardFeeder({
      ...defaults.leaderboard,
      store: live,
      log: silent,
      lookups: sqlLeaderboardLookups(db.sql),
      flushIntervalMs: 60_000,
    });
    feeder.accept([ev('concierto.event_attended', { eventId: 'ev-later' })]);
    await feeder.flush(); // no such event yet: no title
    await db.sql.query(`INSERT INTO concierto_events (id, title, starts_at, ends_at) VALUES ('ev-later', 'Later Night', now(), now() + interval '1 day')`);
    feeder.accept([ev('concierto.event_attended', { eventId: 'ev-later' })]);
    await feeder.flush();
    assert.deepEqual(
      (await live.top('events.attendance', 'day', 10, Date.now())).map((t) => [t.entityId, t.score, t.name]),
      [['ev-later', 2, 'Later Night']],
    );
    await feeder.stop();
    await live.close();
  });

  it("shows an event's title on its board once the event is created, though nothing counts it again", async () => {
    // Not through a PassportWriter: the rollup test below restores every stored event.
    const running = await startLeaderboards({
      changes: new LeaderboardChanges(localBackplane(), ignoreErrors),
      writer: { onCommitted: () => () => undefined },
      store: new LocalLeaderboardStore(),
      log: silent,
      coliseum: { ...defaults.coliseum, throttleMs: 60_000 },
      feeder: defaults.leaderboard,
      lookups: sqlLeaderboardLookups(db.sql),
    });
    const board = leaderboardDefinition('events.attendance')!;
    const rows = async () => (await readLeaderboard(running.store, board, 'day', 10, Date.now())).map((r) => [r.entityId, r.score, r.name]);
    running.feeder.accept([ev('concierto.event_attended', { eventId: 'evt_ahead' }), ev('concierto.event_attended', { eventId: 'evt_ahead' })]);
    await running.feeder.flush();
    await db.sql.query(`INSERT INTO concierto_events (id, title, starts_at, ends_at) VALUES ('evt_ahead', 'Logged Ahead', now(), now() + interval '1 day')`);
    assert.deepEqual(await rows(), [['evt_ahead', 2, 'Logged Ahead']], 'the board reads the title, not the id');
    await running.stop();
  });

  it('live feed and a restore from the rollups agree (counters, names, track titles, cities, votes, KPIs)', async () => {
    const lagos = randomUUID();
    const nowhere = randomUUID();
    const now = Date.now();
    await db.sql.query(
      `INSERT INTO users (id, device_id, first_launch, city, created_at, last_seen_at) VALUES (?, ?, false, 'Lagos', ?, ?), (?, ?, false, NULL, ?, ?)`,
      [lagos, `dev-${lagos}`, new Date(now), new Date(now), nowhere, `dev-${nowhere}`, new Date(now), new Date(now)],
    );
    // A catalog track whose title does not name its artist, and one the catalog lacks.
    await db.sql.query(`INSERT INTO tracks (id, artist_id, title) VALUES ('t-essence', 'artist_wizkid', 'Essence')`);
    await db.sql.query(`INSERT INTO concierto_events (id, title, starts_at, ends_at) VALUES ('ev-1', 'Afrobeats Night', now(), now() + interval '1 day')`);
    const writer = new PassportWriter(db.sql, writerOptions({ flushIntervalMs: 10 }), silent);
    const live = new LocalLeaderboardStore();
    const feeder = new LeaderboardFeeder({
      ...defaults.leaderboard,
      store: live,
      log: silent,
      lookups: sqlLeaderboardLookups(db.sql),
      flushIntervalMs: 10,
    }).attach(writer);

    const events: PassportEvent[] = [
      ev('session.started', { frequency: 99.9 }, lagos),
      ev('station.locked', { frequency: 99.9, artistId: 'artist_wizkid' }, lagos),
      ev('station.visited', { artistId: 'artist_wizkid', frequency: 99.9, method: 'tune' }, lagos),
      ev('station.visited', { artistId: 'artist_burna_boy', frequency: 105.5, method: 'swipe' }, nowhere),
      ev('orb.tapped', { orbId: 'o1', fromArtistId: 'artist_wizkid', toArtistId: 'artist_fela_kuti' }, lagos),
      ev('constellation.captured', { artistId: 'artist_wizkid', position: { x: 0, y: 0, z: 0 } }, lagos),
      ev('concierto.vote_cast', { eventId: 'ev-1', voteFor: 'artist_tems', weight: 2 }, nowhere),
      ev('concierto.vote_cast', { eventId: 'ev-1', voteFor: 'artist_rema' }, lagos),
      ev('concierto.event_attended', { eventId: 'ev-1', city: 'Accra' }, nowhere),
      ev('player.track_played', { trackId: 't-essence', artistId: 'artist_wizkid' }, lagos),
      ev('player.track_played', { trackId: 't-essence', artistId: 'artist_wizkid' }, nowhere),
      ev('player.track_played', { trackId: 't-unknown' }, nowhere),
    ];
    writer.enqueue(events);
    await writer.drain();
    await feeder.flush();
    await sleep(30);
    await feeder.flush();

    const at = Date.now();
    const cities = await live.top('cities.engagement', 'day', 10, at);
    assert.deepEqual(
      cities.map((c) => [c.entityId, c.score]),
      [
        ['Lagos', 6],
        ['Accra', 1],
      ],
      'user city looked up in Postgres; payload city wins; session bookkeeping excluded',
    );
    const [transition] = await live.top('orbs.transitions', 'day', 1, at);
    assert.match(transition.name ?? '', /^Wizkid → /, 'transition named from the catalog lookup');
    assert.deepEqual(
      (await live.top('tracks.plays', 'day', 10, at)).map((t) => [t.entityId, t.score, t.name]),
      [
        ['t-essence', 2, 'Essence · Wizkid'],
        ['t-unknown', 1, null],
      ],
      "tracks named from the catalog's title and artist; a track it lacks keeps its id",
    );

    assert.deepEqual(
      (await live.top('votes.ev-1', 'day', 10, at)).map((t) => [t.entityId, t.name]),
      [
        ['artist_tems', 'Tems'],
        ['artist_rema', 'Rema'],
      ],
      'vote options that are artists show their names',
    );
    for (const board of ['events.votes', 'events.attendance', 'events.engagement'])
      assert.deepEqual(
        (await live.top(board, 'day', 10, at)).map((t) => [t.entityId, t.name]),
        [['ev-1', 'Afrobeats Night']],
        `${board} shows the event's title`,
      );

    const rollups = new CursorProcessor(db.sql, leaderboardRollups(), silent, { batchSize: 5000 });
    await rollups.catchUp();
    // Restored rows carry no names: the store startLeaderboards hands out names them as they are read.
    const restored = namedReads(new LocalLeaderboardStore(), new BoardNames(sqlLeaderboardLookups(db.sql), silent, 1000, 10_000));
    const summary = await restoreLeaderboardsFromRollups(sqlRollupReads(db.sql), restored, at, { limitPerBucket: 5000 });
    assert.ok(summary.entries > 0);

    for (const leaderboard of [...Object.values(STATIC_LEADERBOARDS).map((b) => b.name), 'votes.ev-1']) {
      for (const window of ['hour', 'day', 'week', '30d', 'all'] as const) {
        const def = leaderboardDefinition(leaderboard)!;
        const a = await readLeaderboard(live, def, window, 10, at);
        const b = await readLeaderboard(restored, def, window, 10, at);
        assert.deepEqual(b, a, `${leaderboard} ${window}: restored equals live`);
      }
    }
    assert.deepEqual(
      (await readKpis(restored, { activeSessions: 0, spectators: 0 }, at)).map((k) => [k.key, k.value]),
      (await readKpis(live, { activeSessions: 0, spectators: 0 }, at)).map((k) => [k.key, k.value]),
      'KPI tiles restored',
    );
    await feeder.stop();
    await writer.stop();
  });
});
