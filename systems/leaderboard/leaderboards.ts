/**
 * The coliseum's boards as displayed: titles, kinds, families, audiences, trends and the KPI tiles. WHAT each
 * counter board counts is its rule in countingRules.ts (read live by the feeder and in SQL by the rollups).
 * `artists.trending` and `tracks.trending` are derived at read time from the growth of their base counter.
 * KPI tiles are counters too, on the internal leaderboard {@link KPI_LEADERBOARD} (never listed or served). Pure.
 */
import { FAMILY_RULES, familyRuleOf, REVENUE_LEADERBOARD_PREFIX, ruleOfBoard, type Audience } from './countingRules.js';
import type { trendedEntrySchema } from './rollupMetrics.js';
import type { z } from 'zod';
import { compareEntries, isValidId, type LeaderboardEntry, type LeaderboardWindow } from './windows.js';

export { KPI_LEADERBOARD, PAIR_SEPARATOR, REVENUE_LEADERBOARD_PREFIX, VOTE_LEADERBOARD_PREFIX } from './countingRules.js';

/** A leaderboard as displayed (its rollup source is its counting rule's: boardOfRollup). */
export interface LeaderboardDefinition {
  name: string;
  title: string;
  /** `counter`: read straight from the store; `trending`: re-ranked by growth of `base` at read time. */
  kind: 'counter' | 'trending';
  /** Counter leaderboard a trending leaderboard derives from. */
  base?: string;
  /** Trending: current count an entity needs to be listed (a 0 → 1 blip must not top the leaderboard). */
  minCount?: number;
  /** `ops`: served to the admin token only (boards of people); absent: public. */
  audience?: Audience;
}

/** A counter board, or a trending one re-ranking its base; a board without a counting rule fails at load. */
function counter(name: string, title: string, trendingOf?: string): LeaderboardDefinition {
  const counted = trendingOf ?? name;
  if (!ruleOfBoard(counted)) throw new Error(`counter leaderboard ${counted} has no counting rule in countingRules.ts`);
  return trendingOf ? { name, title, kind: 'trending', base: trendingOf, minCount: 3 } : { name, title, kind: 'counter' };
}

/** The fixed leaderboards, in display order. */
export const STATIC_LEADERBOARDS = Object.freeze({
  'artists.visits': counter('artists.visits', 'Most explored artists'),
  'artists.trending': counter('artists.trending', 'Trending artists', 'artists.visits'),
  'artists.captures': counter('artists.captures', 'Most captured artists'),
  'orbs.transitions': counter('orbs.transitions', 'Top orb transitions'),
  'cities.engagement': counter('cities.engagement', 'Top cities by engagement'),
  'artists.plays': counter('artists.plays', 'Top artists by plays'),
  'tracks.plays': counter('tracks.plays', 'Top tracks by plays'),
  'tracks.trending': counter('tracks.trending', 'Trending tracks', 'tracks.plays'),
  'events.attendance': counter('events.attendance', 'Top events by attendance'),
  'events.votes': counter('events.votes', 'Top events by votes'),
  // Events ranked by what their attendees did; each event's own attendees are ranked on engagement.<eventId> (operators only).
  'events.engagement': counter('events.engagement', 'Top events by engagement'),
});
export type StaticLeaderboardName = keyof typeof STATIC_LEADERBOARDS;

/** Leaderboards a spectator sees when it names none. */
export const DEFAULT_LEADERBOARDS: readonly StaticLeaderboardName[] = Object.freeze([
  'artists.visits',
  'artists.trending',
  'artists.captures',
  'orbs.transitions',
  'cities.engagement',
]);

/** The currency of the revenue KPI tile (other currencies have their own boards and KPI counters). */
export const TILE_CURRENCY = 'usd';

/** The revenue leaderboard of one currency (lower-case ISO 4217). */
export function revenueLeaderboard(currency: string): string {
  return `${REVENUE_LEADERBOARD_PREFIX}${currency.toLowerCase()}`;
}

/** The upper-case ISO 4217 code of a money board (`revenue.usd`, `spent.ngn`, …: its scores are minor units), else null. */
export function moneyBoardCurrency(leaderboard: string): string | null {
  const rule = familyRuleOf(leaderboard);
  const key = rule?.money ? leaderboard.slice(rule.target.family.length) : '';
  return KEY_OK.currency(key) ? key.toUpperCase() : null;
}

/** A board key a family accepts: a currency is 3 lower-case letters, an id is what every store accepts. */
const KEY_OK: Record<'currency' | 'id', (key: string) => boolean> = { currency: (k) => /^[a-z]{3}$/.test(k), id: isValidId };

/**
 * The definition of a leaderboard name (a static board, or one of a family: `votes.<eventId>`, `revenue.<currency>`,
 * `engagement.<eventId>`, …), or null when unknown (the KPI board is none). `audience: 'ops'` boards are for
 * operators: public surfaces use {@link publicLeaderboardDefinition}.
 */
export function leaderboardDefinition(name: string): LeaderboardDefinition | null {
  if (Object.prototype.hasOwnProperty.call(STATIC_LEADERBOARDS, name)) return STATIC_LEADERBOARDS[name as StaticLeaderboardName];
  if (!isValidId(name)) return null;
  // No family's prefix starts another's (checked at load): one rule at most.
  const rule = familyRuleOf(name);
  const key = rule ? name.slice(rule.target.family.length) : '';
  if (!rule || !key || !KEY_OK[rule.target.keyKind](key)) return null;
  const shown = rule.target.title.replace('{key}', rule.target.keyKind === 'currency' ? key.toUpperCase() : key);
  return { name, title: shown, kind: 'counter', ...(rule.audience === 'ops' ? { audience: 'ops' as const } : {}) };
}

/** A board anyone may read (the coliseum, the public API, custom boards' bases), or null: unknown or operators' only. */
export function publicLeaderboardDefinition(name: string): LeaderboardDefinition | null {
  const def = leaderboardDefinition(name);
  return def && def.audience !== 'ops' ? def : null;
}

/** The families of boards as the board list describes them: `<prefix><key>`, their title and who may read them. */
export function leaderboardFamilies(): Array<{ pattern: string; title: string; audience: Audience }> {
  return FAMILY_RULES.map((r) => ({
    pattern: `${r.target.family}<${r.target.keyKind === 'currency' ? 'currency' : 'eventId'}>`,
    title: r.target.title.replace('{key}', r.target.keyKind === 'currency' ? 'one currency' : 'one event'),
    audience: r.audience ?? 'public',
  }));
}

export type TrendedEntry = z.infer<typeof trendedEntrySchema>;

/**
 * Growth of `current` over `previous` in percent, the lift formula ((current − base) / base) × 100. A previous
 * value of 0 uses a base of 1, so a newcomer's growth stays finite and proportional to its count (0 → 5 = +500 %).
 */
export function growthPercent(current: number, previous: number): number {
  return ((current - previous) / Math.max(previous, 1)) * 100;
}

/** Adds the trend columns to a current page from the previous window's standings (their scores drive `changePercent`). */
export function withTrends(current: readonly LeaderboardEntry[], previous: ReadonlyMap<string, { rank: number; score?: number }>): TrendedEntry[] {
  return current.map((entry) => {
    const before = previous.get(entry.entityId);
    if (!before) return { ...entry, previousRank: null, trend: 'new' as const, change: 0, changePercent: 0 };
    const change = before.rank - entry.rank;
    const trend = change > 0 ? 'up' : change < 0 ? 'down' : 'stable';
    return { ...entry, previousRank: before.rank, trend, change, changePercent: before.score === undefined ? 0 : growthPercent(entry.score, before.score) };
  });
}

/** Trending lists every entity counted at least once unless asked for more. */
const ONE_EVENT = 1;

/**
 * A trending page in the same row shape as every other leaderboard: `rank` by growth (ties: higher count, then id),
 * `score` the current count, `previousRank` the rank on the base leaderboard in the previous window, `change` the count
 * gained, `changePercent` the growth. Entities under `minCount` (default 1) are left out: a 0 → 1 blip must not top it.
 */
export function trendingRows(
  base: ReadonlyArray<{ entityId: string; score: number; name?: string | null }>,
  previous: ReadonlyMap<string, { rank: number; score: number }>,
  options: { minCount?: number; limit: number },
): TrendedEntry[] {
  const rows = base
    .filter((c) => c.score >= (options.minCount ?? ONE_EVENT))
    .map((c) => {
      const before = previous.get(c.entityId);
      return { entityId: c.entityId, name: c.name ?? null, score: c.score, before, growth: growthPercent(c.score, before?.score ?? 0) };
    })
    .sort((a, b) => (a.growth !== b.growth ? b.growth - a.growth : compareEntries(a, b)));
  return rows.slice(0, options.limit).map(({ entityId, name, score, before, growth }, i) => {
    const trend = !before ? 'new' : growth > 0 ? 'up' : growth < 0 ? 'down' : 'stable';
    return { rank: i + 1, entityId, name, score, previousRank: before?.rank ?? null, trend, change: score - (before?.score ?? 0), changePercent: growth };
  });
}

/**
 * KPI tiles in display order. A tile with a `counter` counts the spectator's window on the KPI board (keys keep their
 * historical "Today" suffix; the label names the window); the first three are live figures.
 */
export const KPI_TILES = Object.freeze([
  { key: 'activeSessions', label: 'Active sessions', unit: 'sessions' },
  { key: 'spectators', label: 'Spectators', unit: 'viewers' },
  { key: 'eventsPerMin', label: 'Events / min', unit: 'events' },
  { key: 'sessionsToday', label: 'Sessions', unit: 'sessions', counter: 'sessions' },
  { key: 'visitsToday', label: 'Station visits', unit: 'visits', counter: 'visits' },
  { key: 'capturesToday', label: 'Captures', unit: 'stars', counter: 'captures' },
  { key: 'transitionsToday', label: 'Orb transitions', unit: 'taps', counter: 'transitions' },
  { key: 'votesToday', label: 'Votes', unit: 'votes', counter: 'votes' },
  { key: 'playsToday', label: 'Plays', unit: 'plays', counter: 'plays' },
  { key: 'attendanceToday', label: 'Attendance', unit: 'attendees', counter: 'attendance' },
  // Integer cents; the unit names the currency so a client formats 12345 as $123.45.
  { key: 'revenueToday', label: 'Revenue', unit: `cents:${TILE_CURRENCY}`, counter: `revenue:${TILE_CURRENCY}` },
] as const);
export type KpiKey = (typeof KPI_TILES)[number]['key'];

export const WINDOW_WORDS: Readonly<Record<LeaderboardWindow, string>> = Object.freeze({
  hour: 'this hour',
  day: 'today',
  week: 'this week',
  '30d': 'last 30 days',
  all: 'all time',
});

/** "Plays this hour", "Plays today", … for a counted tile; a live tile's label as is. */
export function kpiTileLabel(tile: (typeof KPI_TILES)[number], window: LeaderboardWindow): string {
  return 'counter' in tile ? `${tile.label} ${WINDOW_WORDS[window]}` : tile.label;
}
