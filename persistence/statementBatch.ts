/**
 * Gathers independent small writes into one statement: a flush starts `intervalMs` after the first item or at
 * `maxItems`; one flush at a time; each caller settles with its flush. Past `maxWaiting`, `add` rejects.
 */
export interface StatementBatchOptions<T, R> {
  /** Writes one flush's items (at most `maxItems`) in one statement; one result per item, in the items' order. */
  write(items: readonly T[]): Promise<R[]>;
  /** Longest an item waits for its flush to start while fewer than `maxItems` wait (and no flush runs). */
  intervalMs: number;
  /** Items per flush; this many waiting start a flush at once. */
  maxItems: number;
  /** Items waiting at most (not counting the flush in flight). */
  maxWaiting: number;
  /** Items with one key are one write (the later replaces the waiting one) unless `replaces` says no. */
  keyOf?(item: T): string;
  replaces?(waiting: T, later: T): boolean;
}

/** The waiting items reached `maxWaiting`: the database is slower than the writes arrive. */
export class StatementBatchFullError extends Error {
  constructor(maxWaiting: number) {
    super(`${maxWaiting} writes already wait for the database; this one was refused (raise the batch's bound or find why the flushes are slow)`);
  }
}

/** What a batch has done since it was made (counters) and what waits now. */
export interface StatementBatchStats {
  /** Statements started (flushes that reached the database), failed ones included. */
  flushes: number;
  failedFlushes: number;
  /** Items in statements that committed, and in statements that failed (their callers got the error). */
  written: number;
  failed: number;
  /** Items refused at `add` because `maxWaiting` already waited. */
  refused: number;
  /** Items waiting for a flush now (the flush in flight not counted). */
  waiting: number;
}

interface Waiting<T, R> {
  item: T;
  callers: Array<{ resolve(result: R): void; reject(err: unknown): void }>;
}

export class StatementBatch<T, R> {
  private waiting = new Map<string | number, Waiting<T, R>>();
  private nextAnonymous = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | undefined;
  private closed = false;
  private hurried = false;
  private readonly counts: Omit<StatementBatchStats, 'waiting'> = { flushes: 0, failedFlushes: 0, written: 0, failed: 0, refused: 0 };

  constructor(private readonly options: StatementBatchOptions<T, R>) {
    if (options.maxItems < 1 || options.maxWaiting < options.maxItems) throw new Error('StatementBatch needs maxItems ≥ 1 and maxWaiting ≥ maxItems');
  }

  /** What the batch has done so far, and what waits now. */
  stats(): StatementBatchStats {
    return { ...this.counts, waiting: this.waiting.size };
  }

  /** Adds `item` to the next flush; settles with that flush. */
  add(item: T): Promise<R> {
    if (this.closed) return Promise.reject(new Error('statement batch closed: shutdown has drained it, nothing more is written'));
    const key = this.options.keyOf?.(item) ?? this.nextAnonymous++;
    const entry = this.waiting.get(key);
    if (!entry && this.waiting.size >= this.options.maxWaiting) {
      this.counts.refused++;
      return Promise.reject(new StatementBatchFullError(this.options.maxWaiting));
    }
    const settled = new Promise<R>((resolve, reject) => {
      if (!entry) this.waiting.set(key, { item, callers: [{ resolve, reject }] });
      else {
        if (this.options.replaces?.(entry.item, item) ?? true) entry.item = item;
        entry.callers.push({ resolve, reject });
      }
    });
    this.schedule();
    return settled;
  }

  /** Shutdown: flush as soon as an item waits, so callers need not wait out the interval. */
  hurry(): void {
    this.hurried = true;
    this.schedule();
  }

  /** Stops taking items and flushes every waiting one; rejects with a flush's error if one failed (its callers got it too). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    let failure: { err: unknown } | undefined;
    await this.inFlight;
    while (this.waiting.size > 0) {
      this.inFlight = this.flush().catch((err: unknown) => void (failure = { err }));
      await this.inFlight;
    }
    if (failure) throw failure.err;
  }

  private schedule(): void {
    if (this.inFlight || this.closed) return; // the flush in flight schedules the next when it ends; close() drains
    if (this.waiting.size >= this.options.maxItems || (this.hurried && this.waiting.size > 0)) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.start();
    } else if (!this.timer && this.waiting.size > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.start();
      }, this.options.intervalMs);
    }
  }

  private start(): void {
    // A failed flush has already rejected its callers: nothing else is owed to anyone here.
    this.inFlight = this.flush()
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = undefined;
        this.schedule();
      });
  }

  /** Takes up to `maxItems` waiting items (oldest first) and writes them; settles their callers. */
  private async flush(): Promise<void> {
    const batch: Array<Waiting<T, R>> = [];
    for (const [key, entry] of this.waiting) {
      if (batch.length === this.options.maxItems) break;
      batch.push(entry);
      this.waiting.delete(key);
    }
    if (batch.length === 0) return;
    this.counts.flushes++;
    let results: R[];
    try {
      results = await this.options.write(batch.map((e) => e.item));
      if (results.length !== batch.length) throw new Error(`statement batch: write returned ${results.length} results for ${batch.length} items`);
    } catch (err) {
      this.counts.failedFlushes++;
      this.counts.failed += batch.length;
      for (const entry of batch) for (const caller of entry.callers) caller.reject(err);
      throw err;
    }
    this.counts.written += batch.length;
    batch.forEach((entry, i) => entry.callers.forEach((caller) => caller.resolve(results[i])));
  }
}

/** Indexes of `items` in rounds where each key appears once, in arrival order (a key's second item waits for its first's round). */
export function rounds<T>(items: readonly T[], keyOf: (item: T) => string): number[][] {
  const out: number[][] = [];
  const seen = new Map<string, number>(); // key → items of it placed so far, the round of its next
  items.forEach((item, i) => {
    const r = seen.get(keyOf(item)) ?? 0;
    seen.set(keyOf(item), r + 1);
    (out[r] ??= []).push(i);
  });
  return out;
}
