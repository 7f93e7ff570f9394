/** The writer's bookkeeping by sequence number: who waits for which commit, and when each group arrived (its lag). */
import { NotPersistedError } from '../../persistence/passport/errors.js';

interface Waiter {
  untilSeq: number;
  resolve(): void;
  reject(err: Error): void;
  timer?: NodeJS.Timeout;
}

/** Callers waiting until the events up to a sequence number are committed (in enqueue order). */
export class CommitWaiters {
  private readonly waiters: Waiter[] = [];

  /** The highest sequence number anyone waits for (0 when nobody waits); waiters arrive in ascending order. */
  get lastUntilSeq(): number {
    return this.waiters.length > 0 ? this.waiters[this.waiters.length - 1].untilSeq : 0;
  }

  /** Resolves once `committedSeq()` reaches `untilSeq`; rejects with NotPersistedError after `timeoutMs`. */
  waitFor(untilSeq: number, timeoutMs: number, lastError: () => string | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { untilSeq, resolve, reject };
      waiter.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new NotPersistedError(`events not confirmed stored within ${timeoutMs} ms (they stay queued; last error: ${lastError() ?? 'none'})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Events up to `committedSeq` are in Postgres: resolve everyone waiting for them (sequence numbers ascend). */
  committed(committedSeq: number): void {
    while (this.waiters.length > 0 && this.waiters[0].untilSeq <= committedSeq) {
      const w = this.waiters.shift()!;
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  /** The writer stopped: nobody's events will be stored by it. */
  rejectAll(message: string): void {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new NotPersistedError(message));
    }
  }
}

/** When each accepted group of events arrived, to know how long the oldest uncommitted one has waited. */
export class ArrivalTimes {
  /** `endSeq`: the sequence number after the group's last event. */
  private arrivals: Array<{ endSeq: number; at: number }> = [];
  private head = 0;

  arrived(endSeq: number, at: number): void {
    this.arrivals.push({ endSeq, at });
  }

  /** How long the oldest event not yet committed (sequence ≥ `committedSeq`) has waited; 0 when none. */
  oldestWaitMs(committedSeq: number, now: number): number {
    this.forget(committedSeq);
    const oldest = this.arrivals[this.head];
    return oldest ? now - oldest.at : 0;
  }

  /** Drops the groups that end at or before `seq` (committed, or handed to a batch): the list stays bounded by what is still waiting. */
  forget(seq: number): void {
    while (this.head < this.arrivals.length && this.arrivals[this.head].endSeq <= seq) this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.arrivals.length) {
      this.arrivals = this.arrivals.slice(this.head); // compact now and then, not per commit
      this.head = 0;
    }
  }

  /** Arrival groups still remembered (for tests of the bound). */
  get size(): number {
    return this.arrivals.length - this.head;
  }
}
