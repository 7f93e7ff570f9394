import fs from 'node:fs';
import os from 'node:os';
import { parseArgs as parseNodeArgs, type ParseArgsConfig } from 'node:util';

/** Everything one load-test invocation needs; built by {@link parseArgs}. */
export interface LoadTestOptions {
  /** ws:// or wss:// base URL of the server (ignored with `spawn`). */
  url: string;
  sessions: number;
  spectators: number;
  /** Steady-state seconds measured after the ramp. */
  durationSec: number;
  /** Seconds over which bots are started, evenly spaced. */
  rampSec: number;
  workers: number;
  out?: string;
  adminToken?: string;
  /** Server patch rate, for the jitter reference. */
  patchHz: number;
  /** How session bots enter: docs/PROTOCOL.md's create, or joinOrCreate (the matchmaker scans every room first). */
  joinMethod: 'joinOrCreate' | 'create';
  /** Fraction of sessions that only join and idle (their traffic is reported separately). */
  idleFraction: number;
  /** Fraction of sessions that drop once and reconnect with their token during the steady phase. */
  dropFraction: number;
  /** Spectators per worker that measure lag (walk the leaderboard state on every patch). */
  lagProbesPerWorker: number;
  /** Coliseum join options. */
  leaderboards?: string[];
  window: 'hour' | 'day' | 'week' | '30d' | 'all';
  /** Seconds after the steady phase for in-flight replies and last leaderboard updates. */
  graceSec: number;
  /** Start server processes ourselves (TRANSPORT=uws then ws) and compare. */
  compareTransports: boolean;
  /** Start server processes ourselves with this transport. */
  spawn?: 'uws' | 'ws';
  /** With --spawn: this many processes sharing one database and one Redis (bots spread over them). */
  processes: number;
  /** Every server the bots use (set by the CLI for spawned clusters; default [url]). */
  urls?: string[];
  /** Admin Postgres URL used to create a fresh database per spawned server. */
  databaseUrl: string;
  /** Spawned server: run under `node --cpu-prof` and write the profile into this directory. */
  serverCpuProf?: string;
  /** Extra env for spawned servers, `KEY=VALUE`. */
  serverEnv: Record<string, string>;
  /** Spawned servers run this checkout (e.g. a baseline worktree) with this harness: a same-run A/B. */
  serverDir?: string;
  /** Spawned process i runs on CPU serverCpus[i mod n] only (taskset): its CPU time then varies less with what else runs. */
  serverCpus?: number[];
  /**
   * Scheduled jobs with --spawn: `separate` (the deployment's shape) runs the room processes with
   * JOBS_ENABLED=false plus one extra process for the jobs only; `inprocess` keeps them in the room process.
   */
  jobs: 'separate' | 'inprocess';
  /** Session bots that measure latencies (SDK); the rest are light raw-WebSocket bots. 1 = all measure. */
  measureFraction: number;
  /** Read INFO commandstats/cpu of this Redis at the window's ends (default: a spawned server's REDIS_URL). */
  redisUrl?: string;
  /** Count the transactions of this database at the window's ends (set for spawned servers: theirs). */
  statementsDatabaseUrl?: string;
  seed: number;
  quiet: boolean;
  /** --riders N: every session hosts a ride of N riders (0: lone sessions, the baseline); loadtest/rides.ts runs it. */
  riders?: number;
  /** --reactions N: each rider reacts at most N times per 10 s (0: never); loadtest/rides.ts. */
  reactions?: number;
  /** --soak: churn a steady population for `soakMinutes` and judge whether everything returns (loadtest/soak.ts). */
  soak?: { minutes: number; sampleSec: number; warmupSec: number; lifeSec: [number, number] };
}

export class ArgsError extends Error {}

export const USAGE = `usage: npm run loadtest -- [options]
  --sessions N            session bots (default 100)
  --spectators N          coliseum spectator bots (default 0)
  --riders N              each session hosts a ride of N riders and tunes every 2 s; reports host input → rider patch
                          lag and bytes/s per member, server CPU (0: the same run with lone sessions, to compare)
  --reactions N           with --riders: each rider reacts at most N times per 10 s, a bucket shaped like the
                          server's RIDE_REACTIONS_PER_10S (default 0); reports reactions shown, refused, delivered
  --duration S            steady-state seconds measured after the ramp (default 60)
  --ramp S                seconds to start all bots (default: 1 s per 100 bots, at least 2)
  --url ws://host:port    server to load (default ws://127.0.0.1:2567)
  --workers N             bot worker threads (default: CPU count = ${os.availableParallelism()})
  --out FILE              JSON results (default loadtest-results/run-<time>.json)
  --admin-token T         scrape /metrics for server CPU, RSS, passport and tick stats (or env ADMIN_TOKEN;
                          against a loopback --url: the file npm start writes, .data/admin-token)
  --patch-hz N            server PATCH_HZ, the jitter reference (default 20)
  --drop-fraction F       sessions that drop and reconnect once (default 0.05)
  --idle-fraction F       sessions that join and send nothing, reported apart (default 0)
  --measure-fraction F    session bots that measure latencies with the SDK (default 0.05 above 200
                          sessions, else 1); the rest are light raw-WebSocket bots that play the
                          same journey (no orb taps, no drops) and count frames only
  --join-method M         create (docs/PROTOCOL.md, default) or joinOrCreate (scans every room)
  --lag-probes N          spectators per worker measuring leaderboard lag (default 25)
  --leaderboards a,b      spectators' coliseum leaderboards (default: the server's default set)
  --window W              spectators' coliseum window (default all)
  --grace S               seconds for in-flight replies after the steady phase (default 5)
  --spawn uws|ws          start the server ourselves (fresh database, ADMIN_TOKEN generated)
  --processes N           with --spawn: N processes sharing one database and one Redis (REDIS_URL
                          from --server-env, default the local one, fresh REDIS_PREFIX), each with its
                          own PUBLIC_ADDRESS; bots sign in and matchmake at process (bot index mod N);
                          the report sums server CPU and lists it per process (default 1)
  --compare-transports    run the same load against a spawned uws server, then a ws server
  --database-url URL      admin Postgres URL for spawned servers (default env DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres)
  --server-cpu-prof DIR   spawned servers run under node --cpu-prof, profiles written to DIR
  --server-dir DIR        spawned servers run the checkout in DIR (its own node_modules), the bots
                          are this harness: base and head measured by the same generator
  --server-cpus 1[,0]     spawned process i runs only on the i-th CPU of the list (taskset), e.g. the server
                          on CPU 1 while \`taskset -c 0\` runs this harness: less noise in server CPU
  --jobs separate|inprocess
                          with --spawn: where scheduled jobs run (default separate, as deployed: the
                          room processes get JOBS_ENABLED=false and one more process, not loaded by
                          bots nor counted in server CPU, runs the jobs on the same database and Redis;
                          it is pinned to the CPUs --server-cpus leaves free; over Redis it runs
                          ROOMS_ENABLED=false, so no room is placed on it); inprocess: the room
                          processes run them too
  --server-env K=V        extra env for spawned servers (repeatable)
                          e.g. PATCH_BASELINE=json: sessions also get their full state as JSON
                          each patch step; the table reports those bytes ÷ the binary patches
  --redis-url URL         report Redis commands/s, per session-second and Redis CPU over the window
                          (default: the REDIS_URL given with --server-env; counters are Redis-wide)
  --seed N                random seed (default: time)
  --quiet                 no progress lines
  --soak                  soak under churn (spawns uws unless --spawn ws): --sessions listeners at once,
                          each joins, plays, may drop and reconnect (--drop-fraction per life, default
                          0.2), leaves and comes back as one of its slot's two users; samples RSS, heap,
                          handles, timers, rooms, Redis keys/subscriptions, Postgres connections; prints
                          the samples and PASS/FAIL (exit 3 on FAIL); with --processes 2 over Redis
  --minutes N             soak length from the first join, ramp and warm-up included (default 10)
  --sample-every S        soak sampling period (default 5)
  --warmup S              soak seconds before the baseline window (default max(30, a fifth of the soak))
  --life MIN,MAX          soak: seconds a listener stays (default 15,45)`;

const WINDOWS = ['hour', 'day', 'week', '30d', 'all'] as const;

/** Every flag: node:util's parseArgs reads them (strict: unknown flags and missing values throw), checks follow. */
const FLAGS = {
  sessions: { type: 'string' },
  spectators: { type: 'string' },
  riders: { type: 'string' },
  reactions: { type: 'string' },
  duration: { type: 'string' },
  ramp: { type: 'string' },
  url: { type: 'string' },
  workers: { type: 'string' },
  out: { type: 'string' },
  'admin-token': { type: 'string' },
  'patch-hz': { type: 'string' },
  'drop-fraction': { type: 'string' },
  'idle-fraction': { type: 'string' },
  'measure-fraction': { type: 'string' },
  'join-method': { type: 'string' },
  'lag-probes': { type: 'string' },
  leaderboards: { type: 'string' },
  window: { type: 'string' },
  grace: { type: 'string' },
  spawn: { type: 'string' },
  processes: { type: 'string' },
  'compare-transports': { type: 'boolean' },
  'database-url': { type: 'string' },
  'server-cpu-prof': { type: 'string' },
  'server-dir': { type: 'string' },
  'server-cpus': { type: 'string' },
  'server-env': { type: 'string', multiple: true },
  jobs: { type: 'string' },
  'redis-url': { type: 'string' },
  seed: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  soak: { type: 'boolean' },
  minutes: { type: 'string' },
  'sample-every': { type: 'string' },
  warmup: { type: 'string' },
  life: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

type Flag = keyof typeof FLAGS;
type Values = ReturnType<typeof readFlags>;

function num(flag: string, raw: string, min: number, max: number, integer = true): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new ArgsError(`${flag} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  const choices = allowed.length === 2 ? `${allowed[0]} or ${allowed[1]}` : `one of ${allowed.join(', ')}`;
  if (!(allowed as readonly string[]).includes(raw)) throw new ArgsError(`${flag} must be ${choices}, got "${raw}"`);
  return raw as T;
}

function readFlags(argv: readonly string[]) {
  try {
    return parseNodeArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const message = (err as Error).message;
    const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? '';
    const code = (err as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new ArgsError(`unknown option "${flag}"\n${USAGE}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new ArgsError(`${flag} needs a value (${message})`);
    throw new ArgsError(`${message}\n${USAGE}`);
  }
}

/** A numeric flag's value, or the default when it is absent. */
function numberOf(v: Values, flag: Flag, fallback: number, min: number, max: number, integer = true): number {
  const raw = v[flag];
  return typeof raw === 'string' ? num(`--${flag}`, raw, min, max, integer) : fallback;
}

function serverEnvOf(pairs: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const kv of pairs) {
    const eq = kv.indexOf('=');
    if (eq < 1) throw new ArgsError(`--server-env must be KEY=VALUE, got "${kv}"`);
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return env;
}

function urlOf(raw: string | undefined): string {
  if (raw === undefined) return 'ws://127.0.0.1:2567';
  if (!/^wss?:\/\/[^/]+/.test(raw)) throw new ArgsError(`--url must look like ws://host:port, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

/**
 * The admin token `npm start` generated into its ADMIN_TOKEN_FILE (default .data/admin-token), for a server on this
 * machine only: the file's token never goes to another host.
 */
function localAdminToken(url: string, env: Record<string, string | undefined>): string | undefined {
  if (!/^wss?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(url)) return undefined;
  try {
    return fs.readFileSync(env.ADMIN_TOKEN_FILE || '.data/admin-token', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Parses `argv` (without node and script). Throws {@link ArgsError} with a message naming the flag. */
export function parseArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env): LoadTestOptions {
  const v = readFlags(argv);
  if (v.help) throw new ArgsError(USAGE);
  const o: LoadTestOptions = {
    url: urlOf(v.url),
    sessions: numberOf(v, 'sessions', 100, 0, 1_000_000),
    spectators: numberOf(v, 'spectators', 0, 0, 1_000_000),
    durationSec: numberOf(v, 'duration', 60, 1, 86_400, false),
    rampSec: numberOf(v, 'ramp', -1, 0, 86_400, false),
    workers: numberOf(v, 'workers', os.availableParallelism(), 1, 256),
    out: v.out,
    adminToken: v['admin-token'] ?? (env.ADMIN_TOKEN || localAdminToken(urlOf(v.url), env)),
    patchHz: numberOf(v, 'patch-hz', 20, 1, 120),
    dropFraction: numberOf(v, 'drop-fraction', 0.05, 0, 1, false),
    idleFraction: numberOf(v, 'idle-fraction', 0, 0, 1, false),
    measureFraction: numberOf(v, 'measure-fraction', -1, 0, 1, false),
    joinMethod: oneOf('--join-method', v['join-method'] ?? 'create', ['joinOrCreate', 'create'] as const),
    lagProbesPerWorker: numberOf(v, 'lag-probes', 25, 0, 100_000),
    leaderboards: v.leaderboards
      ?.split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    window: oneOf('--window', v.window ?? 'all', WINDOWS),
    graceSec: numberOf(v, 'grace', 5, 0, 600, false),
    compareTransports: v['compare-transports'] ?? false,
    spawn: v.spawn === undefined ? undefined : oneOf('--spawn', v.spawn, ['uws', 'ws'] as const),
    processes: numberOf(v, 'processes', 1, 1, 16),
    databaseUrl: v['database-url'] ?? (env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'),
    serverCpuProf: v['server-cpu-prof'],
    serverDir: v['server-dir'],
    // os.cpus(), not availableParallelism(): a harness itself pinned with taskset still names the others.
    serverCpus: v['server-cpus']?.split(',').map((c) => num('--server-cpus', c.trim(), 0, os.cpus().length - 1)),
    serverEnv: serverEnvOf(v['server-env']),
    jobs: oneOf('--jobs', v.jobs ?? 'separate', ['separate', 'inprocess'] as const),
    redisUrl: v['redis-url'],
    seed: numberOf(v, 'seed', Date.now() % 2 ** 31, 0, 2 ** 31 - 1),
    quiet: v.quiet ?? false,
  };
  if (v.riders !== undefined) o.riders = numberOf(v, 'riders', 0, 0, 1000);
  if (o.riders !== undefined && (v.soak || o.spectators || o.compareTransports))
    throw new ArgsError('--riders runs rides only; drop --soak, --spectators, --compare-transports');
  if (v.reactions !== undefined) {
    if (o.riders === undefined) throw new ArgsError('--reactions needs --riders');
    o.reactions = numberOf(v, 'reactions', 0, 0, 1000);
  }
  if (v.soak) o.soak = soakOf(v, o);
  else for (const flag of ['minutes', 'sample-every', 'warmup', 'life'] as const) if (v[flag] !== undefined) throw new ArgsError(`--${flag} needs --soak`);
  if (v.jobs !== undefined && !o.spawn && !o.compareTransports)
    throw new ArgsError('--jobs needs --spawn uws|ws (it places the jobs of the processes the harness starts)');
  return checked(o);
}

function soakOf(v: Values, o: LoadTestOptions): NonNullable<LoadTestOptions['soak']> {
  const minutes = numberOf(v, 'minutes', 10, 0.5, 24 * 60, false);
  const life = (v.life ?? '15,45').split(',').map((x) => num('--life', x.trim(), 1, 3600, false));
  if (life.length !== 2 || life[0] > life[1]) throw new ArgsError(`--life must be MIN,MAX seconds with MIN ≤ MAX, got "${v.life}"`);
  if (o.spectators) throw new ArgsError('--soak runs session listeners only; drop --spectators');
  if (o.compareTransports) throw new ArgsError('--soak spawns one transport; drop --compare-transports');
  o.spawn ??= 'uws';
  if (v['drop-fraction'] === undefined) o.dropFraction = 0.2;
  return {
    minutes,
    sampleSec: numberOf(v, 'sample-every', 5, 1, 600, false),
    warmupSec: numberOf(v, 'warmup', Math.max(30, minutes * 12), 0, minutes * 60, false),
    lifeSec: [life[0], life[1]],
  };
}

/** Rules across flags, and the defaults that depend on other flags. */
function checked(o: LoadTestOptions): LoadTestOptions {
  if (o.sessions + o.spectators === 0) throw new ArgsError('nothing to run: give --sessions and/or --spectators above 0');
  if (o.rampSec < 0) o.rampSec = Math.max(2, Math.ceil((o.sessions + o.spectators) / 100));
  if (o.processes > 1 && !o.spawn) throw new ArgsError('--processes needs --spawn uws|ws (the harness starts the processes)');
  if (o.compareTransports && o.spawn) throw new ArgsError('--compare-transports already spawns both servers; drop --spawn');
  if (o.serverDir && !o.spawn && !o.compareTransports) throw new ArgsError('--server-dir needs --spawn uws|ws (it names the checkout the spawned servers run)');
  if (o.serverCpus && !o.spawn && !o.compareTransports) throw new ArgsError('--server-cpus needs --spawn uws|ws (it pins the processes the harness starts)');
  // The room processes' JOBS_ENABLED is what --jobs decides; a second say in --server-env would be ambiguous.
  if (o.jobs === 'separate' && o.serverEnv.JOBS_ENABLED !== undefined)
    throw new ArgsError('--server-env JOBS_ENABLED needs --jobs inprocess (--jobs separate sets it false on the room processes)');
  // The bots' rooms need room processes; the jobs process's ROOMS_ENABLED is the harness's to set.
  if (o.serverEnv.ROOMS_ENABLED !== undefined)
    throw new ArgsError(
      '--server-env ROOMS_ENABLED is not for the harness: the spawned processes host the rooms (with --jobs separate over Redis the jobs process runs ROOMS_ENABLED=false)',
    );
  o.workers = Math.max(1, Math.min(o.workers, o.sessions + o.spectators));
  o.redisUrl ??= o.serverEnv.REDIS_URL;
  // A sample of a small run would say little: every bot measures up to 200 sessions unless told otherwise.
  if (o.measureFraction < 0) o.measureFraction = o.sessions > 200 ? 0.05 : 1;
  return o;
}

/** Seconds after which a run is cut off even if a worker hangs: ramp + duration + grace + 30 s. */
export function hardTimeoutSec(o: Pick<LoadTestOptions, 'rampSec' | 'durationSec' | 'graceSec'>): number {
  return o.rampSec + o.durationSec + o.graceSec + 30;
}
