import type { Logger } from 'pino';
import type { LeaderboardBroadcaster } from '../../features/leaderboard/LeaderboardBroadcaster.js';
import type { ColiseumLimits } from './options.js';

export interface ColiseumRoomSettings extends ColiseumLimits {
  /** Spectators per room before matchmaking opens another room with the same channel. Default 1,000. */
  maxClientsPerRoom: number;
  /**
   * Matchmaking namespace (e.g. the Redis key prefix): rooms of processes with another namespace never
   * match, so test runs sharing one Redis cannot steal each other's spectators.
   */
  namespace: string;
  /** Messages per second per spectator before RATE_LIMITED (spectators send nothing legitimate). */
  messageRatePerSec: number;
  /** A spectator sending faster than this is disconnected. */
  disconnectRatePerSec: number;
  /** One RATE_LIMITED reply and one log line per misbehaving spectator per this many ms. */
  noticeIntervalMs: number;
}

/** Everything a ColiseumRoom needs, bound by the wiring in src/ (never passed as room options). */
export interface ColiseumServices {
  log: Logger;
  /** The process-wide broadcaster: one leaderboard computation per (leaderboard, window) per tick. */
  broadcaster: LeaderboardBroadcaster;
  settings: ColiseumRoomSettings;
}
