/**
 * Feeds the live boards from committed passport events, so they count exactly what the rollups will. `accept` is
 * synchronous and merges increments per (event hour, leaderboard, entity); flushes run one at a time, at least
 * `flushIntervalMs` apart (fewer Redis commands vs spectator lag). Past `maxPendingKeys` new keys are dropped and
 * counted (the rollups still count them); a failed flush merges back. A bucket group no spectator reads is written
 * every `unwatchedFlushMs` only. Buckets follow event time, so an offline replay of yesterday counts in yesterday.
 */
import type { Logger } from 'pino';
import { LRUCache } from 'lru-cache';
import type { PassportEvent } from '../../systems/passport/events.js';
import {
  CITY_BOARD,
  PAIR_SEPARATOR,
  familyRuleOf,
  isEngagement,
  leaderboardIncrements,
  ruleOfBoard,
  trackName,
  transitionName,
  type Naming,
} from '../../systems/leaderboard/countingRules.js';
import {
  DAY_GROUP,
  EVERY_GROUP,
  HOUR_GROUP,
  LeaderboardError,
  PartialIncrementError,
  isValidName,
  upsert,
  type BucketGroups,
  type LeaderboardIncrement,
  type LeaderboardStore,
} from '../../systems/leaderboard/windows.js';
import type { LeaderboardLookups } from '../../persistence/leaderboard/boardTables.js';
import type { WatchedLeaderboards } from './LeaderboardChanges.js';

/** The config's `leaderboard` group (docs/CONFIG.md). */
export interface FeederTuning {
  flushIntervalMs: number;
  /** ≥ flushIntervalMs; equal: nothing is held back. */
  unwatchedFlushMs: number;
  maxPendingKeys: number;
  maxBatchKeys: number;
  /** Entries in each lookup cache (user → city, artist → name, track → name). */
  lookupCacheSize: number;
  cityTtlMs: number;
  maxRetryDelayMs: number;
}

export interface LeaderboardFeederOptions extends FeederTuning {
  store: LeaderboardStore;
  log: Logger;
  lookups?: LeaderboardLookups;
  now?: () => number;
  /** Each sampled lag (ms, receivedAt → store updated), e.g. a metrics histogram. */
  observeLag?: (ms: number) => void;
  /** The bucket groups spectators read; without it every flush writes every bucket. */
  watched?: Pick<WatchedLeaderboards, 'groups'>;
  /** Told the leaderboards each flush wrote (e.g. LeaderboardChanges.publish). */
  onWritten?: (leaderboards: readonly string[]) => void;
}

/** The part of the PassportWriter the feeder needs. */
export interface CommittedEventSource {
  onCommitted(listener: (events: readonly PassportEvent[]) => void): () => void;
}

const RECEIVED_SAMPLES = 1024;
/** A first increment after a quiet spell is flushed this soon (or after `flushIntervalMs`, if shorter). */
const QUIET_FLUSH_DELAY_MS = 50;
const GROUPS = [HOUR_GROUP, DAY_GROUP] as const;

const HOUR_MS = 3_600_000;
/** Start of the UTC hour of an event's own time (occurredAt), the rollups' bucket; receivedAt if it has none. */
const eventHour = (event: PassportEvent): number => {
  const t = Number.isFinite(event.occurredAt) ? event.occurredAt : event.receivedAt;
  return Math.floor(t / HOUR_MS) * HOUR_MS;
};

/** (event hour, userId) → engagement events whose city is still unknown. */
type PendingCities = Map<string, { userId: string; at: number; count: number }>;

export class LeaderboardFeeder {
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly watchedGroups: () => BucketGroups | 0;
  private readonly unwatchedFlushMs: number;
  /** Users' cities for the city board, looked up or told by their session; and the names events carry or the catalog has. */
  private readonly userCities: LRUCache<string, { city: string | null; at: number }>;
  private readonly names: BoardNames;

  /** Amounts not written yet, per bucket group: a group nobody reads is held until its flush. */
  private readonly items = new IncrementMap();
  /** Groups `items` holds amounts for. */
  private pendingGroups: BucketGroups | 0 = 0;
  private cities: PendingCities = new Map();
  /** receivedAt (ms) of sampled events not written yet, for lag. */
  private received: number[] = [];
  private flushing: Promise<void> | null = null;
  private readonly timer = new DueTimer(() => {
    if (!this.flushing && !this.stopped) this.flushing = this.flushOnce();
  });
  private attempt = 0;
  private stopped = false;
  private detach: (() => void) | null = null;
  /** performance.now() when each group was last written. */
  private readonly lastWrite: Record<BucketGroups, number> = { 1: -Infinity, 2: -Infinity, 3: -Infinity };
  private lastDropLog = 0;
  private readonly counters = { events: 0, dropped: 0, flushes: 0, failedFlushes: 0 };

  constructor(private readonly options: LeaderboardFeederOptions) {
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.userCities = new LRUCache({ max: options.lookupCacheSize });
    this.names = new BoardNames(options.lookups ?? {}, this.log, options.lookupCacheSize);
    const watched = options.watched;
    this.watchedGroups = watched ? () => watched.groups() : () => EVERY_GROUP;
    this.unwatchedFlushMs = Math.max(options.flushIntervalMs, options.unwatchedFlushMs);
  }

  /** Subscribes to a writer's accepted batches (once). */
  attach(source: CommittedEventSource): this {
    this.detach?.();
    this.detach = source.onCommitted((events) => this.accept(events));
    return this;
  }

  /** Maps and queues accepted events. Synchronous; never throws (a listener must not fail the writer). */
  accept(events: readonly PassportEvent[]): void {
    if (this.stopped) return;
    for (const event of events) {
      try {
        this.acceptOne(event);
      } catch (err) {
        this.log.warn({ err: (err as Error).message, eventType: event?.eventType }, 'leaderboard feeder skipped an event it could not map');
      }
    }
    this.schedule();
  }

  /** Flushes everything pending now, held groups included (and waits for a flush already running). */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing;
    if (this.pendingSize() === 0) return;
    this.timer.clear();
    this.flushing = this.flushOnce(true);
    await this.flushing;
  }

  /** Detaches, then makes one last flush attempt (bounded by `timeoutMs`). Resolves to the increments left unwritten. */
  async stop(timeoutMs = 2_000): Promise<number> {
    this.detach?.();
    this.detach = null;
    this.timer.clear();
    const final = this.flush().catch(() => undefined);
    await Promise.race([final, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    this.stopped = true;
    this.timer.clear();
    const left = this.pendingSize();
    if (left > 0) this.log.warn({ left }, 'leaderboard feeder stopped with increments unwritten (the rollups still count them)');
    return left;
  }

  /** `dropped`: pending map full or refused as invalid. */
  stats() {
    return { pendingKeys: this.items.size, pendingCityUsers: this.cities.size, ...this.counters };
  }

  private acceptOne(event: PassportEvent): void {
    this.counters.events++;
    const city = this.learn(event);
    const at = eventHour(event);
    const { names } = this;
    for (const item of leaderboardIncrements(event, { city: city ?? null, artistName: names.artistName, trackName: names.trackName })) this.add(item, at);
    if (city === undefined && event.userId && isEngagement(event) && this.options.lookups?.citiesOf) this.addCityPending(event.userId, at, 1);
    if (this.received.length < RECEIVED_SAMPLES && Number.isFinite(event.receivedAt)) this.received.push(event.receivedAt);
  }

  private pendingSize(): number {
    return this.items.size + this.cities.size;
  }

  private add(item: LeaderboardIncrement, at: number, groups: BucketGroups = EVERY_GROUP): void {
    if (!this.items.merge(item, at, groups, this.pendingSize() >= this.options.maxPendingKeys)) this.drop(1);
    else this.pendingGroups |= groups;
  }

  private addCityPending(userId: string, at: number, count: number): void {
    const key = `${at}\u0000${userId}`;
    const existing = this.cities.get(key);
    if (existing !== undefined) existing.count += count;
    else if (this.pendingSize() >= this.options.maxPendingKeys) this.drop(count);
    else this.cities.set(key, { userId, at, count });
    this.pendingGroups = EVERY_GROUP;
  }

  private drop(count: number): void {
    this.counters.dropped += count;
    if (this.now() - this.lastDropLog < 10_000) return;
    this.lastDropLog = this.now();
    this.log.warn(
      { maxPendingKeys: this.options.maxPendingKeys, dropped: this.counters.dropped },
      'leaderboard feeder pending map is full: increments to new keys are dropped until the store catches up',
    );
  }

  /** When group `g` is next due: `flushIntervalMs` after its last write if a spectator reads it, else `unwatchedFlushMs`. */
  private dueAt(g: BucketGroups, watched: BucketGroups | 0): number {
    return this.lastWrite[g] + ((watched & g) !== 0 ? this.options.flushIntervalMs : this.unwatchedFlushMs);
  }

  /** Arms the one timer for the first group due, at least QUIET_FLUSH_DELAY_MS away (a retry: after its backoff). */
  private schedule(): void {
    if (this.stopped || this.flushing || this.pendingSize() === 0) return;
    if (this.items.size >= this.options.maxBatchKeys && this.attempt === 0) {
      this.timer.clear();
      this.flushing = this.flushOnce(true);
      return;
    }
    const now = performance.now();
    let due = Infinity;
    if (this.attempt > 0) due = now + Math.min(this.options.maxRetryDelayMs, 50 * 2 ** (this.attempt - 1));
    else {
      const watched = this.watchedGroups();
      for (const g of GROUPS) if (this.pendingGroups & g) due = Math.min(due, this.dueAt(g, watched));
      due = Math.max(due, now + Math.min(this.options.flushIntervalMs, QUIET_FLUSH_DELAY_MS));
    }
    // Hot path (every accepted batch): an armed timer stands unless this is sooner (a group newly watched).
    this.timer.at(due);
  }

  /** One flush: the groups due (all of them when `everything`), every leaderboard at once. */
  private async flushOnce(everything = false): Promise<void> {
    const startedAt = performance.now();
    const cities = this.cities;
    this.cities = new Map();
    // Unwritten at a failure: the cities until they are resolved, then what the writes left.
    let remaining: TimedIncrement[] = [];
    let received: number[] = [];
    try {
      await this.resolveCities(cities);
      const watched = this.watchedGroups();
      let due = 0;
      for (const g of GROUPS) if (everything || this.dueAt(g, watched) <= startedAt + DueTimer.SLACK_MS) due |= g;
      for (const g of GROUPS) if (due & g) this.lastWrite[g] = startedAt;
      // Cities that arrived while this flush resolved others are still pending, for every group.
      this.pendingGroups = this.cities.size > 0 ? EVERY_GROUP : ((this.pendingGroups & ~due) as BucketGroups | 0);
      remaining = this.items.take(due as BucketGroups | 0);
      [received, this.received] = [this.received, []];
      await this.names.fill(remaining, (item) => item.leaderboard);
      const keys = remaining.length;
      // Oldest hour first; each chunk holds one event hour (the store buckets a whole call at one time).
      remaining.sort((a, b) => a.at - b.at);
      const written = new Set<string>();
      while (remaining.length > 0) {
        const at = remaining[0].at;
        let end = 0;
        while (end < remaining.length && end < this.options.maxBatchKeys && remaining[end].at === at) end++;
        const chunk = remaining.slice(0, end);
        try {
          await this.write(chunk, at);
        } catch (err) {
          // The leaderboards the store did write are not put back: a retry would count them twice.
          if (err instanceof PartialIncrementError) {
            const applied = new Set(err.applied);
            const unwritten = chunk.filter((item) => !applied.has(item.leaderboard));
            remaining = [...unwritten, ...remaining.slice(end)];
          }
          throw err;
        }
        for (const item of chunk) written.add(item.leaderboard);
        remaining = remaining.slice(end);
      }
      // A sample's lag ends at the first flush that writes something after it (its event's watched groups).
      const done = this.now();
      if (keys > 0) for (const r of received) this.options.observeLag?.(Math.max(0, done - r));
      else this.keepSamples(received);
      this.attempt = 0;
      this.counters.flushes++;
      if (written.size > 0) this.notifyWritten(written);
    } catch (err) {
      this.fail(err, remaining, cities, received);
    } finally {
      this.flushing = null;
    }
    this.schedule();
  }

  private async write(chunk: TimedIncrement[], at: number): Promise<void> {
    const items = chunk.map(({ at: _at, ...item }) => item);
    try {
      await this.options.store.incrementMany(items, at);
    } catch (err) {
      // Validation is all-or-nothing: a refused chunk would be refused forever, so it is dropped (logged).
      if (!(err instanceof LeaderboardError)) throw err;
      this.counters.dropped += chunk.length;
      this.log.error({ err: err.message, code: err.code, items: chunk.length }, 'leaderboard store refused a feeder batch as invalid; dropped it');
    }
  }

  private fail(err: unknown, remaining: TimedIncrement[], cities: PendingCities, received: number[]): void {
    this.counters.failedFlushes++;
    this.attempt++;
    // Put back what was not written, each amount in its own group; the merge rule keeps memory bounded.
    for (const item of remaining) this.add(item, item.at, item.groups);
    for (const c of cities.values()) this.addCityPending(c.userId, c.at, c.count);
    this.keepSamples(received);
    this.log.warn(
      { err: (err as Error)?.message ?? String(err), attempt: this.attempt, pendingKeys: this.pendingSize() },
      'leaderboard feeder flush failed; retrying',
    );
  }

  private keepSamples(received: number[]): void {
    this.received = [...received, ...this.received].slice(0, RECEIVED_SAMPLES);
  }

  /** Learns the artist name an event carries and a session's own city; returns the event's city if known (null: none, undefined: unknown). */
  private learn(event: PassportEvent): string | null | undefined {
    const p = event.payload as Record<string, unknown>;
    const [artistId, artistName, ownCity] = [str(p.artistId), str(p.artistName), str(p.city)];
    // station.visited / constellation.captured carry the artist's name.
    if (artistId && artistName) this.names.learnArtist(artistId, artistName);
    if (ownCity && event.userId && (event.eventType === 'session.started' || event.eventType === 'session.resumed')) {
      this.userCities.set(event.userId, { city: ownCity, at: this.now() });
    }
    return ownCity ?? this.cachedCity(event.userId);
  }

  /** The user's city from the cache: a string, null (known to have none), or undefined (unknown / stale). */
  private cachedCity(userId: string | null): string | null | undefined {
    if (!userId) return null;
    const hit = this.userCities.get(userId);
    return !hit || this.now() - hit.at > this.options.cityTtlMs ? undefined : hit.city;
  }

  /** Turns "engagement by a user of unknown city" into city-leaderboard increments (one lookup for all misses). */
  private async resolveCities(cities: PendingCities): Promise<void> {
    const citiesOf = this.options.lookups?.citiesOf;
    if (cities.size === 0 || !citiesOf) return;
    const misses = [...new Set([...cities.values()].map((c) => c.userId))].filter((id) => this.cachedCity(id) === undefined);
    if (misses.length > 0) {
      const found = await citiesOf(misses);
      const at = this.now();
      for (const id of misses) this.userCities.set(id, { city: found.get(id) ?? null, at });
    }
    for (const c of cities.values()) {
      const city = this.cachedCity(c.userId);
      if (city) this.add({ leaderboard: CITY_BOARD, entityId: city, by: c.count }, c.at);
    }
    cities.clear();
  }

  private notifyWritten(leaderboards: ReadonlySet<string>): void {
    try {
      this.options.onWritten?.([...leaderboards]);
    } catch (err) {
      this.log.error({ err }, 'leaderboard feeder onWritten listener threw');
    }
  }
}

/** One timeout, armed for the earliest time (performance.now ms) asked since it last fired or was cleared. */
export class DueTimer {
  /** It may fire a millisecond early: a time this close to due counts as due. */
  static readonly SLACK_MS = 2;
  private timer: NodeJS.Timeout | null = null;
  private due = Infinity;

  constructor(private readonly fire: () => void) {}

  at(due: number): void {
    if (this.timer && this.due <= due) return;
    this.clear();
    this.due = due;
    this.timer = setTimeout(() => (this.clear(), this.fire()), Math.max(0, due - performance.now()));
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.due = Infinity;
  }
}

/** An increment with the start of its event's hour (the store buckets it there). */
type TimedIncrement = LeaderboardIncrement & { at: number };
/** A key's amounts not yet written to its hour bucket and to its day and all-time buckets. */
type Held = { leaderboard: string; entityId: string; name?: string; at: number; hour: number; day: number };

/** Nested maps, not joined keys: a lookup builds no string, and every room's accepted events pass through `merge`. */
class IncrementMap {
  private readonly byHour = new Map<number, Map<string, Map<string, Held>>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `item`'s amount (and name) to `groups` of the one under (at, leaderboard, entityId); false when that is new and `full`. */
  merge({ leaderboard, entityId, by, name }: LeaderboardIncrement, at: number, groups: BucketGroups, full: boolean): boolean {
    let held = this.byHour.get(at)?.get(leaderboard)?.get(entityId);
    if (!held) {
      if (full) return false;
      const boards = upsert(this.byHour, at, () => new Map());
      upsert(boards, leaderboard, () => new Map()).set(entityId, (held = { leaderboard, entityId, at, hour: 0, day: 0 }));
      this.count++;
    }
    if (groups & HOUR_GROUP) held.hour += by;
    if (groups & DAY_GROUP) held.day += by;
    if (name !== undefined) held.name = name;
    return true;
  }

  /** Removes and returns the amounts of `groups`: one increment per key when its groups hold the same amount. */
  take(groups: BucketGroups | 0): TimedIncrement[] {
    const out: TimedIncrement[] = [];
    if (groups === 0) return out;
    for (const [at, boards] of this.byHour) {
      for (const [leaderboard, entities] of boards) {
        for (const [entityId, held] of entities) {
          const { name } = held;
          const hour = groups & HOUR_GROUP ? held.hour : 0;
          const day = groups & DAY_GROUP ? held.day : 0;
          const item = (by: number, g?: BucketGroups): TimedIncrement => ({
            leaderboard,
            entityId,
            by,
            at,
            ...(name === undefined ? {} : { name }),
            ...(g ? { groups: g } : {}),
          });
          if (hour > 0 && hour === day) out.push(item(hour));
          else {
            if (hour > 0) out.push(item(hour, HOUR_GROUP));
            if (day > 0) out.push(item(day, DAY_GROUP));
          }
          held.hour -= hour;
          held.day -= day;
          if (held.hour === 0 && held.day === 0) {
            entities.delete(entityId);
            this.count--;
          }
        }
        if (entities.size === 0) boards.delete(leaderboard);
      }
      if (boards.size === 0) this.byHour.delete(at);
    }
    return out;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** An id the name lookup does not know (isValidName rejects it, so no event can teach it). */
const NO_NAME = '';

/**
 * Catalog names of board entities (artists, "title · artist" tracks, event titles), looked up for the rows that lack
 * one. With `ttlMs` every answer, found or not, is asked again after it; without, a found name and an artist or track
 * miss are kept, an event miss is not (attendance is often counted before an operator creates the event).
 */
export class BoardNames {
  private readonly caches: Record<'artist' | 'track' | 'event', LRUCache<string, string>>;
  /** Known artist names for the increments' display names (one function for every event, not a closure per event). */
  readonly artistName = (id: string): string | undefined => this.caches.artist.get(id) || undefined;
  /** Known track names, likewise. */
  readonly trackName = (id: string): string | undefined => this.caches.track.get(id) || undefined;

  constructor(
    private readonly lookups: LeaderboardLookups,
    private readonly log: Logger,
    size: number,
    private readonly ttlMs = 0,
  ) {
    const options = ttlMs > 0 ? { max: size, ttl: ttlMs } : { max: size };
    this.caches = { artist: new LRUCache(options), track: new LRUCache(options), event: new LRUCache(options) };
  }

  /** Keeps an artist name an event carried; most events repeat one already known, so only a new or changed one is written. */
  learnArtist(id: string, name: string): void {
    if (this.caches.artist.peek(id) !== name && isValidName(name)) this.caches.artist.set(id, name);
  }

  /**
   * Names in place the items that are nameless or named by their own id (counted before the catalog knew them), on
   * boards their counting rule names; best effort (a failed lookup leaves them as they are). Returns `items`.
   */
  async fill<T extends { entityId: string; name?: string | null }>(items: T[], boardOf: (item: T) => string): Promise<T[]> {
    const nameless = items.filter((i) => (!i.name || i.name === i.entityId) && namedBy(boardOf(i)) !== undefined);
    if (nameless.length === 0) return items;
    const wanted = { artist: new Set<string>(), track: new Set<string>(), event: new Set<string>() };
    for (const item of nameless) {
      const by = namedBy(boardOf(item))!;
      const kind = by === 'transition' ? 'artist' : by;
      for (const id of by === 'transition' ? item.entityId.split(PAIR_SEPARATOR) : [item.entityId])
        if (this.caches[kind].get(id) === undefined) wanted[kind].add(id);
    }
    const { artistNames, trackTitles, eventTitles } = this.lookups;
    await Promise.all([
      this.lookUp(wanted.artist, this.caches.artist, artistNames, (name) => name),
      this.lookUp(wanted.track, this.caches.track, trackTitles, (t) => trackName(t.title, t.artistName)),
      this.lookUp(wanted.event, this.caches.event, eventTitles, (title) => title, this.ttlMs > 0),
    ]);
    for (const item of nameless) {
      const by = namedBy(boardOf(item))!;
      const name = by === 'transition' ? transitionName(item.entityId, this.artistName) : this.caches[by].get(item.entityId) || undefined;
      if (name !== undefined && isValidName(name)) item.name = name;
    }
    return items;
  }

  /** Looks up the names of `wanted` into `cache` (NO_NAME for those not found, if `keepMisses`); a failure leaves them unknown. */
  private async lookUp<T>(
    wanted: Set<string>,
    cache: LRUCache<string, string>,
    lookup: ((ids: readonly string[]) => Promise<Map<string, T>>) | undefined,
    nameOf: (found: T) => string | undefined,
    keepMisses = true,
  ): Promise<void> {
    if (wanted.size === 0 || !lookup) return;
    try {
      const found = await lookup([...wanted]);
      for (const id of wanted) {
        const hit = found.get(id);
        const name = (hit !== undefined && nameOf(hit)) || NO_NAME;
        if (name !== NO_NAME || keepMisses) cache.set(id, name);
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'name lookup failed; leaderboards show ids until a name arrives');
    }
  }
}

/** How a board's entities are named from the catalog, if they are: its counting rule says. */
export function namedBy(leaderboard: string): Naming | undefined {
  return (ruleOfBoard(leaderboard) ?? familyRuleOf(leaderboard))?.naming;
}
