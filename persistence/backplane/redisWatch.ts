/**
 * One log line per Redis outage per connection, not one per reconnect (nor ioredis's "Unhandled error event"
 * for a connection nobody listens to).
 */
import type { EventEmitter } from 'node:events';

/** A pino logger fits. */
export interface RedisOutageLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** The first error of an outage logs at warn, the rest are counted; `ready` logs how long it lasted. */
export function watchRedis<C extends Pick<EventEmitter, 'on'>>(client: C, name: string, log: RedisOutageLog, now: () => number = Date.now): C {
  let since: number | null = null;
  let errors = 0;
  client.on('error', (err: Error & { code?: string }) => {
    errors++;
    if (since !== null) return;
    since = now();
    log.warn({ redisClient: name, err: err.message, code: err.code ?? err.name }, 'redis connection lost; reconnecting (one line per outage)');
  });
  client.on('ready', () => {
    if (since === null) return;
    log.info({ redisClient: name, outageMs: now() - since, errors }, 'redis connection back');
    since = null;
    errors = 0;
  });
  return client;
}
