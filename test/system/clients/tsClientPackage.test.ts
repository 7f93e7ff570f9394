import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_DIR, ROOT, run, useClientPackageBench } from '../../support/clientPackage.js';


/**
 * The TypeScript client as an app developer gets it: `npm pack` in clients/ts, the tarball unpacked into
 * an app's node_modules, the package README's quick start (clients/ts/examples/quickstart.ts) type-checked
 * against the packed declarations, then run against a real server: device sign-in, join, tune, capture.
 */
describe('clients/ts as a package: pack, install, compile and run the quick start', function () {
  this.timeout(180_000);
  const bench = useClientPackageBench('ds-client-pkg-');

  it('packs declarations, code and the contract documents, and the quick start signs in, joins and captures', async () => {
    const packed = await bench.pack();
    const tmp = bench.tmp();
    const server = bench.server();
    const files = packed.files.map((f) => f.path);
    for (const expected of ['dist/index.js', 'dist/index.d.ts', 'dist/DeviceAuth.js', 'dist/SessionClient.d.ts', 'contract/openapi.json', 'package.json', 'README.md']) assert.ok(files.includes(expected), `${expected} in ${files.join(', ')}`);
    const example = fs.readFileSync(path.join(PACKAGE_DIR, 'examples/quickstart.ts'), 'utf8');
    assert.ok(fs.readFileSync(path.join(PACKAGE_DIR, 'README.md'), 'utf8').includes(example), "the package README shows examples/quickstart.ts as it is");

    // The app: the tarball unpacked as its dependency, @colyseus/sdk (the peer) from this repository.
    const app = path.join(tmp, 'app');
    const scope = path.join(app, 'node_modules/@deepstream');
    fs.mkdirSync(scope, { recursive: true });
    await run('tar', ['-xzf', path.join(tmp, packed.filename), '-C', scope]);
    fs.renameSync(path.join(scope, 'package'), path.join(scope, 'realtime-client'));
    fs.symlinkSync(path.join(ROOT, 'node_modules/@colyseus'), path.join(app, 'node_modules/@colyseus'));
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'quickstart-app', private: true, type: 'module' }));
    fs.copyFileSync(path.join(PACKAGE_DIR, 'examples/quickstart.ts'), path.join(app, 'quickstart.ts'));
    const tsconfig = { compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, lib: ['ES2023', 'DOM'], types: ['node'], typeRoots: [path.join(ROOT, 'node_modules/@types')], outDir: 'out' }, files: ['quickstart.ts'] };
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(tsconfig));
    await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app }).catch((err: { stdout?: string }) => assert.fail(`the quick start does not compile against the package:\n${err.stdout}`));

    const out = await run(process.execPath, ['out/quickstart.js'], { cwd: app, env: { ...process.env, DEEPSTREAM_URL: server.baseUrl }, timeout: 60_000 });
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; userId?: string; sessionId?: string; artistId?: string; totalStars?: number });
    assert.equal(lines[0]!.event, 'welcome');
    assert.match(lines[0]!.userId ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(lines[0]!.sessionId);
    assert.equal(lines[1]!.event, 'captured');
    assert.equal(lines[1]!.artistId, 'artist_wizkid', 'tuned to 99.9 MHz and captured Wizkid');
    assert.equal(lines[1]!.totalStars, 1);
    const [{ n }] = await bench.db().sql.query<{ n: number }>('SELECT count(*)::int AS n FROM constellation_stars WHERE user_id = ?::uuid', [lines[0]!.userId]);
    assert.equal(n, 1, 'the star is stored for the signed-in user');
    assert.equal(out.stderr.match(/onMessage\(\) not registered/g)?.length ?? 0, 0, `SDK warnings:\n${out.stderr}`);
  });
});
