import type { Logger } from './logger.js';

/**
 * Owns shutdown: every component registers its stop as it starts, and `stopAll` runs them in reverse
 * order (HTTP intake and rooms first, the passport writer's drain after them, the database last),
 * collecting the names of those that failed instead of stopping at the first.
 */
export class Lifecycle {
  private readonly stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  private readonly drainHooks: Array<() => void> = [];
  private readonly undrained = new Map<string, () => number>();
  private deadline = Infinity;
  private stopping = false;

  constructor(
    private readonly log: Logger,
    private readonly shutdownTimeoutMs: number,
  ) {}

  /** Registers a component's stop; it runs before every stop registered earlier. */
  add(name: string, stop: () => Promise<void> | void): void {
    this.stops.push({ name, stop: async () => stop() });
  }

  /** `hook` runs (synchronously, once) when shutdown begins, before any stop: e.g. stop batching writes others will wait for. */
  onDraining(hook: () => void): void {
    this.drainHooks.push(hook);
  }

  /** Counts work the drain still has to finish (`what`: e.g. passportEventsQueued): a forced exit names what it leaves. */
  reportPending(what: string, count: () => number): void {
    this.undrained.set(what, count);
  }

  /** The non-zero counts of {@link reportPending}, now. */
  pending(): Record<string, number> {
    const now: Record<string, number> = {};
    for (const [what, count] of this.undrained) {
      const n = count();
      if (n > 0) now[what] = n;
    }
    return now;
  }

  /** True once shutdown began: the HTTP edge answers 503 SHUTTING_DOWN. */
  get draining(): boolean {
    return this.stopping;
  }

  /** What is left of SHUTDOWN_TIMEOUT_MS, less `marginMs` for the stops after the caller; at least 100 ms. */
  timeLeft(marginMs = 0): number {
    return Math.max(100, this.deadline - Date.now() - marginMs);
  }

  /** Runs every stop in reverse order; resolves to the components that did not stop cleanly (empty: nothing was lost). */
  async stopAll(): Promise<string[]> {
    this.stopping = true;
    // The margin leaves time for the stops after the writer's drain (the database is last).
    this.deadline = Date.now() + this.shutdownTimeoutMs - 500;
    for (const hook of this.drainHooks.splice(0)) {
      try {
        hook();
      } catch (err) {
        this.log.error({ err }, 'error in a shutdown hook');
      }
    }
    const failed: string[] = [];
    for (const { name, stop } of this.stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        failed.push(name);
        this.log.error({ err, component: name }, 'error while stopping');
      }
    }
    this.stops.length = 0;
    return failed;
  }
}
