import type { Client } from '@colyseus/core';
import { createBucket, tryTake, type TokenBucket } from '../systems/rateLimit.js';

/** Longest message-type name echoed back in an `error` reply (a client may send any string, or none). */
const MAX_TYPE_ECHO = 64;

/** What the guard decided for one inbound message. */
export type Admission = 'ok' | 'limited' | 'limited-silent';

export interface InboundGuardOptions {
  /** Sustained messages per second per client; bursts up to the same number. */
  ratePerSec: number;
  /** Replies and log lines about one misbehaving client go out at most once per this interval. */
  noticeIntervalMs: number;
  now: () => number;
}

interface ClientTally {
  bucket: TokenBucket;
  /** When this client last got a RATE_LIMITED reply, and last caused a log line. */
  lastLimitedReplyAt: number;
  lastLogAt: number;
  /** Problems not logged since `lastLogAt` (reported with the next line). */
  unlogged: number;
}

/**
 * Admission for every inbound room message, known type or not: a token bucket per client, and at most
 * one RATE_LIMITED reply and one log line per client per interval, so a flood costs the server a
 * counter increment per frame instead of a reply (no amplification) or a log line (no log flood).
 */
export class InboundGuard {
  /** Made on the first message: a room whose clients only listen holds no map (one per room). */
  private tallies: Map<string, ClientTally> | undefined;

  constructor(private readonly options: InboundGuardOptions) {}

  /** Takes a token for `client`; when there is none, says whether this one deserves a reply. */
  admit(client: Pick<Client, 'sessionId'>): Admission {
    const now = this.options.now();
    const tally = this.tallyOf(client.sessionId, now);
    if (tryTake(tally.bucket, this.options.ratePerSec, this.options.ratePerSec, now)) return 'ok';
    if (now - tally.lastLimitedReplyAt < this.options.noticeIntervalMs) return 'limited-silent';
    tally.lastLimitedReplyAt = now;
    return 'limited';
  }

  /**
   * True when a problem caused by `client` may be logged now; otherwise it is counted. `suppressed`
   * is how many were not logged since the previous line.
   */
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

  /** Drops a departed client's tally (rooms call it from onLeave). */
  forget(client: Pick<Client, 'sessionId'>): void {
    this.tallies?.delete(client.sessionId);
  }

  get trackedClients(): number {
    return this.tallies?.size ?? 0;
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

/**
 * The message type a client sent, fit to echo: Colyseus hands a frame literally typed `"*"` to the
 * wildcard handler with its payload in the type slot, so the "type" may be any decoded value.
 */
export function echoableType(type: unknown): string {
  if (typeof type === 'number' && Number.isFinite(type)) return String(type);
  if (typeof type !== 'string') return '*';
  return type.length > MAX_TYPE_ECHO ? `${type.slice(0, MAX_TYPE_ECHO)}…` : type;
}
