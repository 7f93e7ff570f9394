/**
 * One computation per (leaderboard, window) per tick for the whole process, however many spectators
 * watch it. Subscribers are coliseum rooms (not clients): each names the (leaderboard, window) pairs it shows
 * and a row limit; a tick reads each distinct pair ONCE (at the largest limit asked for) and hands the same
 * snapshot to every subscriber together with the set of pairs whose rows changed.
 *
 * Ticks follow WRITES, coalesced: `changed(leaderboards)` (this process's feeder flushed,
 * or another process's, through BoardChanges) schedules a tick `coalesceMs` later, and never sooner than
 * `throttleMs` after the previous tick started, so a busy coliseum costs at most 1000 / throttleMs ticks a
 * second. A change tick re-reads only the pairs whose leaderboard (or trending base) was written, and the
 * KPI tiles when the KPI counters were. Every `refreshMs` a refresh tick re-reads everything, including the
 * live counts (this process's rooms and the other processes' heartbeats): what changes with time alone (window rollover, sessions and
 * spectators online), and a cover for a lost cross-process notice. The previous-window standings of the trend
 * columns are re-read every `previousRefreshMs`: a previous window is closed (a new hour or day reads its own),
 * and changes only by a back-dated event (an offline replay, or an event stamped just before the hour that
 * arrived after it). Ticks never overlap and stop while nobody
 * subscribes; a tick that changed nothing notifies nobody. A failed read keeps the previous snapshot
 * (logged, counted). Bounded: at most `maxKeys` distinct pairs (a subscription beyond that is refused with
 * BroadcasterFullError); the pending change set holds at most `maxKeys` names, beyond that "everything".
 */
import type { Logger } from 'pino';
import type { LeaderboardWindow } from '../../systems/leaderboard/windows.js';
import { KPI_LEADERBOARD, leaderboardDefinition, watchedGroupsOf, type LeaderboardDefinition } from '../../systems/leaderboard/leaderboards.js';
import { PreviousStandings, readLeaderboard, readKpis, type KpiTileValue, type LiveCounts } from './LeaderboardReader.js';
import type { LeaderboardStore } from './LeaderboardStore.js';
import type { WatchedLeaderboards } from './WatchedLeaderboards.js';

export * from './leaderboardBroadcastTypes.js';
import {
  BroadcasterFullError,
  keyOf,
  type BroadcastListener,
  type BoardRow,
  type BroadcastTick,
  type BroadcasterStats,
  type LeaderboardBroadcasterOptions,
  type LeaderboardKey,
  type LeaderboardSnapshot,
  type Subscription,
} from './leaderboardBroadcastTypes.js';

interface Sub {
  keys: LeaderboardKey[];
  limit: number;
  listener: BroadcastListener;
}

/** What a tick must re-read: everything, or the leaderboards written since the last tick. */
type Dirty = 'all' | Set<string>;

export class LeaderboardBroadcaster {
  private readonly store: LeaderboardStore;
  private readonly log: Logger;
  private readonly throttleMs: number;
  private readonly coalesceMs: number;
  private readonly refreshMs: number;
  private readonly previousRefreshMs: number;
  private readonly now: () => number;
  private readonly liveCounts: () => Promise<LiveCounts>;
  private readonly maxKeys: number;
  private readonly watched?: Pick<WatchedLeaderboards, 'watch'>;
  private readonly artwork?: LeaderboardBroadcasterOptions['artwork'];
  private readonly subs = new Set<Sub>();
  private readonly snapshots = new Map<string, LeaderboardSnapshot & { json: string; limit: number }>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly kpis = new Map<LeaderboardWindow, KpiTileValue[]>();
  private readonly kpisJson = new Map<LeaderboardWindow, string>();
  private live: LiveCounts = { activeSessions: 0, spectators: 0 };
  /** Trend columns' previous-window standings, reused by ticks, read afresh every `previousRefreshMs`. */
  private readonly previous = new PreviousStandings();
  private last: BroadcastTick = { at: 0, startedAt: 0, leaderboards: new Map(), changed: new Set(), kpis: new Map(), kpisChanged: false };
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Infinity;
  private ticking: Promise<void> | null = null;
  private lastTickStart = -Infinity;
  private lastRefresh = -Infinity;
  private lastPreviousRefresh = -Infinity;
  /** Written since the last tick started, and when the first of those writes was heard (performance.now). */
  private dirty: Dirty = new Set();
  private dirtySince: number | null = null;
  private stopped = false;
  private lastErrorLog = 0;
  private readonly counters = { ticks: 0, changeTicks: 0, computations: 0, errors: 0, lastTickMs: null as number | null, maxTickMs: 0 };

  constructor(options: LeaderboardBroadcasterOptions) {
    this.store = options.store;
    this.log = options.log;
    this.throttleMs = options.throttleMs;
    this.coalesceMs = options.coalesceMs;
    this.refreshMs = options.refreshMs;
    this.previousRefreshMs = options.previousRefreshMs;
    this.now = options.now ?? Date.now;
    this.liveCounts = options.liveCounts ?? (async () => ({ activeSessions: 0, spectators: 0 }));
    this.maxKeys = options.maxBoards;
    this.watched = options.watched;
    this.artwork = options.artwork;
  }

  /** Registers a subscriber; ticks start with the first one. @throws BroadcasterFullError beyond `maxKeys` pairs. */
  subscribe(keys: readonly LeaderboardKey[], limit: number, listener: BroadcastListener): Subscription {
    const fresh = new Set(keys.map((k) => keyOf(k.leaderboard, k.window)));
    for (const k of this.neededKeys().keys()) fresh.delete(k);
    if (this.neededKeys().size + fresh.size > this.maxKeys) {
      throw new BroadcasterFullError(
        `the coliseum already shows ${this.neededKeys().size} leaderboard/window pairs (limit ${this.maxKeys}); join with leaderboards others already watch`,
      );
    }
    // The first subscriber was primed: the next full read is a refresh period away.
    if (this.subs.size === 0) this.lastRefresh = performance.now();
    const sub: Sub = { keys: [...keys], limit, listener };
    this.subs.add(sub);
    this.announceWatched();
    this.schedule();
    return {
      unsubscribe: () => {
        if (this.subs.delete(sub)) this.announceWatched();
      },
      current: () => this.last,
    };
  }

  /** Computes now any of `keys` without a snapshot at `limit` yet (a joining spectator gets a full leaderboard at once). */
  async prime(keys: readonly LeaderboardKey[], limit: number): Promise<BroadcastTick> {
    await Promise.all(
      keys.map((k) => {
        const key = keyOf(k.leaderboard, k.window);
        const have = this.snapshots.get(key);
        if (have && have.limit >= limit) return undefined;
        let running = this.inflight.get(key);
        if (!running) {
          running = this.compute(k, limit).then(
            () => undefined,
            () => undefined,
          );
          const done = running.finally(() => this.inflight.delete(key));
          this.inflight.set(key, done);
          return done;
        }
        return running;
      }),
    );
    const missing = new Set(keys.map((k) => k.window).filter((w) => !this.kpis.has(w)));
    if (missing.size > 0) await this.computeKpis(true, missing).catch((err) => this.failed(err, 'kpis'));
    this.last = { ...this.last, leaderboards: this.snapshotMap(), kpis: new Map(this.kpis) };
    return this.last;
  }

  /**
   * The store changed (a feeder flush here or, through BoardChanges, in another process): schedules a tick
   * `coalesceMs` from the first change heard, at least `throttleMs` after the previous tick. `null`: anything may have changed.
   */
  changed(leaderboards: readonly string[] | null = null): void {
    if (this.stopped) return;
    if (leaderboards === null) this.dirty = 'all';
    else if (this.dirty !== 'all') {
      for (const name of leaderboards) this.dirty.add(name);
      if (this.dirty.size > this.maxKeys) this.dirty = 'all';
    }
    this.dirtySince ??= performance.now();
    this.schedule();
  }

  /** Stops ticking and waits for a running tick. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.ticking;
    this.subs.clear();
    this.announceWatched();
  }

  stats(): BroadcasterStats {
    return { subscribers: this.subs.size, keys: this.neededKeys().size, ...this.counters };
  }

  /** Runs one refresh tick now, previous-window standings included (tests and benchmarks); normally ticks run on their own. */
  async tickNow(): Promise<BroadcastTick> {
    if (this.ticking) await this.ticking;
    this.clearTimer();
    this.lastPreviousRefresh = -Infinity;
    this.ticking = this.tick(true);
    await this.ticking;
    return this.last;
  }

  /** Tells `watched` which bucket groups the subscribers' leaderboards read now. */
  private announceWatched(): void {
    this.watched?.watch(watchedGroupsOf(this.neededKeys().values()));
  }

  private neededKeys(): Map<string, LeaderboardKey & { limit: number }> {
    const needed = new Map<string, LeaderboardKey & { limit: number }>();
    for (const sub of this.subs) {
      for (const k of sub.keys) {
        const key = keyOf(k.leaderboard, k.window);
        const have = needed.get(key);
        if (!have) needed.set(key, { ...k, limit: sub.limit });
        else have.limit = Math.max(have.limit, sub.limit);
      }
    }
    return needed;
  }

  /** Arms the one timer for the earliest of: the pending change's tick, the next refresh; never within `throttleMs` of the last tick. */
  private schedule(): void {
    if (this.stopped || this.ticking || this.subs.size === 0) return;
    let due = this.lastRefresh + this.refreshMs;
    if (this.dirtySince !== null) due = Math.min(due, this.dirtySince + this.coalesceMs);
    due = Math.max(due, this.lastTickStart + this.throttleMs);
    if (this.timer && this.timerDue <= due) return;
    this.clearTimer();
    this.timerDue = due;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerDue = Infinity;
        if (this.ticking || this.stopped) return;
        // A timer may fire a millisecond early.
        this.ticking = this.tick(performance.now() - this.lastRefresh >= this.refreshMs - 2);
      },
      Math.max(0, due - performance.now()),
    );
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerDue = Infinity;
  }

  private async tick(refresh: boolean): Promise<void> {
    const started = performance.now();
    const dirty: Dirty = refresh ? 'all' : this.dirty;
    const byChange = this.dirtySince !== null && !refresh;
    this.dirty = new Set();
    this.dirtySince = null;
    this.lastTickStart = started;
    if (refresh) this.lastRefresh = started;
    // A timer may fire a millisecond early.
    if (refresh && started - this.lastPreviousRefresh >= this.previousRefreshMs - 2) {
      this.lastPreviousRefresh = started;
      this.previous.clear();
    }
    const needed = this.neededKeys();
    const changed = new Set<string>();
    try {
      const stale = [...needed].filter(
        ([key, k]) => dirty === 'all' || this.written(dirty, k.leaderboard) || (this.snapshots.get(key)?.limit ?? Number.NEGATIVE_INFINITY) < k.limit,
      );
      await Promise.all(stale.map(async ([key, k]) => (await this.compute(k, k.limit)) && changed.add(key)));
      for (const key of this.snapshots.keys()) if (!needed.has(key) && !this.inflight.has(key)) this.snapshots.delete(key);
      const windows = new Set([...needed.values()].map((k) => k.window));
      for (const window of this.kpis.keys()) if (!windows.has(window)) this.kpis.delete(window);
      const kpisChanged =
        dirty === 'all' || dirty.has(KPI_LEADERBOARD) ? await this.computeKpis(refresh, windows).catch((err) => this.failed(err, 'kpis')) : false;
      this.last = {
        at: this.now(),
        startedAt: started,
        leaderboards: this.snapshotMap(),
        changed,
        kpis: new Map(this.kpis),
        kpisChanged: kpisChanged === true,
      };
      if (changed.size === 0 && !this.last.kpisChanged) return;
      for (const sub of [...this.subs]) {
        try {
          sub.listener(this.last);
        } catch (err) {
          this.log.error({ err }, 'coliseum subscriber threw while applying a tick');
        }
      }
    } finally {
      const ms = performance.now() - started;
      this.counters.ticks++;
      if (byChange) this.counters.changeTicks++;
      this.counters.lastTickMs = Math.round(ms * 10) / 10;
      this.counters.maxTickMs = Math.max(this.counters.maxTickMs, this.counters.lastTickMs);
      this.ticking = null;
      this.schedule();
    }
  }

  /** True when `leaderboard` (or the counter a trending leaderboard ranks) is among the written ones. */
  private written(dirty: Set<string>, leaderboard: string): boolean {
    if (dirty.has(leaderboard)) return true;
    const base = leaderboardDefinition(leaderboard)?.base;
    return base !== undefined && dirty.has(base);
  }

  /** Reads one pair; resolves true when its rows changed. A failure keeps the old snapshot. */
  private async compute(k: LeaderboardKey, limit: number): Promise<boolean> {
    const def: LeaderboardDefinition | null = leaderboardDefinition(k.leaderboard);
    if (!def) return false;
    const key = keyOf(k.leaderboard, k.window);
    try {
      this.counters.computations++;
      const rows: BoardRow[] = await readLeaderboard(this.store, def, k.window, limit, this.now(), this.previous);
      await this.artwork?.decorate(k.leaderboard, rows);
      const json = JSON.stringify(rows);
      const old = this.snapshots.get(key);
      if (old && old.json === json && old.limit === limit) return false;
      this.snapshots.set(key, {
        leaderboard: k.leaderboard,
        window: k.window,
        title: def.title,
        rows,
        json,
        limit,
        version: (old?.version ?? 0) + 1,
        computedAt: this.now(),
      });
      return true;
    } catch (err) {
      this.failed(err, key);
      return false;
    }
  }

  /** Reads the KPI tiles of `windows`; the live counts only when `withLive` (refresh ticks), else the last ones read. */
  private async computeKpis(withLive: boolean, windows: ReadonlySet<LeaderboardWindow>): Promise<boolean> {
    if (withLive) this.live = await this.liveCounts();
    const read = await Promise.all(
      [...windows].map(async (window) => [window, await readKpis(this.store, this.live, this.now(), this.previous, window)] as const),
    );
    let changed = false;
    for (const [window, kpis] of read) {
      const json = JSON.stringify(kpis);
      if (json === this.kpisJson.get(window)) continue;
      this.kpis.set(window, kpis);
      this.kpisJson.set(window, json);
      changed = true;
    }
    return changed;
  }

  private failed(err: unknown, what: string): undefined {
    this.counters.errors++;
    const now = this.now();
    if (now - this.lastErrorLog >= 10_000) {
      this.lastErrorLog = now;
      this.log.warn(
        { err: (err as Error)?.message ?? String(err), what, errors: this.counters.errors },
        'coliseum leaderboard read failed; spectators keep the previous snapshot',
      );
    }
    return undefined;
  }

  private snapshotMap(): Map<string, LeaderboardSnapshot> {
    return new Map([...this.snapshots].map(([key, { json: _json, limit: _limit, ...snapshot }]) => [key, snapshot]));
  }
}
