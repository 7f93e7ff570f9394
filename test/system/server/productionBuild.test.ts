import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess.js';
import { assembleContext, parseDockerfile } from '../../support/dockerfile.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Every file under `dir` (relative paths). */
function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)).map((f) => path.join(e.name, f)) : [e.name]));
}

/**
 * The image as the Dockerfile builds it, without Docker: exactly the files its build stage COPYs from a
 * clean checkout (nothing else of the tree: a file the build needs and the Dockerfile forgets fails here),
 * the dependencies installed, then the stage's build commands. `npm run build` emits plain JavaScript
 * into build/ (the runtime stage copies it and runs `node src/main.js`); this boots that output with plain
 * node — no tsx loader — against a real database and checks it serves.
 */
describe('production build: the Dockerfile build stage, as plain JavaScript', function () {
  this.timeout(300_000);
  let db: TestDatabase;
  let server: ServerProcess;
  let context: string;
  const BUILD = () => path.join(context, 'build');

  before(async () => {
    const build = parseDockerfile(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')).find((s) => s.name === 'build');
    assert.ok(build, 'the Dockerfile has a stage named build');
    context = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-image-build-'));
    assembleContext(ROOT, build, context);
    // `npm ci` of the stage: the checkout's installed dependencies stand in for it (same lockfile).
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(context, 'node_modules'));
    for (const run of build.runs.filter((r) => !/^npm ci\b/.test(r))) {
      try {
        execFileSync('sh', ['-c', run], { cwd: context, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
      } catch (err) {
        const e = err as { stdout?: Buffer; stderr?: Buffer };
        assert.fail(`the image's build step failed: RUN ${run}\n${e.stdout?.toString().slice(-2000)}${e.stderr?.toString().slice(-2000)}`);
      }
    }
    db = await createTestDatabase({ migrate: false });
  });
  after(async () => {
    const code = server ? await server.stop('SIGTERM') : 0;
    await db?.drop();
    if (context) fs.rmSync(context, { recursive: true, force: true });
    assert.equal(code, 0, server?.output().slice(-2000));
  });

  it('emits JavaScript only, with the data files it reads, and nothing that needs tsx', () => {
    const files = walk(BUILD());
    assert.ok(files.includes(path.join('src', 'main.js')));
    assert.ok(files.includes(path.join('persistence', 'influence', 'dataset.json')));
    assert.deepEqual(
      files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
      [],
    );
    const tsxImports = files.filter((f) => f.endsWith('.js') && /from ['"]tsx|import\(['"]tsx/.test(fs.readFileSync(path.join(BUILD(), f), 'utf8')));
    assert.deepEqual(tsxImports, []);
  });

  it('boots with plain node, migrates an empty database and serves liveness, readiness and a station', async () => {
    server = await startServerProcess(
      { DATABASE_URL: db.url, TRANSPORT: 'uws', REDIS_URL: undefined },
      { command: [process.execPath, '--max-semi-space-size=64', path.join(BUILD(), 'src/main.js')] },
    );
    assert.equal((await fetch(`${server.baseUrl}/health/live`)).status, 200);
    assert.equal((await fetch(`${server.baseUrl}/health/ready`)).status, 200);
    const station = await fetch(`${server.baseUrl}/api/stations/99.9`);
    assert.equal(station.status, 200);
    assert.equal((await station.json()).artist.name, 'Wizkid');
    const page = await fetch(`${server.baseUrl}/play`);
    assert.equal(page.status, 200, 'the web bundles were built into the image');
    assert.match(await page.text(), /<script/);
  });
});
