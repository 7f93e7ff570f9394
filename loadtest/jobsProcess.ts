/**
 * `--jobs separate`: a deployment runs its room processes with JOBS_ENABLED=false and the scheduled jobs in a
 * process of their own, so a once-a-minute job never holds a room process's event loop. The harness mirrors
 * that shape with one extra spawned process that no bot talks to and whose CPU the report leaves out.
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
  return { roomEnv: { ...env, JOBS_ENABLED: 'false' }, jobs: { env: { ...env, JOBS_ENABLED: 'true' }, cpus: free.length ? free : undefined } };
}

/** Starts the plan's jobs process on the first room server's database, or nothing with `--jobs inprocess`. */
export async function spawnJobsProcess(plan: JobsPlan, rooms: readonly SpawnedServer[], options: SpawnOptions): Promise<SpawnedServer | undefined> {
  if (!plan.jobs) return undefined;
  const sharedDatabase = new URL(rooms[0].databaseUrl).pathname.slice(1);
  // The rooms' admin token: /ops and "run now" on it answer with the same token as the rest of the run.
  return spawnServer({ ...options, env: plan.jobs.env, cpu: plan.jobs.cpus, sharedDatabase, adminToken: rooms[0].adminToken, publicAddress: rooms.length > 1 });
}
