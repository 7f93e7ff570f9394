import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { LocalBackplane } from '../../persistence/backplane/LocalBackplane.js';
import { RedisBackplane } from '../../persistence/backplane/RedisBackplane.js';
import type { Backplane } from '../../persistence/backplane/Backplane.js';
import { redisUrl } from './postgres.js';
import { deleteKeysWithPrefix } from './redis.js';

export type { Backplane } from '../../persistence/backplane/Backplane.js';

/** A fresh prefix per use, so runs and files never see each other's keys. */
export const testPrefix = (what: string): string => `test:${what}:${randomUUID().slice(0, 8)}:`;

export const localBackplane = (prefix = 'test:'): LocalBackplane => new LocalBackplane(prefix);

/** `count` Redis backplanes on one prefix, as that many processes see it, each on its own connections; `close` deletes the prefix's keys. */
export async function redisBackplanes(
  count: number,
  prefix = testPrefix('backplane'),
): Promise<{ all: RedisBackplane[]; prefix: string; close(): Promise<void> }> {
  const all = Array.from({ length: count }, () => new RedisBackplane(new Redis(redisUrl()), prefix));
  return {
    all,
    prefix,
    close: async () => {
      const cleaner = new Redis(redisUrl());
      await Promise.all(all.map((b) => b.close()));
      await deleteKeysWithPrefix(cleaner, prefix);
      await cleaner.quit();
    },
  };
}

/** Both kinds, for suites that run over Local and Redis: `make(n)` gives n backplanes (Local: the same instance n times). */
export const BACKPLANE_KINDS: Array<{ name: string; make(n: number): Promise<{ all: Backplane[]; close(): Promise<void> }> }> = [
  {
    name: 'Local (one process)',
    make: async (n) => {
      const one = localBackplane();
      return { all: Array.from({ length: n }, () => one), close: () => one.close() };
    },
  },
  { name: 'Redis (processes sharing one Redis)', make: (n) => redisBackplanes(n) },
];

/** A backplane over an existing connection (closing the backplane quits it). */
export const onRedis = (redis: Redis, prefix: string): RedisBackplane => new RedisBackplane(redis, prefix);

export const ignoreErrors = (): void => undefined;
