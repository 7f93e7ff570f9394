import { Redis } from 'ioredis';
import type { Backplane } from './Backplane.js';
import { LocalBackplane } from './LocalBackplane.js';
import { RedisBackplane } from './RedisBackplane.js';

export type { Backplane, BackplaneChannel, BackplaneMap } from './Backplane.js';

/**
 * The one place that decides Local or Redis: a Redis URL means processes share a Redis, none means this
 * process is alone. Colyseus's presence and driver come from the backplane too (`Backplane.colyseus`). `onRedisError` hears connection errors (ioredis reconnects by itself).
 */
export function createBackplane(options: { redisUrl?: string; prefix: string; onRedisError: (err: Error) => void }): Backplane {
  if (!options.redisUrl) return new LocalBackplane(options.prefix);
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, enableOfflineQueue: true, lazyConnect: false });
  redis.on('error', options.onRedisError);
  return new RedisBackplane(redis, options.prefix, options.redisUrl);
}
