/**
 * API statistics: counts each answered request under its route pattern and adds them to `api_request_stats` every
 * `flushMs`, so /api/admin/metrics answers for the whole cluster across restarts. A failed flush keeps its rows for
 * the next, at most `maxPendingRows` (the newest; drops are counted and logged).
 */
import type { Logger } from 'pino';
import type { ApiStatsRepository } from '../../persistence/analytics/ApiStatsRepository.js';
import {
  createApiStatsAccumulator,
  drainApiStats,
  hourRowsOf,
  observeApiRequest,
  restoreApiStats,
  type ApiStatsAccumulator,
} from '../../systems/analytics/apiStats.js';

export interface ApiStatsRecorderOptions {
  repo: Pick<ApiStatsRepository, 'add'>;
  log: Pick<Logger, 'warn'>;
  flushMs: number;
  /** Named endpoints per flush; the rest count as one "(other routes)" row. */
  maxRoutes: number;
  now?: () => number;
}

export class ApiStatsRecorder {
  private readonly acc: ApiStatsAccumulator;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly options: ApiStatsRecorderOptions) {
    this.acc = createApiStatsAccumulator(options.maxRoutes);
    this.now = options.now ?? Date.now;
  }

  /** One answered request: `endpoint` is "METHOD /route/:pattern", never a raw path. */
  observe(endpoint: string, status: number, seconds: number): void {
    observeApiRequest(this.acc, endpoint, status, seconds, this.now());
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushMs);
    this.timer.unref();
  }

  /** Writes what is pending (one flush at a time; a call during a flush waits for it, then flushes again). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.flushOnce().finally(() => (this.flushing = null));
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async flushOnce(): Promise<void> {
    const minutes = drainApiStats(this.acc);
    if (minutes.length === 0) return;
    try {
      await this.options.repo.add([...minutes, ...hourRowsOf(minutes)], this.now());
    } catch (err) {
      // Two hours of a full route table at one row per minute: enough to ride out a database restart.
      const lost = restoreApiStats(this.acc, minutes, this.options.maxRoutes * 120);
      this.options.log.warn({ err: (err as Error).message, rows: minutes.length, droppedRequests: lost }, 'api stats flush failed; kept for the next flush');
    }
  }
}
