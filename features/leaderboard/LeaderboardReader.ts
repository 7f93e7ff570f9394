/**
 * Reads a displayable leaderboard (rows with rank, previous rank, trend, change) and the KPI tiles from a
 * LeaderboardStore. Shared by the HTTP routes and the LeaderboardBroadcaster so both show the same numbers.
 */
import { splitStandings, withTrends, type RankScore, type TrendedEntry } from '../../systems/leaderboard/ranking.js';
import {
  KPI_LEADERBOARD,
  KPI_COUNTERS,
  KPI_TILES,
  TILE_CURRENCY,
  eventsPerMinute,
  kpiTileLabel,
  trendingRows,
  type LeaderboardDefinition,
  type KpiKey,
} from '../../systems/leaderboard/leaderboards.js';
import type { LeaderboardWindow } from '../../systems/leaderboard/windows.js';
import type { LeaderboardStore } from './LeaderboardStore.js';
import { MAX_PAGE } from '../../systems/leaderboard/storeRules.js';

export type { TrendedEntry } from '../../systems/leaderboard/ranking.js';

const HOUR_MS = 3_600_000;
/** Entries a PreviousStandings cache holds before it starts over. */
const MAX_PREVIOUS_ENTRIES = 50_000;

/**
 * Previous-window standings already read (the trend columns). A previous window is closed (the last hour,
 * yesterday, everything before today), so it changes only when the window rolls (the key holds the hour) or a
 * back-dated event lands in it: the broadcaster reuses them between refresh ticks and clears this on each,
 * so a change tick reads only the current rows. Bounded: at MAX_PREVIOUS_ENTRIES it starts over.
 */
export class PreviousStandings {
  private readonly entries = new Map<string, RankScore | null>();

  /** Like `store.previousStandings`, reading only the ids not known yet for this hour. */
  async read(store: LeaderboardStore, leaderboard: string, window: LeaderboardWindow, ids: readonly string[], nowMs: number): Promise<Map<string, RankScore>> {
    const prefix = `${Math.floor(nowMs / HOUR_MS)}|${window}|${leaderboard}|`;
    const missing = ids.filter((id) => !this.entries.has(prefix + id));
    if (missing.length > 0) {
      const found = await store.previousStandings(leaderboard, window, missing, nowMs);
      if (this.entries.size + missing.length > MAX_PREVIOUS_ENTRIES) this.entries.clear();
      for (const id of missing) this.entries.set(prefix + id, found.get(id) ?? null);
    }
    const out = new Map<string, RankScore>();
    for (const id of ids) {
      const standing = this.entries.get(prefix + id);
      if (standing) out.set(id, standing);
    }
    return out;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Previous standings straight from the store, or through a cache. */
const previousOf = (store: LeaderboardStore, cache: PreviousStandings | undefined) =>
  cache
    ? (leaderboard: string, window: LeaderboardWindow, ids: readonly string[], nowMs: number) => cache.read(store, leaderboard, window, ids, nowMs)
    : store.previousStandings.bind(store);

/** Rows a trending leaderboard ranks by growth: the base leaderboard's top `max(100, 10 × limit)` (≤ 1,000). */
export const trendingPool = (limit: number): number => Math.min(MAX_PAGE, Math.max(100, limit * 10));

/** The first `limit` rows of `leaderboard` in `window` at `nowMs`, with trend columns (previous standings through `cache` if given). */
export async function readLeaderboard(
  store: LeaderboardStore,
  leaderboard: LeaderboardDefinition,
  window: LeaderboardWindow,
  limit: number,
  nowMs: number,
  cache?: PreviousStandings,
): Promise<TrendedEntry[]> {
  if (leaderboard.kind === 'trending') {
    const base = await store.top(leaderboard.base!, window, trendingPool(limit), nowMs);
    if (base.length === 0) return [];
    const previous = await previousOf(store, cache)(
      leaderboard.base!,
      window,
      base.map((e) => e.entityId),
      nowMs,
    );
    return trendingRows(base, previous, { minCount: leaderboard.minCount, limit });
  }
  const top = await store.top(leaderboard.name, window, limit, nowMs);
  return withPrevious(store, leaderboard.name, window, top, nowMs, cache);
}

/** Up to 2·radius+1 rows centred on `entityId` (counter leaderboards only), with trend columns. */
export async function readAround(
  store: LeaderboardStore,
  leaderboard: LeaderboardDefinition,
  window: LeaderboardWindow,
  entityId: string,
  radius: number,
  nowMs: number,
): Promise<TrendedEntry[]> {
  const page = await store.around(leaderboard.name, window, entityId, radius, nowMs);
  return withPrevious(store, leaderboard.name, window, page, nowMs);
}

async function withPrevious(
  store: LeaderboardStore,
  leaderboard: string,
  window: LeaderboardWindow,
  page: Awaited<ReturnType<LeaderboardStore['top']>>,
  nowMs: number,
  cache?: PreviousStandings,
): Promise<TrendedEntry[]> {
  if (page.length === 0) return [];
  const { ranks, scores } = splitStandings(
    await previousOf(store, cache)(
      leaderboard,
      window,
      page.map((e) => e.entityId),
      nowMs,
    ),
  );
  return withTrends(page, ranks, scores);
}

export interface KpiTileValue {
  key: KpiKey;
  label: string;
  unit: string;
  value: number;
  /** The same tile in the previous window (yesterday, the last hour, …), or null when it has none. */
  previous: number | null;
}

/** Live counts the store does not hold (the wiring reads them from the matchmaker). */
export interface LiveCounts {
  activeSessions: number;
  spectators: number;
}

/**
 * The KPI tiles at `nowMs` for a spectator's `window`: the counted tiles read the KPI leaderboard in that window
 * (and its previous one, through `cache` if given); events / min always reads this hour and the last.
 */
export async function readKpis(
  store: LeaderboardStore,
  live: LiveCounts,
  nowMs: number,
  cache?: PreviousStandings,
  window: LeaderboardWindow = 'day',
): Promise<KpiTileValue[]> {
  const ids = [...KPI_COUNTERS];
  const previous = previousOf(store, cache);
  const [current, before, hour, lastHour] = await Promise.all([
    // Other currencies' revenue counters share the KPI board: read enough rows to find every tile's counter.
    store.top(KPI_LEADERBOARD, window, 200, nowMs),
    previous(KPI_LEADERBOARD, window, ids, nowMs),
    store.rankOf(KPI_LEADERBOARD, 'hour', 'events', nowMs),
    previous(KPI_LEADERBOARD, 'hour', ['events'], nowMs),
  ]);
  const counted = (id: string): [number, number | null] => [current.find((e) => e.entityId === id)?.score ?? 0, before.get(id)?.score ?? 0];
  const values: Record<KpiKey, [number, number | null]> = {
    activeSessions: [live.activeSessions, null],
    spectators: [live.spectators, null],
    eventsPerMin: [Math.round(eventsPerMinute(hour?.score ?? 0, lastHour.get('events')?.score ?? 0, nowMs) * 10) / 10, null],
    sessionsToday: counted('sessions'),
    visitsToday: counted('visits'),
    capturesToday: counted('captures'),
    transitionsToday: counted('transitions'),
    votesToday: counted('votes'),
    playsToday: counted('plays'),
    attendanceToday: counted('attendance'),
    revenueToday: counted(`revenue:${TILE_CURRENCY}`),
  };
  return KPI_TILES.map((t) => ({ key: t.key, label: kpiTileLabel(t, window), unit: t.unit, value: values[t.key][0], previous: values[t.key][1] }));
}
