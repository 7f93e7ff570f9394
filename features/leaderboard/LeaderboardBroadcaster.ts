/**
 * One read per (leaderboard, window) per tick for the whole process, however many spectators watch; every coliseum
 * room gets the same snapshots. Ticks follow writes (`changed`): `coalesceMs` after the first change, at least
 * `throttleMs` after the last tick, re-reading only written boards. A refresh tick every `refreshMs` re-reads all
 * (rollover, a lost notice). Ticks never overlap and stop while nobody subscribes; a failed read keeps the old
 * snapshot. At most `maxBoards` pairs (BroadcasterFullError).
 */
import type { Logger } from 'pino';
import { LRUCache } from 'lru-cache';
import { AppError } from '../../systems/errors.js';
import {
  KPI_LEADERBOARD,
  KPI_TILES,
  kpiTileLabel,
  leaderboardDefinition,
  trendingRows,
  withTrends,
  type KpiKey,
  type LeaderboardDefinition,
  type TrendedEntry,
} from '../../systems/leaderboard/leaderboards.js';
import { MAX_PAGE, upsert, type LeaderboardEntry, type LeaderboardStore, type LeaderboardWindow, type RankScore } from '../../systems/leaderboard/windows.js';
import type { WatchedLeaderboards } from './LeaderboardChanges.js';
import { DueTimer } from './LeaderboardFeeder.js';

/* Displayable leaderboard and KPI reads, shared by the HTTP routes and the broadcaster so both show the same numbers. */
const HOUR_MS = 3_600_000;
/** Entries a PreviousStandings cache holds; the least recently read go first. */
const MAX_PREVIOUS_ENTRIES = 50_000;

/** Where trend columns read previous-window standings: the store, or a PreviousStandings over it. */
type Previous = Pick<LeaderboardStore, 'previousStandings'>;

/**
 * Previous-window standings (trend columns). A closed window changes only when it rolls or a back-dated event lands,
 * so they are reused between refresh ticks and cleared on each.
 */
export class PreviousStandings implements Previous {
  /** false: not ranked in the previous window (lru-cache holds no null values). */
  private readonly entries = new LRUCache<string, RankScore | false>({ max: MAX_PREVIOUS_ENTRIES });

  constructor(private readonly store: LeaderboardStore) {}

  /** Like `store.previousStandings`, reading only the ids not known yet for this hour. */
  async previousStandings(leaderboard: string, window: LeaderboardWindow, ids: readonly string[], nowMs: number): Promise<Map<string, RankScore>> {
    const prefix = `${Math.floor(nowMs / HOUR_MS)}|${window}|${leaderboard}|`;
    const missing = ids.filter((id) => !this.entries.has(prefix + id));
    const found = missing.length > 0 ? await this.store.previousStandings(leaderboard, window, missing, nowMs) : new Map<string, RankScore>();
    for (const id of missing) this.entries.set(prefix + id, found.get(id) ?? false);
    const out = new Map<string, RankScore>();
    for (const id of ids) {
      const standing = this.entries.get(prefix + id) || found.get(id);
      if (standing) out.set(id, standing);
    }
    return out;
  }

  clear(): void {
    this.entries.clear();
  }
}

const idsOf = (rows: readonly LeaderboardEntry[]): string[] => rows.map((e) => e.entityId);

/** Rows a trending leaderboard ranks by growth: the base leaderboard's top `max(100, 10 × limit)` (≤ 1,000). */
export const trendingPool = (limit: number): number => Math.min(MAX_PAGE, Math.max(100, limit * 10));

/** The first `limit` rows of `leaderboard` in `window` at `nowMs`, with trend columns (previous standings through `previous`). */
export async function readLeaderboard(
  store: LeaderboardStore,
  leaderboard: LeaderboardDefinition,
  window: LeaderboardWindow,
  limit: number,
  nowMs: number,
  previous: Previous = store,
): Promise<TrendedEntry[]> {
  if (leaderboard.kind === 'trending') {
    const base = await store.top(leaderboard.base!, window, trendingPool(limit), nowMs);
    if (base.length === 0) return [];
    return trendingRows(base, await previous.previousStandings(leaderboard.base!, window, idsOf(base), nowMs), { minCount: leaderboard.minCount, limit });
  }
  const top = await store.top(leaderboard.name, window, limit, nowMs);
  return top.length === 0 ? [] : withTrends(top, await previous.previousStandings(leaderboard.name, window, idsOf(top), nowMs));
}

/** Up to 2·radius+1 rows centred on `entityId` (counter leaderboards only), with trend columns. */
export async function readAround(
  store: LeaderboardStore,
  leaderboard: LeaderboardDefinition,
  window: LeaderboardWindow,
  entityId: string,
  radius: number,
  nowMs: number,
): Promise<TrendedEntry[]> {
  const page = await store.around(leaderboard.name, window, entityId, radius, nowMs);
  return page.length === 0 ? [] : withTrends(page, await store.previousStandings(leaderboard.name, window, idsOf(page), nowMs));
}

export interface KpiTileValue {
  key: KpiKey;
  label: string;
  unit: string;
  value: number;
  /** The same tile in the previous window (yesterday, the last hour, …), or null when it has none. */
  previous: number | null;
}

/** Live counts the store does not hold (the wiring reads them from the matchmaker). */
export interface LiveCounts {
  activeSessions: number;
  spectators: number;
  /** Events the cluster stored over the last minute (the ops monitor's samples); default 0. */
  eventsPerMinute?: number;
}

/** The KPI tiles for a spectator's `window` (and its previous one, through `previous`); events / min is the live count's. */
export async function readKpis(
  store: LeaderboardStore,
  live: LiveCounts,
  nowMs: number,
  previous: Previous = store,
  window: LeaderboardWindow = 'day',
): Promise<KpiTileValue[]> {
  const ids = KPI_TILES.flatMap((t) => ('counter' in t ? [t.counter] : []));
  const [current, before] = await Promise.all([
    // Other currencies' revenue counters share the KPI board: read enough rows to find every tile's counter.
    store.top(KPI_LEADERBOARD, window, 200, nowMs),
    previous.previousStandings(KPI_LEADERBOARD, window, ids, nowMs),
  ]);
  const liveValues: Partial<Record<KpiKey, number>> = {
    activeSessions: live.activeSessions,
    spectators: live.spectators,
    eventsPerMin: live.eventsPerMinute ?? 0,
  };
  return KPI_TILES.map((t) => ({
    key: t.key,
    label: kpiTileLabel(t, window),
    unit: t.unit,
    value: 'counter' in t ? (current.find((e) => e.entityId === t.counter)?.score ?? 0) : (liveValues[t.key] ?? 0),
    previous: 'counter' in t ? (before.get(t.counter)?.score ?? 0) : null,
  }));
}

export interface LeaderboardKey {
  leaderboard: string;
  window: LeaderboardWindow;
}

/** A row as the jumbotron shows it: the board's row and, when the catalog has one, its artwork URL. */
export type BoardRow = TrendedEntry & { image?: string };

export interface LeaderboardSnapshot extends LeaderboardKey {
  title: string;
  /** Rows at the largest limit any subscriber asked for; slice to yours. */
  rows: BoardRow[];
  /** Increments whenever the rows change. */
  version: number;
  computedAt: number;
}

export interface BroadcastTick {
  at: number;
  /** When the tick started (performance.now, ms): the throttle spaces these, whatever the reads then took. */
  startedAt: number;
  /** keyOf(leaderboard, window) → snapshot, for every pair any subscriber shows. */
  leaderboards: ReadonlyMap<string, LeaderboardSnapshot>;
  changed: ReadonlySet<string>;
  kpis: ReadonlyMap<LeaderboardWindow, readonly KpiTileValue[]>;
  kpisChanged: boolean;
}

export type BroadcastListener = (tick: BroadcastTick) => void;

export interface Subscription {
  unsubscribe(): void;
  /** The latest tick (after `prime`, it holds this subscription's leaderboards). */
  current(): BroadcastTick;
}

/** The config's `coliseum` group (docs/CONFIG.md). */
export interface BroadcasterTuning {
  throttleMs: number;
  coalesceMs: number;
  refreshMs: number;
  previousRefreshMs: number;
  maxBoards: number;
}

export interface LeaderboardBroadcasterOptions extends BroadcasterTuning {
  store: LeaderboardStore;
  log: Logger;
  now?: () => number;
  /** Live counts for the KPI tiles (active sessions, spectators), read on refresh ticks. */
  liveCounts?: () => Promise<LiveCounts>;
  /** Told the bucket groups the subscribers read whenever that changes, so the feeder writes those first. */
  watched?: Pick<WatchedLeaderboards, 'watch'>;
  /** Sets each row's artwork URL where the catalog has one (features/leaderboard/boards.ts); without it rows have none. */
  artwork?: { decorate(leaderboard: string, rows: BoardRow[]): Promise<void> };
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
  private readonly now: () => number;
  private readonly subs = new Set<Sub>();
  private readonly snapshots = new Map<string, LeaderboardSnapshot & { json: string; limit: number }>();
  private readonly inflight = new Map<string, Promise<unknown>>();
  /** Each window's tiles, with their JSON to tell a change (one map, so a window dropped and shown again is read afresh). */
  private readonly kpis = new Map<LeaderboardWindow, { tiles: KpiTileValue[]; json: string }>();
  private live: LiveCounts = { activeSessions: 0, spectators: 0 };
  /** Trend columns' previous-window standings, reused by ticks, read afresh every `previousRefreshMs`. */
  private readonly previous: PreviousStandings;
  private last: BroadcastTick = { at: 0, startedAt: 0, leaderboards: new Map(), changed: new Set(), kpis: new Map(), kpisChanged: false };
  private readonly timer = new DueTimer(() => {
    if (this.ticking || this.stopped) return;
    this.ticking = this.tick(performance.now() - this.lastRefresh >= this.o.refreshMs - DueTimer.SLACK_MS);
  });
  private ticking: Promise<void> | null = null;
  private lastTickStart = -Infinity;
  private lastRefresh = -Infinity;
  private lastPreviousRefresh = -Infinity;
  /** Written since the last tick started (null: everything), and when the first of those writes was heard (performance.now). */
  private dirty: Set<string> | null = new Set();
  private dirtySince: number | null = null;
  private stopped = false;
  private lastErrorLog = 0;
  private readonly counters = { ticks: 0, changeTicks: 0, computations: 0, errors: 0, lastTickMs: null as number | null, maxTickMs: 0 };

  constructor(private readonly o: LeaderboardBroadcasterOptions) {
    this.now = o.now ?? Date.now;
    this.previous = new PreviousStandings(o.store);
  }

  /** Registers a subscriber; ticks start with the first one. @throws BroadcasterFullError beyond `maxBoards` pairs. */
  subscribe(keys: readonly LeaderboardKey[], limit: number, listener: BroadcastListener): Subscription {
    const fresh = new Set(keys.map((k) => keyOf(k.leaderboard, k.window)));
    for (const k of this.neededKeys().keys()) fresh.delete(k);
    if (this.neededKeys().size + fresh.size > this.o.maxBoards) {
      throw new BroadcasterFullError(
        `the coliseum already shows ${this.neededKeys().size} leaderboard/window pairs (limit ${this.o.maxBoards}); join with leaderboards others already watch`,
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
        if ((this.snapshots.get(key)?.limit ?? Number.NEGATIVE_INFINITY) >= limit) return undefined;
        // compute never rejects (a failed read keeps the old snapshot).
        return upsert(this.inflight, key, () => this.compute(k, limit).finally(() => this.inflight.delete(key)));
      }),
    );
    const missing = new Set(keys.map((k) => k.window).filter((w) => !this.kpis.has(w)));
    if (missing.size > 0) await this.computeKpis(true, missing).catch((err) => this.failed(err, 'kpis'));
    this.last = { ...this.last, leaderboards: this.snapshotMap(), kpis: this.kpiMap() };
    return this.last;
  }

  /** Schedules a tick `coalesceMs` from the first change, at least `throttleMs` after the previous. `null`: anything may have changed. */
  changed(leaderboards: readonly string[] | null = null): void {
    if (this.stopped) return;
    if (leaderboards === null) this.dirty = null;
    else if (this.dirty !== null) {
      for (const name of leaderboards) this.dirty.add(name);
      if (this.dirty.size > this.o.maxBoards) this.dirty = null;
    }
    this.dirtySince ??= performance.now();
    this.schedule();
  }

  /** Stops ticking and waits for a running tick. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer.clear();
    await this.ticking;
    this.subs.clear();
    this.announceWatched();
  }

  /** `changeTicks`: ticks a write started; `computations`: board reads (one per pair per tick that needed it, plus primes). */
  stats() {
    return { subscribers: this.subs.size, keys: this.neededKeys().size, ...this.counters };
  }

  /** Runs one refresh tick now, previous-window standings included (tests and benchmarks); normally ticks run on their own. */
  async tickNow(): Promise<BroadcastTick> {
    if (this.ticking) await this.ticking;
    this.timer.clear();
    this.lastPreviousRefresh = -Infinity;
    this.ticking = this.tick(true);
    await this.ticking;
    return this.last;
  }

  private announceWatched(): void {
    this.o.watched?.watch([...this.neededKeys().values()].map((k) => k.window));
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
    let due = this.lastRefresh + this.o.refreshMs;
    if (this.dirtySince !== null) due = Math.min(due, this.dirtySince + this.o.coalesceMs);
    this.timer.at(Math.max(due, this.lastTickStart + this.o.throttleMs));
  }

  private async tick(refresh: boolean): Promise<void> {
    const started = performance.now();
    const dirty = refresh ? null : this.dirty;
    const byChange = this.dirtySince !== null && !refresh;
    this.dirty = new Set();
    this.dirtySince = null;
    this.lastTickStart = started;
    if (refresh) this.lastRefresh = started;
    if (refresh && started - this.lastPreviousRefresh >= this.o.previousRefreshMs - DueTimer.SLACK_MS) {
      this.lastPreviousRefresh = started;
      this.previous.clear();
    }
    const needed = this.neededKeys();
    const changed = new Set<string>();
    try {
      // A trending board is written through the counter it ranks.
      const written = (name: string) => dirty === null || [name, leaderboardDefinition(name)?.base].some((b) => b !== undefined && dirty.has(b));
      const stale = [...needed].filter(([key, k]) => written(k.leaderboard) || (this.snapshots.get(key)?.limit ?? Number.NEGATIVE_INFINITY) < k.limit);
      await Promise.all(stale.map(async ([key, k]) => (await this.compute(k, k.limit)) && changed.add(key)));
      for (const key of this.snapshots.keys()) if (!needed.has(key) && !this.inflight.has(key)) this.snapshots.delete(key);
      const windows = new Set([...needed.values()].map((k) => k.window));
      for (const window of this.kpis.keys()) if (!windows.has(window)) this.kpis.delete(window);
      const kpisChanged =
        dirty === null || dirty.has(KPI_LEADERBOARD) ? await this.computeKpis(refresh, windows).catch((err) => this.failed(err, 'kpis')) : false;
      this.last = {
        at: this.now(),
        startedAt: started,
        leaderboards: this.snapshotMap(),
        changed,
        kpis: this.kpiMap(),
        kpisChanged: kpisChanged === true,
      };
      if (changed.size === 0 && !this.last.kpisChanged) return;
      for (const sub of [...this.subs]) {
        try {
          sub.listener(this.last);
        } catch (err) {
          this.o.log.error({ err }, 'coliseum subscriber threw while applying a tick');
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

  /** Reads one pair; resolves true when its rows changed. A failure keeps the old snapshot. */
  private async compute(k: LeaderboardKey, limit: number): Promise<boolean> {
    const def: LeaderboardDefinition | null = leaderboardDefinition(k.leaderboard);
    if (!def) return false;
    const key = keyOf(k.leaderboard, k.window);
    try {
      this.counters.computations++;
      const rows: BoardRow[] = await readLeaderboard(this.o.store, def, k.window, limit, this.now(), this.previous);
      await this.o.artwork?.decorate(k.leaderboard, rows);
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
    if (withLive && this.o.liveCounts) this.live = await this.o.liveCounts();
    const read = await Promise.all(
      [...windows].map(async (window) => [window, await readKpis(this.o.store, this.live, this.now(), this.previous, window)] as const),
    );
    let changed = false;
    for (const [window, kpis] of read) {
      const json = JSON.stringify(kpis);
      if (json === this.kpis.get(window)?.json) continue;
      this.kpis.set(window, { tiles: kpis, json });
      changed = true;
    }
    return changed;
  }

  private failed(err: unknown, what: string): undefined {
    this.counters.errors++;
    const now = this.now();
    if (now - this.lastErrorLog >= 10_000) {
      this.lastErrorLog = now;
      this.o.log.warn(
        { err: (err as Error)?.message ?? String(err), what, errors: this.counters.errors },
        'coliseum leaderboard read failed; spectators keep the previous snapshot',
      );
    }
    return undefined;
  }

  private kpiMap(): Map<LeaderboardWindow, KpiTileValue[]> {
    return new Map([...this.kpis].map(([window, { tiles }]) => [window, tiles]));
  }

  private snapshotMap(): Map<string, LeaderboardSnapshot> {
    return new Map([...this.snapshots].map(([key, { json: _json, limit: _limit, ...snapshot }]) => [key, snapshot]));
  }
}
