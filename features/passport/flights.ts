/** The writer's batches in flight: which part of the queue each holds, which wait to retry, how far the committed prefix may advance. */
import { randomUUID } from 'node:crypto';
import type { PassportEvent } from '../../systems/passport/events.js';

export interface Flight {
  /** Names this batch to the sink across its retries (see PassportSink.insert). */
  readonly id: string;
  /** Sequence number of its first event (the count of events queued before it, ever). */
  readonly seq: number;
  readonly events: PassportEvent[];
  state: 'running' | 'failed' | 'done';
  /** Events of this batch already written to passport_dead_letters: a retry counts them dead and skips them. */
  readonly deadLettered: Set<PassportEvent>;
  /** Once done: the event ids this batch stored (not duplicates, not dead-lettered). */
  stored?: ReadonlySet<string>;
}

export class Flights {
  /** Sequence number after the last event handed to a batch. */
  dispatchedSeq = 0;
  running = 0;
  /** Dispatched batches not yet part of the committed prefix, by sequence number. */
  private readonly order: Flight[] = [];
  /** Failed batches waiting for their retry, by sequence number. */
  private readonly retries: Flight[] = [];
  private readonly pending = new Set<Promise<void>>();

  /** The next `events` of the queue, starting at `seq`, become a batch. */
  dispatch(seq: number, events: PassportEvent[]): Flight {
    const flight: Flight = { id: randomUUID(), seq, events, state: 'running', deadLettered: new Set() };
    this.order.push(flight);
    this.dispatchedSeq = seq + events.length;
    return flight;
  }

  /** The earliest failed batch, now retried. */
  nextFailed(): Flight | undefined {
    const flight = this.retries.shift();
    if (flight) flight.state = 'running';
    return flight;
  }

  started(_flight: Flight, done: Promise<void>): void {
    this.running++;
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  succeeded(flight: Flight, stored: readonly string[]): void {
    flight.state = 'done';
    flight.stored = new Set(stored);
  }

  failed(flight: Flight): void {
    flight.state = 'failed';
    let i = this.retries.length;
    while (i > 0 && this.retries[i - 1].seq > flight.seq) i--;
    this.retries.splice(i, 0, flight);
  }

  finished(_flight: Flight): void {
    this.running--;
  }

  /** Removes the batches done at the head of the queue and returns them, in queue order. */
  takeCommittedPrefix(): Flight[] {
    const done: Flight[] = [];
    while (this.order.length > 0 && this.order[0].state === 'done') done.push(this.order.shift()!);
    return done;
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
