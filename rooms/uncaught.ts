import { OnMessageException, ServerError, type Client } from '@colyseus/core';
import type { Logger } from 'pino';
import { echoableType, type InboundGuard } from './inboundGuard.js';

/** Where an uncaught room exception is reported: the room's logger, guard and error reply. */
export interface UncaughtReporter {
  log: Logger;
  guard: InboundGuard;
  replyError(client: Client, forType: string, code: 'INTERNAL', message: string): void;
}

/**
 * A room's last line of defence (Colyseus `onUncaughtException`, or the room's own guards where that
 * costs too much per room): any exception a handler, a hook or a timer lets escape becomes a log line (one per client per interval) and, for a message, an
 * `INTERNAL` reply; the room and the process keep running. Join rejections (ServerError) are expected
 * answers, not faults, and are only passed through.
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
