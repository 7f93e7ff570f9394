import {
  BucketStore,
  EVERY_GROUP,
  aroundStart,
  bucketExpiresAtMs,
  bucketsByGroups,
  compareIds,
  windowPlan,
  type LeaderboardEntry,
  type LeaderboardIncrement,
  type LeaderboardScore,
  type LeaderboardWindow,
  type RankScore,
  type RowsOf,
  upsert,
} from '../../systems/leaderboard/windows.js';

/** Sums at or below this are "no score" in windows that subtract a bucket (float residue of all − today). */
const EPSILON = 1e-9;
const HOUR_MS = 3_600_000;

type Ranked = { id: string; score: number };

/**
 * Ids in leaderboard order, in one sorted array: rank-of and insert find their place by binary search, and an
 * insert or removal moves the tail (a memmove; a process's boards hold thousands, not millions, of entities).
 */
export class RankedSet {
  /** Empty, or owning `items` already in leaderboard order (no searches). */
  constructor(private readonly items: Ranked[] = []) {}

  get size(): number {
    return this.items.length;
  }

  /** Index of the first item that does not rank before (score, id). */
  private indexOf(id: string, score: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const n = this.items[mid];
      if (n.score > score || (n.score === score && compareIds(n.id, id) < 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts an id that is not present. */
  insert(id: string, score: number): void {
    this.items.splice(this.indexOf(id, score), 0, { id, score });
  }

  /** Removes (id, score); the score must be the one it was inserted with. */
  remove(id: string, score: number): boolean {
    const at = this.indexOf(id, score);
    if (this.items[at]?.id !== id) return false;
    this.items.splice(at, 1);
    return true;
  }

  /** 1-based rank of a present (id, score), 0 if absent. */
  rankOf(id: string, score: number): number {
    const at = this.indexOf(id, score);
    return this.items[at]?.id === id ? at + 1 : 0;
  }

  /** Up to `count` entries starting at 0-based `start`. */
  slice(start: number, count: number): Ranked[] {
    return count <= 0 ? [] : this.items.slice(start, start + count);
  }
}

/** A materialised window: the weighted sum of its buckets, kept current by every write to those buckets. */
interface View {
  signature: string;
  weights: Map<string, number>;
  threshold: number;
  values: Map<string, number>;
  ranked: RankedSet;
}

interface LeaderboardState {
  buckets: Map<string, Map<string, number>>;
  names: Map<string, string>;
  views: Map<string, View>;
}

/**
 * In-process LeaderboardStore. Each window read is materialised once, then updated on every increment in O(log n), so
 * reads cost O(log n + page) however many buckets it spans; rebuilt when its bucket set rolls. At most 10 views per board.
 */
export class LocalLeaderboardStore extends BucketStore {
  readonly kind = 'local' as const;
  private readonly leaderboards = new Map<string, LeaderboardState>();
  private readonly plans = new Map<string, ReturnType<typeof windowPlan>>();
  private prunedHour = -Infinity;

  protected async write(items: readonly LeaderboardIncrement[], nowMs: number): Promise<void> {
    const hour = Math.floor(nowMs / HOUR_MS);
    // Expired buckets go when an increment enters a new hour.
    if (hour > this.prunedHour) {
      this.prunedHour = hour;
      this.prune(nowMs);
    }
    const buckets = bucketsByGroups(nowMs);
    for (const item of items) {
      const state = this.stateOf(item.leaderboard);
      for (const bucketId of buckets[item.groups ?? EVERY_GROUP]) this.apply(state, bucketId, item.entityId, item.by);
      if (item.name !== undefined) state.names.set(item.entityId, item.name);
    }
  }

  protected async rows(leaderboard: string, window: LeaderboardWindow, nowMs: number, which: RowsOf): Promise<LeaderboardEntry[]> {
    const view = this.view(leaderboard, window, nowMs, false);
    if (!view) return [];
    if ('start' in which) return this.entries(leaderboard, view, which.start, which.count);
    const standing = this.standing(view, which.around);
    return standing ? this.entries(leaderboard, view, aroundStart(standing.rank - 1, which.radius, view.ranked.size), 2 * which.radius + 1) : [];
  }

  protected async standings(leaderboard: string, window: LeaderboardWindow, ids: readonly string[], nowMs: number) {
    const out = new Map<string, RankScore>();
    const view = this.view(leaderboard, window, nowMs, true);
    for (const id of ids) {
      const standing = view && this.standing(view, id);
      if (standing) out.set(id, standing);
    }
    return out;
  }

  protected async setScores(leaderboard: string, bucketId: string, scores: readonly LeaderboardScore[]): Promise<void> {
    const state = this.stateOf(leaderboard);
    for (const s of scores) {
      const current = state.buckets.get(bucketId)?.get(s.entityId) ?? 0;
      if (s.score !== current) this.apply(state, bucketId, s.entityId, s.score - current, s.score);
      if (s.name !== undefined) state.names.set(s.entityId, s.name);
    }
  }

  /** Buckets, names and materialised views go together: the next increment starts a fresh state. */
  protected async clear(leaderboard: string): Promise<Iterable<[string, string, number]>> {
    const state = this.leaderboards.get(leaderboard);
    this.leaderboards.delete(leaderboard);
    return [...(state?.buckets ?? [])].flatMap(([bucketId, bucket]) =>
      [...bucket].map(([entityId, score]): [string, string, number] => [bucketId, entityId, score]),
    );
  }

  protected async boards(): Promise<string[]> {
    return [...this.leaderboards].filter(([, state]) => [...state.buckets.values()].some((b) => b.size > 0)).map(([id]) => id);
  }

  /** Drops buckets that expired by `nowMs` and views whose window has rolled; empty leaderboards go too. */
  prune(nowMs: number): void {
    for (const [name, state] of this.leaderboards) {
      for (const bucketId of state.buckets.keys()) {
        const expiresAt = bucketExpiresAtMs(bucketId);
        if (expiresAt !== null && expiresAt <= nowMs) state.buckets.delete(bucketId);
      }
      for (const [key, view] of state.views) {
        const previous = key.startsWith('prev:');
        const window = (previous ? key.slice(5) : key) as LeaderboardWindow;
        if (view.signature !== this.plan(window, nowMs, previous).signature) state.views.delete(key);
      }
      if (state.buckets.size === 0) this.leaderboards.delete(name);
    }
    this.plans.clear();
  }

  /** Counts for tests and metrics. */
  stats(): { leaderboards: number; buckets: number; views: number } {
    const states = [...this.leaderboards.values()];
    const sum = (size: (s: LeaderboardState) => number) => states.reduce((n, s) => n + size(s), 0);
    return { leaderboards: states.length, buckets: sum((s) => s.buckets.size), views: sum((s) => s.views.size) };
  }

  async close(): Promise<void> {
    this.leaderboards.clear();
    this.plans.clear();
  }

  private stateOf(name: string): LeaderboardState {
    return upsert(this.leaderboards, name, () => ({ buckets: new Map(), names: new Map(), views: new Map() }));
  }

  /** Adds `delta` to one bucket (or sets it to `absolute`, exactly) and to every view that sums that bucket. */
  private apply(state: LeaderboardState, bucketId: string, entityId: string, delta: number, absolute?: number): void {
    const bucket = upsert(state.buckets, bucketId, () => new Map<string, number>());
    const next = absolute ?? (bucket.get(entityId) ?? 0) + delta;
    if (next > 0) bucket.set(entityId, next);
    else bucket.delete(entityId);
    for (const view of state.views.values()) {
      const weight = view.weights.get(bucketId);
      if (weight !== undefined) this.setViewValue(view, entityId, (view.values.get(entityId) ?? 0) + delta * weight);
    }
  }

  private setViewValue(view: View, entityId: string, value: number): void {
    const old = view.values.get(entityId);
    if (old !== undefined && old > view.threshold) view.ranked.remove(entityId, old);
    if (value > view.threshold) view.ranked.insert(entityId, value);
    if (Math.abs(value) > EPSILON) view.values.set(entityId, value);
    else view.values.delete(entityId);
  }

  private plan(window: LeaderboardWindow, nowMs: number, previous: boolean): ReturnType<typeof windowPlan> {
    // All bucket boundaries are hour-aligned, so the plan only changes when the hour does.
    const key = `${previous ? 'prev:' : ''}${window}|${Math.floor(nowMs / HOUR_MS)}`;
    let plan = this.plans.get(key);
    if (!plan) {
      if (this.plans.size > 256) this.plans.clear();
      plan = windowPlan(window, nowMs, previous);
      this.plans.set(key, plan);
    }
    return plan;
  }

  private view(leaderboard: string, window: LeaderboardWindow, nowMs: number, previous: boolean): View | undefined {
    const state = this.leaderboards.get(leaderboard);
    if (!state) return undefined;
    const plan = this.plan(window, nowMs, previous);
    const key = previous ? `prev:${window}` : window;
    const existing = state.views.get(key);
    if (existing?.signature === plan.signature) return existing;
    const values = new Map<string, number>();
    for (const term of plan.terms) {
      for (const [id, score] of state.buckets.get(term.id) ?? []) values.set(id, (values.get(id) ?? 0) + score * term.weight);
    }
    const threshold = plan.terms.some((t) => t.weight < 0) ? EPSILON : 0;
    const sorted = [...values].filter(([, score]) => score > threshold).map(([id, score]) => ({ id, score }));
    sorted.sort((a, b) => (a.score !== b.score ? b.score - a.score : compareIds(a.id, b.id)));
    const view: View = {
      signature: plan.signature,
      weights: new Map(plan.terms.map((t) => [t.id, t.weight])),
      threshold,
      values,
      ranked: new RankedSet(sorted),
    };
    state.views.set(key, view);
    return view;
  }

  private standing(view: View, entityId: string): RankScore | null {
    const score = view.values.get(entityId);
    if (score === undefined || score <= view.threshold) return null;
    return { rank: view.ranked.rankOf(entityId, score), score };
  }

  private entries(leaderboard: string, view: View, start: number, count: number): LeaderboardEntry[] {
    const names = this.leaderboards.get(leaderboard)?.names;
    return view.ranked.slice(start, count).map((e, i) => ({ rank: start + i + 1, entityId: e.id, name: names?.get(e.id) ?? null, score: e.score }));
  }
}
