import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerProcess } from '../../support/serverProcess.js';
import { serverEntryCommand } from '../../support/serverBuild.js';
import { clientFor, nextMessage } from '../../support/rooms.js';
import { signIn } from '../../support/auth.js';
import { redisUrl } from '../../support/postgres.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** The access-token key at boot: required with Redis, generated and kept for the embedded single process. */
describe('auth key at boot', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let dir: string;
  before(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-auth-boot-'));
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('with REDIS_URL and no AUTH_SECRET the process exits 78 before listening, saying the fix', () => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'AUTH_SECRET') env[k] = v;
    // The run's transpiled server (serverBuild.ts) when there is one: the same code without tsx's start-up.
    const [command, ...args] = serverEntryCommand();
    const run = spawnSync(command, args, {
      cwd: ROOT,
      env: { ...env, DATABASE_URL: db.url, REDIS_URL: redisUrl(), PORT: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 78, run.stderr + run.stdout);
    assert.match(run.stderr, /AUTH_SECRET: is required when REDIS_URL is set.*same AUTH_SECRET.*every process/);
  });

  it('without AUTH_SECRET, one process generates a 0600 key file and a token it issued still works after a restart', async () => {
    const file = path.join(dir, 'auth-secret');
    const env = { DATABASE_URL: db.url, REDIS_URL: undefined, AUTH_SECRET: undefined, AUTH_SECRET_FILE: file, LOG_LEVEL: 'warn' };
    const first = await startServerProcess(env);
    const device = await signIn(first.baseUrl);
    assert.equal(await first.stop('SIGTERM'), 0, first.output());
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);

    const second = await startServerProcess(env);
    try {
      const room = await clientFor(second.baseUrl, device.accessToken).create('session', {});
      assert.equal((await nextMessage(room, 'welcome')).userId, device.userId);
      await room.leave(true);
    } finally {
      assert.equal(await second.stop('SIGTERM'), 0, second.output());
    }
  });
});
