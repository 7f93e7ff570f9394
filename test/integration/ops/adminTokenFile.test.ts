import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess.js';
import { bearer } from '../../support/auth.js';

/** What `npm start` gives a newcomer: no ADMIN_TOKEN set, yet /ops signs in with the generated file's token. */
describe('admin token generated into ADMIN_TOKEN_FILE (npm start on a laptop)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let server: ServerProcess;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-admin-file-'));
    db = await createTestDatabase();
    server = await startServerProcess({
      DATABASE_URL: db.url,
      REDIS_URL: undefined,
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: undefined,
      ADMIN_TOKEN_FILE: path.join(dir, 'admin-token'),
    });
  });
  after(async () => {
    await server?.stop('SIGTERM');
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the ops API with the token from the file, refuses without it, and logs the file, not the token', async () => {
    const token = fs.readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
    assert.equal((await fetch(`${server.baseUrl}/api/ops/overview`, { headers: bearer(token) })).status, 200);
    assert.equal((await fetch(`${server.baseUrl}/api/ops/overview`)).status, 401);
    assert.match(server.output(), /admin-token/);
    assert.ok(!server.output().includes(token));
  });
});
