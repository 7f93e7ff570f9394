/**
 * Starts a server process for a run (`node [--cpu-prof] --import tsx src/main.ts`) on a free port with
 * its own fresh database and a generated ADMIN_TOKEN, and tears both down afterwards. The harness
 * still talks to it only over the network; this is orchestration, like a CI job starting a server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface SpawnedServer {
  url: string;
  /** The server's own database (created for it, dropped by stop()), e.g. for a benchmark to load data into. */
  databaseUrl: string;
  adminToken: string;
  /** The key its access tokens are signed with (a cluster's processes share it). */
  authSecret: string;
  transport: 'uws' | 'ws';
  logFile: string;
  /** The server process, e.g. for CPU sampling from /proc. */
  pid: number;
  stop(): Promise<void>;
}

/** The harness signs up thousands of bots from one address and plays faster than people: the server's abuse limits are raised for it. */
const HARNESS_LIMITS = {
  AUTH_SIGNUPS_PER_ADDRESS_PER_HOUR: '10000000',
  AUTH_SIGNINS_PER_SECRET_PER_MINUTE: '10000000',
  AUTH_REFRESHES_PER_ADDRESS_PER_MINUTE: '10000000',
  // Every bot matchmakes from this one address (a join, then a reconnect or a rejoin under churn).
  MATCHMAKES_PER_ADDRESS_PER_MINUTE: '10000000',
  // A bot's rejoins under churn resume its one session while the rooms it left may still hold their seats.
  LIVE_ROOMS_PER_USER: '100000',
  INGEST_EVENTS_PER_USER_PER_SECOND: '1000000',
  INGEST_ENTITY_EVENTS_PER_USER_PER_HOUR: '10000000',
  // Drawing artwork (~1 s of a core per artist) after boot would be measured as the server's load.
  ASSET_ARTWORK: 'false',
};

/**
 * A port free now, drawn from 20000–32767: below Linux's ephemeral ports (32768–60999), so an outgoing connection
 * made before the caller's server binds it cannot take it, as it can take a port the kernel chose for listen(0).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (await bindable(port)) return port;
  }
  throw new Error('no free port in 20000–32767');
}

const bindable = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface SpawnOptions {
  transport: 'uws' | 'ws';
  adminDatabaseUrl: string;
  env?: Record<string, string>;
  cpuProfDir?: string;
  logDir: string;
  bootTimeoutMs?: number;
  /** The checkout to run (default this one), e.g. a baseline worktree for a same-run A/B. */
  cwd?: string;
  /** Run only on this CPU, or these CPUs (taskset -c). */
  cpu?: number | number[];
  /** Join a database another spawned server created (and will drop) instead of creating one. */
  sharedDatabase?: string;
  /** Shared by the processes of one cluster (default: generated for this server). */
  adminToken?: string;
  authSecret?: string;
  /** Set PUBLIC_ADDRESS=127.0.0.1:<port> (several processes behind one Redis). */
  publicAddress?: boolean;
}

export async function spawnServer(options: SpawnOptions): Promise<SpawnedServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnFreePort(options);
    } catch (err) {
      // Another process can bind the free port between freePort() and the server's boot: another port.
      if (attempt === 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
    }
  }
}

async function spawnOnFreePort(options: SpawnOptions): Promise<SpawnedServer> {
  const dbName = options.sharedDatabase ?? `ds_load_${randomBytes(5).toString('hex')}`;
  if (!options.sharedDatabase) await withAdmin(options.adminDatabaseUrl, (c) => c.query(`CREATE DATABASE "${dbName}"`));
  const dbUrl = new URL(options.adminDatabaseUrl);
  dbUrl.pathname = `/${dbName}`;
  const port = await freePort();
  const adminToken = options.adminToken ?? randomBytes(24).toString('hex');
  fs.mkdirSync(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `server-${options.transport}-${port}.log`);
  const out = fs.openSync(logFile, 'a');
  // The same node flags as `npm start` and the Dockerfile.
  const nodeArgs = [
    ...(options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(options.cpuProfDir)] : []),
    '--max-semi-space-size=64',
    '--import',
    'tsx',
    'src/main.ts',
  ];
  const env: Record<string, string> = {};
  // A key per run (like the admin token and the database): the harness never writes .data/auth-secret.
  const authSecret = options.authSecret ?? (process.env.AUTH_SECRET || randomBytes(32).toString('hex'));
  const publicAddress = options.publicAddress ? { PUBLIC_ADDRESS: `127.0.0.1:${port}` } : {};
  for (const [k, v] of Object.entries({
    ...process.env,
    LOG_LEVEL: 'warn',
    AUTH_SECRET: authSecret,
    ...HARNESS_LIMITS,
    ...options.env,
    ...publicAddress,
    PORT: String(port),
    HOST: '127.0.0.1',
    TRANSPORT: options.transport,
    DATABASE_URL: dbUrl.toString(),
    ADMIN_TOKEN: adminToken,
  }))
    if (v !== undefined) env[k] = v;
  // taskset execs node in its own process: the pid (and the CPU the harness samples) is the server's.
  const [command, args] =
    options.cpu === undefined ? [process.execPath, nodeArgs] : ['taskset', ['-c', [options.cpu].flat().join(','), process.execPath, ...nodeArgs]];
  const proc: ChildProcess = spawn(command, args, { cwd: options.cwd ?? ROOT, env, stdio: ['ignore', out, out] });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const cleanup = async () => {
    fs.closeSync(out);
    if (options.sharedDatabase) return; // its creator drops it
    await withAdmin(options.adminDatabaseUrl, async (c) => {
      await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
      await c.query(`DROP DATABASE IF EXISTS "${dbName}"`);
    }).catch(() => undefined);
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.bootTimeoutMs ?? 60_000);
  while (true) {
    if (gone) {
      await cleanup();
      throw new Error(`server (${options.transport}) exited during boot; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    const ok = await fetch(`${base}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      await exited;
      await cleanup();
      throw new Error(`server (${options.transport}) did not serve /health in time; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url: `ws://127.0.0.1:${port}`,
    databaseUrl: dbUrl.toString(),
    adminToken,
    authSecret,
    transport: options.transport,
    logFile,
    pid: proc.pid!,
    stop: async () => {
      if (!gone) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      await cleanup();
    },
  };
}

/** A cluster's Redis: the local one unless `env` names one, under a fresh prefix unless `env` gives one. */
export function clusterEnv(env: Record<string, string> = {}): Record<string, string> {
  return { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `ds_load_${randomBytes(4).toString('hex')}:`, ...env };
}

/**
 * `count` server processes sharing one fresh database, one Redis (REDIS_URL from `env`, default the local
 * one, under a fresh REDIS_PREFIX), one admin token and one access-token key, each with its own
 * PUBLIC_ADDRESS: the Colyseus Redis presence + driver spreads rooms over them. Booted one after the
 * other; stopped in reverse, the first (the database's creator) last.
 */
export async function spawnCluster(count: number, options: SpawnOptions & { cpus?: number[] }): Promise<SpawnedServer[]> {
  const env = clusterEnv(options.env);
  const shared = { adminToken: randomBytes(24).toString('hex'), authSecret: randomBytes(32).toString('hex'), publicAddress: true };
  const servers: SpawnedServer[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const sharedDatabase = servers[0] ? new URL(servers[0].databaseUrl).pathname.slice(1) : undefined;
      const cpu = options.cpus?.length ? options.cpus[i % options.cpus.length] : undefined;
      servers.push(await spawnServer({ ...options, ...shared, env, sharedDatabase, cpu }));
    }
    return servers;
  } catch (err) {
    for (const s of servers.reverse()) await s.stop();
    throw err;
  }
}
