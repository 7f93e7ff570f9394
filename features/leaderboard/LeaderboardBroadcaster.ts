/**
 * One computation per (leaderboard, window) per throttle tick for the whole process, however many spectators
 * watch it. Subscribers are coliseum rooms (not clients): each names the (leaderboard, window) pairs it shows
 * and a row limit; every `throttleMs` the broadcaster reads each distinct pair ONCE (at the largest
 * limit asked for), reads the KPI tiles once, and hands the same snapshot to every subscriber together
 * with the set of pairs whose rows changed since the previous tick.
 *
 * Ticks never overlap, start at most once per `throttleMs`, and stop while nobody subscribes. Between
 * periodic ticks, `poke()` (the local feeder wrote) starts a tick at once when the last one is at least
 * `throttleMs` old (leading edge), so a quiet coliseum shows a change in ~feeder interval, a busy one at
 * the throttle rate. A failed read keeps the previous snapshot (logged, counted). Bounded: at most `maxKeys`
 * distinct pairs (a subscription beyond that is refused with BroadcasterFullError).
 */
import { AppError } from '../../systems/errors.js';
import type { Logger } from 'pino';
import type { LeaderboardWindow } from '../../systems/leaderboard/windows.js';
import { leaderboardDefinition, type LeaderboardDefinition } from '../../systems/leaderboard/leaderboards.js';
import { readLeaderboard, readKpis, type KpiTileValue, type LiveCounts, type TrendedEntry } from './LeaderboardReader.js';
import type { LeaderboardStore } from '../../persistence/leaderboard/LeaderboardStore.js';

export interface LeaderboardKey {
  leaderboard: string;
  window: LeaderboardWindow;
}

export interface LeaderboardSnapshot extends LeaderboardKey {
  title: string;
  /** Rows at the largest limit any subscriber asked for; slice to yours. */
  rows: TrendedEntry[];
  /** Increments whenever the rows change. */
  version: number;
  computedAt: number;
}

export interface BroadcastTick {
  at: number;
  /** keyOf(leaderboard, window) → snapshot, for every pair any subscriber shows. */
  leaderboards: ReadonlyMap<string, LeaderboardSnapshot>;
  /** Pairs whose rows changed in this tick. */
  changed: ReadonlySet<string>;
  kpis: readonly KpiTileValue[];
  kpisChanged: boolean;
}

export type BroadcastListener = (tick: BroadcastTick) => void;

export interface Subscription {
  unsubscribe(): void;
  /** The latest tick (after `prime`, it holds this subscription's leaderboards). */
  current(): BroadcastTick;
}

export interface LeaderboardBroadcasterOptions {
  store: LeaderboardStore;
  log: Logger;
  /** Tick interval (config COLISEUM_THROTTLE_MS). */
  throttleMs: number;
  now?: () => number;
  /** Live counts for the KPI tiles (active sessions, spectators), read once per tick. */
  liveCounts?: () => Promise<LiveCounts>;
  /** Most distinct (leaderboard, window) pairs. Default 1,000. */
  maxKeys?: number;
}

export interface BroadcasterStats {
  subscribers: number;
  keys: number;
  ticks: number;
  /** Leaderboard reads made (one per pair per tick, plus primes). */
  computations: number;
  errors: number;
  lastTickMs: number | null;
  maxTickMs: number;
}

/** The process already computes its most leaderboard views: a spectator asking for another is refused. */
export class BroadcasterFullError extends AppError<'COLISEUM_FULL'> {
  constructor(message: string) {
    super('COLISEUM_FULL', message);
  }
}

export const keyOf = (leaderboard: string, window: LeaderboardWindow): string => `${window}|${leaderboard}`;

interface Sub {
  keys: LeaderboardKey[];
  limit: number;
  listener: BroadcastListener;
}

export class LeaderboardBroadcaster {
  private readonly store: LeaderboardStore;
  private readonly log: Logger;
  private readonly throttleMs: number;
  private readonly now: () => number;
  private readonly liveCounts: () => Promise<LiveCounts>;
  private readonly maxKeys: number;
  private readonly subs = new Set<Sub>();
  private readonly snapshots = new Map<string, LeaderboardSnapshot & { json: string; limit: number }>();
  private readonly inflight = new Map<string, Promise<void>>();
  private kpis: KpiTileValue[] = [];
  private kpisJson = '';
  private last: BroadcastTick = { at: 0, leaderboards: new Map(), changed: new Set(), kpis: [], kpisChanged: false };
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private lastTickStart = -Infinity;
  private stopped = false;
  private lastErrorLog = 0;
  private readonly counters = { ticks: 0, computations: 0, errors: 0, lastTickMs: null as number | null, maxTickMs: 0 };

  constructor(options: LeaderboardBroadcasterOptions) {
    this.store = options.store;
    this.log = options.log;
    this.throttleMs = options.throttleMs;
    this.now = options.now ?? Date.now;
    this.liveCounts = options.liveCounts ?? (async () => ({ activeSessions: 0, spectators: 0 }));
    this.maxKeys = options.maxKeys ?? 1000;
  }

  /** Registers a subscriber; ticks start with the first one. @throws BroadcasterFullError beyond `maxKeys` pairs. */
  subscribe(keys: readonly LeaderboardKey[], limit: number, listener: BroadcastListener): Subscription {
    const fresh = new Set(keys.map((k) => keyOf(k.leaderboard, k.window)));
    for (const k of this.neededKeys().keys()) fresh.delete(k);
    if (this.neededKeys().size + fresh.size > this.maxKeys) {
      throw new BroadcasterFullError(`the coliseum already shows ${this.neededKeys().size} leaderboard/window pairs (limit ${this.maxKeys}); join with leaderboards others already watch`);
    }
    const sub: Sub = { keys: [...keys], limit, listener };
    this.subs.add(sub);
    this.schedule();
    return {
      unsubscribe: () => void this.subs.delete(sub),
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
    if (this.kpis.length === 0) await this.computeKpis().catch((err) => this.failed(err, 'kpis'));
    this.last = { ...this.last, leaderboards: this.snapshotMap(), kpis: this.kpis };
    return this.last;
  }

  /** The store changed: tick now if the last tick started at least `throttleMs` ago (else the scheduled tick shows it). */
  poke(): void {
    if (this.stopped || this.ticking || this.subs.size === 0) return;
    if (performance.now() - this.lastTickStart < this.throttleMs) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ticking = this.tick();
  }

  /** Stops ticking and waits for a running tick. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    this.subs.clear();
  }

  stats(): BroadcasterStats {
    return { subscribers: this.subs.size, keys: this.neededKeys().size, ...this.counters };
  }

  /** Runs one tick now (tests and benchmarks); normally ticks run on their own. */
  async tickNow(): Promise<BroadcastTick> {
    if (this.ticking) await this.ticking;
    this.ticking = this.tick();
    await this.ticking;
    return this.last;
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

  private schedule(): void {
    if (this.stopped || this.timer || this.ticking || this.subs.size === 0) return;
    const elapsed = performance.now() - this.lastTickStart; // Infinity before the first tick: wait a full period
    const wait = Number.isFinite(elapsed) ? Math.max(0, this.throttleMs - elapsed) : this.throttleMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ticking = this.tick();
    }, wait);
  }

  private async tick(): Promise<void> {
    const started = performance.now();
    this.lastTickStart = started;
    const needed = this.neededKeys();
    const changed = new Set<string>();
    try {
      await Promise.all([...needed].map(async ([key, k]) => (await this.compute(k, k.limit)) && changed.add(key)));
      for (const key of this.snapshots.keys()) if (!needed.has(key) && !this.inflight.has(key)) this.snapshots.delete(key);
      const kpisChanged = await this.computeKpis().catch((err) => this.failed(err, 'kpis'));
      this.last = { at: this.now(), leaderboards: this.snapshotMap(), changed, kpis: this.kpis, kpisChanged: kpisChanged === true };
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
      this.counters.lastTickMs = Math.round(ms * 10) / 10;
      this.counters.maxTickMs = Math.max(this.counters.maxTickMs, this.counters.lastTickMs);
      this.ticking = null;
      this.schedule();
    }
  }

  /** Reads one pair; resolves true when its rows changed. A failure keeps the old snapshot. */
  private async compute(k: LeaderboardKey, limit: number): Promise<boolean> {
    const def: LeaderboardDefinition | null = leaderboardDefinition(k.leaderboard);
    if (!def) return false;
    const key = keyOf(k.leaderboard, k.window);
    try {
      this.counters.computations++;
      const rows = await readLeaderboard(this.store, def, k.window, limit, this.now());
      const json = JSON.stringify(rows);
      const old = this.snapshots.get(key);
      if (old && old.json === json && old.limit === limit) return false;
      this.snapshots.set(key, { leaderboard: k.leaderboard, window: k.window, title: def.title, rows, json, limit, version: (old?.version ?? 0) + 1, computedAt: this.now() });
      return true;
    } catch (err) {
      this.failed(err, key);
      return false;
    }
  }

  private async computeKpis(): Promise<boolean> {
    const kpis = await readKpis(this.store, await this.liveCounts(), this.now());
    const json = JSON.stringify(kpis);
    if (json === this.kpisJson) return false;
    this.kpis = kpis;
    this.kpisJson = json;
    return true;
  }

  private failed(err: unknown, what: string): undefined {
    this.counters.errors++;
    const now = this.now();
    if (now - this.lastErrorLog >= 10_000) {
      this.lastErrorLog = now;
      this.log.warn({ err: (err as Error)?.message ?? String(err), what, errors: this.counters.errors }, 'coliseum leaderboard read failed; spectators keep the previous snapshot');
    }
    return undefined;
  }

  private snapshotMap(): Map<string, LeaderboardSnapshot> {
    return new Map([...this.snapshots].map(([key, { json: _json, limit: _limit, ...snapshot }]) => [key, snapshot]));
  }
}
