/**
 * Orders one session's counter saves: each after the one before, none after the last; one running, at most one open
 * save waiting, and the end. An open save landing after the end's would set `ended_at` back to null.
 */
export class CounterSaves {
  private last: Promise<void> = Promise.resolve();
  private ended = false;
  private openSavedAtMs = Number.NEGATIVE_INFINITY;
  /** A further one adds nothing: it writes the counters as they are when it starts. */
  private openWaiting = false;

  constructor(
    private readonly write: (ended: boolean) => Promise<void>,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  /** At most once per interval; nothing once the session has ended. */
  whileOpen(): Promise<void> {
    const nowMs = this.now();
    if (this.ended || nowMs - this.openSavedAtMs < this.intervalMs) return Promise.resolve();
    this.openSavedAtMs = nowMs;
    if (this.openWaiting) return this.last;
    this.openWaiting = true;
    return this.enqueue(false);
  }

  /** After any save in flight; later calls write nothing. */
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
