import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_DIR, ROOT, run, useClientPackageBench } from '../../support/clientPackage.js';

const EXAMPLE_DIR = path.join(PACKAGE_DIR, 'examples/journey');

interface Step {
  event: string;
  [key: string]: unknown;
}

/**
 * The example web app (clients/ts/examples/journey) as a developer gets it: `npm pack` of clients/ts,
 * the tarball installed with npm (offline: it is the app's only dependency from outside; @colyseus/sdk,
 * typescript and esbuild come from this repository), the app type-checked and its browser entry
 * bundled, then its journey played against a real server: sign-in, capture, search, capture the
 * found artist, journal, share and the share opened anonymously, with no @colyseus/sdk warning.
 */
describe('clients/ts example app: a journey through search, journal and share from the packed tarball', function () {
  this.timeout(180_000);
  const bench = useClientPackageBench('ds-journey-app-');

  it('installs the tarball, compiles, bundles for the browser and plays the journey with 0 SDK warnings', async () => {
    const packed = await bench.pack();
    const tmp = bench.tmp();
    const server = bench.server();
    const declared = JSON.parse(fs.readFileSync(path.join(EXAMPLE_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(declared.dependencies['@deepstream/realtime-client'], `file:../../${packed.filename}`, 'the example depends on the tarball `npm pack` writes in clients/ts');

    const app = path.join(tmp, 'journey');
    fs.cpSync(EXAMPLE_DIR, app, { recursive: true, filter: (src) => !/[/\\](node_modules|dist|public)$/.test(src) });
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ ...declared, dependencies: { '@deepstream/realtime-client': `file:${path.join(tmp, packed.filename)}` }, devDependencies: {} }));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--legacy-peer-deps', '--no-package-lock'], { cwd: app });
    assert.ok(fs.existsSync(path.join(app, 'node_modules/@deepstream/realtime-client/dist/index.js')), 'npm installed the packed client');
    for (const dep of ['@colyseus', '@types']) fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(app, 'node_modules', dep));

    await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app }).catch((err: { stdout?: string }) => assert.fail(`the example does not compile against the package:\n${err.stdout}`));
    await run(path.join(ROOT, 'node_modules/.bin/esbuild'), ['src/main.ts', '--bundle', '--format=esm', '--outfile=public/app.js', '--log-level=warning'], { cwd: app });
    assert.match(fs.readFileSync(path.join(app, 'public/app.js'), 'utf8'), /api\/constellations\/share/, 'the browser bundle holds the journey');

    const out = await run(process.execPath, ['dist/cli.js'], { cwd: app, env: { ...process.env, DEEPSTREAM_URL: server.baseUrl }, timeout: 60_000 });
    assert.doesNotMatch(out.stderr, /@colyseus\/sdk|onMessage\(\) not registered/, `SDK warnings:\n${out.stderr}`);
    const steps = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as Step);
    const first = (event: string) => steps.find((s) => s.event === event) ?? assert.fail(`no ${event} step in ${out.stdout}`);
    const userId = first('welcome').userId as string;
    assert.match(userId, /^[0-9a-f-]{36}$/);
    const captured = steps.filter((s) => s.event === 'captured');
    assert.deepEqual(captured.map((s) => s.totalStars), [1, 2]);
    assert.equal(captured[0]!.artistId, 'artist_wizkid', 'tuned to 99.9 MHz');
    const search = first('search');
    assert.equal(search.requestId, 'journey-1');
    assert.equal(captured[1]!.artistId, search.pick, 'the second star is the artist found by search');
    assert.deepEqual(first('journal').stars, captured.map((s) => s.artistId), 'the journal lists both stars in capture order');
    assert.match(first('shared').shareId as string, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(first('viewed'), { event: 'viewed', status: 200, stars: captured.map((s) => s.artistId) }, 'the share opens anonymously with both stars');

    const [{ n }] = await bench.db().sql.query<{ n: number }>('SELECT count(*)::int AS n FROM constellation_stars WHERE user_id = ?::uuid', [userId]);
    assert.equal(n, 2, 'both stars are stored for the signed-in user');
  });
});
