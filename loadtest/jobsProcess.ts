/**
 * `--jobs separate`: a deployment runs its room processes with JOBS_ENABLED=false and the scheduled jobs in a
 * process of their own, so a once-a-minute job never holds a room process's event loop. The harness mirrors
 * that shape with one extra spawned process that no bot talks to and whose CPU the report leaves out. On a
 * run's Redis that process joins the cluster's matchmaker, so it runs with ROOMS_ENABLED=false: placement
 * never gives it a room (an older checkout under --server-dir ignores the setting and would take rooms).
 */
import os from 'node:os';
import type { LoadTestOptions } from './args.js';
import { spawnServer, type SpawnedServer, type SpawnOptions } from './spawnServer.js';

export interface JobsPlan {
  /** Env of every room process. */
  roomEnv: Record<string, string>;
  /** The jobs process, absent with `--jobs inprocess`. */
  jobs?: { env: Record<string, string>; cpus?: number[] };
}

/**
 * Where the jobs run for these options. `env` is the spawned servers' env (for a cluster, with its Redis);
 * the jobs process gets the same, so it shares the database, Redis and every job setting. It runs on the
 * CPUs `--server-cpus` leaves free (the harness's), or anywhere when it names them all or is absent.
 */
export function jobsPlan(o: Pick<LoadTestOptions, 'jobs' | 'serverCpus'>, env: Record<string, string>, cpuCount = os.cpus().length): JobsPlan {
  if (o.jobs === 'inprocess') return { roomEnv: env };
  const free = o.serverCpus ? Array.from({ length: cpuCount }, (_, i) => i).filter((c) => !o.serverCpus!.includes(c)) : [];
  const roomsOff: Record<string, string> = env.REDIS_URL !== undefined ? { ROOMS_ENABLED: 'false' } : {}; // alone, it hosts nothing anyway (and the server refuses it)
  return { roomEnv: { ...env, JOBS_ENABLED: 'false' }, jobs: { env: { ...env, JOBS_ENABLED: 'true', ...roomsOff }, cpus: free.length ? free : undefined } };
}

/** Starts the plan's jobs process on the first room server's database, or nothing with `--jobs inprocess`. */
export async function spawnJobsProcess(plan: JobsPlan, rooms: readonly SpawnedServer[], options: SpawnOptions): Promise<SpawnedServer | undefined> {
  if (!plan.jobs) return undefined;
  const sharedDatabase = new URL(rooms[0].databaseUrl).pathname.slice(1);
  // The rooms' admin token and token key: /ops and "run now" answer the run's token, a bot's matchmaking request would be accepted.
  return spawnServer({
    ...options,
    env: plan.jobs.env,
    cpu: plan.jobs.cpus,
    sharedDatabase,
    adminToken: rooms[0].adminToken,
    authSecret: rooms[0].authSecret,
    publicAddress: rooms.length > 1,
  });
}
