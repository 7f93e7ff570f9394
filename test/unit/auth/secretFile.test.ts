import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { resolveAdminToken, resolveAuthSecret } from '../../../src/auth/secretFile.js';
import { ConfigError } from '../../../src/errors.js';

const silent = pino({ level: 'silent' });

describe('access-token key (AUTH_SECRET or the generated secret file)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-auth-secret-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const config = (file: string, secret?: string) => ({
    secret,
    secretFile: file,
    accessTtlSec: 900,
    refreshTtlDays: 30,
    deviceCacheEntries: 10,
    deviceCacheTtlMs: 1000,
  });

  it('uses AUTH_SECRET when set and writes no file', () => {
    const file = path.join(dir, 'auth-secret');
    assert.equal(resolveAuthSecret(config(file, 'e'.repeat(40)), silent), 'e'.repeat(40));
    assert.equal(fs.existsSync(file), false);
  });

  it('generates a key into the file (mode 0600, parent created) on first boot and reads the same one back later', () => {
    const file = path.join(dir, 'nested', 'auth-secret');
    const first = resolveAuthSecret(config(file), silent);
    assert.ok(first.length >= 64);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(resolveAuthSecret(config(file), silent), first, 'the next boot reuses it: tokens survive a restart');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['auth-secret'], 'no temp file left behind');
  });

  it('refuses a key file holding fewer than 32 characters with a ConfigError that says the fix', () => {
    const file = path.join(dir, 'auth-secret');
    fs.writeFileSync(file, 'too-short\n');
    assert.throws(
      () => resolveAuthSecret(config(file), silent),
      (err: unknown) => err instanceof ConfigError && /Delete the file|set AUTH_SECRET/.test(err.message),
    );
  });
});

describe('admin token (ADMIN_TOKEN, or the one generated into ADMIN_TOKEN_FILE)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-admin-token-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('generates one into the file (0600) when ADMIN_TOKEN is unset, reuses it, and logs the file but never the token', () => {
    const file = path.join(dir, '.data', 'admin-token');
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
    const token = resolveAdminToken({ adminTokenFile: file }, log);
    assert.ok(token && token.length >= 32);
    assert.equal(fs.readFileSync(file, 'utf8').trim(), token);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(resolveAdminToken({ adminTokenFile: file }, log), token, 'the next start reuses it');
    assert.ok(
      lines.every((l) => !l.includes(token!)),
      'the token never reaches the log',
    );
    assert.match(lines.join(''), /admin-token/);
  });

  it('ADMIN_TOKEN wins and writes nothing; with neither, admin surfaces stay off', () => {
    const file = path.join(dir, 'admin-token');
    assert.equal(resolveAdminToken({ adminToken: 'x'.repeat(20), adminTokenFile: file }, silent), 'x'.repeat(20));
    assert.equal(fs.existsSync(file), false);
    assert.equal(resolveAdminToken({}, silent), undefined);
  });
});
