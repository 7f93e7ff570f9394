import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { makeEvent, type PassportEvent, type PayloadOf } from '../../../systems/passport/index.js';
import type { LeaderboardStore } from '../../../systems/leaderboard/windows.js';
import { LocalLeaderboardStore } from '../../../persistence/leaderboard/LocalLeaderboardStore.js';
import type { RollupReads, RollupRow } from '../../../persistence/leaderboard/rollups.js';
import type { CommittedEventSource } from '../../../features/leaderboard/LeaderboardFeeder.js';
import { keyOf, type BroadcastTick } from '../../../features/leaderboard/LeaderboardBroadcaster.js';
import { startLeaderboards, type Leaderboards } from '../../../features/leaderboard/boards.js';
import { LeaderboardChanges } from '../../../features/leaderboard/LeaderboardChanges.js';
import { ignoreErrors, localBackplane } from '../../support/backplanes.js';
import { defaults } from '../../support/config.js';

const silent = pino({ level: 'silent' });
const DAY = 86_400_000;

const visit = (artistId: string): PassportEvent =>
  makeEvent(
    'station.visited',
    { payload: { artistId, frequency: 99.9, method: 'swipe' } as PayloadOf<'station.visited'> },
    { userId: randomUUID(), sessionId: 's-1', deviceId: 'd-1', source: 'room' },
    Date.now(),
    randomUUID,
  ) as PassportEvent;

/** The writer's onCommitted contract without a writer; counts attached listeners. */
function fakeWriter() {
  const listeners = new Set<(events: readonly PassportEvent[]) => void>();
  const source: CommittedEventSource = { onCommitted: (l) => (listeners.add(l), () => listeners.delete(l)) };
  return { source, listeners, emit: (events: PassportEvent[]) => listeners.forEach((l) => l(events)) };
}

/** Rollups holding `score` visits of `artistId` today; counts the reads. */
function fakeRollups(artistId: string, score: number) {
  const calls = { topRows: 0 };
  const row: RollupRow = {
    entity_type: 'artist',
    entity_id: artistId,
    metric: 'station_visits',
    period: 'day',
    bucket_start: new Date(Math.floor(Date.now() / DAY) * DAY),
    value: score,
  };
  const reads: RollupReads = {
    topRows: async () => (calls.topRows++, [row]),
    kpiSums: async () => [],
    eventCounts: async () => [],
  };
  return { reads, calls };
}

async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('startLeaderboards: writer → feeder → store → broadcaster', () => {
  let running: Leaderboards | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('rebuilds a Local store from the rollups BEFORE live increments, which then add to it', async () => {
    const writer = fakeWriter();
    const rollups = fakeRollups('artist_a', 5);
    running = await startLeaderboards({
      changes: new LeaderboardChanges(localBackplane(), ignoreErrors),
      writer: writer.source,
      store: new LocalLeaderboardStore(),
      log: silent,
      coliseum: { ...defaults.coliseum, throttleMs: 60_000 },
      rollups: { reads: rollups.reads, limitPerBucket: 5000 },
      feeder: { ...defaults.leaderboard, flushIntervalMs: 5 },
      // The catalog: a restored row is named when it is read.
      lookups: { artistNames: async (ids) => new Map(ids.map((id) => [id, 'Artist A'])) },
    });
    assert.equal(rollups.calls.topRows, 1);
    assert.deepEqual(
      (await running.store.top('artists.visits', 'day', 10, Date.now())).map((e) => [e.entityId, e.score, e.name]),
      [['artist_a', 5, 'Artist A']],
    );
    writer.emit([visit('artist_a')]);
    const top = await until(
      () => running!.store.top('artists.visits', 'day', 10, Date.now()),
      (t) => t[0]?.score === 6,
    );
    assert.equal(top[0].score, 6, 'the live increment adds to the restored score');
  });

  it('does not restore a shared (Redis-kind) store: it keeps its own state', async () => {
    const rollups = fakeRollups('artist_a', 5);
    const shared = Object.assign(Object.create(new LocalLeaderboardStore()) as LeaderboardStore, { kind: 'redis' as const });
    running = await startLeaderboards({
      changes: new LeaderboardChanges(localBackplane(), ignoreErrors),
      writer: fakeWriter().source,
      store: shared,
      log: silent,
      feeder: defaults.leaderboard,
      coliseum: { ...defaults.coliseum, throttleMs: 60_000 },
      rollups: { reads: rollups.reads, limitPerBucket: 5000 },
    });
    assert.equal(rollups.calls.topRows, 0);
  });

  it('a flush reaches the broadcaster through BoardChanges: subscribers see the change without waiting for a refresh tick', async () => {
    const writer = fakeWriter();
    const lags: number[] = [];
    running = await startLeaderboards({
      changes: new LeaderboardChanges(localBackplane(), ignoreErrors),
      writer: writer.source,
      store: new LocalLeaderboardStore(),
      log: silent,
      coliseum: { ...defaults.coliseum, throttleMs: 60_000 },
      feeder: { ...defaults.leaderboard, flushIntervalMs: 5 },
      metrics: { observeLeaderboardLag: (s) => lags.push(s) },
    });
    const ticks: BroadcastTick[] = [];
    running.broadcaster.subscribe([{ leaderboard: 'artists.visits', window: 'day' }], 10, (tick) => ticks.push(tick));
    writer.emit([visit('artist_b')]);
    const seen = await until(
      () => ticks,
      (t) => t.some((tick) => tick.leaderboards.get(keyOf('artists.visits', 'day'))?.rows[0]?.entityId === 'artist_b'),
    );
    assert.ok(seen.length > 0, 'a tick within 3 s although the throttle is 60 s');
    assert.equal(lags.length, 1, 'the feeder lag reaches the metrics, in seconds');
    assert.ok(lags[0] >= 0 && lags[0] < 3, `lag ${lags[0]} s`);
  });

  it('stop() stops the broadcaster and detaches the feeder from the writer', async () => {
    const writer = fakeWriter();
    running = await startLeaderboards({
      changes: new LeaderboardChanges(localBackplane(), ignoreErrors),
      writer: writer.source,
      store: new LocalLeaderboardStore(),
      log: silent,
      feeder: defaults.leaderboard,
      coliseum: { ...defaults.coliseum, throttleMs: 60_000 },
    });
    running.broadcaster.subscribe([{ leaderboard: 'artists.visits', window: 'day' }], 10, () => undefined);
    assert.equal(writer.listeners.size, 1);
    await running.stop();
    assert.equal(writer.listeners.size, 0);
    assert.equal(running.broadcaster.stats().subscribers, 0);
    running = undefined;
  });
});
