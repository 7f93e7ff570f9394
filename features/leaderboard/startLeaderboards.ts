/**
 * The leaderboard pipeline in one place:
 *
 *   PassportWriter ──onCommitted──▶ LeaderboardFeeder ──incrementMany──▶ LeaderboardStore (Local | Redis)
 *                                         │ onWritten (leaderboards)           │ reads (per tick)
 *                                         ▼                                    │
 *                                    LeaderboardChanges ──changed──▶ LeaderboardBroadcaster ──ticks──▶ coliseum rooms
 *                          (Local | Redis pub/sub: other processes' flushes too)
 *
 * The broadcaster tells WatchedLeaderboards (Local | Redis pub/sub) what its rooms show; the feeder writes
 * those buckets every flush and the others every LEADERBOARD_UNWATCHED_FLUSH_MS.
 *
 * A Local store is first rebuilt from the durable rollups (a Redis store keeps its own state), then the
 * feeder attaches to the writer. Rooms subscribe to the broadcaster; HTTP routes read the store.
 */
import type { Logger } from 'pino';
import type { LeaderboardStore } from './LeaderboardStore.js';
import type { LeaderboardLookups } from '../../persistence/leaderboard/lookups.js';
import type { RollupReads } from '../../persistence/leaderboard/rollupReads.js';
import type { LeaderboardChanges } from './LeaderboardChanges.js';
import type { WatchedLeaderboards } from './WatchedLeaderboards.js';
import type { ResetBaselineSource } from '../../persistence/leaderboard/LeaderboardResetLog.js';
import { LeaderboardFeeder, type CommittedEventSource, type FeederTuning } from './LeaderboardFeeder.js';
import { LeaderboardBroadcaster, type BroadcasterTuning, type LeaderboardBroadcasterOptions } from './LeaderboardBroadcaster.js';
import type { LiveCounts } from './LeaderboardReader.js';
import { restoreLeaderboardsFromRollups } from './restoreFromRollups.js';

export interface StartLeaderboardsOptions {
  /** Where newly committed passport events come from (the PassportWriter). */
  writer: CommittedEventSource;
  store: LeaderboardStore;
  log: Logger;
  /** The broadcaster's pace (config group `coliseum`). */
  coliseum: BroadcasterTuning;
  /** The feeder's pace and bounds (config group `leaderboard`). */
  feeder: FeederTuning;
  /** How flushes reach the broadcasters of every process (the backplane's `lb:changed` channel). */
  changes: LeaderboardChanges;
  /** Durable rollups to rebuild a Local store from before the feeder attaches, at most `limitPerBucket` entities per board bucket; without it a Local store starts empty. */
  rollups?: { reads: RollupReads; limitPerBucket: number };
  /**
   * Brings the rollups up to every event committed so far, before a Local store is rebuilt from them. The last
   * process stopped its rollups before its final passport drain (and a crash leaves the rollups a poll behind), so
   * without it those events were missing from the rebuilt boards until the next restart: the live feeder never sees
   * them again. The caller starts the rollups' own polling only after this resolves.
   */
  catchUpRollups?: () => Promise<number>;
  /** Operator resets to honour when rebuilding a Local store (persistence/leaderboard/LeaderboardResetLog.ts). */
  resets?: ResetBaselineSource;
  /** Cities and artist names the events do not carry. */
  lookups?: LeaderboardLookups;
  /** Artwork for the rows the broadcaster hands the coliseum (./BoardArtwork.ts); without it rows have none. */
  artwork?: LeaderboardBroadcasterOptions['artwork'];
  /** Live counts for the KPI tiles (active sessions, spectators). */
  liveCounts?: () => Promise<LiveCounts>;
  /** Receives the feeder's lag (receivedAt → store updated), in seconds. */
  metrics?: { observeLeaderboardLag(seconds: number): void };
  /** What spectators watch (Local | Redis): the broadcaster tells it, the feeder writes those buckets first. Without it every flush writes every bucket. */
  watched?: WatchedLeaderboards;
  now?: () => number;
}

/** The running pipeline: what rooms (broadcaster) and routes (store) need, and how to stop it. */
export interface Leaderboards {
  store: LeaderboardStore;
  feeder: LeaderboardFeeder;
  broadcaster: LeaderboardBroadcaster;
  /** Stops the broadcaster, then detaches the feeder after a last flush. The store stays open: its owner closes it. */
  stop(): Promise<void>;
}

/** Composes writer → feeder → store → broadcaster and starts it. Call once, at boot. */
export async function startLeaderboards(options: StartLeaderboardsOptions): Promise<Leaderboards> {
  const { store, log, metrics } = options;
  const now = options.now ?? Date.now;
  if (store.kind === 'local' && options.rollups) {
    const started = performance.now();
    const caughtUp = options.catchUpRollups ? await options.catchUpRollups() : 0;
    // Restore sets absolute values: it must run before live increments arrive.
    const restored = await restoreLeaderboardsFromRollups(options.rollups.reads, store, now(), {
      limitPerBucket: options.rollups.limitPerBucket,
      resets: options.resets,
    });
    log.info({ restored, rollupRowsCaughtUp: caughtUp, ms: Math.round(performance.now() - started) }, 'leaderboards rebuilt from rollups');
  }
  const feeder = new LeaderboardFeeder({
    ...options.feeder,
    store,
    log: log.child({ component: 'leaderboard-feeder' }),
    lookups: options.lookups,
    watched: options.watched,
    now,
    observeLag: metrics ? (ms) => metrics.observeLeaderboardLag(ms / 1000) : undefined,
  });
  const broadcaster = new LeaderboardBroadcaster({
    store,
    log: log.child({ component: 'leaderboard-broadcaster' }),
    ...options.coliseum,
    liveCounts: options.liveCounts,
    watched: options.watched,
    artwork: options.artwork,
    now,
  });
  const { changes } = options;
  const unhear = changes.onChanged((leaderboards) => broadcaster.changed(leaderboards));
  const unwritten = feeder.onWritten((leaderboards) => changes.publish(leaderboards));
  feeder.attach(options.writer);
  return {
    store,
    feeder,
    broadcaster,
    stop: async () => {
      try {
        unhear();
        await broadcaster.stop();
      } finally {
        await feeder.stop();
        unwritten();
      }
    },
  };
}
