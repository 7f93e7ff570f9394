import assert from 'node:assert/strict';
import { useServer } from '../support/serverProcess.js';
import { nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

/**
 * /ops and DIA showed an open session with 0/0/0 counters while its timeline listed dozens of
 * events: counters reached the sessions row only when the session ended. Now a lock writes them at most
 * every SESSION_COUNTERS_SAVE_MS (0 here: every lock).
 */
describe('issue: an open session showed 0 counters until it ended', function () {
  this.timeout(60_000);
  const running = useServer({ SESSION_COUNTERS_SAVE_MS: '0' });

  it("a lock writes the open session's counters to its row", async () => {
    const { room, welcome } = await joinSession(running().server.baseUrl);
    for (const frequency of [105.5, 99.9]) {
      const locked = nextMessage(room, 'locked');
      room.send('tune', { frequency });
      await locked;
    }
    // The save runs after the lock's reply, off the room's turn: read until it shows (a busy box took over 300 ms).
    const read = async () =>
      (
        await running().db.sql.query<{ total_interactions: number; ended_at: Date | null }>('SELECT total_interactions, ended_at FROM sessions WHERE id = ?', [
          welcome.sessionId,
        ])
      )[0];
    let row = await read();
    for (const deadline = Date.now() + 5000; Number(row.total_interactions) < 2 && Date.now() < deadline; row = await read())
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(row.ended_at, null, 'the session is still open');
    assert.equal(Number(row.total_interactions), 2);
    await leaveQuietly(room);
  });
});
