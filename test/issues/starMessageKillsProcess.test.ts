import assert from 'node:assert/strict';
import { useServer } from '../support/serverProcess.js';
import { clientFor, nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

/**
 * Colyseus hands a message literally typed "*" to the wildcard handler with its payload in
 * the type slot; `String({ toString: 1 })` threw outside any try/catch and the process exited 1.
 */
for (const transport of ['uws', 'ws'] as const) {
  describe(`issue: a message typed "*" stopped the process (${transport})`, function () {
    this.timeout(60_000);
    const running = useServer({ TRANSPORT: transport });

    // A payload that names a real type must not run as that type (the wildcard sees it in the type slot).
    for (const payload of [{ toString: 1 }, [{ toString: 0 }], 'tune', 'capture']) {
      it(`session room: "*" with ${JSON.stringify(payload)} gets an error reply; the process and room live on`, async () => {
        const { room } = await joinSession(running().server.baseUrl);
        const error = nextMessage(room, 'error');
        room.send('*', payload);
        const reply = await error;
        assert.equal(reply.code, 'UNKNOWN_MESSAGE');
        assert.equal(reply.for, '*');
        assert.equal(running().server.proc.exitCode, null);
        assert.equal(room.state.totalStars, 0, 'nothing was captured');
        const locked = nextMessage(room, 'locked');
        room.send('tune', { frequency: 105.5 });
        assert.equal((await locked).frequency, 105.5);
        await leaveQuietly(room);
      });

      it(`coliseum room: "*" with ${JSON.stringify(payload)} gets READ_ONLY; the process lives on`, async () => {
        const room = await clientFor(running().server.baseUrl).joinOrCreate('coliseum', {});
        const error = nextMessage(room, 'error');
        room.send('*', payload);
        const reply = await error;
        assert.equal(reply.code, 'READ_ONLY');
        assert.equal(reply.for, '*');
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(running().server.proc.exitCode, null);
        assert.equal((await fetch(`${running().server.baseUrl}/health`)).status, 200);
        await leaveQuietly(room);
      });
    }
  });
}
