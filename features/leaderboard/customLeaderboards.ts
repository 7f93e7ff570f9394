/**
 * Leaderboards operators define (seed 004 "leaderboard management"): a title, the counter board it ranks
 * by, its window and optionally a line-up (the only entities it lists, e.g. an event's artists). Reads go
 * to the counter board, so a custom board is as live as the board it names and needs no feeder of its own.
 */
import type { LeaderboardStore } from './LeaderboardStore.js';
import { readLeaderboard } from './LeaderboardReader.js';
import { STATIC_LEADERBOARDS, type CounterLeaderboardName } from '../../systems/leaderboard/leaderboards.js';
import type { CustomLeaderboard } from '../../persistence/leaderboard/CustomLeaderboardStore.js';

export type { CustomLeaderboard };

export interface CustomRow {
  rank: number;
  entityId: string;
  name: string | null;
  score: number;
  /** The entity's rank on the whole base board (null when it has no score there yet). */
  baseRank: number | null;
}

export const CUSTOM_PREFIX = 'custom.';
export const MAX_LINEUP = 50;

/** The counter boards a custom board may rank by. */
export const COUNTER_BASES = Object.values(STATIC_LEADERBOARDS)
  .filter((b) => b.kind === 'counter')
  .map((b) => b.name as CounterLeaderboardName);

/** Its rows: the base board's top `limit`, or the line-up ranked by score (ties by id; no score = 0, last). */
export async function readCustomLeaderboard(store: LeaderboardStore, board: CustomLeaderboard, limit: number, nowMs: number): Promise<CustomRow[]> {
  if (!board.entityIds.length) {
    const base = STATIC_LEADERBOARDS[board.base as CounterLeaderboardName];
    const rows = await readLeaderboard(store, base, board.window, limit, nowMs);
    return rows.map((r) => ({ rank: r.rank, entityId: r.entityId, name: r.name, score: r.score, baseRank: r.rank }));
  }
  const found = await Promise.all(
    board.entityIds.map(async (entityId) => {
      const [row] = await store.around(board.base, board.window, entityId, 0, nowMs);
      return row && row.entityId === entityId
        ? { entityId, name: row.name, score: row.score, baseRank: row.rank }
        : { entityId, name: null, score: 0, baseRank: null };
    }),
  );
  found.sort((a, b) => b.score - a.score || (a.entityId < b.entityId ? -1 : 1));
  return found.slice(0, limit).map((r, i) => ({ rank: i + 1, ...r }));
}
