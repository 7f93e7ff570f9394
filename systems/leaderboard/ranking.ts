/**
 * Leaderboard ordering, trends and trending growth (pure).
 *
 * Order rule, shared by every store: higher score first; equal scores by entity id ASCENDING in Unicode
 * code point order (the same as UTF-8 byte order, which is how Redis orders equal-score members).
 * Ranks are 1-based and unique: ties never share a rank, as in Nakama.
 */

/** Trending lists every entity counted at least once unless asked for more. */
const ONE_EVENT = 1;

/** One row of a leaderboard page. */
export interface LeaderboardEntry {
  /** 1-based, unique. */
  rank: number;
  entityId: string;
  /** Display name last given for this entity on this leaderboard, or null if none was ever given. */
  name: string | null;
  score: number;
}

export type Trend = 'up' | 'down' | 'stable' | 'new';

/** A leaderboard row with the seed's trend columns (004: previous_rank, trend, change, change_percent). */
export interface TrendedEntry extends LeaderboardEntry {
  /** Rank in the previous window, null when the entity was not ranked there. */
  previousRank: number | null;
  trend: Trend;
  /** Rank positions gained: previousRank − rank (positive = moved up); 0 when new. */
  change: number;
  /** Score growth in percent vs the previous window's score (growthPercent); 0 when no previous score is known. */
  changePercent: number;
}

export interface RankScore {
  rank: number;
  score: number;
}

/** Surrogate code units sort after U+E000–U+FFFF once shifted, turning UTF-16 order into code point order. */
const fixSurrogate = (c: number): number => (c >= 0xe000 ? c - 0x800 : c + 0x2000);

/** Compares ids in Unicode code point order (= UTF-8 byte order, = Redis member order). */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = fixSurrogate(x);
      y = fixSurrogate(y);
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

/** The leaderboard order: score descending, then entity id ascending (code point order). */
export function compareEntries(a: { score: number; entityId: string }, b: { score: number; entityId: string }): number {
  if (a.score !== b.score) return a.score > b.score ? -1 : 1;
  return compareIds(a.entityId, b.entityId);
}

/** Sorts scored items by the leaderboard order and numbers them from `firstRank` (default 1). */
export function rankEntries(items: ReadonlyArray<{ entityId: string; score: number; name?: string | null }>, firstRank = 1): LeaderboardEntry[] {
  return [...items].sort(compareEntries).map((item, i) => ({ rank: firstRank + i, entityId: item.entityId, name: item.name ?? null, score: item.score }));
}

/**
 * Growth of `current` over `previous` in percent: the seed's lift formula ((current − base) / base) × 100
 * (000 step 17). A previous value of 0 uses a base of 1, so a newcomer's growth stays finite and
 * proportional to its count (0 → 5 = +500 %), and 0 → 0 is 0.
 */
export function growthPercent(current: number, previous: number): number {
  return ((current - previous) / Math.max(previous, 1)) * 100;
}

/** Trending score of a count against the previous window's count (004 "Trending Tracks: COUNT with growth rate"). */
export function trendingScore(currentCount: number, previousCount: number): number {
  return growthPercent(currentCount, previousCount);
}

/** Splits previous standings (e.g. from a store's `previousStandings`) into the two maps `withTrends` takes. */
export function splitStandings(standings: ReadonlyMap<string, RankScore>): { ranks: Map<string, number>; scores: Map<string, number> } {
  const ranks = new Map<string, number>();
  const scores = new Map<string, number>();
  for (const [id, s] of standings) {
    ranks.set(id, s.rank);
    scores.set(id, s.score);
  }
  return { ranks, scores };
}

/**
 * Adds the trend columns to a current page. `previousRanks` maps entity id → rank in the previous window;
 * `previousScores` (optional) maps entity id → score there and drives `changePercent`.
 */
export function withTrends(
  current: readonly LeaderboardEntry[],
  previousRanks: ReadonlyMap<string, number>,
  previousScores?: ReadonlyMap<string, number>,
): TrendedEntry[] {
  return current.map((entry) => {
    const previousRank = previousRanks.get(entry.entityId) ?? null;
    if (previousRank === null) return { ...entry, previousRank, trend: 'new' as const, change: 0, changePercent: 0 };
    const change = previousRank - entry.rank;
    const trend: Trend = change > 0 ? 'up' : change < 0 ? 'down' : 'stable';
    const previousScore = previousScores?.get(entry.entityId);
    const changePercent = previousScore === undefined ? 0 : growthPercent(entry.score, previousScore);
    return { ...entry, previousRank, trend, change, changePercent };
  });
}

export interface TrendingEntry extends LeaderboardEntry {
  /** Count in the previous window (0 if absent). */
  previousScore: number;
  /** trendingScore(score, previousScore). */
  growthPercent: number;
}

/**
 * Ranks entities by growth (trendingScore) instead of raw count. Entities below `minCount` in the current
 * window are left out so a 0 → 1 blip cannot top the leaderboard. Ties: higher current count, then entity id.
 */
export function rankTrending(
  current: ReadonlyArray<{ entityId: string; score: number; name?: string | null }>,
  previousScores: ReadonlyMap<string, number>,
  options: { minCount?: number; limit?: number } = {},
): TrendingEntry[] {
  const minCount = options.minCount ?? ONE_EVENT;
  const rows = current
    .filter((c) => c.score >= minCount)
    .map((c) => {
      const previousScore = previousScores.get(c.entityId) ?? 0;
      return { entityId: c.entityId, name: c.name ?? null, score: c.score, previousScore, growthPercent: trendingScore(c.score, previousScore) };
    })
    .sort((a, b) => (a.growthPercent !== b.growthPercent ? b.growthPercent - a.growthPercent : compareEntries(a, b)));
  return rows.slice(0, options.limit ?? rows.length).map((r, i) => ({ rank: i + 1, ...r }));
}
