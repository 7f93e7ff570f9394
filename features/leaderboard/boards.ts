/** The leaderboard feature's API: routes, rooms and other features read the boards through this file. */
import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { svgToPng } from '../assets/svgRaster.js';
import { leaderboardSvg, type ImageBoard } from '../../systems/leaderboard/leaderboardImage.js';
import { boardOfRollup, PAIR_SEPARATOR } from '../../systems/leaderboard/countingRules.js';
import {
  KPI_LEADERBOARD,
  STATIC_LEADERBOARDS,
  leaderboardDefinition,
  type StaticLeaderboardName,
  type LeaderboardDefinition,
} from '../../systems/leaderboard/leaderboards.js';
import { bucketIdFor, isValidId, type LeaderboardEntry, type LeaderboardResetResult, type LeaderboardStore } from '../../systems/leaderboard/windows.js';
import type { RollupReads, RollupRow } from '../../persistence/leaderboard/rollups.js';
import { baselineKey, type LeaderboardLookups, type LeaderboardResetLog, type ResetRecord } from '../../persistence/leaderboard/boardTables.js';
import { BoardNames, LeaderboardFeeder, namedBy, type CommittedEventSource, type FeederTuning, type LeaderboardFeederOptions } from './LeaderboardFeeder.js';
import { LeaderboardBroadcaster, readLeaderboard, type BroadcasterTuning, type LeaderboardBroadcasterOptions } from './LeaderboardBroadcaster.js';
import type { LeaderboardChanges, WatchedLeaderboards } from './LeaderboardChanges.js';

export { readAround, readKpis, readLeaderboard, type KpiTileValue, type LiveCounts } from './LeaderboardBroadcaster.js';
export { readMoneyRows } from '../../persistence/leaderboard/rollups.js';
import type { CustomLeaderboard } from '../../systems/leaderboard/rollupMetrics.js';
export type { CustomLeaderboard };
export type { MoneySubject } from '../../systems/leaderboard/countingRules.js';

/**
 * PassportWriter → LeaderboardFeeder → store (Local | Redis) → LeaderboardBroadcaster → coliseum rooms. A Local store
 * is first rebuilt from the rollups (a Redis store keeps its own state).
 */
export interface StartLeaderboardsOptions
  extends Pick<LeaderboardFeederOptions, 'lookups' | 'now'>, Pick<LeaderboardBroadcasterOptions, 'artwork' | 'liveCounts'> {
  writer: CommittedEventSource;
  store: LeaderboardStore;
  log: Logger;
  coliseum: BroadcasterTuning;
  feeder: FeederTuning;
  changes: LeaderboardChanges;
  /** The rollups a Local store is rebuilt from, at most `limitPerBucket` entities per board bucket; without it a Local store starts empty. */
  rollups?: { reads: RollupReads; limitPerBucket: number };
  /** Catches the rollups up before the rebuild: the live feeder never sees events the last process committed after stopping its rollups. */
  catchUpRollups?: () => Promise<number>;
  /** Operator resets to subtract when rebuilding a Local store. */
  resets?: Pick<LeaderboardResetLog, 'baselines'>;
  /** Receives the feeder's lag (receivedAt → store updated), in seconds. */
  metrics?: { observeLeaderboardLag(seconds: number): void };
  /** What spectators watch; without it every flush writes every bucket. */
  watched?: WatchedLeaderboards;
}

export type Leaderboards = Awaited<ReturnType<typeof startLeaderboards>>;

/** Composes writer → feeder → store → broadcaster and starts it. Call once, at boot. */
export async function startLeaderboards(options: StartLeaderboardsOptions) {
  const { log, metrics, store, changes } = options;
  const now = options.now ?? Date.now;
  if (store.kind === 'local' && options.rollups) {
    const started = performance.now();
    const caughtUp = options.catchUpRollups ? await options.catchUpRollups() : 0;
    // Restore sets absolute values: it must run before live increments arrive.
    const restored = await restoreLeaderboardsFromRollups(options.rollups.reads, store, now(), {
      limitPerBucket: options.rollups.limitPerBucket,
      resets: options.resets,
    });
    log.info({ restored, rollupRowsCaughtUp: caughtUp, ms: Math.round(performance.now() - started) }, 'leaderboards rebuilt from rollups');
  }
  const feeder = new LeaderboardFeeder({
    ...options.feeder,
    store,
    log: log.child({ component: 'leaderboard-feeder' }),
    lookups: options.lookups,
    watched: options.watched,
    now,
    observeLag: metrics ? (ms) => metrics.observeLeaderboardLag(ms / 1000) : undefined,
    onWritten: (leaderboards) => changes.publish(leaderboards),
  });
  const named = options.lookups ? namedReads(store, new BoardNames(options.lookups, log, options.feeder.lookupCacheSize, NAME_TTL_MS)) : store;
  const broadcaster = new LeaderboardBroadcaster({
    store: named,
    log: log.child({ component: 'leaderboard-broadcaster' }),
    ...options.coliseum,
    liveCounts: options.liveCounts,
    watched: options.watched,
    artwork: options.artwork,
    now,
  });
  const unhear = changes.onChanged((leaderboards) => broadcaster.changed(leaderboards));
  feeder.attach(options.writer);
  return {
    store: named,
    feeder,
    broadcaster,
    /** Stops the broadcaster, then detaches the feeder after a last flush. The store stays open: its owner closes it. */
    stop: async (): Promise<void> => {
      try {
        unhear();
        await broadcaster.stop();
      } finally {
        await feeder.stop();
      }
    },
  };
}

/** How long a name read for a board row is kept: a row counted before its artist, track or event existed is named this soon after. */
const NAME_TTL_MS = 10_000;

/** The store whose `top` and `around` rows are named through `names` when the store holds none (the feeder writes through the bare one). */
export function namedReads(store: LeaderboardStore, names: BoardNames): LeaderboardStore {
  const named = async (leaderboard: string, rows: Promise<LeaderboardEntry[]>) => names.fill(await rows, () => leaderboard);
  return new Proxy(store, {
    get(target, key) {
      if (key === 'top') return (...a: Parameters<LeaderboardStore['top']>) => named(a[0], target.top(...a));
      if (key === 'around') return (...a: Parameters<LeaderboardStore['around']>) => named(a[0], target.around(...a));
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Leaderboards operators define: a title, the counter board it ranks by, its window and optionally a line-up (the only
 * entities it lists). Reads go to the counter board, so a custom board is as live as the board it names. `baseRank`:
 * the entity's rank on the whole base board (null when it has no score there yet).
 */
export type CustomRow = LeaderboardEntry & { baseRank: number | null };

export const CUSTOM_PREFIX = 'custom.';
export const MAX_LINEUP = 50;

/** The counter boards a custom board may rank by. */
export const COUNTER_BASES = Object.values(STATIC_LEADERBOARDS)
  .filter((b) => b.kind === 'counter')
  .map((b) => b.name);

/** Its rows: the base board's top `limit`, or the line-up ranked by score (ties by id; no score = 0, last). */
export async function readCustomLeaderboard(store: LeaderboardStore, board: CustomLeaderboard, limit: number, nowMs: number): Promise<CustomRow[]> {
  if (!board.entityIds.length) {
    const base = STATIC_LEADERBOARDS[board.base as StaticLeaderboardName];
    const rows = await readLeaderboard(store, base, board.window, limit, nowMs);
    return rows.map((r) => ({ rank: r.rank, entityId: r.entityId, name: r.name, score: r.score, baseRank: r.rank }));
  }
  const found = await Promise.all(
    board.entityIds.map(async (entityId) => {
      const [row] = await store.around(board.base, board.window, entityId, 0, nowMs);
      return row && row.entityId === entityId
        ? { entityId, name: row.name, score: row.score, baseRank: row.rank }
        : { entityId, name: null, score: 0, baseRank: null };
    }),
  );
  found.sort((a, b) => b.score - a.score || (a.entityId < b.entityId ? -1 : 1));
  return found.slice(0, limit).map((r, i) => ({ rank: i + 1, ...r }));
}

/**
 * A reset clears the board and keeps what it removed in `leaderboard_resets`, so a rebuild from the rollups subtracts
 * it; if that row cannot be written, the scores go back. Trending boards re-rank their base board: reset that one.
 */
export interface ResetDeps {
  store: LeaderboardStore;
  record: { record(leaderboard: string, nowMs: number, removed: LeaderboardResetResult): Promise<ResetRecord> };
  /** The board was reset (tell every coliseum, through LeaderboardChanges). */
  onReset?: (leaderboard: string) => void;
}

/** Why a name cannot be reset: not a board (or a dynamic board that holds nothing), or a derived one. */
export type ResetRefusal = { reason: 'unknown'; message: string } | { reason: 'derived'; message: string; base: string };

/** The board behind `name` if it can be reset, else why not. */
export async function resetTarget(store: LeaderboardStore, name: string, nowMs: number): Promise<LeaderboardDefinition | ResetRefusal> {
  const def = leaderboardDefinition(name);
  if (!def) return { reason: 'unknown', message: `no leaderboard "${name}"; GET /api/ops/leaderboards lists them` };
  if (def.kind === 'trending') return { reason: 'derived', base: def.base!, message: `"${name}" ranks the growth of ${def.base}: reset ${def.base} instead` };
  const isStatic = Object.prototype.hasOwnProperty.call(STATIC_LEADERBOARDS, name);
  if (!isStatic && (await store.top(name, 'all', 1, nowMs)).length === 0) return { reason: 'unknown', message: `leaderboard "${name}" holds no scores` };
  return def;
}

/** Clears the board in the store, then records what was removed; on a failed record, puts it back and throws. */
export async function resetLeaderboard(deps: ResetDeps, leaderboard: string, nowMs: number): Promise<ResetRecord & { buckets: number }> {
  const removed = await deps.store.reset(leaderboard, nowMs);
  let record: ResetRecord;
  try {
    record = await deps.record.record(leaderboard, nowMs, removed);
  } catch (err) {
    for (const bucket of removed.buckets) await deps.store.restore(leaderboard, bucket.bucketId, bucket.scores, nowMs);
    throw err;
  }
  deps.onReset?.(leaderboard);
  return { ...record, buckets: removed.buckets.length };
}

/**
 * Rebuilds a Local store from the rollups after a restart, BEFORE the feeder attaches (`restore` sets absolute values):
 * every window and its previous one, capped at `limitPerBucket` entities, minus operator resets. Restored rows carry no
 * names: the store `startLeaderboards` hands out names rows as they are read.
 */
const HOUR = 3_600_000;
const DAY = 86_400_000;

const RESTORED_BUCKETS = { hours: 3, days: 60 } as const;

/** Adds a counted amount to (leaderboard, bucket, entity). */
type Push = (leaderboard: string, bucketId: string, entityId: string, score: number) => void;

function bucketOf(period: RollupRow['period'], start: Date | string): string {
  return period === 'all' ? 'all' : bucketIdFor(period, new Date(start).getTime());
}

/** Counter and family leaderboards (`votes.<eventId>`, `revenue.<currency>`), from their rules' rollups. */
async function pushRollups(reads: RollupReads, push: Push, limit: number, hourFrom: Date, dayFrom: Date): Promise<void> {
  for (const row of await reads.topRows(limit, hourFrom, dayFrom)) {
    const t = boardOfRollup(row.entity_type, row.metric, row.entity_id);
    const value = Number(row.value);
    if (!t || !isValidId(t.leaderboard) || !isValidId(t.entityId) || !(value > 0)) continue;
    push(t.leaderboard, bucketOf(row.period, row.bucket_start), t.entityId, value);
  }
}

/** KPI counters: rollup sums, plus events and sessions counted by event hour (as the feeder counts them) into hours and days. */
async function pushKpis(reads: RollupReads, push: Push, nowMs: number, hourFrom: Date, dayFrom: Date): Promise<void> {
  for (const row of await reads.kpiSums(hourFrom, dayFrom)) push(KPI_LEADERBOARD, bucketOf(row.period, row.bucket_start), row.counter, Number(row.value));
  const twoDaysFrom = new Date(Math.max(dayFrom.getTime(), (Math.floor(nowMs / DAY) - 1) * DAY));
  for (const row of await reads.eventCounts(twoDaysFrom < hourFrom ? twoDaysFrom : hourFrom)) {
    const hourMs = new Date(row.hour).getTime();
    const buckets = [bucketIdFor('day', hourMs), ...(hourMs >= hourFrom.getTime() ? [bucketIdFor('hour', hourMs)] : [])];
    for (const bucketId of buckets) {
      push(KPI_LEADERBOARD, bucketId, 'events', Number(row.events));
      push(KPI_LEADERBOARD, bucketId, 'sessions', Number(row.sessions));
    }
  }
}

export async function restoreLeaderboardsFromRollups(
  reads: RollupReads,
  store: LeaderboardStore,
  nowMs: number,
  options: { limitPerBucket: number; resets?: Pick<LeaderboardResetLog, 'baselines'> },
): Promise<{ leaderboards: number; buckets: number; entries: number; ms: number }> {
  const started = performance.now();
  const limit = Math.max(1, Math.min(100_000, Math.floor(options.limitPerBucket)));
  const hourFrom = new Date((Math.floor(nowMs / HOUR) - (RESTORED_BUCKETS.hours - 1)) * HOUR);
  const dayFrom = new Date((Math.floor(nowMs / DAY) - (RESTORED_BUCKETS.days - 1)) * DAY);

  const groups = new Map<string, { leaderboard: string; bucketId: string; scores: Map<string, number> }>();
  const push: Push = (leaderboard, bucketId, entityId, score) => {
    const key = `${leaderboard}\u0000${bucketId}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { leaderboard, bucketId, scores: new Map() }));
    group.scores.set(entityId, (group.scores.get(entityId) ?? 0) + score);
  };
  await pushRollups(reads, push, limit, hourFrom, dayFrom);
  await pushKpis(reads, push, nowMs, hourFrom, dayFrom);

  const baselines = options.resets ? await options.resets.baselines(nowMs) : new Map<string, number>();
  let [entries, buckets] = [0, 0];
  const leaderboards = new Set<string>();
  for (const { leaderboard, bucketId, scores: counted } of groups.values()) {
    // What was counted after the resets; a rollup still behind the live store can come out ≤ 0, and the entity is left out.
    const scores = [...counted]
      .map(([entityId, score]) => ({ entityId, score: score - (baselines.get(baselineKey(leaderboard, bucketId, entityId)) ?? 0) }))
      .filter((s) => s.score > 1e-9);
    if (scores.length === 0) continue;
    await store.restore(leaderboard, bucketId, scores, nowMs);
    [entries, buckets] = [entries + scores.length, buckets + 1];
    leaderboards.add(leaderboard);
  }
  return { leaderboards: leaderboards.size, buckets, entries, ms: Math.round(performance.now() - started) };
}

/** Board PNGs: a render costs tens of ms, so identical pictures come from an LRU and at most `maxConcurrent` run at once. */
export class LeaderboardImages {
  private readonly rendered: LRUCache<string, Buffer>;
  private running = 0;

  constructor(private readonly options: { cacheEntries: number; maxRows: number; maxConcurrent: number }) {
    this.rendered = new LRUCache({ max: options.cacheEntries });
  }

  /** The PNG, or null when `maxConcurrent` renders are already running (answer 503 with Retry-After). */
  async png(board: ImageBoard): Promise<Buffer | null> {
    // Read to the minute: a board refreshed within the same minute with the same rows is the same picture.
    const svg = leaderboardSvg({ ...board, generatedAt: board.generatedAt.slice(0, 16), entries: board.entries.slice(0, this.options.maxRows) });
    const key = createHash('sha256').update(svg).digest('base64url');
    const cached = this.rendered.get(key);
    if (cached) return cached;
    if (this.running >= this.options.maxConcurrent) return null;
    this.running++;
    try {
      const png = await svgToPng(svg, { compressionLevel: 9, palette: true, quality: 90 });
      this.rendered.set(key, png);
      return png;
    } finally {
      this.running--;
    }
  }
}

/** Thumbnails for the jumbotron's rows, one query per tick that meets new entities, cached `ttlMs` so a later upload shows. */
/** A cached "no artwork" (lru-cache holds no undefined values). */
const NONE = '';

type Kind = 'artist' | 'track';

export class BoardArtwork {
  private readonly cache: LRUCache<string, string>;

  constructor(private readonly options: { lookups: Pick<LeaderboardLookups, 'artworkOf'>; log: Logger; size: number; ttlMs: number }) {
    this.cache = new LRUCache({ max: options.size, ttl: options.ttlMs });
  }

  /** Sets `image` on the rows of `leaderboard` whose entity has artwork; best effort (a failed lookup leaves them without). */
  async decorate(leaderboard: string, rows: Array<{ entityId: string; image?: string }>): Promise<void> {
    const pictured = subjectOf(leaderboard);
    if (!pictured || rows.length === 0) return;
    const subjects = rows.map((r) => pictured(r.entityId));
    const missing = { artist: new Set<string>(), track: new Set<string>() };
    for (const s of subjects) if (s && this.cache.get(cacheKey(s)) === undefined) missing[s.kind].add(s.id);
    if ((missing.artist.size > 0 || missing.track.size > 0) && this.options.lookups.artworkOf) {
      try {
        const found = await this.options.lookups.artworkOf([...missing.artist], [...missing.track]);
        for (const id of missing.artist) this.cache.set(cacheKey({ kind: 'artist', id }), found.artists.get(id) ?? NONE);
        for (const id of missing.track) this.cache.set(cacheKey({ kind: 'track', id }), found.tracks.get(id) ?? NONE);
      } catch (err) {
        this.options.log.warn({ err: (err as Error).message }, 'board artwork lookup failed; rows show initials until the next tick');
      }
    }
    rows.forEach((row, i) => {
      const s = subjects[i];
      const image = s ? this.cache.get(cacheKey(s)) : undefined;
      if (image) row.image = image;
    });
  }
}

const cacheKey = (s: { kind: Kind; id: string }): string => `${s.kind}:${s.id}`;

/** What a board's row is a picture of, by its counting rule (a trending board by its base's): undefined for none. */
function subjectOf(leaderboard: string): ((entityId: string) => { kind: Kind; id: string } | undefined) | undefined {
  const naming = namedBy(leaderboardDefinition(leaderboard)?.base ?? leaderboard);
  if (naming === 'artist' || naming === 'track') return (id) => ({ kind: naming, id });
  if (naming !== 'transition') return undefined;
  return (id) => {
    const to = id.slice(id.indexOf(PAIR_SEPARATOR) + 1);
    return to && id.includes(PAIR_SEPARATOR) ? { kind: 'artist', id: to } : undefined;
  };
}
