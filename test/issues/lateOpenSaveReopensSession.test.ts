import assert from 'node:assert/strict';
import { useTestDatabase } from '../support/db.js';
import { insertUser } from '../support/auth.js';
import { clientFor, nextMessage, waitForState } from '../support/rooms.js';
import { startInProcessSessionServer, type InProcessSessionServer } from '../support/inProcessSessionServer.js';
import type { SessionRepository } from '../../persistence/session/SessionRepository.js';

/**
 * "a resumed session keeps its counters" read `ended_at: null` after the client had left.
 * A lock saves the open session's counters after its reply; a client leaving on that reply ends the
 * session, and the end's save ran beside the open one. When the open save landed last it set `ended_at`
 * back to null. Here every open save is held 400 ms so it always lands last unless the room orders them.
 */
describe('issue: an open-session save landing after the end reopened the session', function () {
  this.timeout(30_000);
  after(async () => server?.stop());
  const database = useTestDatabase();
  const writes: Array<{ ended: boolean; done: Promise<boolean> }> = [];
  let server: InProcessSessionServer | undefined;

  /** The real repository whose open saves start 400 ms late, as a busy pool or a slow lock-in would make them. */
  const slowOpenSaves = (real: SessionRepository): SessionRepository => {
    const slow = Object.create(real) as SessionRepository;
    slow.saveCounters = (...args: Parameters<SessionRepository['saveCounters']>) => {
      const ended = args[3];
      const done = (async () => {
        if (!ended) await new Promise((r) => setTimeout(r, 400));
        return real.saveCounters(...args);
      })();
      writes.push({ ended, done });
      return done;
    };
    return slow;
  };

  const until = async (ok: () => boolean, what: string) => {
    for (const deadline = Date.now() + 5000; !ok() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 10));
    assert.ok(ok(), what);
  };

  before(async () => {
    server = await startInProcessSessionServer(database(), { sessions: slowOpenSaves });
  });

  it('a client leaving on the lock-in reply leaves its session ended, with the counters of the lock', async () => {
    const { sql } = database();
    const user = await insertUser(sql);
    const { accessToken } = await server!.tokens.issue({ userId: user.userId, deviceId: user.deviceId });
    const room = await clientFor(server!.baseUrl, accessToken).create('session', {});
    const { sessionId } = await nextMessage(room, 'welcome');
    await waitForState(room, (s) => s.station.artistName !== '', 5000, 'initial station');

    const locked = nextMessage(room, 'locked');
    room.send('tune', { frequency: 105.5 });
    await locked;
    // Leave while the lock's open save is in flight (it is held 400 ms), as a client leaving on `locked` does.
    await until(() => writes.some((w) => !w.ended), 'the lock asked for an open save');
    await room.leave(true);
    await until(() => writes.some((w) => w.ended), 'the leave asked for the end save');
    await Promise.all(writes.map((w) => w.done));

    assert.deepEqual(
      writes.map((w) => w.ended),
      [false, true],
      'one open save (the lock), then the end',
    );
    const [row] = await sql.query<{ total_interactions: number; ended_at: Date | null }>('SELECT total_interactions, ended_at FROM sessions WHERE id = ?', [
      sessionId,
    ]);
    assert.notEqual(row.ended_at, null, 'the session stays ended');
    assert.equal(Number(row.total_interactions), 1);
  });
});
