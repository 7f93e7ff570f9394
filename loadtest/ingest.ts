/**
 * HTTP passport ingest load: `concurrency` keep-alive clients each post batches of `batchSize` events
 * (with client-chosen eventIds, so a retry could never store twice) back to back, for as long as asked.
 * Records every eventId the server acknowledged with 202, the acknowledgement latency and the status
 * of every answer. Used by the crash tests and `npm run bench:ingest`; talks to the server over HTTP only.
 */
import { randomUUID } from 'node:crypto';
import { newHistogram, recordMs, type Histogram } from './stats.js';

export interface IngestLoadOptions {
  baseUrl: string;
  concurrency: number;
  batchSize: number;
  /** Bearer token sent with every request (a service token may ingest for any user). */
  token?: string;
  /** Builds one event; default a `player.like` of a random track. */
  event?: () => Record<string, unknown>;
}

export interface IngestLoadResult {
  acknowledged: Set<string>;
  statuses: Map<number | 'error', number>;
  /** 202 latency (request sent → answer read), ms. */
  ackLatency: Histogram;
  requests: number;
  elapsedMs: number;
  /** Statuses seen after `markSignal()` was called (e.g. after SIGTERM). */
  afterSignal: Map<number | 'error', number>;
}

export interface IngestLoad {
  /** Resolves once every client has stopped (after `stop()` or when the server goes away). */
  done: Promise<IngestLoadResult>;
  /** Asks every client to stop after its request in flight. */
  stop(): void;
  /** From now on, answers are also counted in `afterSignal`. */
  markSignal(): void;
  /** Events acknowledged so far. */
  acknowledgedCount(): number;
}

const defaultEvent = () => ({ eventType: 'player.like', payload: { trackId: `track-${Math.floor(Math.random() * 1000)}` } });

/** Starts the load; call `stop()` (or kill the server) and await `done`. */
export function startIngestLoad(options: IngestLoadOptions): IngestLoad {
  const makeEvent = options.event ?? defaultEvent;
  const result: IngestLoadResult = {
    acknowledged: new Set(),
    statuses: new Map(),
    ackLatency: newHistogram(),
    requests: 0,
    elapsedMs: 0,
    afterSignal: new Map(),
  };
  let stopped = false;
  let signalled = false;
  const started = performance.now();
  const count = (status: number | 'error') => {
    result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
    if (signalled) result.afterSignal.set(status, (result.afterSignal.get(status) ?? 0) + 1);
  };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;

  const client = async (): Promise<void> => {
    let failuresInARow = 0;
    while (!stopped && failuresInARow < 20) {
      const events = Array.from({ length: options.batchSize }, () => ({ eventId: randomUUID(), ...makeEvent() }));
      const sent = performance.now();
      result.requests++;
      try {
        const res = await fetch(`${options.baseUrl}/api/passport/batch`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ events }),
          signal: AbortSignal.timeout(15_000),
        });
        await res.arrayBuffer();
        count(res.status);
        failuresInARow = 0;
        if (res.status === 202) {
          recordMs(result.ackLatency, performance.now() - sent);
          for (const e of events) result.acknowledged.add(e.eventId);
        } else if (res.status === 503) {
          await new Promise((r) => setTimeout(r, 100));
        }
      } catch {
        count('error');
        failuresInARow++;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const clients = Array.from({ length: options.concurrency }, () => client());
  return {
    done: Promise.all(clients).then(() => ((result.elapsedMs = performance.now() - started), result)),
    stop: () => void (stopped = true),
    markSignal: () => void (signalled = true),
    acknowledgedCount: () => result.acknowledged.size,
  };
}
