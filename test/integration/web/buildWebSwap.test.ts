import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildWeb } from '../../../scripts/build-web.js';

/**
 * A rebuild of the web bundle while a server reads it: `npm test` rebuilds it in one file while other files'
 * servers serve pages from it. The bundle directory used to be renamed away and the new one renamed in, and a
 * page asked for in between was answered WEB_BUNDLE_MISSING (seen in a full parallel run).
 */
describe('web bundle: a rebuild never leaves the pages missing', function () {
  this.timeout(120_000);
  const outDir = path.join(os.tmpdir(), `ds-web-swap-${process.pid}`);
  after(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('every page stays readable at every turn of the event loop while the bundle is rebuilt; stale files go', async () => {
    await buildWeb({ outDir });
    const stale = path.join(outDir, 'assets', 'stale-from-an-older-build.js');
    fs.writeFileSync(stale, '');
    const pages = ['play.html', 'ops.html', 'coliseum.html'].map((p) => path.join(outDir, p));
    let checks = 0;
    const missing: string[] = [];
    let building = true;
    const watch = (): void => {
      checks++;
      for (const page of pages) if (!fs.existsSync(page)) missing.push(path.basename(page));
      if (building) setImmediate(watch);
    };
    setImmediate(watch);
    try {
      await buildWeb({ outDir });
    } finally {
      building = false;
    }
    assert.ok(checks > 10, `the watcher ran ${checks} times during the rebuild`);
    assert.deepEqual(missing, [], `pages missing during the rebuild (${checks} checks)`);
    assert.equal(fs.existsSync(stale), false, 'a file the new build does not have is removed');
    assert.deepEqual(
      fs.readdirSync(path.dirname(outDir)).filter((f) => f.startsWith(`${path.basename(outDir)}.`)),
      [],
      'no temporary directories left',
    );
  });
});
