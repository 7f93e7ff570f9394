/**
 * The only path by which passport events reach Postgres: a HARD-bounded queue flushed in batches, up to the sink's
 * `concurrency` in flight, retried with capped backoff.
 * - `enqueue` is synchronous and all-or-nothing ({@link BackpressureError}); nothing accepted is dropped silently.
 * - Events leave the queue only once committed, in queue order (a batch that commits early waits for earlier ones).
 *   Event ids are claimed in `passport_event_ids`, so a retry after an ambiguous commit stores nothing twice.
 * - Data errors (22xxx/23xxx) are split out and dead-lettered; the rest is stored.
 * - Once the oldest queued event waited `maxLagMs`, `enqueue` refuses (BackpressureError), bounding what a crash loses
 *   (docs/OPERATIONS.md "What a crash can lose"); `followUp` events skip that check, not the hard bound.
 * - `enqueueDurable` resolves after the commit (group commit); HTTP acknowledgements use it.
 * - `onCommitted` listeners see each event once, only if this writer stored it, so what they count agrees with the log.
 * Events still queued when the process dies are lost: call `drain()` on shutdown.
 */
import type { Logger } from 'pino';
import type { Sql } from '../../persistence/db.js';
import type { PassportEvent } from '../../systems/passport/events.js';
import { BackpressureError, DrainTimeoutError } from '../../persistence/passport/errors.js';
import { ArrivalTimes, CommitWaiters } from './commitTracking.js';
import { insertIsolating, sqlSink, type PassportSink } from '../../persistence/passport/sinks.js';
import { Flights, type Flight } from './flights.js';

/** A sink that does not say how many flushes it takes at once gets them one at a time. */
const ONE_FLUSH_AT_A_TIME = 1;

const LATENCY_WINDOW = 256;
const OPTIONS = ['maxQueue', 'batchSize', 'flushIntervalMs', 'baseRetryDelayMs', 'maxRetryDelayMs', 'maxLagMs'] as const;

/** The PASSPORT_* settings of these names (src/config: PASSPORT_MAX_QUEUE, PASSPORT_BATCH_SIZE, PASSPORT_FLUSH_MS, …). */
export type PassportWriterOptions = Record<(typeof OPTIONS)[number], number>;

/** Called with the events a commit newly stored, in queue order (never a duplicate or a dead letter). */
export type CommittedListener = (events: readonly PassportEvent[]) => void;

export type PassportWriterStats = ReturnType<PassportWriter['stats']>;

export class PassportWriter {
  private readonly sink: PassportSink;
  private readonly concurrency: number;
  private readonly arrivals = new ArrivalTimes();
  /** The same arrivals, read up to the events handed to a flush (the age timer). */
  private readonly undispatchedArrivals = new ArrivalTimes();
  private readonly flights = new Flights();

  private queue: PassportEvent[] = [];
  private head = 0;
  /** Absolute count of events that ever left the queue (committed or dead-lettered). */
  private removedSeq = 0;
  private timer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private stopped = false;
  private draining = 0;
  private readonly listeners = new Set<CommittedListener>();
  private readonly waiters = new CommitWaiters();
  private readonly drainWaiters = new Set<() => void>();
  private readonly latencies: number[] = [];
  private readonly counters = { accepted: 0, persisted: 0, duplicates: 0, deadLettered: 0, rejected: 0, flushes: 0, failedFlushes: 0 };
  private last = { flushMs: null as number | null, flushSize: 0, error: null as string | null, errorAt: null as string | null };

  /** @param target MikroORM `Sql` (simple) or a {@link PassportSink} such as `createCopySink` (fast). */
  constructor(
    target: Sql | PassportSink,
    private readonly options: PassportWriterOptions,
    private readonly log: Logger,
  ) {
    this.sink = 'insert' in target ? target : sqlSink(target);
    this.concurrency = positive(this.sink.concurrency ?? ONE_FLUSH_AT_A_TIME, 'sink concurrency');
    for (const name of OPTIONS) positive(options[name], name);
  }

  get queueDepth(): number {
    return this.queue.length - this.head;
  }

  /** True when `count` more events fit right now (the bound and the lag). */
  hasRoomFor(count: number): boolean {
    return !this.stopped && this.queueDepth + count <= this.options.maxQueue && this.oldestQueuedMs(Date.now()) < this.options.maxLagMs;
  }

  private oldestQueuedMs(now: number): number {
    return this.arrivals.oldestWaitMs(this.removedSeq, now);
  }

  /**
   * Queues every event or none; `followUp`: they record something that already happened (no client to refuse), so the
   * lag check is skipped. @throws BackpressureError when it does not fit (or the writer stopped).
   */
  enqueue(events: readonly PassportEvent[], options: { followUp?: boolean } = {}): void {
    if (events.length === 0) return;
    this.ensureRoom(events.length, !options.followUp);
    this.push(events);
  }

  /** Like {@link enqueue}, then resolves once all these events are committed (or rejects with NotPersistedError after `timeoutMs`). */
  enqueueDurable(events: readonly PassportEvent[], timeoutMs = 30_000): Promise<void> {
    this.enqueue(events);
    return this.waitFor(this.removedSeq + this.queueDepth, timeoutMs);
  }

  /** Synchronously, with the events each commit newly stored, in queue order; returns an unsubscribe function. */
  onCommitted(listener: CommittedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Flushes everything queued, ignoring the age timer. @throws DrainTimeoutError after `timeoutMs`. */
  async drain(timeoutMs = 10_000): Promise<void> {
    if (this.queueDepth === 0) return;
    this.draining++;
    let done!: () => void;
    const emptied = new Promise<void>((resolve) => (done = resolve));
    this.drainWaiters.add(done);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const message = `drain timed out after ${timeoutMs} ms with ${this.queueDepth} events still queued (last error: ${this.last.error ?? 'none'})`;
        reject(new DrainTimeoutError(message, this.queueDepth));
      }, timeoutMs);
    });
    this.kick();
    try {
      await Promise.race([emptied, timeout]);
    } finally {
      clearTimeout(timer);
      this.drainWaiters.delete(done);
      this.draining--;
    }
  }

  /** Stops and waits for flights in flight; anything still queued is lost (logged): call `drain()` first. Resolves to the lost count. */
  async stop(): Promise<number> {
    this.stopped = true;
    this.clearTimers();
    await this.flights.settled();
    const lost = this.queueDepth;
    if (lost > 0) this.log.warn({ lost }, 'passport writer stopped with events still queued; they were not stored');
    this.waiters.rejectAll('the passport writer stopped before these events were stored');
    return lost;
  }

  stats() {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      queueDepth: this.queueDepth,
      maxQueue: this.options.maxQueue,
      oldestQueuedMs: this.oldestQueuedMs(Date.now()),
      maxLagMs: this.options.maxLagMs,
      ...this.counters,
      lastFlushMs: this.last.flushMs,
      lastFlushSize: this.last.flushSize,
      flushLatencyMsP50: sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null,
      flushLatencyMsMax: sorted.length ? sorted[sorted.length - 1] : null,
      lastError: this.last.error,
      lastErrorAt: this.last.errorAt,
      retrying: this.retryTimer !== null,
      flushesInFlight: this.flights.running,
      flushConcurrency: this.concurrency,
    };
  }

  /** @throws BackpressureError (counted as rejected) when `count` more events may not be accepted now. */
  private ensureRoom(count: number, checkLag: boolean): void {
    const refusal = this.refusal(count, checkLag);
    if (!refusal) return;
    this.counters.rejected += count;
    throw new BackpressureError(refusal.message, refusal.retryAfterSec, this.queueDepth, this.options.maxQueue, count);
  }

  /** Why `count` more events may not be accepted now, or null when they may. */
  private refusal(count: number, checkLag: boolean): { message: string; retryAfterSec: number } | null {
    if (this.stopped)
      return { message: 'the passport writer is shutting down and accepts no more events; retry against another server or after restart', retryAfterSec: 5 };
    if (count > this.options.maxQueue)
      return {
        message: `a batch of ${count} events can never fit the passport queue (bound ${this.options.maxQueue}); split it into smaller batches`,
        retryAfterSec: 1,
      };
    if (this.queueDepth + count > this.options.maxQueue) {
      const retryAfterSec = this.retryTimer ? Math.min(60, Math.max(1, Math.ceil(this.retryDelayMs() / 1000))) : 1;
      return {
        message: `passport queue is full (${this.queueDepth} of ${this.options.maxQueue} queued, ${count} offered); none were accepted — retry after ${retryAfterSec} s`,
        retryAfterSec,
      };
    }
    const lag = checkLag ? this.oldestQueuedMs(Date.now()) : 0;
    if (lag >= this.options.maxLagMs)
      return { message: `the event log is ${lag} ms behind (limit ${this.options.maxLagMs} ms); none were accepted — retry in a second`, retryAfterSec: 1 };
    return null;
  }

  private push(events: readonly PassportEvent[]): void {
    const now = Date.now();
    for (const e of events) this.queue.push(e);
    this.arrivals.arrived(this.removedSeq + this.queueDepth, now);
    this.undispatchedArrivals.arrived(this.removedSeq + this.queueDepth, now);
    this.counters.accepted += events.length;
    this.kick();
  }

  private waitFor(untilSeq: number, timeoutMs: number): Promise<void> {
    if (this.removedSeq >= untilSeq) return Promise.resolve();
    const done = this.waiters.waitFor(untilSeq, timeoutMs, () => this.last.error);
    this.kick(); // a caller is waiting: flush now rather than at the age timer
    return done;
  }

  /**
   * Failed batches first (after backoff), then full ones; a partial one when draining, or when nothing is in flight and a
   * caller waits (group commit) or the oldest is flushIntervalMs old.
   */
  private kick(): void {
    if (this.stopped || this.retryTimer) return;
    while (this.flights.running < this.concurrency) {
      const retry = this.flights.nextFailed();
      if (retry) {
        this.launch(retry);
        continue;
      }
      const undispatched = this.removedSeq + this.queueDepth - this.flights.dispatchedSeq;
      if (undispatched === 0) return;
      if (undispatched < this.options.batchSize && this.draining === 0) {
        // A partial batch waits while another is in flight, so callers arriving meanwhile share it (group commit).
        if (this.flights.running > 0) return;
        const age = this.undispatchedArrivals.oldestWaitMs(this.flights.dispatchedSeq, Date.now());
        if (this.waiters.lastUntilSeq <= this.flights.dispatchedSeq && age < this.options.flushIntervalMs) {
          if (!this.timer) this.timer = setTimeout(() => ((this.timer = null), this.kick()), this.options.flushIntervalMs - age);
          return;
        }
      }
      this.clearFlushTimer();
      const seq = this.flights.dispatchedSeq;
      const start = this.head + (seq - this.removedSeq);
      this.launch(this.flights.dispatch(seq, this.queue.slice(start, start + this.options.batchSize)));
      // Forget what is dispatched, or under sustained full batches this list grows by one per enqueue.
      this.undispatchedArrivals.forget(this.flights.dispatchedSeq);
    }
  }

  private launch(flight: Flight): void {
    this.flights.started(flight, this.flush(flight));
  }

  private async flush(flight: Flight): Promise<void> {
    const started = performance.now();
    try {
      const { stored, dead } = await insertIsolating(this.sink, flight.events, this.log, flight.id, flight.deadLettered);
      this.flights.succeeded(flight, stored);
      this.commit(flight.events.length, stored.length, dead, performance.now() - started);
      this.attempt = 0;
    } catch (err) {
      this.flights.failed(flight);
      this.fail(err, flight.events.length);
    } finally {
      this.flights.finished(flight);
    }
    if (this.queueDepth === 0) for (const done of this.drainWaiters) done();
    this.kick();
  }

  /** Counts a committed batch; the queue's committed prefix advances past every batch done in order. */
  private commit(size: number, inserted: number, dead: number, ms: number): void {
    this.counters.flushes++;
    this.counters.persisted += inserted;
    this.counters.deadLettered += dead;
    this.counters.duplicates += size - inserted - dead;
    this.last.flushMs = Math.round(ms * 10) / 10;
    this.last.flushSize = size;
    this.latencies.push(this.last.flushMs);
    if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift();
    const flights = this.flights.takeCommittedPrefix();
    if (flights.length === 0) return;
    let removed = 0;
    for (const flight of flights) removed += flight.events.length;
    this.announce(flights);
    this.head += removed;
    this.removedSeq += removed;
    if (this.head >= 4096 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.waiters.committed(this.removedSeq);
  }

  /** Tells the listeners what the batches that just joined the committed prefix stored, in queue order. */
  private announce(flights: readonly Flight[]): void {
    if (this.listeners.size === 0) return;
    const events: PassportEvent[] = [];
    for (const flight of flights) {
      const stored = new Set(flight.stored);
      // An id repeated within a batch was stored once: only its first occurrence is announced.
      for (const e of flight.events) if (stored.delete(e.eventId)) events.push(e);
    }
    if (events.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (err) {
        this.log.error({ err }, 'passport onCommitted listener threw; the events stay stored');
      }
    }
  }

  private fail(err: unknown, size: number): void {
    this.counters.failedFlushes++;
    this.attempt++;
    this.last.error = (err as Error)?.message ?? String(err);
    this.last.errorAt = new Date().toISOString();
    const delay = this.retryDelayMs();
    this.log.warn(
      { err: this.last.error, batch: size, attempt: this.attempt, retryInMs: delay, queueDepth: this.queueDepth },
      'passport flush failed; the batch stays queued and will be retried',
    );
    if (this.stopped || this.retryTimer) return; // batches failing together share one backoff
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, delay);
  }

  private retryDelayMs(): number {
    const exp = Math.min(this.options.maxRetryDelayMs, this.options.baseRetryDelayMs * 2 ** Math.max(0, this.attempt - 1));
    return Math.round(exp * (0.75 + Math.random() * 0.25));
  }

  private clearFlushTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private clearTimers(): void {
    this.clearFlushTimer();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`PassportWriter option ${name} must be a positive integer, got ${value}`);
  return value;
}
