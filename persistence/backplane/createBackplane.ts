import { Redis } from 'ioredis';
import type { Backplane } from './Backplane.js';
import { LocalBackplane } from './LocalBackplane.js';
import { RedisBackplane } from './RedisBackplane.js';
import { watchRedis, type RedisOutageLog } from './redisWatch.js';

/** A Redis URL means processes share a Redis; none means this process is alone. */
export function createBackplane(options: { redisUrl?: string; prefix: string; log: RedisOutageLog }): Backplane {
  if (!options.redisUrl) return new LocalBackplane(options.prefix);
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, enableOfflineQueue: true, lazyConnect: false });
  watchRedis(redis, 'backplane', options.log);
  return new RedisBackplane(redis, options.prefix, { url: options.redisUrl, watch: (client, name) => void watchRedis(client, name, options.log) });
}
