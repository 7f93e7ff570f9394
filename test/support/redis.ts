import { Redis } from 'ioredis';

/** Shared with the benchmarks, which must not import test/. */
export { deleteKeysWithPrefix } from '../../bench/support/redis.js';

/** Two "processes" of one Redis-backed component: an instance each, on a connection of its own; `close` closes both, then their connections. */
export async function twoProcesses<T extends { close(): Promise<void> }>(
  url: string,
  open: (redis: Redis) => Promise<T>,
): Promise<{ a: T; b: T; close(): Promise<void> }> {
  const [ra, rb] = [new Redis(url), new Redis(url)];
  const a = await open(ra);
  const b = await open(rb);
  return {
    a,
    b,
    close: async () => {
      await a.close();
      await b.close();
      ra.disconnect();
      rb.disconnect();
    },
  };
}
