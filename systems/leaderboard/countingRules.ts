/**
 * What the coliseum counts, declared once: per rule the events, the entity, the weight, the rollup
 * (`coliseum_metrics` entity_type / metric) and the live board and KPI counter it feeds. The live feeder
 * (liveCounter), the rollups' SQL (persistence/leaderboard/rollups.ts), the rebuild, the sparklines and each
 * board's rollup source derive from it. A board is one rule here plus its title in STATIC_LEADERBOARDS.
 *
 * Expressions are a tiny language with exactly two interpreters (JS here, SQL there), so neither can drift: a
 * `field` is a non-empty string in the payload (any other JSON type is absent in both).
 */
import type { EventType, PassportEvent } from '../passport/events.js';
import { isValidId, isValidName, type LeaderboardIncrement } from './windows.js';

/** Composite entity ids (orb transitions, a family board's key in the rollups). */
export const PAIR_SEPARATOR = '>';
export const VOTE_LEADERBOARD_PREFIX = 'votes.';
/** The attendees of one Concierto event by what they did there (operators only). */
export const ATTENDEE_LEADERBOARD_PREFIX = 'engagement.';
/** Artists by the integer cents of purchases attributed to them, one board per currency. */
export const REVENUE_LEADERBOARD_PREFIX = 'revenue.';
/** Never listed or served. */
export const KPI_LEADERBOARD = 'kpi.totals';
/** Engagement on the city board (not session bookkeeping, sensors or badges). */
export const ENGAGEMENT_CATEGORIES: readonly string[] = Object.freeze(['station', 'orb', 'constellation', 'player', 'concierto', 'treasury', 'social']);

/** undefined (SQL NULL) when any part is missing. */
export type Expr =
  | { readonly field: string }
  /** SQL COALESCE. */
  | { readonly first: readonly Expr[] }
  /** `a>b`; absent unless both are present. */
  | { readonly pair: readonly [Expr, Expr] }
  | { readonly lower: Expr }
  /** The payload's city, else the user's (the feeder looks it up; the rollups join users). */
  | { readonly city: true }
  /** The event's `user_id`, never a payload field: boards of people, which only operators see. */
  | { readonly user: true };

/** Always whole, as the rollups store them (bigint). */
export type Weight =
  | { readonly one: true }
  /** A positive whole number in the payload (a vote's weight), else `otherwise`. */
  | { readonly number: string; readonly otherwise: number }
  /** A positive whole number (cents) in the payload, else not counted. */
  | { readonly integer: string }
  /** Unique listeners: not additive over events, so only the rollups count it (a members table remembers who); `rollupOnly`, no KPI. */
  | { readonly distinctUsers: true };

export type Match = { readonly types: readonly EventType[] } | { readonly categories: readonly string[] };

/** One fixed board; a family keyed by the event (`votes.<eventId>`, rollup entity `key>entity`); or a rollup only. */
export type Target =
  | { readonly board: string }
  | {
      readonly family: string;
      readonly key: Expr;
      /** `currency` (3 lower-case letters) or `id`. */
      readonly keyKind: 'currency' | 'id';
      /** `{key}` is replaced by the key (upper-cased for a currency). */
      readonly title: string;
    }
  | { readonly rollupOnly: true };

/** Boards of people (their spending, their engagement) are `ops`: a public board would publish who spends what. */
export type Audience = 'public' | 'ops';

export type MoneySide = 'spent' | 'earned';
export type MoneySubject = 'user' | 'artist' | 'event';

/** The rebuild names entities from the catalog the same way; `event`: a Concierto event's title. */
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
  /** A Treasury total; rollup ids `<currency>><id>`. */
  readonly money?: { readonly side: MoneySide; readonly subject: MoneySubject };
  /** Distinct-user rules only: also average the counted users' DNA match with the entity. */
  readonly dnaMatch?: 'artist' | 'event';
  /** Adds the same weight; `perEntity`: the counter is `<counter>:<entity>`. */
  readonly kpi?: { readonly counter: string; readonly perEntity?: boolean };
}

const f = (field: string): Expr => ({ field });
const ONE: Weight = { one: true };
const USER: Expr = { user: true };
const VOTES: Weight = { number: 'weight', otherwise: 1 };
const DISTINCT: Weight = { distinctUsers: true };
const CENTS: Weight = { integer: 'amountCents' };
const CURRENCY: Expr = { lower: f('currency') };
const types = (...t: EventType[]): Match => ({ types: t });
const EVENT_ENGAGEMENT = types('concierto.vote_cast', 'concierto.event_attended', 'treasury.purchase_completed', 'player.track_played', 'social.link_shared');
const ROLLUP_ONLY: Target = { rollupOnly: true };
const perEvent = (family: string, title: string): Target => ({ family, key: f('eventId'), keyKind: 'id', title });

/** A rule in one line: a board name or a target, the rollup as `entity_type/metric`; one per event unless `more` weighs it. */
function rule(target: Target | string, rollup: string, match: Match, entity: Expr, more: Partial<CountingRule> = {}): CountingRule {
  const [entityType, metric] = rollup.split('/') as [string, string];
  return { target: typeof target === 'string' ? { board: target } : target, rollup: { entityType, metric }, match, entity, weight: ONE, ...more };
}

/** A Treasury total: integer cents per currency (that currency's minor units, never mixed), per user, artist or event. */
function money(side: MoneySide, subject: MoneySubject, family: string, title: string, rollup: string, audience: Audience = 'ops'): CountingRule {
  const target: Target = { family, key: CURRENCY, keyKind: 'currency', title };
  const match = types(side === 'spent' ? 'treasury.purchase_completed' : 'treasury.money_earned');
  const named = subject === 'user' ? { entity: USER, naming: undefined } : { entity: f(`${subject}Id`), naming: subject };
  return rule(target, rollup, match, named.entity, { weight: CENTS, naming: named.naming, audience, money: { side, subject } });
}

/** Order is display order only. */
export const COUNTING_RULES: readonly CountingRule[] = Object.freeze([
  rule('artists.visits', 'artist/station_visits', types('station.visited', 'station.locked'), f('artistId'), { naming: 'artist', kpi: { counter: 'visits' } }),
  rule('artists.captures', 'artist/captures', types('constellation.captured'), f('artistId'), { naming: 'artist', kpi: { counter: 'captures' } }),
  rule('artists.plays', 'artist/plays', types('player.track_played'), f('artistId'), { naming: 'artist' }),
  rule('tracks.plays', 'track/plays', types('player.track_played'), f('trackId'), { naming: 'track', kpi: { counter: 'plays' } }),
  rule(
    'orbs.transitions',
    'orb_transition/transitions',
    types('orb.tapped'),
    { pair: [f('fromArtistId'), f('toArtistId')] },
    { naming: 'transition', kpi: { counter: 'transitions' } },
  ),
  // Popular paths between stations: read by reports, not a live board.
  rule(ROLLUP_ONLY, 'artist_path/visits', types('station.visited'), { pair: [f('cameFrom'), f('artistId')] }),
  rule('cities.engagement', 'city/engagement', { categories: ENGAGEMENT_CATEGORIES }, { city: true }),
  rule('events.attendance', 'concierto_event/attendance', types('concierto.event_attended'), f('eventId'), { naming: 'event', kpi: { counter: 'attendance' } }),
  rule(
    perEvent(VOTE_LEADERBOARD_PREFIX, 'Votes: {key}'),
    'vote_option/votes',
    types('concierto.vote_cast'),
    { first: [f('voteFor'), f('artistId')] },
    { weight: VOTES, naming: 'artist' },
  ),
  rule('events.votes', 'concierto_event/votes', types('concierto.vote_cast'), f('eventId'), { weight: VOTES, naming: 'event', kpi: { counter: 'votes' } }),
  rule('events.engagement', 'concierto_event/engagement', EVENT_ENGAGEMENT, f('eventId'), { naming: 'event' }),
  // The attendees of one event ranked by what they did there (votes, attendance, purchases, plays, shares).
  rule(perEvent(ATTENDEE_LEADERBOARD_PREFIX, 'Attendee engagement: {key}'), 'event_attendee/engagement', EVENT_ENGAGEMENT, USER, { audience: 'ops' }),
  money('spent', 'artist', REVENUE_LEADERBOARD_PREFIX, 'Top supported artists by revenue ({key})', 'artist_revenue/revenue_cents', 'public'),
  // Treasury: what was spent on an event, and by whom; what was earned.
  money('spent', 'event', 'events.revenue.', 'Top events by revenue ({key})', 'event_revenue/revenue_cents', 'public'),
  money('spent', 'user', 'spent.', 'Listeners by money spent ({key})', 'user_spent/spent_cents'),
  money('earned', 'user', 'earned.', 'Accounts by money earned ({key})', 'user_earned/earned_cents'),
  money('earned', 'artist', 'artists.earned.', 'Artists by money earned ({key})', 'artist_earned/earned_cents'),
  money('earned', 'event', 'events.earned.', 'Events by money earned ({key})', 'event_earned/earned_cents'),
  // Revenue per currency: the revenue KPI tiles (`revenue:<currency>`).
  rule(ROLLUP_ONLY, 'currency/revenue_cents', types('treasury.purchase_completed'), CURRENCY, { weight: CENTS, kpi: { counter: 'revenue', perEntity: true } }),
  // Rollups: completions (rate = completions ÷ plays), link shares and opens, unique listeners with their DNA match.
  rule(ROLLUP_ONLY, 'artist/completions', types('player.track_completed'), f('artistId')),
  rule(ROLLUP_ONLY, 'track/completions', types('player.track_completed'), f('trackId')),
  // Shared, then opened by whoever got them.
  ...(['artist/artistId', 'concierto_event/eventId', 'track/trackId'] as const).flatMap((target) => {
    const [entityType, field] = target.split('/') as [string, string];
    return [
      rule(ROLLUP_ONLY, `${entityType}/shares`, types('social.link_shared'), f(field)),
      rule(ROLLUP_ONLY, `${entityType}/link_opens`, types('social.link_opened'), f(field)),
    ];
  }),
  rule(ROLLUP_ONLY, 'artist/unique_listeners', types('player.track_played'), f('artistId'), { weight: DISTINCT, dnaMatch: 'artist' }),
  rule(ROLLUP_ONLY, 'track/unique_listeners', types('player.track_played'), f('trackId'), { weight: DISTINCT }),
  rule(ROLLUP_ONLY, 'concierto_event/unique_listeners', EVENT_ENGAGEMENT, f('eventId'), { weight: DISTINCT, dnaMatch: 'event' }),
]);

/** Sum of matches (× {@link DNA_MATCH_SCALE}) and how many were matched. */
export const DNA_MATCH_METRICS = Object.freeze({ sum: 'dna_match_sum', count: 'dna_matched' });
/** The rollups are bigint: 0.7412 → 7412. */
export const DNA_MATCH_SCALE = 10_000;

export const MONEY_RULES: ReadonlyArray<CountingRule & { money: NonNullable<CountingRule['money']> }> = Object.freeze(
  COUNTING_RULES.filter((r): r is CountingRule & { money: NonNullable<CountingRule['money']> } => r.money !== undefined),
);

/** e.g. `user_spent`. */
export function moneyEntityType(side: MoneySide, subject: MoneySubject): string {
  const rule = MONEY_RULES.find((r) => r.money.side === side && r.money.subject === subject);
  if (!rule) throw new Error(`no counting rule totals money ${side} per ${subject}`);
  return rule.rollup.entityType;
}

export const DISTINCT_RULES: readonly CountingRule[] = Object.freeze(COUNTING_RULES.filter((r) => 'distinctUsers' in r.weight));

/** At load: a distinct rule has no board and no KPI; no family prefix starts another. */
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

export function ruleOfBoard(board: string): CountingRule | undefined {
  return COUNTING_RULES.find((r) => 'board' in r.target && r.target.board === board);
}

/** `votes.` / `revenue.` / … */
export function familyRuleOf(board: string): (typeof FAMILY_RULES)[number] | undefined {
  return FAMILY_RULES.find((r) => board.startsWith(r.target.family));
}

export const FAMILY_RULES: ReadonlyArray<CountingRule & { target: Extract<Target, { family: string }> }> = Object.freeze(
  COUNTING_RULES.filter((r): r is CountingRule & { target: Extract<Target, { family: string }> } => 'family' in r.target),
);

/** Rules that refill live boards from the rollups. */
export const BOARD_RULES: readonly CountingRule[] = Object.freeze(COUNTING_RULES.filter((r) => !('rollupOnly' in r.target)));

type KpiRule = CountingRule & { kpi: NonNullable<CountingRule['kpi']> };

export const kpiRules = (rules: readonly CountingRule[]): readonly KpiRule[] => rules.filter((r): r is KpiRule => r.kpi !== undefined);

export const KPI_RULES: readonly KpiRule[] = Object.freeze(kpiRules(COUNTING_RULES));

/** null when no board shows that rollup. Family rows carry their board's key before the entity id (`eventId>voteFor`). */
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

/** "Wizkid → Fela Kuti", undefined unless both names are known. */
export function transitionName(entityId: string, artistName: (id: string) => string | undefined): string | undefined {
  const at = entityId.indexOf(PAIR_SEPARATOR);
  if (at <= 0) return undefined;
  const from = artistName(entityId.slice(0, at));
  const to = artistName(entityId.slice(at + 1));
  return from && to ? `${from} → ${to}` : undefined;
}

/** Its title, then its artist unless the title names them ("Essence · Wizkid"). */
export function trackName(title: string | null | undefined, artistName: string | null | undefined): string | undefined {
  const t = title?.trim();
  if (!t) return undefined;
  const a = artistName?.trim();
  return a && !t.toLowerCase().includes(a.toLowerCase()) ? `${t} · ${a}` : t;
}

/** The event's city (payload's, else the user's) and names seen so far. */
export interface IncrementContext {
  /** Undefined/null: not counted on the city board. */
  city?: string | null;
  artistName?: (artistId: string) => string | undefined;
  /** A play names its track only when the client sends `trackName`. */
  trackName?: (trackId: string) => string | undefined;
}

type Payload = Record<string, unknown>;
type Value = (p: Payload, context: IncrementContext, userId: string | null) => string | undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const positiveInteger = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined);

function compileExpr(e: Expr): Value {
  if ('field' in e) {
    const name = e.field;
    return (p) => str(p[name]);
  }
  if ('first' in e) {
    const parts = e.first.map(compileExpr);
    return (p, c, u) => parts.reduce<string | undefined>((v, part) => v ?? part(p, c, u), undefined);
  }
  if ('pair' in e) {
    const [a, b] = e.pair.map(compileExpr) as [Value, Value];
    return (p, c, u) => {
      const x = a(p, c, u);
      const y = x === undefined ? undefined : b(p, c, u);
      return y === undefined ? undefined : `${x}${PAIR_SEPARATOR}${y}`;
    };
  }
  if ('lower' in e) {
    const inner = compileExpr(e.lower);
    return (p, c, u) => inner(p, c, u)?.toLowerCase();
  }
  if ('user' in e) return (_p, _c, u) => str(u);
  return (p, c) => str(p.city) ?? str(c.city);
}

function compileWeight(w: Weight): (p: Payload) => number | undefined {
  if ('one' in w) return () => 1;
  if ('distinctUsers' in w) return () => undefined;
  if ('number' in w) return (p) => positiveInteger(p[w.number]) ?? w.otherwise;
  return (p) => positiveInteger(p[w.integer]);
}

function compileName(naming: Naming | undefined): (p: Payload, entityId: string, c: IncrementContext) => string | undefined {
  if (naming === 'artist') return (p, id, c) => str(p.artistName) ?? c.artistName?.(id);
  if (naming === 'track') return (p, id, c) => str(p.trackName) ?? c.trackName?.(id);
  if (naming === 'transition') return (_p, id, c) => (c.artistName ? transitionName(id, c.artistName) : undefined);
  return () => undefined;
}

interface LiveRule {
  board: (p: Payload, c: IncrementContext, userId: string | null) => string | undefined;
  entity: Value;
  weight: (p: Payload) => number | undefined;
  name: (p: Payload, entityId: string, c: IncrementContext) => string | undefined;
  kpi: CountingRule['kpi'];
}

function compileRule(rule: CountingRule): LiveRule {
  const t = rule.target;
  let board: LiveRule['board'] = () => undefined;
  if ('board' in t) board = () => t.board;
  else if ('family' in t) {
    const key = compileExpr(t.key);
    board = (p, c, u) => {
      const k = key(p, c, u);
      return k === undefined ? undefined : `${t.family}${k}`;
    };
  }
  return { board, entity: compileExpr(rule.entity), weight: compileWeight(rule.weight), name: compileName(rule.naming), kpi: rule.kpi };
}

/** Compiled once and indexed: the feeder maps every accepted event of every room. */
function indexRules(rules: readonly CountingRule[]): { byType: Map<string, LiveRule[]>; byCategory: Map<string, LiveRule[]> } {
  const index = { byType: new Map<string, LiveRule[]>(), byCategory: new Map<string, LiveRule[]>() };
  for (const rule of rules) {
    // A rollup-only rule without a KPI adds nothing live.
    if ('rollupOnly' in rule.target && !rule.kpi) continue;
    const live = compileRule(rule);
    const [map, keys] = 'types' in rule.match ? [index.byType, rule.match.types] : [index.byCategory, rule.match.categories];
    for (const key of keys) map.set(key, [...(map.get(key) ?? []), live]);
  }
  return index;
}
const NONE: LiveRule[] = [];
const DEFAULT_INDEX = indexRules(COUNTING_RULES);

/** Events whose city is unknown wait for the feeder's lookup. */
export const CITY_BOARD: string = (() => {
  const rule = COUNTING_RULES.find((r) => 'city' in r.entity && 'board' in r.target);
  if (!rule || !('board' in rule.target)) throw new Error('no counting rule counts by city');
  return rule.target.board;
})();

export function isEngagement(event: Pick<PassportEvent, 'eventCategory'>): boolean {
  return DEFAULT_INDEX.byCategory.has(event.eventCategory);
}

/** Skips an invalid one: an odd id never fails a whole batch. */
function push(out: LeaderboardIncrement[], leaderboard: string, entityId: string, by: number, name: string | undefined): void {
  if (!isValidId(entityId) || !isValidId(leaderboard) || !(by > 0) || !Number.isFinite(by)) return;
  out.push(name !== undefined && isValidName(name) ? { leaderboard, entityId, by, name } : { leaderboard, entityId, by });
}

function apply(rule: LiveRule, p: Payload, c: IncrementContext, u: string | null, out: LeaderboardIncrement[]): void {
  const entityId = rule.entity(p, c, u);
  if (entityId === undefined) return;
  const by = rule.weight(p);
  if (by === undefined) return;
  const board = rule.board(p, c, u);
  // The rollups count a row whatever the id's shape; so does the KPI counter. Only the board skips odd ids.
  if (board !== undefined) push(out, board, entityId, by, rule.name(p, entityId, c));
  if (rule.kpi) push(out, KPI_LEADERBOARD, rule.kpi.perEntity ? `${rule.kpi.counter}:${entityId}` : rule.kpi.counter, by, undefined);
}

/** `events` and `sessions` have no rollup: a rebuild counts them from the passport. */
export function liveCounter(rules: readonly CountingRule[]): (event: PassportEvent, context?: IncrementContext) => LeaderboardIncrement[] {
  const { byType, byCategory } = indexRules(rules);
  return (event, context = {}) => {
    const out: LeaderboardIncrement[] = [{ leaderboard: KPI_LEADERBOARD, entityId: 'events', by: 1 }];
    if (event.eventType === 'session.started') out.push({ leaderboard: KPI_LEADERBOARD, entityId: 'sessions', by: 1 });
    const p = event.payload as Payload;
    for (const rule of byType.get(event.eventType) ?? NONE) apply(rule, p, context, event.userId, out);
    for (const rule of byCategory.get(event.eventCategory) ?? NONE) apply(rule, p, context, event.userId, out);
    return out;
  };
}

export const leaderboardIncrements = liveCounter(COUNTING_RULES);

/**
 * Client-claimed events that move a public board, and about which entity: what one user may add to one row is
 * bounded (features/limits/ingestLimits.ts). Votes are not claimable at all (the route records them, one per user
 * and event), nor purchases once the payment webhook is configured.
 */
export const SERVER_ONLY_TYPES: Readonly<Record<string, string>> = Object.freeze({
  'concierto.vote_cast':
    'votes are cast with POST /api/concierto/events/:eventId/votes (one per user and event); the server records concierto.vote_cast itself',
  'social.link_shared': 'share links are made with POST /api/links; the server records social.link_shared itself',
  'social.link_opened': 'opens are counted when someone follows a share link (GET /l/:linkId); the server records social.link_opened itself',
});

/** With PAYMENT_WEBHOOK_SECRET set the revenue boards and KPIs no longer rest on what a client claims. */
export function serverOnlyTypes(verifiedPurchases: boolean): Readonly<Record<string, string>> {
  if (!verifiedPurchases) return SERVER_ONLY_TYPES;
  return Object.freeze({
    ...SERVER_ONLY_TYPES,
    'treasury.purchase_completed':
      "purchases are recorded from the payment provider's signed webhook (POST /api/payments/webhook); the server records treasury.purchase_completed itself",
    'treasury.money_earned':
      "money earned is recorded from the payment provider's signed payouts (POST /api/payments/webhook, payout.paid); the server records treasury.money_earned itself",
  });
}

/** With the window its bound counts in (attendance: a day); null when it moves no row. */
export function claimedEntity(event: Pick<PassportEvent, 'eventType' | 'payload'>): { entity: string; window: 'hour' | 'day' } | null {
  const p = (event.payload ?? {}) as Payload;
  if (event.eventType === 'player.track_played') return str(p.trackId) ? { entity: str(p.trackId)!, window: 'hour' } : null;
  if (event.eventType === 'concierto.event_attended') return str(p.eventId) ? { entity: str(p.eventId)!, window: 'day' } : null;
  // A purchase without an artist or event still moves the user's own row.
  if (event.eventType === 'treasury.purchase_completed' || event.eventType === 'treasury.money_earned')
    return { entity: str(p.artistId) ?? str(p.eventId) ?? 'self', window: 'hour' };
  return null;
}
