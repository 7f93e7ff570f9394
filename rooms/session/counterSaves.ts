/**
 * Orders one session's counter saves: each runs after the one before it, and none runs after the last.
 * Bounded: one save running, at most one open save waiting, and the end.
 * An open save still waiting on the lock-in's work when the client left used to land after the end's save
 * and set `ended_at` back to null (CI), leaving the session open for ops until maintenance closed it.
 */
export class CounterSaves {
  private last: Promise<void> = Promise.resolve();
  private ended = false;
  private openSavedAtMs = Number.NEGATIVE_INFINITY;
  /** An open save waits behind another: a further one adds nothing (it writes the counters as they are when it starts). */
  private openWaiting = false;

  /** `write` saves the counters as they are when it runs; `intervalMs` spaces the open saves. */
  constructor(
    private readonly write: (ended: boolean) => Promise<void>,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  /** An open session's save, at most once per interval; nothing (and nothing to wait for) once the session has ended. */
  whileOpen(): Promise<void> {
    const nowMs = this.now();
    if (this.ended || nowMs - this.openSavedAtMs < this.intervalMs) return Promise.resolve();
    this.openSavedAtMs = nowMs;
    if (this.openWaiting) return this.last;
    this.openWaiting = true;
    return this.enqueue(false);
  }

  /** The session's last save: after any save in flight; later calls (open or end) write nothing. */
  end(): Promise<void> {
    if (this.ended) return this.last;
    this.ended = true;
    return this.enqueue(true);
  }

  private enqueue(ended: boolean): Promise<void> {
    // A failed save (the writer logs it) must not stop the ones queued behind it.
    const run = () => {
      if (!ended) this.openWaiting = false;
      return this.write(ended);
    };
    this.last = this.last.then(run, run);
    return this.last;
  }
}
