/**
 * Room work the process must wait for before closing what it uses: a session's last counters and `session.ended`
 * run in onLeave, which Colyseus does not await when it disposes a room holding a dropped client. Shutdown awaits
 * {@link PendingWork.settled} before draining the passport writer and closing the database.
 */
export class PendingWork {
  private readonly inFlight = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Resolves when nothing is in flight: work one piece starts meanwhile is waited for too. */
  async drained(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Resolves when nothing is in flight, or after `timeoutMs`, with how many were still running. */
  async settled(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise((resolve) => (timer = setTimeout(resolve, Math.max(1, deadline - Date.now()))));
      await Promise.race([Promise.allSettled([...this.inFlight]), tick]);
      clearTimeout(timer);
    }
    return this.inFlight.size;
  }
}
