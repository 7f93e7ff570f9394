/** Runs a passport consumer on a timer, exactly once across processes (PassportCursor). */
import type { Logger } from 'pino';
import type { Sql } from '../../persistence/db.js';
import type { JobDefinition } from '../jobs/JobScheduler.js';
import { PassportCursor, type CursorConsumer } from '../../persistence/passport/PassportCursor.js';
import type { CursorLag } from '../../systems/ops/answers.js';

export type { CursorConsumer } from '../../persistence/passport/PassportCursor.js';

export interface CursorProcessorOptions {
  /** Most passport rows per transaction. Default 5,000. */
  batchSize: number;
  /** Test hook: runs after the effect, before the cursor moves and the transaction commits. */
  beforeCommit?: (range: { fromId: string; toId: string; count: number }) => Promise<void> | void;
}

export class CursorProcessor {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = true;
  /** Set by stop(): a catch-up in progress finishes its batch and goes no further (shutdown must not wait for a backlog). */
  private halted = false;
  private readonly cursor: PassportCursor;

  constructor(
    sql: Sql,
    private readonly consumer: CursorConsumer,
    private readonly log: Logger,
    private readonly options: CursorProcessorOptions,
  ) {
    this.cursor = new PassportCursor(sql, consumer);
  }

  get name(): string {
    return this.consumer.name;
  }

  /** At most one batch; returns the rows consumed (0 when caught up, or another processor holds the cursor). */
  async runOnce(): Promise<number> {
    return this.cursor.advance(this.options.batchSize, this.options.beforeCommit);
  }

  /** Runs batches back to back until caught up, `maxBatches` ran, stop() or `signal`; returns the total processed. */
  async catchUp(maxBatches = Number.POSITIVE_INFINITY, signal?: AbortSignal): Promise<number> {
    return (await this.batches(maxBatches, signal)).rows;
  }

  /** As a scheduled job: up to `maxBatches` per run, stopping when caught up or shutting down. */
  job(maxBatches: number): JobDefinition['run'] {
    return async (ctx) => {
      const { rows, batches } = await this.batches(maxBatches, ctx.signal);
      return { rows, details: { batches, caughtUp: batches < maxBatches } };
    };
  }

  private async batches(maxBatches: number, signal?: AbortSignal): Promise<{ rows: number; batches: number }> {
    let rows = 0;
    let batches = 0;
    while (batches < maxBatches && !this.halted && !signal?.aborted) {
      const n = await this.runOnce();
      rows += n;
      batches++;
      if (n < this.options.batchSize) break;
    }
    return { rows, batches };
  }

  /** Polls every `intervalMs` (catching up fully each time); errors are logged and retried next tick. */
  start(intervalMs = 1000): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.halted = false;
    const tick = async () => {
      this.running = this.catchUp().catch((err) => {
        this.log.error({ err, processor: this.consumer.name }, 'passport processor batch failed; it will be retried');
        return 0;
      });
      await this.running;
      this.running = null;
      if (!this.stopped) this.timer = setTimeout(() => void tick(), intervalMs);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  /** Stops polling and waits for the batch in progress (only that one: the backlog waits for the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Where the cursor stands and how far behind the log it is. */
  lag(): Promise<CursorLag> {
    return this.cursor.lag();
  }
}
