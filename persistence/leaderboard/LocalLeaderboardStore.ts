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
} from '../../systems/leaderboard/windows.js';

/** Sums at or below this are "no score" in windows that subtract a bucket (float residue of all − today). */
const EPSILON = 1e-9;
const HOUR_MS = 3_600_000;

interface SkipNode {
  id: string;
  score: number;
  next: Array<SkipNode | null>;
  /** span[i]: how many rank positions next[i] is ahead of this node (to the end when next[i] is null). */
  span: number[];
}

const MAX_LEVEL = 24;

/**
 * Order-statistic skip list (Redis's zskiplist design) in leaderboard order: O(log n) insert, delete,
 * rank-of and node-at-rank, so a read never scans the leaderboard.
 */
export class RankedSet {
  private readonly head: SkipNode = { id: '', score: 0, next: new Array(MAX_LEVEL).fill(null), span: new Array(MAX_LEVEL).fill(0) };
  private level = 1;
  size = 0;

  /** True when (score, id) ranks before `node`. */
  private static before(node: SkipNode, score: number, id: string): boolean {
    return node.score > score || (node.score === score && compareIds(node.id, id) < 0);
  }

  private static randomLevel(): number {
    let level = 1;
    while (level < MAX_LEVEL && Math.random() < 0.25) level++;
    return level;
  }

  /** Inserts an id that is not present. */
  insert(id: string, score: number): void {
    const update: SkipNode[] = new Array(MAX_LEVEL);
    const rank: number[] = new Array(MAX_LEVEL).fill(0);
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      for (let n = x.next[i]; n && RankedSet.before(n, score, id); n = x.next[i]) {
        rank[i] += x.span[i];
        x = n;
      }
      update[i] = x;
    }
    const level = RankedSet.randomLevel();
    for (let i = this.level; i < level; i++) {
      rank[i] = 0;
      update[i] = this.head;
      this.head.span[i] = this.size;
    }
    this.level = Math.max(this.level, level);
    const node: SkipNode = { id, score, next: new Array(level), span: new Array(level) };
    for (let i = 0; i < level; i++) {
      node.next[i] = update[i].next[i];
      update[i].next[i] = node;
      node.span[i] = update[i].span[i] - (rank[0] - rank[i]);
      update[i].span[i] = rank[0] - rank[i] + 1;
    }
    for (let i = level; i < this.level; i++) update[i].span[i]++;
    this.size++;
  }

  /** Builds an empty set from entries already in leaderboard order, in O(n) (no searches). */
  static fromSorted(entries: ReadonlyArray<{ id: string; score: number }>): RankedSet {
    const set = new RankedSet();
    const tails: SkipNode[] = new Array(MAX_LEVEL).fill(set.head);
    const tailRanks: number[] = new Array(MAX_LEVEL).fill(0);
    entries.forEach(({ id, score }, i) => {
      const level = RankedSet.randomLevel();
      const node: SkipNode = { id, score, next: new Array(level).fill(null), span: new Array(level).fill(0) };
      for (let l = 0; l < level; l++) {
        tails[l].next[l] = node;
        tails[l].span[l] = i + 1 - tailRanks[l];
        tails[l] = node;
        tailRanks[l] = i + 1;
      }
      set.level = Math.max(set.level, level);
    });
    for (let l = 0; l < MAX_LEVEL; l++) tails[l].span[l] = entries.length - tailRanks[l];
    set.size = entries.length;
    return set;
  }

  /** Removes (id, score); the score must be the one it was inserted with. */
  remove(id: string, score: number): boolean {
    const update: SkipNode[] = new Array(MAX_LEVEL);
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let n = x.next[i]; n && RankedSet.before(n, score, id); n = x.next[i]) x = n;
      update[i] = x;
    }
    const target = x.next[0];
    if (!target || target.id !== id) return false;
    for (let i = 0; i < this.level; i++) {
      if (update[i].next[i] === target) {
        update[i].span[i] += target.span[i] - 1;
        update[i].next[i] = target.next[i];
      } else {
        update[i].span[i]--;
      }
    }
    while (this.level > 1 && this.head.next[this.level - 1] === null) this.level--;
    this.size--;
    return true;
  }

  /** 1-based rank of a present (id, score), 0 if absent. */
  rankOf(id: string, score: number): number {
    let rank = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let n = x.next[i]; n && (RankedSet.before(n, score, id) || n.id === id); n = x.next[i]) {
        rank += x.span[i];
        x = n;
      }
      if (x.id === id && x !== this.head) return rank;
    }
    return 0;
  }

  /** Up to `count` entries starting at 0-based `start`. */
  slice(start: number, count: number): Array<{ id: string; score: number }> {
    const out: Array<{ id: string; score: number }> = [];
    if (start >= this.size || count <= 0) return out;
    let traversed = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] && traversed + x.span[i] <= start + 1) {
        traversed += x.span[i];
        x = x.next[i] as SkipNode;
      }
    }
    for (let n: SkipNode | null = x; n && out.length < count; n = n.next[0]) out.push({ id: n.id, score: n.score });
    return out;
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

  protected async rows(leaderboard: string, window: LeaderboardWindow, nowMs: number, previous: boolean, which: RowsOf): Promise<LeaderboardEntry[]> {
    const view = this.view(leaderboard, window, nowMs, previous);
    if (!view) return [];
    if ('start' in which) return this.entries(leaderboard, view, which.start, which.count);
    const standing = this.standing(view, which.around);
    return standing ? this.entries(leaderboard, view, aroundStart(standing.rank - 1, which.radius, view.ranked.size), 2 * which.radius + 1) : [];
  }

  protected async standings(leaderboard: string, window: LeaderboardWindow, ids: readonly string[], nowMs: number, previous: boolean) {
    const out = new Map<string, RankScore>();
    const view = this.view(leaderboard, window, nowMs, previous);
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
    let buckets = 0;
    let views = 0;
    for (const b of this.leaderboards.values()) {
      buckets += b.buckets.size;
      views += b.views.size;
    }
    return { leaderboards: this.leaderboards.size, buckets, views };
  }

  async close(): Promise<void> {
    this.leaderboards.clear();
    this.plans.clear();
  }

  private stateOf(name: string): LeaderboardState {
    let state = this.leaderboards.get(name);
    if (!state) {
      state = { buckets: new Map(), names: new Map(), views: new Map() };
      this.leaderboards.set(name, state);
    }
    return state;
  }

  /** Adds `delta` to one bucket (or sets it to `absolute`, exactly) and to every view that sums that bucket. */
  private apply(state: LeaderboardState, bucketId: string, entityId: string, delta: number, absolute?: number): void {
    let bucket = state.buckets.get(bucketId);
    if (!bucket) {
      bucket = new Map();
      state.buckets.set(bucketId, bucket);
    }
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
    const sorted: Array<{ id: string; score: number }> = [];
    for (const [id, score] of values) if (score > threshold) sorted.push({ id, score });
    sorted.sort((a, b) => (a.score !== b.score ? b.score - a.score : compareIds(a.id, b.id)));
    const view: View = {
      signature: plan.signature,
      weights: new Map(plan.terms.map((t) => [t.id, t.weight])),
      threshold,
      values,
      ranked: RankedSet.fromSorted(sorted),
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
