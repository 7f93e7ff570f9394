/**
 * Recomputes recommendations after captures, off the rooms' tick: one entry per user, a few workers; when full the
 * OLDEST request is dropped and counted, so a room never waits. One user's computations start `minIntervalMs` apart
 * (captures meanwhile join the pending one), so a fast capturer cannot keep a worker to itself.
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { RecommendationList } from './Recommendations.js';

export type Deliver = (list: RecommendationList) => void;

export interface RecommendationQueueSettings {
  /** Users waiting for a computation; beyond it the oldest is dropped. */
  maxPending: number;
  /** Computations running at once (each a handful of indexed queries). */
  concurrency: number;
  /** Least time between the starts of two computations for one user; 0 = none. Default 0. */
  minIntervalMs: number;
}

interface Waiting {
  /** Listeners by key (a room id), latest wins. */
  listeners: Map<string, Deliver>;
  /** Not started before this time (the queue's clock): the user's last start + minIntervalMs. */
  notBefore: number;
}

/** Start times remembered per user, at most this many per pending slot (the oldest go first). */
const STARTS_PER_SLOT = 100;
/** Drops are logged at most once per this many ms, as a count (a full queue drops many requests a second). */
const DROP_LOG_INTERVAL_MS = 10_000;
/** Deferred requests are released in steps of this many ms (one timer for many users; a few ms late is nothing against the interval). */
const RELEASE_STEP_MS = 50;

export class RecommendationQueue {
  /** userId → its request, due now; Map order is request order, so the first entry is the oldest. */
  private readonly pending = new Map<string, Waiting>();
  /** userId → its request waiting for the user's interval to end (released into `pending` by the timer). */
  private readonly deferredRequests = new Map<string, Waiting>();
  /** When the release timer fires (the queue's clock), Infinity when unarmed. */
  private releaseAt = Infinity;
  /** userId → when its last computation started, forgotten once older than the interval. */
  private readonly lastStart: LRUCache<string, number>;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly counts = { computed: 0, coalesced: 0, deferred: 0, dropped: 0, failed: 0 };
  private readonly minIntervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Drops not yet logged, and when the last drop line was written (the queue's clock). */
  private unloggedDrops = 0;
  private lastDropLog = -Infinity;

  constructor(
    private readonly compute: (userId: string) => Promise<RecommendationList>,
    private readonly settings: RecommendationQueueSettings,
    private readonly log: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.minIntervalMs = Math.max(0, settings.minIntervalMs);
    const ttl = Math.max(1, this.minIntervalMs);
    this.lastStart = new LRUCache({ max: settings.maxPending * STARTS_PER_SLOT, ttl, ttlResolution: 0, perf: { now: this.now } });
  }

  /** Asks for `userId`'s list to be recomputed and handed to `deliver` (kept per `listenerKey`, latest wins). Never blocks. */
  request(userId: string, listenerKey: string, deliver: Deliver): 'queued' | 'deferred' | 'coalesced' | 'stopped' {
    if (this.stopped) return 'stopped';
    const waiting = this.pending.get(userId) ?? this.deferredRequests.get(userId);
    if (waiting) {
      waiting.listeners.set(listenerKey, deliver);
      this.counts.coalesced++;
      return 'coalesced';
    }
    if (this.pending.size + this.deferredRequests.size >= this.settings.maxPending) this.dropOldest();
    const notBefore = (this.lastStart.get(userId) ?? -Infinity) + this.minIntervalMs;
    const request = { listeners: new Map([[listenerKey, deliver]]), notBefore };
    if (notBefore > this.now()) {
      this.deferredRequests.set(userId, request);
      this.armRelease(notBefore);
      this.counts.deferred++;
      return 'deferred';
    }
    this.pending.set(userId, request);
    // The computation starts on a later turn: a caller inside a room callback returns at once.
    setImmediate(() => this.pump());
    return 'queued';
  }

  stats() {
    return { pending: this.pending.size + this.deferredRequests.size, running: this.inFlight.size, ...this.counts };
  }

  /** Shutdown: pending requests are dropped, running ones awaited (at most `timeoutMs`). */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    this.pending.clear();
    this.deferredRequests.clear();
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  /** The oldest request due now, else the oldest deferred one. */
  private dropOldest(): void {
    const from = this.pending.size > 0 ? this.pending : this.deferredRequests;
    const oldest = from.keys().next().value as string;
    from.delete(oldest);
    this.counts.dropped++;
    this.unloggedDrops++;
    const now = this.now();
    if (now - this.lastDropLog < DROP_LOG_INTERVAL_MS) return;
    this.log.warn(
      { userId: oldest, dropped: this.unloggedDrops, droppedTotal: this.counts.dropped, maxPending: this.settings.maxPending },
      'recommendation queue full: dropped the oldest requests (count since the last such line; ds_recommendation_requests_total{outcome="dropped"} has them all)',
    );
    this.unloggedDrops = 0;
    this.lastDropLog = now;
  }

  /** Starts due requests while a worker is free (request order). */
  private pump(): void {
    for (const [userId, waiting] of this.pending) {
      if (this.stopped || this.inFlight.size >= this.settings.concurrency) return; // a finishing run pumps again
      this.pending.delete(userId);
      if (this.minIntervalMs > 0) this.lastStart.set(userId, this.now());
      const run = this.run(userId, waiting.listeners).finally(() => {
        this.inFlight.delete(run);
        this.pump();
      });
      this.inFlight.add(run);
    }
  }

  /** Arms the release timer for `at` (rounded up to the release step) unless it fires sooner already. */
  private armRelease(at: number): void {
    const due = Math.ceil(at / RELEASE_STEP_MS) * RELEASE_STEP_MS;
    if (this.stopped || due >= this.releaseAt) return;
    this.clearTimer();
    this.releaseAt = due;
    this.timer = setTimeout(() => this.release(), Math.max(1, due - this.now()));
    this.timer.unref();
  }

  /** Moves the deferred requests that are due into the queue (in request order), then re-arms for the next. */
  private release(): void {
    this.clearTimer();
    const now = this.now();
    let next = Infinity;
    // keys(), not entries(): an entry is a new array, and thousands wait at once under load, released every step.
    for (const userId of this.deferredRequests.keys()) {
      const waiting = this.deferredRequests.get(userId)!;
      if (waiting.notBefore > now) {
        next = Math.min(next, waiting.notBefore);
        continue;
      }
      this.deferredRequests.delete(userId);
      this.pending.set(userId, waiting);
    }
    if (next < Infinity) this.armRelease(next);
    this.pump();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.releaseAt = Infinity;
  }

  private async run(userId: string, listeners: ReadonlyMap<string, Deliver>): Promise<void> {
    try {
      const list = await this.compute(userId);
      this.counts.computed++;
      for (const deliver of listeners.values()) {
        try {
          deliver(list);
        } catch (err) {
          this.log.warn({ err, userId }, 'recommendations could not be delivered');
        }
      }
    } catch (err) {
      this.counts.failed++;
      this.log.error({ err, userId }, 'recommendations computation failed');
    }
  }
}
