import { OnMessageException, ServerError, type Client } from '@colyseus/core';
import type { Logger } from 'pino';
import { echoableType, type InboundGuard } from './inboundGuard.js';

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
  if ((message || err instanceof OnMessageException) && client) {
    reporter.replyError(client, echoableType(type), 'INTERNAL', 'the server could not process this message; it was logged');
  }
}
