import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess.js';
import { freePort, redisUrl } from '../../support/postgres.js';
import { deleteKeysWithPrefix } from '../../support/redis.js';
import { signIn } from '../../support/auth.js';
import { SessionClient, type AccessTokenSource, type ConnectionStatus } from '../../../clients/ts/src/SessionClient.js';
import { memoryStore, type TokenStore } from '../../../clients/ts/src/SessionRecord.js';
import type { ResumedMessage, WelcomeMessage } from '../../../clients/ts/src/messages.js';

const fixedToken = (accessToken: string): AccessTokenSource => ({ accessToken: async () => accessToken, invalidate: () => undefined });

/** A SessionClient with what it emitted: every status, the greetings, warnings. */
function watched(endpoint: string, options: { fallback?: string[]; storage?: TokenStore } = {}) {
  const storage = options.storage ?? memoryStore();
  const client = new SessionClient(endpoint, { storage, fallbackEndpoints: options.fallback });
  const statuses: ConnectionStatus[] = [];
  const warnings: string[] = [];
  const resumed: ResumedMessage[] = [];
  const welcomes: WelcomeMessage[] = [];
  client.on('connection', (s, detail) => {
    statuses.push(s);
    if (process.env.DEBUG_RESUME) process.stderr.write(`${Date.now() % 100_000} ${s} ${detail ?? ''}\n`);
  });
  client.on('warning', (w) => warnings.push(w));
  client.on('resumed', (m) => resumed.push(m));
  client.on('welcome', (m) => welcomes.push(m));
  return { client, storage, statuses, warnings, resumed, welcomes };
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * clients/ts SessionClient against real server processes on one database and one Redis: a session whose
 * process drains (SIGTERM: `moving` + 4100) or dies (SIGKILL) comes back by itself on the other process,
 * with the same session id, the input sent while it moved applied once, and never a `closed` status.
 */
describe('SessionClient: a session comes back by itself when its process drains or dies', function () {
  this.timeout(240_000);
  const prefix = `ds_test_client_resume_${randomBytes(4).toString('hex')}:`;
  let db: TestDatabase;
  const servers: ServerProcess[] = [];

  async function start(port: number): Promise<ServerProcess> {
    const server = await startServerProcess({
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl(),
      REDIS_PREFIX: prefix,
      PORT: String(port),
      PUBLIC_ADDRESS: `127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
    });
    servers.push(server);
    return server;
  }

  const ws = (server: ServerProcess): string => server.baseUrl.replace(/^http/, 'ws');

  /**
   * The process a test starts on: the one the test before left serving (where its session was resumed), else a
   * new one. A boot is most of a test's cost here; each test still moves or joins its own, new session.
   */
  let serving: ServerProcess | undefined;
  async function current(): Promise<ServerProcess> {
    if (serving && serving.proc.exitCode === null && serving.proc.signalCode === null) return serving;
    return (serving = await start(await freePort()));
  }

  before(async () => {
    db = await createTestDatabase();
  });

  after(async () => {
    await serving?.stop('SIGTERM').catch(() => undefined);
    for (const server of servers) await server.stop('SIGKILL').catch(() => undefined);
    const redis = new Redis(redisUrl());
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await db?.drop();
  });

  for (const [signal, restoredFrom] of [
    ['SIGTERM', ['handoff']],
    ['SIGKILL', ['snapshot', 'durable']],
  ] as const) {
    it(`${signal}: resumed on the other process, same session id, the input sent meanwhile applied`, async () => {
      const portB = await freePort();
      const a = await current();
      const device = await signIn(a.baseUrl);
      // The client knows both servers, as an app knows its region's entries; B is not up yet.
      const s = watched(ws(a), { fallback: [`ws://127.0.0.1:${portB}`] });
      await s.client.connect({ deviceModel: 'node' }, fixedToken(device.accessToken));
      await until('welcome', () => s.welcomes.length === 1);
      s.client.tune(99.9);
      await until('the station at 99.9', () => s.client.state?.station.frequency === 99.9);
      const sessionId = s.welcomes[0]!.sessionId;
      const seqBefore = s.client.nextSeq;
      const b = await start(portB);

      const t0 = Date.now();
      const stopped = a.stop(signal);
      await until('the link to go down', () => s.client.status !== 'connected');
      s.client.tune(105.5); // while moving: waits, then goes to the restored session
      await until('resumed', () => s.resumed.length === 1, 60_000).catch((err: Error) => {
        throw new Error(`${err.message}; statuses ${s.statuses.join(' → ')}; warnings ${s.warnings.join('; ')}`);
      });
      const backAfterMs = Date.now() - t0;
      await stopped;

      const m = s.resumed[0]!;
      assert.equal(m.sessionId, sessionId, 'the same session');
      assert.ok((restoredFrom as readonly string[]).includes(m.restoredFrom), `restoredFrom ${m.restoredFrom}`);
      await until('the tune sent while moving to be applied', () => s.client.state?.station.frequency === 105.5);
      assert.ok(s.client.nextSeq > seqBefore, 'the seq numbering went on');
      assert.equal(s.statuses.includes('closed'), false, `statuses: ${s.statuses.join(' → ')}`);
      assert.equal(s.statuses.at(-1), 'connected');
      if (signal === 'SIGTERM') assert.ok(s.statuses.includes('moving'), `statuses: ${s.statuses.join(' → ')}`);
      assert.equal(s.welcomes.length, 1, 'no second welcome: nothing started afresh');
      // On a loaded test box: generous; the figure is in the test title's log line below.
      assert.ok(backAfterMs < 30_000, `back after ${backAfterMs} ms`);
      process.stderr.write(
        `      ${signal}: back after ${backAfterMs} ms (${s.statuses.join(' → ')}), restoredFrom ${m.restoredFrom}, appliedSeq ${m.appliedSeq}\n`,
      );
      await s.client.leave();
      serving = b; // the next test starts on the process this one moved to
    });
  }

  it('a refused credential (RESUME_INVALID) falls back to a fresh join with lastSessionId, and says so', async () => {
    const a = await current();
    const device = await signIn(a.baseUrl);
    const storage = memoryStore();
    storage.setItem('ds.play.session', JSON.stringify({ resume: 'not-a-credential', sessionId: null, nextSeq: 7, reconnectionToken: null }));
    const s = watched(ws(a), { storage });
    await s.client.connect({ deviceModel: 'node' }, fixedToken(device.accessToken));
    await until('welcome', () => s.welcomes.length === 1);
    assert.equal(s.resumed.length, 0);
    assert.match(s.warnings.join('\n'), /could not be resumed \(RESUME_INVALID\)/);
    assert.equal(s.client.nextSeq, 7, 'the stored numbering goes on');
    const record = JSON.parse(storage.getItem('ds.play.session')!) as { resume: string | null; sessionId: string };
    assert.equal(record.sessionId, s.welcomes[0]!.sessionId);
    assert.ok(record.resume && record.resume !== 'not-a-credential', "the new session's credential is kept");
    await s.client.leave();
  });

  it('another tab resuming the session closes this one with 4409: `closed`, not taken back', async () => {
    const a = await current();
    const device = await signIn(a.baseUrl);
    const first = watched(ws(a));
    await first.client.connect({ deviceModel: 'node' }, fixedToken(device.accessToken));
    await until('welcome', () => first.welcomes.length === 1);
    // The second tab has the first one's credential (not its seat: no reconnection token).
    const copy = memoryStore();
    copy.setItem('ds.play.session', JSON.stringify({ ...JSON.parse(first.storage.getItem('ds.play.session')!), reconnectionToken: null }));
    const second = watched(ws(a), { storage: copy });
    await second.client.connect({ deviceModel: 'node' }, fixedToken(device.accessToken));
    await until('the second tab resumed', () => second.resumed.length === 1);
    assert.equal(second.resumed[0]!.sessionId, first.welcomes[0]!.sessionId);
    await until('the first tab closed', () => first.client.status === 'closed');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(first.client.status, 'closed', 'it does not take the session back');
    assert.equal(first.resumed.length, 0);
    await second.client.leave();
  });
});
