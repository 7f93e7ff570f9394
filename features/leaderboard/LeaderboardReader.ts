/**
 * Reads a displayable board (rows with rank, previous rank, trend, change) and the KPI tiles from a
 * LeaderboardStore. Shared by the HTTP routes and the BoardBroadcaster so both show the same numbers.
 */
import { splitStandings, withTrends, type TrendedEntry } from '../../systems/leaderboard/ranking.js';
import { KPI_BOARD, KPI_COUNTERS, KPI_TILES, eventsPerMinute, trendingRows, type BoardDefinition, type KpiKey } from '../../systems/leaderboard/leaderboards.js';
import type { LeaderboardWindow } from '../../systems/leaderboard/windows.js';
import { MAX_PAGE, type LeaderboardStore } from '../../persistence/leaderboard/LeaderboardStore.js';

export type { TrendedEntry } from '../../systems/leaderboard/ranking.js';

/** Rows a trending board ranks by growth: the base board's top `max(100, 10 × limit)` (≤ 1,000). */
export const trendingPool = (limit: number): number => Math.min(MAX_PAGE, Math.max(100, limit * 10));

/** The first `limit` rows of `board` in `window` at `nowMs`, with trend columns. */
export async function readBoard(store: LeaderboardStore, board: BoardDefinition, window: LeaderboardWindow, limit: number, nowMs: number): Promise<TrendedEntry[]> {
  if (board.kind === 'trending') {
    const base = await store.top(board.base!, window, trendingPool(limit), nowMs);
    if (base.length === 0) return [];
    const previous = await store.previousStandings(board.base!, window, base.map((e) => e.entityId), nowMs);
    return trendingRows(base, previous, { minCount: board.minCount, limit });
  }
  const top = await store.top(board.name, window, limit, nowMs);
  return withPrevious(store, board.name, window, top, nowMs);
}

/** Up to 2·radius+1 rows centred on `entityId` (counter boards only), with trend columns. */
export async function readAround(store: LeaderboardStore, board: BoardDefinition, window: LeaderboardWindow, entityId: string, radius: number, nowMs: number): Promise<TrendedEntry[]> {
  const page = await store.around(board.name, window, entityId, radius, nowMs);
  return withPrevious(store, board.name, window, page, nowMs);
}

async function withPrevious(store: LeaderboardStore, board: string, window: LeaderboardWindow, page: Awaited<ReturnType<LeaderboardStore['top']>>, nowMs: number): Promise<TrendedEntry[]> {
  if (page.length === 0) return [];
  const { ranks, scores } = splitStandings(await store.previousStandings(board, window, page.map((e) => e.entityId), nowMs));
  return withTrends(page, ranks, scores);
}

export interface KpiTileValue {
  key: KpiKey;
  label: string;
  unit: string;
  value: number;
  /** The same tile yesterday (whole day), or null when it has no daily meaning. */
  previous: number | null;
}

/** Live counts the store does not hold (the wiring reads them from the matchmaker). */
export interface LiveCounts {
  activeSessions: number;
  spectators: number;
}

/** The KPI tiles at `nowMs`: two reads of the KPI board (today, this hour) plus their previous windows. */
export async function readKpis(store: LeaderboardStore, live: LiveCounts, nowMs: number): Promise<KpiTileValue[]> {
  const ids = [...KPI_COUNTERS];
  const [today, yesterday, hour, lastHour] = await Promise.all([
    store.top(KPI_BOARD, 'day', ids.length, nowMs),
    store.previousStandings(KPI_BOARD, 'day', ids, nowMs),
    store.rankOf(KPI_BOARD, 'hour', 'events', nowMs),
    store.previousStandings(KPI_BOARD, 'hour', ['events'], nowMs),
  ]);
  const todayOf = (id: string): number => today.find((e) => e.entityId === id)?.score ?? 0;
  const yesterdayOf = (id: string): number => yesterday.get(id)?.score ?? 0;
  const values: Record<KpiKey, [number, number | null]> = {
    activeSessions: [live.activeSessions, null],
    spectators: [live.spectators, null],
    eventsPerMin: [Math.round(eventsPerMinute(hour?.score ?? 0, lastHour.get('events')?.score ?? 0, nowMs) * 10) / 10, null],
    sessionsToday: [todayOf('sessions'), yesterdayOf('sessions')],
    visitsToday: [todayOf('visits'), yesterdayOf('visits')],
    capturesToday: [todayOf('captures'), yesterdayOf('captures')],
    transitionsToday: [todayOf('transitions'), yesterdayOf('transitions')],
    votesToday: [todayOf('votes'), yesterdayOf('votes')],
  };
  return KPI_TILES.map((t) => ({ key: t.key, label: t.label, unit: t.unit, value: values[t.key][0], previous: values[t.key][1] }));
}
