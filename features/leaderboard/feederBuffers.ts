/** Small bounded buffers of the LeaderboardFeeder: its pending increments, lookup caches and lag window. */
import type { LeaderboardIncrement } from '../../systems/leaderboard/leaderboards.js';
import { DAY_GROUP, EVERY_GROUP, HOUR_GROUP, type BucketGroups } from '../../systems/leaderboard/windows.js';

/** An increment with the start of its event's hour (the store buckets it there). */
export type TimedIncrement = LeaderboardIncrement & { at: number };

/**
 * Pending increments by (event hour, leaderboard, entity), so repeated hits merge into one counter.
 * Nested maps rather than one map of joined keys: a lookup builds no string, and every room's accepted
 * events pass through `get`.
 */
export class IncrementMap {
  private readonly byHour = new Map<number, Map<string, Map<string, TimedIncrement>>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(at: number, leaderboard: string, entityId: string): TimedIncrement | undefined {
    return this.byHour.get(at)?.get(leaderboard)?.get(entityId);
  }

  /** Stores `item` under its own (at, leaderboard, entityId); the caller checked it is not there yet. */
  insert(item: TimedIncrement): void {
    let boards = this.byHour.get(item.at);
    if (!boards) this.byHour.set(item.at, (boards = new Map()));
    let entities = boards.get(item.leaderboard);
    if (!entities) boards.set(item.leaderboard, (entities = new Map()));
    entities.set(item.entityId, item);
    this.count++;
  }

  *values(): IterableIterator<TimedIncrement> {
    for (const boards of this.byHour.values()) for (const entities of boards.values()) yield* entities.values();
  }

  /** Removes and returns every item of the leaderboards `take` accepts. */
  takeLeaderboards(take: (leaderboard: string) => boolean): TimedIncrement[] {
    const out: TimedIncrement[] = [];
    for (const [at, boards] of this.byHour) {
      for (const [leaderboard, entities] of boards) {
        if (!take(leaderboard)) continue;
        for (const item of entities.values()) out.push(item);
        this.count -= entities.size;
        boards.delete(leaderboard);
      }
      if (boards.size === 0) this.byHour.delete(at);
    }
    return out;
  }
}

/** Bucket groups of a leaderboard that some spectator watches (0: none). */
export type WatchedGroupsOf = (leaderboard: string) => BucketGroups | 0;

/** `groupsOf` asked once per leaderboard, for one flush: the Redis-backed answer merges every process's set on each call. */
export function oncePerLeaderboard(groupsOf: WatchedGroupsOf): WatchedGroupsOf {
  const answers = new Map<string, BucketGroups | 0>();
  return (leaderboard) => {
    let groups = answers.get(leaderboard);
    if (groups === undefined) answers.set(leaderboard, (groups = groupsOf(leaderboard)));
    return groups;
  };
}

/**
 * Increments held back from the bucket groups nobody watches, until their group is watched or the
 * unwatched flush (LEADERBOARD_UNWATCHED_FLUSH_MS). One map per group (hour; day and all-time), so an amount
 * written to one group and held for the other is counted once in each. Bounded by `maxKeys` per group: what
 * does not fit is not held (the caller writes it at once: more commands, nothing lost).
 */
export class UnwatchedIncrements {
  private readonly hour = new IncrementMap();
  private readonly day = new IncrementMap();

  constructor(private readonly maxKeys: number) {}

  get size(): number {
    return this.hour.size + this.day.size;
  }

  /** Holds `item`'s amount back from `groups`, merged with what is held already; false (nothing held) when a map is full. */
  hold(item: TimedIncrement, groups: BucketGroups): boolean {
    const maps = this.mapsOf(groups);
    if (maps.some((map) => map.size >= this.maxKeys && !map.get(item.at, item.leaderboard, item.entityId))) return false;
    for (const map of maps) {
      const held = map.get(item.at, item.leaderboard, item.entityId);
      if (!held) map.insert(copyOf(item));
      else {
        held.by += item.by;
        if (item.name !== undefined) held.name = item.name;
      }
    }
    return true;
  }

  /** Removes and returns what is held for groups `watched` now reports, or everything when `all`; each item names its one group. */
  take(watched: WatchedGroupsOf, all: boolean): TimedIncrement[] {
    const out: TimedIncrement[] = [];
    for (const [map, group] of [
      [this.hour, HOUR_GROUP],
      [this.day, DAY_GROUP],
    ] as const) {
      if (map.size === 0) continue;
      for (const item of map.takeLeaderboards((leaderboard) => all || (watched(leaderboard) & group) !== 0)) out.push({ ...item, groups: group });
    }
    return out;
  }

  private mapsOf(groups: BucketGroups): IncrementMap[] {
    if (groups === EVERY_GROUP) return [this.hour, this.day];
    return [groups === HOUR_GROUP ? this.hour : this.day];
  }
}

const copyOf = (item: TimedIncrement): TimedIncrement =>
  item.name === undefined
    ? { leaderboard: item.leaderboard, entityId: item.entityId, by: item.by, at: item.at }
    : { leaderboard: item.leaderboard, entityId: item.entityId, by: item.by, name: item.name, at: item.at };

/** The last `size` samples (a ring buffer) and their p50, p95 and max. */
export class LagWindow {
  private readonly samples: number[] = [];
  private next = 0;
  constructor(private readonly size: number) {}
  add(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.size;
  }
  summary(): { p50: number | null; p95: number | null; max: number | null } {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (p: number): number | null => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : null);
    return { p50: at(0.5), p95: at(0.95), max: sorted.length ? sorted[sorted.length - 1] : null };
  }
}
