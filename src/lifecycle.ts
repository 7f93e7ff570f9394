import type { Logger } from './logger.js';

/**
 * Owns shutdown: every component registers its stop as it starts; `stopAll` runs them in reverse (HTTP and rooms
 * first, the writer's drain after, the database last), collecting failures instead of stopping at the first.
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

  /** It runs before every stop registered earlier. */
  add(name: string, stop: () => Promise<void> | void): void {
    this.stops.push({ name, stop: async () => stop() });
  }

  /** Begun as the drain begins, alongside the stops awaited before it; awaited (its failure reported) in its place. */
  addBegunAtDrain(name: string, stop: () => Promise<void>): void {
    let begun: Promise<void> | undefined;
    this.onDraining(() => {
      begun = stop();
      begun.catch(() => undefined); // reported when awaited in its place
    });
    this.add(name, () => begun ?? stop());
  }

  /** Synchronously, once, before any stop: e.g. stop batching writes others will wait for. */
  onDraining(hook: () => void): void {
    this.drainHooks.push(hook);
  }

  /** A forced exit names what it leaves. */
  reportPending(what: string, count: () => number): void {
    this.undrained.set(what, count);
  }

  pending(): Record<string, number> {
    const now: Record<string, number> = {};
    for (const [what, count] of this.undrained) {
      const n = count();
      if (n > 0) now[what] = n;
    }
    return now;
  }

  /** The HTTP edge answers 503 SHUTTING_DOWN. */
  get draining(): boolean {
    return this.stopping;
  }

  /** Less `marginMs` for the stops after the caller; at least 100 ms. */
  timeLeft(marginMs = 0): number {
    return Math.max(100, this.deadline - Date.now() - marginMs);
  }

  /** Resolves to the components that did not stop cleanly (empty: nothing was lost). */
  async stopAll(): Promise<string[]> {
    this.stopping = true;
    // Time for the stops after the writer's drain (the database is last).
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
