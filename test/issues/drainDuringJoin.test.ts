import assert from 'node:assert/strict';
import { useTestDatabase } from '../support/db.js';
import { insertUser } from '../support/auth.js';
import { clientFor } from '../support/rooms.js';
import { startInProcessSessionServer, type InProcessSessionServer } from '../support/inProcessSessionServer.js';
import type { SessionRepository } from '../../persistence/session/SessionRepository.js';

/**
 * A fast rolling deploy on the fleet testbed: a few of ~200 resumes came back under another session id than the
 * client had. A process began draining while a join was still opening its session (Colyseus lists the client
 * in the room before onJoin runs): the drain handed the half-open session off, so the client got `moving` (or
 * a bare close) before its `welcome`, resumed a session it had never been told of, and the join itself went on
 * in a room that was shutting down. Here the session's opening is held while the server drains.
 */
describe('issue: a drain while a join is still opening its session', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  let server: InProcessSessionServer | undefined;
  let joinStarted: () => void = () => undefined;
  let releaseJoin: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (joinStarted = resolve));
  const released = new Promise<void>((resolve) => (releaseJoin = resolve));

  /** The real repository whose joins wait for the test's signal. */
  const heldJoins = (real: SessionRepository): SessionRepository => {
    const held = Object.create(real) as SessionRepository;
    held.join = async (...args: Parameters<SessionRepository['join']>) => {
      joinStarted();
      await released;
      return real.join(...args);
    };
    return held;
  };

  before(async () => {
    server = await startInProcessSessionServer(database(), { sessions: heldJoins });
  });
  after(async () => {
    releaseJoin();
    await server?.stop().catch(() => undefined);
  });

  it('the client hears its session (`welcome`) before `moving`, and the credential it moves with names that session', async () => {
    const { sql } = database();
    const user = await insertUser(sql);
    const { accessToken } = await server!.tokens.issue({ userId: user.userId, deviceId: user.deviceId });
    const heard: Array<{ type: string; sessionId?: string; resume?: string }> = [];
    const joining = clientFor(server!.baseUrl, accessToken)
      .create('session', {})
      .then((room) => {
        room.onMessage(
          '*',
          (type, message: { sessionId?: string; resume?: string }) =>
            void heard.push({ type: String(type), sessionId: message?.sessionId, resume: message?.resume }),
        );
        const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
        return { room, left };
      });
    await started;
    const stopping = server!.stop(); // the drain begins while the join waits on the database
    await new Promise((r) => setTimeout(r, 200));
    releaseJoin();
    const { left } = await joining;
    const code = await left;
    await stopping;

    const types = heard.map((m) => m.type).filter((t) => t === 'welcome' || t === 'moving');
    assert.deepEqual(
      types,
      ['welcome', 'moving'],
      `the client heard its session, then the move (heard ${JSON.stringify(heard.map((m) => m.type))}, closed ${code})`,
    );
    assert.equal(code, 4100, 'closed as moved (4100), not shut down');
    const sessionId = heard.find((m) => m.type === 'welcome')!.sessionId!;
    const moving = heard.find((m) => m.type === 'moving')!;
    const claim = JSON.parse(Buffer.from(moving.resume!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    assert.ok(Object.values(claim).includes(sessionId), `the credential names the welcomed session: ${JSON.stringify(claim)}`);
  });
});
