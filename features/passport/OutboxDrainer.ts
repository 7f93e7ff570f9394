/**
 * Brings events a crash left in `passport_outbox` to the writer: each tick drops rows already stored and leases those
 * older than `ageMs`. A copy queued twice is stored once (the id claim), and live boards hear only the stored one.
 */
import type { Logger } from 'pino';
import type { PassportOutbox } from '../../persistence/passport/PassportOutbox.js';
import { BackpressureError } from '../../persistence/passport/errors.js';
import { PollLoop } from '../jobs/pollLoop.js';
import type { PassportWriter } from './PassportWriter.js';

/** `ageMs`: a row waits this long for its own process before another queues it; `batch`: most rows leased per tick. */
export class OutboxDrainer extends PollLoop {
  constructor(
    private readonly outbox: Pick<PassportOutbox, 'sweep' | 'lease'>,
    private readonly writer: Pick<PassportWriter, 'enqueue'>,
    private readonly options: { ageMs: number; batch: number },
    private readonly log: Logger,
  ) {
    // Every half `ageMs`, the first at once: a restart after a crash drains what it left, once old enough.
    super(Math.max(50, Math.floor(options.ageMs / 2)), (err) => log.warn({ err: err.message }, 'passport outbox drain failed; retried at the next tick'));
  }

  /** One pass: sweep, lease, queue. Returns the events queued. */
  async pass(): Promise<number> {
    await this.outbox.sweep();
    const events = await this.outbox.lease(this.options.ageMs, this.options.batch);
    if (events.length === 0) return 0;
    try {
      this.writer.enqueue(events, { followUp: true });
    } catch (err) {
      if (!(err instanceof BackpressureError)) throw err;
      this.log.warn({ events: events.length, err: err.message }, 'passport queue full; outbox events stay for the next lease');
      return 0;
    }
    this.log.warn({ events: events.length }, 'queued passport events a process left in the outbox (it stopped before its flush)');
    return events.length;
  }
}
