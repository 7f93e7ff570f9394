/** The broadcaster's vocabulary: keys, snapshots, ticks and tuning (LeaderboardBroadcaster.ts does the work). */
import { AppError } from '../../systems/errors.js';
import type { Logger } from 'pino';
import type { LeaderboardWindow } from '../../systems/leaderboard/windows.js';
import type { KpiTileValue, LiveCounts, TrendedEntry } from './LeaderboardReader.js';
import type { LeaderboardStore } from './LeaderboardStore.js';
import type { WatchedLeaderboards } from './WatchedLeaderboards.js';

export interface LeaderboardKey {
  leaderboard: string;
  window: LeaderboardWindow;
}

/** A row as the jumbotron shows it: the board's row and, when the catalog has one, its artwork URL. */
export type BoardRow = TrendedEntry & { image?: string };

export interface LeaderboardSnapshot extends LeaderboardKey {
  title: string;
  /** Rows at the largest limit any subscriber asked for; slice to yours. */
  rows: BoardRow[];
  /** Increments whenever the rows change. */
  version: number;
  computedAt: number;
}

export interface BroadcastTick {
  at: number;
  /** When the tick started (performance.now, ms): the throttle spaces these, whatever the reads then took. */
  startedAt: number;
  /** keyOf(leaderboard, window) → snapshot, for every pair any subscriber shows. */
  leaderboards: ReadonlyMap<string, LeaderboardSnapshot>;
  /** Pairs whose rows changed in this tick. */
  changed: ReadonlySet<string>;
  /** The KPI tiles of every window a subscriber shows. */
  kpis: ReadonlyMap<LeaderboardWindow, readonly KpiTileValue[]>;
  kpisChanged: boolean;
}

export type BroadcastListener = (tick: BroadcastTick) => void;

export interface Subscription {
  unsubscribe(): void;
  /** The latest tick (after `prime`, it holds this subscription's leaderboards). */
  current(): BroadcastTick;
}

/** The broadcaster's pace and bound: the config's `coliseum` group. */
export interface BroadcasterTuning {
  /** Least time between the starts of two ticks. */
  throttleMs: number;
  /** A change is shown this long after it is heard, so the writes of a burst share one tick. */
  coalesceMs: number;
  /** Every this long a full tick re-reads everything, live counts included. */
  refreshMs: number;
  /** Every this long a refresh tick re-reads the previous-window standings too. */
  previousRefreshMs: number;
  /** Most distinct (leaderboard, window) pairs shown at once. */
  maxBoards: number;
}

export interface LeaderboardBroadcasterOptions extends BroadcasterTuning {
  store: LeaderboardStore;
  log: Logger;
  now?: () => number;
  /** Live counts for the KPI tiles (active sessions, spectators), read on refresh ticks. */
  liveCounts?: () => Promise<LiveCounts>;
  /** Told what the subscribers show whenever that changes, so the feeder writes those buckets first. */
  watched?: Pick<WatchedLeaderboards, 'watch'>;
  /** Sets each row's artwork URL where the catalog has one (features/leaderboard/BoardArtwork.ts); without it rows have none. */
  artwork?: { decorate(leaderboard: string, rows: BoardRow[]): Promise<void> };
}

export interface BroadcasterStats {
  subscribers: number;
  keys: number;
  ticks: number;
  /** Ticks started by a write (the rest are refresh ticks). */
  changeTicks: number;
  /** Leaderboard reads made (one per pair per tick that needed it, plus primes). */
  computations: number;
  errors: number;
  lastTickMs: number | null;
  maxTickMs: number;
}

/** The process already computes its most leaderboard views: a spectator asking for another is refused. */
export class BroadcasterFullError extends AppError<'COLISEUM_FULL'> {
  constructor(message: string) {
    super('COLISEUM_FULL', message);
  }
}

export const keyOf = (leaderboard: string, window: LeaderboardWindow): string => `${window}|${leaderboard}`;
