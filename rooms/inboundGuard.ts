import { OnMessageException, ServerError, type Client } from '@colyseus/core';
import type { Logger } from 'pino';
import { createBucket, tryTake, type TokenBucket } from '../systems/rateLimit.js';

/** A client may send any string, or none. */
const MAX_TYPE_ECHO = 64;

export type Admission = 'ok' | 'limited' | 'limited-silent';

export interface InboundGuardOptions {
  /** Sustained; bursts up to the same number. */
  ratePerSec: number;
  /** Per misbehaving client. */
  noticeIntervalMs: number;
  now: () => number;
}

interface ClientTally {
  bucket: TokenBucket;
  lastLimitedReplyAt: number;
  lastLogAt: number;
  /** Reported with the next line. */
  unlogged: number;
}

/**
 * For every inbound message: a token bucket per client, at most one RATE_LIMITED reply and one log line per client
 * per interval, so a flood costs a counter increment per frame, not a reply (amplification) or a log line.
 */
export class InboundGuard {
  /** Made on the first message: a room whose clients only listen holds no map. */
  private tallies: Map<string, ClientTally> | undefined;

  constructor(private readonly options: InboundGuardOptions) {}

  /** When there is no token, says whether this one deserves a reply. */
  admit(client: Pick<Client, 'sessionId'>): Admission {
    const now = this.options.now();
    const tally = this.tallyOf(client.sessionId, now);
    if (tryTake(tally.bucket, this.options.ratePerSec, this.options.ratePerSec, now)) return 'ok';
    if (now - tally.lastLimitedReplyAt < this.options.noticeIntervalMs) return 'limited-silent';
    tally.lastLimitedReplyAt = now;
    return 'limited';
  }

  /** Otherwise counted: `suppressed` is how many since the previous line. */
  mayLog(client: Pick<Client, 'sessionId'> | undefined): { log: boolean; suppressed: number } {
    if (!client) return { log: true, suppressed: 0 };
    const now = this.options.now();
    const tally = this.tallyOf(client.sessionId, now);
    if (now - tally.lastLogAt < this.options.noticeIntervalMs) {
      tally.unlogged++;
      return { log: false, suppressed: tally.unlogged };
    }
    const suppressed = tally.unlogged;
    tally.lastLogAt = now;
    tally.unlogged = 0;
    return { log: true, suppressed };
  }

  forget(client: Pick<Client, 'sessionId'>): void {
    this.tallies?.delete(client.sessionId);
  }

  private tallyOf(sessionId: string, now: number): ClientTally {
    this.tallies ??= new Map();
    let tally = this.tallies.get(sessionId);
    if (!tally) {
      tally = { bucket: createBucket(this.options.ratePerSec, now), lastLimitedReplyAt: -Infinity, lastLogAt: -Infinity, unlogged: 0 };
      this.tallies.set(sessionId, tally);
    }
    return tally;
  }
}

/** Colyseus hands a frame literally typed `"*"` to the wildcard with its payload in the type slot: any decoded value. */
export function echoableType(type: unknown): string {
  if (typeof type === 'number' && Number.isFinite(type)) return String(type);
  if (typeof type !== 'string') return '*';
  return type.length > MAX_TYPE_ECHO ? `${type.slice(0, MAX_TYPE_ECHO)}…` : type;
}

export interface UncaughtReporter {
  log: Logger;
  guard: InboundGuard;
  replyError(client: Client, forType: string, code: 'INTERNAL', message: string): void;
}

/**
 * A room's last line of defence: an exception a handler, hook or timer lets escape becomes a log line (one per client
 * per interval) and, for a message, an `INTERNAL` reply; the room keeps running. ServerError join rejections are
 * answers, not faults: passed through.
 */
export function reportUncaught(reporter: UncaughtReporter, err: Error, methodName: string, message?: { client: Client; type: unknown }): void {
  const cause = (err as { cause?: unknown }).cause ?? err;
  if (cause instanceof ServerError) return;
  const client = message?.client ?? (err as { client?: Client }).client;
  const { log, suppressed } = reporter.guard.mayLog(client);
  if (log) reporter.log.error({ err: cause, method: methodName, clientId: client?.sessionId, suppressed }, `room ${methodName} threw; the room keeps running`);
  const type = message ? message.type : err instanceof OnMessageException ? err.type : undefined;
  if ((message || err instanceof OnMessageException) && client)
    reporter.replyError(client, echoableType(type), 'INTERNAL', 'the server could not process this message; it was logged');
}
