import type { Redis } from 'ioredis';

/** Deletes every key under `prefix` (SCAN, not KEYS: safe on a shared Redis); returns how many went. One DEL per key: keys of several hash slots (a cluster-mode Redis) cannot share one. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) for (const [, n] of (await redis.pipeline(keys.map((key) => ['del', key])).exec()) ?? []) deleted += Number(n ?? 0);
  } while (cursor !== '0');
  return deleted;
}
