import assert from 'node:assert/strict';
import { useServer } from '../support/serverProcess.js';
import { nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';
import { signIn } from '../support/auth.js';

/**
 * The audit of seed 000 with @colyseus/sdk:
 * - on Wizkid → Burna Boy → Fela Kuti the room linked only the placement base: Wizkid got no line (7.5);
 * - `sensor_ack.totalSensorTime` was the session's total, not the user's across sessions (5.4);
 * - a join without `lastSessionId` resumed the latest session without the protocol saying so (14).
 */
describe('seed 000 journey audit findings', function () {
  this.timeout(60_000);
  const running = useServer({ CLIENT_MESSAGE_RATE: '200', PASSPORT_FLUSH_MS: '10' });

  it('Wizkid → Burna Boy → Fela Kuti: capturing Fela links Burna Boy AND Wizkid (both on the discovery path)', async () => {
    const { room } = await joinSession(running().server.baseUrl);
    const capture = async (msg: Record<string, unknown> = {}) => {
      const captured = nextMessage(room, 'captured');
      room.send('capture', msg);
      return captured;
    };
    await capture(); // Wizkid, on screen at 99.9
    const locked = nextMessage(room, 'locked');
    room.send('swipe', { direction: 'right', velocity: 850 });
    await locked; // Burna Boy
    await capture();
    const fela = await capture({ artistId: 'artist_fela_kuti' });
    const lines = fela.connections.map((c: { from: string; type: string; strength: number }) => [c.from, c.type, c.strength]);
    assert.deepEqual(lines, [
      ['artist_burna_boy', 'discovery_path', 0.95],
      ['artist_wizkid', 'discovery_path', 0.95],
    ]);
    await leaveQuietly(room);
  });

  it('a join without lastSessionId resumes the latest session (documented in docs/PROTOCOL.md "Join")', async () => {
    const device = await signIn(running().server.baseUrl);
    const first = await joinSession(running().server.baseUrl, {}, device);
    await leaveQuietly(first.room);
    const second = await joinSession(running().server.baseUrl, {}, device);
    assert.equal(second.welcome.resumed, true);
    assert.equal(second.welcome.sessionId, first.welcome.sessionId);
    await leaveQuietly(second.room);
  });
});
