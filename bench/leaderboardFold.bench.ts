/**
 * What a "fold" leaderboard layout would cost Redis, measured as Redis CPU, not commands.
 * Today a flush sends one ZINCRBY per (key, bucket) for the hour, day and all-time buckets, and a day or
 * all-time board is read in place. Writing only the hour bucket and folding closed hours later divides the
 * ZINCRBYs by three, but then a day or all-time read must union the bucket with the unfolded hour
 * (ZUNIONSTORE, O(board + hour)) on every fresh read. This times both sides in Redis itself
 * (INFO commandstats: microseconds per call) on a private key prefix, and prints the CPU per second for a
 * given flush and read rate. It runs CONFIG RESETSTAT, which clears that Redis's statistics for everyone:
 * point it at a Redis of its own, or at the shared one only when nothing else reads its INFO.
 *
 *   npx tsx bench/leaderboardFold.bench.ts [--url redis://127.0.0.1:6379] [--board 5000] [--hour 500] [--keys 38]
 *     [--flushes 4] [--reads 30]
 *
 * --board: entities in the day / all-time bucket; --hour: entities in the open hour; --keys: distinct keys per
 * flush; --flushes: flushes a second; --reads: fresh day/all-time board reads a second (coliseum ticks × boards).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

function arg(name: string, fallback: string): number | string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  return name === 'url' ? value : Number(value);
}

const url = String(arg('url', process.env.REDIS_URL || 'redis://127.0.0.1:6379'));
const board = Number(arg('board', '5000'));
const hour = Number(arg('hour', '500'));
const keysPerFlush = Number(arg('keys', '38'));
const flushesPerSec = Number(arg('flushes', '4'));
const readsPerSec = Number(arg('reads', '30'));
const ROUNDS = 400;

/** Redis-side microseconds per call of each command, from INFO commandstats. */
async function usecPerCall(redis: Redis): Promise<Map<string, { calls: number; usec: number }>> {
  const out = new Map<string, { calls: number; usec: number }>();
  for (const line of (await redis.info('commandstats')).split('\n')) {
    const m = /^cmdstat_(\w+):calls=(\d+),usec=(\d+)/.exec(line.trim());
    if (m) out.set(m[1], { calls: Number(m[2]), usec: Number(m[3]) });
  }
  return out;
}

async function timed(redis: Redis, work: () => Promise<unknown>): Promise<number> {
  await redis.config('RESETSTAT');
  for (let i = 0; i < ROUNDS; i++) await work();
  let usec = 0;
  for (const [name, s] of await usecPerCall(redis)) if (name !== 'config' && name !== 'info') usec += s.usec;
  return usec / ROUNDS;
}

async function main(): Promise<void> {
  const redis = new Redis(url);
  const p = `bench-fold-${randomUUID()}:`;
  const [dayKey, allKey, hourKey, target] = ['d', 'all', 'h', 'u'].map((k) => `${p}${k}`);
  try {
    const ids = Array.from({ length: board }, (_, i) => `artist-${i}`);
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000).flatMap((id, j) => [String(-(board - i - j)), id]);
      await redis.zadd(dayKey, ...chunk);
      await redis.zadd(allKey, ...chunk);
    }
    await redis.zadd(hourKey, ...ids.slice(0, hour).flatMap((id, j) => [String(-(hour - j)), id]));
    const flushIds = ids.slice(0, keysPerFlush);
    const flush = (buckets: string[]) => () => {
      // A plain pipeline: EXEC's own time would count the commands inside it twice.
      const pipeline = redis.pipeline();
      for (const key of buckets) for (const id of flushIds) pipeline.zincrby(key, -1, id);
      return pipeline.exec();
    };
    const threeBuckets = await timed(redis, flush([hourKey, dayKey, allKey]));
    const hourOnly = await timed(redis, flush([hourKey]));
    const inPlace = await timed(redis, () => redis.zrange(dayKey, 0, 9, 'WITHSCORES'));
    const union = await timed(redis, async () => {
      await redis.zunionstore(target, 2, dayKey, hourKey);
      return redis.zrange(target, 0, 9, 'WITHSCORES');
    });
    const perSec = (flushUs: number, readUs: number) => (flushUs * flushesPerSec + readUs * readsPerSec) / 1000;
    const row = (label: string, v: number) => process.stdout.write(`${label.padEnd(58)} ${v.toFixed(1)} µs\n`);
    process.stdout.write(`board ${board} entities, open hour ${hour}, ${keysPerFlush} keys per flush; Redis CPU per call (INFO commandstats)\n`);
    row('flush, hour + day + all-time (today)', threeBuckets);
    row('flush, hour only (fold layout, fold work not counted)', hourOnly);
    row('day board read in place, top 10 (today)', inPlace);
    row('day board read as day ∪ open hour, top 10 (fold layout)', union);
    process.stdout.write(
      `at ${flushesPerSec} flushes/s and ${readsPerSec} fresh board reads/s: today ${perSec(threeBuckets, inPlace).toFixed(2)} ms of Redis CPU a second, fold layout ${perSec(hourOnly, union).toFixed(2)} ms\n`,
    );
  } finally {
    await redis.del(dayKey, allKey, hourKey, target);
    redis.disconnect();
  }
}

await main();
