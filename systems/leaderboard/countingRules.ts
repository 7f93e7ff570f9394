/**
 * What the coliseum counts, declared once. Each rule names the events it counts, the entity it counts them
 * for, the weight of one event, where the count lives in the durable rollups (`coliseum_metrics` entity_type /
 * metric) and which live board and KPI counter it feeds. Everything else is derived from this table:
 * - the live feeder's increments (countingLive.ts, pure JS over one event),
 * - the rollup consumer's SQL (persistence/leaderboard/rollupSql.ts compiles the same expressions),
 * - the rebuild after a restart (which rollup row refills which board, and the KPI sums),
 * - the KPI sparklines (kpiSeries.ts) and each counter board's rollup source (leaderboards.ts).
 * Adding a board is one rule here plus its title in STATIC_LEADERBOARDS; a test counts every rule both ways.
 *
 * Expressions are a tiny language with exactly two interpreters (JS and SQL), so neither can drift: a
 * `field` is a non-empty string in the payload (any other JSON type counts as absent in both).
 * Pure and a leaf module: it imports types only.
 */
import type { EventType } from '../passport/events.js';

/** Separator of composite entity ids (orb transitions, and a family board's key in the rollups). */
export const PAIR_SEPARATOR = '>';
export const VOTE_LEADERBOARD_PREFIX = 'votes.';
/** `revenue.<currency>`: artists by the integer cents of purchases attributed to them, one board per currency. */
export const REVENUE_LEADERBOARD_PREFIX = 'revenue.';
/** Internal leaderboard of KPI counters (never listed or served). */
export const KPI_LEADERBOARD = 'kpi.totals';
/** Categories whose events count as engagement on the city leaderboard (not session bookkeeping, sensors or badges). */
export const ENGAGEMENT_CATEGORIES: readonly string[] = Object.freeze(['station', 'orb', 'constellation', 'player', 'concierto', 'treasury', 'social']);

/** A string computed from one event; undefined (SQL NULL) when any part is missing. */
export type Expr =
  | { readonly field: string }
  /** The first part that is present (SQL COALESCE). */
  | { readonly first: readonly Expr[] }
  /** `a>b`; absent unless both are present. */
  | { readonly pair: readonly [Expr, Expr] }
  | { readonly lower: Expr }
  /** The payload's city, else the city of the event's user (the feeder looks it up; the rollups join users). */
  | { readonly city: true };

/** What one matching event adds: always a whole number, as the rollups store them (bigint). */
export type Weight =
  | { readonly one: true }
  /** A positive whole number in the payload (e.g. a vote's weight), else `otherwise`. */
  | { readonly number: string; readonly otherwise: number }
  /** A positive whole number (e.g. cents) in the payload, else the event is not counted. */
  | { readonly integer: string };

/** Which events a rule counts. */
export type Match = { readonly types: readonly EventType[] } | { readonly categories: readonly string[] };

/**
 * Where the count shows live: one fixed board; a family of boards keyed by the event (`votes.<eventId>`, the
 * rollup entity id is then `key>entity`); or nowhere (a rollup read by reports and KPIs only).
 */
export type Target = { readonly board: string } | { readonly family: string; readonly key: Expr } | { readonly rollupOnly: true };

/** How the live feeder names an entity (the rebuild names artists from the catalog the same way). */
export type Naming = 'artist' | 'track' | 'transition';

export interface CountingRule {
  readonly target: Target;
  readonly rollup: { readonly entityType: string; readonly metric: string };
  readonly match: Match;
  readonly entity: Expr;
  readonly weight: Weight;
  readonly naming?: Naming;
  /** The KPI counter it also adds to (by the same weight); `perEntity`: the counter is `<counter>:<entity>`. */
  readonly kpi?: { readonly counter: string; readonly perEntity?: boolean };
}

const f = (field: string): Expr => ({ field });
const ONE: Weight = { one: true };
const types = (...t: EventType[]): Match => ({ types: t });

/** Every counted thing. Order is only display order of this table. */
export const COUNTING_RULES: readonly CountingRule[] = Object.freeze([
  {
    target: { board: 'artists.visits' },
    rollup: { entityType: 'artist', metric: 'station_visits' },
    match: types('station.visited', 'station.locked'),
    entity: f('artistId'),
    weight: ONE,
    naming: 'artist',
    kpi: { counter: 'visits' },
  },
  {
    target: { board: 'artists.captures' },
    rollup: { entityType: 'artist', metric: 'captures' },
    match: types('constellation.captured'),
    entity: f('artistId'),
    weight: ONE,
    naming: 'artist',
    kpi: { counter: 'captures' },
  },
  {
    target: { board: 'artists.plays' },
    rollup: { entityType: 'artist', metric: 'plays' },
    match: types('player.track_played'),
    entity: f('artistId'),
    weight: ONE,
    naming: 'artist',
  },
  {
    target: { board: 'tracks.plays' },
    rollup: { entityType: 'track', metric: 'plays' },
    match: types('player.track_played'),
    entity: f('trackId'),
    weight: ONE,
    naming: 'track',
    kpi: { counter: 'plays' },
  },
  {
    target: { board: 'orbs.transitions' },
    rollup: { entityType: 'orb_transition', metric: 'transitions' },
    match: types('orb.tapped'),
    entity: { pair: [f('fromArtistId'), f('toArtistId')] },
    weight: ONE,
    naming: 'transition',
    kpi: { counter: 'transitions' },
  },
  // Popular paths between stations (seed 000 "popular paths"): read by reports, not a live board.
  {
    target: { rollupOnly: true },
    rollup: { entityType: 'artist_path', metric: 'visits' },
    match: types('station.visited'),
    entity: { pair: [f('cameFrom'), f('artistId')] },
    weight: ONE,
  },
  {
    target: { board: 'cities.engagement' },
    rollup: { entityType: 'city', metric: 'engagement' },
    match: { categories: ENGAGEMENT_CATEGORIES },
    entity: { city: true },
    weight: ONE,
  },
  {
    target: { board: 'events.attendance' },
    rollup: { entityType: 'concierto_event', metric: 'attendance' },
    match: types('concierto.event_attended'),
    entity: f('eventId'),
    weight: ONE,
    kpi: { counter: 'attendance' },
  },
  {
    target: { family: VOTE_LEADERBOARD_PREFIX, key: f('eventId') },
    rollup: { entityType: 'vote_option', metric: 'votes' },
    match: types('concierto.vote_cast'),
    entity: { first: [f('voteFor'), f('artistId')] },
    weight: { number: 'weight', otherwise: 1 },
  },
  {
    target: { board: 'events.votes' },
    rollup: { entityType: 'concierto_event', metric: 'votes' },
    match: types('concierto.vote_cast'),
    entity: f('eventId'),
    weight: { number: 'weight', otherwise: 1 },
    kpi: { counter: 'votes' },
  },
  {
    target: { board: 'events.engagement' },
    rollup: { entityType: 'concierto_event', metric: 'engagement' },
    match: types('concierto.vote_cast', 'concierto.event_attended', 'treasury.purchase_completed'),
    entity: f('eventId'),
    weight: ONE,
  },
  {
    target: { family: REVENUE_LEADERBOARD_PREFIX, key: { lower: f('currency') } },
    rollup: { entityType: 'artist_revenue', metric: 'revenue_cents' },
    match: types('treasury.purchase_completed'),
    entity: f('artistId'),
    weight: { integer: 'amountCents' },
    naming: 'artist',
  },
  // Revenue per currency: the revenue KPI tiles (`revenue:<currency>`).
  {
    target: { rollupOnly: true },
    rollup: { entityType: 'currency', metric: 'revenue_cents' },
    match: types('treasury.purchase_completed'),
    entity: { lower: f('currency') },
    weight: { integer: 'amountCents' },
    kpi: { counter: 'revenue', perEntity: true },
  },
] satisfies CountingRule[]);

/** The rule of a fixed board, or undefined. */
export function ruleOfBoard(board: string): CountingRule | undefined {
  return COUNTING_RULES.find((r) => 'board' in r.target && r.target.board === board);
}

/** The family rule whose prefix `board` starts with (`votes.` / `revenue.`), or undefined. */
export function familyRuleOf(board: string): CountingRule | undefined {
  return COUNTING_RULES.find((r) => 'family' in r.target && board.startsWith(r.target.family));
}

/** Rules that refill live boards from the rollups (fixed boards and families). */
export const BOARD_RULES: readonly CountingRule[] = Object.freeze(COUNTING_RULES.filter((r) => !('rollupOnly' in r.target)));

type KpiRule = CountingRule & { kpi: NonNullable<CountingRule['kpi']> };

/** The rules of a table that add to a KPI counter. */
export const kpiRules = (rules: readonly CountingRule[]): readonly KpiRule[] => rules.filter((r): r is KpiRule => r.kpi !== undefined);

/** The coliseum's rules that add to a KPI counter, with the counter they add to. */
export const KPI_RULES: readonly KpiRule[] = Object.freeze(kpiRules(COUNTING_RULES));

/**
 * The live board and entity a rollup row refills, or null when no board shows that rollup. Family rows carry
 * their board's key in front of the entity id (`eventId>voteFor`).
 */
export function boardOfRollup(
  entityType: string,
  metric: string,
  entityId: string,
  rules: readonly CountingRule[] = BOARD_RULES,
): { leaderboard: string; entityId: string; rule: CountingRule } | null {
  const rule = rules.find((r) => !('rollupOnly' in r.target) && r.rollup.entityType === entityType && r.rollup.metric === metric);
  if (!rule) return null;
  if ('board' in rule.target) return { leaderboard: rule.target.board, entityId, rule };
  if (!('family' in rule.target)) return null;
  const at = entityId.indexOf(PAIR_SEPARATOR);
  if (at <= 0) return null;
  return { leaderboard: `${rule.target.family}${entityId.slice(0, at)}`, entityId: entityId.slice(at + 1), rule };
}

/** The rollup entity id of a family board's entity (`<key>><entity>`); a fixed board's entity as is. */
export function familyEntityPrefix(key: string): string {
  return `${key}${PAIR_SEPARATOR}`;
}
