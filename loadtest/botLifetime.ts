/**
 * What every session bot keeps the same way, whatever its client (SDK or raw WebSocket): its timers
 * (cleared together when activity stops) and the time it was connected inside the measurement window,
 * which per-bot rates divide by.
 */
import { epochNow, type WorkerContext } from './context.js';
import { emptyTraffic, overlap } from './stats.js';

export abstract class BotLifetime {
  readonly traffic = emptyTraffic();
  private readonly timers = new Set<NodeJS.Timeout>();
  private connectedSince: number | null = null;
  private connectedMsInWindow = 0;

  protected constructor(protected readonly ctx: WorkerContext) {}

  /** Stops scheduling inputs (replies still in flight are recorded during the grace period). */
  stopActivity(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Called once at the end: window seconds connected, for per-bot rates. */
  finish(): void {
    this.markDisconnected();
    this.traffic.botSeconds = this.connectedMsInWindow / 1000;
  }

  protected later(ms: number, fn: () => void): void {
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        fn();
      },
      Math.max(0, ms),
    );
    this.timers.add(t);
  }

  protected markConnected(): void {
    if (this.connectedSince === null) this.connectedSince = epochNow();
  }

  protected markDisconnected(): void {
    if (this.connectedSince === null) return;
    this.connectedMsInWindow += overlap(this.connectedSince, epochNow(), this.ctx.start.windowStart, this.ctx.start.windowEnd);
    this.connectedSince = null;
  }
}
