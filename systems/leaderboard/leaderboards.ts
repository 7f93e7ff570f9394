/**
 * The coliseum's live leaderboards (seeds 004 "Leaderboard definitions", 000 steps 9 and 17): titles, kinds,
 * windows and ids. WHAT each counter board counts is declared once in countingRules.ts, from which both the
 * live feeder (countingLive.ts) and the Postgres rollups (persistence/leaderboard/rollupSql.ts) are derived, so
 * a Local store rebuilt from the rollups after a restart shows the same numbers the live feed produced.
 * `artists.trending` and `tracks.trending` are derived at read time from the growth of their base counter.
 *
 * KPI tiles are counters too, on the internal leaderboard {@link KPI_LEADERBOARD} (never listed or served).
 * Pure: no clock, no I/O.
 */
import type { PassportEvent } from '../passport/events.js';
import { rankTrending, type Trend, type TrendedEntry } from './ranking.js';
import {
  FAMILY_RULES,
  familyEntityPrefix,
  KPI_LEADERBOARD,
  PAIR_SEPARATOR,
  REVENUE_LEADERBOARD_PREFIX,
  ruleOfBoard,
  VOTE_LEADERBOARD_PREFIX,
  type Audience,
} from './countingRules.js';
import { EVERY_GROUP, groupOfWindow, type BucketGroups, type LeaderboardWindow } from './windows.js';

/** One increment of the hot path (passport event → leaderboard); the store's input type. */
export interface LeaderboardIncrement {
  leaderboard: string;
  entityId: string;
  /** Positive and finite. */
  by: number;
  /** Display name to remember for this entity on this leaderboard. */
  name?: string;
  /** Buckets to write (windows.ts bucket groups); default every bucket: hour, day and all-time. */
  groups?: BucketGroups;
}

export type CounterLeaderboardName =
  | 'artists.visits'
  | 'artists.captures'
  | 'artists.plays'
  | 'tracks.plays'
  | 'orbs.transitions'
  | 'cities.engagement'
  | 'events.attendance'
  | 'events.votes'
  | 'events.engagement';
export type TrendingLeaderboardName = 'artists.trending' | 'tracks.trending';
export type StaticLeaderboardName = CounterLeaderboardName | TrendingLeaderboardName;

/** A leaderboard as displayed and as restored from the rollups. */
export interface LeaderboardDefinition {
  name: string;
  title: string;
  /** `counter`: read straight from the store; `trending`: re-ranked by growth of `base` at read time. */
  kind: 'counter' | 'trending';
  /** Rollup source of a counter leaderboard (restore after restart). */
  rollup?: { entityType: string; metric: string; entityIdPrefix?: string };
  /** Counter leaderboard a trending leaderboard derives from. */
  base?: CounterLeaderboardName;
  /** Trending: current count an entity needs to be listed (a 0 → 1 blip must not top the leaderboard). */
  minCount?: number;
  /** `ops`: served to the admin token only (boards of people); absent: public. */
  audience?: Audience;
}

/** A counter board: its rollup source is its counting rule's (countingRules.ts); a board without a rule fails at load. */
function counter(name: CounterLeaderboardName, title: string): LeaderboardDefinition {
  const rule = ruleOfBoard(name);
  if (!rule) throw new Error(`counter leaderboard ${name} has no counting rule in countingRules.ts`);
  return { name, title, kind: 'counter', rollup: { entityType: rule.rollup.entityType, metric: rule.rollup.metric } };
}

/** The fixed leaderboards, in display order. */
export const STATIC_LEADERBOARDS: Readonly<Record<StaticLeaderboardName, LeaderboardDefinition>> = Object.freeze({
  'artists.visits': counter('artists.visits', 'Most explored artists'),
  'artists.trending': { name: 'artists.trending', title: 'Trending artists', kind: 'trending', base: 'artists.visits', minCount: 3 },
  'artists.captures': counter('artists.captures', 'Most captured artists'),
  'orbs.transitions': counter('orbs.transitions', 'Top orb transitions'),
  'cities.engagement': counter('cities.engagement', 'Top cities by engagement'),
  'artists.plays': counter('artists.plays', 'Top artists by plays'),
  'tracks.plays': counter('tracks.plays', 'Top tracks by plays'),
  'tracks.trending': { name: 'tracks.trending', title: 'Trending tracks', kind: 'trending', base: 'tracks.plays', minCount: 3 },
  'events.attendance': counter('events.attendance', 'Top events by attendance'),
  'events.votes': counter('events.votes', 'Top events by votes'),
  // Events ranked by what their attendees did; each event's own attendees are ranked on engagement.<eventId> (operators only).
  'events.engagement': counter('events.engagement', 'Top events by engagement'),
});

export const STATIC_LEADERBOARD_NAMES = Object.freeze(Object.keys(STATIC_LEADERBOARDS) as StaticLeaderboardName[]);

/** Leaderboards a spectator sees when it names none. */
export const DEFAULT_LEADERBOARDS: readonly StaticLeaderboardName[] = Object.freeze([
  'artists.visits',
  'artists.trending',
  'artists.captures',
  'orbs.transitions',
  'cities.engagement',
]);

export {
  ATTENDEE_LEADERBOARD_PREFIX,
  KPI_LEADERBOARD,
  PAIR_SEPARATOR,
  REVENUE_LEADERBOARD_PREFIX,
  VOTE_LEADERBOARD_PREFIX,
  ENGAGEMENT_CATEGORIES,
} from './countingRules.js';
/** The currency of the revenue KPI tile (other currencies have their own boards and KPI counters). */
export const TILE_CURRENCY = 'usd';
export const KPI_COUNTERS = Object.freeze([
  'events',
  'sessions',
  'visits',
  'captures',
  'votes',
  'transitions',
  'plays',
  'attendance',
  `revenue:${TILE_CURRENCY}`,
] as const);

/** The revenue leaderboard of one currency (lower-case ISO 4217). */
export function revenueLeaderboard(currency: string): string {
  return `${REVENUE_LEADERBOARD_PREFIX}${currency.toLowerCase()}`;
}

/** Boards counted in money, per currency (countingRules.ts): revenue, and money spent and earned. */
const MONEY_BOARD = /^(?:revenue|events\.revenue|spent|earned|artists\.earned|events\.earned)\.([a-z]{3})$/;

/** The upper-case ISO 4217 code of a money board (`revenue.usd`, `spent.ngn`, …: its scores are minor units), else null. */
export function moneyBoardCurrency(leaderboard: string): string | null {
  return MONEY_BOARD.exec(leaderboard)?.[1]?.toUpperCase() ?? null;
}

/** Same rule as the store's ids: 1–200 characters, no whitespace, no control characters, no lone surrogates. */
// In `u` mode a surrogate pair is one code point, so the class only excludes LONE surrogates.
const ID_RE = /^[^\s\p{Cc}\uD800-\uDFFF]+$/u;
const MAX_ID = 200;

/** Display names: 1–200 characters, no control characters, no lone surrogates. */
const NAME_RE = /^[^\p{Cc}\uD800-\uDFFF]+$/u;

/** True when `value` is usable as a leaderboard or entity id by every store. */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_ID && ID_RE.test(value);
}

/** True when `value` is a display name every store accepts. */
export function isValidName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_ID && NAME_RE.test(value);
}

/** The vote leaderboard of one concierto event. */
export function voteLeaderboard(eventId: string): string {
  return `${VOTE_LEADERBOARD_PREFIX}${eventId}`;
}

/** A board key a family accepts: a currency is 3 lower-case letters, an id is what every store accepts. */
const KEY_OK: Record<'currency' | 'id', (key: string) => boolean> = { currency: (k) => /^[a-z]{3}$/.test(k), id: isValidId };

/**
 * The definition of a leaderboard name (a static board, or a board of a family: `votes.<eventId>`,
 * `revenue.<currency>`, `engagement.<eventId>`, …), or null when the name is unknown. The internal KPI
 * leaderboard is none. `audience: 'ops'` boards are for operators: public surfaces use {@link publicLeaderboardDefinition}.
 */
export function leaderboardDefinition(name: string): LeaderboardDefinition | null {
  if (Object.prototype.hasOwnProperty.call(STATIC_LEADERBOARDS, name)) return STATIC_LEADERBOARDS[name as StaticLeaderboardName];
  if (!isValidId(name)) return null;
  for (const rule of FAMILY_RULES) {
    const { family, keyKind, title } = rule.target;
    const key = name.startsWith(family) ? name.slice(family.length) : '';
    if (!key || !KEY_OK[keyKind](key)) continue;
    const { entityType, metric } = rule.rollup;
    return {
      name,
      title: title.replace('{key}', keyKind === 'currency' ? key.toUpperCase() : key),
      kind: 'counter',
      rollup: { entityType, metric, entityIdPrefix: familyEntityPrefix(key) },
      ...(rule.audience === 'ops' ? { audience: 'ops' as const } : {}),
    };
  }
  return null;
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

/**
 * The bucket groups the coliseum reads to show these (leaderboard, window) pairs: a trending leaderboard reads
 * its base counter, and a coliseum showing anything reads the KPI tiles too (today and this hour).
 */
export function watchedGroupsOf(pairs: Iterable<{ leaderboard: string; window: LeaderboardWindow }>): Map<string, BucketGroups> {
  const out = new Map<string, BucketGroups>();
  const add = (leaderboard: string, groups: BucketGroups): void => void out.set(leaderboard, ((out.get(leaderboard) ?? 0) | groups) as BucketGroups);
  for (const { leaderboard, window } of pairs) add(leaderboardDefinition(leaderboard)?.base ?? leaderboard, groupOfWindow(window));
  if (out.size > 0) add(KPI_LEADERBOARD, EVERY_GROUP);
  return out;
}

/** The composite id of an orb transition. */
export function transitionId(fromArtistId: string, toArtistId: string): string {
  return `${fromArtistId}${PAIR_SEPARATOR}${toArtistId}`;
}

/** Display name of an orb transition ("Wizkid → Fela Kuti"), or undefined unless both names are known. */
export function transitionName(entityId: string, artistName: (id: string) => string | undefined): string | undefined {
  const at = entityId.indexOf(PAIR_SEPARATOR);
  if (at <= 0) return undefined;
  const from = artistName(entityId.slice(0, at));
  const to = artistName(entityId.slice(at + 1));
  return from && to ? `${from} → ${to}` : undefined;
}

/**
 * Display name of a track from the catalog: its title, followed by its artist unless the title already names
 * them ("Essence · Wizkid", but "2Baba — demo track 1" as is); undefined for a track without a title.
 */
export function trackName(title: string | null | undefined, artistName: string | null | undefined): string | undefined {
  const t = title?.trim();
  if (!t) return undefined;
  const a = artistName?.trim();
  return a && !t.toLowerCase().includes(a.toLowerCase()) ? `${t} · ${a}` : t;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** The city an event itself names (payload `city`), if any. */
export function payloadCity(event: Pick<PassportEvent, 'payload'>): string | undefined {
  return str((event.payload as Record<string, unknown>).city);
}

/** Artist id → name pairs an event teaches (station.visited / constellation.captured carry `artistName`). */
export function learnedArtistNames(event: PassportEvent): Array<[string, string]> {
  const p = event.payload as Record<string, unknown>;
  const id = str(p.artistId);
  const name = str(p.artistName);
  return id && name ? [[id, name]] : [];
}

/** Merges increments of the same (leaderboard, entity): counts add up, the last name given wins. */
export function coalesceIncrements(items: readonly LeaderboardIncrement[]): LeaderboardIncrement[] {
  const merged = new Map<string, LeaderboardIncrement>();
  for (const item of items) {
    const key = `${item.leaderboard}\u0000${item.entityId}`;
    const existing = merged.get(key);
    if (!existing) merged.set(key, { ...item });
    else {
      existing.by += item.by;
      if (item.name !== undefined) existing.name = item.name;
    }
  }
  return [...merged.values()];
}

/**
 * A trending page in the same row shape as every other leaderboard: `rank` by growth (rankTrending), `score`
 * the current count, `previousRank` the rank on the base leaderboard in the previous window (null = absent),
 * `trend` new | up (grew) | down (shrank) | stable, `change` the count gained, `changePercent` the growth.
 */
export function trendingRows(
  base: ReadonlyArray<{ entityId: string; score: number; name?: string | null }>,
  previous: ReadonlyMap<string, { rank: number; score: number }>,
  options: { minCount?: number; limit: number },
): TrendedEntry[] {
  const previousScores = new Map<string, number>();
  for (const [id, s] of previous) previousScores.set(id, s.score);
  return rankTrending(base, previousScores, options).map((row) => {
    const before = previous.get(row.entityId);
    const trend: Trend = !before ? 'new' : row.growthPercent > 0 ? 'up' : row.growthPercent < 0 ? 'down' : 'stable';
    return {
      rank: row.rank,
      entityId: row.entityId,
      name: row.name,
      score: row.score,
      previousRank: before?.rank ?? null,
      trend,
      change: row.score - row.previousScore,
      changePercent: row.growthPercent,
    };
  });
}

const HOUR_MS = 3_600_000;

/**
 * Events per minute over the last 60 minutes from two hour buckets (sliding-window estimate): the
 * current hour's count plus the part of the previous hour still inside the window, divided by 60.
 */
export function eventsPerMinute(currentHourCount: number, previousHourCount: number, nowMs: number): number {
  const elapsed = (((nowMs % HOUR_MS) + HOUR_MS) % HOUR_MS) / HOUR_MS;
  return (currentHourCount + previousHourCount * (1 - elapsed)) / 60;
}

/**
 * KPI tiles in display order (seed 004 "Live KPI tiles"). `counted` tiles count the spectator's window (keys keep
 * their historical "Today" suffix); their label names that window (kpiTileLabel). The first three are live figures.
 */
export const KPI_TILES = Object.freeze([
  { key: 'activeSessions', label: 'Active sessions', unit: 'sessions', counted: false },
  { key: 'spectators', label: 'Spectators', unit: 'viewers', counted: false },
  { key: 'eventsPerMin', label: 'Events / min', unit: 'events', counted: false },
  { key: 'sessionsToday', label: 'Sessions', unit: 'sessions', counted: true },
  { key: 'visitsToday', label: 'Station visits', unit: 'visits', counted: true },
  { key: 'capturesToday', label: 'Captures', unit: 'stars', counted: true },
  { key: 'transitionsToday', label: 'Orb transitions', unit: 'taps', counted: true },
  { key: 'votesToday', label: 'Votes', unit: 'votes', counted: true },
  { key: 'playsToday', label: 'Plays', unit: 'plays', counted: true },
  { key: 'attendanceToday', label: 'Attendance', unit: 'attendees', counted: true },
  // Integer cents; the unit names the currency so a client formats 12345 as $123.45.
  { key: 'revenueToday', label: 'Revenue', unit: `cents:${TILE_CURRENCY}`, counted: true },
] as const);

const WINDOW_WORDS: Readonly<Record<LeaderboardWindow, string>> = Object.freeze({
  hour: 'this hour',
  day: 'today',
  week: 'this week',
  '30d': 'last 30 days',
  all: 'all time',
});

/** "Plays this hour", "Plays today", … for a counted tile; a live tile's label as is. */
export function kpiTileLabel(tile: (typeof KPI_TILES)[number], window: LeaderboardWindow): string {
  return tile.counted ? `${tile.label} ${WINDOW_WORDS[window]}` : tile.label;
}
export type KpiKey = (typeof KPI_TILES)[number]['key'];
