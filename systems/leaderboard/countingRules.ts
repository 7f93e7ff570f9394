/**
 * What the coliseum counts, declared once. Each rule names the events it counts, the entity it counts them
 * for, the weight of one event, where the count lives in the durable rollups (`coliseum_metrics` entity_type /
 * metric) and which live board and KPI counter it feeds. Everything else is derived from this table:
 * - the live feeder's increments (countingLive.ts, pure JS over one event),
 * - the rollup consumer's SQL (persistence/leaderboard/rollupSql.ts compiles the same expressions),
 * - the rebuild after a restart (which rollup row refills which board, and the KPI sums),
 * - the KPI sparklines (kpiSeries.ts) and each counter board's rollup source (leaderboards.ts).
 * Adding a board is one rule here plus its title in STATIC_LEADERBOARDS (a family of boards carries its own title);
 * a test counts every rule both ways. Distinct-user rules (unique listeners) are the rollups' alone.
 *
 * Expressions are a tiny language with exactly two interpreters (JS and SQL), so neither can drift: a
 * `field` is a non-empty string in the payload (any other JSON type counts as absent in both).
 * Pure and a leaf module: it imports types only.
 */
import type { EventType } from '../passport/events.js';

/** Separator of composite entity ids (orb transitions, and a family board's key in the rollups). */
export const PAIR_SEPARATOR = '>';
export const VOTE_LEADERBOARD_PREFIX = 'votes.';
/** `engagement.<eventId>`: the attendees of one Concierto event by what they did there (operators only). */
export const ATTENDEE_LEADERBOARD_PREFIX = 'engagement.';
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
  | { readonly city: true }
  /** The event's own user (its `user_id`, never a payload field): boards of people, which only operators see. */
  | { readonly user: true };

/** What one matching event adds: always a whole number, as the rollups store them (bigint). */
export type Weight =
  | { readonly one: true }
  /** A positive whole number in the payload (e.g. a vote's weight), else `otherwise`. */
  | { readonly number: string; readonly otherwise: number }
  /** A positive whole number (e.g. cents) in the payload, else the event is not counted. */
  | { readonly integer: string }
  /**
   * Each user once per (entity, bucket): unique listeners. Not additive over events, so only the rollups count
   * it (a members table remembers who was counted); a rule with it is `rollupOnly` and feeds no KPI.
   */
  | { readonly distinctUsers: true };

/** Which events a rule counts. */
export type Match = { readonly types: readonly EventType[] } | { readonly categories: readonly string[] };

/**
 * Where the count shows live: one fixed board; a family of boards keyed by the event (`votes.<eventId>`, the
 * rollup entity id is then `key>entity`); or nowhere (a rollup read by reports and KPIs only).
 */
export type Target =
  | { readonly board: string }
  | {
      readonly family: string;
      readonly key: Expr;
      /** A board's key must look like this to be a board: `currency` (3 letters, lower-case) or `id`. */
      readonly keyKind: 'currency' | 'id';
      /** The board's title; `{key}` is replaced by the key (upper-cased for a currency). */
      readonly title: string;
    }
  | { readonly rollupOnly: true };

/**
 * Who may read a board: `public` (the coliseum, the public API) or `ops` (the admin token only). Boards of
 * people (their spending, their engagement) are `ops`: a public board would publish who spends what.
 */
export type Audience = 'public' | 'ops';

export type MoneySide = 'spent' | 'earned';
export type MoneySubject = 'user' | 'artist' | 'event';

/** How the live feeder names an entity (the rebuild names them from the catalog the same way); `event`: a Concierto event's title. */
export type Naming = 'artist' | 'track' | 'transition' | 'event';

export interface CountingRule {
  readonly target: Target;
  readonly rollup: { readonly entityType: string; readonly metric: string };
  readonly match: Match;
  readonly entity: Expr;
  readonly weight: Weight;
  readonly naming?: Naming;
  /** Default `public`. */
  readonly audience?: Audience;
  /** A Treasury total (seed 003 "money spent, money earned"): which side and whose; its rollup ids are `<currency>><id>`. */
  readonly money?: { readonly side: MoneySide; readonly subject: MoneySubject };
  /** Distinct-user rules only: also average the counted users' DNA match with the entity (seed 004 "avg_dna_match"). */
  readonly dnaMatch?: 'artist' | 'event';
  /** The KPI counter it also adds to (by the same weight); `perEntity`: the counter is `<counter>:<entity>`. */
  readonly kpi?: { readonly counter: string; readonly perEntity?: boolean };
}

const f = (field: string): Expr => ({ field });
const ONE: Weight = { one: true };
const USER: Expr = { user: true };
const DISTINCT: Weight = { distinctUsers: true };
const CENTS: Weight = { integer: 'amountCents' };
const CURRENCY: Expr = { lower: f('currency') };
const types = (...t: EventType[]): Match => ({ types: t });
/** A family of boards, one per currency (scores in that currency's minor units, never mixed). */
const perCurrency = (family: string, title: string): Target => ({ family, key: CURRENCY, keyKind: 'currency', title });

/** What an attendee does for one Concierto event (seed 004 "Event Attendee Engagement": votes, shares, plays). */
const EVENT_ENGAGEMENT: readonly EventType[] = [
  'concierto.vote_cast',
  'concierto.event_attended',
  'treasury.purchase_completed',
  'player.track_played',
  'social.link_shared',
];
/** Share links about an artist, an event or a track (features/links): shared, then opened by whoever got them. */
const LINK_TARGETS = [
  ['artist', 'artistId'],
  ['concierto_event', 'eventId'],
  ['track', 'trackId'],
] as const;

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
    naming: 'event',
    kpi: { counter: 'attendance' },
  },
  {
    target: { family: VOTE_LEADERBOARD_PREFIX, key: f('eventId'), keyKind: 'id', title: 'Votes: {key}' },
    rollup: { entityType: 'vote_option', metric: 'votes' },
    match: types('concierto.vote_cast'),
    entity: { first: [f('voteFor'), f('artistId')] },
    weight: { number: 'weight', otherwise: 1 },
    naming: 'artist',
  },
  {
    target: { board: 'events.votes' },
    rollup: { entityType: 'concierto_event', metric: 'votes' },
    match: types('concierto.vote_cast'),
    entity: f('eventId'),
    weight: { number: 'weight', otherwise: 1 },
    naming: 'event',
    kpi: { counter: 'votes' },
  },
  {
    target: { board: 'events.engagement' },
    rollup: { entityType: 'concierto_event', metric: 'engagement' },
    match: { types: EVENT_ENGAGEMENT },
    entity: f('eventId'),
    weight: ONE,
    naming: 'event',
  },
  // The attendees of one event ranked by what they did there (votes, attendance, purchases, plays, shares).
  {
    target: { family: ATTENDEE_LEADERBOARD_PREFIX, key: f('eventId'), keyKind: 'id', title: 'Attendee engagement: {key}' },
    rollup: { entityType: 'event_attendee', metric: 'engagement' },
    match: { types: EVENT_ENGAGEMENT },
    entity: USER,
    weight: ONE,
    audience: 'ops',
  },
  {
    target: perCurrency(REVENUE_LEADERBOARD_PREFIX, 'Top supported artists by revenue ({key})'),
    rollup: { entityType: 'artist_revenue', metric: 'revenue_cents' },
    match: types('treasury.purchase_completed'),
    entity: f('artistId'),
    weight: CENTS,
    naming: 'artist',
    money: { side: 'spent', subject: 'artist' },
  },
  // Treasury (seed 003 "money spent, money earned"): what was spent on an event, and by whom; what was earned.
  {
    target: perCurrency('events.revenue.', 'Top events by revenue ({key})'),
    rollup: { entityType: 'event_revenue', metric: 'revenue_cents' },
    match: types('treasury.purchase_completed'),
    entity: f('eventId'),
    weight: CENTS,
    naming: 'event',
    money: { side: 'spent', subject: 'event' },
  },
  {
    target: perCurrency('spent.', 'Listeners by money spent ({key})'),
    rollup: { entityType: 'user_spent', metric: 'spent_cents' },
    match: types('treasury.purchase_completed'),
    entity: USER,
    weight: CENTS,
    audience: 'ops',
    money: { side: 'spent', subject: 'user' },
  },
  {
    target: perCurrency('earned.', 'Accounts by money earned ({key})'),
    rollup: { entityType: 'user_earned', metric: 'earned_cents' },
    match: types('treasury.money_earned'),
    entity: USER,
    weight: CENTS,
    audience: 'ops',
    money: { side: 'earned', subject: 'user' },
  },
  {
    target: perCurrency('artists.earned.', 'Artists by money earned ({key})'),
    rollup: { entityType: 'artist_earned', metric: 'earned_cents' },
    match: types('treasury.money_earned'),
    entity: f('artistId'),
    weight: CENTS,
    naming: 'artist',
    audience: 'ops',
    money: { side: 'earned', subject: 'artist' },
  },
  {
    target: perCurrency('events.earned.', 'Events by money earned ({key})'),
    rollup: { entityType: 'event_earned', metric: 'earned_cents' },
    match: types('treasury.money_earned'),
    entity: f('eventId'),
    weight: CENTS,
    naming: 'event',
    audience: 'ops',
    money: { side: 'earned', subject: 'event' },
  },
  // Revenue per currency: the revenue KPI tiles (`revenue:<currency>`).
  {
    target: { rollupOnly: true },
    rollup: { entityType: 'currency', metric: 'revenue_cents' },
    match: types('treasury.purchase_completed'),
    entity: { lower: f('currency') },
    weight: CENTS,
    kpi: { counter: 'revenue', perEntity: true },
  },
  // Seed 004 rollup metrics: completions (completion rate = completions ÷ plays), shares and opens of share
  // links, unique listeners (each user once per bucket) with their average DNA match.
  ...(['artistId', 'trackId'] as const).map((field): CountingRule => ({
    target: { rollupOnly: true },
    rollup: { entityType: field === 'artistId' ? 'artist' : 'track', metric: 'completions' },
    match: types('player.track_completed'),
    entity: f(field),
    weight: ONE,
  })),
  ...LINK_TARGETS.flatMap(([entityType, field]): CountingRule[] => [
    { target: { rollupOnly: true }, rollup: { entityType, metric: 'shares' }, match: types('social.link_shared'), entity: f(field), weight: ONE },
    { target: { rollupOnly: true }, rollup: { entityType, metric: 'link_opens' }, match: types('social.link_opened'), entity: f(field), weight: ONE },
  ]),
  {
    target: { rollupOnly: true },
    rollup: { entityType: 'artist', metric: 'unique_listeners' },
    match: types('player.track_played'),
    entity: f('artistId'),
    weight: DISTINCT,
    dnaMatch: 'artist',
  },
  {
    target: { rollupOnly: true },
    rollup: { entityType: 'track', metric: 'unique_listeners' },
    match: types('player.track_played'),
    entity: f('trackId'),
    weight: DISTINCT,
  },
  {
    target: { rollupOnly: true },
    rollup: { entityType: 'concierto_event', metric: 'unique_listeners' },
    match: { types: EVENT_ENGAGEMENT },
    entity: f('eventId'),
    weight: DISTINCT,
    dnaMatch: 'event',
  },
] satisfies CountingRule[]);

/** The metrics a distinct rule's DNA average adds: the sum of matches (× {@link DNA_MATCH_SCALE}) and how many were matched. */
export const DNA_MATCH_METRICS = Object.freeze({ sum: 'dna_match_sum', count: 'dna_matched' });
/** Matches are stored as whole numbers (the rollups are bigint): 0.7412 → 7412. */
export const DNA_MATCH_SCALE = 10_000;

/** The Treasury totals' rules: money spent and earned, per user, artist and event (rollup ids `<currency>><id>`). */
export const MONEY_RULES: ReadonlyArray<CountingRule & { money: NonNullable<CountingRule['money']> }> = Object.freeze(
  COUNTING_RULES.filter((r): r is CountingRule & { money: NonNullable<CountingRule['money']> } => r.money !== undefined),
);

/** The rollup entity type of one Treasury total (e.g. spent by a user: `user_spent`). */
export function moneyEntityType(side: MoneySide, subject: MoneySubject): string {
  const rule = MONEY_RULES.find((r) => r.money.side === side && r.money.subject === subject);
  if (!rule) throw new Error(`no counting rule totals money ${side} per ${subject}`);
  return rule.rollup.entityType;
}

/** Rules that count each user once per bucket (rollups only). */
export const DISTINCT_RULES: readonly CountingRule[] = Object.freeze(COUNTING_RULES.filter((r) => 'distinctUsers' in r.weight));

/** Checked once at load: a distinct rule has no board and no KPI; no family prefix starts another. */
function checkRules(rules: readonly CountingRule[]): void {
  for (const r of rules) {
    const distinct = 'distinctUsers' in r.weight;
    if (distinct && (!('rollupOnly' in r.target) || r.kpi))
      throw new Error(`${r.rollup.entityType}/${r.rollup.metric}: a distinct rule is rollupOnly, without a KPI`);
    if (r.dnaMatch && !distinct) throw new Error(`${r.rollup.entityType}/${r.rollup.metric}: dnaMatch needs a distinct rule`);
    if (r.money && !('family' in r.target && r.target.keyKind === 'currency'))
      throw new Error(`${r.rollup.entityType}/${r.rollup.metric}: a money total is a family of boards per currency`);
  }
  const prefixes = rules.flatMap((r) => ('family' in r.target ? [r.target.family] : []));
  for (const a of prefixes) for (const b of prefixes) if (a !== b && b.startsWith(a)) throw new Error(`family ${a} is a prefix of family ${b}`);
}
checkRules(COUNTING_RULES);

/** The rule of a fixed board, or undefined. */
export function ruleOfBoard(board: string): CountingRule | undefined {
  return COUNTING_RULES.find((r) => 'board' in r.target && r.target.board === board);
}

/** The family rule whose prefix `board` starts with (`votes.` / `revenue.` / …), or undefined. */
export function familyRuleOf(board: string): CountingRule | undefined {
  return COUNTING_RULES.find((r) => 'family' in r.target && board.startsWith(r.target.family));
}

/** The family rules, each with its prefix: every dynamic board is one of them. */
export const FAMILY_RULES: ReadonlyArray<CountingRule & { target: Extract<Target, { family: string }> }> = Object.freeze(
  COUNTING_RULES.filter((r): r is CountingRule & { target: Extract<Target, { family: string }> } => 'family' in r.target),
);

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
