/** The feeder's tuning, options and stats (LeaderboardFeeder.ts does the work). */
import type { Logger } from 'pino';
import type { PassportEvent } from '../../systems/passport/events.js';
import type { LeaderboardStore } from './LeaderboardStore.js';
import type { LeaderboardLookups } from '../../persistence/leaderboard/lookups.js';
import type { WatchedLeaderboards } from './WatchedLeaderboards.js';

export interface FeederTuning {
  /** Least time between flush starts; under steady load the oldest pending increment waits about this long. */
  flushIntervalMs: number;
  /** Least time between flushes that write the buckets nobody watches (≥ flushIntervalMs; equal: no holding back). */
  unwatchedFlushMs: number;
  /** Bound on distinct pending (leaderboard, entity) keys plus users awaiting a city. */
  maxPendingKeys: number;
  /** Keys per `incrementMany`; reaching it starts a flush at once. */
  maxBatchKeys: number;
  /** Entries in each lookup cache (user → city, artist → name). */
  lookupCacheSize: number;
  /** How long a looked-up city is trusted. */
  cityTtlMs: number;
  /** Retry delay cap after a failed flush. */
  maxRetryDelayMs: number;
}

export interface LeaderboardFeederOptions extends FeederTuning {
  store: LeaderboardStore;
  log: Logger;
  lookups?: LeaderboardLookups;
  now?: () => number;
  /** Called with each sampled lag (ms, receivedAt → store updated), e.g. a metrics histogram. */
  observeLag?: (ms: number) => void;
  /** What spectators watch; without it every flush writes every bucket. */
  watched?: Pick<WatchedLeaderboards, 'groupsOf'>;
}

export interface LeaderboardFeederStats {
  pendingKeys: number;
  pendingCityUsers: number;
  /** Keys held back from bucket groups nobody watches (per group). */
  unwatchedKeys: number;
  /** Events seen. */
  events: number;
  /** Increments written (after coalescing). */
  written: number;
  /** Increments dropped because the pending map was full, or refused by the store as invalid. */
  dropped: number;
  flushes: number;
  failedFlushes: number;
  lastFlushKeys: number;
  lastFlushMs: number | null;
  /** receivedAt → store updated (the watched buckets, or every bucket for a batch with nothing watched), over the last 2,048 sampled events. */
  lagMsP50: number | null;
  lagMsP95: number | null;
  lagMsMax: number | null;
  lastError: string | null;
}

/** The part of the PassportWriter the feeder needs. */
export interface CommittedEventSource {
  onCommitted(listener: (events: readonly PassportEvent[]) => void): () => void;
}
