import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from './db.js';
import { startServerProcess, type ServerProcess } from './serverProcess.js';

export const run = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '../..');
/** The TypeScript client package (clients/ts). */
export const PACKAGE_DIR = path.join(ROOT, 'clients/ts');

export interface PackedClient {
  filename: string;
  files: Array<{ path: string }>;
}

export interface ClientPackageBench {
  /** A temp directory of this describe's own, removed afterwards. */
  tmp: () => string;
  server: () => ServerProcess;
  db: () => TestDatabase;
  /** `npm pack` of clients/ts into tmp(), as an app developer gets it. */
  pack: () => Promise<PackedClient>;
}

/**
 * What the client-package tests share: a temp directory, a server process on a database of its own, and
 * `npm pack`; afterwards the server stops, the database and temp directory go, and so do the contract
 * documents the pack copied into clients/ts.
 */
export function useClientPackageBench(tmpPrefix: string): ClientPackageBench {
  let tmp: string;
  let db: TestDatabase;
  let server: ServerProcess;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
    db = await createTestDatabase({ migrate: false });
    server = await startServerProcess({ DATABASE_URL: db.url, REDIS_URL: undefined, LOG_LEVEL: 'warn' });
  });
  after(async () => {
    await server?.stop('SIGTERM');
    await db?.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(path.join(PACKAGE_DIR, 'contract'), { recursive: true, force: true });
  });
  return {
    tmp: () => tmp,
    server: () => server,
    db: () => db,
    pack: async () => {
      const { stdout } = await run('npm', ['pack', '--pack-destination', tmp, '--json'], { cwd: PACKAGE_DIR, maxBuffer: 16 * 1024 * 1024 });
      const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as PackedClient[];
      return packed!;
    },
  };
}
