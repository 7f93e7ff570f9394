import type { LeaderboardStore } from '../../systems/leaderboard/windows.js';
import { readLeaderboard } from '../leaderboard/boards.js';
import { STATIC_LEADERBOARDS } from '../../systems/leaderboard/leaderboards.js';
import type { TrendingSource } from './Recommendations.js';

/** The coliseum's trending-artists board, today, its top 10. */
const TRENDING_LIMIT = 10;
/** Every user's recomputation reads the same board: one read per 10 s serves them all. */
const TRENDING_MEMO_MS = 10_000;

/** Trending artist ids from the coliseum boards, read at most once per 10 s. */
export function trendingFromBoards(store: LeaderboardStore, now: () => number): TrendingSource {
  let memo: { at: number; ids: Promise<string[]> } | undefined;
  return (nowMs) => {
    if (!memo || nowMs - memo.at > TRENDING_MEMO_MS) {
      const ids = readLeaderboard(store, STATIC_LEADERBOARDS['artists.trending'], 'day', TRENDING_LIMIT, now()).then((rows) => rows.map((r) => r.entityId));
      memo = { at: nowMs, ids };
      ids.catch(() => (memo = undefined)); // a failed read is retried by the next caller
    }
    return memo.ids;
  };
}
