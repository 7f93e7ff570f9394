import assert from 'node:assert/strict';
import { parseArgs } from '../../../loadtest/args.js';
import { runLoad } from '../../../loadtest/runner.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess.js';

const TOKEN = 'ctrl-c-under-load-token-0123456789';
const SESSIONS = 200;
/** The promise for Ctrl-C: about a second, at most 2 s; the bots and the server share the 2 cores with other work. */
const EXIT_MS = 2000;
const LOADED_BOX_SLACK_MS = 2000;

/**
 * A lone process (no Redis, as `npm start`) under the README's load test, then Ctrl-C (SIGINT): it saves its sessions
 * for the restart and exits promptly and quietly. The sessions move while the other stops run, not after them.
 */
describe(`Ctrl-C on a lone process under the load test (${SESSIONS} sessions)`, function () {
  this.timeout(180_000);
  let db: TestDatabase;
  let server: ServerProcess | undefined;

  before(async () => (db = await createTestDatabase()));
  after(async () => {
    await server?.stop('SIGKILL');
    await db?.drop();
  });

  it(`exits 0 within ${EXIT_MS} ms (+${LOADED_BOX_SLACK_MS} for a loaded box), no error line, no word of another process`, async () => {
    server = await startServerProcess({ DATABASE_URL: db.url, REDIS_URL: undefined, ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'info', JOBS_ENABLED: 'false' });
    const options = parseArgs(
      [
        '--sessions',
        String(SESSIONS),
        '--duration',
        '40',
        '--ramp',
        '4',
        '--workers',
        '1',
        '--quiet',
        '--url',
        server.baseUrl.replace('http', 'ws'),
        '--admin-token',
        TOKEN,
      ],
      {},
    );
    const load = runLoad(options, 'ctrl-c', () => undefined);
    let connected = 0;
    const deadline = Date.now() + 60_000;
    while (connected < SESSIONS && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      const text = await (await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
      connected = Number(/^ds_rooms\{[^}]*room="session"[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
    }
    assert.equal(connected, SESSIONS, 'every bot in a session before the Ctrl-C');
    await new Promise((r) => setTimeout(r, 3000)); // the bots swipe, tap and capture
    const pressed = Date.now();
    const code = await server.stop('SIGINT', 20_000);
    const exitMs = Date.now() - pressed;
    await load.catch(() => undefined);
    const output = server.output();
    const lines = output.split('\n').filter((l) => l.startsWith('{'));
    console.log(
      `      exit ${code} after ${exitMs} ms; ${lines.find((l) => l.includes('"stopped cleanly"'))?.match(/"ms":\d+/)?.[0] ?? 'no "stopped cleanly"'}`,
    );
    assert.equal(code, 0, output.slice(-3000));
    assert.ok(exitMs <= EXIT_MS + LOADED_BOX_SLACK_MS, `Ctrl-C to exit: ${exitMs} ms`);
    assert.deepEqual(
      lines.filter((l) => /"level":(50|60)/.test(l)),
      [],
      'no error-level line',
    );
    assert.doesNotMatch(output, /another process/, 'a lone process has no other process to send clients to');
    assert.match(output, /"msg":"sessions saved for the restart/);
  });
});
