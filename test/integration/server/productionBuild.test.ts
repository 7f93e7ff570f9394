import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Every file under `dir` (relative paths). */
function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)).map((f) => path.join(e.name, f)) : [e.name]));
}

/**
 * The production image ran TypeScript through tsx. `npm run build` emits plain JavaScript into
 * build/ (the Dockerfile's runtime copies it and runs `node src/main.js`); this boots that output with
 * plain node — no tsx loader — against a real database and checks it serves.
 */
describe('production build: the server as plain JavaScript', function () {
  this.timeout(180_000);
  let db: TestDatabase;
  let server: ServerProcess;

  before(async () => {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], { cwd: ROOT, stdio: 'pipe' });
    db = await createTestDatabase({ migrate: false });
  });
  after(async () => {
    const code = await server?.stop('SIGTERM');
    await db?.drop();
    assert.equal(code, 0, server?.output().slice(-2000));
  });

  it('emits JavaScript only, with the data files it reads, and nothing that needs tsx', () => {
    const files = walk(path.join(ROOT, 'build'));
    assert.ok(files.includes(path.join('src', 'main.js')));
    assert.ok(files.includes(path.join('persistence', 'influence', 'dataset.json')));
    assert.deepEqual(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), []);
    const tsxImports = files.filter((f) => f.endsWith('.js') && /from ['"]tsx|import\(['"]tsx/.test(fs.readFileSync(path.join(ROOT, 'build', f), 'utf8')));
    assert.deepEqual(tsxImports, []);
  });

  it('boots with plain node, migrates an empty database and serves liveness, readiness and a station', async () => {
    server = await startServerProcess({ DATABASE_URL: db.url, TRANSPORT: 'uws', REDIS_URL: undefined }, { command: [process.execPath, '--max-semi-space-size=64', 'build/src/main.js'] });
    assert.equal((await fetch(`${server.baseUrl}/health/live`)).status, 200);
    assert.equal((await fetch(`${server.baseUrl}/health/ready`)).status, 200);
    const station = await fetch(`${server.baseUrl}/api/stations/99.9`);
    assert.equal(station.status, 200);
    assert.equal((await station.json()).artist.name, 'Wizkid');
  });
});
