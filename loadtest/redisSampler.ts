/**
 * What scale-out costs in Redis during a run: `INFO commandstats` and `INFO cpu` read at the start and
 * at the end of the steady window, so the report shows commands per second, commands per session-second
 * and Redis's own CPU beside the server's. The counters are Redis-wide: anything else using the same
 * Redis during the window (another test suite) is counted too, which is why the report prints the
 * per-command breakdown.
 */
import { Redis } from 'ioredis';

/** One `INFO` read: calls per command and Redis's CPU seconds (user + sys, main thread and children). */
export interface RedisInfoSnapshot {
  calls: Record<string, number>;
  cpuSec: number;
}

export interface RedisSummary {
  available: boolean;
  reason?: string;
  windowSec?: number;
  commandsTotal?: number;
  commandsPerSec?: number;
  /** Commands ÷ (connected sessions × window seconds). */
  commandsPerSessionSecond?: number | null;
  /** Redis CPU over the window, in cores (1 = one core busy). */
  cpuCores?: number;
  /** The busiest commands over the window, most calls first. */
  top?: Array<{ command: string; calls: number }>;
}

/** Parses the text of `INFO commandstats` + `INFO cpu` (either or both sections). */
export function parseRedisInfo(text: string): RedisInfoSnapshot {
  const calls: Record<string, number> = {};
  let cpuSec = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const cmd = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (cmd) {
      calls[cmd[1]] = Number(cmd[2]);
      continue;
    }
    // used_cpu_sys, used_cpu_user and their _children (a BGSAVE fork) all count; _main_thread duplicates the first two.
    const cpu = /^used_cpu_(sys|user)(_children)?:([\d.]+)$/.exec(line);
    if (cpu) cpuSec += Number(cpu[3]);
  }
  return { calls, cpuSec };
}

/** The window between two snapshots. */
export function diffRedisInfo(before: RedisInfoSnapshot, after: RedisInfoSnapshot, windowSec: number, sessions: number, topN = 8): RedisSummary {
  const deltas = Object.entries(after.calls)
    .map(([command, calls]) => ({ command, calls: calls - (before.calls[command] ?? 0) }))
    .filter((d) => d.calls > 0)
    .sort((a, b) => b.calls - a.calls);
  const total = deltas.reduce((s, d) => s + d.calls, 0);
  const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
  return {
    available: true,
    windowSec,
    commandsTotal: total,
    commandsPerSec: round(total / windowSec, 1),
    commandsPerSessionSecond: sessions > 0 ? round(total / windowSec / sessions, 3) : null,
    cpuCores: round((after.cpuSec - before.cpuSec) / windowSec, 3),
    top: deltas.slice(0, topN),
  };
}

/** Reads Redis at the window's start and end; never fails the run (a failed read becomes `reason`). */
export class RedisSampler {
  private readonly redis: Redis;
  private before: RedisInfoSnapshot | null = null;
  private after: RedisInfoSnapshot | null = null;
  private failure: string | null = null;

  constructor(url: string) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true });
    this.redis.on('error', (err) => void (this.failure ??= err.message));
  }

  async markStart(): Promise<void> {
    this.before = await this.read();
  }

  async markEnd(): Promise<void> {
    this.after = await this.read();
  }

  summarize(windowSec: number, sessions: number, topN?: number): RedisSummary {
    if (!this.before || !this.after) return { available: false, reason: this.failure ?? 'Redis was not read at both ends of the window' };
    return diffRedisInfo(this.before, this.after, windowSec, sessions, topN);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private async read(): Promise<RedisInfoSnapshot | null> {
    try {
      const text = `${await this.redis.info('commandstats')}\n${await this.redis.info('cpu')}`;
      return parseRedisInfo(text);
    } catch (err) {
      this.failure ??= (err as Error).message;
      return null;
    }
  }
}
