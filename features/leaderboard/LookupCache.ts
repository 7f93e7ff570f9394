/**
 * What the leaderboard feeder knows of cities, artist names, track and event titles the events do not carry: learned
 * from events, looked up (one query per kind per flush that needs them) and cached, bounded (LRU) and, for
 * cities, for `cityTtlMs`.
 */
import type { Logger } from 'pino';
import type { PassportEvent } from '../../systems/passport/events.js';
import { isValidName, learnedArtistNames, payloadCity, trackName, transitionName } from '../../systems/leaderboard/leaderboards.js';
import type { LeaderboardLookups } from '../../persistence/leaderboard/lookups.js';
import { LRUCache } from 'lru-cache';
import type { TimedIncrement } from './feederBuffers.js';
import { familyRuleOf, ruleOfBoard, type Naming } from '../../systems/leaderboard/countingRules.js';

export interface LookupCacheOptions {
  lookups: LeaderboardLookups;
  log: Logger;
  now: () => number;
  /** Entries in each cache (user → city, artist → name, track → name). */
  size: number;
  /** How long a looked-up city is trusted. */
  cityTtlMs: number;
}

/** An artist the name lookup does not know (isValidName rejects it, so no event can teach it). */
const NO_NAME = '';

export class LookupCache {
  private readonly cities: LRUCache<string, { city: string | null; at: number }>;
  /** Artist id → name; NO_NAME when a lookup found none (lru-cache holds no null values). */
  private readonly names: LRUCache<string, string>;
  /** Track id → display name ("title · artist"); NO_NAME when the catalog has no such track. */
  private readonly tracks: LRUCache<string, string>;
  /** Concierto event id → title; NO_NAME when there is no such event. */
  private readonly events: LRUCache<string, string>;
  /** Known artist names for the increments' display names (one function for every event, not a closure per event). */
  readonly artistName = (id: string): string | undefined => this.names.get(id) || undefined;
  /** Known track names, likewise. */
  readonly trackName = (id: string): string | undefined => this.tracks.get(id) || undefined;

  constructor(private readonly options: LookupCacheOptions) {
    this.cities = new LRUCache({ max: options.size });
    this.names = new LRUCache({ max: options.size });
    this.tracks = new LRUCache({ max: options.size });
    this.events = new LRUCache({ max: options.size });
  }

  /** True when user cities can be looked up at all. */
  get looksUpCities(): boolean {
    return this.options.lookups.citiesOf !== undefined;
  }

  /** Learns the artist names an event carries and a session's own city; returns the event's city if known (null: none, undefined: unknown). */
  learn(event: PassportEvent): string | null | undefined {
    // Most events repeat a name already known: only a new or changed one is written.
    for (const [id, name] of learnedArtistNames(event)) if (this.names.peek(id) !== name && isValidName(name)) this.names.set(id, name);
    const ownCity = payloadCity(event);
    if (ownCity && event.userId && (event.eventType === 'session.started' || event.eventType === 'session.resumed')) {
      this.cities.set(event.userId, { city: ownCity, at: this.options.now() });
    }
    return ownCity ?? this.cachedCity(event.userId);
  }

  /** The user's city from the cache: a string, null (known to have none), or undefined (unknown / stale). */
  cachedCity(userId: string | null): string | null | undefined {
    if (!userId) return null;
    const hit = this.cities.get(userId);
    if (!hit || this.options.now() - hit.at > this.options.cityTtlMs) return undefined;
    return hit.city;
  }

  /** Looks up (one query) the cities of the users not cached. */
  async lookUpCities(userIds: Iterable<string>): Promise<void> {
    const citiesOf = this.options.lookups.citiesOf;
    const misses = [...new Set(userIds)].filter((id) => this.cachedCity(id) === undefined);
    if (!citiesOf || misses.length === 0) return;
    const found = await citiesOf(misses);
    const at = this.options.now();
    for (const id of misses) this.cities.set(id, { city: found.get(id) ?? null, at });
  }

  /** Fills display names the events did not carry (plays, locks, orb transitions, tracks, event titles); best effort. */
  async fillNames(items: Iterable<TimedIncrement>): Promise<void> {
    const nameless = [...items].filter((i) => i.name === undefined && namedBy(i.leaderboard) !== undefined);
    if (nameless.length === 0) return;
    const wanted = { artist: new Set<string>(), track: new Set<string>(), event: new Set<string>() };
    for (const item of nameless) {
      const by = namedBy(item.leaderboard)!;
      const kind = by === 'transition' ? 'artist' : by;
      for (const id of by === 'transition' ? item.entityId.split('>') : [item.entityId]) if (this.cacheOf(kind).get(id) === undefined) wanted[kind].add(id);
    }
    const { artistNames, trackTitles, eventTitles } = this.options.lookups;
    await Promise.all([
      this.lookUp(wanted.artist, this.names, artistNames, (name) => name),
      this.lookUp(wanted.track, this.tracks, trackTitles, (t) => trackName(t.title, t.artistName)),
      this.lookUp(wanted.event, this.events, eventTitles, (title) => title),
    ]);
    for (const item of nameless) {
      const by = namedBy(item.leaderboard)!;
      const name = by === 'transition' ? transitionName(item.entityId, this.artistName) : this.cacheOf(by).get(item.entityId) || undefined;
      if (name !== undefined && isValidName(name)) item.name = name;
    }
  }

  private cacheOf(kind: 'artist' | 'track' | 'event'): LRUCache<string, string> {
    return kind === 'artist' ? this.names : kind === 'track' ? this.tracks : this.events;
  }

  /** Looks up the names of `wanted` into `cache` (NO_NAME for those not found); a failure leaves them unknown. */
  private async lookUp<T>(
    wanted: Set<string>,
    cache: LRUCache<string, string>,
    lookup: ((ids: readonly string[]) => Promise<Map<string, T>>) | undefined,
    nameOf: (found: T) => string | undefined,
  ): Promise<void> {
    if (wanted.size === 0 || !lookup) return;
    try {
      const found = await lookup([...wanted]);
      for (const id of wanted) {
        const hit = found.get(id);
        cache.set(id, (hit !== undefined && nameOf(hit)) || NO_NAME);
      }
    } catch (err) {
      this.options.log.warn({ err: (err as Error).message }, 'name lookup failed; leaderboards show ids until a name arrives');
    }
  }
}

/** How a board's entities are named from the catalog, if they are: its counting rule says. */
function namedBy(leaderboard: string): Naming | undefined {
  return (ruleOfBoard(leaderboard) ?? familyRuleOf(leaderboard))?.naming;
}
