/** What processes tell each other about the boards: which a flush wrote (`lb:changed`), which buckets spectators watch (`lb:watched`). */
import type { Backplane, BackplaneChannel } from '../../persistence/backplane/Backplane.js';
import { EVERY_GROUP, isBucketGroups, type BucketGroups } from '../../systems/leaderboard/windows.js';

/** Leaderboard names carried by one notice; a flush that wrote more is announced as "everything changed". */
export const MAX_NAMES_PER_NOTICE = 64;

/** `null`: everything may have changed (too many names, or a notice we could not read). */
export type ChangedLeaderboards = readonly string[] | null;

/**
 * "These leaderboards were just written", so coliseum boards follow writes instead of a timer. A notice lost while
 * Redis is down is covered by the broadcaster's periodic refresh.
 */
export class LeaderboardChanges {
  private readonly listeners = new Set<(leaderboards: ChangedLeaderboards) => void>();
  private readonly channel: BackplaneChannel;

  constructor(backplane: Backplane, onError: (err: unknown) => void) {
    this.channel = backplane.channel('lb:changed', onError);
  }

  /** Hears the other processes' notices (ours were heard when published). */
  async start(): Promise<this> {
    await this.channel.subscribe((body) => this.emit(parseNames(body)));
    return this;
  }

  /** Tells every process (this one synchronously) that `leaderboards` changed. */
  publish(leaderboards: Iterable<string>): void {
    const names = bounded(leaderboards);
    this.emit(names);
    this.channel.publish(names === null ? '*' : names.join(' '));
  }

  /** `listener` runs for every notice, local or remote. Returns an unsubscribe. */
  onChanged(listener: (leaderboards: ChangedLeaderboards) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.channel.close();
  }

  private emit(leaderboards: ChangedLeaderboards): void {
    for (const listener of this.listeners) listener(leaderboards);
  }
}

function bounded(leaderboards: Iterable<string>): ChangedLeaderboards {
  const names = [...new Set(leaderboards)];
  return names.length > MAX_NAMES_PER_NOTICE ? null : names;
}

/** A notice's body: `name name …` or `*`; leaderboard ids never contain whitespace. Anything else means "everything". */
export function parseNames(body: string): ChangedLeaderboards {
  const names = body.split(' ').filter(Boolean);
  return body !== '*' && names.length > 0 && names.length <= MAX_NAMES_PER_NOTICE ? names : null;
}

/** Leaderboard → the bucket groups (systems/leaderboard/windows.ts) its spectators read. */
export type WatchedGroups = ReadonlyMap<string, BucketGroups>;

/** Most leaderboards one announcement names; a process watching more announces "everything". */
export const MAX_WATCHED_PER_ANNOUNCEMENT = 1000;
/** Most other processes remembered; past it, everything counts as watched until some are forgotten. */
export const MAX_WATCHING_PROCESSES = 1000;

/**
 * Which bucket groups some spectator watches, across processes, so the feeder writes those at LEADERBOARD_FLUSH_MS
 * and holds the rest (a board nobody watches needs no 4 Hz writes). Each process announces its set on `lb:watched`;
 * one silent for `3 × announceMs` is forgotten. With a shared backplane a new process takes everything as watched
 * for its first `announceMs`, and a malformed announcement means "everything": a mistake costs writes, never stale boards.
 */
export interface WatchedLeaderboardsOptions {
  /** Re-announcement period of a non-empty set; a silent process is forgotten after 3×. */
  announceMs: number;
  now: () => number;
  onError: (err: unknown) => void;
}

type Heard = { groups: WatchedGroups | 'everything'; expiresAt: number };

export class WatchedLeaderboards {
  private own: WatchedGroups = new Map();
  private readonly channel: BackplaneChannel;
  private readonly shared: boolean;
  private readonly others = new Map<string, Heard>();
  /** Past MAX_WATCHING_PROCESSES: everything is watched until this time. */
  private overflowUntil = -Infinity;
  private startedAt = Infinity;
  private announced = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    backplane: Backplane,
    private readonly options: WatchedLeaderboardsOptions,
  ) {
    this.channel = backplane.channel('lb:watched', options.onError);
    this.shared = backplane.kind !== 'local';
  }

  async start(): Promise<this> {
    if (!this.shared) return this;
    await this.channel.subscribe((body, origin) => this.heard(origin, body));
    this.startedAt = this.options.now();
    this.timer = setInterval(() => {
      if (this.announced !== '') this.channel.publish(this.announced);
    }, this.options.announceMs);
    this.timer.unref();
    return this;
  }

  /** Replaces what this process's spectators watch. */
  watch(groups: WatchedGroups): void {
    this.own = new Map(groups);
    if (!this.shared) return;
    const body = encodeWatched(this.own);
    if (body === this.announced) return;
    this.announced = body;
    this.channel.publish(body);
  }

  /** The groups of `leaderboard` a spectator of any process watches; 0 for none. */
  groupsOf(leaderboard: string): BucketGroups | 0 {
    const own = this.own.get(leaderboard) ?? 0;
    if (!this.shared) return own;
    const now = this.options.now();
    if (now - this.startedAt < this.options.announceMs || now < this.overflowUntil) return EVERY_GROUP;
    let groups = own as number;
    for (const [origin, heard] of this.others) {
      if (heard.expiresAt <= now) this.others.delete(origin);
      else if (heard.groups === 'everything') return EVERY_GROUP;
      else groups |= heard.groups.get(leaderboard) ?? 0;
    }
    return groups as BucketGroups | 0;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Others stop writing for our spectators at once instead of after 3 × announceMs.
    if (this.announced !== '') this.channel.publish('');
    this.announced = '';
    this.own = new Map();
    await this.channel.close();
  }

  private heard(origin: string, body: string): void {
    if (body === '') return void this.others.delete(origin);
    const expiresAt = this.options.now() + 3 * this.options.announceMs;
    if (!this.others.has(origin) && this.others.size >= MAX_WATCHING_PROCESSES) {
      this.overflowUntil = expiresAt;
      return;
    }
    this.others.set(origin, { groups: decodeWatched(body), expiresAt });
  }
}

/** An announcement: `<groups><leaderboard>` tokens (leaderboard ids hold no whitespace), sorted; `*` for everything; empty for nothing. */
export function encodeWatched(groups: WatchedGroups): string {
  if (groups.size > MAX_WATCHED_PER_ANNOUNCEMENT) return '*';
  return [...groups]
    .filter(([, g]) => isBucketGroups(g))
    .map(([leaderboard, g]) => `${g}${leaderboard}`)
    .sort()
    .join(' ');
}

/** Reads an announcement; anything but well-formed tokens is "everything". */
export function decodeWatched(body: string): WatchedGroups | 'everything' {
  if (body === '*') return 'everything';
  const tokens = body.split(' ');
  if (tokens.length > MAX_WATCHED_PER_ANNOUNCEMENT) return 'everything';
  const out = new Map<string, BucketGroups>();
  for (const token of tokens) {
    const groups = Number(token[0]);
    if (token.length < 2 || !isBucketGroups(groups)) return 'everything';
    const leaderboard = token.slice(1);
    out.set(leaderboard, ((out.get(leaderboard) ?? 0) | groups) as BucketGroups);
  }
  return out;
}
