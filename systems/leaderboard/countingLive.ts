/**
 * The live interpreter of the counting rules (countingRules.ts): one accepted passport event → the increments
 * of the live leaderboards and KPI counters. The rollups run the same rules compiled to SQL
 * (persistence/leaderboard/rollupSql.ts), so a board rebuilt from them equals the live one.
 *
 * The rules are compiled to closures once at load, and indexed by event type: the feeder calls this for every
 * accepted event of every room. Pure: no clock, no I/O; the feeder supplies cities and names.
 */
import type { PassportEvent } from '../passport/events.js';
import { COUNTING_RULES, KPI_LEADERBOARD, PAIR_SEPARATOR, type CountingRule, type Expr, type Naming, type Weight } from './countingRules.js';
import { isValidId, isValidName, transitionName, type LeaderboardIncrement } from './leaderboards.js';

/** What the feeder knows when it maps an event: the session's city and artist names seen so far. */
export interface IncrementContext {
  /** City of the event (payload city wins; else the user's). Undefined/null: not counted on the city leaderboard. */
  city?: string | null;
  artistName?: (artistId: string) => string | undefined;
  /** Track display names from the catalog (a play names its track only when the client sends `trackName`). */
  trackName?: (trackId: string) => string | undefined;
}

type Payload = Record<string, unknown>;
/** An expression over one event: its payload, what the feeder knows, and the event's own user. */
type Value = (p: Payload, context: IncrementContext, userId: string | null) => string | undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function compileExpr(e: Expr): Value {
  if ('field' in e) {
    const name = e.field;
    return (p) => str(p[name]);
  }
  if ('first' in e) {
    const parts = e.first.map(compileExpr);
    return (p, c, u) => {
      for (const part of parts) {
        const v = part(p, c, u);
        if (v !== undefined) return v;
      }
      return undefined;
    };
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
  if ('distinctUsers' in w) return () => undefined; // the rollups' alone (countingRules.ts)
  if ('number' in w) {
    const { number: name, otherwise } = w;
    return (p) => {
      const v = p[name];
      return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : otherwise;
    };
  }
  const name = w.integer;
  return (p) => {
    const v = p[name];
    return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
  };
}

function compileName(naming: Naming | undefined): (p: Payload, entityId: string, c: IncrementContext) => string | undefined {
  switch (naming) {
    case 'artist':
      return (p, id, c) => str(p.artistName) ?? c.artistName?.(id);
    case 'track':
      return (p, id, c) => str(p.trackName) ?? c.trackName?.(id);
    case 'transition':
      return (_p, id, c) => (c.artistName ? transitionName(id, c.artistName) : undefined);
    default:
      return () => undefined;
  }
}

interface LiveRule {
  board: (p: Payload, c: IncrementContext, userId: string | null) => string | undefined;
  entity: Value;
  weight: (p: Payload) => number | undefined;
  name: (p: Payload, entityId: string, c: IncrementContext) => string | undefined;
  kpi?: { counter: string; perEntity: boolean };
}

function compileRule(rule: CountingRule): LiveRule {
  const t = rule.target;
  let board: LiveRule['board'];
  if ('board' in t) board = () => t.board;
  else if ('family' in t) {
    const key = compileExpr(t.key);
    board = (p, c, u) => {
      const k = key(p, c, u);
      return k === undefined ? undefined : `${t.family}${k}`;
    };
  } else board = () => undefined;
  return {
    board,
    entity: compileExpr(rule.entity),
    weight: compileWeight(rule.weight),
    name: compileName(rule.naming),
    kpi: rule.kpi ? { counter: rule.kpi.counter, perEntity: rule.kpi.perEntity === true } : undefined,
  };
}

interface RuleIndex {
  byType: Map<string, LiveRule[]>;
  byCategory: Map<string, LiveRule[]>;
}

function indexRules(rules: readonly CountingRule[]): RuleIndex {
  const index: RuleIndex = { byType: new Map(), byCategory: new Map() };
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

/**
 * The board that counts engagement by the user's city: the feeder adds to it once a user's city is looked up
 * (events whose city is unknown wait for that lookup).
 */
export const CITY_BOARD: string = (() => {
  const rule = COUNTING_RULES.find((r) => 'city' in r.entity && 'board' in r.target);
  if (!rule || !('board' in rule.target)) throw new Error('no counting rule counts by city');
  return rule.target.board;
})();

/** True when some rule counts events of this category (the city board's engagement). */
export function isEngagement(event: Pick<PassportEvent, 'eventCategory'>): boolean {
  return DEFAULT_INDEX.byCategory.has(event.eventCategory);
}

/** Appends one increment unless it would be invalid (an odd id never fails a whole batch). */
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

/**
 * The live counter of a rule table: one accepted passport event → the increments of the live leaderboards and
 * the KPI counters. `events` (every event) and `sessions` (session.started) have no rollup: a rebuild counts
 * them from the passport itself (persistence/leaderboard/rollupReads.ts eventCounts).
 */
export function liveCounter(rules: readonly CountingRule[]): (event: PassportEvent, context?: IncrementContext) => LeaderboardIncrement[] {
  const { byType, byCategory } = indexRules(rules);
  return (event, context = {}) => {
    const out: LeaderboardIncrement[] = [{ leaderboard: KPI_LEADERBOARD, entityId: 'events', by: 1 }];
    if (event.eventType === 'session.started') out.push({ leaderboard: KPI_LEADERBOARD, entityId: 'sessions', by: 1 });
    const p = event.payload as Payload;
    const u = event.userId;
    for (const rule of byType.get(event.eventType) ?? NONE) apply(rule, p, context, u, out);
    for (const rule of byCategory.get(event.eventCategory) ?? NONE) apply(rule, p, context, u, out);
    return out;
  };
}

/** The increments one accepted passport event contributes under the coliseum's rules (COUNTING_RULES). */
export const leaderboardIncrements = liveCounter(COUNTING_RULES);
