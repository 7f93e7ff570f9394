/**
 * Recomputes recommendations after captures, off the rooms' tick: a bounded queue of users (one
 * entry per user: a second capture before the first list is computed joins the pending request),
 * worked by a few concurrent computations. When the queue is full the OLDEST pending request is
 * dropped (its listeners get no push; GET /api/recommendations still answers) and counted: a room
 * never waits for a slot.
 */
import type { Logger } from 'pino';
import type { RecommendationList } from './Recommendations.js';

export type Deliver = (list: RecommendationList) => void;

export interface RecommendationQueueSettings {
  /** Users waiting for a computation; beyond it the oldest is dropped. */
  maxPending: number;
  /** Computations running at once (each a handful of indexed queries). */
  concurrency: number;
}

export interface RecommendationQueueStats {
  pending: number;
  running: number;
  computed: number;
  coalesced: number;
  dropped: number;
  failed: number;
}

export class RecommendationQueue {
  /** userId → listeners by key (a room id); Map order is request order, so the first entry is the oldest. */
  private readonly pending = new Map<string, Map<string, Deliver>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly counts = { computed: 0, coalesced: 0, dropped: 0, failed: 0 };
  private stopped = false;

  constructor(
    private readonly compute: (userId: string) => Promise<RecommendationList>,
    private readonly settings: RecommendationQueueSettings,
    private readonly log: Logger,
  ) {}

  /** Asks for `userId`'s list to be recomputed and handed to `deliver` (kept per `listenerKey`, latest wins). Never blocks. */
  request(userId: string, listenerKey: string, deliver: Deliver): 'queued' | 'coalesced' | 'stopped' {
    if (this.stopped) return 'stopped';
    const listeners = this.pending.get(userId);
    if (listeners) {
      listeners.set(listenerKey, deliver);
      this.counts.coalesced++;
      return 'coalesced';
    }
    if (this.pending.size >= this.settings.maxPending) this.dropOldest();
    this.pending.set(userId, new Map([[listenerKey, deliver]]));
    // The computation starts on a later turn: a caller inside a room callback returns at once.
    setImmediate(() => this.pump());
    return 'queued';
  }

  stats(): RecommendationQueueStats {
    return { pending: this.pending.size, running: this.inFlight.size, ...this.counts };
  }

  /** Shutdown: pending requests are dropped, running ones awaited (at most `timeoutMs`). */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    this.pending.clear();
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private dropOldest(): void {
    const oldest = this.pending.keys().next().value as string;
    this.pending.delete(oldest);
    this.counts.dropped++;
    this.log.warn({ userId: oldest, maxPending: this.settings.maxPending }, 'recommendation queue full: dropped the oldest request');
  }

  private pump(): void {
    while (!this.stopped && this.inFlight.size < this.settings.concurrency && this.pending.size > 0) {
      const [userId, listeners] = this.pending.entries().next().value as [string, Map<string, Deliver>];
      this.pending.delete(userId);
      const run = this.run(userId, listeners).finally(() => {
        this.inFlight.delete(run);
        this.pump();
      });
      this.inFlight.add(run);
    }
  }

  private async run(userId: string, listeners: Map<string, Deliver>): Promise<void> {
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
