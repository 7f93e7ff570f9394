/** The passport writer's options, statistics and reservation handle (features/passport/PassportWriter.ts). */
import type { PassportEvent } from '../../systems/passport/events.js';

export interface PassportWriterOptions {
  /** Most events queued (plus reserved) at once (PASSPORT_MAX_QUEUE). */
  maxQueue: number;
  /** Most events per batch (one transaction); a full batch flushes at once (PASSPORT_BATCH_SIZE). */
  batchSize: number;
  /** Oldest queued event waits at most about this long before a flush starts (PASSPORT_FLUSH_MS). */
  flushIntervalMs: number;
  /** First retry delay after a failed flush; doubles per failure (PASSPORT_RETRY_BASE_MS). */
  baseRetryDelayMs: number;
  /** Retry delay cap (PASSPORT_MAX_RETRY_MS). */
  maxRetryDelayMs: number;
  /** Refuse new events once the oldest queued one has waited this long (PASSPORT_MAX_LAG_MS). */
  maxLagMs: number;
}

export interface EnqueueOptions {
  /** The events record something that already happened (no client to refuse): skip the lag check. */
  followUp?: boolean;
}

export interface PassportWriterStats {
  queueDepth: number;
  maxQueue: number;
  reserved: number;
  /** How long the oldest queued event has waited (0 when empty). */
  oldestQueuedMs: number;
  maxLagMs: number;
  /** Events accepted by enqueue (since start). */
  accepted: number;
  /** Rows inserted by this writer. */
  persisted: number;
  /** Events already in Postgres (client retries, or a retried batch whose earlier commit was not acknowledged). */
  duplicates: number;
  /** Events Postgres refused even alone, kept in passport_dead_letters. */
  deadLettered: number;
  /** Events refused by backpressure (never accepted). */
  rejected: number;
  flushes: number;
  failedFlushes: number;
  lastFlushMs: number | null;
  lastFlushSize: number;
  flushLatencyMsP50: number | null;
  flushLatencyMsMax: number | null;
  lastError: string | null;
  lastErrorAt: string | null;
  retrying: boolean;
  /** Batches being written now. */
  flushesInFlight: number;
  /** Most batches in flight at once (the sink's concurrency). */
  flushConcurrency: number;
}

/** Capacity held for events a caller will enqueue after a durable step (e.g. a capture commit). */
export interface Reservation {
  readonly remaining: number;
  enqueue(events: readonly PassportEvent[]): void;
  enqueueDurable(events: readonly PassportEvent[], timeoutMs?: number): Promise<void>;
  /** Returns unused capacity; idempotent. */
  release(): void;
}

/** Called with the events a commit newly stored, in queue order (never a duplicate or a dead letter). */
export type CommittedListener = (events: readonly PassportEvent[]) => void;
