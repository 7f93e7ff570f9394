/** What processes tell each other about the boards: which a flush wrote (`lb:changed`), which buckets spectators watch (`lb:watched`). */
import type { Backplane, BackplaneChannel } from '../../persistence/backplane/Backplane.js';
import { EVERY_GROUP, groupOfWindow, isBucketGroups, type BucketGroups, type LeaderboardWindow } from '../../systems/leaderboard/windows.js';

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
    const unique = [...new Set(leaderboards)];
    const names = unique.length > MAX_NAMES_PER_NOTICE ? null : unique;
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

/** A notice's body: `name name …` or `*`; leaderboard ids never contain whitespace. Anything else means "everything". */
export function parseNames(body: string): ChangedLeaderboards {
  const names = body.split(' ').filter(Boolean);
  return body !== '*' && names.length > 0 && names.length <= MAX_NAMES_PER_NOTICE ? names : null;
}

/** Most other processes remembered; past it, everything counts as watched until some are forgotten. */
export const MAX_WATCHING_PROCESSES = 1000;

/**
 * Which bucket groups (systems/leaderboard/windows.ts) some spectator of any process reads, so the feeder writes those
 * every LEADERBOARD_FLUSH_MS and the others every LEADERBOARD_UNWATCHED_FLUSH_MS (buckets nobody reads need no 4 Hz
 * writes). Each process announces its groups on `lb:watched` (one digit); one silent for `3 × announceMs` is forgotten.
 * With a shared backplane a new process takes everything as watched for its first `announceMs`, and a malformed
 * announcement means everything: a mistake costs writes, never stale boards.
 */
export class WatchedLeaderboards {
  private own: BucketGroups | 0 = 0;
  private readonly channel: BackplaneChannel;
  private readonly shared: boolean;
  private readonly others = new Map<string, { groups: number; expiresAt: number }>();
  /** Past MAX_WATCHING_PROCESSES: everything is watched until this time. */
  private overflowUntil = -Infinity;
  private startedAt = Infinity;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    backplane: Backplane,
    /** `announceMs`: re-announcement period of a non-empty set; a silent process is forgotten after 3×. */
    private readonly options: { announceMs: number; now: () => number; onError: (err: unknown) => void },
  ) {
    this.channel = backplane.channel('lb:watched', options.onError);
    this.shared = backplane.kind !== 'local';
  }

  async start(): Promise<this> {
    if (!this.shared) return this;
    await this.channel.subscribe((body, origin) => this.heard(origin, body));
    this.startedAt = this.options.now();
    this.timer = setInterval(() => this.own && this.channel.publish(String(this.own)), this.options.announceMs);
    this.timer.unref();
    return this;
  }

  /** Replaces the groups this process's spectators read: those of the windows they show (their KPI tiles read the same). */
  watch(windows: Iterable<LeaderboardWindow>): void {
    let groups = 0;
    for (const window of windows) groups |= groupOfWindow(window);
    if (groups === this.own) return;
    this.own = groups as BucketGroups;
    if (this.shared) this.channel.publish(groups ? String(groups) : '');
  }

  /** The groups a spectator of any process reads; 0 for none. */
  groups(): BucketGroups | 0 {
    if (!this.shared) return this.own;
    const now = this.options.now();
    if (now - this.startedAt < this.options.announceMs || now < this.overflowUntil) return EVERY_GROUP;
    let groups: number = this.own;
    for (const [origin, heard] of this.others) {
      if (heard.expiresAt <= now) this.others.delete(origin);
      else groups |= heard.groups;
    }
    return groups as BucketGroups | 0;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Others stop writing for our spectators at once instead of after 3 × announceMs.
    if (this.own) this.channel.publish('');
    this.own = 0;
    await this.channel.close();
  }

  private heard(origin: string, body: string): void {
    if (body === '') return void this.others.delete(origin);
    const expiresAt = this.options.now() + 3 * this.options.announceMs;
    if (!this.others.has(origin) && this.others.size >= MAX_WATCHING_PROCESSES) {
      this.overflowUntil = expiresAt;
      return;
    }
    const groups = Number(body);
    this.others.set(origin, { groups: isBucketGroups(groups) ? groups : EVERY_GROUP, expiresAt });
  }
}
