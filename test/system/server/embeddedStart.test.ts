import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonOf } from '../../support/http.js';
import { freePort } from '../../support/postgres.js';
import { startServerProcess } from '../../support/serverProcess.js';

function postgresProcessesFor(dataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', dataDir], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((l) => l && !l.includes('pgrep'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** The README's quick start: `npm start` with no DATABASE_URL runs on the embedded PostgreSQL. */
describe('npm start on the embedded PostgreSQL', function () {
  this.timeout(120_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-embedded-'));
  fs.chmodSync(dataDir, 0o777);
  // As on a fresh clone: `.data/` does not exist yet and holds both the database and the generated key.
  const pgDir = path.join(dataDir, '.data', 'postgres');
  const secretFile = path.join(dataDir, '.data', 'auth-secret');

  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function bootOnce(): Promise<{ stations: number; output: string; exitCode: number | null; stopMs: number }> {
    // Two ports asked of the kernel one after the other can be the same one (nothing holds the first yet).
    const pgPort = await freePort();
    let port = await freePort();
    while (port === pgPort) port = await freePort();
    const env = {
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      AUTH_SECRET: undefined,
      AUTH_SECRET_FILE: secretFile,
      EMBEDDED_PG_DIR: pgDir,
      EMBEDDED_PG_PORT: String(pgPort),
      PORT: String(port),
      TRANSPORT: 'ws',
    };
    const server = await startServerProcess(env, { command: ['npm', 'start', '--silent'], bootTimeoutMs: 60_000 });
    const station = await fetch(`${server.baseUrl}/api/stations/99.9`);
    assert.equal(station.status, 200);
    assert.equal((await jsonOf(station)).artist.name, 'Wizkid');
    const list = (await jsonOf(await fetch(`${server.baseUrl}/api/stations`))) as { stations: unknown[] };
    const t0 = Date.now();
    const exitCode = await server.stop('SIGTERM', 15_000);
    return { stations: list.stations.length, output: server.output(), exitCode, stopMs: Date.now() - t0 };
  }

  it('serves a station, exits 0 within 5 s of SIGTERM and leaves no postgres behind; a second start reuses the data', async () => {
    const first = await bootOnce();
    assert.equal(first.exitCode, 0, first.output);
    assert.ok(first.stopMs < 5000, `stop took ${first.stopMs} ms`);
    // The station read queued a passport event: it must drain before the database stops, not into a dying one.
    assert.doesNotMatch(first.output, /database system is shutting down/);
    assert.match(first.output, /demo catalog loaded/);
    assert.deepEqual(postgresProcessesFor(pgDir), []);

    const second = await bootOnce();
    assert.equal(second.exitCode, 0, second.output);
    assert.doesNotMatch(second.output, /demo catalog loaded/);
    assert.equal(second.stations, first.stations, 'the second boot must not duplicate catalog rows');
    assert.deepEqual(postgresProcessesFor(pgDir), []);
  });
});
