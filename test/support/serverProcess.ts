import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from './db.js';
import path from 'node:path';
import { freePort, redisUrl } from './postgres.js';
import { TEST_AUTH_SECRET } from './auth.js';
import { serverEntryCommand } from './serverBuild.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

// A test that times out never reaches its stop(): no server may outlive the test run.
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((p) => p.kill('SIGKILL')));

/** A server started as its own process, the way `npm start` runs it (transpiled once per run: serverBuild.ts). */
export interface ServerProcess {
  port: number;
  baseUrl: string;
  proc: ChildProcess;
  output(): string;
  /** Sends `signal` and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

/** Limits far above what any test reaches (the defaults hold for loopback too). */
export const RAISED_LIMITS: Record<string, string> = {
  AUTH_SIGNUPS_PER_ADDRESS_PER_HOUR: '10000000',
  AUTH_SIGNINS_PER_SECRET_PER_MINUTE: '10000000',
  AUTH_REFRESHES_PER_ADDRESS_PER_MINUTE: '10000000',
  AUTH_DEVICES_PER_USER: '10000',
  AUTH_LINKS_PER_USER_PER_MINUTE: '10000000',
  LIVE_SESSIONS_PER_USER: '100000',
  LIVE_SESSIONS_PER_DEVICE: '100000',
  LIVE_ROOMS_PER_USER: '100000',
  ADMIN_FAILURES_PER_ADDRESS_PER_MINUTE: '10000000',
  MATCHMAKES_PER_ADDRESS_PER_MINUTE: '10000000',
  INGEST_EVENTS_PER_USER_PER_SECOND: '1000000',
  INGEST_ENTITY_EVENTS_PER_USER_PER_HOUR: '10000000',
  INGEST_ATTENDANCES_PER_EVENT_PER_DAY: '1000',
  CONCIERTO_HELD_VOTES_PER_ADDRESS_PER_HOUR: '10000000',
  LINK_OPENS_PER_ADDRESS_PER_HOUR: '10000000',
  LINKS_PER_USER_PER_HOUR: '100000',
};

/**
 * Two server processes sharing one database and one Redis prefix, each reached at its own address (sessions move
 * between them), background jobs off; `env` adds to or overrides that.
 */
export async function startServerPair(databaseUrl: string, prefix: string, env: Record<string, string> = {}): Promise<ServerProcess[]> {
  const ports = [await freePort(), await freePort()];
  const pairEnv = (port: number) => ({
    PORT: String(port),
    PUBLIC_ADDRESS: `127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl(),
    REDIS_PREFIX: prefix,
  });
  return Promise.all(ports.map((port) => startServerProcess({ ...pairEnv(port), JOBS_ENABLED: 'false', ...env })));
}

export async function startServerProcess(
  env: Record<string, string | undefined>,
  options: { bootTimeoutMs?: number; command?: string[] } = {},
): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnPort(env.PORT ? Number(env.PORT) : await freePort(), env, options);
    } catch (err) {
      // A parallel test's server can bind a free port between freePort() and this boot: another port, unless the test chose it.
      if (env.PORT || attempt === 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
    }
  }
}

async function startOnPort(
  port: number,
  env: Record<string, string | undefined>,
  options: { bootTimeoutMs?: number; command?: string[] },
): Promise<ServerProcess> {
  const command = options.command ?? serverEntryCommand();
  const childEnv: Record<string, string> = {};
  // A fixed AUTH_SECRET: test servers never write a key file into the repository's .data/ (a test may override it).
  // PASSPORT_MAX_LAG_MS defaults to 500 ms: one slow flush on a busy box (CI: a capture answered BACKPRESSURE)
  // would refuse input. Tests of that bound set it themselves.
  // Test servers sign up hundreds of users and send large batches from 127.0.0.1: the abuse limits are raised
  // here (RAISED_LIMITS); the tests of those limits set them back.
  const defaults = { LOG_LEVEL: 'info', AUTH_SECRET: TEST_AUTH_SECRET, PASSPORT_MAX_LAG_MS: '5000', ASSET_ARTWORK: 'false', ...RAISED_LIMITS };
  for (const [k, v] of Object.entries({ ...process.env, ...defaults, ...env, PORT: String(port) })) if (v !== undefined) childEnv[k] = v;
  const proc = spawn(command[0], command.slice(1), { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  running.add(proc);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => (running.delete(proc), resolve(code))));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilServing(baseUrl, exited, () => output, options.bootTimeoutMs ?? 30_000);
  return {
    port,
    baseUrl,
    proc,
    output: () => output,
    stop: async (signal = 'SIGTERM', timeoutMs = 10_000) => {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

async function waitUntilServing(baseUrl: string, exited: Promise<number | null>, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let done = false;
  void exited.then(() => (done = true));
  while (Date.now() < deadline) {
    if (done) throw new Error(`server exited during boot:\n${output()}`);
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server did not serve /health within ${timeoutMs} ms:\n${output()}`);
}

/**
 * A server process on a fresh database of its own (a copy of the run's migrated template: the boot then finds
 * no migration to run; concurrentBootOnEmptyDatabase.test.ts boots on an empty one) for the enclosing `describe`: started in `before`;
 * in `after`, SIGTERM must end it with exit code 0 (a clean drain), then the database is dropped.
 * Returns a getter to call inside tests and hooks.
 */
export function useServer(env: Record<string, string | undefined> = {}): () => { server: ServerProcess; db: TestDatabase } {
  let running: { server: ServerProcess; db: TestDatabase } | undefined;
  before(async () => {
    const db = await createTestDatabase();
    running = { db, server: await startServerProcess({ DATABASE_URL: db.url, REDIS_URL: undefined, ...env }) };
  });
  after(async () => {
    if (!running) return;
    const code = await running.server.stop('SIGTERM');
    await running.db.drop();
    assert.equal(code, 0, `SIGTERM should exit 0:\n${running.server.output().slice(-3000)}`);
  });
  return () => {
    if (!running) throw new Error('the test server is not ready: call the getter inside a test or a hook');
    return running;
  };
}
